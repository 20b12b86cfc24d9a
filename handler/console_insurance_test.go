package handler_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"lingong/model"
	"lingong/model/modeltest"
)

// workerIn registers a worker living in an area (a policy belongs to its worker's area).
func (e *env) workerIn(code, area string) string {
	e.t.Helper()
	tok, _ := e.login(code)
	seq++
	r := e.do("PUT", "/api/v1/me/worker", tok, map[string]any{"name": "王建国", "id_number": modeltest.IDNumber("19700512", seq),
		"skills": []int{1, 2}, "expected_daily_wage_cents": 20000, "available_days": []int{1, 2, 3, 4, 5}, "area_code": area,
		"home": map[string]any{"lat": 31.86, "lng": 117.28, "address": "蜀山区"}})
	if r.Status != 200 {
		e.t.Fatalf("worker: %d %s", r.Status, r.Raw)
	}
	return tok
}

// insured has a worker take a month's cover from today under a new plan and returns the pending policy.
func (e *env) insured(worker string) uint64 {
	e.t.Helper()
	r := e.do("POST", "/api/v1/admin/insurance/plans", e.admin(), map[string]any{"name": "零工月保", "insurer": "某某人寿安徽分公司",
		"death_disability_cents": 50000000, "medical_cents": 500000, "term": "month", "premium_cents": 3000, "payer": "self",
		"min_age": 18, "max_age": 65, "active": true})
	if r.Status != 201 {
		e.t.Fatalf("plan: %s", r.Raw)
	}
	r = e.do("POST", "/api/v1/insurance/enrollments", worker, map[string]any{"plan_id": r.Body["id"], "start_date": e.store.Now().Format(time.DateOnly)})
	if r.Status != 201 {
		e.t.Fatalf("enrol: %s", r.Raw)
	}
	return uint64(r.Body["id"].(float64))
}

// reportInjury confirms a policy through the API and has its worker report an injury under it.
func (e *env) reportInjury(worker string, policy uint64, number string) uint64 {
	e.t.Helper()
	if r := e.do("POST", fmt.Sprintf("/api/v1/admin/insurance/enrollments/%d/confirm", policy), e.admin(), map[string]any{"policy_number": number}); r.Status != 200 {
		e.t.Fatalf("confirm: %s", r.Raw)
	}
	r := e.do("POST", fmt.Sprintf("/api/v1/insurance/enrollments/%d/incidents", policy), worker, map[string]any{
		"happened_at": e.store.Now().Add(-time.Hour).Format(time.RFC3339), "place": "蜀山区黄山路工地", "description": "搬钢管时从架子上摔下，左脚踝扭伤"})
	if r.Status != 201 {
		e.t.Fatalf("incident: %s", r.Raw)
	}
	return uint64(r.Body["id"].(float64))
}

// 保险 in a browser: a pending policy confirmed with the insurer's number (refused once for a number the
// worker's message cannot carry), and an injury case followed up and closed, with notes the worker reads.
func TestConsoleInsuranceInABrowser(t *testing.T) {
	chrome := browser(t)
	e := newEnv(t, modeltest.SQLite(t))
	staffTok, staffID := e.staffOf("insurance-staff", "340100")
	pendingWorker, injured := e.workerIn("insurance-w1", "340104"), e.workerIn("insurance-w2", "340104")
	pending := e.insured(pendingWorker)
	incident := e.reportInjury(injured, e.insured(injured), "PA-2026-0001")

	srv := httptest.NewServer(e.api)
	defer srv.Close()
	ctx := chromium(t, chrome)
	run, read := browserRun(t, ctx)
	browserSignIn(t, ctx, e, srv.URL, staffTok)

	row := fmt.Sprintf(`#policy-%d`, pending)
	run("the pending policies", chromedp.Navigate(srv.URL+"/console/insurance"), chromedp.WaitVisible(chromedp.CSS(row)),
		chromedp.SendKeys(chromedp.CSS(row+` input[name=policy_number]`), "保单一号"),
		chromedp.Click(chromedp.CSS(row+` .row-form button`)), chromedp.WaitVisible(chromedp.CSS(`#refusal`)))
	if s := read(`#refusal`); !strings.Contains(s, "最多32位") {
		t.Fatalf("the refusal beside the number: %q", s)
	}
	// The insurer needs the name and ID number: shown on an explicit click, and written to the audit log.
	run("whom to insure", chromedp.Click(chromedp.CSS(fmt.Sprintf(`#reveal-%d`, pending))),
		chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf(`#insured-%d`, pending))))
	if s := read(fmt.Sprintf(`#insured-%d`, pending)); !strings.Contains(s, "王建国") || strings.Contains(s, "*") ||
		!regexp.MustCompile(`\d{17}[\dX]`).MatchString(s) {
		t.Fatalf("the insured's identity: %q", s)
	}
	screenshot(t, ctx, "insurance.png")
	run("confirm", chromedp.SetValue(chromedp.CSS(row+` input[name=policy_number]`), "PICC-340100-2026-000123"),
		chromedp.Click(chromedp.CSS(row+` .row-form button`)), chromedp.WaitVisible(chromedp.CSS(`#done`)), chromedp.WaitNotPresent(chromedp.CSS(row)))
	if r := e.do("GET", "/api/v1/me/insurance", pendingWorker, nil); !strings.Contains(r.Raw, `"policy_number":"PICC-340100-2026-000123"`) ||
		!strings.Contains(r.Raw, `"status":"active"`) {
		t.Fatalf("what the worker sees: %s", r.Raw)
	}

	row = fmt.Sprintf(`#incident-%d`, incident)
	run("follow", chromedp.Navigate(srv.URL+"/console/insurance?tab=incidents"), chromedp.WaitVisible(chromedp.CSS(row)),
		chromedp.SendKeys(chromedp.CSS(row+` textarea[name=note]`), "已电话联系，正在准备理赔材料"),
		chromedp.Click(chromedp.CSS(row+` button[value=following]`)), chromedp.WaitVisible(chromedp.CSS(`#done`)))
	if s := read(row + ` .state`); s != "跟进中" {
		t.Fatalf("after following: %q", s)
	}
	screenshot(t, ctx, "insurance-incidents.png")
	run("close", chromedp.SetValue(chromedp.CSS(row+` textarea[name=note]`), "保险公司已赔付医疗费1860元"),
		chromedp.Click(chromedp.CSS(row+` button[value=closed]`)), chromedp.WaitNotPresent(chromedp.CSS(row+` form`)))
	if s := read(row + ` .state`); s != "已结案" {
		t.Fatalf("after closing: %q", s)
	}
	if r := e.do("GET", "/api/v1/me/insurance", injured, nil); !strings.Contains(r.Raw, "保险公司已赔付医疗费1860元") {
		t.Fatalf("what the injured worker sees: %s", r.Raw)
	}
	audit, _ := e.store.AuditLogs(context.Background(), model.AuditQuery{ActorID: uint64(staffID), Limit: 50})
	seen := map[string]int{}
	for _, a := range audit {
		if a.ConsoleSessionID != 0 {
			seen[a.Action+" "+a.TargetID]++
		}
	}
	var pendingWorkerID uint64
	e.store.DB.Raw("SELECT worker_id FROM insurance_policies WHERE id = ?", pending).Scan(&pendingWorkerID)
	if seen[fmt.Sprintf("POST /console/insurance/policies/:id/confirm %d", pending)] != 1 ||
		seen[fmt.Sprintf("read worker identity %d", pendingWorkerID)] != 1 ||
		seen[fmt.Sprintf("POST /console/insurance/incidents/:id/follow %d", incident)] != 2 {
		t.Fatalf("audited with the console session: %v", seen)
	}
}

// Who may confirm a policy and follow an injury through the console.
func TestConsoleInsuranceRules(t *testing.T) {
	e := newEnv(t, modeltest.SQLite(t))
	huainanTok, _ := e.staffOf("i-huainan", "340400")
	hefeiTok, _ := e.staffOf("i-hefei", "340100")
	w1, w2 := e.workerIn("i-w1", "340104"), e.workerIn("i-w2", "340104")
	pending := e.insured(w1)
	incident := e.reportInjury(w2, e.insured(w2), "PA-1")
	confirm := fmt.Sprintf("/console/insurance/policies/%d/confirm", pending)
	follow := fmt.Sprintf("/console/insurance/incidents/%d/follow", incident)

	huainan := newConsoleClient(t, e)
	token := huainan.signIn(huainanTok)
	for _, tab := range []string{"pending", "incidents"} {
		if _, body := huainan.get("/console/insurance?tab=" + tab); strings.Contains(body, fmt.Sprintf(`id="policy-%d"`, pending)) ||
			strings.Contains(body, fmt.Sprintf(`id="incident-%d"`, incident)) {
			t.Fatalf("淮南 lists a 合肥 %s", tab)
		}
	}
	if res, _ := huainan.post(confirm, huainan.srv.URL, url.Values{"form_token": {token}, "policy_number": {"P-9"}}); res.StatusCode != 404 {
		t.Fatalf("淮南 confirmed a 合肥 policy: %d", res.StatusCode)
	}
	if res, _ := huainan.post(follow, huainan.srv.URL, url.Values{"form_token": {token}, "status": {"closed"}}); res.StatusCode != 404 {
		t.Fatalf("淮南 closed a 合肥 case: %d", res.StatusCode)
	}
	reveal := fmt.Sprintf("/console/insurance/policies/%d/identity", pending)
	if res, body := huainan.post(reveal, huainan.srv.URL, url.Values{"form_token": {token}}); res.StatusCode != 404 || strings.Contains(body, "王建国") {
		t.Fatalf("淮南 opened a 合肥 worker's identity: %d", res.StatusCode)
	}

	hefei := newConsoleClient(t, e)
	token = hefei.signIn(hefeiTok)
	if res, _ := hefei.post(confirm, hefei.srv.URL, url.Values{"policy_number": {"P-9"}}); res.StatusCode != 403 {
		t.Fatalf("a confirmation without the form token: %d", res.StatusCode)
	}
	if res, _ := hefei.post(follow, hefei.srv.URL, url.Values{"status": {"closed"}}); res.StatusCode != 403 {
		t.Fatalf("a follow-up without the form token: %d", res.StatusCode)
	}
	if res, body := hefei.post(reveal, hefei.srv.URL, url.Values{}); res.StatusCode != 403 || strings.Contains(body, "王建国") {
		t.Fatalf("an identity opened without the form token: %d", res.StatusCode)
	}
	long := strings.Repeat("9", 33)
	if res, body := hefei.post(confirm, hefei.srv.URL, url.Values{"form_token": {token}, "policy_number": {long}}); res.StatusCode != 400 ||
		!strings.Contains(body, "最多32位") || !strings.Contains(body, `value="`+long+`"`) {
		t.Fatalf("a 33-character number: %d", res.StatusCode)
	}
	if res, body := hefei.post(follow, hefei.srv.URL, url.Values{"form_token": {token}, "status": {"reported"}}); res.StatusCode != 400 ||
		!strings.Contains(body, "role=\"alert\"") {
		t.Fatalf("following back to reported: %d", res.StatusCode)
	}
	var p model.InsurancePolicy
	e.store.DB.Take(&p, pending)
	var in model.InsuranceIncident
	e.store.DB.Take(&in, incident)
	if p.Status != model.PolicyPending || in.Status != model.IncidentReported {
		t.Fatalf("a refused change went through: %s %s", p.Status, in.Status)
	}
	if res, _ := hefei.post(confirm, hefei.srv.URL, url.Values{"form_token": {token}, "policy_number": {"PA-2"}}); res.StatusCode != 303 {
		t.Fatalf("confirming: %d", res.StatusCode)
	}
	if res, _ := hefei.post(confirm, hefei.srv.URL, url.Values{"form_token": {token}, "policy_number": {"PA-3"}}); res.StatusCode != 409 {
		t.Fatalf("confirming twice: %d", res.StatusCode)
	}
}

// A pending policy's worker is revealed to the staff of the area the policy was enrolled in, who must insure
// them, even after the worker moved to another area; the new area's staff, whose policy it is not, get 404.
// The reveal is for a pending policy only, and each one is audited.
func TestConsoleInsuredAfterAMove(t *testing.T) {
	e := newEnv(t, modeltest.SQLite(t))
	hefeiTok, hefeiID := e.staffOf("m-hefei", "340100")
	huainanTok, _ := e.staffOf("m-huainan", "340400")
	w := e.workerIn("m-w", "340104")
	pending := e.insured(w)
	var p model.InsurancePolicy
	e.store.DB.Take(&p, pending)
	// The worker moves to 淮南市大通区 after enrolling.
	if err := e.store.DB.Model(&model.WorkerProfile{}).Where("user_id = ?", p.WorkerID).Update("area_code", "340402").Error; err != nil {
		t.Fatal(err)
	}
	reveal := fmt.Sprintf("/console/insurance/policies/%d/identity", pending)
	shown := fmt.Sprintf(`id="insured-%d"`, pending)

	huainan := newConsoleClient(t, e)
	token := huainan.signIn(huainanTok)
	if res, body := huainan.post(reveal, huainan.srv.URL, url.Values{"form_token": {token}}); res.StatusCode != 404 || strings.Contains(body, "王建国") {
		t.Fatalf("淮南, the worker's new area, opened a 合肥 policy's worker: %d", res.StatusCode)
	}

	hefei := newConsoleClient(t, e)
	token = hefei.signIn(hefeiTok)
	res, body := hefei.post(reveal, hefei.srv.URL, url.Values{"form_token": {token}})
	if res.StatusCode != 200 || !strings.Contains(body, shown) || !strings.Contains(body, "王建国") {
		t.Fatalf("合肥, where the policy was enrolled, could not open its moved worker: %d", res.StatusCode)
	}
	audit, _ := e.store.AuditLogs(context.Background(), model.AuditQuery{ActorID: uint64(hefeiID), Action: "read worker identity", Limit: 10})
	if len(audit) != 1 || audit[0].TargetID != fmt.Sprint(p.WorkerID) || audit[0].ConsoleSessionID == 0 {
		t.Fatalf("the read audited: %+v", audit)
	}
	confirm := fmt.Sprintf("/console/insurance/policies/%d/confirm", pending)
	if res, _ := hefei.post(confirm, hefei.srv.URL, url.Values{"form_token": {token}, "policy_number": {"PA-7"}}); res.StatusCode != 303 {
		t.Fatalf("confirming: %d", res.StatusCode)
	}
	if res, body := hefei.post(reveal, hefei.srv.URL, url.Values{"form_token": {token}}); res.StatusCode != 404 || strings.Contains(body, "王建国") {
		t.Fatalf("a confirmed policy's worker opened: %d", res.StatusCode)
	}
}

// Plans are the province's: a city's staff see no button and have no route, before the form is read.
func TestConsolePlanRules(t *testing.T) {
	e := newEnv(t, modeltest.SQLite(t))
	cityTok, _ := e.staffOf("plan-city", "340100")

	city := newConsoleClient(t, e)
	cityToken := city.signIn(cityTok)
	if _, body := city.get("/console/insurance?tab=plans"); strings.Contains(body, "new-plan") {
		t.Fatal("a city's staff are offered a new plan")
	}
	if res, _ := city.get("/console/insurance/plans/new"); res.StatusCode != 404 {
		t.Fatalf("a city's staff open the plan form: %d", res.StatusCode)
	}
	if res, _ := city.post("/console/insurance/plans", city.srv.URL, url.Values{"form_token": {cityToken}, "name": {"城市自设方案"},
		"insurer": {"某保险"}, "death_disability": {"1000"}, "premium": {"1"}, "term": {"day"}, "payer": {"self"},
		"min_age": {"18"}, "max_age": {"60"}, "active": {"1"}}); res.StatusCode != 404 {
		t.Fatalf("a city's staff save a plan: %d", res.StatusCode)
	}

}

// 保险方案 in a browser: province staff add a plan (a wrong amount refused beside its field with the typing
// kept), then stop selling it; workers see it while on sale only.
func TestConsolePlansInABrowser(t *testing.T) {
	chrome := browser(t)
	e := newEnv(t, modeltest.SQLite(t))
	provinceTok, provinceID := e.staffOf("plan-province", "340000")
	srv := httptest.NewServer(e.api)
	defer srv.Close()
	ctx := chromium(t, chrome)
	run, read := browserRun(t, ctx)
	browserSignIn(t, ctx, e, srv.URL, provinceTok)
	run("the form", chromedp.Navigate(srv.URL+"/console/insurance?tab=plans"), chromedp.Click(chromedp.CSS(`#new-plan`)),
		chromedp.WaitVisible(chromedp.CSS(`#plan`)),
		chromedp.SendKeys(chromedp.CSS(`input[name=name]`), "零工日保（2027版）"),
		chromedp.SendKeys(chromedp.CSS(`input[name=insurer]`), "某某财险安徽分公司"),
		chromedp.SendKeys(chromedp.CSS(`input[name=death_disability]`), "五十万"),
		chromedp.SendKeys(chromedp.CSS(`input[name=medical]`), "5000"),
		chromedp.SendKeys(chromedp.CSS(`input[name=premium]`), "3.5"),
		chromedp.Click(chromedp.CSS(`#save-plan`)), chromedp.WaitVisible(chromedp.CSS(`#refusal`)))
	if s := read(`#plan`); !strings.Contains(s, "金额写数字") {
		t.Fatalf("the wrong amount is not named beside its field: %q", s)
	}
	if v, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('input[name=name]').value`)); v != "零工日保（2027版）" {
		t.Fatalf("the name typed was lost: %q", v)
	}
	run("save", chromedp.SetValue(chromedp.CSS(`input[name=death_disability]`), "500000"),
		chromedp.Click(chromedp.CSS(`#save-plan`)), chromedp.WaitVisible(chromedp.CSS(`#done`)))
	var plan model.InsurancePlan
	if err := e.store.DB.Where("name = ?", "零工日保（2027版）").Take(&plan).Error; err != nil {
		t.Fatal(err)
	}
	if plan.DeathDisabilityCents != 50000000 || plan.MedicalCents != 500000 || plan.PremiumCents != 350 || plan.Term != model.TermDay || !plan.Active {
		t.Fatalf("saved: %+v", plan)
	}
	if r := e.do("GET", "/api/v1/insurance/plans", "", nil); !strings.Contains(r.Raw, "零工日保（2027版）") {
		t.Fatalf("the plan on sale is not offered: %s", r.Raw)
	}
	row := fmt.Sprintf(`#plan-%d`, plan.ID)
	run("stop selling", chromedp.Click(chromedp.CSS(row+` a.button`)), chromedp.WaitVisible(chromedp.CSS(`#plan`)),
		chromedp.Click(chromedp.CSS(`input[name=active]`)),
		chromedp.Click(chromedp.CSS(`#save-plan`)), chromedp.WaitVisible(chromedp.CSS(`#done`)))
	if s := read(row + ` .state`); s != "已停售" {
		t.Fatalf("after stopping: %q", s)
	}
	if r := e.do("GET", "/api/v1/insurance/plans", "", nil); strings.Contains(r.Raw, "零工日保（2027版）") {
		t.Fatalf("a plan off sale is still offered: %s", r.Raw)
	}
	audit, _ := e.store.AuditLogs(context.Background(), model.AuditQuery{ActorID: uint64(provinceID), TargetKind: "insurance_plans", Limit: 10})
	if len(audit) != 2 || audit[0].ConsoleSessionID == 0 {
		t.Fatalf("both saves audited with the console session: %+v", audit)
	}
}
