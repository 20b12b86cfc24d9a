package wechat_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"maps"
	"strings"
	"testing"
	"time"

	"lingong/handler/wechat"
	"lingong/handler/wechat/wechattest"
)

const (
	appID  = "wx-test-app"
	secret = "s3cr3t-app-secret"
)

// These tests share silenceper's package globals, so none runs in parallel.
func newClient(t *testing.T) (*wechat.Client, *wechattest.Fake) {
	t.Helper()
	fake := wechattest.Start(t, appID, secret)
	c, err := wechat.New(wechat.Config{
		AppID: appID, AppSecret: secret, APIBase: fake.URL, Timeout: 2 * time.Second,
		Backoff: []time.Duration{time.Millisecond, time.Millisecond},
	})
	if err != nil {
		t.Fatal(err)
	}
	return c, fake
}

func TestCode2SessionAnswers(t *testing.T) {
	c, fake := newClient(t)
	ctx := context.Background()

	s, err := c.Code2Session(ctx, "abc")
	if err != nil || s.OpenID != "o-abc" || s.SessionKey != "sk-abc" {
		t.Fatalf("good code: %+v, %v", s, err)
	}
	for code, want := range map[string]error{
		"bad": wechat.ErrBadCode, "used": wechat.ErrBadCode, "slow-down": wechat.ErrRateLimited, "empty": wechat.ErrUnavailable,
	} {
		before := fake.Calls(wechattest.APICode2Session)
		if _, err := c.Code2Session(ctx, code); !errors.Is(err, want) {
			t.Errorf("code %q: err = %v, want %v", code, err, want)
		}
		if n := fake.Calls(wechattest.APICode2Session) - before; n != 1 {
			t.Errorf("code %q was sent %d times; a final answer is never retried", code, n)
		}
	}
}

func TestBusyAndNetworkFailuresAreRetriedThenGiveUp(t *testing.T) {
	c, fake := newClient(t)
	ctx := context.Background()

	fake.FailNext(wechattest.APICode2Session, -1, 0) // busy, then a dropped connection, then fine
	if s, err := c.Code2Session(ctx, "retry-me"); err != nil || s.OpenID != "o-retry-me" {
		t.Fatalf("after two passing failures: %+v, %v", s, err)
	}
	if n := fake.Calls(wechattest.APICode2Session); n != 3 {
		t.Fatalf("calls = %d, want 3", n)
	}

	before := fake.Calls(wechattest.APICode2Session)
	_, err := c.Code2Session(ctx, "busy")
	if !errors.Is(err, wechat.ErrUnavailable) {
		t.Fatalf("always busy: err = %v", err)
	}
	if n := fake.Calls(wechattest.APICode2Session) - before; n != 3 {
		t.Fatalf("always busy: %d calls, want 1 + 2 retries", n)
	}
}

func TestErrorsNeverShowSecrets(t *testing.T) {
	c, fake := newClient(t)
	fake.FailNext(wechattest.APICode2Session, 0, 0, 0)
	_, err := c.Code2Session(context.Background(), "the-code")
	if err == nil {
		t.Fatal("want an error")
	}
	var logged bytes.Buffer
	slog.New(slog.NewTextHandler(&logged, nil)).Error("login failed", "err", err)
	for _, secretText := range []string{secret, "the-code"} {
		if strings.Contains(logged.String(), secretText) {
			t.Fatalf("log line shows %q: %s", secretText, logged.String())
		}
	}
	if !strings.Contains(logged.String(), "secret=***") {
		t.Fatalf("expected the redacted URL in the error, got %s", logged.String())
	}

	// A failing token fetch: silenceper's error would carry the token URL; ours must not carry a token.
	fake.FailNext(wechattest.APIPhoneNumber, 40001)
	if _, err := c.PhoneNumber(context.Background(), "p1"); err != nil {
		t.Fatalf("40001 once is healed by a new token: %v", err)
	}
	fake.FailNext(wechattest.APIPhoneNumber, 47003)
	_, err = c.PhoneNumber(context.Background(), "p2")
	if err == nil || strings.Contains(err.Error(), fake.Token()) {
		t.Fatalf("error shows the access token or is nil: %v", err)
	}
}

func TestPhoneNumberRenewsTokenOnceAndChecksTheApp(t *testing.T) {
	c, fake := newClient(t)
	ctx := context.Background()

	p, err := c.PhoneNumber(ctx, "p")
	if err != nil || p.Number != "13800138000" {
		t.Fatalf("phone: %+v, %v", p, err)
	}
	if n := fake.Calls(wechattest.APIStableToken); n != 1 {
		t.Fatalf("token fetched %d times, want 1 (cached)", n)
	}
	if _, err := c.PhoneNumber(ctx, "p"); err != nil {
		t.Fatal(err)
	}
	if n := fake.Calls(wechattest.APIStableToken); n != 1 {
		t.Fatalf("token fetched %d times after a second call, want it cached", n)
	}

	fake.FailNext(wechattest.APIPhoneNumber, 40001, 40001)
	if _, err := c.PhoneNumber(ctx, "p"); err == nil {
		t.Fatal("40001 twice in a row must fail, not loop")
	}
	if n := fake.Calls(wechattest.APIStableToken); n != 2 {
		t.Fatalf("token fetched %d times, want exactly one renewal", n)
	}

	if _, err := c.PhoneNumber(ctx, "other-app"); !errors.Is(err, wechat.ErrWrongApp) {
		t.Fatalf("watermark of another app: err = %v", err)
	}
	if _, err := c.PhoneNumber(ctx, "bad"); !errors.Is(err, wechat.ErrBadCode) {
		t.Fatalf("bad phone code: err = %v", err)
	}
}

func TestCheckTextReadsTheSuggestion(t *testing.T) {
	c, _ := newClient(t)
	for text, want := range map[string]wechat.Verdict{
		"招聘搬运工": wechat.VerdictPass, "this is risky": wechat.VerdictRisky, "needs review": wechat.VerdictReview,
	} {
		got, err := c.CheckText(context.Background(), "o-1", text)
		if err != nil || got != want {
			t.Errorf("CheckText(%q) = %q, %v; want %q", text, got, err, want)
		}
	}
}

func TestDevWeChat(t *testing.T) {
	var d wechat.Dev
	s, err := d.Code2Session(context.Background(), "alice")
	if err != nil || s.OpenID != "dev-alice" || s.SessionKey == "" {
		t.Fatalf("dev login: %+v %v", s, err)
	}
	if _, err := d.Code2Session(context.Background(), ""); !errors.Is(err, wechat.ErrBadCode) {
		t.Fatal("empty code must be a bad code")
	}
	p, _ := d.PhoneNumber(context.Background(), "13912345678")
	if p.Number != "13912345678" {
		t.Fatalf("11-digit dev code is the number: %+v", p)
	}
	q, _ := d.PhoneNumber(context.Background(), "random-devtools-code")
	if len(q.Number) != 11 || !strings.HasPrefix(q.Number, "139") {
		t.Fatalf("other dev code: %+v", q)
	}
}

func TestMiniProgramCodeThroughTheAPIBase(t *testing.T) {
	c, fake := newClient(t)
	img, err := c.MiniProgramCode(context.Background(), "pages/gig/detail", "g=42")
	if err != nil || string(img) != string(wechattest.FakeCode) || fake.Calls(wechattest.APIWXACode) != 1 {
		t.Fatalf("code: %q %v, calls %d", img, err, fake.Calls(wechattest.APIWXACode))
	}
}

// WeChat answering too slowly: each try ends at the client's timeout, and after the retries the caller
// learns WeChat is unavailable, in bounded time.
func TestSlowWeChatTimesOut(t *testing.T) {
	fake := wechattest.Start(t, appID, secret)
	c, err := wechat.New(wechat.Config{AppID: appID, AppSecret: secret, APIBase: fake.URL, Timeout: 100 * time.Millisecond,
		Backoff: []time.Duration{10 * time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	fake.SlowDown(time.Second)
	start := time.Now()
	_, err = c.Code2Session(context.Background(), "slow")
	if !errors.Is(err, wechat.ErrUnavailable) {
		t.Fatalf("err = %v", err)
	}
	if took := time.Since(start); took > 600*time.Millisecond {
		t.Fatalf("took %v; two tries of 100 ms should end well before", took)
	}
}

// Under a caller's deadline a retry starts only when the time left holds its pause and a whole try: a try that
// timed out leaves too little, so the caller hears at once, and WeChat is not sent a try that would be cut short.
// Quick failures are still retried.
func TestDeadlineLeavesRoomForEachRetry(t *testing.T) {
	fake := wechattest.Start(t, appID, secret)
	c, err := wechat.New(wechat.Config{AppID: appID, AppSecret: secret, APIBase: fake.URL, Timeout: 200 * time.Millisecond,
		Backoff: []time.Duration{10 * time.Millisecond, 10 * time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	fake.FailNext(wechattest.APICode2Session, -1, -1)
	if _, err := c.Code2Session(ctx, "quick"); err != nil || fake.Calls(wechattest.APICode2Session) != 3 {
		t.Fatalf("two quick failures under a roomy deadline: %v after %d calls", err, fake.Calls(wechattest.APICode2Session))
	}
	cancel()

	fake.SlowDown(time.Hour)
	ctx, cancel = context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	if _, err := c.Code2Session(ctx, "hang"); !errors.Is(err, wechat.ErrUnavailable) {
		t.Fatalf("err = %v", err)
	}
	if took := time.Since(start); took > 290*time.Millisecond {
		t.Fatalf("took %v: a retry started that the deadline could not hold", took)
	}
	time.Sleep(200 * time.Millisecond) // until any retry would have been cut at the deadline
	if n := fake.Cancelled(wechattest.APICode2Session); n != 1 {
		t.Fatalf("WeChat saw %d tries given up, want the one", n)
	}
}

// A try silenceper cannot interrupt (getwxacodeunlimit takes no context) still ends for the caller at the deadline.
func TestUninterruptibleTryEndsAtTheDeadline(t *testing.T) {
	fake := wechattest.Start(t, appID, secret)
	c, err := wechat.New(wechat.Config{AppID: appID, AppSecret: secret, APIBase: fake.URL, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	fake.SlowDown(time.Hour)
	ctx, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
	defer cancel()
	start := time.Now()
	if _, err := c.MiniProgramCode(ctx, "pages/index/index", "m=1"); !errors.Is(err, wechat.ErrUnavailable) {
		t.Fatalf("err = %v", err)
	}
	if took := time.Since(start); took > 400*time.Millisecond {
		t.Fatalf("took %v past a deadline of 150ms", took)
	}
}

// A wrong AppSecret shows at once: the start-up check fails, Health reports it until a call goes through.
func TestWrongCredentialsShow(t *testing.T) {
	fake := wechattest.Start(t, appID, secret)
	c, err := wechat.New(wechat.Config{AppID: appID, AppSecret: "not-the-secret", APIBase: fake.URL, Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.CheckCredentials(context.Background()); err == nil {
		t.Fatal("a wrong secret passed the check")
	}
	if !errors.Is(c.Health(), wechat.ErrCredentials) {
		t.Fatalf("health: %v", c.Health())
	}
	good, _ := newClient(t)
	if err := good.CheckCredentials(context.Background()); err != nil || good.Health() != nil {
		t.Fatalf("right credentials: %v, %v", err, good.Health())
	}
}

// Values are checked against WeChat's keyword types: free text is cut with "…", an empty one says 无, and
// anything else WeChat would refuse is an error, never cut.
func TestTemplateValues(t *testing.T) {
	tmpl := wechat.Template{ID: "T", Fields: map[string]string{"gig": "thing1", "result": "phrase2", "date": "date3",
		"time": "time4", "number": "character_string5", "note": "thing6"}}
	good := map[string]string{"gig": "一个标题非常非常非常非常非常长的搬家活需要很多人", "result": "已录用", "date": "2026-12-01",
		"time": "2026年12月1日 08:30", "number": "PICC-2026-000123", "note": ""}
	if problems := tmpl.Check(good); len(problems) != 1 || problems["note"] == "" {
		t.Fatalf("check: %v", problems) // only the empty note is reported to staff composing a push
	}
	data, err := tmpl.Data(good)
	if err != nil {
		t.Fatal(err)
	}
	if v := data["thing1"].Value.(string); len([]rune(v)) != 20 || !strings.HasSuffix(v, "…") {
		t.Fatalf("thing cut: %q", v)
	}
	if data["thing6"].Value != "无" || data["character_string5"].Value != "PICC-2026-000123" {
		t.Fatalf("data: %v %v", data["thing6"], data["character_string5"])
	}
	for field, bad := range map[string]string{"result": "已录用了哦哦哦", "date": "明天", "time": "明天上午",
		"number": strings.Repeat("9", 44), "gig": ""} {
		fields := maps.Clone(good)
		fields[field] = bad
		if tmpl.Check(fields)[field] == "" {
			t.Errorf("%s=%q passed the check", field, bad)
		}
		if field != "gig" {
			if _, err := tmpl.Data(fields); !errors.Is(err, wechat.ErrBadValue) {
				t.Errorf("%s=%q would be sent: %v", field, bad, err)
			}
		}
	}
}

func TestParseTemplatesRefusesUnknownKeywords(t *testing.T) {
	if _, err := wechat.ParseTemplates(`{"application_result": {"id": "T", "fields": {"gig": "thing1", "result": "phrase2"}}}`); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{`{"application_result": {"id": "T", "fields": {"gig": "thng1"}}}`,
		`{"application_result": {"id": "T", "fields": {"gig": "thing"}}}`} {
		if _, err := wechat.ParseTemplates(bad); err == nil {
			t.Errorf("accepted %s", bad)
		}
	}
}
