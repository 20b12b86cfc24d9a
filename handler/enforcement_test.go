package handler_test

import (
	"fmt"
	"strings"
	"testing"

	"lingong/model/modeltest"
)

// Taking down a gig and suspending an employer: who may call, and every refusal with its status and code.
func TestTakeDownAndSuspendRoutes(t *testing.T) {
	e := newEnv(t, modeltest.SQLite(t))
	admin := e.admin()
	boss := e.employer("emp")
	gig := e.publish(boss, nil)
	empID := int(e.do("GET", "/api/v1/me/employer", boss, nil).Body["id"].(float64))
	worker := e.worker("w")
	rival := e.employer("emp2")
	huainan, _ := e.staffOf("huainan", "340400")
	// A staff member of 合肥 who is also the employer: their own business.
	own, _ := e.staffOf("emp", "340100")
	takeDown := fmt.Sprintf("/api/v1/admin/gigs/%d/take-down", gig)
	suspend := fmt.Sprintf("/api/v1/admin/employers/%d/suspend", empID)
	reinstate := fmt.Sprintf("/api/v1/admin/employers/%d/reinstate", empID)
	reason := map[string]any{"reason": "多名工人反映工资和说明不符"}

	for _, tc := range []struct {
		name, path, token string
		body              any
		status            int
		code              string
	}{
		{"signed out", takeDown, "", reason, 401, "token_missing"},
		{"a worker", takeDown, worker, reason, 404, "not_found"},
		{"another employer", suspend, rival, reason, 404, "not_found"},
		{"staff of another area", takeDown, huainan, reason, 404, "not_found"},
		{"staff of another area", suspend, huainan, reason, 404, "not_found"},
		{"no reason", takeDown, admin, map[string]any{}, 400, "invalid_input"},
		{"no reason", suspend, admin, map[string]any{"reason": ""}, 400, "invalid_input"},
		{"a reason too long", suspend, admin, map[string]any{"reason": strings.Repeat("长", 201)}, 400, "invalid_input"},
		{"their own gig", takeDown, own, reason, 409, "conflict_of_interest"},
		{"their own registration", suspend, own, reason, 409, "conflict_of_interest"},
		{"no such gig", "/api/v1/admin/gigs/999999/take-down", admin, reason, 404, "not_found"},
		{"lifting what is not suspended", reinstate, admin, nil, 409, "wrong_state"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantError(t, e.do("POST", tc.path, tc.token, tc.body), tc.status, tc.code)
		})
	}

	r := e.do("POST", takeDown, admin, reason)
	if r.Status != 200 || r.str("status") != "rejected" || r.str("reject_reason") != "多名工人反映工资和说明不符" {
		t.Fatalf("take down: %d %s", r.Status, r.Raw)
	}
	wantError(t, e.do("POST", takeDown, admin, reason), 409, "wrong_state")
	if r := e.do("GET", "/api/v1/gigs?lat=31.8650&lng=117.2830", "", nil); strings.Contains(r.Raw, `"id"`) {
		t.Fatalf("a taken-down gig still listed: %s", r.Raw)
	}

	other := e.publish(boss, nil)
	r = e.do("POST", suspend, admin, map[string]any{"reason": "多次虚假招工，请到零工市场说明"})
	if r.Status != 200 || r.str("status") != "suspended" || r.str("reject_reason") != "多次虚假招工，请到零工市场说明" {
		t.Fatalf("suspend: %d %s", r.Status, r.Raw)
	}
	e.follow()
	if r := e.do("GET", "/api/v1/gigs?lat=31.8650&lng=117.2830", "", nil); strings.Contains(r.Raw, fmt.Sprintf(`"id":%d`, other)) {
		t.Fatalf("a suspended employer's gig still listed: %s", r.Raw)
	}
	wantError(t, e.do("POST", "/api/v1/gigs", boss, e.gigBody(nil)), 403, "employer_suspended")
	wantError(t, e.do("POST", suspend, admin, reason), 409, "wrong_state")
	if r := e.do("GET", "/api/v1/me/employer", boss, nil); r.str("status") != "suspended" || r.str("reject_reason") == "" {
		t.Fatalf("what the employer sees: %s", r.Raw)
	}

	wantError(t, e.do("POST", reinstate, huainan, nil), 404, "not_found")
	if r := e.do("POST", reinstate, admin, nil); r.Status != 200 || r.str("status") != "verified" {
		t.Fatalf("reinstate: %d %s", r.Status, r.Raw)
	}
	e.follow()
	if r := e.do("GET", "/api/v1/gigs?lat=31.8650&lng=117.2830", "", nil); !strings.Contains(r.Raw, fmt.Sprintf(`"id":%d`, other)) {
		t.Fatalf("the gig back after the lift: %s", r.Raw)
	}

	// Each change, and each refusal as the staff member's own business, is on the audit record.
	audit := e.do("GET", "/api/v1/admin/audit", admin, nil).Raw
	for _, action := range []string{"POST /api/v1/admin/gigs/:id/take-down", "POST /api/v1/admin/employers/:id/suspend",
		"POST /api/v1/admin/employers/:id/reinstate", "refused (conflict of interest) POST /api/v1/admin/gigs/:id/take-down"} {
		if !strings.Contains(audit, `"action":"`+action+`"`) {
			t.Errorf("not audited: %s", action)
		}
	}
}
