package handler_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"lingong/model"
	"lingong/model/modeltest"
)

// The work calendar: staff read it, admins replace a year of it (refused tables listing every wrong day, each
// change audited with what changed), and the answer names the years nobody has entered.
func TestWorkCalendarRoutes(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		e := newEnv(t, s)
		e.now = time.Date(2026, 11, 27, 10, 0, 0, 0, model.Shanghai)
		s.Now = func() time.Time { return e.now }
		const path = "/api/v1/admin/work-calendar/"

		wantError(t, e.do("GET", path+"2026", "", nil), 401, "token_missing")
		w := e.worker("w")
		wantError(t, e.do("GET", path+"2026", w, nil), 404, "not_found")
		wantError(t, e.do("PUT", path+"2026", w, map[string]any{"days": []any{}}), 404, "not_found")

		staff, staffID := e.staffOf("hf", "340100")
		r := e.do("GET", path+"2026", staff, nil)
		if r.Status != 200 || r.Body["has_table"] != true || len(r.Body["days"].([]any)) != 39 ||
			fmt.Sprint(r.Body["missing_years"]) != "[2027]" || !strings.Contains(r.str("note"), "2027年") {
			t.Fatalf("staff read 2026: %d %s", r.Status, r.Raw)
		}
		if !strings.Contains(r.Raw, `{"date":"2026-10-10","weekday":"周六","kind":"workday","name":"国庆节","changed_by":0`) {
			t.Fatalf("the make-up Saturday of 国庆: %s", r.Raw)
		}
		var seed []any // what the GET answers, as a PUT sends it
		for _, d := range r.Body["days"].([]any) {
			d := d.(map[string]any)
			seed = append(seed, map[string]any{"date": d["date"], "kind": d["kind"], "name": d["name"]})
		}
		// Staff of a city read it but may not change it.
		wantError(t, e.do("PUT", path+"2026", staff, map[string]any{"days": seed}), 404, "not_found")

		admin := e.admin()
		adminID := int(e.do("GET", "/api/v1/me", admin, nil).Body["id"].(float64))
		r = e.do("GET", path+"2027", admin, nil)
		if r.Status != 200 || r.Body["has_table"] != false || !strings.Contains(r.Raw, `"days":[]`) ||
			fmt.Sprint(r.Body["missing_years"]) != "[2027]" {
			t.Fatalf("2027 has no table: %s", r.Raw)
		}
		wantError(t, e.do("GET", path+"next", admin, nil), 404, "not_found")
		if r := e.do("GET", path+"1999", admin, nil); fieldNames(r) != "year" {
			t.Fatalf("year 1999: %s", r.Raw)
		}

		for _, c := range []struct {
			body   any
			fields string
		}{
			{map[string]any{}, "days"},
			{map[string]any{"days": []any{map[string]any{"date": "2027-01-01", "kind": "off"}}}, "days[0].kind"},
			{map[string]any{"days": []any{map[string]any{"date": "2027-01-01", "kind": "holiday", "name": strings.Repeat("节", 33)}}}, "days[0].name"},
			{map[string]any{"days": []any{
				map[string]any{"date": "2026-12-31", "kind": "holiday"},
				map[string]any{"date": "2027-01-01", "kind": "holiday", "name": "元旦"},
				map[string]any{"date": "2027-01-01", "kind": "holiday"},
				map[string]any{"date": "2027-01-08", "kind": "workday"}, // a Friday
				map[string]any{"date": "2027/01/09", "kind": "workday"},
			}}, "days[0].date,days[2].date,days[3].kind,days[4].date"},
		} {
			r := e.do("PUT", path+"2027", admin, c.body)
			if wantError(t, r, 400, "invalid_input"); fieldNames(r) != c.fields {
				t.Errorf("%v: fields %s, want %s", c.body, r.Raw, c.fields)
			}
		}
		wantError(t, e.do("PUT", path+"2027", admin, `{"days":[],"year":2027}`), 400, "invalid_input")

		// A made-up 2027 table (the real one is not published): it answers with the table, and 2027 is no
		// longer missing.
		r = e.do("PUT", path+"2027", admin, map[string]any{"days": []any{
			map[string]any{"date": "2027-01-01", "kind": "holiday", "name": "元旦"},
			map[string]any{"date": "2027-01-02", "kind": "workday", "name": "元旦"},
		}})
		if r.Status != 200 || r.Body["has_table"] != true || len(r.Body["days"].([]any)) != 2 ||
			fmt.Sprint(r.Body["missing_years"]) != "[]" || r.str("note") != "" ||
			!strings.Contains(r.Raw, fmt.Sprintf(`"kind":"workday","name":"元旦","changed_by":%d`, adminID)) {
			t.Fatalf("replace 2027: %d %s", r.Status, r.Raw)
		}

		// A holiday on Monday 30 November 2026 moves the deadline of a complaint filed on Friday the 27th.
		days := append(seed, map[string]any{"date": "2026-11-30", "kind": "holiday", "name": "临时放假"})
		if r := e.do("PUT", path+"2026", admin, map[string]any{"days": days}); r.Status != 200 || len(r.Body["days"].([]any)) != 40 {
			t.Fatalf("replace 2026: %d %s", r.Status, r.Raw)
		}
		profile := e.do("GET", "/api/v1/me", w, nil)
		c, err := s.FileComplaint(t.Context(), uint64(profile.Body["id"].(float64)), model.ComplaintInput{
			Category: model.ComplaintWageArrears, Description: "干了三天活，工钱一直没给"})
		if err != nil {
			t.Fatal(err)
		}
		if want := time.Date(2026, 12, 3, 10, 0, 0, 0, model.Shanghai); !c.AcceptDue.Equal(want) {
			t.Fatalf("due %v, want %v: the admin's holiday does not count", c.AcceptDue, want)
		}

		// Every change is on the record with what it changed; refused ones are not.
		log := e.do("GET", fmt.Sprintf("/api/v1/admin/audit?actor_id=%d", adminID), admin, nil)
		if strings.Count(log.Raw, `"PUT /api/v1/admin/work-calendar/:year"`) != 2 ||
			!strings.Contains(log.Raw, `"action":"replaced work calendar 2027","target_kind":"work-calendar","target_id":"","detail":"0 天 → 2 天：+2027-01-01 放假 元旦；+2027-01-02 调休上班 元旦"`) ||
			!strings.Contains(log.Raw, `"detail":"39 天 → 40 天：+2026-11-30 放假 临时放假"`) {
			t.Fatalf("audit: %s", log.Raw)
		}
		if log := e.do("GET", fmt.Sprintf("/api/v1/admin/audit?actor_id=%d", staffID), admin, nil); strings.Contains(log.Raw, "work-calendar") {
			t.Fatalf("a refused change is on the record: %s", log.Raw)
		}

		// Removing a day is on the record too, and an empty table removes the year.
		if r := e.do("PUT", path+"2027", admin, map[string]any{"days": []any{}}); r.Status != 200 || r.Body["has_table"] != false ||
			fmt.Sprint(r.Body["missing_years"]) != "[2027]" {
			t.Fatalf("empty 2027: %s", r.Raw)
		}
		log = e.do("GET", fmt.Sprintf("/api/v1/admin/audit?actor_id=%d", adminID), admin, nil)
		if !strings.Contains(log.Raw, "2 天 → 0 天：-2027-01-01 放假 元旦；-2027-01-02 调休上班 元旦") {
			t.Fatalf("audit of a removal: %s", log.Raw)
		}
	})
}
