package handler_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"lingong/handler/wechat/wechattest"
	"lingong/model"
	"lingong/model/modeltest"
)

func (e *env) admin() string {
	a, _ := e.login("boss") // o-boss is an admin in newEnv
	return a
}

var seq int

func (e *env) worker(code string) string {
	e.t.Helper()
	tok, _ := e.login(code)
	seq++
	r := e.do("PUT", "/api/v1/me/worker", tok, map[string]any{"name": "王建国", "id_number": modeltest.IDNumber("19680512", seq),
		"skills": []int{1, 2}, "expected_daily_wage_cents": 20000, "available_days": []int{1, 2, 3, 4, 5},
		"home": map[string]any{"lat": 31.86, "lng": 117.28, "address": "蜀山区"}})
	if r.Status != 200 {
		e.t.Fatalf("worker: %d %s", r.Status, r.Raw)
	}
	return tok
}

func (e *env) employer(code string) string {
	e.t.Helper()
	tok, _ := e.login(code)
	seq++
	r := e.do("PUT", "/api/v1/me/employer", tok, map[string]any{"kind": "person", "legal_name": "李大海",
		"id_number": modeltest.IDNumber("19800101", seq), "contact_name": "李先生", "contact_phone": "13900001111", "area_code": "340104"})
	if r.Status != 200 || r.str("status") != "pending" {
		e.t.Fatalf("employer: %d %s", r.Status, r.Raw)
	}
	id := int(r.Body["id"].(float64))
	if r := e.do("POST", fmt.Sprintf("/api/v1/admin/employers/%d/approve", id), e.admin(), nil); r.Status != 200 {
		e.t.Fatalf("approve employer: %d %s", r.Status, r.Raw)
	}
	return tok
}

func (e *env) gigBody(overrides map[string]any) map[string]any {
	today := e.store.Now().Format(time.DateOnly)
	body := map[string]any{"title": "小区搬家工", "category_id": 1, "description": "搬家具，包午饭", "headcount": 2,
		"wage_cents": 25000, "wage_unit": "day", "settlement": "daily", "start_date": today, "end_date": today,
		"work_hours": "08:00-17:00", "address": "合肥市蜀山区长江西路100号", "location": map[string]any{"lat": 31.8612, "lng": 117.2830},
		"area_code": "340104", "contact_phone": "13900001111", "hiring_mode": "select"}
	for k, v := range overrides {
		body[k] = v
	}
	return body
}

// publish posts a gig and has the admin approve it.
func (e *env) publish(tok string, overrides map[string]any) int {
	e.t.Helper()
	r := e.do("POST", "/api/v1/gigs", tok, e.gigBody(overrides))
	if r.Status != 201 {
		e.t.Fatalf("post gig: %d %s", r.Status, r.Raw)
	}
	id := int(r.Body["id"].(float64))
	if r := e.do("POST", fmt.Sprintf("/api/v1/admin/gigs/%d/approve", id), e.admin(), nil); r.Status != 200 {
		e.t.Fatalf("approve gig: %d %s", r.Status, r.Raw)
	}
	return id
}

func fieldNames(r response) string {
	var names []string
	fields, _ := r.Body["fields"].([]any)
	for _, f := range fields {
		names = append(names, f.(map[string]any)["field"].(string))
	}
	return strings.Join(names, ",")
}

func TestWorkerRegistration(t *testing.T) {
	e := newEnv(t, modeltest.SQLite(t))
	tok, _ := e.login("w")
	wantError(t, e.do("GET", "/api/v1/me/worker", tok, nil), 404, "profile_missing")

	r := e.do("PUT", "/api/v1/me/worker", tok, map[string]any{"name": "王", "id_number": "340104196805121230", "skills": []int{99}})
	wantError(t, r, 400, "invalid_input")
	if got := fieldNames(r); got != "name,id_number,skills" {
		t.Fatalf("fields: %s (%s)", got, r.Raw)
	}
	wantError(t, e.do("PUT", "/api/v1/me/worker", tok, map[string]any{"name": "王建国"}), 400, "invalid_input")

	r = e.do("PUT", "/api/v1/me/worker", tok, map[string]any{"name": "王建国", "id_number": modeltest.IDNumber("19680512", 7),
		"skills": []int{3}, "available_days": []int{6, 7}})
	if r.Status != 200 || r.str("sex") != "male" || r.str("id_number") != "340104********"+modeltest.IDNumber("19680512", 7)[14:] {
		t.Fatalf("register: %d %s", r.Status, r.Raw)
	}
	if age := r.Body["age"].(float64); age < 58 {
		t.Fatalf("age %v", age)
	}
	if r := e.do("GET", "/api/v1/me", tok, nil); !strings.Contains(r.Raw, `"worker"`) {
		t.Fatalf("the worker role: %s", r.Raw)
	}
	// Saved again as the form shows it (the ID masked, so sent empty): the stored number stays, nothing is lost.
	r = e.do("PUT", "/api/v1/me/worker", tok, map[string]any{"name": "王建国", "skills": []int{3}, "available_days": []int{6, 7},
		"expected_daily_wage_cents": 20000, "area_code": "340104", "wants_unemployment_registration": true})
	if r.Status != 200 || r.str("id_number") != "340104********"+modeltest.IDNumber("19680512", 7)[14:] || r.str("sex") != "male" ||
		r.str("area_code") != "340104" || r.Body["expected_daily_wage_cents"].(float64) != 20000 || r.Body["wants_unemployment_registration"] != true {
		t.Fatalf("unchanged save: %d %s", r.Status, r.Raw)
	}
	// Someone else registering with the same number is answered as anyone would be: nothing tells them the
	// number is registered. Staff settle it at the window (TestIdentityClaims).
	other, _ := e.login("w2")
	if r := e.do("PUT", "/api/v1/me/worker", other, map[string]any{"name": "张三", "id_number": modeltest.IDNumber("19680512", 7),
		"skills": []int{3}}); r.Status != 200 || r.str("id_number") != "340104********"+modeltest.IDNumber("19680512", 7)[14:] {
		t.Fatalf("a second registration of the number: %d %s", r.Status, r.Raw)
	}
	other, _ = e.login("w3")
	// A first registration has no stored number to keep.
	r = e.do("PUT", "/api/v1/me/worker", other, map[string]any{"name": "张三", "skills": []int{3}})
	if wantError(t, r, 400, "invalid_input"); fieldNames(r) != "id_number" {
		t.Fatalf("fields: %s", r.Raw)
	}
}

func TestEmployerRegistrationAndReviewScope(t *testing.T) {
	e := newEnv(t, modeltest.SQLite(t))
	tok, _ := e.login("emp")
	r := e.do("PUT", "/api/v1/me/employer", tok, map[string]any{"kind": "company", "company_name": "合肥好帮手家政有限公司",
		"credit_code": "91340100MA2NXK1A00", "contact_name": "赵经理", "contact_phone": "13900002222", "area_code": "340104"})
	wantError(t, r, 400, "invalid_input")
	if fieldNames(r) != "credit_code" {
		t.Fatalf("fields: %s", r.Raw)
	}
	r = e.do("PUT", "/api/v1/me/employer", tok, map[string]any{"kind": "person", "legal_name": "赵四",
		"id_number": modeltest.IDNumber("19750101", 1), "contact_name": "赵四", "contact_phone": "13900002222", "area_code": "340104"})
	if r.Status != 200 || r.str("status") != "pending" || r.str("display_name") != "赵*（个人）" || r.str("contact_phone") != "139****2222" {
		t.Fatalf("register: %s", r.Raw)
	}
	empID := int(r.Body["id"].(float64))
	// The owner's form reloads what is stored; saved unchanged with the masked fields left empty, it keeps them.
	if r := e.do("GET", "/api/v1/me/employer", tok, nil); r.str("legal_name") != "赵四" || r.str("id_number") == "" {
		t.Fatalf("reload: %s", r.Raw)
	}
	r = e.do("PUT", "/api/v1/me/employer", tok, map[string]any{"kind": "person", "legal_name": "赵四", "contact_name": "赵四", "area_code": "340104"})
	if r.Status != 200 || r.str("contact_phone") != "139****2222" || r.str("id_number") != "340104********"+modeltest.IDNumber("19750101", 1)[14:] {
		t.Fatalf("unchanged save: %s", r.Raw)
	}
	// Verified, then renamed with the same masked name (赵*): it is a new identity and goes back to review.
	if r := e.do("POST", fmt.Sprintf("/api/v1/admin/employers/%d/approve", int(r.Body["id"].(float64))), e.admin(), nil); r.Status != 200 {
		t.Fatalf("approve: %s", r.Raw)
	}
	r = e.do("PUT", "/api/v1/me/employer", tok, map[string]any{"kind": "person", "legal_name": "赵五", "contact_name": "赵四", "area_code": "340104"})
	if r.Status != 200 || r.str("status") != "pending" {
		t.Fatalf("renamed person stays verified: %s", r.Raw)
	}

	// Staff of 淮南 cannot see or decide a 合肥 employer; a plain user finds no admin routes at all.
	staffTok, _ := e.login("huainan-staff")
	staffID := int(e.do("GET", "/api/v1/me", staffTok, nil).Body["id"].(float64))
	wantError(t, e.do("GET", "/api/v1/admin/reviews?kind=employer", staffTok, nil), 404, "not_found")
	if r := e.do("POST", "/api/v1/admin/staff", e.admin(), map[string]any{"user_id": staffID, "name": "淮南工作人员", "area_code": "340400"}); r.Status != 204 {
		t.Fatalf("add staff: %d %s", r.Status, r.Raw)
	}
	wantError(t, e.do("POST", "/api/v1/admin/staff", staffTok, map[string]any{"user_id": staffID, "name": "全省工作人员", "area_code": "340000"}), 404, "not_found")
	if r := e.do("GET", "/api/v1/admin/reviews?kind=employer", staffTok, nil); r.Status != 200 || strings.Contains(r.Raw, "赵") {
		t.Fatalf("淮南 queue: %s", r.Raw)
	}
	wantError(t, e.do("POST", fmt.Sprintf("/api/v1/admin/employers/%d/approve", empID), staffTok, nil), 404, "not_found")
	wantError(t, e.do("GET", "/api/v1/admin/reviews?kind=everything", e.admin(), nil), 400, "invalid_input")

	admin := e.admin()
	if r := e.do("GET", "/api/v1/admin/reviews?kind=employer", admin, nil); !strings.Contains(r.Raw, "赵*（个人）") {
		t.Fatalf("admin queue: %s", r.Raw)
	}
	wantError(t, e.do("POST", fmt.Sprintf("/api/v1/admin/employers/%d/reject", empID), admin, map[string]any{}), 400, "invalid_input")
	r = e.do("POST", fmt.Sprintf("/api/v1/admin/employers/%d/reject", empID), admin, map[string]any{"reason": "身份证与姓名不符"})
	if r.Status != 200 || r.str("status") != "rejected" || r.str("reject_reason") != "身份证与姓名不符" {
		t.Fatalf("reject: %s", r.Raw)
	}
	wantError(t, e.do("POST", "/api/v1/gigs", tok, e.gigBody(nil)), 403, "employer_not_verified")
}

func TestGigPostingReviewAndBrowsing(t *testing.T) {
	e := newEnv(t, modeltest.SQLite(t))
	boss := e.employer("emp")
	admin := e.admin()

	r := e.do("POST", "/api/v1/gigs/check", boss, e.gigBody(map[string]any{"description": "限男性，50岁以下"}))
	if r.Status != 200 || !strings.Contains(r.Raw, `"phrase":"限男性"`) || !strings.Contains(r.Raw, `"phrase":"50岁以下"`) {
		t.Fatalf("check: %s", r.Raw)
	}
	r = e.do("POST", "/api/v1/gigs", boss, e.gigBody(map[string]any{"description": "限男性"}))
	if r.Status != 201 || r.str("status") != "pending_review" || !strings.Contains(r.Raw, "限男性") {
		t.Fatalf("post: %d %s", r.Status, r.Raw)
	}
	id := int(r.Body["id"].(float64))
	gigPath := fmt.Sprintf("/api/v1/gigs/%d", id)
	wantError(t, e.do("POST", gigPath+"/close", "", nil), 401, "token_missing")
	wantError(t, e.do("POST", fmt.Sprintf("/api/v1/admin/gigs/%d/approve", id), admin, nil), 409, "discriminatory_content")

	// Not published yet: nobody else can see it.
	w := e.worker("w")
	wantError(t, e.do("GET", gigPath, w, nil), 404, "not_found")
	wantError(t, e.do("POST", gigPath+"/applications", w, nil), 404, "not_found")
	stranger := e.employer("emp2")
	wantError(t, e.do("PUT", gigPath, stranger, e.gigBody(nil)), 404, "not_found")
	wantError(t, e.do("POST", gigPath+"/close", stranger, nil), 404, "not_found")

	if r := e.do("PUT", gigPath, boss, e.gigBody(map[string]any{"description": "男女不限"})); r.Status != 200 || strings.Contains(r.Raw, "限男性") {
		t.Fatalf("edit: %s", r.Raw)
	}
	if r := e.do("POST", fmt.Sprintf("/api/v1/admin/gigs/%d/approve", id), admin, nil); r.Status != 200 || r.str("status") != "published" {
		t.Fatalf("approve: %s", r.Raw)
	}

	list := e.do("GET", "/api/v1/gigs?lat=31.8650&lng=117.2830", "", nil)
	items, _ := list.Body["items"].([]any)
	if list.Status != 200 || len(items) != 1 || strings.Contains(list.Raw, "13900001111") {
		t.Fatalf("nearby: %s", list.Raw)
	}
	card := items[0].(map[string]any)
	if card["distance_m"].(float64) < 300 || card["spots_left"].(float64) != 2 || card["employer_name"] != "李**（个人）" {
		t.Fatalf("card: %v", card)
	}
	if r := e.do("GET", "/api/v1/gigs?lat=31.8650&lng=117.2830&category=2", "", nil); strings.Contains(r.Raw, `"id"`) {
		t.Fatalf("category filter: %s", r.Raw)
	}
	// Search words match the title, the trade, the employer or the address.
	for kw, found := range map[string]bool{"搬家": true, "长江西路": true, "李": true, "保洁": false} {
		r := e.do("GET", "/api/v1/gigs?lat=31.8650&lng=117.2830&q="+url.QueryEscape(kw), "", nil)
		if got := strings.Contains(r.Raw, `"id"`); r.Status != 200 || got != found {
			t.Errorf("q=%s: found %v, want %v (%s)", kw, got, found, r.Raw)
		}
	}
	detail := e.do("GET", gigPath, w, nil)
	if detail.Status != 200 || detail.str("contact_phone") != "13900001111" {
		t.Fatalf("detail: %s", detail.Raw)
	}
	wantError(t, e.do("GET", gigPath, "", nil), 401, "token_missing")
	// Someone signed in without a worker registration does not collect employers' phones.
	nobody, _ := e.login("collector")
	if d := e.do("GET", gigPath, nobody, nil); d.Status != 200 || d.str("contact_phone") != "" || d.str("contact_phone_note") != "求职登记后就能看到雇主电话" {
		t.Fatalf("phone for an unregistered viewer: %s", d.Raw)
	}

	// WeChat's content check runs from its queue afterwards (server/checks_test.go): a post answers at once.
	if r := e.do("POST", "/api/v1/gigs", boss, e.gigBody(map[string]any{"description": "risky words"})); r.Status != 201 ||
		!strings.Contains(r.Raw, `"sec_check":"checking"`) || e.fake.Calls(wechattest.APIMsgSecCheck) != 0 {
		t.Fatalf("a post waiting for its check: %s", r.Raw)
	}

	if r := e.do("POST", gigPath+"/close", boss, nil); r.Status != 200 || r.str("status") != "closed" {
		t.Fatalf("close: %s", r.Raw)
	}
	if r := e.do("GET", "/api/v1/gigs?lat=31.8650&lng=117.2830", "", nil); strings.Contains(r.Raw, `"id"`) {
		t.Fatalf("a closed gig is still listed: %s", r.Raw)
	}
	if r := e.do("GET", "/api/v1/me/gigs", boss, nil); !strings.Contains(r.Raw, `"status":"closed"`) {
		t.Fatalf("my gigs: %s", r.Raw)
	}
}

func TestBrowseRejectsBadQueries(t *testing.T) {
	e := newEnv(t, modeltest.SQLite(t))
	tests := []struct {
		query, fields string
	}{
		{"", "lat,lng"},
		{"lat=abc&lng=117", "lat"},
		{"lat=31.8&lng=117.2&radius=900000", "radius"},
		{"lat=31.8&lng=117.2&sort=price", "sort"},
		{"lat=31.8&lng=117.2&sort=wage%20desc", "sort"},
		{"lat=31.8&lng=117.2&date=yesterday", "date"},
		{"lat=31.8&lng=117.2&settlement=weekly", "settlement"},
		{"lat=31.8&lng=117.2&limit=1000", "limit"},
		{"lat=31.8&lng=117.2&cursor=bm9wZQ", "cursor"},
		{"lat=31.8&lng=117.2&q=" + strings.Repeat("字", 21), "q"},
	}
	for _, tc := range tests {
		r := e.do("GET", "/api/v1/gigs?"+tc.query, "", nil)
		wantError(t, r, 400, "invalid_input")
		if got := fieldNames(r); got != tc.fields {
			t.Errorf("%s: fields %s, want %s", tc.query, got, tc.fields)
		}
	}
}

func TestApplyingAndHiring(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		e := newEnv(t, s)
		boss := e.employer("emp")
		gig := e.publish(boss, nil)
		gigPath := fmt.Sprintf("/api/v1/gigs/%d", gig)

		noProfile, _ := e.login("nobody")
		wantError(t, e.do("POST", gigPath+"/applications", noProfile, nil), 404, "profile_missing")

		w := e.worker("w")
		r := e.do("POST", gigPath+"/applications", w, nil)
		if r.Status != 201 || r.str("status") != "pending" {
			t.Fatalf("apply: %s", r.Raw)
		}
		app := int(r.Body["id"].(float64))
		appPath := fmt.Sprintf("/api/v1/applications/%d", app)
		wantError(t, e.do("POST", gigPath+"/applications", w, nil), 409, "already_applied")
		wantError(t, e.do("POST", gigPath+"/applications", boss, nil), 404, "profile_missing")

		other := e.worker("w2")
		wantError(t, e.do("DELETE", appPath, other, nil), 404, "not_found")
		wantError(t, e.do("POST", appPath+"/confirm-pay", other, nil), 404, "not_found")
		stranger := e.employer("emp2")
		wantError(t, e.do("GET", gigPath+"/applications", stranger, nil), 404, "not_found")
		wantError(t, e.do("POST", appPath+"/accept", stranger, nil), 404, "not_found")
		wantError(t, e.do("POST", appPath+"/accept", w, nil), 404, "not_found")

		e.do("POST", "/api/v1/me/phone", w, map[string]string{"code": "p"})
		list := e.do("GET", gigPath+"/applications", boss, nil)
		if list.Status != 200 || strings.Contains(list.Raw, "13800138000") || !strings.Contains(list.Raw, `"name":"王**"`) {
			t.Fatalf("applicants before accepting: %s", list.Raw)
		}
		if r := e.do("POST", appPath+"/accept", boss, nil); r.Status != 200 || r.str("status") != "confirmed" {
			t.Fatalf("accept: %s", r.Raw)
		}
		if list := e.do("GET", gigPath+"/applications", boss, nil); !strings.Contains(list.Raw, `"phone":"13800138000"`) {
			t.Fatalf("applicants after accepting: %s", list.Raw)
		}
		if d := e.do("GET", gigPath, w, nil); !strings.Contains(d.Raw, fmt.Sprintf(`"my_application":{"id":%d,"status":"confirmed"}`, app)) {
			t.Fatalf("detail shows my application: %s", d.Raw)
		}

		wantError(t, e.do("POST", appPath+"/complete", boss, map[string]any{}), 400, "invalid_input")
		wantError(t, e.do("POST", appPath+"/complete", boss, map[string]any{"amount_paid_cents": 0}), 400, "invalid_input")
		wantError(t, e.do("POST", appPath+"/complete", stranger, map[string]any{"amount_paid_cents": 25000}), 404, "not_found")
		if r := e.do("POST", appPath+"/complete", boss, map[string]any{"amount_paid_cents": 25000}); r.Status != 200 || r.str("status") != "completed" {
			t.Fatalf("complete: %s", r.Raw)
		}
		wantError(t, e.do("DELETE", appPath, w, nil), 409, "wrong_state")
		if r := e.do("POST", appPath+"/confirm-pay", w, nil); r.str("status") != "paid" {
			t.Fatalf("confirm pay: %s", r.Raw)
		}
		wantError(t, e.do("POST", appPath+"/rating", w, map[string]any{"score": 6}), 400, "invalid_input")
		if r := e.do("POST", appPath+"/rating", w, map[string]any{"score": 5, "comment": "按时结账"}); r.Status != 201 || r.str("by") != "worker" {
			t.Fatalf("rate: %s", r.Raw)
		}
		wantError(t, e.do("POST", appPath+"/rating", w, map[string]any{"score": 4}), 409, "already_rated")
		wantError(t, e.do("POST", appPath+"/rating", other, map[string]any{"score": 1}), 404, "not_found")
		if r := e.do("GET", "/api/v1/me/applications", w, nil); !strings.Contains(r.Raw, `"status":"paid"`) || !strings.Contains(r.Raw, "小区搬家工") {
			t.Fatalf("my applications: %s", r.Raw)
		}
		if r := e.do("GET", "/api/v1/me/applications", other, nil); r.Raw != "[]" {
			t.Fatalf("another worker's list: %s", r.Raw)
		}
		// The gig page reads a published gig from the index, which takes a rating from the change feed (the
		// server follows it every second).
		e.follow()
		if d := e.do("GET", gigPath, other, nil); d.Body["employer_rating"].(float64) != 5 {
			t.Fatalf("employer rating on the gig: %s", d.Raw)
		}
		// Each side sees whether it has rated, after a reload too.
		if r := e.do("GET", "/api/v1/me/applications", w, nil); !strings.Contains(r.Raw, `"rated":true`) {
			t.Fatalf("worker's rated flag: %s", r.Raw)
		}
		if r := e.do("GET", gigPath+"/applications", boss, nil); !strings.Contains(r.Raw, `"rated":false`) {
			t.Fatalf("employer's rated flag: %s", r.Raw)
		}
		// After its last day the gig stays reachable for the workers it took on (pay and ratings come after), not
		// for someone who withdrew, nor for anyone else; review notes are the employer's alone.
		quitter := e.worker("w3")
		left := e.do("POST", gigPath+"/applications", quitter, nil)
		e.do("DELETE", fmt.Sprintf("/api/v1/applications/%d", int(left.Body["id"].(float64))), quitter, nil)
		if d := e.do("GET", gigPath, w, nil); strings.Contains(d.Raw, "reject_reason") {
			t.Fatalf("review notes shown to a worker: %s", d.Raw)
		}
		// The next morning, after the nightly expiry.
		tomorrow := time.Now().AddDate(0, 0, 1)
		e.store.Now = func() time.Time { return tomorrow }
		if n, err := e.store.ExpireGigs(context.Background()); err != nil || n == 0 {
			t.Fatalf("expiring: %d, %v", n, err)
		}
		if d := e.do("GET", gigPath, w, nil); d.Status != 200 || d.str("status") != "expired" {
			t.Fatalf("expired gig for its worker: %s", d.Raw)
		}
		wantError(t, e.do("GET", gigPath, other, nil), 404, "not_found")
		wantError(t, e.do("GET", gigPath, quitter, nil), 404, "not_found")
	})
}

func TestFirstComeOverHTTP(t *testing.T) {
	e := newEnv(t, modeltest.SQLite(t))
	boss := e.employer("emp")
	gig := e.publish(boss, map[string]any{"hiring_mode": "first_come", "headcount": 1})
	path := fmt.Sprintf("/api/v1/gigs/%d/applications", gig)
	first := e.worker("w1")
	r := e.do("POST", path, first, nil)
	if r.Status != 201 || r.str("status") != "confirmed" {
		t.Fatalf("first: %s", r.Raw)
	}
	wantError(t, e.do("POST", path, e.worker("w2"), nil), 409, "gig_full")
	if list := e.do("GET", "/api/v1/gigs?lat=31.8612&lng=117.2830", "", nil); strings.Contains(list.Raw, `"id"`) {
		t.Fatalf("a filled gig is still listed: %s", list.Raw)
	}
	// The confirmed worker withdraws: the spot opens and the gig is listed again.
	if r := e.do("DELETE", fmt.Sprintf("/api/v1/applications/%d", int(r.Body["id"].(float64))), first, nil); r.str("status") != "withdrawn" {
		t.Fatalf("withdraw: %s", r.Raw)
	}
	if list := e.do("GET", "/api/v1/gigs?lat=31.8612&lng=117.2830", "", nil); !strings.Contains(list.Raw, `"spots_left":1`) {
		t.Fatalf("reopened: %s", list.Raw)
	}
}

func TestWageGuides(t *testing.T) {
	e := newEnv(t, modeltest.SQLite(t))
	admin := e.admin()
	r := e.do("POST", "/api/v1/admin/wage-guides", admin, map[string]any{"category_id": 1, "area_code": "340100",
		"period": "2026", "low_cents": 18000, "median_cents": 22000, "high_cents": 30000})
	if r.Status != 201 || r.str("area_name") != "合肥市" {
		t.Fatalf("publish: %s", r.Raw)
	}
	wantError(t, e.do("POST", "/api/v1/admin/wage-guides", admin, map[string]any{"category_id": 1, "area_code": "340100",
		"period": "someday", "low_cents": 30000, "median_cents": 22000, "high_cents": 10000}), 400, "invalid_input")
	if r := e.do("GET", "/api/v1/wage-guides?area=340104", "", nil); !strings.Contains(r.Raw, `"low_cents":18000`) {
		t.Fatalf("a county sees its city's guide: %s", r.Raw)
	}
	boss := e.employer("emp")
	r = e.do("POST", "/api/v1/gigs/check", boss, e.gigBody(map[string]any{"wage_cents": 15000}))
	if !strings.Contains(r.Raw, `"low_cents":18000`) {
		t.Fatalf("below the guide: %s", r.Raw)
	}
}

func TestDifficultyRecognition(t *testing.T) {
	e := newEnv(t, modeltest.SQLite(t))
	tok, _ := e.login("w")
	r := e.do("PUT", "/api/v1/me/worker", tok, map[string]any{"name": "王建国", "id_number": modeltest.IDNumber("19680512", 900),
		"skills": []int{1}, "area_code": "340104", "request_difficulty_recognition": true})
	if r.str("difficulty_status") != "requested" {
		t.Fatalf("request: %s", r.Raw)
	}
	me := int(e.do("GET", "/api/v1/me", tok, nil).Body["id"].(float64))
	staffTok, _ := e.login("huainan")
	staffID := int(e.do("GET", "/api/v1/me", staffTok, nil).Body["id"].(float64))
	e.do("POST", "/api/v1/admin/staff", e.admin(), map[string]any{"user_id": staffID, "name": "淮南工作人员", "area_code": "340400"})
	if r := e.do("GET", "/api/v1/admin/difficulty-requests", staffTok, nil); r.Raw != "[]" {
		t.Fatalf("淮南 staff see a 合肥 request: %s", r.Raw)
	}
	path := fmt.Sprintf("/api/v1/admin/workers/%d/difficulty", me)
	wantError(t, e.do("POST", path, staffTok, map[string]any{"recognise": true}), 404, "not_found")
	wantError(t, e.do("POST", path, tok, map[string]any{"recognise": true}), 404, "not_found")
	admin := e.admin()
	if r := e.do("GET", "/api/v1/admin/difficulty-requests", admin, nil); !strings.Contains(r.Raw, `"name":"王**"`) {
		t.Fatalf("admin list: %s", r.Raw)
	}
	if r := e.do("POST", path, admin, map[string]any{"recognise": true}); r.Status != 204 {
		t.Fatalf("decide: %d %s", r.Status, r.Raw)
	}
	wantError(t, e.do("POST", path, admin, map[string]any{"recognise": false}), 409, "already_decided")
	if r := e.do("GET", "/api/v1/me/worker", tok, nil); r.str("difficulty_status") != "recognized" {
		t.Fatalf("after: %s", r.Raw)
	}
}
