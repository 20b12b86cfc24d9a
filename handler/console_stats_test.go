package handler_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"lingong/model"
	"lingong/model/modeltest"
)

// statsSeed makes a day's figures in 合肥市蜀山区: two gigs of one 工种 (daily wages 300 and 200), an
// application taken on, and a complaint.
func (e *env) statsSeed() {
	e.t.Helper()
	boss := e.employer("stats-boss")
	gig := e.publish(boss, map[string]any{"hiring_mode": "first_come", "headcount": 1, "wage_cents": 30000})
	e.publish(boss, map[string]any{"wage_cents": 20000})
	w := e.workerIn("stats-w1", "340104")
	if r := e.do("POST", fmt.Sprintf("/api/v1/gigs/%d/applications", gig), w, nil); r.Status != 201 {
		e.t.Fatalf("apply: %s", r.Raw)
	}
	if r := e.do("POST", "/api/v1/complaints", w, map[string]any{"category": "fees", "description": "让我先交押金两百元"}); r.Status != 201 {
		e.t.Fatalf("complaint: %s", r.Raw)
	}
}

// 统计 in a browser: the charts drawn as SVG with a bar per day of the period, per 工种's average and median,
// per complaint category, the matching rate a point a day, each chart's numbers in its table; the monthly
// report downloaded through the console and opened with excelize. On SQLite and MariaDB.
func TestConsoleStatsInABrowser(t *testing.T) {
	chrome := browser(t)
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		e := newEnv(t, s)
		staffTok, _ := e.staffOf("stats-staff", "340100")
		e.statsSeed()
		now := e.store.Now().In(model.Shanghai)
		from, to := now.AddDate(0, 0, -2).Format(time.DateOnly), now.Format(time.DateOnly)
		srv := httptest.NewServer(e.api)
		defer srv.Close()
		ctx := chromium(t, chrome)
		run, read := browserRun(t, ctx)
		browserSignIn(t, ctx, e, srv.URL, staffTok)

		run("the stats page", chromedp.Navigate(srv.URL+"/console/stats?from="+from+"&to="+to), chromedp.WaitVisible(chromedp.CSS(`#chart-trend`)))
		count := func(sel string) int {
			n, err := chromedp.Run(ctx, chromedp.Evaluate[int](fmt.Sprintf(`document.querySelectorAll(%q).length`, sel)))
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		values := func(sel string) string {
			v, err := chromedp.Run(ctx, chromedp.Evaluate[string](fmt.Sprintf(
				`Array.from(document.querySelectorAll(%q)).map(b => b.getAttribute('data-value')).join(',')`, sel)))
			if err != nil {
				t.Fatal(err)
			}
			return v
		}
		// Three days, the applications on the last; the day's match rate 100%.
		if n, v := count(`#chart-trend rect.bar`), values(`#chart-trend rect.bar`); n != 3 || v != "0,0,1" {
			t.Fatalf("the trend's bars: %d (%s)", n, v)
		}
		if n, v := count(`#chart-rate circle.point`), values(`#chart-rate circle.point`); n != 3 || v != "0,0,1" {
			t.Fatalf("the rate's points: %d (%s)", n, v)
		}
		if count(`#chart-rate polyline.line`) != 1 {
			t.Fatal("no line joins the rate's points")
		}
		// One 工种: its average and its median, 250 each in 元.
		if n, v := count(`#chart-wages rect.bar`), values(`#chart-wages rect.bar`); n != 2 || v != "25000,25000" {
			t.Fatalf("the wages' bars: %d (%s)", n, v)
		}
		if n := count(`#chart-complaints rect.bar`); n != 1 {
			t.Fatalf("the complaints' bars: %d", n)
		}
		// Every count has its bar and its row in the chart's table.
		if bars, rows := count(`#chart-counts rect.bar`), count(`#chart-counts-table tr`); bars < 10 || bars != rows {
			t.Fatalf("the counts: %d bars, %d rows", bars, rows)
		}
		if table := read(`#chart-wages-table`); !strings.Contains(table, "平均") || !strings.Contains(table, "250") {
			t.Fatalf("the wages' table: %q", table)
		}
		if rate := read(`#rates`); !strings.Contains(rate, "100.0%") {
			t.Fatalf("the rates: %q", rate)
		}
		// The picture shows the charts: the page scrolled past the filters.
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[int](`window.scrollTo(0, document.querySelector('.figures-block').offsetTop - 12), 0`)); err != nil {
			t.Fatal(err)
		}
		screenshot(t, ctx, "stats.png")

		// The monthly report, downloaded as a person would: a click, the browser saves the file.
		dir := t.TempDir()
		progress := chromedp.Events(ctx, cdpbrowser.DownloadProgress)
		run("download the monthly report", chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			_, err := chromedp.Call(ctx, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{
				Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: dir, EventsEnabled: ptr(true)})
			return err
		}), chromedp.SetValue(chromedp.CSS(`#monthly input[name=month]`), now.Format("2006-01")), chromedp.Click(chromedp.CSS(`#download`)))
		var file string
		for ev, err := range progress {
			if err != nil {
				t.Fatal(err)
			}
			if ev.State == cdpbrowser.DownloadProgressStateCompleted {
				file = filepath.Join(dir, ev.GUID)
				break
			}
			if ev.State == cdpbrowser.DownloadProgressStateCanceled {
				t.Fatal("the download was cancelled")
			}
		}
		raw, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		xl, err := excelize.OpenReader(strings.NewReader(string(raw)))
		if err != nil {
			t.Fatal(err)
		}
		defer xl.Close()
		if sheets := xl.GetSheetList(); !slices.Equal(sheets, []string{"概况", "工资", "投诉", "未到岗欠薪-雇主", "未到岗欠薪-市场", "有活提醒"}) {
			t.Fatalf("the sheets: %v", sheets)
		}
		for cell, want := range map[string]string{"A1": "零工市场月报", "C1": "合肥市", "A9": "录用", "B9": "1", "B5": "2"} {
			if v, _ := xl.GetCellValue("概况", cell); v != want {
				t.Errorf("概况 %s = %q, want %q", cell, v, want)
			}
		}
		if v, _ := xl.GetCellValue("工资", "D2"); v != "250" {
			t.Errorf("the median daily wage D2 = %q", v)
		}
	})
}

func ptr[T any](v T) *T { return &v }

// Staff of another area see none of 合肥's figures: its areas are refused, its report has none of them, and
// a filter typed wrong is refused beside its field.
func TestConsoleStatsScope(t *testing.T) {
	e := newEnv(t, modeltest.SQLite(t))
	hefeiTok, _ := e.staffOf("s-hefei", "340100")
	huainanTok, _ := e.staffOf("s-huainan", "340400")
	e.statsSeed()
	today := e.store.Now().In(model.Shanghai).Format(time.DateOnly)
	month := today[:7]

	huainan := newConsoleClient(t, e)
	huainan.signIn(huainanTok)
	if res, _ := huainan.get("/console/stats?from=" + today + "&to=" + today + "&area=340104"); res.StatusCode != 404 {
		t.Fatalf("淮南 read 蜀山区's figures: %d", res.StatusCode)
	}
	if res, _ := huainan.get("/console/stats/monthly.xlsx?month=" + month + "&area=340104"); res.StatusCode != 404 {
		t.Fatalf("淮南 downloaded 蜀山区's report: %d", res.StatusCode)
	}
	_, page := huainan.get("/console/stats?from=" + today + "&to=" + today)
	if !strings.Contains(page, `data-value="0"`) || strings.Contains(page, "chart-wages") || strings.Contains(page, "340104") {
		t.Fatalf("淮南's page shows 合肥's figures or areas: %.400s", page)
	}
	res, body := huainan.get("/console/stats/monthly.xlsx?month=" + month)
	if res.StatusCode != 200 {
		t.Fatalf("淮南's report: %d", res.StatusCode)
	}
	xl, err := excelize.OpenReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer xl.Close()
	if v, _ := xl.GetCellValue("概况", "B5"); v != "0" {
		t.Fatalf("淮南's report counts 合肥's gigs: %q", v)
	}
	if res, body := huainan.get("/console/stats?from=2026-13-01&to=" + today); res.StatusCode != 400 || !strings.Contains(body, "日期写成 2026-11-01") {
		t.Fatalf("a wrong date: %d", res.StatusCode)
	}

	// A market counts as its county: 合肥 staff choosing 蜀山区's market see 蜀山区's figures, and its workbook;
	// 淮南 staff are not offered it and are refused it.
	r := e.do("POST", "/api/v1/admin/markets", hefeiTok, map[string]any{"kind": "market", "name": "合肥市蜀山区零工市场",
		"area_code": "340104", "address": "合肥市蜀山区黄山路 459 号", "location": map[string]any{"lat": 31.8440, "lng": 117.2510},
		"opening_hours": "周一至周日 6:00-18:00", "services": "招工登记", "hotline": "0551-12333", "complaint_phone": "12333"})
	if r.Status != 201 {
		t.Fatalf("market: %s", r.Raw)
	}
	market := fmt.Sprint(int(r.Body["id"].(float64)))
	hefei := newConsoleClient(t, e)
	hefei.signIn(hefeiTok)
	_, page = hefei.get("/console/stats?from=" + today + "&to=" + today + "&market=" + market)
	if !strings.Contains(page, "chart-wages") || !strings.Contains(page, "按市场所在的合肥市蜀山区统计") ||
		!strings.Contains(page, `name="area" value="340104"`) {
		t.Fatalf("合肥 choosing 蜀山区's market: %.600s", page)
	}
	if res, body := huainan.get("/console/stats?from=" + today + "&to=" + today + "&market=" + market); res.StatusCode != 400 ||
		!strings.Contains(body, "本辖区没有这个零工市场") || strings.Contains(body, "chart-wages") {
		t.Fatalf("淮南 choosing 合肥's market: %d", res.StatusCode)
	}
}
