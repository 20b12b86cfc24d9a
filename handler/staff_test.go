package handler_test

import (
	"fmt"
	"lingong/model"
	"strings"
	"testing"
	"time"

	"lingong/handler"
	"lingong/handler/wechat"
	"lingong/model/modeltest"
)

func withTemplates(o *handler.Options) {
	o.Templates = wechat.Templates{"application_result": {ID: "T-APP", Fields: map[string]string{"gig": "thing1"}},
		"review_result": {ID: "T-REV", Fields: map[string]string{"item": "thing1"}}}
}

// staffOf makes a staff member of an area and returns their token and user id.
func (e *env) staffOf(code, area string) (string, int) {
	e.t.Helper()
	tok, _ := e.login(code)
	id := int(e.do("GET", "/api/v1/me", tok, nil).Body["id"].(float64))
	if r := e.do("POST", "/api/v1/admin/staff", e.admin(), map[string]any{"user_id": id, "name": "工作人员" + area, "area_code": area}); r.Status != 204 {
		e.t.Fatalf("staff: %s", r.Raw)
	}
	return tok, id
}

func TestMarketsDirectory(t *testing.T) {
	e := newEnv(t, modeltest.SQLite(t))
	hefei, _ := e.staffOf("hf", "340100")
	body := map[string]any{"kind": "market", "name": "合肥市蜀山区零工市场", "area_code": "340104", "address": "合肥市蜀山区黄山路 459 号",
		"location": map[string]any{"lat": 31.8440, "lng": 117.2510}, "opening_hours": "周一至周日 6:00-18:00",
		"services": "招工登记、求职登记、技能培训", "hotline": "0551-12333", "complaint_phone": "12333"}
	r := e.do("POST", "/api/v1/admin/markets", hefei, body)
	if r.Status != 201 || r.str("area_name") != "合肥市蜀山区" {
		t.Fatalf("market: %s", r.Raw)
	}
	id := int(r.Body["id"].(float64))
	body["name"] = "蜀山区找活中心"
	if r := e.do("PUT", fmt.Sprintf("/api/v1/admin/markets/%d", id), hefei, body); fieldNames(r) != "name" {
		t.Fatalf("non-standard name: %s", r.Raw)
	}
	huainan, _ := e.staffOf("hn", "340400")
	body["name"] = "合肥市蜀山区零工市场"
	wantError(t, e.do("PUT", fmt.Sprintf("/api/v1/admin/markets/%d", id), huainan, body), 404, "not_found")

	near := e.do("GET", "/api/v1/markets?lat=31.85&lng=117.25", "", nil)
	if !strings.Contains(near.Raw, `"distance_m"`) || !strings.Contains(near.Raw, "合肥市蜀山区零工市场") {
		t.Fatalf("directory: %s", near.Raw)
	}
	tomorrow := time.Now().AddDate(0, 0, 1).Format(time.DateOnly)
	if r := e.do("POST", "/api/v1/admin/job-fairs", hefei, map[string]any{"market_id": id, "title": "冬季家政专场",
		"date": tomorrow, "start_time": "09:00", "end_time": "12:00"}); r.Status != 201 {
		t.Fatalf("fair: %s", r.Raw)
	}
	if r := e.do("GET", fmt.Sprintf("/api/v1/job-fairs?market_id=%d", id), "", nil); !strings.Contains(r.Raw, "冬季家政专场") {
		t.Fatalf("fairs: %s", r.Raw)
	}
	if r := e.do("POST", "/api/v1/admin/shortages", hefei, map[string]any{"category_id": 16, "area_code": "340100", "period": "2026"}); r.Status != 201 {
		t.Fatalf("shortage: %s", r.Raw)
	}
	if r := e.do("GET", "/api/v1/shortages?area=340104", "", nil); !strings.Contains(r.Raw, `"category_id":16`) {
		t.Fatalf("shortages for a county: %s", r.Raw)
	}
	if r := e.do("POST", "/api/v1/admin/notices", hefei, map[string]any{"title": "零工意外险补贴", "body": "即日起……", "area_code": "340100"}); r.Status != 201 {
		t.Fatalf("notice: %s", r.Raw)
	}
	wantError(t, e.do("POST", "/api/v1/admin/notices", huainan, map[string]any{"title": "越权", "body": "…", "area_code": "340100"}), 404, "not_found")
	if r := e.do("GET", "/api/v1/notices?area=340104", "", nil); !strings.Contains(r.Raw, "零工意外险补贴") {
		t.Fatalf("notices: %s", r.Raw)
	}
}

func TestAuditLog(t *testing.T) {
	e := newEnv(t, modeltest.SQLite(t))
	hefei, staffID := e.staffOf("hf", "340100")
	w := e.worker("w")
	e.do("PUT", "/api/v1/me/worker", w, map[string]any{"name": "王建国", "id_number": modeltest.IDNumber("19680512", 77),
		"skills": []int{1}, "area_code": "340104"})
	worker := int(e.do("GET", "/api/v1/me", w, nil).Body["id"].(float64))

	r := e.do("GET", fmt.Sprintf("/api/v1/admin/workers/%d/identity", worker), hefei, nil)
	if r.Status != 200 || r.str("id_number") != modeltest.IDNumber("19680512", 77) {
		t.Fatalf("identity: %s", r.Raw)
	}
	huainan, _ := e.staffOf("hn", "340400")
	wantError(t, e.do("GET", fmt.Sprintf("/api/v1/admin/workers/%d/identity", worker), huainan, nil), 404, "not_found")
	wantError(t, e.do("GET", fmt.Sprintf("/api/v1/admin/workers/%d/identity", worker), w, nil), 404, "not_found")
	e.do("POST", "/api/v1/admin/notices", hefei, map[string]any{"title": "通知", "body": "正文", "area_code": "340100"})
	e.do("POST", "/api/v1/admin/notices", hefei, map[string]any{"title": "", "body": "", "area_code": "340100"}) // refused: not audited

	// An employer's identity likewise: staff of its area only, and every read on the record.
	boss := e.employer("emp")
	empID := int(e.do("GET", "/api/v1/me/employer", boss, nil).Body["id"].(float64))
	if r := e.do("GET", fmt.Sprintf("/api/v1/admin/employers/%d/identity", empID), hefei, nil); r.Status != 200 || r.str("name") != "李大海" {
		t.Fatalf("employer identity: %s", r.Raw)
	}
	wantError(t, e.do("GET", fmt.Sprintf("/api/v1/admin/employers/%d/identity", empID), huainan, nil), 404, "not_found")

	wantError(t, e.do("GET", "/api/v1/admin/audit", hefei, nil), 404, "not_found")
	log := e.do("GET", fmt.Sprintf("/api/v1/admin/audit?actor_id=%d", staffID), e.admin(), nil)
	if !strings.Contains(log.Raw, "read worker identity") || !strings.Contains(log.Raw, "read employer identity") ||
		strings.Count(log.Raw, "POST /api/v1/admin/notices") != 1 || !strings.Contains(log.Raw, `"actor_name":"工作人员340100"`) {
		t.Fatalf("audit: %s", log.Raw)
	}
	// The API takes the console's filters: what was done, to what, and on which days.
	today := e.store.Now().In(model.Shanghai).Format(time.DateOnly)
	only := e.do("GET", fmt.Sprintf("/api/v1/admin/audit?actor_id=%d&action=identity&target_kind=employers&from=%s&to=%s", staffID, today, today), e.admin(), nil)
	if n := strings.Count(only.Raw, `"id":`); n != 1 || !strings.Contains(only.Raw, "read employer identity") {
		t.Fatalf("filtered to the employer identity read: %s", only.Raw)
	}
	wantError(t, e.do("GET", "/api/v1/admin/audit?to="+today+"&from=2099-01-01", e.admin(), nil), 400, "invalid_input")
	if r := e.do("GET", "/api/v1/admin/audit?from=28-11-2026&actor_id=x", e.admin(), nil); r.Status != 400 ||
		!strings.Contains(r.Raw, `"field":"from"`) || !strings.Contains(r.Raw, `"field":"actor_id"`) {
		t.Fatalf("two bad filters, both named: %s", r.Raw)
	}
	// A staff member has a name; adding one without is refused beside the field.
	if r := e.do("POST", "/api/v1/admin/staff", e.admin(), map[string]any{"user_id": staffID, "area_code": "340100"}); r.Status != 400 || !strings.Contains(r.Raw, `"name"`) {
		t.Fatalf("staff without a name: %s", r.Raw)
	}

	// Disabled, a staff member reaches nothing of the workbench any more.
	if r := e.do("DELETE", fmt.Sprintf("/api/v1/admin/staff/%d", staffID), e.admin(), nil); r.Status != 204 {
		t.Fatalf("disable: %d %s", r.Status, r.Raw)
	}
	wantError(t, e.do("GET", fmt.Sprintf("/api/v1/admin/workers/%d/identity", worker), hefei, nil), 404, "not_found")
	wantError(t, e.do("GET", "/api/v1/admin/reviews?kind=gig", hefei, nil), 404, "not_found")
	for _, method := range []string{"PUT", "DELETE", "POST"} {
		if r := e.do(method, "/api/v1/admin/audit", e.admin(), nil); r.Status != 405 {
			t.Errorf("%s on the audit log: %d", method, r.Status)
		}
	}
}

func TestSubscriptionsAndPushes(t *testing.T) {
	e := newEnv(t, modeltest.SQLite(t), withTemplates)
	w := e.worker("w")
	if r := e.do("GET", "/api/v1/subscriptions/templates", "", nil); !strings.Contains(r.Raw, `"template_id":"T-APP"`) {
		t.Fatalf("templates: %s", r.Raw)
	}
	r := e.do("POST", "/api/v1/me/subscriptions", w, map[string]string{"T-APP": "accept", "T-REV": "reject", "errMsg": "requestSubscribeMessage:ok"})
	if r.Status != 200 || r.Body["remaining"].(map[string]any)["application_result"].(float64) != 1 {
		t.Fatalf("subscribe: %s", r.Raw)
	}
	r = e.do("POST", "/api/v1/me/subscriptions", w, map[string]string{"T-NOPE": "accept", "T-APP": "maybe"})
	wantError(t, r, 400, "invalid_input")
	if fieldNames(r) != "T-APP,T-NOPE" {
		t.Fatalf("fields: %s", r.Raw)
	}

	boss := e.employer("emp")
	gig := e.publish(boss, map[string]any{"hiring_mode": "first_come"})
	e.do("POST", fmt.Sprintf("/api/v1/gigs/%d/applications", gig), w, nil)
	hefei, _ := e.staffOf("hf", "340100")
	push := map[string]any{"template_id": "application_result", "data": map[string]string{"gig": "明天下雨，活改到后天"},
		"page": "pages/applications/index", "audience": map[string]any{"segment": "gig_confirmed", "gig_id": gig}}
	// Every text has a limit: 100,000 characters in a message field are refused before anything is queued.
	long := map[string]any{"template_id": "application_result", "data": map[string]string{"gig": strings.Repeat("雨", 100_000)},
		"audience": push["audience"]}
	if r := e.do("POST", "/api/v1/admin/pushes", hefei, long); r.Status != 400 || !strings.Contains(fieldNames(r), "data") {
		t.Fatalf("a 100,000-character field: %d %s", r.Status, r.Raw)
	}
	// A keyword left empty would be refused by WeChat (47003): refused here, naming the field.
	empty := map[string]any{"template_id": "application_result", "data": map[string]string{"gig": " "}, "audience": push["audience"]}
	if r := e.do("POST", "/api/v1/admin/pushes", hefei, empty); r.Status != 400 || fieldNames(r) != "data.gig" {
		t.Fatalf("an empty keyword: %d %s", r.Status, r.Raw)
	}
	// A page the mini-program does not have would be refused by WeChat (41030): refused here first.
	badPage := map[string]any{"template_id": "application_result", "data": map[string]string{"gig": "搬家"},
		"page": "pages/training/mine", "audience": push["audience"]}
	if r := e.do("POST", "/api/v1/admin/pushes", hefei, badPage); r.Status != 400 || fieldNames(r) != "page" {
		t.Fatalf("an unknown page: %d %s", r.Status, r.Raw)
	}
	r = e.do("POST", "/api/v1/admin/pushes", hefei, push)
	if r.Status != 201 || r.Body["recipients"].(float64) != 1 {
		t.Fatalf("push: %s", r.Raw)
	}
	report := e.do("GET", fmt.Sprintf("/api/v1/admin/pushes/%d", int(r.Body["id"].(float64))), hefei, nil)
	if report.Body["pending"].(float64) != 1 {
		t.Fatalf("report: %s", report.Raw)
	}
	huainan, _ := e.staffOf("hn", "340400")
	wantError(t, e.do("POST", "/api/v1/admin/pushes", huainan, push), 404, "not_found")
	wantError(t, e.do("GET", fmt.Sprintf("/api/v1/admin/pushes/%d", int(r.Body["id"].(float64))), huainan, nil), 404, "not_found")
	bad := map[string]any{"template_id": "application_result", "data": map[string]string{}, "audience": map[string]any{"segment": "everyone"}}
	wantError(t, e.do("POST", "/api/v1/admin/pushes", hefei, bad), 400, "invalid_input")
	for range 9 {
		e.do("POST", "/api/v1/admin/pushes", hefei, push)
	}
	wantError(t, e.do("POST", "/api/v1/admin/pushes", hefei, push), 429, "push_rate_limited")
}

// Nobody decides their own business: not their own employer registration or gig, not a 就业困难人员 recognition
// for themselves, for someone they act for in the family, or for someone they registered at the window. The
// refusal is audited, and another staff member of the area decides.
func TestConflictOfInterest(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		e := newEnv(t, s)
		me, meID := e.staffOf("staff-self", "340100")
		colleague, _ := e.staffOf("staff-colleague", "340100")
		conflict := func(r response) {
			t.Helper()
			wantError(t, r, 409, "conflict_of_interest")
		}

		// My own employer registration and my own gig.
		r := e.do("PUT", "/api/v1/me/employer", me, map[string]any{"kind": "person", "legal_name": "钱大江",
			"id_number": modeltest.IDNumber("19800101", 301), "contact_name": "钱大江", "contact_phone": "13900003333", "area_code": "340104"})
		empPath := fmt.Sprintf("/api/v1/admin/employers/%d", int(r.Body["id"].(float64)))
		conflict(e.do("POST", empPath+"/approve", me, nil))
		if r := e.do("POST", empPath+"/approve", colleague, nil); r.Status != 200 {
			t.Fatalf("a colleague approves: %s", r.Raw)
		}
		g := e.do("POST", "/api/v1/gigs", me, e.gigBody(nil))
		gigPath := fmt.Sprintf("/api/v1/admin/gigs/%d", int(g.Body["id"].(float64)))
		conflict(e.do("POST", gigPath+"/approve", me, nil))
		conflict(e.do("POST", gigPath+"/reject", me, map[string]any{"reason": "自己驳回也不行"}))

		// Recognising myself, my mother (whose family delegate I am) or a man I registered at the window.
		difficulty := func(tok string, user int) response {
			return e.do("POST", fmt.Sprintf("/api/v1/admin/workers/%d/difficulty", user), tok, map[string]any{"recognise": true})
		}
		e.do("PUT", "/api/v1/me/worker", me, map[string]any{"name": "钱大江", "id_number": modeltest.IDNumber("19800101", 301), "skills": []int{1}, "area_code": "340104",
			"request_difficulty_recognition": true})
		conflict(difficulty(me, meID))
		mother, _ := e.login("mother")
		motherID := int(e.do("GET", "/api/v1/me", mother, nil).Body["id"].(float64))
		e.do("PUT", "/api/v1/me/worker", mother, map[string]any{"name": "孙秀英", "id_number": modeltest.IDNumber("19550202", 302),
			"skills": []int{2}, "area_code": "340104", "request_difficulty_recognition": true})
		invite := e.do("POST", "/api/v1/me/delegates", mother, nil)
		if r := e.do("POST", "/api/v1/me/delegations", me, map[string]any{"code": invite.str("code")}); r.Status >= 300 {
			t.Fatalf("accept delegation: %s", r.Raw)
		}
		conflict(difficulty(me, motherID))
		walkIn := e.do("POST", "/api/v1/admin/workers", me, map[string]any{"name": "赵老汉", "id_number": modeltest.IDNumber("19560303", 303),
			"skills": []int{1}, "area_code": "340104", "request_difficulty_recognition": true,
			"consent": map[string]any{"method": "spoken", "note": "本人在窗口口头同意，小钱在场"}})
		conflict(difficulty(me, int(walkIn.Body["worker_no"].(float64))))
		if r := difficulty(colleague, int(walkIn.Body["worker_no"].(float64))); r.Status != 204 {
			t.Fatalf("a colleague recognises: %d %s", r.Status, r.Raw)
		}

		// Nor a complaint the staff member filed themself.
		c := e.do("POST", "/api/v1/complaints", me, map[string]any{"category": "wage_arrears", "description": "干了三天，工钱一直没给"})
		conflict(e.do("POST", fmt.Sprintf("/api/v1/admin/complaints/%d/status", int(c.Body["id"].(float64))), me,
			map[string]any{"to": "accepted"}))

		log := e.do("GET", fmt.Sprintf("/api/v1/admin/audit?actor_id=%d", meID), e.admin(), nil)
		if n := strings.Count(log.Raw, "conflict of interest"); n != 7 {
			t.Fatalf("refusals audited: %d in %s", n, log.Raw)
		}
	})
}

// A verified employer who renames itself waits for review again, and so do its gigs: not listed, no applying,
// no poster, the workers told; the name shown stays the verified one until staff verify the new one.
func TestRenamePausesGigs(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		e := newEnv(t, s)
		boss := e.employer("renamer")
		gig := e.publish(boss, nil)
		gigPath := fmt.Sprintf("/api/v1/gigs/%d", gig)
		w := e.worker("w")
		app := e.do("POST", gigPath+"/applications", w, nil)
		e.do("POST", fmt.Sprintf("/api/v1/applications/%d/accept", int(app.Body["id"].(float64))), boss, nil)
		listed := func() bool {
			return strings.Contains(e.do("GET", "/api/v1/gigs?lat=31.8612&lng=117.2830", "", nil).Raw, fmt.Sprintf(`"id":%d,`, gig))
		}
		if !listed() {
			t.Fatal("the gig is not listed to begin with")
		}
		reg := e.do("GET", "/api/v1/me/employer", boss, nil)
		verified := reg.str("display_name")
		r := e.do("PUT", "/api/v1/me/employer", boss, map[string]any{"kind": "person", "legal_name": "王小二",
			"contact_name": "李先生", "area_code": "340104"})
		if r.Status != 200 || r.str("status") != "pending" {
			t.Fatalf("rename: %s", r.Raw)
		}
		e.follow()
		if listed() {
			t.Fatal("a paused gig is still listed")
		}
		other := e.worker("w2")
		wantError(t, e.do("POST", gigPath+"/applications", other, nil), 409, "gig_paused")
		wantError(t, e.do("GET", gigPath+"/poster.pdf", boss, nil), 409, "gig_not_published")
		if d := e.do("GET", gigPath, w, nil); d.str("status") != "paused" || d.str("employer_name") != verified {
			t.Fatalf("the hired worker sees: %s", d.Raw)
		}
		if r := e.do("GET", "/api/v1/me/applications", w, nil); strings.Contains(r.Raw, "王*") {
			t.Fatalf("the unverified name shows: %s", r.Raw)
		}
		// Verified again: the gig is back, under the new name.
		if r := e.do("POST", fmt.Sprintf("/api/v1/admin/employers/%d/approve", int(reg.Body["id"].(float64))), e.admin(), nil); r.Status != 200 {
			t.Fatalf("approve: %s", r.Raw)
		}
		if d := e.do("GET", gigPath, w, nil); d.str("status") != "filled" && d.str("status") != "published" || d.str("employer_name") != "王**（个人）" {
			t.Fatalf("after verifying: %s", d.Raw)
		}
		// The hired worker was told of the pause and of the return.
		var notes []model.OutboxMessage
		wID := int(e.do("GET", "/api/v1/me", w, nil).Body["id"].(float64))
		s.DB.Where("user_id = ?", wID).Order("id").Find(&notes)
		told := ""
		for _, n := range notes {
			told += n.Fields()["note"]
		}
		if !strings.Contains(told, "暂停") || !strings.Contains(told, "恢复") {
			t.Fatalf("the worker was not told: %q", told)
		}
	})
}

// A reviewer may approve over a flag they judge false only by writing why; the reason is on the review record
// and in the audit log, and the employer does not see it as a rejection.
func TestApproveOverAFalseFlag(t *testing.T) {
	e := newEnv(t, modeltest.SQLite(t))
	boss := e.employer("flagged")
	hefei, staffID := e.staffOf("hf", "340100")
	g := e.do("POST", "/api/v1/gigs", boss, e.gigBody(map[string]any{"description": "商场女装区理货，限男性勿扰"}))
	path := fmt.Sprintf("/api/v1/admin/gigs/%d/approve", int(g.Body["id"].(float64)))
	wantError(t, e.do("POST", path, hefei, nil), 409, "discriminatory_content")
	if r := e.do("POST", path, hefei, map[string]any{"override_reason": "误报"}); r.Status != 400 || fieldNames(r) != "override_reason" {
		t.Fatalf("a short reason: %s", r.Raw)
	}
	reason := "“限男性勿扰”是雇主写错了，电话核实是男女都招"
	if r := e.do("POST", path, hefei, map[string]any{"override_reason": reason}); r.Status != 200 || r.str("status") != "published" {
		t.Fatalf("approve with a reason: %s", r.Raw)
	}
	log := e.do("GET", fmt.Sprintf("/api/v1/admin/audit?actor_id=%d", staffID), e.admin(), nil)
	if !strings.Contains(log.Raw, "approved over flagged phrases") || !strings.Contains(log.Raw, "电话核实") {
		t.Fatalf("audit: %s", log.Raw)
	}
	var d model.ReviewDecision
	if err := e.store.DB.Where("kind = ? AND decision = ?", "gig", "approve").Last(&d).Error; err != nil || !strings.Contains(d.Reason, "判定为误报") {
		t.Fatalf("review record: %+v %v", d, err)
	}
	if mine := e.do("GET", "/api/v1/me/gigs", boss, nil); strings.Contains(mine.Raw, "电话核实") {
		t.Fatalf("the reviewer's note shows as a rejection reason: %s", mine.Raw)
	}
}

// An ID number registered by a second WeChat waits for staff, who look at the ID card and decide who holds it.
func TestIdentityClaims(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		e := newEnv(t, s)
		number := modeltest.IDNumber("19660606", 77)
		body := map[string]any{"name": "孙桂兰", "id_number": number, "skills": []int{2}, "area_code": "340104"}
		first, _ := e.login("first")
		if r := e.do("PUT", "/api/v1/me/worker", first, body); r.Status != 200 {
			t.Fatalf("first: %s", r.Raw)
		}
		second, _ := e.login("second")
		secondID := int(e.do("GET", "/api/v1/me", second, nil).Body["id"].(float64))
		a := e.do("PUT", "/api/v1/me/worker", first, body)
		b := e.do("PUT", "/api/v1/me/worker", second, body)
		if b.Status != 200 || b.str("id_number") != a.str("id_number") || b.str("sex") != a.str("sex") || b.Body["age"] != a.Body["age"] {
			t.Fatalf("the second registration looks different from the first: %s vs %s", b.Raw, a.Raw)
		}
		hefei, _ := e.staffOf("hf", "340100")
		huainan, _ := e.staffOf("hn", "340400")
		if r := e.do("GET", "/api/v1/admin/identity-claims", huainan, nil); r.Raw != "[]" {
			t.Fatalf("another area's staff see the claim: %s", r.Raw)
		}
		list := e.do("GET", "/api/v1/admin/identity-claims", hefei, nil)
		if !strings.Contains(list.Raw, fmt.Sprintf(`"user_id":%d`, secondID)) {
			t.Fatalf("claims: %s", list.Raw)
		}
		claim := int(list.Body["items"].([]any)[0].(map[string]any)["id"].(float64))
		path := fmt.Sprintf("/api/v1/admin/identity-claims/%d/resolve", claim)
		if r := e.do("POST", path, hefei, map[string]any{"keep": "both"}); r.Status != 400 {
			t.Fatalf("a bad outcome: %s", r.Raw)
		}
		// The ID card shows the second WeChat is the person's: the number moves.
		if r := e.do("POST", path, hefei, map[string]any{"keep": "claimant"}); r.Status != 204 {
			t.Fatalf("resolve: %d %s", r.Status, r.Raw)
		}
		wantError(t, e.do("POST", path, hefei, map[string]any{"keep": "holder"}), 409, "already_decided")
		var holder, claimant model.WorkerProfile
		s.DB.Where("user_id = ?", secondID).Take(&claimant)
		s.DB.Where("id_number_hash = ?", claimant.IDNumberHash).Find(&holder)
		if strings.HasPrefix(claimant.IDNumberHash, "held:") || holder.UserID != uint64(secondID) {
			t.Fatalf("after resolving: claimant %q, holder %d", claimant.IDNumberHash, holder.UserID)
		}
		// The first WeChat saves again: now it is the one waiting, with a claim of its own.
		e.do("PUT", "/api/v1/me/worker", first, body)
		if r := e.do("GET", "/api/v1/admin/identity-claims", hefei, nil); strings.Count(r.Raw, `"id":`) != 1 {
			t.Fatalf("the first WeChat's claim: %s", r.Raw)
		}
		// A claimant who changes to a number nobody holds withdraws the claim; nothing is left to settle.
		third, _ := e.login("third")
		e.do("PUT", "/api/v1/me/worker", third, body)
		e.do("PUT", "/api/v1/me/worker", third, map[string]any{"name": "孙桂兰", "id_number": modeltest.IDNumber("19660606", 78),
			"skills": []int{2}, "area_code": "340104"})
		if r := e.do("GET", "/api/v1/admin/identity-claims", hefei, nil); strings.Count(r.Raw, `"id":`) != 1 {
			t.Fatalf("a withdrawn claim is still listed: %s", r.Raw)
		}
	})
}

// A full identity is answered only once its read is on the audit log: with the log unwritable the answer is a
// plain 500 and the person's details stay out of it.
func TestIdentityNotShownUnaudited(t *testing.T) {
	e := newEnv(t, modeltest.SQLite(t))
	hefei, _ := e.staffOf("hf", "340100")
	w := e.workerIn("w", "340104")
	worker := int(e.do("GET", "/api/v1/me", w, nil).Body["id"].(float64))
	path := fmt.Sprintf("/api/v1/admin/workers/%d/identity", worker)
	if r := e.do("GET", path, hefei, nil); r.Status != 200 || r.str("name") != "王建国" {
		t.Fatalf("an audited read: %s", r.Raw)
	}
	if err := e.store.DB.Exec("DROP TABLE audit_logs").Error; err != nil {
		t.Fatal(err)
	}
	if r := e.do("GET", path, hefei, nil); r.Status != 500 || strings.Contains(r.Raw, "王建国") {
		t.Fatalf("an unaudited read: %d %s", r.Status, r.Raw)
	}
}
