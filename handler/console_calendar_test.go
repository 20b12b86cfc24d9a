package handler_test

import (
	"context"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"lingong/model"
	"lingong/model/modeltest"
)

// Who may change the 工作日历, and the model's refusals named by the line typed. Staff read the year and are
// told next year is missing, without a form or a route to change it.
func TestConsoleCalendarRules(t *testing.T) {
	e := newEnv(t, modeltest.SQLite(t))
	staffTok, _ := e.staffOf("calendar-staff", "340100")
	staff := newConsoleClient(t, e)
	token := staff.signIn(staffTok)
	_, page := staff.get("/console/calendar?year=2026")
	if !strings.Contains(page, `id="day-2026-10-01"`) || strings.Contains(page, `id="replace"`) || !strings.Contains(page, "2027年的放假安排还没有录入") {
		t.Fatalf("what staff see of 2026: %.400s", page)
	}
	if res, _ := staff.post("/console/calendar/2027", staff.srv.URL, url.Values{"form_token": {token}, "days": {"2027-01-01 放假 元旦"}}); res.StatusCode != 404 {
		t.Fatalf("staff replaced a year: %d", res.StatusCode)
	}
	if res, _ := staff.get("/console/calendar?year=1999"); res.StatusCode != 404 {
		t.Fatalf("a year far from now: %d", res.StatusCode)
	}

	admin := newConsoleClient(t, e)
	token = admin.signIn(e.admin())
	// A make-up working day on a Monday: the model refuses it, and the page names the line it came from.
	res, body := admin.post("/console/calendar/2027", admin.srv.URL, url.Values{"form_token": {token},
		"days": {"2027-01-01 放假 元旦\n2027-09-27 上班 国庆节"}})
	if res.StatusCode != 400 || !strings.Contains(body, "第 2 行") || !strings.Contains(body, "周六或周日") ||
		!strings.Contains(body, "2027-09-27 上班 国庆节</textarea>") {
		t.Fatalf("a Monday make-up day: %d %.600s", res.StatusCode, body)
	}
	if days, _ := e.store.WorkCalendarDays(context.Background(), 2027); len(days) != 0 {
		t.Fatalf("a refused table saved %d days", len(days))
	}
}

// 工作日历 in a browser: an admin enters next year from lines as the State Council's notice reads (a line not
// understood is named, nothing saved), the deadlines count it at once, and the change is audited.
func TestConsoleCalendarInABrowser(t *testing.T) {
	chrome := browser(t)
	e := newEnv(t, modeltest.SQLite(t))
	srv := httptest.NewServer(e.api)
	defer srv.Close()
	ctx := chromium(t, chrome)
	run, read := browserRun(t, ctx)
	browserSignIn(t, ctx, e, srv.URL, e.admin())
	run("next year", chromedp.Navigate(srv.URL+"/console/calendar?year=2027"), chromedp.WaitVisible(chromedp.CSS(`#no-table`)),
		chromedp.SetValue(chromedp.CSS(`#replace textarea`), "2027-01-01 放假 元旦\n2027-10-01 休息 国庆节"),
		chromedp.Click(chromedp.CSS(`#save-calendar`)), chromedp.WaitVisible(chromedp.CSS(`#days-error`)))
	if s := read(`#days-error`); !strings.Contains(s, "第 2 行") {
		t.Fatalf("the line not understood is not named: %q", s)
	}
	if days, _ := e.store.WorkCalendarDays(context.Background(), 2027); len(days) != 0 {
		t.Fatalf("a refused table saved %d days", len(days))
	}
	lines := "2027-01-01 放假 元旦\n2027-10-01~2027-10-07 放假 国庆节\n2027-09-26 上班 国庆节\n2027-10-09 上班 国庆节"
	run("save", chromedp.SetValue(chromedp.CSS(`#replace textarea`), lines),
		chromedp.Click(chromedp.CSS(`#save-calendar`)), chromedp.WaitVisible(chromedp.CSS(`#done`)))
	if s := read(`#day-2027-09-26`); !strings.Contains(s, "周日") || !strings.Contains(s, "调休上班") {
		t.Fatalf("the make-up Sunday: %q", s)
	}
	screenshot(t, ctx, "calendar.png")
	cal, err := e.store.WorkCalendar(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !cal.HasYear(2027) || cal.IsWorkingDay(time.Date(2027, 10, 4, 10, 0, 0, 0, model.Shanghai)) || !cal.IsWorkingDay(time.Date(2027, 9, 26, 10, 0, 0, 0, model.Shanghai)) {
		t.Fatal("the deadlines do not count the new table at once")
	}
	audit, _ := e.store.AuditLogs(context.Background(), model.AuditQuery{Action: "replaced work calendar 2027", Limit: 5})
	if len(audit) != 1 || audit[0].ConsoleSessionID == 0 || !strings.Contains(audit[0].Detail, "0 天 → 10 天") {
		t.Fatalf("audited: %+v", audit)
	}
}
