package handler_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"lingong/handler"
	"lingong/handler/wechat"
	"lingong/model/modeltest"
)

// Whatever a client sends to the request decoders, the answer is a 2xx or a 4xx with a code: never a 500.
func FuzzRequestDecoders(f *testing.F) {
	for _, s := range []string{`{"code":"a"}`, `{"name":"王","id_number":"x","skills":[1e99]}`, `{"title":"","location":{"lat":"north"}}`,
		`[]`, `null`, `{"code":"a"}{"code":"b"}`, "\xff\xfe", `{"skills":[-1],"available_days":[0,8],"home":{"lat":1e400}}`,
		`{"T-APP":"accept","errMsg":7}`, `{"kind":"company","credit_code":"91340100MA2NXK1A0X","contact_phone":"1"}`} {
		f.Add(s)
	}
	e := newEnv(f, modeltest.SQLite(f), func(o *handler.Options) { o.WeChat = wechat.Dev{} })
	token, _ := e.login("fuzzer")
	routes := []struct{ method, path string }{
		{"POST", "/api/v1/auth/login"}, {"POST", "/api/v1/auth/refresh"}, {"PUT", "/api/v1/me/worker"},
		{"PUT", "/api/v1/me/employer"}, {"POST", "/api/v1/gigs/check"}, {"POST", "/api/v1/gigs"},
		{"POST", "/api/v1/complaints"}, {"POST", "/api/v1/me/subscriptions"}, {"POST", "/api/v1/insurance/enrollments"},
	}
	f.Fuzz(func(t *testing.T, body string) {
		for _, rt := range routes {
			req := newJSONRequest(rt.method, rt.path, body)
			req.Header.Set("Authorization", "Bearer "+token)
			if r := e.serve(req); r.Status >= 500 || (r.Status >= 400 && r.str("code") == "") {
				t.Fatalf("%s %s with %q: %d %s", rt.method, rt.path, body, r.Status, r.Raw)
			}
		}
		// The same bytes as a query string of the nearby search.
		req := newJSONRequest(http.MethodGet, "/api/v1/gigs?lat=31.8&lng=117.2&cursor="+url.QueryEscape(body)+"&sort="+url.QueryEscape(strings.TrimSpace(body)), "")
		if r := e.serve(req); r.Status >= 500 {
			t.Fatalf("gigs query %q: %d %s", body, r.Status, r.Raw)
		}
	})
}
