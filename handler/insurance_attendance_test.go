package handler_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"lingong/model"
	"lingong/model/modeltest"
)

// Staff following an injury case read the worker's attendance of that day beside it (the list and the
// answer to a follow-up); the worker's own view of the case does not carry it.
func TestIncidentShowsTheDaysAttendance(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		e := newEnv(t, s)
		boss := e.employer("emp")
		gig := e.publish(boss, map[string]any{"hiring_mode": "first_come"})
		worker := e.workerIn("w1", "340104")
		if r := e.do("POST", fmt.Sprintf("/api/v1/gigs/%d/applications", gig), worker, nil); r.Status != 201 {
			t.Fatalf("apply: %s", r.Raw)
		}
		base := fmt.Sprintf("/api/v1/gigs/%d/attendance", gig)
		if r := e.do("POST", base+"/scan", worker, map[string]any{"token": e.do("GET", base+"/code", boss, nil).str("token")}); r.Status != 200 {
			t.Fatalf("scan: %s", r.Raw)
		}
		policy := e.insured(worker)
		if r := e.do("POST", fmt.Sprintf("/api/v1/admin/insurance/enrollments/%d/confirm", policy), e.admin(), map[string]any{"policy_number": "PA-1"}); r.Status != 200 {
			t.Fatalf("confirm: %s", r.Raw)
		}
		r := e.do("POST", fmt.Sprintf("/api/v1/insurance/enrollments/%d/incidents", policy), worker, map[string]any{
			"happened_at": s.Now().Format(time.RFC3339), "place": "蜀山区工地", "description": "搬钢管时扭伤脚踝"})
		if r.Status != 201 || strings.Contains(r.Raw, `"attendance"`) {
			t.Fatalf("incident: %s", r.Raw)
		}
		const day = `"attendance":[{"id":1,"gig_id":1,"worker_id":`
		list := e.do("GET", "/api/v1/admin/insurance/incidents", e.admin(), nil)
		if !strings.Contains(list.Raw, day) || !strings.Contains(list.Raw, `"method":"scan"`) ||
			!strings.Contains(list.Raw, `"gig_title":"小区搬家工","employer_name":"李**（个人）","answered_by_family":false}]`) {
			t.Fatalf("staff's list: %s", list.Raw)
		}
		follow := e.do("POST", fmt.Sprintf("/api/v1/admin/insurance/incidents/%v", r.Body["id"]), e.admin(), map[string]any{"status": "following", "note": "已联系保险公司"})
		if follow.Status != 200 || !strings.Contains(follow.Raw, day) {
			t.Fatalf("followed: %s", follow.Raw)
		}
		if mine := e.do("GET", "/api/v1/me/insurance", worker, nil); strings.Contains(mine.Raw, `"attendance"`) {
			t.Fatalf("the worker's view: %s", mine.Raw)
		}
		// The console's 报案 tab shows the same day beside the case.
		staffTok, _ := e.staffOf("insurance-staff", "340100")
		cc := newConsoleClient(t, e)
		cc.signIn(staffTok)
		_, page := cc.get("/console/insurance?tab=incidents")
		if i := strings.Index(page, fmt.Sprintf(`id="incident-%v"`, r.Body["id"])); i < 0 ||
			!strings.Contains(page[i:], "小区搬家工") || !strings.Contains(page[i:], "工人扫码") {
			t.Fatalf("the console's injury case without the day's attendance: %.2000s", page)
		}
	})
}
