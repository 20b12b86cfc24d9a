package handler

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"lingong/model"
)

// Insurer takes a new policy to the insurance company. It answers the policy number when the insurer
// issues one at once, or "" when the policy waits for staff to confirm it.
type Insurer interface {
	Submit(ctx context.Context, p *model.InsurancePolicy) (policyNumber string, err error)
}

// StaffConfirmation is the Insurer that ships: nothing is sent anywhere and nothing pretends a policy was
// bought. Staff buy the cover with the insurer and confirm each policy with its number.
type StaffConfirmation struct{}

// Submit leaves the policy pending for staff.
func (StaffConfirmation) Submit(context.Context, *model.InsurancePolicy) (string, error) {
	return "", nil
}

func (a *API) routesInsurance() {
	a.handle(http.MethodGet, "/api/v1/insurance/plans", routeDoc{Summary: "可投保的人身意外伤害保险", Tag: "insurance",
		Response: []planResponse{}}, a.listPlans)
	a.handle(http.MethodPost, "/api/v1/insurance/enrollments", routeDoc{Summary: "工人自己投保（需已实名登记，按身份证算年龄）", Tag: "insurance",
		Auth: true, Request: insureRequest{}, Response: policyResponse{}, Status: http.StatusCreated}, a.insure)
	a.handle(http.MethodDelete, "/api/v1/insurance/enrollments/:id", routeDoc{Summary: "起保前取消", Tag: "insurance",
		Auth: true, Response: policyResponse{}}, a.cancelPolicy)
	a.handle(http.MethodGet, "/api/v1/me/insurance", routeDoc{Summary: "我的保险：今天有没有保障、所有保单和报案进度", Tag: "insurance",
		Auth: true, Response: myInsuranceResponse{}}, a.myInsurance)
	a.handle(http.MethodPost, "/api/v1/insurance/enrollments/:id/incidents", routeDoc{Summary: "报告受伤（报案）", Tag: "insurance",
		Auth: true, Request: incidentRequest{}, Response: incidentResponse{}, Status: http.StatusCreated}, a.reportIncident)
	a.handle(http.MethodPost, "/api/v1/gigs/:id/insurance", routeDoc{Summary: "雇主为已录用的工人按天投保（每人每天一份）", Tag: "insurance",
		Auth: true, Request: gigInsuranceRequest{}, Response: gigInsuranceResponse{}, Status: http.StatusCreated}, a.insureGig)

	staff := func(method, path string, doc routeDoc, h gin.HandlerFunc) {
		doc.Auth, doc.Tag = true, "admin"
		a.handle(method, path, doc, a.staffOnly, h)
	}
	staff(http.MethodPost, "/api/v1/admin/insurance/plans", routeDoc{Summary: "新增保险方案（省级）", Request: planRequest{},
		Response: planResponse{}, Status: http.StatusCreated}, a.savePlan)
	staff(http.MethodPut, "/api/v1/admin/insurance/plans/:id", routeDoc{Summary: "修改保险方案（省级）", Request: planRequest{},
		Response: planResponse{}}, a.savePlan)
	staff(http.MethodGet, "/api/v1/admin/insurance/pending", routeDoc{Summary: "待确认的保单（本辖区）",
		Response: []policyResponse{}}, a.pendingPolicies)
	staff(http.MethodPost, "/api/v1/admin/insurance/enrollments/:id/confirm", routeDoc{Summary: "填写保单号，保单生效",
		Request: confirmPolicyRequest{}, Response: policyResponse{}}, a.confirmPolicy)
	staff(http.MethodGet, "/api/v1/admin/insurance/incidents", routeDoc{Summary: "报案（本辖区），未结的在前，附出事那天的签到记录",
		Response: []staffIncidentResponse{}}, a.listIncidents)
	staff(http.MethodPost, "/api/v1/admin/insurance/incidents/:id", routeDoc{Summary: "跟进报案：following / closed，附说明",
		Request: followRequest{}, Response: staffIncidentResponse{}}, a.followIncident)
}

type planRequest struct {
	Name                 string `json:"name" validate:"required,max=64"`
	Insurer              string `json:"insurer" validate:"required,max=64" label:"承保公司"`
	DeathDisabilityCents int64  `json:"death_disability_cents" validate:"required,gt=0" label:"身故伤残保额（分）"`
	MedicalCents         int64  `json:"medical_cents" validate:"gte=0" label:"医疗保额（分）"`
	Term                 string `json:"term" validate:"required,oneof=day month year"`
	PremiumCents         int64  `json:"premium_cents" validate:"gte=0" label:"保费（分）"`
	Payer                string `json:"payer" validate:"required,oneof=self employer government" label:"谁付保费"`
	MinAge               int    `json:"min_age" validate:"required,min=16,max=80"`
	MaxAge               int    `json:"max_age" validate:"required,min=16,max=80"`
	Active               bool   `json:"active"`
}

type planResponse struct {
	ID uint64 `json:"id"`
	planRequest
}

func planJSON(p *model.InsurancePlan) planResponse {
	return planResponse{ID: p.ID, planRequest: planRequest{Name: p.Name, Insurer: p.Insurer,
		DeathDisabilityCents: p.DeathDisabilityCents, MedicalCents: p.MedicalCents, Term: p.Term,
		PremiumCents: p.PremiumCents, Payer: p.Payer, MinAge: p.MinAge, MaxAge: p.MaxAge, Active: p.Active}}
}

func (a *API) savePlan(c *gin.Context) {
	id, err := optionalID(c)
	if err != nil {
		fail(c, err)
		return
	}
	var req planRequest
	if err := bindJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	p, err := a.opts.Store.SavePlan(c.Request.Context(), staffScope(c), id, model.PlanInput{Name: req.Name, Insurer: req.Insurer,
		DeathDisabilityCents: req.DeathDisabilityCents, MedicalCents: req.MedicalCents, Term: req.Term,
		PremiumCents: req.PremiumCents, Payer: req.Payer, MinAge: req.MinAge, MaxAge: req.MaxAge, Active: req.Active})
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(savedStatus(id), planJSON(p))
}

func (a *API) listPlans(c *gin.Context) {
	plans, err := a.opts.Store.Plans(c.Request.Context(), true)
	if err != nil {
		fail(c, err)
		return
	}
	out := make([]planResponse, len(plans))
	for i := range plans {
		out[i] = planJSON(&plans[i])
	}
	c.JSON(http.StatusOK, out)
}

type insureRequest struct {
	PlanID    uint64 `json:"plan_id" validate:"required"`
	StartDate string `json:"start_date" validate:"required,len=10" label:"起保日期 2026-12-01"`
}

type policyResponse struct {
	ID           uint64             `json:"id"`
	PlanID       uint64             `json:"plan_id"`
	PlanName     string             `json:"plan_name"`
	WorkerID     uint64             `json:"worker_id"`
	GigID        *uint64            `json:"gig_id"`
	StartDate    string             `json:"start_date"`
	EndDate      string             `json:"end_date"`
	Status       string             `json:"status" label:"pending 待确认 / active 生效 / expired 已到期 / cancelled 已取消"`
	PolicyNumber string             `json:"policy_number"`
	CoversToday  bool               `json:"covers_today"`
	Incidents    []incidentResponse `json:"incidents"`
}

func (a *API) policyJSON(p *model.WorkerPolicy) policyResponse {
	incidents := make([]incidentResponse, len(p.Incidents))
	for i := range p.Incidents {
		incidents[i] = incidentJSON(&p.Incidents[i])
	}
	return policyResponse{ID: p.ID, PlanID: p.PlanID, PlanName: p.Plan.Name, WorkerID: p.WorkerID, GigID: p.GigID,
		StartDate: p.StartDate, EndDate: p.EndDate, Status: p.Status, PolicyNumber: p.PolicyNumber,
		CoversToday: p.CoversToday(a.opts.Store.Now().Format(time.DateOnly)), Incidents: incidents}
}

// submitPolicy hands a new policy to the insurer, and activates it when the insurer issued a number.
func (a *API) submitPolicy(c *gin.Context, p *model.InsurancePolicy) *model.InsurancePolicy {
	number, err := a.opts.Insurer.Submit(c.Request.Context(), p)
	if err != nil {
		logger(c).Warn("insurer did not take the policy; staff will confirm it", slog.Uint64("policy_id", p.ID), slog.Any("err", err))
		return p
	}
	if number == "" {
		return p
	}
	confirmed, err := a.opts.Store.ConfirmPolicy(c.Request.Context(), model.Scope{All: true}, p.ID, number)
	if err != nil {
		logger(c).Warn("recording the insurer's policy number", slog.Uint64("policy_id", p.ID), slog.Any("err", err))
		return p
	}
	return confirmed
}

func (a *API) insure(c *gin.Context) {
	var req insureRequest
	if err := bindJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	p, err := a.opts.Store.EnrollInsurance(c.Request.Context(), currentUser(c).ID, req.PlanID, req.StartDate)
	if err != nil {
		fail(c, err)
		return
	}
	a.respondPolicy(c, http.StatusCreated, a.submitPolicy(c, p))
}

func (a *API) respondPolicy(c *gin.Context, status int, p *model.InsurancePolicy) {
	plan, err := a.opts.Store.Plan(c.Request.Context(), p.PlanID)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(status, a.policyJSON(&model.WorkerPolicy{InsurancePolicy: *p, Plan: *plan}))
}

func (a *API) cancelPolicy(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		fail(c, err)
		return
	}
	p, err := a.opts.Store.CancelPolicy(c.Request.Context(), currentUser(c).ID, id)
	if err != nil {
		fail(c, err)
		return
	}
	a.respondPolicy(c, http.StatusOK, p)
}

type myInsuranceResponse struct {
	CoveredToday bool             `json:"covered_today" label:"今天有没有生效的保障"`
	Policies     []policyResponse `json:"policies"`
}

func (a *API) myInsurance(c *gin.Context) {
	list, err := a.opts.Store.WorkerPolicies(c.Request.Context(), currentUser(c).ID)
	if err != nil {
		fail(c, err)
		return
	}
	out := myInsuranceResponse{Policies: make([]policyResponse, len(list))}
	for i := range list {
		out.Policies[i] = a.policyJSON(&list[i])
		out.CoveredToday = out.CoveredToday || out.Policies[i].CoversToday
	}
	c.JSON(http.StatusOK, out)
}

type incidentRequest struct {
	HappenedAt  time.Time `json:"happened_at" validate:"required" label:"什么时候出的事（RFC 3339）"`
	Place       string    `json:"place" validate:"required,max=120"`
	Description string    `json:"description" validate:"required,max=1000"`
}

type incidentResponse struct {
	ID          uint64    `json:"id"`
	PolicyID    uint64    `json:"policy_id"`
	HappenedAt  time.Time `json:"happened_at"`
	Place       string    `json:"place"`
	Description string    `json:"description"`
	Status      string    `json:"status" label:"reported 已报案 / following 跟进中 / closed 已办结"`
	Note        string    `json:"note" label:"工作人员的说明"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// incidentDayResponse is the worker's attendance on the day of the injury, for staff.
type incidentDayResponse struct {
	attendanceResponse
	GigTitle         string `json:"gig_title"`
	EmployerName     string `json:"employer_name"`
	AnsweredByFamily bool   `json:"answered_by_family" label:"雇主代记的到岗由家人（不是工人本人）确认或提出异议"`
}

// staffIncidentResponse is an injury case as staff follow it, with the day's attendance.
type staffIncidentResponse struct {
	incidentResponse
	Attendance []incidentDayResponse `json:"attendance" label:"出事那天的签到记录（几点到、几点走、扫码还是雇主代记）；没有签到为空"`
}

func (a *API) staffIncidentsJSON(c *gin.Context, list []model.InsuranceIncident) ([]staffIncidentResponse, error) {
	days, err := a.opts.Store.IncidentDays(c.Request.Context(), list)
	if err != nil {
		return nil, err
	}
	out := make([]staffIncidentResponse, len(list))
	for i := range list {
		out[i] = staffIncidentResponse{incidentResponse: incidentJSON(&list[i]), Attendance: []incidentDayResponse{}}
		for _, d := range days[list[i].ID] {
			out[i].Attendance = append(out[i].Attendance, incidentDayResponse{attendanceResponse: attendanceJSON(&d.Attendance),
				GigTitle: d.GigTitle, EmployerName: d.EmployerName, AnsweredByFamily: d.AnsweredByFamily})
		}
	}
	return out, nil
}

func incidentJSON(in *model.InsuranceIncident) incidentResponse {
	return incidentResponse{ID: in.ID, PolicyID: in.PolicyID, HappenedAt: in.HappenedAt, Place: in.Place,
		Description: in.Description, Status: in.Status, Note: in.Note, UpdatedAt: in.UpdatedAt}
}

func (a *API) reportIncident(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		fail(c, err)
		return
	}
	var req incidentRequest
	if err := bindJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	in, err := a.opts.Store.ReportIncident(c.Request.Context(), currentUser(c).ID, id, req.HappenedAt, req.Place, req.Description)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, incidentJSON(in))
}

type gigInsuranceRequest struct {
	PlanID uint64 `json:"plan_id" validate:"required" label:"按天投保的方案"`
}

type gigInsuranceResponse struct {
	Created []policyResponse `json:"created"`
	Skipped []skippedJSON    `json:"skipped" label:"没投上的：already_insured 已有保障 / age_not_covered 年龄不符 / needs_identity 未实名"`
}

type skippedJSON struct {
	WorkerID uint64 `json:"worker_id"`
	Reason   string `json:"reason"`
}

func (a *API) insureGig(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		fail(c, err)
		return
	}
	var req gigInsuranceRequest
	if err := bindJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	res, err := a.opts.Store.InsureGigWorkers(c.Request.Context(), currentUser(c).ID, id, req.PlanID)
	if err != nil {
		fail(c, err)
		return
	}
	plan, err := a.opts.Store.Plan(c.Request.Context(), req.PlanID)
	if err != nil {
		fail(c, err)
		return
	}
	out := gigInsuranceResponse{Created: make([]policyResponse, len(res.Created)), Skipped: make([]skippedJSON, len(res.Skipped))}
	for i := range res.Created {
		p := a.submitPolicy(c, &res.Created[i])
		out.Created[i] = a.policyJSON(&model.WorkerPolicy{InsurancePolicy: *p, Plan: *plan})
	}
	for i, s := range res.Skipped {
		out.Skipped[i] = skippedJSON{WorkerID: s.WorkerID, Reason: s.Reason}
	}
	c.JSON(http.StatusCreated, out)
}

func (a *API) pendingPolicies(c *gin.Context) {
	list, err := a.opts.Store.PendingPolicies(c.Request.Context(), staffScope(c))
	if err != nil {
		fail(c, err)
		return
	}
	out := make([]policyResponse, len(list))
	for i := range list {
		out[i] = a.policyJSON(&list[i])
	}
	c.JSON(http.StatusOK, out)
}

type confirmPolicyRequest struct {
	PolicyNumber string `json:"policy_number" validate:"required,max=32" label:"保险公司出的保单号（最多32位，发给工人的微信消息不截断）"`
}

func (a *API) confirmPolicy(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		fail(c, err)
		return
	}
	var req confirmPolicyRequest
	if err := bindJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	p, err := a.opts.Store.ConfirmPolicy(c.Request.Context(), staffScope(c), id, req.PolicyNumber)
	if err != nil {
		fail(c, err)
		return
	}
	a.respondPolicy(c, http.StatusOK, p)
}

func (a *API) listIncidents(c *gin.Context) {
	list, err := a.opts.Store.Incidents(c.Request.Context(), staffScope(c))
	if err != nil {
		fail(c, err)
		return
	}
	out, err := a.staffIncidentsJSON(c, list)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, out)
}

type followRequest struct {
	Status string `json:"status" validate:"required,oneof=following closed"`
	Note   string `json:"note" validate:"max=500" label:"工人能看到的说明"`
}

func (a *API) followIncident(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		fail(c, err)
		return
	}
	var req followRequest
	if err := bindJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	in, err := a.opts.Store.FollowIncident(c.Request.Context(), staffScope(c), id, req.Status, req.Note)
	if err != nil {
		fail(c, err)
		return
	}
	out, err := a.staffIncidentsJSON(c, []model.InsuranceIncident{*in})
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, out[0])
}
