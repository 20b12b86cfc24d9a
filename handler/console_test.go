package handler_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"lingong/handler"
	"lingong/handler/wechat"
	"lingong/handler/wechat/wechattest"
	"lingong/model"
	"lingong/model/modeltest"
)

// browserRun makes a console test's two steps in the browser: run does one step (failing in seconds with what
// it was, rather than at the test's deadline when it waits for what never comes), read reads an element's text.
func browserRun(t *testing.T, ctx context.Context) (func(string, ...chromedp.Action[chromedp.Void]), func(string) string) {
	run := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		step, cancel := context.WithTimeout(ctx, 20*time.Second)
		defer cancel()
		if err := chromedp.Do(step, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	read := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("read %s: %v", sel, err)
		}
		return s
	}
	return run, read
}

// chromium starts a headless Chromium at a desk's screen size, for the console's tests; extra flags (a fake
// camera) are added to the usual ones.
func chromium(t *testing.T, path string, extra ...chromedp.ExecAllocatorOption) context.Context {
	t.Helper()
	alloc, cancel := chromedp.NewExecAllocator(context.Background(), append(append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path), chromedp.NoSandbox, chromedp.DisableGPU, chromedp.WindowSize(1366, 768),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-quic", true), chromedp.UserDataDir(t.TempDir())), extra...)...)
	t.Cleanup(cancel)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(cancel)
	ctx, cancel = context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(cancel)
	// The page gets the whole 1366×768, as on a PC with the browser full screen.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1366, 768)); err != nil {
		t.Fatal(err)
	}
	return ctx
}

// screenshot keeps what the browser shows under LINGONG_SCREENSHOTS, when set (the README's pictures).
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	if dir := os.Getenv("LINGONG_SCREENSHOTS"); dir != "" {
		if err := os.WriteFile(filepath.Join(dir, name), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// pendingGig has an employer post a gig, which waits for review.
func (e *env) pendingGig(boss string, overrides map[string]any) int {
	e.t.Helper()
	r := e.do("POST", "/api/v1/gigs", boss, e.gigBody(overrides))
	if r.Status != 201 {
		e.t.Fatalf("post gig: %d %s", r.Status, r.Raw)
	}
	return int(r.Body["id"].(float64))
}

func (e *env) gigStatus(id int) string {
	e.t.Helper()
	var g model.Gig
	if err := e.store.DB.Take(&g, id).Error; err != nil {
		e.t.Fatal(err)
	}
	return g.Status
}

var ticketAttr = regexp.MustCompile(`data-ticket="([A-Za-z0-9_-]+)"`)

// The console in a real browser, as a staff member at a PC uses it: scan sign-in against the fake WeChat
// (refused to a worker, to a used code and an expired one), the review queue (a flagged gig refused without
// a reason, a clean one approved), a cross-site form refused, and a disabled staff member signed out on the
// next click. Cookies are those of production (Secure: Chromium keeps them on http://127.0.0.1).
func TestConsoleInABrowser(t *testing.T) {
	chrome := browser(t)
	e := newEnv(t, modeltest.SQLite(t))
	staffTok, staffID := e.staffOf("console-staff", "340100")
	boss := e.employer("console-boss")
	srv := httptest.NewServer(e.api)
	defer srv.Close()
	ctx := chromium(t, chrome)

	run, read := browserRun(t, ctx)
	html := func(ctx context.Context) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS("html")))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}

	// The sign-in page shows the mini-program code WeChat made for a fresh ticket.
	run("open the sign-in page", chromedp.Navigate(srv.URL+"/console/login"), chromedp.WaitVisible(chromedp.CSS(`#code`)))
	code, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS(`#code`), "src"))
	if err != nil {
		t.Fatal(err)
	}
	src, page := code.Value, html(ctx)
	if src != "data:image/jpeg;base64,"+base64.StdEncoding.EncodeToString(wechattest.FakeCode) || e.fake.Calls(wechattest.APIWXACode) != 1 {
		t.Fatalf("the code on the page: %.60s (%d calls)", src, e.fake.Calls(wechattest.APIWXACode))
	}
	m := ticketAttr.FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no ticket on the sign-in page")
	}
	ticket := m[1]
	if strings.Contains(page, "演示") {
		t.Fatal("the demo accounts are offered outside development")
	}

	// A worker who scans it is told that only staff may sign in; nothing is confirmed.
	worker := e.worker("console-worker")
	wantError(t, e.do("GET", "/api/v1/console/tickets/"+ticket, worker, nil), 403, "console_staff_only")
	wantError(t, e.do("POST", "/api/v1/console/tickets/"+ticket+"/confirm", worker, nil), 403, "console_staff_only")

	// The staff member's phone shows which computer asks, and confirms; the waiting page goes into the console.
	seen := e.do("GET", "/api/v1/console/tickets/"+ticket, staffTok, nil)
	if seen.Status != 200 || seen.str("ip") != "127.0.0.1" || !strings.Contains(seen.str("browser"), "Chrome") {
		t.Fatalf("the phone sees: %d %s", seen.Status, seen.Raw)
	}
	if r := e.do("POST", "/api/v1/console/tickets/"+ticket+"/confirm", staffTok, nil); r.Status != 204 {
		t.Fatalf("confirm: %d %s", r.Status, r.Raw)
	}
	// The page polls every two seconds, then navigates: a poll of ours that the navigation cuts off is asked again.
	for deadline := time.Now().Add(15 * time.Second); ; {
		path, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.pathname`))
		if err == nil && path == "/console/review" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the sign-in page did not go on into the console: %q %v", path, err)
		}
		time.Sleep(200 * time.Millisecond)
	}
	run("the console", chromedp.WaitVisible(chromedp.CSS(`.who`)))
	if who := read(`.who`); !strings.Contains(who, "合肥市") {
		t.Fatalf("the menu names %q", who)
	}

	// The code cannot be used again.
	wantError(t, e.do("POST", "/api/v1/console/tickets/"+ticket+"/confirm", staffTok, nil), 409, "ticket_used")
	wantError(t, e.do("GET", "/api/v1/console/tickets/"+ticket, staffTok, nil), 409, "ticket_used")

	// A code left for 2 minutes expires: the phone hears so, and the page waiting on it says so.
	other := chromium(t, chrome)
	if err := chromedp.Do(other, chromedp.Navigate(srv.URL+"/console/login"), chromedp.WaitVisible(chromedp.CSS(`#code`))); err != nil {
		t.Fatal(err)
	}
	stale := ticketAttr.FindStringSubmatch(html(other))[1]
	realNow := e.store.Now
	e.store.Now = func() time.Time { return realNow().Add(model.ConsoleTicketTTL + time.Second) }
	wantError(t, e.do("GET", "/api/v1/console/tickets/"+stale, staffTok, nil), 409, "ticket_expired")
	wantError(t, e.do("POST", "/api/v1/console/tickets/"+stale+"/confirm", staffTok, nil), 409, "ticket_expired")
	if err := chromedp.Do(other, chromedp.WaitVisible(chromedp.CSS(`#expired`))); err != nil {
		t.Fatal(err)
	}
	expired, err := chromedp.Run(other, chromedp.Text(chromedp.CSS(`#expired`)))
	if err != nil {
		t.Fatal(err)
	}
	e.store.Now = realNow
	if !strings.Contains(expired, "过期") || !strings.Contains(expired, "刷新二维码") {
		t.Fatalf("the expired page says %q", expired)
	}

	// 审核: a flagged gig is refused without a reason; a clean one is approved.
	flagged := e.pendingGig(boss, map[string]any{"title": "超市理货（限男性）", "description": "限男性，45岁以下"})
	clean := e.pendingGig(boss, map[string]any{"title": "小区绿化养护"})
	crossTarget := e.pendingGig(boss, map[string]any{"title": "仓库搬运"})
	run("the queue", chromedp.Navigate(srv.URL+"/console/review"), chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf(`#gig-%d`, clean))))
	if card := read(fmt.Sprintf(`#gig-%d .checks`, flagged)); !strings.Contains(card, "性别歧视") || !strings.Contains(card, "限男性") {
		t.Fatalf("the flagged gig's checks: %q", card)
	}
	screenshot(t, ctx, "review.png")
	run("approve the flagged gig without a reason",
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`#gig-%d form[action$="/approve"] button`, flagged))),
		chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf(`#gig-%d .problem-text`, flagged))))
	if msg := read(fmt.Sprintf(`#gig-%d .problem-text`, flagged)); !strings.Contains(msg, "歧视") {
		t.Fatalf("the refusal says %q", msg)
	}
	if s := e.gigStatus(flagged); s != model.GigPendingReview {
		t.Fatalf("the flagged gig approved without a reason: %s", s)
	}
	run("approve the clean gig",
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`#gig-%d form[action$="/approve"] button`, clean))),
		chromedp.WaitVisible(chromedp.CSS(`#done`)))
	if s := e.gigStatus(clean); s != model.GigPublished {
		t.Fatalf("the clean gig is %s after approval", s)
	}
	if r := e.do("GET", fmt.Sprintf("/api/v1/gigs/%d", clean), worker, nil); r.Status != 200 {
		t.Fatalf("the approved gig is not on the market: %d", r.Status)
	}
	audit, _ := e.store.AuditLogs(context.Background(), model.AuditQuery{ActorID: uint64(staffID), Limit: 20})
	var approved, signIn *model.AuditEntry
	for i := range audit {
		switch audit[i].Action {
		case "POST /console/review/gigs/:id/approve":
			approved = &audit[i]
		case "console sign-in":
			signIn = &audit[i]
		}
	}
	if approved == nil || signIn == nil || approved.ConsoleSessionID == 0 || approved.ConsoleSessionID != signIn.ConsoleSessionID ||
		approved.IP != "127.0.0.1" || approved.TargetID != fmt.Sprint(clean) || approved.RequestID == "" {
		t.Fatalf("the audit log: %+v", audit)
	}
	if r := e.do("GET", fmt.Sprintf("/api/v1/admin/audit?actor_id=%d", staffID), e.admin(), nil); !strings.Contains(r.Raw,
		fmt.Sprintf(`"console_session_id":%d`, approved.ConsoleSessionID)) {
		t.Fatalf("the audit route does not name the console session: %s", r.Raw)
	}

	// A form on another origin posting into the console is refused, although the browser sends the cookie
	// (127.0.0.1 on another port is the same site).
	evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<form id="f" method="post" action="%s/console/review/gigs/%d/reject"><input name="reason" value="跨站驳回"></form>
<script>document.getElementById('f').submit()</script>`, srv.URL, crossTarget)
	}))
	defer evil.Close()
	run("the cross-site post", chromedp.Navigate(evil.URL), chromedp.WaitVisible(chromedp.CSS(`.problem .message`)))
	if msg := read(`.problem .message`); !strings.Contains(msg, "不是从工作台页面发出的") {
		t.Fatalf("the cross-site post got %q", msg)
	}
	if s := e.gigStatus(crossTarget); s != model.GigPendingReview {
		t.Fatalf("the cross-site post rejected the gig: %s", s)
	}

	// The staff member is disabled while the console is open: the next click signs them out.
	run("back to the queue", chromedp.Navigate(srv.URL+"/console/review"), chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf(`#gig-%d`, crossTarget))))
	if r := e.do("DELETE", fmt.Sprintf("/api/v1/admin/staff/%d", staffID), e.admin(), nil); r.Status != 204 {
		t.Fatalf("disable: %d %s", r.Status, r.Raw)
	}
	run("reject after being disabled",
		chromedp.SendKeys(chromedp.CSS(fmt.Sprintf(`#gig-%d input[name=reason]`, crossTarget)), "地址写得不清楚"),
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`#gig-%d form[action$="/reject"] button`, crossTarget))),
		chromedp.WaitVisible(chromedp.CSS(`#ended`)))
	if note := read(`#ended`); !strings.Contains(note, "停用") {
		t.Fatalf("the sign-in page says %q", note)
	}
	if s := e.gigStatus(crossTarget); s != model.GigPendingReview {
		t.Fatalf("a disabled staff member rejected a gig: %s", s)
	}
}

// consoleClient is a browser without a browser: a cookie jar and the console's Origin, for the rules a
// real browser would hide (cookie flags, headers, a post with the cookie but without the form token).
type consoleClient struct {
	t      *testing.T
	e      *env
	srv    *httptest.Server
	client *http.Client
}

func newConsoleClient(t *testing.T, e *env) *consoleClient {
	srv := httptest.NewServer(e.api)
	t.Cleanup(srv.Close)
	jar, _ := cookiejar.New(nil)
	return &consoleClient{t: t, e: e, srv: srv, client: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (cc *consoleClient) get(path string) (*http.Response, string) {
	cc.t.Helper()
	res, err := cc.client.Get(cc.srv.URL + path)
	if err != nil {
		cc.t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	return res, string(body)
}

func (cc *consoleClient) post(path, origin string, form url.Values) (*http.Response, string) {
	cc.t.Helper()
	req, _ := http.NewRequest("POST", cc.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if origin != "" {
		req.Header.Set("Origin", origin)
	}
	res, err := cc.client.Do(req)
	if err != nil {
		cc.t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	return res, string(body)
}

// signIn scans in as the staff member holding phone and returns the page's form token.
func (cc *consoleClient) signIn(phone string) string {
	cc.t.Helper()
	_, page := cc.get("/console/login")
	ticket := ticketAttr.FindStringSubmatch(page)[1]
	if r := cc.e.do("POST", "/api/v1/console/tickets/"+ticket+"/confirm", phone, nil); r.Status != 204 {
		cc.t.Fatalf("confirm: %d %s", r.Status, r.Raw)
	}
	res, body := cc.post("/console/login/wait", cc.srv.URL, url.Values{"ticket": {ticket}})
	if res.StatusCode != 200 || !strings.Contains(body, "signed_in") {
		cc.t.Fatalf("wait: %d %s", res.StatusCode, body)
	}
	_, page = cc.get("/console/review")
	m := regexp.MustCompile(`name="form_token" value="([0-9a-f]+)"`).FindStringSubmatch(page)
	if m == nil {
		cc.t.Fatalf("no form token on the review page: %.300s", page)
	}
	return m[1]
}

// The console's safety rules, each on its own: cookie flags, the headers, the Origin check and the form
// token, escaping, the 8-hour and idle ends, the phone ending the console, the demo accounts only in
// development, and the routes' own errors.
func TestConsoleSafety(t *testing.T) {
	e := newEnv(t, modeltest.SQLite(t))
	staffTok, _ := e.staffOf("safe-staff", "340100")
	boss := e.employer("safe-boss")
	gig := e.pendingGig(boss, map[string]any{"title": `<script>alert(1)</script>"<i>`})
	cc := newConsoleClient(t, e)

	res, page := cc.get("/console/login")
	csp := res.Header.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'none'", "script-src 'self'", "frame-ancestors 'none'", "form-action 'self'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("the policy %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-inline") || strings.Contains(page, "<script>") || strings.Contains(page, " style=") {
		t.Error("inline script or style on the sign-in page, or allowed by its policy")
	}
	if res.Header.Get("X-Frame-Options") != "DENY" || res.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("headers: %v", res.Header)
	}
	cookieFlags := func(res *http.Response, name string) *http.Cookie {
		for _, c := range res.Cookies() {
			if c.Name == name {
				if !c.HttpOnly || !c.Secure || c.SameSite != http.SameSiteStrictMode || c.Path != "/console/" {
					t.Errorf("cookie %s: %s", name, c.String())
				}
				return c
			}
		}
		t.Fatalf("no cookie %s: %v", name, res.Header["Set-Cookie"])
		return nil
	}
	cookieFlags(res, "lingong_console_ticket")

	ticket := ticketAttr.FindStringSubmatch(page)[1]
	if r := e.do("POST", "/api/v1/console/tickets/"+ticket+"/confirm", staffTok, nil); r.Status != 204 {
		t.Fatalf("confirm: %s", r.Raw)
	}
	// Waiting from another origin is refused before the ticket is looked at.
	if res, _ := cc.post("/console/login/wait", "http://evil.example", url.Values{"ticket": {ticket}}); res.StatusCode != 403 {
		t.Fatalf("waiting from another origin: %d", res.StatusCode)
	}
	res, _ = cc.post("/console/login/wait", cc.srv.URL, url.Values{"ticket": {ticket}})
	session := cookieFlags(res, "lingong_console")
	var stored int64
	e.store.DB.Raw("SELECT COUNT(*) FROM console_sessions WHERE token_hash = ?", session.Value).Scan(&stored)
	if stored != 0 {
		t.Fatal("the session cookie's value is stored as it is")
	}
	_, review := cc.get("/console/review")
	if strings.Contains(review, "<script>alert") || strings.Contains(review, `"<i>`) || !strings.Contains(review, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Fatalf("the gig's title is not escaped: %s", review)
	}
	token := regexp.MustCompile(`name="form_token" value="([0-9a-f]+)"`).FindStringSubmatch(review)[1]

	reject := fmt.Sprintf("/console/review/gigs/%d/reject", gig)
	form := url.Values{"reason": {"写清楚地址"}, "form_token": {token}}
	// The cookie and the token, from another origin: refused.
	if res, body := cc.post(reject, "http://evil.example", form); res.StatusCode != 403 || !strings.Contains(body, "不是从工作台页面发出的") {
		t.Fatalf("another origin: %d", res.StatusCode)
	}
	// No Origin and no Referer: refused.
	if res, _ := cc.post(reject, "", form); res.StatusCode != 403 {
		t.Fatalf("no origin: %d", res.StatusCode)
	}
	// The right origin without the form token: refused.
	if res, body := cc.post(reject, cc.srv.URL, url.Values{"reason": {"写清楚地址"}}); res.StatusCode != 403 || !strings.Contains(body, "页面已过期") {
		t.Fatalf("no form token: %d", res.StatusCode)
	}
	if s := e.gigStatus(gig); s != model.GigPendingReview {
		t.Fatalf("a refused post changed the gig: %s", s)
	}
	// A rejection without a reason is refused beside the field.
	if res, body := cc.post(reject, cc.srv.URL, url.Values{"form_token": {token}}); res.StatusCode != 400 || !strings.Contains(body, "驳回时请写明原因") {
		t.Fatalf("no reason: %d", res.StatusCode)
	}
	if res, _ := cc.post(reject, cc.srv.URL, form); res.StatusCode != 303 || e.gigStatus(gig) != model.GigRejected {
		t.Fatalf("the real rejection: %d, gig %s", res.StatusCode, e.gigStatus(gig))
	}

	// 30 idle minutes end the session; the sign-in page says why.
	realNow := e.store.Now
	e.store.Now = func() time.Time { return realNow().Add(model.ConsoleIdle) }
	res, _ = cc.get("/console/review")
	e.store.Now = realNow
	if res.StatusCode != 303 || res.Header.Get("Location") != "/console/login?ended=idle" {
		t.Fatalf("after 30 idle minutes: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	if _, body := cc.get("/console/login?ended=idle"); !strings.Contains(body, "超过30分钟没有操作") {
		t.Fatal("the sign-in page does not say why")
	}

	// The phone ends the console.
	cc.signIn(staffTok)
	if r := e.do("DELETE", "/api/v1/me/console-sessions", staffTok, nil); r.Status != 200 || r.Body["ended"] != float64(1) {
		t.Fatalf("ending from the phone: %d %s", r.Status, r.Raw)
	}
	if res, _ := cc.get("/console/review"); res.Header.Get("Location") != "/console/login?ended=phone_logout" {
		t.Fatalf("after the phone ended it: %d %s", res.StatusCode, res.Header.Get("Location"))
	}

	// 退出 on the console ends it, and is audited.
	token = cc.signIn(staffTok)
	if res, _ := cc.post("/console/logout", cc.srv.URL, url.Values{"form_token": {token}}); res.Header.Get("Location") != "/console/login?ended=logout" {
		t.Fatalf("logout: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	if res, _ := cc.get("/console/review"); res.StatusCode != 303 {
		t.Fatalf("after logout: %d", res.StatusCode)
	}

	// No demo accounts outside development.
	if res, _ := cc.post("/console/login/demo", cc.srv.URL, url.Values{"account": {"staff"}}); res.StatusCode != 404 {
		t.Fatalf("the demo sign-in in production: %d", res.StatusCode)
	}
}

// In development the sign-in page offers the demo staff and admin, and the cookies work on plain http.
func TestConsoleDemoAccounts(t *testing.T) {
	e := newEnv(t, modeltest.SQLite(t), func(o *handler.Options) { o.Development = true })
	if err := e.store.SeedDemo(context.Background()); err != nil {
		t.Fatal(err)
	}
	cc := newConsoleClient(t, e)
	_, page := cc.get("/console/login")
	if !strings.Contains(page, "演示工作人员（合肥市）") || !strings.Contains(page, "演示管理员（全省）") {
		t.Fatal("no demo accounts on the sign-in page in development")
	}
	for account, who := range map[string]string{"staff": "合肥市", "admin": "全省"} {
		res, _ := cc.post("/console/login/demo", cc.srv.URL, url.Values{"account": {account}})
		for _, c := range res.Cookies() {
			if c.Name == "lingong_console" && c.Secure {
				t.Fatal("a Secure cookie on plain http in development")
			}
		}
		if _, body := cc.get("/console/review"); !strings.Contains(body, who) {
			t.Fatalf("signed in as the demo %s: %.300s", account, body)
		}
	}
	if res, _ := cc.post("/console/login/demo", cc.srv.URL, url.Values{"account": {"worker"}}); res.StatusCode != 404 {
		t.Fatalf("the demo worker: %d", res.StatusCode)
	}
}

// The development sign-in page in a browser: the dev WeChat's code (a plain QR of the page and the ticket)
// beside the demo accounts, and the demo staff member's click into the console.
func TestConsoleDevSignInInABrowser(t *testing.T) {
	chrome := browser(t)
	e := newEnv(t, modeltest.SQLite(t), func(o *handler.Options) { o.Development, o.WeChat = true, wechat.Dev{} })
	if err := e.store.SeedDemo(context.Background()); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(e.api)
	defer srv.Close()
	ctx := chromium(t, chrome)
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/console/login"), chromedp.WaitVisible(chromedp.CSS(`#code`))); err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, "login.png")
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`.demo button.primary`)), chromedp.WaitVisible(chromedp.CSS(`.who`))); err != nil {
		t.Fatal(err)
	}
	who, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`.who`)))
	if err != nil || !strings.Contains(who, "合肥市") {
		t.Fatalf("the demo staff member: %q %v", who, err)
	}
}

// Sign-in codes are limited per address (each costs a WeChat call), and the console opens only from the
// office networks when they are configured.
func TestConsoleSignInLimits(t *testing.T) {
	e := newEnv(t, modeltest.SQLite(t))
	cc := newConsoleClient(t, e)
	for i := range 30 {
		if res, _ := cc.get("/console/login"); res.StatusCode != 200 {
			t.Fatalf("sign-in page %d: %d", i+1, res.StatusCode)
		}
	}
	res, page := cc.get("/console/login")
	if res.StatusCode != 429 || !strings.Contains(page, "登录码刷新得太频繁了") || ticketAttr.MatchString(page) || res.Header.Get("Retry-After") == "" {
		t.Fatalf("the 31st sign-in page in ten minutes: %d %.300s", res.StatusCode, page)
	}
	var tickets int64
	e.store.DB.Raw("SELECT COUNT(*) FROM console_tickets").Scan(&tickets)
	if tickets != 30 {
		t.Fatalf("%d tickets made, want 30", tickets)
	}

	office := func(nets ...string) envOption {
		return func(o *handler.Options) {
			for _, n := range nets {
				o.ConsoleNetworks = append(o.ConsoleNetworks, netip.MustParsePrefix(n))
			}
		}
	}
	outside := newConsoleClient(t, newEnv(t, modeltest.SQLite(t), office("10.20.0.0/16")))
	for _, path := range []string{"/console/login", "/console/review", "/console/assets/console.css"} {
		if res, page := outside.get(path); res.StatusCode != 403 || (path == "/console/login" && !strings.Contains(page, "办公电脑")) {
			t.Fatalf("%s from outside the office networks: %d", path, res.StatusCode)
		}
	}
	// An address claimed in X-Forwarded-For counts only from a trusted proxy (none here).
	spoofed, _ := http.NewRequest("GET", outside.srv.URL+"/console/login", nil)
	spoofed.Header.Set("X-Forwarded-For", "10.20.0.5")
	if res, err := outside.client.Do(spoofed); err != nil || res.StatusCode != 403 {
		t.Fatalf("a claimed office address from outside: %v %v", res, err)
	} else {
		res.Body.Close()
	}
	if r := outside.e.do("GET", "/api/v1/gigs?lat=31.86&lng=117.28", "", nil); r.Status != 200 {
		t.Fatalf("the API is not the console's to close: %d", r.Status)
	}
	inside := newConsoleClient(t, newEnv(t, modeltest.SQLite(t), office("10.20.0.0/16", "127.0.0.0/8")))
	if res, _ := inside.get("/console/login"); res.StatusCode != 200 {
		t.Fatalf("the sign-in page from an office network: %d", res.StatusCode)
	}
}
