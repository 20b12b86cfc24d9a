package handler_test

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
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

// pushTemplates are WeChat templates with the keyword types real ones of these kinds use (a phrase, a date).
func pushTemplates(o *handler.Options) {
	o.Templates = wechat.Templates{
		model.MsgApplicationResult: {ID: "T-APP", Fields: map[string]string{"gig": "thing1", "result": "phrase2", "date": "date3", "note": "thing4"}},
		model.MsgGigCancelled:      {ID: "T-CANCEL", Fields: map[string]string{"gig": "thing1", "date": "date2", "note": "thing3"}},
	}
}

// deliver sends the due subscribe messages once, as the server's notifier does: to the fake WeChat when the
// worker has a grant left, recorded as 没有订阅 when not, as failed when WeChat refuses it.
func (e *env) deliver(templates wechat.Templates) {
	e.t.Helper()
	ctx := context.Background()
	client, err := wechat.New(wechat.Config{AppID: testAppID, AppSecret: testSecret, APIBase: e.fake.URL,
		Backoff: []time.Duration{time.Millisecond}})
	if err != nil {
		e.t.Fatal(err)
	}
	due, err := e.store.DueMessages(ctx, 100)
	if err != nil {
		e.t.Fatal(err)
	}
	for i := range due {
		m := &due[i]
		if ok, err := e.store.ClaimMessage(ctx, m); err != nil || !ok {
			e.t.Fatalf("claim: %v %v", ok, err)
		}
		if granted, _ := e.store.HasGrant(ctx, m.UserID, m.TemplateKey); !granted {
			err = e.store.MarkNoGrant(ctx, m)
		} else if openID, err2 := e.store.OpenIDOf(ctx, m.UserID); err2 != nil {
			e.t.Fatal(err2)
		} else if id, err2 := client.SendSubscribe(ctx, openID, templates[m.TemplateKey], m.Page, m.Fields()); err2 == nil {
			err = e.store.MarkSent(ctx, m, id)
		} else if errors.Is(err2, wechat.ErrBadMessage) {
			err = e.store.MarkFailed(ctx, m, err2.Error(), false)
		} else {
			e.t.Fatal(err2)
		}
		if err != nil {
			e.t.Fatal(err)
		}
	}
}

// 推送 in a browser: a message with two values WeChat would refuse comes back with both beside their fields
// and what was typed kept; put right, it is previewed as the phone shows it (free text cut at 20 characters)
// with the number it reaches, confirmed and sent; the sender runs once against the fake WeChat and the report
// counts what happened to each (sent, 没有订阅, failed). The 11th push of the hour is refused on the form,
// the input kept. On SQLite and MariaDB.
func TestConsolePushInABrowser(t *testing.T) {
	chrome := browser(t)
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		e := newEnv(t, s, pushTemplates)
		var opts handler.Options
		pushTemplates(&opts)
		staffTok, staffID := e.staffOf("push-staff", "340100")
		var ids []string
		var workers []string
		for i := range 4 {
			w := e.workerIn(fmt.Sprintf("push-w%d", i), "340104")
			workers = append(workers, w)
			ids = append(ids, fmt.Sprint(int(e.do("GET", "/api/v1/me", w, nil).Body["id"].(float64))))
		}
		// Three accepted 报名结果 in the mini-program; the fourth did not.
		for _, w := range workers[:3] {
			if r := e.do("POST", "/api/v1/me/subscriptions", w, map[string]string{"T-APP": "accept"}); r.Status != 200 {
				t.Fatalf("subscribe: %s", r.Raw)
			}
		}
		srv := httptest.NewServer(e.api)
		defer srv.Close()
		ctx := chromium(t, chrome)
		run, read := browserRun(t, ctx)
		browserSignIn(t, ctx, e, srv.URL, staffTok)

		long := "蜀山区小区绿化养护明天上午的活改到后天上午八点"
		run("compose with a phrase and a date WeChat would refuse", chromedp.Navigate(srv.URL+"/console/push"),
			chromedp.WaitVisible(chromedp.CSS(`#compose`)),
			chromedp.SendKeys(chromedp.CSS(`input[name="data.gig"]`), long),
			chromedp.SendKeys(chromedp.CSS(`input[name="data.result"]`), "录用了请按时到"),
			chromedp.SendKeys(chromedp.CSS(`input[name="data.date"]`), "12月1日"),
			chromedp.SendKeys(chromedp.CSS(`textarea[name=user_ids]`), strings.Join(ids, ", ")),
			chromedp.Click(chromedp.CSS(`#compose button[type=submit]`)),
			chromedp.WaitVisible(chromedp.CSS(`[id="error-data.result"]`)))
		if msg := read(`[id="error-data.result"]`); !strings.Contains(msg, "5个以内的汉字") {
			t.Fatalf("beside 结果: %q", msg)
		}
		if msg := read(`[id="error-data.date"]`); !strings.Contains(msg, "2026-12-01") {
			t.Fatalf("beside 哪天干: %q", msg)
		}
		if v, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('input[name="data.gig"]').value`)); v != long {
			t.Fatalf("what was typed is not kept: %q", v)
		}
		var queued int64
		e.store.DB.Model(&model.OutboxMessage{}).Where("push_id IS NOT NULL").Count(&queued)
		if queued != 0 {
			t.Fatal("a refused preview queued messages")
		}
		screenshot(t, ctx, "push.png")

		run("preview", chromedp.SetValue(chromedp.CSS(`input[name="data.result"]`), "已录用"),
			chromedp.SetValue(chromedp.CSS(`input[name="data.date"]`), "2026-12-01"),
			chromedp.SendKeys(chromedp.CSS(`input[name="data.note"]`), "请带好手套"),
			chromedp.Click(chromedp.CSS(`#compose button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS(`#preview`)))
		card := read(`#preview`)
		for _, want := range []string{"报名结果通知", "哪个活", string([]rune(long)[:19]) + "…", "结果", "已录用", "哪天干", "2026-12-01",
			"要说的话", "请带好手套", "进入小程序查看"} {
			if !strings.Contains(card, want) {
				t.Fatalf("the card lacks %q: %q", want, card)
			}
		}
		if n := read(`#recipients`); !strings.Contains(n, "4") {
			t.Fatalf("the confirm page says %q", n)
		}
		screenshot(t, ctx, "push-preview.png")
		// 返回修改 opens the form with everything typed; previewed again, the same page.
		run("back to the form", chromedp.Click(chromedp.CSS(`.confirm-buttons a.button`)), chromedp.WaitVisible(chromedp.CSS(`#compose`)))
		for sel, want := range map[string]string{`input[name="data.gig"]`: long, `input[name="data.note"]`: "请带好手套", `textarea[name=user_ids]`: strings.Join(ids, ", ")} {
			if v, _ := chromedp.Run(ctx, chromedp.Evaluate[string](fmt.Sprintf(`document.querySelector('%s').value`, sel))); v != want {
				t.Fatalf("back on the form, %s is %q", sel, v)
			}
		}
		run("preview again", chromedp.Click(chromedp.CSS(`#compose button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS(`#send`)))
		// WeChat refuses the first worker's message (47003): it fails, and is not tried again.
		e.fake.FailNext(wechattest.APISubscribe, 47003)
		run("send", chromedp.Click(chromedp.CSS(`#send`)), chromedp.WaitVisible(chromedp.CSS(`#done`)))
		if read(`#pending`) != "4" || read(`#sent`) != "0" {
			t.Fatalf("before sending: %q pending", read(`#pending`))
		}
		e.deliver(opts.Templates)
		run("the report", chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(`#report`)))
		if got := [4]string{read(`#sent`), read(`#no-grant`), read(`#failed`), read(`#pending`)}; got != [4]string{"2", "1", "1", "0"} {
			t.Fatalf("sent, no grant, failed, pending: %v", got)
		}
		screenshot(t, ctx, "push-report.png")
		var p model.Push
		e.store.DB.Order("id DESC").Take(&p)
		api := e.do("GET", fmt.Sprintf("/api/v1/admin/pushes/%d", p.ID), staffTok, nil)
		if api.Body["sent"] != float64(2) || api.Body["no_grant"] != float64(1) || api.Body["failed"] != float64(1) {
			t.Fatalf("the API's report differs: %s", api.Raw)
		}
		audit, _ := e.store.AuditLogs(context.Background(), model.AuditQuery{ActorID: uint64(staffID), Limit: 20})
		found := false
		for _, a := range audit {
			found = found || (a.Action == "POST /console/pushes" && a.TargetID == fmt.Sprint(p.ID) && a.ConsoleSessionID != 0)
		}
		if !found {
			t.Fatalf("the push is not audited with the console session: %+v", audit)
		}

		// The hour's other nine through the API; the console's 11th is refused on the form, the input kept.
		first, _ := strconv.Atoi(ids[0])
		for range model.PushesPerHour - 1 {
			if r := e.do("POST", "/api/v1/admin/pushes", staffTok, map[string]any{"template_id": "gig_cancelled",
				"data": map[string]string{"gig": "搬家", "date": "2026-12-01", "note": "下雨"}, "audience": map[string]any{"user_ids": []int{first}}}); r.Status != 201 {
				t.Fatalf("push: %s", r.Raw)
			}
		}
		run("the 11th", chromedp.Navigate(srv.URL+"/console/push"), chromedp.WaitVisible(chromedp.CSS(`#recent`)),
			chromedp.SendKeys(chromedp.CSS(`input[name="data.gig"]`), "小区绿化"),
			chromedp.SendKeys(chromedp.CSS(`input[name="data.result"]`), "已录用"),
			chromedp.SendKeys(chromedp.CSS(`input[name="data.date"]`), "2026-12-02"),
			chromedp.SendKeys(chromedp.CSS(`input[name="data.note"]`), "请带好手套"),
			chromedp.SendKeys(chromedp.CSS(`textarea[name=user_ids]`), ids[0]),
			chromedp.Click(chromedp.CSS(`#compose button[type=submit]`)))
		run("send the 11th", chromedp.WaitVisible(chromedp.CSS(`#send`)),
			chromedp.Click(chromedp.CSS(`#send`)), chromedp.WaitVisible(chromedp.CSS(`#refusal`)))
		if msg := read(`#refusal`); !strings.Contains(msg, "一小时最多10次") {
			t.Fatalf("the 11th push: %q", msg)
		}
		if v, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('input[name="data.gig"]').value`)); v != "小区绿化" {
			t.Fatalf("what was typed is not kept: %q", v)
		}
		if rows := read(`#recent`); !strings.Contains(rows, fmt.Sprintf("第 %d 号", p.ID)) {
			t.Fatalf("the recent pushes: %q", rows)
		}
	})
}

// Who may push to whom and read which report: staff of another area reach none of this area's workers,
// gigs or reports, and see none of its pushes listed; colleagues of the area read each other's pushes, and a
// sender moved to another area no longer reads theirs; a send needs the form token.
func TestConsolePushScope(t *testing.T) {
	e := newEnv(t, modeltest.SQLite(t), pushTemplates)
	hefeiTok, hefeiID := e.staffOf("p-hefei", "340100")
	huainanTok, _ := e.staffOf("p-huainan", "340400")
	w := e.workerIn("p-w", "340104")
	wid := fmt.Sprint(int(e.do("GET", "/api/v1/me", w, nil).Body["id"].(float64)))
	boss := e.employer("p-boss")
	gig := e.publish(boss, nil)
	form := url.Values{"template_id": {"gig_cancelled"}, "data.gig": {"搬家"}, "data.date": {"2026-12-01"}, "data.note": {"下雨"},
		"segment": {"list"}, "user_ids": {wid}}

	hefei := newConsoleClient(t, e)
	token := hefei.signIn(hefeiTok)
	if res, _ := hefei.post("/console/pushes", hefei.srv.URL, form); res.StatusCode != 403 {
		t.Fatalf("a send without the form token: %d", res.StatusCode)
	}
	send := url.Values{"form_token": {token}}
	for k, v := range form {
		send[k] = v
	}
	// The confirm page's key: the same confirmed form sent twice (a double click) is one push, one report.
	_, preview := hefei.get("/console/push/preview?" + form.Encode())
	key := regexp.MustCompile(`name="send_key" value="([0-9a-f]{32})"`).FindStringSubmatch(preview)
	if key == nil {
		t.Fatalf("no send key on the confirm page: %.500s", preview)
	}
	send.Set("send_key", key[1])
	res, _ := hefei.post("/console/pushes", hefei.srv.URL, send)
	again, _ := hefei.post("/console/pushes", hefei.srv.URL, send)
	if res.StatusCode != 303 || again.StatusCode != 303 || again.Header.Get("Location") != res.Header.Get("Location") {
		t.Fatalf("合肥's send, twice: %d %d %q %q", res.StatusCode, again.StatusCode, res.Header.Get("Location"), again.Header.Get("Location"))
	}
	report := res.Header.Get("Location")
	report = report[:strings.Index(report, "?")]

	typo := url.Values{"template_id": {"gig_cancelled"}, "data.gig": {"搬家"}, "data.date": {"2026-12-01"}, "data.note": {"下雨"},
		"segment": {"list"}, "user_ids": {wid + "，12a"}}
	if res, body := hefei.get("/console/push/preview?" + typo.Encode()); res.StatusCode != 400 || !strings.Contains(body, "“12a”不是编号") ||
		!strings.Contains(body, wid+"，12a</textarea>") {
		t.Fatalf("a list with a typo: %d", res.StatusCode)
	}

	huainan := newConsoleClient(t, e)
	token = huainan.signIn(huainanTok)
	if _, body := huainan.get("/console/push/preview?" + form.Encode()); !strings.Contains(body, "没有找到要通知的人") {
		t.Fatalf("淮南 reached a 合肥 worker: %.500s", body)
	}
	byGig := url.Values{"template_id": {"gig_cancelled"}, "data.gig": {"搬家"}, "data.date": {"2026-12-01"}, "data.note": {"下雨"},
		"segment": {"gig_confirmed"}, "gig_id": {fmt.Sprint(gig)}}
	if res, body := huainan.get("/console/push/preview?" + byGig.Encode()); res.StatusCode != 404 || strings.Contains(body, `id="send"`) ||
		!strings.Contains(body, "没有找到这条信息") {
		t.Fatalf("淮南 previewed a push to a 合肥 gig: %d", res.StatusCode)
	}
	if res, _ := huainan.get(report); res.StatusCode != 404 {
		t.Fatalf("淮南 read 合肥's report: %d", res.StatusCode)
	}
	if _, body := huainan.get("/console/push"); strings.Contains(body, `id="recent"`) {
		t.Fatal("淮南 lists 合肥's pushes")
	}
	var n int64
	e.store.DB.Model(&model.Push{}).Count(&n)
	if n != 1 {
		t.Fatalf("%d pushes; only 合肥's one was sent", n)
	}

	// The push is 合肥's, not its sender's: a colleague of 合肥 lists it and reads its report; its sender,
	// moved to 淮南, does neither (the same console session, the scope read afresh).
	colleagueTok, _ := e.staffOf("p-hefei2", "340100")
	colleague := newConsoleClient(t, e)
	colleague.signIn(colleagueTok)
	listed := fmt.Sprintf(`id="push-%s"`, report[strings.LastIndex(report, "/")+1:])
	if _, body := colleague.get("/console/push"); !strings.Contains(body, listed) {
		t.Fatal("a colleague of 合肥 does not list 合肥's push")
	}
	if res, _ := colleague.get(report); res.StatusCode != 200 {
		t.Fatalf("a colleague of 合肥 reads 合肥's report: %d", res.StatusCode)
	}
	if res, _ := hefei.get(report); res.StatusCode != 200 {
		t.Fatalf("the sender reads their report: %d", res.StatusCode)
	}
	if r := e.do("POST", "/api/v1/admin/staff", e.admin(), map[string]any{"user_id": hefeiID, "name": "调到淮南", "area_code": "340400"}); r.Status != 204 {
		t.Fatalf("moving the sender: %s", r.Raw)
	}
	if res, _ := hefei.get(report); res.StatusCode != 404 {
		t.Fatalf("the sender, moved to 淮南, reads 合肥's report: %d", res.StatusCode)
	}
	if _, body := hefei.get("/console/push"); strings.Contains(body, listed) {
		t.Fatal("the sender, moved to 淮南, lists 合肥's push")
	}
	if r := e.do("GET", "/api/v1/admin/pushes/"+report[strings.LastIndex(report, "/")+1:], colleagueTok, nil); r.Status != 200 {
		t.Fatalf("the API's report to a colleague of 合肥: %s", r.Raw)
	}
}
