package handler_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"lingong/model"
	"lingong/model/modeltest"
)

// enrollIn signs a worker up for a session of a course and returns the enrolment's id.
func (e *env) enrollIn(worker string, trainingID, sessionID uint64) uint64 {
	e.t.Helper()
	r := e.do("POST", fmt.Sprintf("/api/v1/trainings/%d/enrollments", trainingID), worker, map[string]any{"session_id": sessionID})
	if r.Status != 201 {
		e.t.Fatalf("enrol: %d %s", r.Status, r.Raw)
	}
	return uint64(r.Body["id"].(float64))
}

func (e *env) enrollmentStatus(id uint64) string {
	e.t.Helper()
	var en model.Enrollment
	if err := e.store.DB.Take(&en, id).Error; err != nil {
		e.t.Fatal(err)
	}
	return en.Status
}

// 培训 in a browser: an 订单式 course published with two sessions (refused first for a missing address, shown
// beside the field with what was typed kept), three workers sign up for the first, and the whole session is
// marked from one form twice: one absent and the rest attended, then the rest completed.
func TestConsoleTrainingInABrowser(t *testing.T) {
	chrome := browser(t)
	e := newEnv(t, modeltest.SQLite(t))
	staffTok, staffID := e.staffOf("training-staff", "340100")
	emp := e.employerRow(e.employer("training-boss"))
	workers := []string{e.worker("training-w1"), e.worker("training-w2"), e.worker("training-w3")}

	srv := httptest.NewServer(e.api)
	defer srv.Close()
	ctx := chromium(t, chrome)
	run, read := browserRun(t, ctx)
	browserSignIn(t, ctx, e, srv.URL, staffTok)

	day := e.store.Now().In(model.Shanghai).AddDate(0, 0, 5).Format(time.DateOnly)
	deadline := e.store.Now().In(model.Shanghai).AddDate(0, 0, 3).Format("2006-01-02") + "T18:00"
	run("the form", chromedp.Navigate(srv.URL+"/console/trainings"), chromedp.Click(chromedp.CSS(`#new-training`)),
		chromedp.WaitVisible(chromedp.CSS(`#publish`)),
		chromedp.SendKeys(chromedp.CSS(`input[name=title]`), "建筑小工岗前安全培训"),
		chromedp.SetValue(chromedp.CSS(`select[name=category_id]`), "4"),
		chromedp.Click(chromedp.CSS(`input[name=kind][value=order]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name=employer_id]`), fmt.Sprint(emp.ID)),
		chromedp.SendKeys(chromedp.CSS(`input[name=provider]`), "合肥市建筑技工学校"),
		chromedp.Click(chromedp.CSS(`input[name=subsidised]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name=lat]`), "31.84"),
		chromedp.SendKeys(chromedp.CSS(`input[name=lng]`), "117.25"),
		chromedp.SetValue(chromedp.CSS(`input[name=signup_deadline]`), deadline),
		chromedp.SetValue(chromedp.CSS(`input[name=date0]`), day),
		chromedp.SetValue(chromedp.CSS(`input[name=start0]`), "09:00"),
		chromedp.SetValue(chromedp.CSS(`input[name=end0]`), "11:30"),
		chromedp.SetValue(chromedp.CSS(`input[name=date1]`), day),
		chromedp.SetValue(chromedp.CSS(`input[name=start1]`), "14:00"),
		chromedp.SetValue(chromedp.CSS(`input[name=end1]`), "16:30"),
		chromedp.SendKeys(chromedp.CSS(`input[name=seats1]`), "20"),
		chromedp.Click(chromedp.CSS(`#publish-button`)), chromedp.WaitVisible(chromedp.CSS(`#refusal`)))
	if s := read(`#publish`); !strings.Contains(s, "请填写上课地点") {
		t.Fatalf("the missing address is not named beside its field: %q", s)
	}
	if v, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('input[name=title]').value`)); v != "建筑小工岗前安全培训" {
		t.Fatalf("the title typed was lost: %q", v)
	}
	screenshot(t, ctx, "training-new.png")
	run("publish", chromedp.SendKeys(chromedp.CSS(`input[name=address]`), "合肥市蜀山区黄山路100号"),
		chromedp.Click(chromedp.CSS(`#publish-button`)), chromedp.WaitVisible(chromedp.CSS(`#done`)))
	var tr model.Training
	if err := e.store.DB.Where("title = ?", "建筑小工岗前安全培训").Take(&tr).Error; err != nil {
		t.Fatal(err)
	}
	if tr.Kind != model.TrainingOrder || tr.EmployerID == nil || *tr.EmployerID != emp.ID || !tr.Subsidised || tr.AreaCode != "340100" {
		t.Fatalf("published: %+v", tr)
	}
	course, _ := e.store.Training(context.Background(), tr.ID)
	if len(course.Sessions) != 2 || course.Sessions[0].Seats != 30 || course.Sessions[1].StartTime != "14:00" {
		t.Fatalf("sessions: %+v", course.Sessions)
	}
	first := course.Sessions[0].ID
	var enrolled []uint64
	for _, w := range workers {
		enrolled = append(enrolled, e.enrollIn(w, tr.ID, first))
	}
	run("the list", chromedp.Navigate(srv.URL+"/console/trainings"), chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf(`#training-%d`, tr.ID))))
	if s := read(fmt.Sprintf(`#training-%d`, tr.ID)); !strings.Contains(s, "订单式") || !strings.Contains(s, "已报 3/30") {
		t.Fatalf("the list row: %q", s)
	}
	screenshot(t, ctx, "trainings.png")

	run("the session", chromedp.Click(chromedp.CSS(fmt.Sprintf(`#training-%d a`, tr.ID))), chromedp.WaitVisible(chromedp.CSS(`#sessions`)),
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`#session-%d a`, first))), chromedp.WaitVisible(chromedp.CSS(`#marks`)),
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`input[name=mark-%d][value=absent]`, enrolled[1]))),
		chromedp.Click(chromedp.CSS(`#rest-attended`)), chromedp.WaitVisible(chromedp.CSS(`#done`)))
	for i, want := range []string{"attended", "absent", "attended"} {
		if got := e.enrollmentStatus(enrolled[i]); got != want {
			t.Fatalf("worker %d after attendance: %s, want %s", i+1, got, want)
		}
	}
	screenshot(t, ctx, "training.png")
	// The page after the first marking says done already: wait for the radios of a completed worker to go.
	run("completion", chromedp.Click(chromedp.CSS(`#rest-completed`)),
		chromedp.WaitNotPresent(chromedp.CSS(fmt.Sprintf(`input[name=mark-%d]`, enrolled[0]))), chromedp.WaitVisible(chromedp.CSS(`#done`)))
	for i, want := range []string{"completed", "absent", "completed"} {
		if got := e.enrollmentStatus(enrolled[i]); got != want {
			t.Fatalf("worker %d after completion: %s, want %s", i+1, got, want)
		}
	}
	if s := read(fmt.Sprintf(`#enrollment-%d`, enrolled[0])); !strings.Contains(s, "已结业") {
		t.Fatalf("the roster after completion: %q", s)
	}
	if r := e.do("GET", "/api/v1/me/enrollments", workers[0], nil); !strings.Contains(r.Raw, `"status":"completed"`) {
		t.Fatalf("what the worker sees: %s", r.Raw)
	}
	audit, _ := e.store.AuditLogs(context.Background(), model.AuditQuery{ActorID: uint64(staffID), Limit: 50})
	seen := map[string]int{}
	for _, a := range audit {
		if a.ConsoleSessionID != 0 && a.TargetID == fmt.Sprint(tr.ID) {
			seen[a.Action]++
		}
	}
	if seen["POST /console/trainings"] != 1 || seen["POST /console/trainings/:id/sessions/:session/marks"] != 2 {
		t.Fatalf("audited with the console session: %v", seen)
	}
}

// Who may see and mark a course through the console, and a session marked whole or not at all.
func TestConsoleTrainingRules(t *testing.T) {
	e := newEnv(t, modeltest.SQLite(t))
	huainanTok, _ := e.staffOf("t-huainan", "340400")
	hefeiTok, _ := e.staffOf("t-hefei", "340100")
	r := e.do("POST", "/api/v1/admin/trainings", e.admin(), e.trainingBody(5))
	if r.Status != 201 {
		t.Fatalf("training: %s", r.Raw)
	}
	id := uint64(r.Body["id"].(float64))
	sessions := r.Body["sessions"].([]any)
	first, second := uint64(sessions[0].(map[string]any)["id"].(float64)), uint64(sessions[1].(map[string]any)["id"].(float64))
	a := e.enrollIn(e.worker("t-a"), id, first)
	b := e.enrollIn(e.worker("t-b"), id, first)
	other := e.enrollIn(e.worker("t-c"), id, second)
	marks := fmt.Sprintf("/console/trainings/%d/sessions/%d/marks", id, first)

	huainan := newConsoleClient(t, e)
	token := huainan.signIn(huainanTok)
	if _, body := huainan.get("/console/trainings"); strings.Contains(body, "家政服务员培训") {
		t.Fatal("淮南 lists a 合肥 course")
	}
	if res, _ := huainan.get(fmt.Sprintf("/console/trainings/%d?session=%d", id, first)); res.StatusCode != 404 {
		t.Fatalf("淮南 opened a 合肥 course: %d", res.StatusCode)
	}
	if res, _ := huainan.post(marks, huainan.srv.URL, url.Values{"form_token": {token}, fmt.Sprintf("mark-%d", a): {"attended"}}); res.StatusCode != 404 {
		t.Fatalf("淮南 marked a 合肥 session: %d", res.StatusCode)
	}
	// A course is published only in one's own area.
	if res, _ := huainan.post("/console/trainings", huainan.srv.URL, url.Values{"form_token": {token}, "title": {"焊工培训"},
		"category_id": {"3"}, "kind": {"menu"}, "provider": {"合肥市职业技能培训中心"}, "address": {"合肥市蜀山区黄山路100号"},
		"lat": {"31.84"}, "lng": {"117.25"}, "area_code": {"340104"}, "signup_deadline": {"2099-01-01T18:00"},
		"date0": {"2099-01-05"}, "start0": {"09:00"}, "end0": {"11:00"}, "seats0": {"10"}}); res.StatusCode != 404 {
		t.Fatalf("淮南 published in 合肥: %d", res.StatusCode)
	}

	hefei := newConsoleClient(t, e)
	token = hefei.signIn(hefeiTok)
	if res, body := hefei.get(fmt.Sprintf("/console/trainings/%d?session=%d", id, first)); res.StatusCode != 200 ||
		!strings.Contains(body, fmt.Sprintf(`name="mark-%d"`, b)) || strings.Contains(body, fmt.Sprintf(`name="mark-%d"`, other)) {
		t.Fatalf("the session's roster: %d", res.StatusCode)
	}
	if res, _ := hefei.post(marks, hefei.srv.URL, url.Values{fmt.Sprintf("mark-%d", a): {"attended"}}); res.StatusCode != 403 {
		t.Fatalf("marks without the form token: %d", res.StatusCode)
	}
	// Another session's sign-up in the form: nothing of the session is marked, the refusal shows on the page.
	if res, body := hefei.post(marks, hefei.srv.URL, url.Values{"form_token": {token}, fmt.Sprintf("mark-%d", a): {"attended"},
		fmt.Sprintf("mark-%d", other): {"attended"}}); res.StatusCode != 404 || !strings.Contains(body, "role=\"alert\"") {
		t.Fatalf("a sign-up of another session: %d", res.StatusCode)
	}
	if got := e.enrollmentStatus(a); got != model.EnrollActive {
		t.Fatalf("a refused form marked a sign-up: %s", got)
	}
	// A completion is final: the session's form that would make it absent is refused whole.
	if res, _ := hefei.post(marks, hefei.srv.URL, url.Values{"form_token": {token}, fmt.Sprintf("mark-%d", b): {"completed"}}); res.StatusCode != 303 {
		t.Fatalf("completing: %d", res.StatusCode)
	}
	if res, body := hefei.post(marks, hefei.srv.URL, url.Values{"form_token": {token}, fmt.Sprintf("mark-%d", a): {"attended"},
		fmt.Sprintf("mark-%d", b): {"absent"}}); res.StatusCode != 409 || !strings.Contains(body, "这一场都没有记上") {
		t.Fatalf("un-completing: %d", res.StatusCode)
	}
	if got := e.enrollmentStatus(a); got != model.EnrollActive {
		t.Fatalf("a refused form marked a sign-up: %s", got)
	}
	// "The rest" moves forward only: a worker marked absent on the form stays absent.
	if res, _ := hefei.post(marks, hefei.srv.URL, url.Values{"form_token": {token}, fmt.Sprintf("mark-%d", a): {"absent"}}); res.StatusCode != 303 {
		t.Fatalf("absent: %d", res.StatusCode)
	}
	if res, _ := hefei.post(marks, hefei.srv.URL, url.Values{"form_token": {token}, fmt.Sprintf("mark-%d", a): {"absent"},
		"rest": {"attended"}}); res.StatusCode != 303 || e.enrollmentStatus(a) != model.EnrollAbsent {
		t.Fatalf("the rest attended: %d, a is %s", res.StatusCode, e.enrollmentStatus(a))
	}
	if res, body := hefei.post("/console/trainings", hefei.srv.URL, url.Values{"form_token": {token}, "title": {"焊"}, "kind": {"menu"},
		"lat": {"北纬"}, "lng": {"117.25"}}); res.StatusCode != 400 || !strings.Contains(body, "纬度、经度写数字") ||
		!strings.Contains(body, "课程名称写2到40个字") || !strings.Contains(body, "请选择工种") {
		t.Fatalf("every field's trouble at once: %d", res.StatusCode)
	}
}

// Editing a course in a browser: the form opens filled in; a session cut below its sign-ups is refused beside
// the sessions with what was typed kept; then the title changes, the taken session keeps its sign-ups with more
// seats, the empty one is dropped and a new one added. Another area's staff cannot open it.
func TestConsoleTrainingEditInABrowser(t *testing.T) {
	chrome := browser(t)
	e := newEnv(t, modeltest.SQLite(t))
	staffTok, staffID := e.staffOf("edit-staff", "340100")
	huainanTok, _ := e.staffOf("edit-huainan", "340400")
	r := e.do("POST", "/api/v1/admin/trainings", e.admin(), e.trainingBody(5))
	if r.Status != 201 {
		t.Fatalf("training: %s", r.Raw)
	}
	id := uint64(r.Body["id"].(float64))
	sessions := r.Body["sessions"].([]any)
	first := uint64(sessions[0].(map[string]any)["id"].(float64))
	a := e.enrollIn(e.worker("edit-a"), id, first)
	e.enrollIn(e.worker("edit-b"), id, first)

	huainan := newConsoleClient(t, e)
	huainan.signIn(huainanTok)
	if res, _ := huainan.get(fmt.Sprintf("/console/trainings/%d/edit", id)); res.StatusCode != 404 {
		t.Fatalf("another area's course opened for editing: %d", res.StatusCode)
	}

	srv := httptest.NewServer(e.api)
	defer srv.Close()
	ctx := chromium(t, chrome)
	run, read := browserRun(t, ctx)
	browserSignIn(t, ctx, e, srv.URL, staffTok)
	value := func(sel string) string {
		v, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('`+sel+`').value`))
		return v
	}
	run("the edit form", chromedp.Navigate(fmt.Sprintf("%s/console/trainings/%d", srv.URL, id)), chromedp.Click(chromedp.CSS(`#edit`)),
		chromedp.WaitVisible(chromedp.CSS(`#publish`)))
	if value(`input[name=title]`) != "家政服务员培训" || value(`input[name=seats0]`) != "5" || value(`input[name=id0]`) != fmt.Sprint(first) ||
		value(`input[name=start1]`) != "14:00" || value(`input[name=address]`) != "合肥市蜀山区黄山路100号" {
		t.Fatalf("the form is not filled in: %q %q %q", value(`input[name=title]`), value(`input[name=seats0]`), value(`input[name=start1]`))
	}
	day := e.store.Now().In(model.Shanghai).AddDate(0, 0, 4).Format(time.DateOnly)
	run("seats below the sign-ups", chromedp.SetValue(chromedp.CSS(`input[name=title]`), "家政服务员培训（第二期）"),
		chromedp.SetValue(chromedp.CSS(`input[name=seats0]`), "1"),
		chromedp.Click(chromedp.CSS(`#publish-button`)), chromedp.WaitVisible(chromedp.CSS(`#refusal`)))
	if value(`input[name=title]`) != "家政服务员培训（第二期）" {
		t.Fatal("the title typed was lost on a refusal")
	}
	if s, _ := e.store.Training(context.Background(), id); s.Title != "家政服务员培训" {
		t.Fatalf("a refused edit changed the course: %q", s.Title)
	}
	run("save", chromedp.SetValue(chromedp.CSS(`input[name=seats0]`), "40"),
		chromedp.SetValue(chromedp.CSS(`input[name=date1]`), ""), chromedp.SetValue(chromedp.CSS(`input[name=start1]`), ""),
		chromedp.SetValue(chromedp.CSS(`input[name=end1]`), ""),
		chromedp.SetValue(chromedp.CSS(`input[name=date2]`), day), chromedp.SetValue(chromedp.CSS(`input[name=start2]`), "08:30"),
		chromedp.SetValue(chromedp.CSS(`input[name=end2]`), "11:00"), chromedp.SetValue(chromedp.CSS(`input[name=seats2]`), "12"),
		chromedp.Click(chromedp.CSS(`#publish-button`)), chromedp.WaitVisible(chromedp.CSS(`#done`)))
	if s := read(`#done`); !strings.Contains(s, "已保存修改") {
		t.Fatalf("after saving: %q", s)
	}
	course, _ := e.store.Training(context.Background(), id)
	if course.Title != "家政服务员培训（第二期）" || len(course.Sessions) != 2 || course.Sessions[0].ID != first ||
		course.Sessions[0].Seats != 40 || course.Sessions[0].Taken != 2 || course.Sessions[1].StartTime != "08:30" || course.Sessions[1].Seats != 12 {
		t.Fatalf("saved: %q %+v", course.Title, course.Sessions)
	}
	if got := e.enrollmentStatus(a); got != model.EnrollActive {
		t.Fatalf("a sign-up of the kept session: %s", got)
	}
	audit, _ := e.store.AuditLogs(context.Background(), model.AuditQuery{ActorID: uint64(staffID), Action: "POST /console/trainings/:id", Limit: 10})
	if len(audit) != 1 || audit[0].ConsoleSessionID == 0 || audit[0].TargetID != fmt.Sprint(id) {
		t.Fatalf("the edit audited once with the console session: %+v", audit)
	}
}
