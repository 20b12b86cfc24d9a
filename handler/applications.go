package handler

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"lingong/model"
)

func (a *API) routesApplications() {
	a.handle(http.MethodPost, "/api/v1/gigs/:id/applications", routeDoc{Summary: "报名（先到先得的活立即录用）", Tag: "applications",
		Auth: true, Response: applicationResponse{}, Status: http.StatusCreated}, a.apply)
	a.handle(http.MethodDelete, "/api/v1/applications/:id", routeDoc{Summary: "取消自己的报名", Tag: "applications",
		Auth: true, Response: applicationResponse{}}, a.moveApplication(a.opts.Store.Withdraw))
	a.handle(http.MethodGet, "/api/v1/me/applications", routeDoc{Summary: "我的报名", Tag: "applications",
		Auth: true, Response: []myApplicationResponse{}}, a.myApplications)
	a.handle(http.MethodGet, "/api/v1/gigs/:id/applications", routeDoc{Summary: "自己招工的报名者（录用后才显示手机号）", Tag: "applications",
		Auth: true, Response: []applicantResponse{}}, a.applicants)
	a.handle(http.MethodPost, "/api/v1/applications/:id/accept", routeDoc{Summary: "雇主录用", Tag: "applications",
		Auth: true, Response: applicationResponse{}}, a.moveApplication(a.opts.Store.Accept))
	a.handle(http.MethodPost, "/api/v1/applications/:id/reject", routeDoc{Summary: "雇主不录用（已录用的可在开工前取消）", Tag: "applications",
		Auth: true, Response: applicationResponse{}}, a.moveApplication(a.opts.Store.Reject))
	a.handle(http.MethodPost, "/api/v1/applications/:id/complete", routeDoc{Summary: "雇主确认完工并填写实付工钱", Tag: "applications",
		Auth: true, Request: completeRequest{}, Response: applicationResponse{}}, a.complete)
	a.handle(http.MethodPost, "/api/v1/applications/:id/confirm-pay", routeDoc{Summary: "工人确认收到工钱", Tag: "applications",
		Auth: true, Response: applicationResponse{}}, a.moveApplication(a.opts.Store.ConfirmPay))
	a.handle(http.MethodPost, "/api/v1/applications/:id/dispute", routeDoc{Summary: "工人表示工钱没收到或不对（自动生成欠薪投诉）",
		Tag: "applications", Auth: true, Request: disputeRequest{}, Response: applicationResponse{}}, a.dispute)
	a.handle(http.MethodPost, "/api/v1/applications/:id/rating", routeDoc{Summary: "完工后双方互评 1–5 星，各一次", Tag: "applications",
		Auth: true, Request: ratingRequest{}, Response: ratingResponse{}, Status: http.StatusCreated}, a.rate)
}

type applicationResponse struct {
	ID              uint64     `json:"id"`
	GigID           uint64     `json:"gig_id"`
	Status          string     `json:"status" label:"pending 待录用 / confirmed 已录用 / rejected / withdrawn / cancelled 招工撤下 / completed 已完工 / paid 已收款 / disputed 工钱有争议"`
	AmountPaidCents *int64     `json:"amount_paid_cents"`
	CreatedAt       time.Time  `json:"created_at"`
	DecidedAt       *time.Time `json:"decided_at"`
	CompletedAt     *time.Time `json:"completed_at"`
}

func applicationJSON(app *model.Application) applicationResponse {
	return applicationResponse{ID: app.ID, GigID: app.GigID, Status: app.Status, AmountPaidCents: app.AmountPaidCents,
		CreatedAt: app.CreatedAt, DecidedAt: app.DecidedAt, CompletedAt: app.CompletedAt}
}

func (a *API) apply(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		fail(c, err)
		return
	}
	app, err := a.opts.Store.Apply(c.Request.Context(), currentUser(c).ID, id)
	if err != nil {
		fail(c, err)
		return
	}
	if app.Status == model.AppConfirmed {
		a.opts.Live.SpotTaken(id) // an application waiting for the employer changes nothing shown
	}
	c.JSON(http.StatusCreated, applicationJSON(app))
}

type moveFunc func(ctx context.Context, userID, appID uint64) (*model.Application, error)

// moveApplication runs a state change of an application by its worker or its gig's employer; the model
// checks that the caller is that person and answers ErrNotFound to anybody else.
func (a *API) moveApplication(move moveFunc) gin.HandlerFunc {
	return func(c *gin.Context) {
		id, err := pathID(c)
		if err != nil {
			fail(c, err)
			return
		}
		app, err := move(c.Request.Context(), currentUser(c).ID, id)
		if err != nil {
			fail(c, err)
			return
		}
		a.refreshLive(c, app.GigID)
		c.JSON(http.StatusOK, applicationJSON(app))
	}
}

// completeRequest records what the employer paid. An amount above what attendance says is due is accepted:
// overtime, a bonus, or days the employer never recorded are the employer's to pay; the worker sees both
// numbers and disputes a shortfall.
type completeRequest struct {
	AmountPaidCents *int64 `json:"amount_paid_cents" validate:"required,gte=0" label:"实际付的工钱（分）"`
}

func (a *API) complete(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		fail(c, err)
		return
	}
	var req completeRequest
	if err := bindJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	app, err := a.opts.Store.Complete(c.Request.Context(), currentUser(c).ID, id, *req.AmountPaidCents)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, applicationJSON(app))
}

type ratingRequest struct {
	Score   int    `json:"score" validate:"required,min=1,max=5" label:"1 到 5 颗星"`
	Comment string `json:"comment" validate:"max=100" label:"评语"`
}

type ratingResponse struct {
	ID      uint64 `json:"id"`
	ByRole  string `json:"by" label:"worker 工人评雇主 / employer 雇主评工人"`
	Score   int    `json:"score"`
	Comment string `json:"comment"`
}

func (a *API) rate(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		fail(c, err)
		return
	}
	var req ratingRequest
	if err := bindJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	r, err := a.opts.Store.Rate(c.Request.Context(), currentUser(c).ID, id, req.Score, req.Comment)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, ratingResponse{ID: r.ID, ByRole: r.ByRole, Score: r.Score, Comment: r.Comment})
}

type myApplicationResponse struct {
	applicationResponse
	Gig   gigCard       `json:"gig"`
	Rated bool          `json:"rated" label:"我已给雇主评过分"`
	Owed  *owedResponse `json:"owed" label:"录用后才有：按签到算的应付工钱"`
}

// owedResponse is what attendance says is due, shown alike to the worker and the employer.
type owedResponse struct {
	WageUnit string `json:"wage_unit" label:"day 按天 / hour 按小时 / piece 计件"`
	Days     int    `json:"days" label:"签到的天数"`
	Minutes  int    `json:"minutes" label:"按小时算的活：到岗到离开的时间（分钟），每天按半小时四舍五入"`
	OpenDays int    `json:"open_days" label:"按小时算的活：到了但还没扫离开的天数，未计入应付"`
	Cents    *int64 `json:"cents" label:"应付（分）：天数×日工钱，或小时×时薪；计件的活为 null"`
}

func owedJSON(o *model.Owed) *owedResponse {
	if o == nil {
		return nil
	}
	return &owedResponse{WageUnit: o.WageUnit, Days: o.Days, Minutes: o.Minutes, OpenDays: o.OpenDays, Cents: o.Cents}
}

func (a *API) myApplications(c *gin.Context) {
	apps, err := a.opts.Store.WorkerApplications(c.Request.Context(), currentUser(c).ID, 200)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, myApplicationsJSON(apps))
}

func myApplicationsJSON(apps []model.WorkerApplication) []myApplicationResponse {
	out := make([]myApplicationResponse, len(apps))
	for i := range apps {
		g := apps[i].Gig
		out[i] = myApplicationResponse{applicationResponse: applicationJSON(&apps[i].Application), Gig: gigCard{
			ID: g.ID, Title: g.Title, EmployerName: apps[i].EmployerName, WageCents: g.WageCents, WageUnit: g.WageUnit,
			Settlement: g.Settlement, StartDate: g.StartDate, EndDate: g.EndDate, WorkHours: g.WorkHours,
			Address: g.Address, Lat: g.Lat, Lng: g.Lng, SpotsLeft: g.SpotsLeft()}, Rated: apps[i].Rated, Owed: owedJSON(apps[i].Owed)}
	}
	return out
}

type applicantResponse struct {
	applicationResponse
	Name        string               `json:"name" label:"打码的姓名"`
	Age         int                  `json:"age"`
	Sex         string               `json:"sex"`
	Skills      []string             `json:"skills"`
	Rating      float64              `json:"rating"`
	RatingCount int                  `json:"rating_count"`
	Phone       string               `json:"phone" label:"录用后才有，可一键拨打"`
	Rated       bool                 `json:"rated" label:"我已给这位工人评过分"`
	Owed        *owedResponse        `json:"owed" label:"录用后才有：按签到算的应付工钱"`
	Record      workerRecordResponse `json:"record" label:"这位工人的记录：干活天数、最近90天没到次数、评分"`
}

func (a *API) applicants(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		fail(c, err)
		return
	}
	list, err := a.opts.Store.GigApplicants(c.Request.Context(), currentUser(c).ID, id)
	if err != nil {
		fail(c, err)
		return
	}
	out := make([]applicantResponse, len(list))
	for i := range list {
		ap := &list[i]
		out[i] = applicantResponse{applicationResponse: applicationJSON(&ap.Application), Name: ap.MaskedName, Age: ap.Age,
			Sex: sexOf(ap.Male), Skills: nonNil(ap.Skills), Rating: ap.Rating, RatingCount: ap.RatingCount, Phone: ap.Phone, Rated: ap.Rated,
			Owed: owedJSON(ap.Owed), Record: workerRecordJSON(ap.Record)}
	}
	c.JSON(http.StatusOK, out)
}

type disputeRequest struct {
	Note string `json:"note" validate:"max=500" label:"补充说明（可不填）"`
}

func (a *API) dispute(c *gin.Context) {
	var req disputeRequest
	if c.Request.ContentLength != 0 {
		if err := bindJSON(c, &req); err != nil {
			fail(c, err)
			return
		}
	}
	a.moveApplication(func(ctx context.Context, userID, appID uint64) (*model.Application, error) {
		return a.opts.Store.DisputePay(ctx, userID, appID, req.Note)
	})(c)
}
