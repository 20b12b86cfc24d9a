package handler_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"lingong/model"
	"lingong/model/modeltest"
)

// photoPNG is a photo large enough to see in a screenshot: a pay slip's colours, roughly.
func photoPNG(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 400, 300))
	for y := 0; y < 300; y++ {
		for x := 0; x < 400; x++ {
			img.Set(x, y, color.RGBA{uint8(200 + x%40), uint8(190 + y%50), 170, 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// fileComplaint has a worker file a complaint about an employer, with photos.
func (e *env) fileComplaint(worker string, employerID uint64, text string, photos ...uint64) uint64 {
	e.t.Helper()
	r := e.do("POST", "/api/v1/complaints", worker, map[string]any{"category": "wage_arrears", "employer_id": employerID,
		"description": text, "photos": photos})
	if r.Status != 201 {
		e.t.Fatalf("complaint: %d %s", r.Status, r.Raw)
	}
	return uint64(r.Body["id"].(float64))
}

// 投诉 in a browser: the overdue complaint heads the list although another has the earlier deadline, its
// photo shows through the console's session, and it goes from submitted to resolved with notes the worker
// reads, shared with the employer on the way.
func TestConsoleComplaintInABrowser(t *testing.T) {
	chrome := browser(t)
	e := newEnv(t, modeltest.SQLite(t))
	staffTok, staffID := e.staffOf("complaint-staff", "340100")
	boss := e.employer("complaint-boss")
	emp := e.employerRow(boss)
	worker := e.worker("complaint-worker")
	up := e.uploadFile(worker, "工资条.png", photoPNG(t))
	if up.Status != 201 {
		t.Fatalf("upload: %d %s", up.Status, up.Raw)
	}
	photo := uint64(up.Body["id"].(float64))
	earlier := e.fileComplaint(worker, emp.ID, "押金300元不退")
	if r := e.do("POST", fmt.Sprintf("/api/v1/admin/complaints/%d/status", earlier), e.admin(), map[string]any{"to": "accepted"}); r.Status != 200 {
		t.Fatalf("accept: %s", r.Raw)
	}
	late := e.fileComplaint(worker, emp.ID, "干了5天活，说好日结250元，到现在一分没给，老板电话不接。", photo)
	// A week on: the second complaint waited past its 3 working days; the first was accepted in time.
	realNow := e.store.Now
	e.store.Now = func() time.Time { return realNow().Add(7 * 24 * time.Hour) }
	defer func() { e.store.Now = realNow }()

	srv := httptest.NewServer(e.api)
	defer srv.Close()
	ctx := chromium(t, chrome)
	run, read := browserRun(t, ctx)
	browserSignIn(t, ctx, e, srv.URL, staffTok)

	run("the list", chromedp.Navigate(srv.URL+"/console/complaints"), chromedp.WaitVisible(chromedp.CSS(`#complaints`)))
	first, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('#complaints tbody tr').id`))
	if err != nil || first != fmt.Sprintf("complaint-%d", late) {
		t.Fatalf("the first row is %q (%v), want the overdue complaint %d", first, err, late)
	}
	if row := read(fmt.Sprintf(`#complaint-%d`, late)); !strings.Contains(row, "逾期") {
		t.Fatalf("the overdue row says %q", row)
	}
	screenshot(t, ctx, "complaints.png")

	run("open it", chromedp.Click(chromedp.CSS(fmt.Sprintf(`#complaint-%d a`, late))), chromedp.WaitVisible(chromedp.CSS(`#overdue`)))
	// The photo is drawn: the browser fetched it through the console's session and decoded it.
	var width int
	for deadline := time.Now().Add(10 * time.Second); width == 0; {
		width, err = chromedp.Run(ctx, chromedp.Evaluate[int](fmt.Sprintf(`document.querySelector('#photo-%d').naturalWidth`, photo)))
		if err != nil || time.Now().After(deadline) {
			t.Fatalf("the photo is not seen: %d %v", width, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if width != 400 {
		t.Fatalf("the photo drawn is %d wide", width)
	}

	run("accept", chromedp.SendKeys(chromedp.CSS(`#move textarea[name=note]`), "已受理，三个工作日内联系雇主核实"),
		chromedp.Click(chromedp.CSS(`#to-accepted`)), chromedp.WaitVisible(chromedp.CSS(`#done`)))
	if s := read(`#status`); s != "已受理" {
		t.Fatalf("after accepting: %q", s)
	}
	run("share with the employer", chromedp.Click(chromedp.CSS(`#share button`)), chromedp.WaitVisible(chromedp.CSS(`#shared`)))
	if r := e.do("GET", fmt.Sprintf("/api/v1/me/employer/complaints/%d", late), boss, nil); r.Status != 200 {
		t.Fatalf("the employer does not see the shared complaint: %d %s", r.Status, r.Raw)
	}
	run("start", chromedp.Click(chromedp.CSS(`#to-processing`)), chromedp.WaitNotPresent(chromedp.CSS(`#to-processing`)))
	screenshot(t, ctx, "complaint.png")
	run("resolve", chromedp.SendKeys(chromedp.CSS(`#move textarea[name=note]`), "雇主已补发工资1250元"),
		chromedp.Click(chromedp.CSS(`#to-resolved`)), chromedp.WaitVisible(chromedp.CSS(`#to-closed`)))
	if s := read(`#status`); s != "已解决" {
		t.Fatalf("after resolving: %q", s)
	}
	if tl := read(`#timeline`); !strings.Contains(tl, "三个工作日内联系雇主核实") || !strings.Contains(tl, "已转给雇主处理") ||
		!strings.Contains(tl, "雇主已补发工资1250元") {
		t.Fatalf("the timeline: %q", tl)
	}
	if r := e.do("GET", fmt.Sprintf("/api/v1/complaints/%d", late), worker, nil); r.str("status") != "resolved" ||
		!strings.Contains(r.Raw, "雇主已补发工资1250元") {
		t.Fatalf("what the worker sees: %s", r.Raw)
	}
	audit, _ := e.store.AuditLogs(context.Background(), model.AuditQuery{ActorID: uint64(staffID), Limit: 50})
	moves := 0
	for _, a := range audit {
		if a.Action == "POST /console/complaints/:id/status" && a.ConsoleSessionID != 0 && a.TargetID == fmt.Sprint(late) {
			moves++
		}
	}
	if moves != 3 {
		t.Fatalf("steps audited with the console session: %d, want 3", moves)
	}
}

// Who may see a complaint and its photos through the console, and the refusals of its steps.
func TestConsoleComplaintRules(t *testing.T) {
	e := newEnv(t, modeltest.SQLite(t))
	huainanTok, _ := e.staffOf("c-huainan", "340400")
	hefeiTok, _ := e.staffOf("c-hefei", "340100")
	boss := e.employer("c-boss")
	emp := e.employerRow(boss)
	worker := e.worker("c-worker")
	up := e.uploadFile(worker, "a.png", photoPNG(t))
	photo := uint64(up.Body["id"].(float64))
	withPhoto := e.fileComplaint(worker, emp.ID, "欠了三天的工钱", photo)
	without := e.fileComplaint(worker, emp.ID, "押金三百元不退")
	page := fmt.Sprintf("/console/complaints/%d", withPhoto)

	huainan := newConsoleClient(t, e)
	token := huainan.signIn(huainanTok)
	if _, body := huainan.get("/console/complaints"); strings.Contains(body, "欠了三天的工钱") {
		t.Fatal("淮南 lists a 合肥 complaint")
	}
	for _, path := range []string{page, fmt.Sprintf("%s/photos/%d", page, photo)} {
		if res, _ := huainan.get(path); res.StatusCode != 404 {
			t.Fatalf("淮南 opened %s: %d", path, res.StatusCode)
		}
	}
	if res, _ := huainan.post(page+"/status", huainan.srv.URL, url.Values{"form_token": {token}, "to": {"accepted"}}); res.StatusCode != 404 {
		t.Fatalf("淮南 accepted a 合肥 complaint: %d", res.StatusCode)
	}

	hefei := newConsoleClient(t, e)
	token = hefei.signIn(hefeiTok)
	if res, _ := hefei.get(fmt.Sprintf("%s/photos/%d", page, photo)); res.StatusCode != 200 || res.Header.Get("Content-Type") != "image/png" {
		t.Fatalf("the photo: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	// A photo is seen only through the complaint it belongs to.
	if res, _ := hefei.get(fmt.Sprintf("/console/complaints/%d/photos/%d", without, photo)); res.StatusCode != 404 {
		t.Fatalf("a photo through another complaint: %d", res.StatusCode)
	}
	if res, body := hefei.post(page+"/status", hefei.srv.URL, url.Values{"form_token": {token}, "to": {"rejected"}}); res.StatusCode != 400 ||
		!strings.Contains(body, "请写明原因") {
		t.Fatalf("rejecting without a reason: %d", res.StatusCode)
	}
	if res, _ := hefei.post(page+"/status", hefei.srv.URL, url.Values{"form_token": {token}, "to": {"closed"}}); res.StatusCode != 409 {
		t.Fatalf("closing a complaint nobody handled: %d", res.StatusCode)
	}
	if res, _ := hefei.post(page+"/status", hefei.srv.URL, url.Values{"to": {"accepted"}}); res.StatusCode != 403 {
		t.Fatalf("a step without the form token: %d", res.StatusCode)
	}
	var c model.Complaint
	e.store.DB.Take(&c, withPhoto)
	if c.Status != model.CaseSubmitted {
		t.Fatalf("a refused step moved the complaint: %s", c.Status)
	}
}
