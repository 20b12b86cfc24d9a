package handler

import (
	"net/http"
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
	reg(http.MethodPost, "/api/v1/admin/gigs/:id/approve", routeDoc{Summary: "审核通过并发布招工",
		Response: gigDetailResponse{}}, a.decideGig(true))
	reg(http.MethodPost, "/api/v1/admin/gigs/:id/reject", routeDoc{Summary: "驳回招工（写明原因）",
		Request: rejectRequest{}, Response: gigDetailResponse{}}, a.decideGig(false))
	reg(http.MethodPost, "/api/v1/admin/employers/:id/approve", routeDoc{Summary: "雇主审核通过",
		Response: employerResponse{}}, a.decideEmployer(true))
	reg(http.MethodPost, "/api/v1/admin/employers/:id/reject", routeDoc{Summary: "雇主审核不通过（写明原因）",
		Request: rejectRequest{}, Response: employerResponse{}}, a.decideEmployer(false))
	reg(http.MethodPost, "/api/v1/admin/wage-guides", routeDoc{Summary: "发布工资指导价位（本辖区）",
		Request: wageGuideRequest{}, Response: wageGuideResponse{}, Status: http.StatusCreated}, a.publishWageGuide)
	reg(http.MethodGet, "/api/v1/admin/difficulty-requests", routeDoc{Summary: "申请认定就业困难人员的求职者（本辖区）",
		Response: []difficultyResponse{}}, a.difficultyRequests)
	reg(http.MethodPost, "/api/v1/admin/workers/:id/difficulty", routeDoc{Summary: "认定或不认定就业困难人员",
		Request: difficultyDecision{}, Status: http.StatusNoContent}, a.decideDifficulty)
	reg(http.MethodPost, "/api/v1/admin/staff", routeDoc{Summary: "管理员设置工作人员及其辖区",
		Request: staffRequest{}, Status: http.StatusNoContent}, a.addStaff)

	a.handle(http.MethodGet, "/api/v1/wage-guides", routeDoc{Summary: "工资指导价位（可按工种、地区）", Tag: "info",
		Query: wageGuideQuery{}, Response: []wageGuideResponse{}}, a.wageGuides)
}

// staffOnly lets staff and admins through with their scope; to anybody else the route does not exist.
func (a *API) staffOnly(c *gin.Context) {
	scope, err := a.opts.Store.StaffScope(c.Request.Context(), currentUser(c))
	if err != nil {
		fail(c, err)
		return
	}
	c.Set(ctxScope, scope)
	c.Next()
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

// decisionReason reads the reason of a rejection; an approval has no body.
func decisionReason(c *gin.Context, approve bool) (string, error) {
	if approve {
		return "", nil
	}
	var req rejectRequest
	if err := bindJSON(c, &req); err != nil {
		return "", err
	}
	return req.Reason, nil
}

func (a *API) decideGig(approve bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		id, err := pathID(c)
		if err != nil {
			fail(c, err)
			return
		}
		reason, err := decisionReason(c, approve)
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
		c.JSON(http.StatusOK, detailJSON(d))
	}
}

func (a *API) decideEmployer(approve bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		id, err := pathID(c)
		if err != nil {
			fail(c, err)
			return
		}
		reason, err := decisionReason(c, approve)
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
	UserID   uint64 `json:"user_id" validate:"required" label:"用户 id"`
	AreaCode string `json:"area_code" validate:"required,len=6,numeric" label:"辖区：区县、市或全省的代码"`
}

func (a *API) addStaff(c *gin.Context) {
	scope := staffScope(c)
	if !scope.All {
		fail(c, model.ErrNotFound)
		return
	}
	var req staffRequest
	if err := bindJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	if err := a.opts.Store.AddStaff(c.Request.Context(), scope.UserID, req.UserID, req.AreaCode); err != nil {
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
