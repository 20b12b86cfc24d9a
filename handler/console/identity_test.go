package console

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"lingong/model"
)

// staffSessions signs everyone in as staff of 合肥; auditErr is what writing the audit log answers.
type staffSessions struct {
	SessionStore
	auditErr error
}

func (staffSessions) ConsoleSessionOf(context.Context, string) (*model.ConsoleSession, error) {
	return &model.ConsoleSession{ID: 7, UserID: 5}, nil
}
func (staffSessions) StaffScope(context.Context, uint64) (model.Scope, error) {
	return model.Scope{Prefix: "3401", UserID: 5}, nil
}
func (s staffSessions) Audit(context.Context, model.AuditLog) error { return s.auditErr }

type pendingPolicy struct{ InsuranceStore }

func (pendingPolicy) PendingPolicies(context.Context, model.Scope) ([]model.WorkerPolicy, error) {
	return []model.WorkerPolicy{{InsurancePolicy: model.InsurancePolicy{ID: 3, WorkerID: 9}}}, nil
}
func (pendingPolicy) InsuredIdentity(context.Context, model.Scope, uint64) (*model.InsurancePolicy, *model.Identity, error) {
	return &model.InsurancePolicy{ID: 3, WorkerID: 9}, &model.Identity{Name: "王建国", IDNumber: "340104196805120011", Phone: "13912345678"}, nil
}

// A full identity is shown only once its read is on the audit log: when the log cannot be written, the page
// answers an error and shows nothing of the person.
func TestIdentityShownOnlyWhenAudited(t *testing.T) {
	gin.SetMode(gin.TestMode)
	reveal := func(auditErr error) *httptest.ResponseRecorder {
		con, err := New(Options{Sessions: staffSessions{auditErr: auditErr}, Insurance: pendingPolicy{},
			Explain: func(err error) Problem {
				if errors.Is(err, ErrCrossSite) || errors.Is(err, ErrFormExpired) {
					return Problem{Status: http.StatusForbidden, Code: "cross_site", Message: "拒绝"}
				}
				return Problem{Status: http.StatusInternalServerError, Code: "internal", Message: "服务器出了点问题"}
			},
			RequestID: func(*gin.Context) string { return "r1" },
			Logger:    func(*gin.Context) *slog.Logger { return slog.New(slog.DiscardHandler) }})
		if err != nil {
			t.Fatal(err)
		}
		engine := gin.New()
		for _, r := range con.Routes() {
			engine.Handle(r.Method, r.Path, r.Handlers...)
		}
		req := httptest.NewRequest(http.MethodPost, "/console/insurance/policies/3/identity",
			strings.NewReader(url.Values{formField: {formTokenOf("cookie")}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", "http://example.com")
		req.Host = "example.com"
		req.AddCookie(&http.Cookie{Name: sessionCookie, Value: "cookie"})
		rec := httptest.NewRecorder()
		engine.ServeHTTP(rec, req)
		return rec
	}
	if rec := reveal(nil); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "340104196805120011") {
		t.Fatalf("an audited read: %d %.300s", rec.Code, rec.Body.String())
	}
	if rec := reveal(errors.New("audit log down")); rec.Code != http.StatusInternalServerError ||
		strings.Contains(rec.Body.String(), "王建国") || strings.Contains(rec.Body.String(), "340104196805120011") {
		t.Fatalf("an unaudited read: %d %.300s", rec.Code, rec.Body.String())
	}
}
