package handler_test

import (
	"fmt"
	"strings"
	"testing"

	"lingong/model"
	"lingong/model/modeltest"
)

// What is owed shows to the worker in 我的报名 and to the gig's employer among the applicants, nobody else; a
// payment below it is recorded, a dispute opens the wage complaint with the days attached, which the worker
// and staff read.
func TestOwedAndTheWageComplaint(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		e := newEnv(t, s)
		boss := e.employer("emp")
		other := e.employer("emp2")
		gig := e.publish(boss, map[string]any{"hiring_mode": "first_come"})
		worker := e.worker("w1")
		apply := e.do("POST", fmt.Sprintf("/api/v1/gigs/%d/applications", gig), worker, nil)
		if apply.Status != 201 {
			t.Fatalf("apply: %s", apply.Raw)
		}
		appID := int(apply.Body["id"].(float64))
		base := fmt.Sprintf("/api/v1/gigs/%d/attendance", gig)
		token := e.do("GET", base+"/code", boss, nil).str("token")
		if r := e.do("POST", base+"/scan", worker, map[string]any{"token": token}); r.Status != 200 {
			t.Fatalf("scan: %s", r.Raw)
		}

		const owed = `"owed":{"wage_unit":"day","days":1,"minutes":0,"open_days":0,"cents":25000}`
		if r := e.do("GET", "/api/v1/me/applications", worker, nil); !strings.Contains(r.Raw, owed) {
			t.Fatalf("my applications: %s", r.Raw)
		}
		applicants := fmt.Sprintf("/api/v1/gigs/%d/applications", gig)
		if r := e.do("GET", applicants, boss, nil); !strings.Contains(r.Raw, owed) {
			t.Fatalf("applicants: %s", r.Raw)
		}
		wantError(t, e.do("GET", applicants, other, nil), 404, "not_found")

		app := fmt.Sprintf("/api/v1/applications/%d", appID)
		wantError(t, e.do("POST", app+"/complete", other, map[string]any{"amount_paid_cents": 10000}), 404, "not_found")
		if r := e.do("POST", app+"/complete", boss, map[string]any{"amount_paid_cents": 10000}); r.Status != 200 {
			t.Fatalf("complete: %s", r.Raw)
		}
		wantError(t, e.do("POST", app+"/dispute", boss, nil), 404, "not_found")
		if r := e.do("POST", app+"/dispute", worker, map[string]any{"note": "只给了一百"}); r.Status != 200 {
			t.Fatalf("dispute: %s", r.Raw)
		}
		list := e.do("GET", "/api/v1/complaints", worker, nil)
		items, _ := list.Body["items"].([]any)
		if len(items) != 1 {
			t.Fatalf("complaints: %s", list.Raw)
		}
		id := int(items[0].(map[string]any)["id"].(float64))
		for _, r := range []response{e.do("GET", fmt.Sprintf("/api/v1/complaints/%d", id), worker, nil),
			e.do("GET", fmt.Sprintf("/api/v1/admin/complaints/%d", id), e.admin(), nil)} {
			if r.Status != 200 || !strings.Contains(r.Raw, `"category":"wage_arrears"`) ||
				!strings.Contains(r.Raw, "签到记录：出勤1天，应付250元，雇主填的实付100元") ||
				!strings.Contains(r.Raw, `"method":"scan"`) || !strings.Contains(r.Raw, `"owed":{"wage_unit":"day","days":1,`) {
				t.Fatalf("the complaint: %d %s", r.Status, r.Raw)
			}
		}
		wantError(t, e.do("GET", fmt.Sprintf("/api/v1/complaints/%d", id), boss, nil), 404, "not_found")
	})
}
