package handler

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/go-playground/validator/v10"
)

// validate checks request types. Field names in errors are the JSON names the client sent.
var validate = func() *validator.Validate {
	v := validator.New(validator.WithRequiredStructEnabled())
	v.RegisterTagNameFunc(func(f reflect.StructField) string {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			return ""
		}
		if name == "" {
			name, _, _ = strings.Cut(f.Tag.Get("form"), ",")
		}
		return name
	})
	return v
}()

// bindJSON decodes the body into a request type, refusing unknown fields and trailing data, then validates
// it, listing every wrong field at once so that the user fixes them in one go.
func bindJSON(c *gin.Context, dst any) error {
	dec := json.NewDecoder(c.Request.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return decodeError(err)
	}
	if dec.More() {
		return errInvalidJSON
	}
	return validateRequest(dst)
}

// bindQuery reads query parameters into a request type and validates it.
func bindQuery(c *gin.Context, dst any) error {
	if err := c.ShouldBindQuery(dst); err != nil {
		var verrs validator.ValidationErrors
		if !errors.As(err, &verrs) {
			return &apiError{Status: http.StatusBadRequest, Code: "invalid_input", Message: "查询条件不对，请重新选择",
				Fields: []fieldError{{Field: "query", Message: "格式不对"}}}
		}
	}
	return validateRequest(dst)
}

func decodeError(err error) error {
	var maxErr *http.MaxBytesError
	var typeErr *json.UnmarshalTypeError
	switch {
	case errors.As(err, &maxErr):
		return errBodyTooLarge
	case errors.Is(err, io.EOF):
		return &apiError{Status: http.StatusBadRequest, Code: "invalid_json", Message: "没有收到内容，请重试"}
	case errors.As(err, &typeErr):
		return invalidFields(fieldError{Field: typeErr.Field, Message: "格式不对"})
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return invalidFields(fieldError{Field: name, Message: "不认识这一项"})
	}
	return errInvalidJSON
}

func invalidFields(fields ...fieldError) *apiError {
	return &apiError{Status: http.StatusBadRequest, Code: "invalid_input", Message: "有几项没填对，请看红字提示改一下", Fields: fields}
}

func validateRequest(dst any) error {
	if v := reflect.Indirect(reflect.ValueOf(dst)); v.Kind() != reflect.Struct {
		return nil // a free-form object (a map) has no rules of its own; its handler checks it
	}
	err := validate.Struct(dst)
	if err == nil {
		return nil
	}
	var verrs validator.ValidationErrors
	if !errors.As(err, &verrs) {
		return err
	}
	fields := make([]fieldError, 0, len(verrs))
	for _, fe := range verrs {
		fields = append(fields, fieldError{Field: fieldPath(fe), Message: ruleMessage(fe)})
	}
	return invalidFields(fields...)
}

// fieldPath is the field's JSON path without the request type's name: "items[0].name".
func fieldPath(fe validator.FieldError) string {
	_, path, found := strings.Cut(fe.Namespace(), ".")
	if !found {
		return fe.Field()
	}
	return path
}

// ruleMessage says in plain Chinese what a validation rule wants.
func ruleMessage(fe validator.FieldError) string {
	switch fe.Tag() {
	case "required", "required_without", "required_if":
		return "必须填写"
	case "max":
		if fe.Kind() == reflect.String {
			return fmt.Sprintf("最多 %s 个字", fe.Param())
		}
		return fmt.Sprintf("不能大于 %s", fe.Param())
	case "min":
		if fe.Kind() == reflect.String {
			return fmt.Sprintf("至少 %s 个字", fe.Param())
		}
		return fmt.Sprintf("不能小于 %s", fe.Param())
	case "len":
		return fmt.Sprintf("应该是 %s 位", fe.Param())
	case "gte":
		return fmt.Sprintf("不能小于 %s", fe.Param())
	case "lte":
		return fmt.Sprintf("不能大于 %s", fe.Param())
	case "gt":
		return fmt.Sprintf("必须大于 %s", fe.Param())
	case "oneof":
		return "只能选：" + strings.ReplaceAll(fe.Param(), " ", "、")
	case "numeric", "number":
		return "只能填数字"
	case "latitude", "longitude":
		return "位置不对，请重新定位"
	case "dive":
		return "内容不对"
	}
	return "填得不对"
}
