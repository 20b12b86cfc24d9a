package handler_test

import (
	"fmt"
	"strings"
	"testing"

	"lingong/model"
	"lingong/model/modeltest"
)

// Who may touch which check-in: the code only to the gig's employer, scans only by workers taken on, the day's
// list (with locations) only to the employer, a mark's answer only by its worker or their family; the code
// never reaches the log.
func TestCheckInRoutes(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		e := newEnv(t, s)
		boss := e.employer("emp")
		other := e.employer("emp2")
		gig := e.publish(boss, map[string]any{"hiring_mode": "first_come"})
		worker := e.worker("w1")
		stranger := e.worker("w2")
		if r := e.do("POST", fmt.Sprintf("/api/v1/gigs/%d/applications", gig), worker, nil); r.Status != 201 {
			t.Fatalf("apply: %s", r.Raw)
		}
		base := fmt.Sprintf("/api/v1/gigs/%d/attendance", gig)

		for _, tok := range []string{worker, other} {
			wantError(t, e.do("GET", base+"/code", tok, nil), 404, "not_found")
		}
		code := e.do("GET", base+"/code", boss, nil)
		token := code.str("token")
		if code.Status != 200 || !strings.HasPrefix(code.str("qr_png"), "data:image/png;base64,") || code.Header.Get("Cache-Control") != "no-store" {
			t.Fatalf("code: %d %s", code.Status, code.Raw)
		}

		wantError(t, e.do("POST", base+"/scan", stranger, map[string]any{"token": token}), 403, "not_taken_on")
		wantError(t, e.do("POST", base+"/scan", worker, map[string]any{"token": token + "0"}), 400, "attendance_code_invalid")
		if r := e.do("POST", base+"/scan", worker, map[string]any{"token": token, "lat": 31.8613}); r.Status != 400 || fieldNames(r) != "lng" {
			t.Fatalf("a latitude alone: %d %s", r.Status, r.Raw)
		}
		r := e.do("POST", base+"/scan", worker, map[string]any{"token": token, "lat": 31.8613, "lng": 117.2831})
		if r.Status != 200 || r.Body["left"] != false || !strings.Contains(r.Raw, `"has_location":true`) || strings.Contains(r.Raw, "31.86") {
			t.Fatalf("scan: %d %s", r.Status, r.Raw)
		}
		r = e.do("POST", base+"/scan", worker, map[string]any{"token": token})
		wantError(t, r, 409, "already_arrived")

		// The day's list: the employer sees where the phone was; nobody else sees the list.
		day := e.do("GET", base, boss, nil)
		if day.Status != 200 || !strings.Contains(day.Raw, `"arrive_location":{"lat":31.8613,"lng":117.2831}`) {
			t.Fatalf("day list: %d %s", day.Status, day.Raw)
		}
		for _, tok := range []string{worker, other} {
			wantError(t, e.do("GET", base, tok, nil), 404, "not_found")
		}
		mine := e.do("GET", "/api/v1/me/attendance", worker, nil)
		if !strings.Contains(mine.Raw, `"gig_title":"小区搬家工"`) || strings.Contains(mine.Raw, "117.28") {
			t.Fatalf("my attendance: %s", mine.Raw)
		}

		// A mark for a second worker, answered by that worker only.
		second := e.worker("w3")
		if r := e.do("POST", fmt.Sprintf("/api/v1/gigs/%d/applications", gig), second, nil); r.Status != 201 {
			t.Fatalf("apply: %s", r.Raw)
		}
		secondID := int(e.do("GET", "/api/v1/me", second, nil).Body["id"].(float64))
		today := s.Now().In(model.Shanghai).Format("2006-01-02")
		mark := map[string]any{"worker_id": secondID, "day": today, "arrived_at": "00:00"}
		wantError(t, e.do("POST", base+"/mark", other, mark), 404, "not_found")
		if r := e.do("POST", base+"/mark", boss, map[string]any{"worker_id": secondID, "day": today, "arrived_at": "7:5"}); r.Status != 400 || fieldNames(r) != "arrived_at" {
			t.Fatalf("a time that is not one: %d %s", r.Status, r.Raw)
		}
		m := e.do("POST", base+"/mark", boss, mark)
		if m.Status != 201 || m.str("method") != "marked" {
			t.Fatalf("mark: %d %s", m.Status, m.Raw)
		}
		markPath := fmt.Sprintf("/api/v1/attendance/%d", int(m.Body["id"].(float64)))
		for _, tok := range []string{boss, worker} {
			wantError(t, e.do("POST", markPath+"/confirm", tok, nil), 404, "not_found")
		}
		if r := e.do("POST", markPath+"/contest", second, map[string]any{"note": strings.Repeat("晚", 201)}); r.Status != 400 || fieldNames(r) != "note" {
			t.Fatalf("a long note: %d %s", r.Status, r.Raw)
		}
		if r := e.do("POST", markPath+"/contest", second, map[string]any{"note": "我八点半才到"}); r.Status != 200 || r.str("answer") != "contested" {
			t.Fatalf("contest: %d %s", r.Status, r.Raw)
		}
		wantError(t, e.do("POST", markPath+"/confirm", second, nil), 409, "wrong_state")

		if strings.Contains(e.logs.String(), token) {
			t.Fatal("the check-in code reached the log")
		}
	})
}
