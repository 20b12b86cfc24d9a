package handler_test

import (
	"context"
	"fmt"
	"html"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"lingong/model"
	"lingong/model/modeltest"
)

// 审计 in a browser: an admin finds a staff member's console action with its console session and IP, and
// filters down to it; a date typed wrong is refused beside the field; to staff the page does not exist.
func TestConsoleAuditInABrowser(t *testing.T) {
	chrome := browser(t)
	e := newEnv(t, modeltest.SQLite(t))
	staffTok, staffID := e.staffOf("audit-staff", "340100")
	worker := e.workerIn("audit-w1", "340104")
	policy := e.insured(worker)
	// An admin's API action, so the unfiltered log holds more than the staff member's entry.
	other := e.workerIn("audit-w2", "340104")
	e.reportInjury(other, e.insured(other), "PA-2026-0002")

	cc := newConsoleClient(t, e)
	token := cc.signIn(staffTok)
	if res, body := cc.post(fmt.Sprintf("/console/insurance/policies/%d/confirm", policy), cc.srv.URL,
		url.Values{"form_token": {token}, "policy_number": {"PICC-2026-7"}}); res.StatusCode != 303 {
		t.Fatalf("staff confirm: %d %.300s", res.StatusCode, body)
	}
	var sess model.ConsoleSession
	if err := e.store.DB.Where("user_id = ?", staffID).Take(&sess).Error; err != nil {
		t.Fatal(err)
	}
	// To staff the admins' pages do not exist, as the API's admin routes; the menu does not offer them.
	if res, body := cc.get("/console/audit"); res.StatusCode != 404 || strings.Contains(body, "PICC-2026-7") {
		t.Fatalf("staff on 审计: %d", res.StatusCode)
	}
	if res, _ := cc.post("/console/staff/add", cc.srv.URL, url.Values{"form_token": {token}, "user_id": {fmt.Sprint(staffID)},
		"area_code": {"340000"}}); res.StatusCode != 404 {
		t.Fatalf("staff widening their own area: %d", res.StatusCode)
	}
	if res, _ := cc.get("/console/staff"); res.StatusCode != 404 {
		t.Fatalf("staff on 人员: %d", res.StatusCode)
	}
	if _, body := cc.get("/console/review"); strings.Contains(body, "/console/audit") || strings.Contains(body, "/console/staff") {
		t.Fatal("the staff member's menu offers 审计")
	}

	srv := httptest.NewServer(e.api)
	defer srv.Close()
	ctx := chromium(t, chrome)
	run, read := browserRun(t, ctx)
	browserSignIn(t, ctx, e, srv.URL, e.admin())

	run("the log", chromedp.Navigate(srv.URL+"/console/"), chromedp.WaitVisible(chromedp.CSS(`.menu a[href="/console/audit"]`)),
		chromedp.Click(chromedp.CSS(`.menu a[href="/console/audit"]`)), chromedp.WaitVisible(chromedp.CSS(`#entries`)))
	rows, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('#entries tbody tr').length`))
	if err != nil || rows < 2 {
		t.Fatalf("entries: %d %v", rows, err)
	}
	first := `#entries tbody tr:first-child`
	// Newest first: the admin's own sign-in, just now, heads the log.
	if s := read(first + ` .action`); s != "console sign-in" {
		t.Fatalf("newest first: %q", s)
	}
	var entry model.AuditLog
	if err := e.store.DB.Where("actor_id = ? AND action LIKE ?", staffID, "%/confirm").Take(&entry).Error; err != nil {
		t.Fatal(err)
	}
	row := fmt.Sprintf(`#entry-%d`, entry.ID)
	if s := read(row + ` .session`); s != fmt.Sprint(sess.ID) {
		t.Fatalf("console session: %q, want %d", s, sess.ID)
	}
	if s := read(row + ` .ip`); s == "" {
		t.Fatal("no IP")
	}

	run("a wrong date", chromedp.SetValue(chromedp.CSS(`input[name=actor_id]`), "张三"),
		chromedp.Click(chromedp.CSS(`#filters button`)), chromedp.WaitVisible(chromedp.CSS(`#filters .field-error`)))
	if s := read(`#filters .field-error`); s != "操作人编号要填数字" {
		t.Fatalf("refusal beside the field: %q", s)
	}
	run("filter", chromedp.SetValue(chromedp.CSS(`input[name=actor_id]`), fmt.Sprint(staffID)),
		chromedp.SetValue(chromedp.CSS(`input[name=target_kind]`), "insurance_policies"),
		chromedp.SetValue(chromedp.CSS(`input[name=target_id]`), fmt.Sprint(policy)),
		chromedp.SetValue(chromedp.CSS(`input[name=from]`), e.store.Now().In(model.Shanghai).Format(time.DateOnly)),
		chromedp.Click(chromedp.CSS(`#filters button`)), chromedp.WaitVisible(chromedp.CSS(`#entries`)))
	rows, err = chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('#entries tbody tr').length`))
	if err != nil || rows != 1 {
		page, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`#entries`)))
		t.Fatalf("filtered: %d %v %s", rows, err, page)
	}
	if id, name := read(row+` .actor-id`), read(row+` .actor-name`); id != fmt.Sprint(staffID) || name != "工作人员340100" {
		t.Fatalf("filtered actor: %q %q", id, name)
	}
	screenshot(t, ctx, "audit.png")
	run("a day before", chromedp.SetValue(chromedp.CSS(`input[name=to]`), e.store.Now().In(model.Shanghai).AddDate(0, 0, -1).Format(time.DateOnly)),
		chromedp.SetValue(chromedp.CSS(`input[name=from]`), ""),
		chromedp.Click(chromedp.CSS(`#filters button`)), chromedp.WaitVisible(chromedp.CSS(`.empty`)))
}

// 人员 in a browser: an admin makes a user staff of an area through the confirm page (an unknown user
// refused beside the form first), the new staff member signs in at their own desk, the admin disables them,
// and their open console is signed out on its next action.
func TestConsoleStaffInABrowser(t *testing.T) {
	chrome := browser(t)
	e := newEnv(t, modeltest.SQLite(t))
	newTok, _ := e.login("staff-to-be")
	newID := int(e.do("GET", "/api/v1/me", newTok, nil).Body["id"].(float64))

	srv := httptest.NewServer(e.api)
	defer srv.Close()
	ctx := chromium(t, chrome)
	run, read := browserRun(t, ctx)
	browserSignIn(t, ctx, e, srv.URL, e.admin())

	run("an unknown user", chromedp.Navigate(srv.URL+"/console/staff"), chromedp.WaitVisible(chromedp.CSS(`#add`)),
		chromedp.SendKeys(chromedp.CSS(`#add input[name=user_id]`), "99999"),
		chromedp.SendKeys(chromedp.CSS(`#add input[name=name]`), "张小红"),
		chromedp.SendKeys(chromedp.CSS(`#add input[name=area_code]`), "340100"),
		chromedp.Click(chromedp.CSS(`#add button`)), chromedp.WaitVisible(chromedp.CSS(`#consequence`)),
		chromedp.Click(chromedp.CSS(`.confirm-buttons button`)), chromedp.WaitVisible(chromedp.CSS(`#add .field-error`)))
	if s := read(`#add .field-error`); !strings.Contains(s, "没有这个用户") {
		t.Fatalf("refusal beside the form: %q", s)
	}
	run("make staff", chromedp.SetValue(chromedp.CSS(`#add input[name=user_id]`), fmt.Sprint(newID)),
		chromedp.Click(chromedp.CSS(`#add button`)), chromedp.WaitVisible(chromedp.CSS(`#consequence`)))
	if s := read(`.facts`); !strings.Contains(s, "合肥市") || !strings.Contains(s, "张小红") {
		t.Fatalf("the confirm page names the area: %q", s)
	}
	row := fmt.Sprintf(`#member-%d`, newID)
	run("confirm", chromedp.Click(chromedp.CSS(`.confirm-buttons button`)), chromedp.WaitVisible(chromedp.CSS(`#done`)),
		chromedp.WaitVisible(chromedp.CSS(row)))
	if s := read(row + ` .state`); s != "在用" || read(row+` .name`) != "张小红" {
		t.Fatalf("the new member: %q %q", s, read(row+` .name`))
	}

	// The new staff member at their own desk.
	desk := chromium(t, chrome)
	browserSignIn(t, desk, e, srv.URL, newTok)
	screenshot(t, ctx, "staff.png")

	run("disable", chromedp.Click(chromedp.CSS(row+` a.button`)), chromedp.WaitVisible(chromedp.CSS(`#consequence`)),
		chromedp.Click(chromedp.CSS(`.confirm-buttons button`)), chromedp.WaitVisible(chromedp.CSS(`#done`)))
	if s := read(row + ` .state`); s != "已停用" {
		t.Fatalf("after disabling: %q", s)
	}
	var entries []model.AuditLog
	e.store.DB.Where("action LIKE ?", "POST /console/staff%").Order("id").Find(&entries)
	if len(entries) != 2 || entries[0].ConsoleSessionID == 0 || entries[1].TargetID != fmt.Sprint(newID) {
		t.Fatalf("audited: %+v", entries)
	}

	deskRun, deskRead := browserRun(t, desk)
	deskRun("the next action", chromedp.Click(chromedp.CSS(`.menu a[href="/console/complaints"]`)), chromedp.WaitVisible(chromedp.CSS(`#ended`)))
	if s := deskRead(`#ended`); !strings.Contains(s, "已停用") {
		t.Fatalf("signed out: %q", s)
	}
}

// 审计's pages: 50 newest, then 更早的记录 continues below the last one shown with the same filter, and the
// last page has no link on.
func TestConsoleAuditPages(t *testing.T) {
	e := newEnv(t, modeltest.SQLite(t))
	for i := range 70 {
		if err := e.store.Audit(context.Background(), model.AuditLog{ActorID: 42, Action: "page test", TargetID: fmt.Sprint(i)}); err != nil {
			t.Fatal(err)
		}
	}
	cc := newConsoleClient(t, e)
	cc.signIn(e.admin())
	older := regexp.MustCompile(`id="older" href="([^"]+)"`)
	_, page := cc.get("/console/audit?actor_id=42")
	if n := strings.Count(page, `<tr id="entry-`); n != 50 || !strings.Contains(page, " 69</td>") {
		t.Fatalf("first page: %d rows", n)
	}
	m := older.FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no link to older entries")
	}
	_, page = cc.get(html.UnescapeString(m[1]))
	if n := strings.Count(page, `<tr id="entry-`); n != 20 || !strings.Contains(page, " 0</td>") || strings.Contains(page, " 20</td>") {
		t.Fatalf("second page: %d rows", n)
	}
	if older.MatchString(page) {
		t.Fatal("a link past the last page")
	}
}
