package handler_test

import (
	"encoding/json"
	"net/http"
	"sort"
	"strings"
	"testing"

	"lingong/model/modeltest"
)

func TestRequestIDs(t *testing.T) {
	e := newEnv(t, modeltest.SQLite(t))
	req := newJSONRequest("GET", "/healthz", "")
	req.Header.Set("X-Request-Id", "abc-123-from-nginx")
	if got := e.serve(req).Header.Get("X-Request-Id"); got != "abc-123-from-nginx" {
		t.Fatalf("a sane request id is echoed; got %q", got)
	}
	for _, bad := range []string{"short", strings.Repeat("x", 100), "evil\nlog-line-injection", "<script>"} {
		req := newJSONRequest("GET", "/healthz", "")
		req.Header.Set("X-Request-Id", bad)
		got := e.serve(req).Header.Get("X-Request-Id")
		if got == bad || len(got) != 24 {
			t.Errorf("unsafe id %q: answered %q, want a fresh one", bad, got)
		}
	}
	wantError(t, e.do("GET", "/api/v1/nowhere", "", nil), http.StatusNotFound, "not_found")
	wantError(t, e.do("DELETE", "/api/v1/me", "", nil), http.StatusMethodNotAllowed, "method_not_allowed")
}

func TestDatabaseFailureAnswersGenerically(t *testing.T) {
	s := modeltest.SQLite(t)
	e := newEnv(t, s)
	access, _ := e.login("hal")
	if r := e.do("GET", "/readyz", "", nil); r.Status != 200 {
		t.Fatalf("readyz: %d", r.Status)
	}
	s.Close()
	r := e.do("GET", "/api/v1/me", access, nil)
	// A closed pool is no known model error, so it must take the generic path: 500 internal, nothing more.
	wantError(t, r, http.StatusInternalServerError, "internal")
	for _, leak := range []string{"sql", "database is closed", "SELECT", "goroutine", ".go:"} {
		if strings.Contains(r.Raw, leak) {
			t.Fatalf("5xx body shows %q: %s", leak, r.Raw)
		}
	}
	if len(r.Body) != 3 {
		t.Fatalf("5xx body has more than code, message and request_id: %s", r.Raw)
	}
	if !strings.Contains(e.logs.String(), r.str("request_id")) {
		t.Fatal("the internal error was not logged under its request id")
	}
	wantError(t, e.do("GET", "/readyz", "", nil), http.StatusServiceUnavailable, "db_unavailable")
	if r := e.do("GET", "/healthz", "", nil); r.Status != 200 {
		t.Fatalf("healthz is about the process only: %d", r.Status)
	}
}

func TestMetrics(t *testing.T) {
	e := newEnv(t, modeltest.SQLite(t))
	e.do("GET", "/healthz", "", nil)
	e.do("GET", "/api/v1/me", "", nil)
	r := e.do("GET", "/metrics", "", nil)
	for _, want := range []string{
		`lingong_http_requests_total{method="GET",route="/healthz",status="200"} 1`,
		`lingong_http_requests_total{method="GET",route="/api/v1/me",status="401"} 1`,
		`lingong_http_request_duration_seconds_bucket`,
	} {
		if !strings.Contains(r.Raw, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}

// The OpenAPI document lists exactly the routes gin serves.
func TestOpenAPIListsEveryRoute(t *testing.T) {
	e := newEnv(t, modeltest.SQLite(t))
	r := e.do("GET", "/api/v1/openapi.json", "", nil)
	var doc struct {
		OpenAPI string                               `json:"openapi"`
		Paths   map[string]map[string]map[string]any `json:"paths"`
	}
	if err := json.Unmarshal([]byte(r.Raw), &doc); err != nil || doc.OpenAPI == "" {
		t.Fatalf("openapi.json: %v %s", err, r.Raw[:min(200, len(r.Raw))])
	}
	documented := map[string]bool{}
	for path, ops := range doc.Paths {
		for method, op := range ops {
			documented[strings.ToUpper(method)+" "+path] = true
			if op["summary"] == "" {
				t.Errorf("%s %s has no summary", method, path)
			}
		}
	}
	served := map[string]bool{}
	for _, rt := range e.api.Routes() {
		p := rt.Path
		for _, seg := range strings.Split(p, "/") {
			if strings.HasPrefix(seg, ":") || strings.HasPrefix(seg, "*") {
				p = strings.Replace(p, seg, "{"+seg[1:]+"}", 1)
			}
		}
		served[rt.Method+" "+p] = true
	}
	var missing, extra []string
	for k := range served {
		if !documented[k] {
			missing = append(missing, k)
		}
	}
	for k := range documented {
		if !served[k] {
			extra = append(extra, k)
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	if len(missing) > 0 || len(extra) > 0 {
		t.Fatalf("served but not documented: %v\ndocumented but not served: %v", missing, extra)
	}
	login := doc.Paths["/api/v1/auth/login"]["post"]
	body, _ := json.Marshal(login["requestBody"])
	if !strings.Contains(string(body), `"code"`) || !strings.Contains(string(body), `"required":["code"]`) {
		t.Fatalf("login request schema: %s", body)
	}
}
