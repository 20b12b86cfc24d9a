package handler_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"lingong/handler"
	"lingong/handler/wechat"
	"lingong/handler/wechat/wechattest"
	"lingong/model"
)

const (
	testAppID  = "wx-api-test"
	testSecret = "api-test-app-secret-value"
	jwtKey     = "test-jwt-key-that-is-32-bytes-long!!"
)

// env is one API on a fresh database, with the real WeChat client talking to a fake WeChat.
type env struct {
	t     testing.TB
	api   *handler.API
	store *model.Store
	live  *model.LiveGigs
	feed  *model.ChangeFeed
	fake  *wechattest.Fake
	logs  *syncBuffer
	now   time.Time
}

type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

type envOption func(*handler.Options)

func newEnv(t testing.TB, store *model.Store, opts ...envOption) *env {
	t.Helper()
	fake := wechattest.Start(t, testAppID, testSecret)
	client, err := wechat.New(wechat.Config{AppID: testAppID, AppSecret: testSecret, APIBase: fake.URL,
		Backoff: []time.Duration{time.Millisecond, time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, store: store, fake: fake, logs: &syncBuffer{}}
	tokens, err := handler.NewTokens(handler.TokenConfig{Key: []byte(jwtKey), Issuer: "lingong",
		Audience: "lingong-miniprogram", TTL: time.Hour, Now: e.clock})
	if err != nil {
		t.Fatal(err)
	}
	if e.feed, err = store.NewChangeFeed(context.Background()); err != nil {
		t.Fatal(err)
	}
	live := model.NewLiveGigs(store)
	store.UseLiveIndex(live) // as the server wires it
	if err := live.Load(context.Background()); err != nil {
		t.Fatal(err)
	}
	e.live = live
	o := handler.Options{
		Store: store, Live: live, WeChat: client, Tokens: tokens, Limiter: handler.NewMemoryLimiter(),
		Log:          slog.New(slog.NewJSONHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		AdminOpenIDs: map[string]bool{"o-boss": true}, RefreshTTL: 24 * time.Hour, LoginPerMinute: 1000,
		UploadDir: t.TempDir(),
	}
	for _, opt := range opts {
		opt(&o)
	}
	e.api, err = handler.New(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		for _, s := range []string{testSecret, "sk-"} {
			if strings.Contains(e.logs.String(), s) {
				t.Errorf("the log shows %q:\n%s", s, e.logs.String())
			}
		}
	})
	return e
}

// follow does what the server's follow-changes job does every second: brings the change feed to the index
// and the session cache.
func (e *env) follow() {
	e.t.Helper()
	ch, err := e.feed.Next(context.Background())
	if err == nil {
		e.store.ForgetSessions(ch)
		err = e.live.Follow(context.Background(), ch)
	}
	if err != nil {
		e.t.Fatal(err)
	}
}

func (e *env) clock() time.Time {
	if e.now.IsZero() {
		return time.Now()
	}
	return e.now
}

// response is a decoded answer.
type response struct {
	Status int
	Header http.Header
	Body   map[string]any
	Raw    string
}

func (r response) str(key string) string { s, _ := r.Body[key].(string); return s }

func (e *env) do(method, path, token string, body any) response {
	e.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		buf, _ := json.Marshal(b)
		rd = bytes.NewReader(buf)
	}
	req := httptest.NewRequest(method, path, rd)
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return e.serve(req)
}

func newJSONRequest(method, path, body string) *http.Request {
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	return req
}

func (e *env) serve(req *http.Request) response {
	rec := httptest.NewRecorder()
	e.api.ServeHTTP(rec, req)
	out := response{Status: rec.Code, Header: rec.Header(), Raw: rec.Body.String()}
	if strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
		if strings.HasPrefix(out.Raw, "[") { // a list comes back under "items"
			var items []any
			_ = json.Unmarshal(rec.Body.Bytes(), &items)
			out.Body = map[string]any{"items": items}
		} else {
			_ = json.Unmarshal(rec.Body.Bytes(), &out.Body)
		}
	}
	return out
}

// login signs in with a code of the fake WeChat and returns the access and refresh tokens.
func (e *env) login(code string) (access, refresh string) {
	e.t.Helper()
	r := e.do("POST", "/api/v1/auth/login", "", map[string]string{"code": code})
	if r.Status != http.StatusOK {
		e.t.Fatalf("login %q: %d %s", code, r.Status, r.Raw)
	}
	return r.str("access_token"), r.str("refresh_token")
}

// wantError checks an error answer: status, code, a Chinese message and the request id.
func wantError(t *testing.T, r response, status int, code string) {
	t.Helper()
	if r.Status != status || r.str("code") != code {
		t.Fatalf("got %d %s, want %d %s", r.Status, r.Raw, status, code)
	}
	if r.str("message") == "" || r.str("request_id") == "" || r.str("request_id") != r.Header.Get("X-Request-Id") {
		t.Fatalf("error body lacks message or request id: %s", r.Raw)
	}
}
