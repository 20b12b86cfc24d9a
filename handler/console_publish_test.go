package handler_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"lingong/model"
	"lingong/model/modeltest"
)

// inputValue reads a form field's value in the browser.
func inputValue(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector(`+strconv.Quote(sel)+`).value`))
	if err != nil {
		t.Fatalf("value of %s: %v", sel, err)
	}
	return v
}

// 发布 in a browser, on SQLite and MariaDB: a market placed by clicking the map of the scope (refused first
// for its name and a missing place, beside the fields with what was typed kept), then a wage guide (refused
// first for its order, the numbers kept), a notice, a shortage and a job fair at the new market, each seen in
// the public API; the list shows them all; another area's staff cannot open or save the market.
func TestConsolePublishInABrowser(t *testing.T) {
	chrome := browser(t)
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		e := newEnv(t, s)
		staffTok, staffID := e.staffOf("publish-staff", "340100")
		srv := httptest.NewServer(e.api)
		defer srv.Close()
		ctx := chromium(t, chrome)
		run, read := browserRun(t, ctx)
		browserSignIn(t, ctx, e, srv.URL, staffTok)

		run("the market form", chromedp.Navigate(srv.URL+"/console/publish"), chromedp.Click(chromedp.CSS(`#new-market`)),
			chromedp.WaitVisible(chromedp.CSS(`#market-map`)),
			chromedp.SendKeys(chromedp.CSS(`input[name=name]`), "合肥市蜀山区零工服务点"),
			chromedp.SetValue(chromedp.CSS(`select[name=area_code]`), "340104"),
			chromedp.SendKeys(chromedp.CSS(`input[name=address]`), "合肥市蜀山区长江西路100号"),
			chromedp.SendKeys(chromedp.CSS(`input[name=hotline]`), "0551-12333"),
			chromedp.SendKeys(chromedp.CSS(`input[name=complaint_phone]`), "12345"),
			chromedp.Click(chromedp.CSS(`#save-market`)), chromedp.WaitVisible(chromedp.CSS(`#refusal`)))
		if s := read(`#market`); !strings.Contains(s, "零工市场的名称应写成") || !strings.Contains(s, "请在地图上点一下位置") {
			t.Fatalf("the name and the place are not refused beside their fields: %q", s)
		}
		if v := inputValue(t, ctx, `input[name=address]`); v != "合肥市蜀山区长江西路100号" {
			t.Fatalf("the address typed was lost: %q", v)
		}
		if v := inputValue(t, ctx, `select[name=area_code]`); v != "340104" {
			t.Fatalf("the county chosen was lost: %q", v)
		}
		// A click on the map fills both inputs and shows the marker there (once its script has run: the page is
		// visible before the script's file has come).
		run("place it on the map", chromedp.WaitVisible(chromedp.CSS(`#market-map.live`)), chromedp.Click(chromedp.CSS(`#market-map`)))
		lat, lng := inputValue(t, ctx, `#lat`), inputValue(t, ctx, `#lng`)
		latF, errLat := strconv.ParseFloat(lat, 64)
		lngF, errLng := strconv.ParseFloat(lng, 64)
		if errLat != nil || errLng != nil || latF < 31.5 || latF > 32.2 || lngF < 116.9 || lngF > 117.7 {
			t.Fatalf("the click did not set the place near Hefei: %q %q", lat, lng)
		}
		if hidden, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById('map-marker').classList.contains('hidden')`)); hidden {
			t.Fatal("the marker is not shown where the map was clicked")
		}
		// Typed numbers move the marker.
		before, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById('map-marker').getAttribute('transform')`))
		run("type a latitude", chromedp.Evaluate[chromedp.Void](`void (document.getElementById('lat').value = '')`), chromedp.SendKeys(chromedp.CSS(`#lat`), "31.9"))
		after, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById('map-marker').getAttribute('transform')`))
		if before == after || after == "" {
			t.Fatalf("typing did not move the marker: %q → %q", before, after)
		}
		lat = inputValue(t, ctx, `#lat`)
		latF, _ = strconv.ParseFloat(lat, 64)
		screenshot(t, ctx, "publish-market.png")
		run("save the market", chromedp.SetValue(chromedp.CSS(`input[name=name]`), "合肥市蜀山区零工市场"),
			chromedp.Click(chromedp.CSS(`#save-market`)), chromedp.WaitVisible(chromedp.CSS(`#done`)))
		var m model.Market
		if err := e.store.DB.Where("name = ?", "合肥市蜀山区零工市场").Take(&m).Error; err != nil {
			t.Fatal(err)
		}
		if m.AreaCode != "340104" || m.Kind != model.MarketKindMarket || m.Lat != latF || m.Lng != lngF {
			t.Fatalf("the market saved: %+v, want %v,%v", m, latF, lngF)
		}
		if r := e.do("GET", "/api/v1/markets?area=340100", "", nil); !strings.Contains(r.Raw, "合肥市蜀山区零工市场") {
			t.Fatalf("the market is not in the public directory: %s", r.Raw)
		}

		// Edited from the list: the form holds the saved market, its place drawn as the marker.
		run("edit the market", chromedp.Click(chromedp.CSS(fmt.Sprintf(`#market-%d a`, m.ID))), chromedp.WaitVisible(chromedp.CSS(`#market-map`)))
		if v := inputValue(t, ctx, `input[name=name]`); v != "合肥市蜀山区零工市场" {
			t.Fatalf("the edit form's name: %q", v)
		}
		if hidden, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById('map-marker').classList.contains('hidden')`)); hidden {
			t.Fatal("the saved place is not drawn on the edit form")
		}
		run("save the edit", chromedp.SetValue(chromedp.CSS(`input[name=hotline]`), "0551-65551234"),
			chromedp.Click(chromedp.CSS(`#save-market`)), chromedp.WaitVisible(chromedp.CSS(`#done`)))
		if err := e.store.DB.Take(&m, m.ID).Error; err != nil || m.Hotline != "0551-65551234" || m.Lat != latF {
			t.Fatalf("the market after the edit: %+v %v", m, err)
		}
		run("the wage guide form", chromedp.Click(chromedp.CSS(`#new-wage-guides`)), chromedp.WaitVisible(chromedp.CSS(`#publish`)),
			chromedp.SetValue(chromedp.CSS(`select[name=category_id]`), "2"),
			chromedp.SendKeys(chromedp.CSS(`input[name=period]`), "2026"),
			chromedp.SendKeys(chromedp.CSS(`input[name=low]`), "180"),
			chromedp.SendKeys(chromedp.CSS(`input[name=median]`), "220"),
			chromedp.SendKeys(chromedp.CSS(`input[name=high]`), "200"),
			chromedp.Click(chromedp.CSS(`#publish-button`)), chromedp.WaitVisible(chromedp.CSS(`#refusal`)))
		if s := read(`#wage-error`); !strings.Contains(s, "低位数 ≤ 中位数 ≤ 高位数") {
			t.Fatalf("the wage order is not refused beside the numbers: %q", s)
		}
		if v := inputValue(t, ctx, `input[name=median]`); v != "220" {
			t.Fatalf("the median typed was lost: %q", v)
		}
		screenshot(t, ctx, "publish-form.png")
		run("publish the wage guide", chromedp.SetValue(chromedp.CSS(`input[name=high]`), "280"),
			chromedp.Click(chromedp.CSS(`#publish-button`)), chromedp.WaitVisible(chromedp.CSS(`#done`)))
		if r := e.do("GET", "/api/v1/wage-guides?area=340100&category_id=2", "", nil); !strings.Contains(r.Raw, `"median_cents":22000`) {
			t.Fatalf("the wage guide is not public: %s", r.Raw)
		}

		run("publish a notice", chromedp.Click(chromedp.CSS(`#new-notices`)), chromedp.WaitVisible(chromedp.CSS(`#publish`)),
			chromedp.SendKeys(chromedp.CSS(`input[name=title]`), "零工市场冬季用工补贴"),
			chromedp.SetValue(chromedp.CSS(`select[name=area_code]`), "340104"),
			chromedp.SendKeys(chromedp.CSS(`textarea[name=body]`), "12月起在本市零工市场登记的求职者可申领交通补贴。"),
			chromedp.Click(chromedp.CSS(`#publish-button`)), chromedp.WaitVisible(chromedp.CSS(`#done`)))
		if r := e.do("GET", "/api/v1/notices?area=340104", "", nil); !strings.Contains(r.Raw, "零工市场冬季用工补贴") || !strings.Contains(r.Raw, `"area_code":"340104"`) {
			t.Fatalf("the notice is not public: %s", r.Raw)
		}

		run("publish a shortage", chromedp.Click(chromedp.CSS(`#new-shortages`)), chromedp.WaitVisible(chromedp.CSS(`#publish`)),
			chromedp.SetValue(chromedp.CSS(`select[name=category_id]`), "4"),
			chromedp.SendKeys(chromedp.CSS(`input[name=period]`), "2026-H1"),
			chromedp.SendKeys(chromedp.CSS(`textarea[name=note]`), "春节后缺口大"),
			chromedp.Click(chromedp.CSS(`#publish-button`)), chromedp.WaitVisible(chromedp.CSS(`#done`)))
		if r := e.do("GET", "/api/v1/shortages?area=340100", "", nil); !strings.Contains(r.Raw, `"period":"2026-H1"`) {
			t.Fatalf("the shortage is not public: %s", r.Raw)
		}

		day := e.store.Now().In(model.Shanghai).AddDate(0, 0, 10).Format(time.DateOnly)
		run("publish a job fair", chromedp.Click(chromedp.CSS(`#new-job-fairs`)), chromedp.WaitVisible(chromedp.CSS(`#publish`)),
			chromedp.SetValue(chromedp.CSS(`select[name=market_id]`), fmt.Sprint(m.ID)),
			chromedp.SendKeys(chromedp.CSS(`input[name=title]`), "家政服务专场招聘会"),
			chromedp.SetValue(chromedp.CSS(`input[name=date]`), day),
			chromedp.SetValue(chromedp.CSS(`input[name=start_time]`), "09:00"),
			chromedp.SetValue(chromedp.CSS(`input[name=end_time]`), "12:00"),
			chromedp.Click(chromedp.CSS(`#publish-button`)), chromedp.WaitVisible(chromedp.CSS(`#done`)))
		if r := e.do("GET", fmt.Sprintf("/api/v1/job-fairs?market_id=%d", m.ID), "", nil); !strings.Contains(r.Raw, "家政服务专场招聘会") {
			t.Fatalf("the job fair is not public: %s", r.Raw)
		}
		for _, sel := range []string{`#wage-guides`, `#notices`, `#shortages`, `#job-fairs`, `#markets`} {
			if s := read(sel); strings.Contains(s, "还没有") {
				t.Fatalf("%s lists nothing after publishing: %q", sel, s)
			}
		}
		run("top of the list", chromedp.Navigate(srv.URL+"/console/publish"), chromedp.WaitVisible(chromedp.CSS(`#wage-guides`)))
		screenshot(t, ctx, "publish.png")

		audit, _ := e.store.AuditLogs(context.Background(), model.AuditQuery{ActorID: uint64(staffID), Limit: 50})
		seen := map[string]int{}
		for _, a := range audit {
			if a.ConsoleSessionID != 0 {
				seen[a.Action]++
			}
		}
		for _, action := range []string{"POST /console/publish/markets", "POST /console/publish/markets/:id", "POST /console/publish/wage-guides", "POST /console/publish/notices",
			"POST /console/publish/shortages", "POST /console/publish/job-fairs"} {
			if seen[action] != 1 {
				t.Fatalf("%s audited with the console session: %v", action, seen)
			}
		}

		// 淮南's staff: the 合肥 market neither opens nor saves, and their publish page does not list it.
		cc := newConsoleClient(t, e)
		huainan, _ := e.staffOf("publish-huainan", "340400")
		token := cc.signIn(huainan)
		if res, _ := cc.get(fmt.Sprintf("/console/publish/markets/%d", m.ID)); res.StatusCode != 404 {
			t.Fatalf("another area's staff opened the market: %d", res.StatusCode)
		}
		res, _ := cc.post(fmt.Sprintf("/console/publish/markets/%d", m.ID), cc.srv.URL, url.Values{"form_token": {token},
			"kind": {"market"}, "name": {"淮南市田家庵区零工市场"}, "area_code": {"340402"}, "address": {"淮南市田家庵区洞山路1号"},
			"lat": {"32.63"}, "lng": {"116.99"}, "hotline": {"12333"}, "complaint_phone": {"12345"}})
		if res.StatusCode != 404 {
			t.Fatalf("another area's staff saved the market: %d", res.StatusCode)
		}
		if err := e.store.DB.Take(&m, m.ID).Error; err != nil || m.Name != "合肥市蜀山区零工市场" {
			t.Fatalf("the market after another area's try: %+v %v", m, err)
		}
		// A form posted with an area outside the scope (the list offers none) is refused as the API refuses it.
		if res, _ := cc.post("/console/publish/notices", cc.srv.URL, url.Values{"form_token": {token}, "title": {"越界的通知"},
			"body": {"不该发出去"}, "area_code": {"340100"}}); res.StatusCode != 404 {
			t.Fatalf("淮南's staff published to 合肥: %d", res.StatusCode)
		}
		if r := e.do("GET", "/api/v1/notices?area=340100", "", nil); strings.Contains(r.Raw, "越界的通知") {
			t.Fatalf("the notice went out: %s", r.Raw)
		}
		if _, page := cc.get("/console/publish"); strings.Contains(page, "合肥市蜀山区零工市场") || strings.Contains(page, "零工市场冬季用工补贴") {
			t.Fatal("淮南's publish page lists 合肥's market or notice")
		}
	})
}

var sixDigits = regexp.MustCompile(`^\d{6}$`)

// 窗口服务 in a browser, on SQLite and MariaDB: a walk-in refused without their consent photo (what was typed
// kept), registered with a photo chosen as a file, the slip showing the binding code that then claims the
// profile in the mini-program; a second walk-in registered with a photo from the (fake) camera; a gig applied
// for on a walk-in's behalf and the call that told them recorded.
func TestConsoleWindowInABrowser(t *testing.T) {
	chrome := browser(t)
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		e := newEnv(t, s)
		staffTok, staffID := e.staffOf("window-staff", "340100")
		if r := e.do("POST", "/api/v1/admin/markets", staffTok, map[string]any{"kind": "market", "name": "合肥市蜀山区零工市场",
			"area_code": "340104", "address": "合肥市蜀山区长江西路100号", "location": map[string]any{"lat": 31.85, "lng": 117.22},
			"hotline": "0551-12333", "complaint_phone": "12345"}); r.Status != 201 {
			t.Fatalf("market: %s", r.Raw)
		}
		photo := filepath.Join(t.TempDir(), "consent.png")
		if err := os.WriteFile(photo, pngBytes(t), 0o600); err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(e.api)
		defer srv.Close()
		ctx := chromium(t, chrome, chromedp.Flag("use-fake-ui-for-media-stream", true), chromedp.Flag("use-fake-device-for-media-stream", true))
		run, read := browserRun(t, ctx)
		browserSignIn(t, ctx, e, srv.URL, staffTok)

		fill := func(name, id, phone string) []chromedp.Action[chromedp.Void] {
			return []chromedp.Action[chromedp.Void]{chromedp.Navigate(srv.URL + "/console/window"), chromedp.WaitVisible(chromedp.CSS(`#walk-in`)),
				chromedp.SendKeys(chromedp.CSS(`input[name=name]`), name),
				chromedp.SendKeys(chromedp.CSS(`input[name=id_number]`), id),
				chromedp.SendKeys(chromedp.CSS(`input[name=phone]`), phone),
				chromedp.SetValue(chromedp.CSS(`select[name=area_code]`), "340104"),
				chromedp.Click(chromedp.CSS(`input[name=skill][value="2"]`)),
				chromedp.Click(chromedp.CSS(`input[name=day][value="1"]`))}
		}
		run("no photo", append(fill("张桂兰", modeltest.IDNumber("19580101", 42), "13866660000"),
			chromedp.Click(chromedp.CSS(`#register-button`)), chromedp.WaitVisible(chromedp.CSS(`#refusal`)))...)
		if s := read(`#photo-error`); !strings.Contains(s, "纸质同意书请拍照上传") {
			t.Fatalf("the missing photo is not named: %q", s)
		}
		if v := inputValue(t, ctx, `input[name=name]`); v != "张桂兰" {
			t.Fatalf("the name typed was lost: %q", v)
		}
		if on, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector('input[name=skill][value="2"]').checked`)); !on {
			t.Fatal("the skill ticked was lost")
		}
		screenshot(t, ctx, "window.png")
		// A photo past 5 MiB is refused beside the photo, the form kept.
		large := filepath.Join(t.TempDir(), "large.png")
		if err := os.WriteFile(large, append(pngBytes(t), make([]byte, 6<<20)...), 0o600); err != nil {
			t.Fatal(err)
		}
		// The page answering is the same form with the same error's place: the old one is marked to tell them apart.
		run("too large", chromedp.SetUploadFiles(chromedp.CSS(`#photo`), []string{large}),
			chromedp.Evaluate[chromedp.Void](`void (document.body.dataset.old = '1')`),
			chromedp.Click(chromedp.CSS(`#register-button`)), chromedp.WaitVisible(chromedp.CSS(`body:not([data-old]) #photo-error`)))
		if s := read(`#photo-error`); !strings.Contains(s, "照片太大了") {
			t.Fatalf("a large photo: %q", s)
		}
		if v := inputValue(t, ctx, `input[name=id_number]`); v != modeltest.IDNumber("19580101", 42) {
			t.Fatalf("the ID number typed was lost: %q", v)
		}
		run("with a file", chromedp.SetUploadFiles(chromedp.CSS(`#photo`), []string{photo}),
			chromedp.Click(chromedp.CSS(`#register-button`)), chromedp.WaitVisible(chromedp.CSS(`#slip`)))
		code, ticket, no := read(`#slip-code`), read(`#slip-ticket`), read(`#worker-no`)
		if !sixDigits.MatchString(code) || len(ticket) != 8 {
			t.Fatalf("the slip: code %q ticket %q", code, ticket)
		}
		if slip := read(`#slip`); !strings.Contains(slip, "138****0000") || strings.Contains(slip, "13866660000") ||
			!strings.Contains(slip, "0551-12333") {
			t.Fatalf("the slip's details: %q", slip)
		}
		screenshot(t, ctx, "window-slip.png")
		var consent model.Consent
		if err := e.store.DB.Where("user_id = ?", no).Take(&consent).Error; err != nil || consent.Method != "paper" || consent.UploadID == nil {
			t.Fatalf("the consent on record: %+v %v", consent, err)
		}
		family, _ := e.login("window-family")
		r := e.do("POST", "/api/v1/me/claim", family, map[string]any{"ticket": ticket, "code": code})
		if r.Status != 200 {
			t.Fatalf("the slip's code does not claim the profile: %d %s", r.Status, r.Raw)
		}
		if me := e.do("GET", "/api/v1/me/worker", r.str("access_token"), nil); me.str("name") != "张桂兰" {
			t.Fatalf("the claimed profile: %s", me.Raw)
		}

		// The camera: Chromium's fake device gives a picture, which goes into the file input.
		run("with the camera", append(fill("李老汉", modeltest.IDNumber("19550505", 7), "13866661111"),
			chromedp.Click(chromedp.CSS(`#camera-start`)), chromedp.WaitVisible(chromedp.CSS(`#camera-shoot`)))...)
		run("wait for the picture", chromedp.Poll[chromedp.Void](`document.getElementById('camera-video').videoWidth > 0`,
			chromedp.WithPollingInterval(50*time.Millisecond)))
		run("shoot", chromedp.Click(chromedp.CSS(`#camera-shoot`)),
			chromedp.Poll[chromedp.Void](`document.getElementById('photo').files.length === 1`, chromedp.WithPollingInterval(50*time.Millisecond)),
			chromedp.Click(chromedp.CSS(`#register-button`)), chromedp.WaitVisible(chromedp.CSS(`#slip`)))
		second, _ := strconv.ParseUint(read(`#worker-no`), 10, 64)
		var up model.Upload
		if err := e.store.DB.Joins("JOIN consents ON consents.upload_id = uploads.id").Where("consents.user_id = ?", second).Take(&up).Error; err != nil ||
			up.ContentType != "image/jpeg" || up.OwnerID != uint64(staffID) {
			t.Fatalf("the camera's photo: %+v %v", up, err)
		}

		// The slip lost: printed again with a new code, naming the person as the first did.
		first := read(`#slip-code`)
		run("print again", chromedp.Click(chromedp.CSS(`#reprint`)), chromedp.WaitVisible(chromedp.CSS(`#reprinted`)))
		if slip := read(`#slip`); !strings.Contains(slip, "李老汉") || !strings.Contains(slip, "138****1111") || read(`#worker-no`) != fmt.Sprint(second) {
			t.Fatalf("the slip printed again: %q", slip)
		}
		if again := read(`#slip-code`); !sixDigits.MatchString(again) || again == first {
			t.Fatalf("the new slip's code: %q after %q", again, first)
		}

		// On the walk-in's behalf: a gig applied for, and the call recorded.
		gig := e.publish(e.employer("window-boss"), nil)
		run("apply for them", chromedp.Click(chromedp.CSS(`#act-for`)), chromedp.WaitVisible(chromedp.CSS(`#apply`)),
			chromedp.SendKeys(chromedp.CSS(`input[name=gig_id]`), fmt.Sprint(gig)),
			chromedp.Click(chromedp.CSS(`#apply-button`)), chromedp.WaitVisible(chromedp.CSS(`#done`)))
		var app model.Application
		if err := e.store.DB.Where("worker_id = ? AND gig_id = ?", second, gig).Take(&app).Error; err != nil {
			t.Fatalf("the application made on their behalf: %v", err)
		}
		if v := inputValue(t, ctx, `input[name=application]`); v != fmt.Sprint(app.ID) {
			t.Fatalf("the call form is not for the new application: %q", v)
		}
		run("record the call", chromedp.SendKeys(chromedp.CSS(`textarea[name=note]`), "已电话告知明早7点到岗"),
			chromedp.Click(chromedp.CSS(`#call-button`)),
			chromedp.WaitVisible(chromedp.CSS(`#done[data-done=called]`)))
		if s := read(`#done`); !strings.Contains(s, "电话已记下") {
			t.Fatalf("after the call: %q", s)
		}
		acts, _ := e.store.OnBehalfActions(context.Background(), second)
		seen := map[string]bool{}
		for _, a := range acts {
			seen[a.Action] = a.ActorID == uint64(staffID)
		}
		if !seen["register"] || !seen["apply"] || !seen["call"] || !seen["binding_code"] {
			t.Fatalf("what was done on their behalf: %+v", acts)
		}
	})
}
