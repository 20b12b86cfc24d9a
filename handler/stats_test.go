package handler_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"lingong/model"
	"lingong/model/modeltest"
)

func TestStatsAndMonthlyReport(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) { statsAndReport(t, newEnv(t, s)) })
}

func statsAndReport(t *testing.T, e *env) {
	boss := e.employer("emp")
	gig := e.publish(boss, map[string]any{"hiring_mode": "first_come", "headcount": 1, "wage_cents": 30000})
	e.publish(boss, map[string]any{"wage_cents": 20000})
	w1, w2 := e.worker("w1"), e.worker("w2")
	e.do("POST", fmt.Sprintf("/api/v1/gigs/%d/applications", gig), w1, nil)
	e.do("POST", fmt.Sprintf("/api/v1/gigs/%d/applications", gig), w2, nil) // full
	e.do("POST", "/api/v1/complaints", w1, map[string]any{"category": "fees", "description": "让我先交押金两百元"})

	today := e.store.Now().Format(time.DateOnly)
	admin := e.admin()
	r := e.do("GET", "/api/v1/admin/stats?from="+today+"&to="+today, admin, nil)
	if r.Status != 200 {
		t.Fatalf("stats: %s", r.Raw)
	}
	want := map[string]float64{"workers_registered": 2, "employers_registered": 1, "gigs_posted": 2, "gigs_published": 2,
		"gigs_filled": 1, "applications": 1, "confirmations": 1, "match_rate": 1}
	for k, v := range want {
		if r.Body[k].(float64) != v {
			t.Errorf("%s = %v, want %v", k, r.Body[k], v)
		}
	}
	if !strings.Contains(r.Raw, `"median_daily_cents":25000`) || !strings.Contains(r.Raw, `"category":"fees","status":"submitted","count":1`) {
		t.Fatalf("wages and complaints: %s", r.Raw)
	}
	wantError(t, e.do("GET", "/api/v1/admin/stats?from=2026-13-01&to="+today, admin, nil), 400, "invalid_input")
	huainan, _ := e.staffOf("hn", "340400")
	wantError(t, e.do("GET", "/api/v1/admin/stats?from="+today+"&to="+today+"&area=340104", huainan, nil), 404, "not_found")
	if r := e.do("GET", "/api/v1/admin/stats?from="+today+"&to="+today, huainan, nil); r.Body["gigs_posted"].(float64) != 0 {
		t.Fatalf("淮南 staff see 合肥's gigs: %s", r.Raw)
	}
	wantError(t, e.do("GET", "/api/v1/admin/stats?from="+today+"&to="+today, w1, nil), 404, "not_found")

	xl := e.do("GET", "/api/v1/admin/reports/monthly.xlsx?month="+today[:7], admin, nil)
	if xl.Status != 200 || !strings.Contains(xl.Header.Get("Content-Type"), "spreadsheetml") {
		t.Fatalf("report: %d %s", xl.Status, xl.Header)
	}
	f, err := excelize.OpenReader(bytes.NewReader([]byte(xl.Raw)))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if v, _ := f.GetCellValue("概况", "B9"); v != "1" {
		t.Errorf("confirmations cell B9 = %q", v)
	}
	if v, _ := f.GetCellValue("工资", "D2"); v != "250" {
		t.Errorf("median daily wage D2 = %q", v)
	}
	if v, _ := f.GetCellValue("投诉", "A2"); v != "fees" {
		t.Errorf("complaints A2 = %q", v)
	}
	wantError(t, e.do("GET", "/api/v1/admin/reports/monthly.xlsx?month=11-2026", admin, nil), 400, "invalid_input")
}
