package handler_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"lingong/handler/wechat/wechattest"
	"lingong/model/modeltest"
)

func browser(t *testing.T) string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("LINGONG_REQUIRE_BROWSER") == "1" {
		t.Fatal("LINGONG_REQUIRE_BROWSER=1 but no chromium is installed")
	}
	modeltest.Notice("no chromium found (apt-get install chromium fonts-noto-cjk): %s in a browser is skipped", t.Name())
	t.Skip("no browser")
	return ""
}

// The information screen in a real browser: it shows the market's gigs, updates when a gig is published,
// and keeps its content, marked with its time, when the API stops answering.
func TestInformationScreenInABrowser(t *testing.T) {
	chrome := browser(t)
	e := newEnv(t, modeltest.SQLite(t))
	if err := e.store.SeedDemo(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := e.live.Load(context.Background()); err != nil {
		t.Fatal(err)
	}
	markets, _ := e.store.Markets(context.Background(), nil, "340104")
	market := markets[0] // 合肥市蜀山区零工市场

	var apiDown atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if apiDown.Load() && strings.HasPrefix(r.URL.Path, "/api/") {
			http.Error(w, "down", http.StatusBadGateway)
			return
		}
		e.api.ServeHTTP(w, r)
	}))
	defer srv.Close()

	alloc, cancel := chromedp.NewExecAllocator(context.Background(), append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chrome), chromedp.NoSandbox, chromedp.DisableGPU, chromedp.WindowSize(1920, 1080),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-quic", true), chromedp.UserDataDir(t.TempDir()))...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(alloc)
	defer cancel()
	ctx, cancel = context.WithTimeout(ctx, 60*time.Second)
	defer cancel()

	text := func(sel string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Text(sel))
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(fmt.Sprintf("%s/screen/markets/%d?refresh=1", srv.URL, market.ID)),
		chromedp.WaitVisible(`#gigs li`)); err != nil {
		t.Fatal(err)
	}
	name, gigs := text(`#market-name`), text(`#gigs`)
	if name != market.Name || !strings.Contains(gigs, "小区保洁") || strings.Contains(gigs, "1395555") {
		t.Fatalf("screen shows %q / %q", name, gigs)
	}

	// A gig published now appears at the next refresh.
	boss := e.employer("screen-boss")
	e.publish(boss, map[string]any{"title": "信息屏新上的活", "location": map[string]any{"lat": market.Lat + 0.002, "lng": market.Lng}})
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.querySelector('#gigs').textContent.includes('信息屏新上的活')`,
		chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Fatalf("the new gig did not appear: %v", err)
	}

	shots := t.TempDir()
	shoot := func(name string) {
		t.Helper()
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(shots, name), png, 0o600); err != nil {
			t.Fatal(err)
		}
		if dir := os.Getenv("LINGONG_SCREENSHOTS"); dir != "" {
			os.WriteFile(filepath.Join(dir, name), png, 0o644)
		}
	}
	shoot("screen-live.png")

	// The API stops answering: the content stays, and the screen says since when.
	apiDown.Store(true)
	if err := chromedp.Do(ctx, chromedp.WaitVisible(`#offline`)); err != nil {
		t.Fatal(err)
	}
	offline, after := text(`#offline`), text(`#gigs`)
	if !strings.Contains(offline, "网络断了") || !strings.Contains(after, "信息屏新上的活") {
		t.Fatalf("offline: %q, content: %q", offline, after)
	}
	if code := e.do("GET", fmt.Sprintf("/api/v1/screen/markets/%d/code", market.ID), "", nil); code.Raw != string(wechattest.FakeCode) ||
		code.Header.Get("Content-Type") != "image/jpeg" {
		t.Fatalf("mini-program code: %q %s", code.Raw, code.Header.Get("Content-Type"))
	}
	shoot("screen-offline.png")
}
