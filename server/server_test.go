package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"lingong/handler/wechat/wechattest"
	"lingong/model/modeltest"
)

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// startServer runs the wired program on a loopback port, in production mode against a fake WeChat, on
// MariaDB when the test server is there and on SQLite otherwise.
func startServer(t *testing.T) (base string, logs *lockedBuffer, stop func() error) {
	t.Helper()
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "e2e.db")
	if mysql := modeltest.MySQLDSN(t); mysql != "" {
		dsn = mysql
	}
	return startServerWith(t, map[string]string{"LINGONG_DB_DSN": dsn})
}

// startServerWith is startServer with some variables set by the test.
func startServerWith(t *testing.T, overrides map[string]string) (base string, logs *lockedBuffer, stop func() error) {
	t.Helper()
	fake := wechattest.Start(t, "wx-e2e", "e2e-secret-value")
	env := prodEnv()
	env["LINGONG_WECHAT_APPID"], env["LINGONG_WECHAT_SECRET"] = "wx-e2e", "e2e-secret-value"
	env["LINGONG_WECHAT_API_BASE"] = fake.URL
	for k, v := range overrides {
		env[k] = v
	}
	cfg, err := loadConfig(envOf(env))
	if err != nil {
		t.Fatal(err)
	}
	logs = &lockedBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	a, err := build(ctx, cfg, slog.New(slog.NewJSONHandler(logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		done <- a.serve(ctx, ln)
		a.close()
	}()
	var once sync.Once
	var result error
	stop = func() error {
		once.Do(func() {
			cancel()
			result = <-done
		})
		return result
	}
	t.Cleanup(func() {
		stop()
		for _, s := range []string{"e2e-secret-value", "sk-", "a-production-jwt-key"} {
			if strings.Contains(logs.String(), s) {
				t.Errorf("server log shows %q", s)
			}
		}
	})
	return "http://" + ln.Addr().String(), logs, stop
}

func post(t *testing.T, url, token string, body any) (int, map[string]any) {
	t.Helper()
	buf, _ := json.Marshal(body)
	req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(buf))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return send(t, req)
}

func send(t *testing.T, req *http.Request) (int, map[string]any) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

func TestServerSignsInThroughWeChat(t *testing.T) {
	base, logs, stop := startServer(t)
	status, login := post(t, base+"/api/v1/auth/login", "", map[string]string{"code": "zhang"})
	if status != 200 {
		t.Fatalf("login: %d %v", status, login)
	}
	token := login["access_token"].(string)
	status, me := post(t, base+"/api/v1/me/phone", token, map[string]string{"code": "p"})
	if status != 200 || me["phone"] != "138****8000" {
		t.Fatalf("phone: %d %v", status, me)
	}
	req, _ := http.NewRequest(http.MethodGet, base+"/api/v1/me", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	if status, me = send(t, req); status != 200 || me["phone"] != "138****8000" {
		t.Fatalf("me: %d %v", status, me)
	}
	if status, _ = post(t, base+"/api/v1/auth/login", "", map[string]string{"code": "bad"}); status != 400 {
		t.Fatalf("bad code: %d", status)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(logs.String(), `"msg":"stopped"`) {
		t.Fatal("the server did not log its stop")
	}
}

// SIGTERM while a request is in flight: the request finishes, new connections are refused, then serve
// returns.
func TestShutdownLetsRequestsInFlightFinish(t *testing.T) {
	base, _, stop := startServer(t)

	pr, pw := io.Pipe()
	req, _ := http.NewRequest(http.MethodPost, base+"/api/v1/auth/login", pr)
	req.Header.Set("Content-Type", "application/json")
	type result struct {
		status int
		err    error
	}
	got := make(chan result, 1)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			got <- result{err: err}
			return
		}
		resp.Body.Close()
		got <- result{status: resp.StatusCode}
	}()
	if _, err := pw.Write([]byte(`{"code":`)); err != nil { // the handler is now reading the body
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond)

	stopped := make(chan error, 1)
	go func() { stopped <- stop() }()
	time.Sleep(200 * time.Millisecond)
	select {
	case err := <-stopped:
		t.Fatalf("serve returned with a request in flight: %v", err)
	default:
	}
	if _, err := net.DialTimeout("tcp", strings.TrimPrefix(base, "http://"), 200*time.Millisecond); err == nil {
		t.Error("new connections are still accepted while shutting down")
	}

	pw.Write([]byte(`"late"}`))
	pw.Close()
	r := <-got
	if r.err != nil || r.status != 200 {
		t.Fatalf("request in flight: status %d, err %v", r.status, r.err)
	}
	if err := <-stopped; err != nil {
		t.Fatalf("serve: %v", err)
	}
}

func TestMigrateCommandAndUnknownCommand(t *testing.T) {
	env := map[string]string{"LINGONG_ENV": "development", "LINGONG_DB_DSN": "sqlite:" + filepath.Join(t.TempDir(), "m.db")}
	var out bytes.Buffer
	if err := run(context.Background(), []string{"migrate"}, envOf(env), &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), `"migrations_applied":[1`) {
		t.Fatalf("migrate printed: %s", out.String())
	}
	if err := run(context.Background(), []string{"serve-everything"}, envOf(env), &out); err == nil {
		t.Fatal("an unknown command must fail")
	}
	if err := run(context.Background(), nil, envOf(map[string]string{}), &out); err == nil ||
		!strings.Contains(err.Error(), "make run") {
		t.Fatalf("no config at all must fail in production and say how to run locally: %v", err)
	}
}

func loginToken(t *testing.T, base, code string) string {
	t.Helper()
	status, body := post(t, base+"/api/v1/auth/login", "", map[string]string{"code": code})
	if status != 200 {
		t.Fatalf("login: %d %v", status, body)
	}
	return body["access_token"].(string)
}

// SIGTERM under load: every request that reached the server gets its whole answer; after that, new
// connections are refused. Nothing is cut off mid-flight.
func TestShutdownUnderLoad(t *testing.T) {
	base, _, stop := startServer(t)
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok, refused := 0, 0
	var broken []error
	halt := make(chan struct{})
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			client := &http.Client{Transport: &http.Transport{}, Timeout: 10 * time.Second}
			for n := 0; n < 5000; n++ {
				select {
				case <-halt:
					return
				default:
				}
				resp, err := client.Get(base + "/api/v1/gigs?lat=31.86&lng=117.28")
				if err == nil {
					_, err = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
				mu.Lock()
				var opErr *net.OpError
				switch {
				case err == nil && resp.StatusCode == 200:
					ok++
				case errors.As(err, &opErr) && opErr.Op == "dial":
					refused++
				default:
					broken = append(broken, fmt.Errorf("status %v, err %v", resp, err))
				}
				mu.Unlock()
				if err != nil {
					return // the server is gone
				}
			}
		}()
	}
	time.Sleep(300 * time.Millisecond)
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	close(halt)
	wg.Wait()
	if len(broken) > 0 {
		t.Fatalf("%d requests broken mid-flight, e.g. %v (ok %d, refused %d)", len(broken), broken[0], ok, refused)
	}
	if ok == 0 {
		t.Fatal("no request went through before the shutdown")
	}
}

// A wrong AppSecret: one clear line for the operator at start, /readyz says degraded, browsing still answers.
func TestWrongWeChatSecretShowsAtStart(t *testing.T) {
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "e2e.db")
	base, logs, stop := startServerWith(t, map[string]string{"LINGONG_DB_DSN": dsn, "LINGONG_WECHAT_SECRET": "a-wrong-secret-value"})
	defer stop()
	req, _ := http.NewRequest(http.MethodGet, base+"/readyz", nil)
	if status, body := send(t, req); status != 200 || body["status"] != "degraded" {
		t.Fatalf("readyz: %d %v", status, body)
	}
	if !strings.Contains(logs.String(), "WECHAT REJECTS THE APPID OR APPSECRET") || strings.Contains(logs.String(), "a-wrong-secret-value") {
		t.Fatalf("the operator's line is missing, or the secret is in the log: %s", logs.String())
	}
	gigs, _ := http.NewRequest(http.MethodGet, base+"/api/v1/gigs?lat=31.86&lng=117.28", nil)
	if status, _ := send(t, gigs); status != 200 {
		t.Fatalf("browsing: %d", status)
	}
}
