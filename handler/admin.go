package handler

import (
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"lingong/model"
)

const ctxScope = "lingong.scope"

func (a *API) routesAdmin() {
	staff := []gin.HandlerFunc{a.staffOnly}
	reg := func(method, path string, doc routeDoc, h gin.HandlerFunc) {
		doc.Auth, doc.Tag = true, "admin"
		a.handle(method, path, doc, append(staff, h)...)
	}
	reg(http.MethodGet, "/api/v1/admin/reviews", routeDoc{Summary: "待审核：kind=gig 招工 / employer 雇主（本辖区）",
		Query: reviewQuery{}, Response: reviewQueueResponse{}}, a.reviewQueue)
	reg(http.MethodPost, "/api/v1/admin/gigs/:id/approve", routeDoc{Summary: "审核通过并发布招工；有被标为歧视的用语时须写明误报理由",
		Request: approveRequest{}, Response: gigDetailResponse{}}, a.decideGig(true))
	reg(http.MethodPost, "/api/v1/admin/gigs/:id/reject", routeDoc{Summary: "驳回招工（写明原因）",
		Request: rejectRequest{}, Response: gigDetailResponse{}}, a.decideGig(false))
	reg(http.MethodPost, "/api/v1/admin/employers/:id/approve", routeDoc{Summary: "雇主审核通过",
		Response: employerResponse{}}, a.decideEmployer(true))
	reg(http.MethodPost, "/api/v1/admin/employers/:id/reject", routeDoc{Summary: "雇主审核不通过（写明原因）",
		Request: rejectRequest{}, Response: employerResponse{}}, a.decideEmployer(false))
	reg(http.MethodPost, "/api/v1/admin/gigs/:id/take-down", routeDoc{Summary: "撤下在招的招工（写明原因，雇主会看到；报名的工人会收到通知）",
		Request: reasonRequest{}, Response: gigDetailResponse{}}, a.takeDownGig)
	reg(http.MethodPost, "/api/v1/admin/employers/:id/suspend", routeDoc{Summary: "暂停雇主的招工资格（写明原因，雇主会看到）：在招的活暂停，不能再发布",
		Request: reasonRequest{}, Response: employerResponse{}}, a.suspendEmployer)
	reg(http.MethodPost, "/api/v1/admin/employers/:id/reinstate", routeDoc{Summary: "恢复被暂停的雇主：暂停的活恢复，可以发布招工",
		Response: employerResponse{}}, a.reinstateEmployer)
	reg(http.MethodPost, "/api/v1/admin/wage-guides", routeDoc{Summary: "发布工资指导价位（本辖区）",
		Request: wageGuideRequest{}, Response: wageGuideResponse{}, Status: http.StatusCreated}, a.publishWageGuide)
	reg(http.MethodGet, "/api/v1/admin/difficulty-requests", routeDoc{Summary: "申请认定就业困难人员的求职者（本辖区）",
		Response: []difficultyResponse{}}, a.difficultyRequests)
	reg(http.MethodPost, "/api/v1/admin/workers/:id/difficulty", routeDoc{Summary: "认定或不认定就业困难人员",
		Request: difficultyDecision{}, Status: http.StatusNoContent}, a.decideDifficulty)
	reg(http.MethodGet, "/api/v1/admin/identity-claims", routeDoc{Summary: "同一个身份证号被两个微信登记：待到窗口核对身份证（本辖区）",
		Response: []identityClaimResponse{}}, a.identityClaims)
	reg(http.MethodPost, "/api/v1/admin/identity-claims/:id/resolve", routeDoc{Summary: "核对身份证后决定谁持有这个身份证号",
		Request: resolveClaimRequest{}, Status: http.StatusNoContent}, a.resolveIdentityClaim)
	reg(http.MethodPost, "/api/v1/admin/staff", routeDoc{Summary: "管理员设置工作人员及其辖区（区县、市、全省或一个零工市场）",
		Request: staffRequest{}, Status: http.StatusNoContent}, a.adminOnly(a.addStaff))
	reg(http.MethodGet, "/api/v1/admin/staff", routeDoc{Summary: "工作人员名单", Response: []staffResponse{}}, a.adminOnly(a.listStaff))
	reg(http.MethodDelete, "/api/v1/admin/staff/:id", routeDoc{Summary: "停用工作人员", Status: http.StatusNoContent},
		a.adminOnly(a.disableStaff))
	reg(http.MethodGet, "/api/v1/admin/audit", routeDoc{Summary: "审计日志（只读）：工作人员的操作和查看完整身份信息的记录",
		Query: auditQuery{}, Response: []auditResponse{}}, a.adminOnly(a.auditLog))
	reg(http.MethodGet, "/api/v1/admin/workers/:id/identity", routeDoc{Summary: "查看求职者完整姓名、身份证号、手机号（记入审计日志）",
		Response: identityResponse{}}, a.workerIdentity)
	reg(http.MethodGet, "/api/v1/admin/employers/:id/identity", routeDoc{Summary: "查看雇主完整登记信息（记入审计日志）",
		Response: identityResponse{}}, a.employerIdentity)

	a.handle(http.MethodGet, "/api/v1/wage-guides", routeDoc{Summary: "工资指导价位（可按工种、地区）", Tag: "info",
		Query: wageGuideQuery{}, Response: []wageGuideResponse{}}, a.wageGuides)
}

// staffOnly lets staff and admins through with their scope; to anybody else the route does not exist.
// Every staff request that changes something and succeeds is written to the audit log.
func (a *API) staffOnly(c *gin.Context) {
	scope, err := a.opts.Store.StaffScope(c.Request.Context(), currentUser(c).ID)
	if err != nil {
		fail(c, err)
		return
	}
	c.Set(ctxScope, scope)
	c.Next()
	if c.Request.Method != http.MethodGet && c.Writer.Status() < 400 {
		a.audit(c, c.Request.Method+" "+c.FullPath(), "")
	}
	// A decision refused because it was the staff member's own business is on the record too.
	if last := c.Errors.Last(); last != nil && errors.Is(last.Err, model.ErrConflictOfInterest) {
		a.audit(c, "refused (conflict of interest) "+c.Request.Method+" "+c.FullPath(), "")
	}
}

// audit records what a staff member did or read. The change itself has already been committed, so a
// failure here cannot undo it: it is logged loudly for an operator to notice.
func (a *API) audit(c *gin.Context, action, detail string) {
	if err := a.auditRead(c, action, detail); err != nil {
		logger(c).Error("AUDIT LOG WRITE FAILED", slog.String("action", action), slog.Any("err", err))
	}
}

// auditRead writes the entry of a read of someone's full identity, which is answered only once it is on the
// record: the caller answers the error instead.
func (a *API) auditRead(c *gin.Context, action, detail string) error {
	kind := ""
	if parts := strings.Split(strings.TrimPrefix(c.FullPath(), "/api/v1/admin/"), "/"); len(parts) > 0 {
		kind = parts[0]
	}
	return a.opts.Store.Audit(c.Request.Context(), model.AuditLog{ActorID: currentUser(c).ID, Action: action,
		TargetKind: kind, TargetID: c.Param("id"), Detail: detail, IP: c.ClientIP(), RequestID: requestID(c)})
}

func staffScope(c *gin.Context) model.Scope { return c.MustGet(ctxScope).(model.Scope) }

type reviewQuery struct {
	Kind string `form:"kind" validate:"required,oneof=gig employer" label:"gig / employer"`
}

type reviewQueueResponse struct {
	Gigs      []gigDetailResponse `json:"gigs,omitempty"`
	Employers []employerResponse  `json:"employers,omitempty"`
}

func (a *API) reviewQueue(c *gin.Context) {
	var q reviewQuery
	if err := bindQuery(c, &q); err != nil {
		fail(c, err)
		return
	}
	ctx, scope := c.Request.Context(), staffScope(c)
	if q.Kind == "gig" {
		gigs, err := a.opts.Store.PendingGigs(ctx, scope, 100)
		if err != nil {
			fail(c, err)
			return
		}
		out := make([]gigDetailResponse, len(gigs))
		for i := range gigs {
			out[i] = detailJSON(&gigs[i])
		}
		c.JSON(http.StatusOK, reviewQueueResponse{Gigs: out})
		return
	}
	emps, err := a.opts.Store.PendingEmployers(ctx, scope, 100)
	if err != nil {
		fail(c, err)
		return
	}
	out := make([]employerResponse, len(emps))
	for i := range emps {
		out[i] = employerJSON(&emps[i])
	}
	c.JSON(http.StatusOK, reviewQueueResponse{Employers: out})
}

type rejectRequest struct {
	Reason string `json:"reason" validate:"required,max=200" label:"驳回原因"`
}

// decision reads what a review route decides about: the :id, and the reason of a rejection (an approval has
// no body).
func decision(c *gin.Context, approve bool) (uint64, string, error) {
	id, err := pathID(c)
	if err != nil {
		return id, "", err
	}
	if approve {
		// An approval has no body, or one saying why a flagged phrase is not discrimination.
		if c.Request.ContentLength == 0 {
			return id, "", nil
		}
		var req approveRequest
		if err := bindJSON(c, &req); err != nil {
			return 0, "", err
		}
		return id, req.OverrideReason, nil
	}
	var req rejectRequest
	if err := bindJSON(c, &req); err != nil {
		return 0, "", err
	}
	return id, req.Reason, nil
}

type approveRequest struct {
	OverrideReason string `json:"override_reason" validate:"max=200" label:"被标为歧视的用语其实不是歧视的理由（至少10个字），记入审核记录和审计日志"`
}

func (a *API) decideGig(approve bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		id, reason, err := decision(c, approve)
		if err != nil {
			fail(c, err)
			return
		}
		ctx := c.Request.Context()
		g, err := a.opts.Store.DecideGig(ctx, staffScope(c), id, approve, reason)
		if err != nil {
			fail(c, err)
			return
		}
		a.refreshLive(c, g.ID)
		d, err := a.opts.Store.GigForStaff(ctx, staffScope(c), g.ID)
		if err != nil {
			fail(c, err)
			return
		}
		if approve && reason != "" && len(d.Checks.Discrimination) > 0 {
			a.audit(c, "approved over flagged phrases", reason)
		}
		c.JSON(http.StatusOK, detailJSON(d))
	}
}

func (a *API) decideEmployer(approve bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		id, reason, err := decision(c, approve)
		if err != nil {
			fail(c, err)
			return
		}
		e, err := a.opts.Store.DecideEmployer(c.Request.Context(), staffScope(c), id, approve, reason)
		if err != nil {
			fail(c, err)
			return
		}
		c.JSON(http.StatusOK, employerJSON(e))
	}
}

// reasonRequest is why staff take a gig down or suspend an employer; the employer reads it in the app.
type reasonRequest struct {
	Reason string `json:"reason" validate:"required,max=200" label:"原因（雇主会在小程序里看到）"`
}

func (a *API) takeDownGig(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		fail(c, err)
		return
	}
	var req reasonRequest
	if err := bindJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	ctx := c.Request.Context()
	g, err := a.opts.Store.TakeDownGig(ctx, staffScope(c), id, req.Reason)
	if err != nil {
		fail(c, err)
		return
	}
	a.refreshLive(c, g.ID)
	d, err := a.opts.Store.GigForStaff(ctx, staffScope(c), g.ID)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, detailJSON(d))
}

func (a *API) suspendEmployer(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		fail(c, err)
		return
	}
	var req reasonRequest
	if err := bindJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	// The gigs leave this instance's index with the change feed, within its second, as on every other.
	e, err := a.opts.Store.SuspendEmployer(c.Request.Context(), staffScope(c), id, req.Reason)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, employerJSON(e))
}

func (a *API) reinstateEmployer(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		fail(c, err)
		return
	}
	e, err := a.opts.Store.ReinstateEmployer(c.Request.Context(), staffScope(c), id)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, employerJSON(e))
}

type wageGuideRequest struct {
	CategoryID  uint64 `json:"category_id" validate:"required" label:"工种 id"`
	AreaCode    string `json:"area_code" validate:"required,len=6,numeric" label:"地区代码（省、市或区县）"`
	Period      string `json:"period" validate:"required,max=16" label:"期间：2026、2026-H2、2026-Q3"`
	LowCents    int64  `json:"low_cents" validate:"required,gt=0" label:"日薪低位数（分）"`
	MedianCents int64  `json:"median_cents" validate:"required,gt=0" label:"日薪中位数（分）"`
	HighCents   int64  `json:"high_cents" validate:"required,gt=0" label:"日薪高位数（分）"`
}

type wageGuideResponse struct {
	ID          uint64    `json:"id"`
	CategoryID  uint64    `json:"category_id"`
	AreaCode    string    `json:"area_code"`
	AreaName    string    `json:"area_name"`
	Period      string    `json:"period"`
	LowCents    int64     `json:"low_cents"`
	MedianCents int64     `json:"median_cents"`
	HighCents   int64     `json:"high_cents"`
	UpdatedAt   time.Time `json:"updated_at"`
}

func wageGuideJSON(g *model.WageGuide) wageGuideResponse {
	area, _ := model.LookupArea(g.AreaCode)
	return wageGuideResponse{ID: g.ID, CategoryID: g.CategoryID, AreaCode: g.AreaCode, AreaName: area.FullName(),
		Period: g.Period, LowCents: g.LowCents, MedianCents: g.MedianCents, HighCents: g.HighCents, UpdatedAt: g.UpdatedAt}
}

func (a *API) publishWageGuide(c *gin.Context) {
	var req wageGuideRequest
	if err := bindJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	g, err := a.opts.Store.PublishWageGuide(c.Request.Context(), staffScope(c), model.WageGuideInput{
		CategoryID: req.CategoryID, AreaCode: req.AreaCode, Period: req.Period,
		LowCents: req.LowCents, MedianCents: req.MedianCents, HighCents: req.HighCents})
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, wageGuideJSON(g))
}

type wageGuideQuery struct {
	Category uint64 `form:"category" label:"工种 id"`
	Area     string `form:"area" validate:"omitempty,len=6,numeric" label:"地区代码：含上级市、省的价位"`
}

func (a *API) wageGuides(c *gin.Context) {
	var q wageGuideQuery
	if err := bindQuery(c, &q); err != nil {
		fail(c, err)
		return
	}
	guides, err := a.opts.Store.WageGuides(c.Request.Context(), q.Category, q.Area)
	if err != nil {
		fail(c, err)
		return
	}
	out := make([]wageGuideResponse, len(guides))
	for i := range guides {
		out[i] = wageGuideJSON(&guides[i])
	}
	c.JSON(http.StatusOK, out)
}

type staffRequest struct {
	UserID   uint64  `json:"user_id" validate:"required" label:"用户 id"`
	Name     string  `json:"name" validate:"required,max=32" label:"姓名（显示在人员名单和审计日志里）"`
	AreaCode string  `json:"area_code" validate:"required_without=MarketID,omitempty,len=6,numeric" label:"辖区：区县、市或全省的代码"`
	MarketID *uint64 `json:"market_id" label:"或者：所属零工市场（辖区为市场所在区县）"`
}

// adminOnly narrows a staff route to admins; to staff it does not exist.
func (a *API) adminOnly(h gin.HandlerFunc) gin.HandlerFunc {
	return func(c *gin.Context) {
		if !staffScope(c).All {
			fail(c, model.ErrNotFound)
			return
		}
		h(c)
	}
}

func (a *API) addStaff(c *gin.Context) {
	scope := staffScope(c)
	var req staffRequest
	if err := bindJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	if err := a.opts.Store.AddStaff(c.Request.Context(), scope.UserID, req.UserID, req.Name, req.AreaCode, req.MarketID); err != nil {
		fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

type difficultyResponse struct {
	UserID    uint64    `json:"user_id"`
	Name      string    `json:"name" label:"打码的姓名"`
	IDNumber  string    `json:"id_number" label:"打码的身份证号"`
	AreaCode  string    `json:"area_code"`
	UpdatedAt time.Time `json:"requested_at"`
}

func (a *API) difficultyRequests(c *gin.Context) {
	reqs, err := a.opts.Store.DifficultyRequests(c.Request.Context(), staffScope(c), 200)
	if err != nil {
		fail(c, err)
		return
	}
	out := make([]difficultyResponse, len(reqs))
	for i, r := range reqs {
		out[i] = difficultyResponse{UserID: r.UserID, Name: model.MaskName(r.Name), IDNumber: model.MaskIDNumber(r.IDNumber),
			AreaCode: r.AreaCode, UpdatedAt: r.UpdatedAt}
	}
	c.JSON(http.StatusOK, out)
}

type difficultyDecision struct {
	Recognise *bool `json:"recognise" validate:"required" label:"true 认定 / false 不认定"`
}

func (a *API) decideDifficulty(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		fail(c, err)
		return
	}
	var req difficultyDecision
	if err := bindJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	if err := a.opts.Store.DecideDifficulty(c.Request.Context(), staffScope(c), id, *req.Recognise); err != nil {
		fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

type identityClaimResponse struct {
	ID        uint64    `json:"id"`
	UserID    uint64    `json:"user_id" label:"后登记的账号"`
	HolderID  uint64    `json:"holder_id" label:"先登记、现在持有这个身份证号的账号"`
	AreaCode  string    `json:"area_code"`
	CreatedAt time.Time `json:"created_at"`
}

func (a *API) identityClaims(c *gin.Context) {
	list, err := a.opts.Store.IdentityClaims(c.Request.Context(), staffScope(c))
	if err != nil {
		fail(c, err)
		return
	}
	out := make([]identityClaimResponse, len(list))
	for i, cl := range list {
		out[i] = identityClaimResponse{ID: cl.ID, UserID: cl.UserID, HolderID: cl.HolderID, AreaCode: cl.AreaCode, CreatedAt: cl.CreatedAt}
	}
	c.JSON(http.StatusOK, out)
}

type resolveClaimRequest struct {
	Keep string `json:"keep" validate:"required,oneof=claimant holder" label:"claimant 后登记的人持有 / holder 原来的人持有（看过身份证后决定）"`
}

func (a *API) resolveIdentityClaim(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		fail(c, err)
		return
	}
	var req resolveClaimRequest
	if err := bindJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	if err := a.opts.Store.ResolveIdentityClaim(c.Request.Context(), staffScope(c), id, req.Keep); err != nil {
		fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

type staffResponse struct {
	UserID   uint64     `json:"user_id"`
	Name     string     `json:"name"`
	AreaCode string     `json:"area_code"`
	AreaName string     `json:"area_name"`
	MarketID *uint64    `json:"market_id"`
	Disabled *time.Time `json:"disabled_at"`
}

func (a *API) listStaff(c *gin.Context) {
	list, err := a.opts.Store.StaffMembers(c.Request.Context())
	if err != nil {
		fail(c, err)
		return
	}
	out := make([]staffResponse, len(list))
	for i, m := range list {
		area, _ := model.LookupArea(m.AreaCode)
		out[i] = staffResponse{UserID: m.UserID, Name: m.Name, AreaCode: m.AreaCode, AreaName: area.FullName(), MarketID: m.MarketID, Disabled: m.DisabledAt}
	}
	c.JSON(http.StatusOK, out)
}

func (a *API) disableStaff(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		fail(c, err)
		return
	}
	if err := a.opts.Store.DisableStaff(c.Request.Context(), id); err != nil {
		fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

type auditQuery struct {
	ActorID    string `form:"actor_id" label:"只看这个人的（用户 id）"`
	Action     string `form:"action" label:"操作包含这些字，如 identity、/console/staff"`
	TargetKind string `form:"target_kind" label:"对象类别，如 gigs、employers"`
	TargetID   string `form:"target_id" label:"对象编号"`
	From       string `form:"from" label:"从这一天起（2026-11-28）"`
	To         string `form:"to" label:"到这一天止（含这一天）"`
	BeforeID   uint64 `form:"before_id" label:"翻页：上一页最后一条的 id"`
}

type auditResponse struct {
	ID         uint64 `json:"id"`
	ActorID    uint64 `json:"actor_id"`
	ActorName  string `json:"actor_name" label:"操作人作为工作人员登记的姓名（现在的）；不是工作人员的为空"`
	Action     string `json:"action"`
	TargetKind string `json:"target_kind"`
	TargetID   string `json:"target_id"`
	Detail     string `json:"detail"`
	IP         string `json:"ip"`
	RequestID  string `json:"request_id"`
	// ConsoleSessionID names the console session an action came through; 0 for the API.
	ConsoleSessionID uint64    `json:"console_session_id"`
	CreatedAt        time.Time `json:"created_at"`
}

func (a *API) auditLog(c *gin.Context) {
	var q auditQuery
	if err := bindQuery(c, &q); err != nil {
		fail(c, err)
		return
	}
	mq, err := model.AuditFilter{Actor: q.ActorID, Action: q.Action, TargetKind: q.TargetKind, TargetID: q.TargetID, From: q.From, To: q.To}.Query()
	if err != nil {
		fail(c, err)
		return
	}
	mq.BeforeID, mq.Limit = q.BeforeID, 100
	list, err := a.opts.Store.AuditLogs(c.Request.Context(), mq)
	if err != nil {
		fail(c, err)
		return
	}
	out := make([]auditResponse, len(list))
	for i, e := range list {
		out[i] = auditResponse{ID: e.ID, ActorID: e.ActorID, ActorName: e.ActorName, Action: e.Action, TargetKind: e.TargetKind, TargetID: e.TargetID,
			Detail: e.Detail, IP: e.IP, RequestID: e.RequestID, ConsoleSessionID: e.ConsoleSessionID, CreatedAt: e.CreatedAt}
	}
	c.JSON(http.StatusOK, out)
}

type identityResponse struct {
	Name     string `json:"name"`
	IDNumber string `json:"id_number"`
	Phone    string `json:"phone"`
}

func (a *API) workerIdentity(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		fail(c, err)
		return
	}
	who, err := a.opts.Store.WorkerIdentity(c.Request.Context(), staffScope(c), id)
	if err != nil {
		fail(c, err)
		return
	}
	if err := a.auditRead(c, "read worker identity", "full name, ID number and phone"); err != nil {
		fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, identityResponse{Name: who.Name, IDNumber: who.IDNumber, Phone: who.Phone})
}

func (a *API) employerIdentity(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		fail(c, err)
		return
	}
	e, err := a.opts.Store.EmployerIdentity(c.Request.Context(), staffScope(c), id)
	if err != nil {
		fail(c, err)
		return
	}
	name := e.LegalName
	if name == "" {
		name = e.DisplayName
	}
	if err := a.auditRead(c, "read employer identity", "full name, ID number and contact phone"); err != nil {
		fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, identityResponse{Name: name, IDNumber: e.IDNumber, Phone: e.ContactPhone})
}
