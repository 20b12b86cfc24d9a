package console

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"lingong/model"
)

// InsuranceStore is what the 保险 page needs from the model.
type InsuranceStore interface {
	PendingPolicies(ctx context.Context, scope model.Scope) ([]model.WorkerPolicy, error)
	ConfirmPolicy(ctx context.Context, scope model.Scope, policyID uint64, number string) (*model.InsurancePolicy, error)
	Incidents(ctx context.Context, scope model.Scope) ([]model.InsuranceIncident, error)
	FollowIncident(ctx context.Context, scope model.Scope, id uint64, status, note string) (*model.InsuranceIncident, error)
	Plans(ctx context.Context, activeOnly bool) ([]model.InsurancePlan, error)
	InsuredIdentity(ctx context.Context, scope model.Scope, policyID uint64) (*model.InsurancePolicy, *model.Identity, error)
	IncidentDays(ctx context.Context, incidents []model.InsuranceIncident) (map[uint64][]model.IncidentDay, error)
	Plan(ctx context.Context, id uint64) (*model.InsurancePlan, error)
	SavePlan(ctx context.Context, scope model.Scope, id uint64, in model.PlanInput) (*model.InsurancePlan, error)
}

// 保险: the policies of the staff member's area waiting for the insurer's policy number (model.PendingPolicies
// and model.ConfirmPolicy, as /api/v1/admin/insurance/pending and .../enrollments/:id/confirm), the injury
// cases and their follow-up (model.Incidents and model.FollowIncident, as .../incidents), and the plans the
// market offers (province-wide, model.Plans).

type insuranceBody struct {
	// Tab is the list shown: pending, incidents or plans.
	Tab       string
	Pending   []model.WorkerPolicy
	Incidents []model.InsuranceIncident
	// Days is each injury case's attendance that day, by case: what the insurer asks first.
	Days  map[uint64][]model.IncidentDay
	Plans []model.InsurancePlan
	// EditsPlans: the staff member may make and edit plans (province-wide).
	EditsPlans bool
	Done       string
	// Refused is the refusal and what was typed, shown beside the row's form it concerns.
	Refused insuranceRefusal
	// Insured is the full identity of one pending policy's worker, opened on an explicit click (audited): the
	// insurer needs the name and ID number to issue the policy.
	Insured *insuredIdentity
}

type insuredIdentity struct {
	PolicyID uint64
	model.Identity
}

// InsuredFor is the identity shown in this policy's row, or nil.
func (b insuranceBody) InsuredFor(policyID uint64) *insuredIdentity {
	if b.Insured != nil && b.Insured.PolicyID == policyID {
		return b.Insured
	}
	return nil
}

type insuranceRefusal struct {
	Kind    string // policy or incident
	ID      uint64
	Problem Problem
	// Number, Status and Note are what was typed.
	Number, Status, Note string
}

// For reports whether the refusal concerns this row.
func (r insuranceRefusal) For(kind string, id uint64) bool { return r.Kind == kind && r.ID == id }

var insuranceDone = map[string]string{
	"confirmed": "保单已生效，工人会收到保单号的通知。",
	"followed":  "已记下跟进情况，工人在小程序“我的保险”里能看到。",
	"plan":      "保险方案已保存。在售的方案工人在小程序“保险”里能看到；停售的不能再投保，已投的保单不受影响。",
}

func (con *Console) insurancePage(c *gin.Context) {
	con.showInsurance(c, http.StatusOK, c.Query("tab"), insuranceRefusal{})
}

func (con *Console) showInsurance(c *gin.Context, status int, tab string, refused insuranceRefusal) {
	con.showInsuranceWith(c, status, tab, refused, nil)
}

func (con *Console) showInsuranceWith(c *gin.Context, status int, tab string, refused insuranceRefusal, insured *insuredIdentity) {
	ctx, sc := c.Request.Context(), scope(c)
	body := insuranceBody{Tab: tab, Done: insuranceDone[c.Query("done")], Refused: refused, Insured: insured, EditsPlans: sc.EditsPlans()}
	var err error
	switch tab {
	case "incidents":
		if body.Incidents, err = con.opts.Insurance.Incidents(ctx, sc); err == nil {
			body.Days, err = con.opts.Insurance.IncidentDays(ctx, body.Incidents)
		}
	case "plans":
		body.Plans, err = con.opts.Insurance.Plans(ctx, false)
	default:
		body.Tab = "pending"
		body.Pending, err = con.opts.Insurance.PendingPolicies(ctx, sc)
	}
	if err != nil {
		con.fail(c, err)
		return
	}
	con.render(c, status, "insurance", pageData{Title: "保险", Nav: "insurance", Body: body})
}

// confirmPolicy enters the insurer's policy number; the model checks it (ASCII, at most 32) as for the API.
func (con *Console) confirmPolicy(c *gin.Context) {
	number := strings.TrimSpace(c.PostForm("policy_number"))
	if _, err := con.opts.Insurance.ConfirmPolicy(c.Request.Context(), scope(c), pathID(c), number); err != nil {
		con.refusedInsurance(c, "pending", err, insuranceRefusal{Kind: "policy", Number: number})
		return
	}
	con.audit(c, session(c), c.Request.Method+" "+c.FullPath(), "insurance_policies", c.Param("id"), number)
	c.Redirect(http.StatusSeeOther, "/console/insurance?tab=pending&done=confirmed")
}

// revealInsured shows the full name, ID number and phone of a pending policy's worker, and writes the read to
// the audit log. Only a policy waiting in the staff member's area opens one, by the area it was enrolled in
// (model.InsuredIdentity), not the worker's area now: the button is there because the insurer needs them.
func (con *Console) revealInsured(c *gin.Context) {
	policy, who, err := con.opts.Insurance.InsuredIdentity(c.Request.Context(), scope(c), pathID(c))
	if err != nil {
		con.fail(c, err)
		return
	}
	if err := con.auditRead(c, session(c), "read worker identity", "users", strconv.FormatUint(policy.WorkerID, 10),
		"full name, ID number and phone, for insurance policy "+c.Param("id")); err != nil {
		con.fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	con.showInsuranceWith(c, http.StatusOK, "pending", insuranceRefusal{}, &insuredIdentity{PolicyID: policy.ID, Identity: *who})
}

// followIncident moves an injury case on with a note the worker reads.
func (con *Console) followIncident(c *gin.Context) {
	to, note := c.PostForm("status"), strings.TrimSpace(c.PostForm("note"))
	if _, err := con.opts.Insurance.FollowIncident(c.Request.Context(), scope(c), pathID(c), to, note); err != nil {
		con.refusedInsurance(c, "incidents", err, insuranceRefusal{Kind: "incident", Status: to, Note: note})
		return
	}
	con.audit(c, session(c), c.Request.Method+" "+c.FullPath(), "insurance_incidents", c.Param("id"), to)
	c.Redirect(http.StatusSeeOther, "/console/insurance?tab=incidents&done=followed")
}

// refusedInsurance shows the tab again with the refusal beside the row's form; another area's row is not
// found, a server fault a plain 5xx, and a refusal as the staff member's own business goes on the record.
func (con *Console) refusedInsurance(c *gin.Context, tab string, err error, refused insuranceRefusal) {
	p := con.opts.Explain(err)
	if p.Status >= 500 || errors.Is(err, model.ErrNotFound) {
		con.fail(c, err)
		return
	}
	if errors.Is(err, model.ErrConflictOfInterest) {
		con.audit(c, session(c), "refused (conflict of interest) "+c.Request.Method+" "+c.FullPath(), "insurance", c.Param("id"), "")
	}
	refused.ID, refused.Problem = pathID(c), p
	con.showInsurance(c, p.Status, tab, refused)
}

// planForm is a plan as typed, money in yuan, kept to show again beside a refusal.
type planForm struct {
	Name, Insurer, DeathDisability, Medical, Term, Premium, Payer, MinAge, MaxAge string
	Active                                                                        bool
}

type planBody struct {
	ID      uint64 // 0 for a new plan
	Form    planForm
	Problem *Problem
}

func (con *Console) newPlanPage(c *gin.Context) {
	if !scope(c).EditsPlans() {
		con.fail(c, model.ErrNotFound)
		return
	}
	con.showPlanForm(c, planBody{Form: planForm{Term: model.TermDay, Payer: model.PayerSelf, MinAge: "16", MaxAge: "65", Active: true}})
}

func (con *Console) editPlanPage(c *gin.Context) {
	if !scope(c).EditsPlans() {
		con.fail(c, model.ErrNotFound)
		return
	}
	p, err := con.opts.Insurance.Plan(c.Request.Context(), pathID(c))
	if err != nil {
		con.fail(c, err)
		return
	}
	f := planForm{Name: p.Name, Insurer: p.Insurer, DeathDisability: yuan(p.DeathDisabilityCents), Medical: yuan(p.MedicalCents),
		Term: p.Term, Premium: yuan(p.PremiumCents), Payer: p.Payer, MinAge: strconv.Itoa(p.MinAge), MaxAge: strconv.Itoa(p.MaxAge), Active: p.Active}
	con.showPlanForm(c, planBody{ID: p.ID, Form: f})
}

// savePlan makes or edits a plan as POST/PUT /admin/insurance/plans do (model.SavePlan decides, and refuses
// anyone but admins and province staff); the form's money is in yuan.
func (con *Console) savePlan(c *gin.Context) {
	if !scope(c).EditsPlans() {
		con.fail(c, model.ErrNotFound) // before reading the form: to others the route does not exist
		return
	}
	var id uint64
	if c.Param("id") != "" {
		if id = pathID(c); id == 0 {
			con.fail(c, model.ErrNotFound)
			return
		}
	}
	f := planForm{Name: c.PostForm("name"), Insurer: c.PostForm("insurer"), DeathDisability: strings.TrimSpace(c.PostForm("death_disability")),
		Medical: strings.TrimSpace(c.PostForm("medical")), Term: c.PostForm("term"), Premium: strings.TrimSpace(c.PostForm("premium")),
		Payer: c.PostForm("payer"), MinAge: strings.TrimSpace(c.PostForm("min_age")), MaxAge: strings.TrimSpace(c.PostForm("max_age")),
		Active: c.PostForm("active") == "1"}
	unread := map[string]string{}
	cents := func(field, s string) int64 {
		if s == "" && field == "medical_cents" {
			return 0 // a plan may cover no medical costs
		}
		v, ok := parseYuan(s)
		if !ok {
			unread[field] = "金额写数字（元），最多两位小数，如 500000 或 30.5"
		}
		return v
	}
	age := func(s string) int {
		n, err := strconv.Atoi(s)
		if err != nil {
			unread["min_age"] = "年龄写数字"
		}
		return n
	}
	in := model.PlanInput{Name: f.Name, Insurer: f.Insurer, DeathDisabilityCents: cents("death_disability_cents", f.DeathDisability),
		MedicalCents: cents("medical_cents", f.Medical), Term: f.Term, PremiumCents: cents("premium_cents", f.Premium),
		Payer: f.Payer, MinAge: age(f.MinAge), MaxAge: age(f.MaxAge), Active: f.Active}
	if len(unread) > 0 {
		con.showPlanForm(c, planBody{ID: id, Form: f, Problem: &Problem{Status: http.StatusBadRequest,
			Message: "有几项没填对，请看红字", Fields: unread}})
		return
	}
	p, err := con.opts.Insurance.SavePlan(c.Request.Context(), scope(c), id, in)
	if err != nil {
		prob := con.opts.Explain(err)
		if prob.Status >= 500 || errors.Is(err, model.ErrNotFound) {
			con.fail(c, err)
			return
		}
		con.showPlanForm(c, planBody{ID: id, Form: f, Problem: &prob})
		return
	}
	con.audit(c, session(c), c.Request.Method+" "+c.FullPath(), "insurance_plans", strconv.FormatUint(p.ID, 10), p.Name)
	c.Redirect(http.StatusSeeOther, "/console/insurance?tab=plans&done=plan")
}

func (con *Console) showPlanForm(c *gin.Context, body planBody) {
	title, status := "新增保险方案", http.StatusOK
	if body.ID != 0 {
		title = "修改保险方案"
	}
	if body.Problem != nil {
		status = body.Problem.Status
	}
	con.render(c, status, "plan", pageData{Title: title, Nav: "insurance", Body: body})
}

// parseYuan reads an amount of yuan with at most two decimals into cents; digits only, no sign.
func parseYuan(s string) (int64, bool) {
	whole, frac, dotted := strings.Cut(s, ".")
	if whole == "" || len(frac) > 2 || (dotted && frac == "") || strings.Trim(whole+frac, "0123456789") != "" {
		return 0, false
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || w < 0 || w > 1e12 {
		return 0, false
	}
	var f int64
	if frac != "" {
		if f, err = strconv.ParseInt(frac, 10, 64); err != nil || f < 0 {
			return 0, false
		}
		if len(frac) == 1 {
			f *= 10
		}
	}
	return w*100 + f, true
}

// Words for the templates.

func incidentWord(status string) string {
	if w, ok := map[string]string{model.IncidentReported: "待跟进", model.IncidentFollowing: "跟进中", model.IncidentClosed: "已结案"}[status]; ok {
		return w
	}
	return status
}

func termWord(term string) string {
	if w, ok := map[string]string{model.TermDay: "按天", model.TermMonth: "按月", model.TermYear: "按年"}[term]; ok {
		return w
	}
	return term
}

func payerWord(payer string) string {
	if w, ok := map[string]string{model.PayerSelf: "工人自付", model.PayerEmployer: "雇主付", model.PayerGovernment: "政府补贴"}[payer]; ok {
		return w
	}
	return payer
}
