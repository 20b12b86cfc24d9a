package handler_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"lingong/model"
	"lingong/model/modeltest"
)

// 记录更正 in a browser: 合肥's staff see both requests of their area open, refuse one (a refusal without a
// note is refused beside the request, the note kept when typed) and accept the other, after which the
// worker's no-show no longer counts; both audited. 淮南's staff see none and cannot decide.
func TestConsoleCorrectionsInABrowser(t *testing.T) {
	chrome := browser(t)
	sc := newRecordRoutesScene(t, modeltest.SQLite(t))
	e := sc.e
	hefeiTok, hefeiID := e.staffOf("corr-hefei", "340100")
	huainanTok, _ := e.staffOf("corr-huainan", "340400")
	ask := func(who string, entry uint64, reason string) uint64 {
		r := e.do("POST", "/api/v1/me/record/corrections", who, map[string]any{"entry_id": entry, "reason": reason})
		if r.Status != 201 {
			t.Fatalf("correction: %s", r.Raw)
		}
		return uint64(r.Body["id"].(float64))
	}
	noShow := ask(sc.worker, sc.noShowID, "雇主打电话说不用去了")
	lateCancel := ask(sc.boss, sc.lateCancelID, "工人自己说不干了")

	huainan := newConsoleClient(t, e)
	token := huainan.signIn(huainanTok)
	if _, body := huainan.get("/console/corrections"); strings.Contains(body, "correction-") {
		t.Fatal("淮南 lists 合肥's requests")
	}
	if res, _ := huainan.post(fmt.Sprintf("/console/corrections/%d/accept", noShow), huainan.srv.URL, url.Values{"form_token": {token}}); res.StatusCode != 404 {
		t.Fatalf("淮南 decided a 合肥 request: %d", res.StatusCode)
	}

	srv := httptest.NewServer(e.api)
	defer srv.Close()
	ctx := chromium(t, chrome)
	run, read := browserRun(t, ctx)
	browserSignIn(t, ctx, e, srv.URL, hefeiTok)
	late := fmt.Sprintf(`#correction-%d`, lateCancel)
	run("the requests", chromedp.Navigate(srv.URL+"/console/corrections"), chromedp.WaitVisible(chromedp.CSS(late)),
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`#refuse-%d`, lateCancel))), chromedp.WaitVisible(chromedp.CSS(`#refusal`)))
	if s := read(`#refusal`); !strings.Contains(s, "写明原因") {
		t.Fatalf("a refusal without a note: %q", s)
	}
	if s := read(late); !strings.Contains(s, "雇主当天取消") || !strings.Contains(s, "工人自己说不干了") {
		t.Fatalf("the late cancellation's row: %q", s)
	}
	screenshot(t, ctx, "corrections.png")
	run("refuse with a note", chromedp.SendKeys(chromedp.CSS(late+` textarea`), "工人说是雇主让他走的"),
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`#refuse-%d`, lateCancel))), chromedp.WaitVisible(chromedp.CSS(`#done`)))
	if s := read(late + ` .state`); s != "不同意" {
		t.Fatalf("after refusing: %q", s)
	}
	run("accept", chromedp.Click(chromedp.CSS(fmt.Sprintf(`#accept-%d`, noShow))), chromedp.WaitVisible(chromedp.CSS(`#done`)),
		chromedp.WaitNotPresent(chromedp.CSS(fmt.Sprintf(`#accept-%d`, noShow))))
	if r := e.do("GET", "/api/v1/me/record", sc.worker, nil); !strings.Contains(r.Raw, `"no_shows":0`) {
		t.Fatalf("the corrected no-show still counts: %s", r.Raw)
	}
	audit, _ := e.store.AuditLogs(context.Background(), model.AuditQuery{ActorID: uint64(hefeiID), TargetKind: "record_corrections", Limit: 10})
	if len(audit) != 2 || audit[0].ConsoleSessionID == 0 {
		t.Fatalf("both decisions audited with the console session: %+v", audit)
	}
}
