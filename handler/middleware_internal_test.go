package handler

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
)

func TestPanicBecomesGeneric500(t *testing.T) {
	var logs bytes.Buffer
	gin.SetMode(gin.ReleaseMode)
	e := gin.New()
	e.Use(withRequestID(slog.New(slog.NewTextHandler(&logs, nil))), recoverPanics())
	e.GET("/boom", func(*gin.Context) { panic("dial tcp 10.0.0.5:3306: secret internals") })

	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/boom", nil))
	if rec.Code != 500 {
		t.Fatalf("status %d", rec.Code)
	}
	body := rec.Body.String()
	if strings.Contains(body, "10.0.0.5") || strings.Contains(body, "secret") || strings.Contains(body, "goroutine") {
		t.Fatalf("panic leaked to the client: %s", body)
	}
	rid := rec.Header().Get("X-Request-Id")
	if !strings.Contains(body, `"code":"internal"`) || !strings.Contains(body, rid) {
		t.Fatalf("body %s lacks the code or request id %s", body, rid)
	}
	if !strings.Contains(logs.String(), "secret internals") || !strings.Contains(logs.String(), rid) {
		t.Fatalf("the panic was not logged with its request id: %s", logs.String())
	}
}
