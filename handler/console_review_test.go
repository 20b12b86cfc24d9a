package handler_test

import (
	"context"
	"fmt"
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

// browserSignIn scans the browser into the console as the staff member holding phone.
func browserSignIn(t *testing.T, ctx context.Context, e *env, base, phone string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/console/login"), chromedp.WaitVisible(chromedp.CSS(`#code`))); err != nil {
		t.Fatal(err)
	}
	page, err := chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS("html")))
	if err != nil {
		t.Fatal(err)
	}
	ticket := ticketAttr.FindStringSubmatch(page)[1]
	if r := e.do("POST", "/api/v1/console/tickets/"+ticket+"/confirm", phone, nil); r.Status != 204 {
		t.Fatalf("confirm: %d %s", r.Status, r.Raw)
	}
	for deadline := time.Now().Add(15 * time.Second); ; {
		path, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.pathname`))
		if err == nil && path == "/console/review" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the sign-in page did not go on into the console: %q %v", path, err)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func (e *env) employerRow(tok string) model.Employer {
	e.t.Helper()
	id := int(e.do("GET", "/api/v1/me/employer", tok, nil).Body["id"].(float64))
	var emp model.Employer
	if err := e.store.DB.Take(&emp, id).Error; err != nil {
		e.t.Fatal(err)
	}
	return emp
}

// 审核 beyond the queues, in a browser: the employer's full identity opened on a click (audited with the
// console session), a live gig taken down and an employer suspended, each through its confirm page with a
// reason the employer then reads, and the suspension lifted.
func TestConsoleTakeDownAndSuspendInABrowser(t *testing.T) {
	chrome := browser(t)
	e := newEnv(t, modeltest.SQLite(t))
	staffTok, staffID := e.staffOf("enforce-staff", "340100")
	boss := e.employer("enforce-boss")
	emp := e.employerRow(boss)
	bad := e.publish(boss, map[string]any{"title": "夜间仓库装卸"})
	other := e.publish(boss, map[string]any{"title": "小区绿化养护"})
	worker := e.worker("enforce-worker")
	if r := e.do("POST", fmt.Sprintf("/api/v1/gigs/%d/applications", bad), worker, nil); r.Status != 201 {
		t.Fatalf("apply: %d %s", r.Status, r.Raw)
	}
	srv := httptest.NewServer(e.api)
	defer srv.Close()
	ctx := chromium(t, chrome)
	run, read := browserRun(t, ctx)
	browserSignIn(t, ctx, e, srv.URL, staffTok)

	// The live gigs show the employer masked; the full identity only after the click, which is audited.
	run("the live gigs", chromedp.Navigate(srv.URL+"/console/review?kind=live"), chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf(`#live-%d`, bad))))
	if card := read(fmt.Sprintf(`#live-%d`, bad)); strings.Contains(card, "李大海") || strings.Contains(card, "13900001111") {
		t.Fatalf("the card shows the identity before the click: %q", card)
	}
	run("open the identity", chromedp.Click(chromedp.CSS(fmt.Sprintf(`#live-%d #reveal-%d`, bad, emp.ID))),
		chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf(`#live-%d #identity-%d`, bad, emp.ID))))
	if shown := read(fmt.Sprintf(`#live-%d #identity-%d`, bad, emp.ID)); !strings.Contains(shown, "李大海") || !strings.Contains(shown, "13900001111") {
		t.Fatalf("the identity shows %q", shown)
	}
	audit, _ := e.store.AuditLogs(context.Background(), model.AuditQuery{ActorID: uint64(staffID), Limit: 50})
	read1 := false
	for _, a := range audit {
		read1 = read1 || (a.Action == "read employer identity" && a.TargetID == fmt.Sprint(emp.ID) && a.ConsoleSessionID != 0)
	}
	if !read1 {
		t.Fatalf("the identity read is not audited with the console session: %+v", audit)
	}

	// Take the gig down: the confirm page says what follows; the reason reaches the employer.
	run("the take-down page", chromedp.Click(chromedp.CSS(fmt.Sprintf(`#take-down-%d`, bad))), chromedp.WaitVisible(chromedp.CSS(`#consequence`)))
	if e.gigStatus(bad) != model.GigPublished {
		t.Fatal("opening the confirm page took the gig down")
	}
	run("confirm the take-down", chromedp.SendKeys(chromedp.CSS(`textarea[name=reason]`), "多名工人反映夜里没有照明，不安全"),
		chromedp.Click(chromedp.CSS(`.confirm button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS(`#done`)))
	if s := e.gigStatus(bad); s != model.GigRejected {
		t.Fatalf("the gig is %s after the take-down", s)
	}
	if r := e.do("GET", fmt.Sprintf("/api/v1/gigs/%d", bad), boss, nil); !strings.Contains(r.Raw, "多名工人反映夜里没有照明") {
		t.Fatalf("the employer does not see the reason: %s", r.Raw)
	}

	// Suspend the employer from the other gig's card.
	run("the suspend page", chromedp.Click(chromedp.CSS(fmt.Sprintf(`#suspend-%d`, other))), chromedp.WaitVisible(chromedp.CSS(`#consequence`)))
	screenshot(t, ctx, "suspend.png")
	run("confirm the suspension", chromedp.SendKeys(chromedp.CSS(`textarea[name=reason]`), "多次发布虚假招工，请到零工市场说明情况"),
		chromedp.Click(chromedp.CSS(`.confirm button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS(`#done`)))
	if s := e.gigStatus(other); s != model.GigPaused {
		t.Fatalf("the suspended employer's gig is %s", s)
	}
	if r := e.do("GET", "/api/v1/me/employer", boss, nil); r.str("status") != "suspended" || !strings.Contains(r.str("reject_reason"), "虚假招工") {
		t.Fatalf("what the employer sees: %s", r.Raw)
	}
	wantError(t, e.do("POST", "/api/v1/gigs", boss, e.gigBody(nil)), 403, "employer_suspended")

	// Lift it from the suspended employers' tab.
	run("the suspended employers", chromedp.Navigate(srv.URL+"/console/review?kind=suspended"),
		chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf(`#suspended-%d`, emp.ID))))
	run("lift the suspension", chromedp.Click(chromedp.CSS(fmt.Sprintf(`#reinstate-%d`, emp.ID))), chromedp.WaitVisible(chromedp.CSS(`#consequence`)),
		chromedp.Click(chromedp.CSS(`.confirm button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS(`#done`)))
	if s := e.gigStatus(other); s != model.GigPublished {
		t.Fatalf("the gig after the lift is %s", s)
	}
	audit, _ = e.store.AuditLogs(context.Background(), model.AuditQuery{ActorID: uint64(staffID), Limit: 50})
	actions := map[string]bool{}
	for _, a := range audit {
		if a.ConsoleSessionID != 0 {
			actions[a.Action] = true
		}
	}
	for _, want := range []string{"POST /console/review/gigs/:id/take-down", "POST /console/review/employers/:id/suspend",
		"POST /console/review/employers/:id/reinstate"} {
		if !actions[want] {
			t.Errorf("not audited with the console session: %s", want)
		}
	}
}

var formTokenRe = regexp.MustCompile(`name="form_token" value="([0-9a-f]+)"`)

// Who may take down, suspend and read an identity through the console, and the refusals: another area finds
// nothing, a missing reason is asked for beside the field, the staff member's own business is refused and
// recorded, a post without the form token changes nothing.
func TestConsoleTakeDownRules(t *testing.T) {
	e := newEnv(t, modeltest.SQLite(t))
	huainanTok, _ := e.staffOf("huainan-staff", "340400")
	hefeiTok, _ := e.staffOf("hefei-staff", "340100")
	boss := e.employer("rules-boss")
	emp := e.employerRow(boss)
	gig := e.publish(boss, nil)
	// The employer is a staff member of 合肥 too: their own business.
	ownTok, ownID := e.staffOf("rules-boss", "340100")

	takeDown := fmt.Sprintf("/console/review/gigs/%d/take-down", gig)
	suspend := fmt.Sprintf("/console/review/employers/%d/suspend", emp.ID)
	identity := fmt.Sprintf("/console/review/employers/%d/identity", emp.ID)

	huainan := newConsoleClient(t, e)
	token := huainan.signIn(huainanTok)
	if res, _ := huainan.get(takeDown); res.StatusCode != 404 {
		t.Fatalf("淮南 opened a 合肥 gig's take-down page: %d", res.StatusCode)
	}
	for _, path := range []string{takeDown, suspend, identity} {
		if res, body := huainan.post(path, huainan.srv.URL, url.Values{"form_token": {token}, "reason": {"不合规"}}); res.StatusCode != 404 ||
			strings.Contains(body, "李大海") {
			t.Fatalf("淮南 posted %s: %d", path, res.StatusCode)
		}
	}

	hefei := newConsoleClient(t, e)
	token = hefei.signIn(hefeiTok)
	if res, _ := hefei.post(takeDown, hefei.srv.URL, url.Values{"reason": {"不合规"}}); res.StatusCode != 403 {
		t.Fatalf("a take-down without the form token: %d", res.StatusCode)
	}
	if res, body := hefei.post(takeDown, hefei.srv.URL, url.Values{"form_token": {token}, "reason": {"  "}}); res.StatusCode != 400 ||
		!strings.Contains(body, "请写明原因") {
		t.Fatalf("a take-down without a reason: %d %s", res.StatusCode, body)
	}
	if res, body := hefei.post(suspend, hefei.srv.URL, url.Values{"form_token": {token}}); res.StatusCode != 400 || !strings.Contains(body, "请写明原因") {
		t.Fatalf("a suspension without a reason: %d", res.StatusCode)
	}
	if res, _ := hefei.post(fmt.Sprintf("/console/review/employers/%d/reinstate", emp.ID), hefei.srv.URL, url.Values{"form_token": {token}}); res.StatusCode != 409 {
		t.Fatalf("lifting a suspension that is not there: %d", res.StatusCode)
	}
	if s := e.gigStatus(gig); s != model.GigPublished {
		t.Fatalf("a refused post changed the gig: %s", s)
	}

	own := newConsoleClient(t, e)
	token = own.signIn(ownTok)
	if res, body := own.post(takeDown, own.srv.URL, url.Values{"form_token": {token}, "reason": {"不合规"}}); res.StatusCode != 409 ||
		!strings.Contains(body, "请交给本辖区其他工作人员") {
		t.Fatalf("taking down their own gig: %d", res.StatusCode)
	}
	audit, _ := e.store.AuditLogs(context.Background(), model.AuditQuery{ActorID: uint64(ownID), Limit: 20})
	refused := false
	for _, a := range audit {
		refused = refused || (a.Action == "refused (conflict of interest) POST /console/review/gigs/:id/take-down" && a.ConsoleSessionID != 0)
	}
	if !refused || e.gigStatus(gig) != model.GigPublished {
		t.Fatalf("the refusal is not on the record, or the gig moved: %+v", audit)
	}
}
