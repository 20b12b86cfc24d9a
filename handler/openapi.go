package handler

import (
	"net/http"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
)

// routeDoc describes a route for the OpenAPI document. Request, Query and Response are zero values of the
// request and response types; their JSON shape is read from the types themselves, so the document cannot
// drift from the code.
type routeDoc struct {
	Summary  string
	Tag      string
	Auth     bool
	Request  any
	Query    any
	Response any
	// Status is the success status; 200 when zero.
	Status int
	// MaxBody caps the request body; the API's JSON limit when zero. TooLarge is the answer past it.
	MaxBody  int64
	TooLarge *apiError
}

type registeredRoute struct {
	method, path string
	doc          routeDoc
}

// handle registers a route with gin and with the document: the one way routes are added.
func (a *API) handle(method, path string, doc routeDoc, handlers ...gin.HandlerFunc) {
	if doc.Auth {
		handlers = append([]gin.HandlerFunc{a.authenticated}, handlers...)
	}
	max := doc.MaxBody
	if max == 0 {
		max = a.opts.MaxBodyBytes
	}
	tooLarge := doc.TooLarge
	if tooLarge == nil {
		tooLarge = errBodyTooLarge
	}
	handlers = append([]gin.HandlerFunc{limitBody(max, tooLarge)}, handlers...)
	a.engine.Handle(method, path, handlers...)
	a.routes = append(a.routes, registeredRoute{method: method, path: path, doc: doc})
}

func (a *API) serveOpenAPI(c *gin.Context) {
	a.docOnce.Do(func() { a.doc = a.openAPI() })
	c.JSON(http.StatusOK, a.doc)
}

var ginParam = regexp.MustCompile(`[:*]([A-Za-z_]+)`)

// openAPI builds the OpenAPI 3 document of every registered route.
func (a *API) openAPI() map[string]any {
	paths := map[string]any{}
	for _, r := range a.routes {
		p := ginParam.ReplaceAllString(r.path, "{$1}")
		item, _ := paths[p].(map[string]any)
		if item == nil {
			item = map[string]any{}
			paths[p] = item
		}
		op := map[string]any{"summary": r.doc.Summary, "tags": []string{r.doc.Tag}}
		var params []any
		for _, m := range ginParam.FindAllStringSubmatch(r.path, -1) {
			params = append(params, map[string]any{"name": m[1], "in": "path", "required": true,
				"schema": map[string]any{"type": "string"}})
		}
		if r.doc.Query != nil {
			params = append(params, queryParams(reflect.TypeOf(r.doc.Query))...)
		}
		if params != nil {
			op["parameters"] = params
		}
		if r.doc.Request != nil {
			op["requestBody"] = map[string]any{"required": true, "content": map[string]any{
				"application/json": map[string]any{"schema": schemaOf(reflect.TypeOf(r.doc.Request))}}}
		}
		status := r.doc.Status
		if status == 0 {
			status = http.StatusOK
		}
		ok := map[string]any{"description": http.StatusText(status)}
		if r.doc.Response != nil {
			ok["content"] = map[string]any{"application/json": map[string]any{"schema": schemaOf(reflect.TypeOf(r.doc.Response))}}
		}
		op["responses"] = map[string]any{
			strconv.Itoa(status): ok,
			"default": map[string]any{"description": "错误", "content": map[string]any{
				"application/json": map[string]any{"schema": schemaOf(reflect.TypeOf(errorBody{}))}}},
		}
		if r.doc.Auth {
			op["security"] = []any{map[string]any{"bearer": []string{}}}
		}
		item[strings.ToLower(r.method)] = op
	}
	return map[string]any{
		"openapi": "3.0.3",
		"info": map[string]any{"title": "lingong 公益性零工市场 API", "version": "1",
			"description": "错误统一为 {code, message, request_id}，HTTP 状态码表示错误类别。"},
		"paths": paths,
		"components": map[string]any{"securitySchemes": map[string]any{
			"bearer": map[string]any{"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}}},
	}
}

var timeType = reflect.TypeOf(time.Time{})

// schemaOf is the JSON schema of a Go type as encoding/json writes it.
func schemaOf(t reflect.Type) map[string]any {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == timeType {
		return map[string]any{"type": "string", "format": "date-time"}
	}
	switch t.Kind() {
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return map[string]any{"type": "integer"}
	case reflect.Float32, reflect.Float64:
		return map[string]any{"type": "number"}
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Slice, reflect.Array:
		return map[string]any{"type": "array", "items": schemaOf(t.Elem())}
	case reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": schemaOf(t.Elem())}
	case reflect.Struct:
		props := map[string]any{}
		var required []string
		for f := range fieldsOf(t) {
			s := schemaOf(f.Type)
			if label := f.Tag.Get("label"); label != "" {
				s["description"] = label
			}
			props[f.name] = s
			if strings.Contains(f.Tag.Get("validate"), "required") {
				required = append(required, f.name)
			}
		}
		out := map[string]any{"type": "object", "properties": props}
		if required != nil {
			out["required"] = required
		}
		return out
	}
	return map[string]any{}
}

type namedField struct {
	reflect.StructField
	name string
}

// fieldsOf yields the exported fields of a struct under their JSON (or form) names, flattening embedded ones.
func fieldsOf(t reflect.Type) func(func(namedField) bool) {
	return func(yield func(namedField) bool) {
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			tag := f.Tag.Get("json")
			if tag == "" {
				tag = f.Tag.Get("form")
			}
			name, _, _ := strings.Cut(tag, ",")
			if name == "-" {
				continue
			}
			if f.Anonymous && name == "" {
				for inner := range fieldsOf(f.Type) {
					if !yield(inner) {
						return
					}
				}
				continue
			}
			if name == "" {
				name = f.Name
			}
			if !yield(namedField{f, name}) {
				return
			}
		}
	}
}

func queryParams(t reflect.Type) []any {
	var out []any
	for f := range fieldsOf(t) {
		p := map[string]any{"name": f.name, "in": "query", "schema": schemaOf(f.Type),
			"required": strings.Contains(f.Tag.Get("validate"), "required")}
		if label := f.Tag.Get("label"); label != "" {
			p["description"] = label
		}
		out = append(out, p)
	}
	return out
}
