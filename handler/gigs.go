package handler

import (
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"lingong/model"
)

func (a *API) routesGigs() {
	a.opts.Live.SetCardEncoder(encodeGigCard)
	a.handle(http.MethodGet, "/api/v1/gigs", routeDoc{Summary: "附近的活（默认3公里内，按距离），游标翻页", Tag: "gigs",
		Query: gigListQuery{}, Response: gigListResponse{}}, a.listGigs)
	a.handle(http.MethodGet, "/api/v1/gigs/:id", routeDoc{Summary: "活的详情，含一键拨打的联系电话", Tag: "gigs",
		Auth: true, Response: gigDetailResponse{}}, a.gigDetail)
	a.handle(http.MethodPost, "/api/v1/gigs/check", routeDoc{Summary: "提交前检查：歧视性用语、低于工资指导价位", Tag: "gigs",
		Auth: true, Request: gigRequest{}, Response: gigChecksResponse{}}, a.checkGig)
	a.handle(http.MethodPost, "/api/v1/gigs", routeDoc{Summary: "发布招工（已审核的雇主），提交后待审核；微信内容检测随后在后台进行", Tag: "gigs",
		Auth: true, Request: gigRequest{}, Response: gigDetailResponse{}, Status: http.StatusCreated}, a.createGig)
	a.handle(http.MethodPut, "/api/v1/gigs/:id", routeDoc{Summary: "修改自己的招工，修改后重新审核", Tag: "gigs",
		Auth: true, Request: gigRequest{}, Response: gigDetailResponse{}}, a.updateGig)
	a.handle(http.MethodPost, "/api/v1/gigs/:id/close", routeDoc{Summary: "撤下自己的招工", Tag: "gigs",
		Auth: true, Response: gigDetailResponse{}}, a.closeGig)
	a.handle(http.MethodGet, "/api/v1/me/gigs", routeDoc{Summary: "我发布的招工", Tag: "gigs",
		Auth: true, Response: []gigDetailResponse{}}, a.myGigs)
}

// gigListQuery documents the query of GET /gigs; listGigs parses it by hand so that every bad value is
// named.
type gigListQuery struct {
	Lat        float64 `form:"lat" validate:"required" label:"纬度（GCJ-02）"`
	Lng        float64 `form:"lng" validate:"required" label:"经度（GCJ-02）"`
	Radius     int     `form:"radius" label:"半径（米），默认 3000，最大 50000"`
	Category   uint64  `form:"category" label:"工种 id"`
	MinWage    int64   `form:"min_wage" label:"最低日薪（分）；按小时的活按8小时算"`
	Settlement string  `form:"settlement" label:"daily 只看日结"`
	Date       string  `form:"date" label:"today / tomorrow / 2026-12-01"`
	Sort       string  `form:"sort" label:"distance（默认）/ wage / newest"`
	Cursor     string  `form:"cursor" label:"上一页的 next_cursor"`
	Limit      int     `form:"limit" label:"每页条数，默认 20，最大 50"`
	Q          string  `form:"q" label:"搜索的字：活的名称、工种、雇主或地址里有就算，最多20个字"`
}

type gigCard struct {
	ID             uint64  `json:"id"`
	Title          string  `json:"title"`
	Category       string  `json:"category"`
	EmployerName   string  `json:"employer_name"`
	EmployerRating float64 `json:"employer_rating"`
	WageCents      int64   `json:"wage_cents"`
	WageUnit       string  `json:"wage_unit" label:"day / hour / piece"`
	Settlement     string  `json:"settlement" label:"daily 日结 / on_completion 完工结"`
	StartDate      string  `json:"start_date"`
	EndDate        string  `json:"end_date"`
	WorkHours      string  `json:"work_hours"`
	Address        string  `json:"address"`
	Lat            float64 `json:"lat"`
	Lng            float64 `json:"lng"`
	SpotsLeft      int     `json:"spots_left"`
	DistanceM      int     `json:"distance_m"` // last: pre-encoded cards end with it (gigcards.go)
}

type gigListResponse struct {
	Items      []gigCard `json:"items"`
	NextCursor string    `json:"next_cursor" label:"为空表示没有更多了"`
}

var gigSorts = map[string]bool{model.SortDistance: true, model.SortWage: true, model.SortNewest: true}

// parseGigQuery reads GET /gigs' query into a search, naming every wrong value at once.
func (a *API) parseGigQuery(c *gin.Context) (model.GigQuery, error) {
	q := model.GigQuery{Radius: 3000, Sort: model.SortDistance, Limit: 20, Cursor: c.Query("cursor")}
	var bad []fieldError
	num := func(name string, required bool, min, max float64) (float64, bool) {
		raw, ok := c.GetQuery(name)
		if !ok || raw == "" {
			if required {
				bad = append(bad, fieldError{name, "必须填写"})
			}
			return 0, false
		}
		v, err := strconv.ParseFloat(raw, 64)
		if err != nil || math.IsNaN(v) || v < min || v > max {
			bad = append(bad, fieldError{name, "数值不对"})
			return 0, false
		}
		return v, true
	}
	q.Lat, _ = num("lat", true, 3, 54)
	q.Lng, _ = num("lng", true, 73, 136)
	if v, ok := num("radius", false, 100, 50_000); ok {
		q.Radius = v
	}
	if v, ok := num("category", false, 1, 1e9); ok {
		q.CategoryID = uint64(v)
	}
	if v, ok := num("min_wage", false, 0, 1e9); ok {
		q.MinDailyCent = int64(v)
	}
	if v, ok := num("limit", false, 1, 50); ok {
		q.Limit = int(v)
	}
	switch s := c.Query("settlement"); s {
	case "":
	case model.SettleDaily:
		q.DailyPay = true
	default:
		bad = append(bad, fieldError{"settlement", "只能是 daily"})
	}
	if s := c.Query("sort"); s != "" {
		if !gigSorts[s] {
			bad = append(bad, fieldError{"sort", "只能是 distance、wage 或 newest"})
		} else {
			q.Sort = s
		}
	}
	if kw := strings.TrimSpace(c.Query("q")); utf8.RuneCountInString(kw) > 20 {
		bad = append(bad, fieldError{"q", "最多20个字"})
	} else {
		q.Keyword = kw
	}
	today := a.opts.Store.Now()
	switch d := c.Query("date"); d {
	case "":
	case "today":
		q.Date = today.Format(time.DateOnly)
	case "tomorrow":
		q.Date = today.AddDate(0, 0, 1).Format(time.DateOnly)
	default:
		if _, err := time.Parse(time.DateOnly, d); err != nil {
			bad = append(bad, fieldError{"date", "只能是 today、tomorrow 或 2026-12-01 这样的日期"})
		} else {
			q.Date = d
		}
	}
	if len(bad) > 0 {
		return q, invalidFields(bad...)
	}
	return q, nil
}

func (a *API) listGigs(c *gin.Context) {
	q, err := a.parseGigQuery(c)
	if err != nil {
		fail(c, err)
		return
	}
	hits, next, err := a.opts.Live.Search(q)
	if err != nil {
		fail(c, err)
		return
	}
	writeGigList(c, hits, next)
}

type locationRequest struct {
	Lat float64 `json:"lat" validate:"required,latitude"`
	Lng float64 `json:"lng" validate:"required,longitude"`
}

type gigRequest struct {
	Title        string          `json:"title" validate:"required,max=30" label:"标题"`
	CategoryID   uint64          `json:"category_id" validate:"required" label:"工种 id"`
	Description  string          `json:"description" validate:"max=1000" label:"说明"`
	Headcount    int             `json:"headcount" validate:"required,min=1,max=500" label:"招几个人"`
	WageCents    int64           `json:"wage_cents" validate:"required,gt=0" label:"工钱（分）"`
	WageUnit     string          `json:"wage_unit" validate:"required,oneof=day hour piece" label:"按天 day / 按小时 hour / 按件 piece"`
	Settlement   string          `json:"settlement" validate:"required,oneof=daily on_completion" label:"日结 daily / 完工结 on_completion"`
	StartDate    string          `json:"start_date" validate:"required,len=10" label:"开工日期 2026-12-01"`
	EndDate      string          `json:"end_date" validate:"required,len=10" label:"结束日期"`
	WorkHours    string          `json:"work_hours" validate:"max=11" label:"工作时间 08:00-17:00"`
	Address      string          `json:"address" validate:"required,max=120" label:"干活地址"`
	Location     locationRequest `json:"location" label:"干活地点（GCJ-02）"`
	AreaCode     string          `json:"area_code" validate:"required,len=6,numeric" label:"干活地点所在区县代码"`
	ContactPhone string          `json:"contact_phone" validate:"required,max=13" label:"联系电话"`
	HiringMode   string          `json:"hiring_mode" validate:"required,oneof=first_come select" label:"先到先得 first_come / 雇主挑选 select"`
}

func (r *gigRequest) input() model.GigInput {
	return model.GigInput{Title: r.Title, CategoryID: r.CategoryID, Description: r.Description, Headcount: r.Headcount,
		WageCents: r.WageCents, WageUnit: r.WageUnit, Settlement: r.Settlement, StartDate: r.StartDate, EndDate: r.EndDate,
		WorkHours: r.WorkHours, Address: r.Address, Lat: r.Location.Lat, Lng: r.Location.Lng, AreaCode: r.AreaCode,
		ContactPhone: r.ContactPhone, HiringMode: r.HiringMode}
}

type gigChecksResponse struct {
	Discrimination []model.Flag     `json:"discrimination" label:"歧视性用语：有则不能通过审核"`
	BelowGuide     *model.GuideNote `json:"below_guide" label:"低于工资指导价位的低位数时的提醒"`
	SecCheck       string           `json:"sec_check,omitempty" label:"微信内容安全检测（提交后在后台进行）：checking 检测中 / pass 通过 / review 要人工看 / risky 不允许（招工被驳回）/ unchecked 没能检测；工作人员看到 pass 以外的都是“未检测”或微信的提示"`
}

type gigDetailResponse struct {
	gigCard
	Description  string            `json:"description"`
	Headcount    int               `json:"headcount"`
	Confirmed    int               `json:"confirmed"`
	HiringMode   string            `json:"hiring_mode"`
	CategoryID   uint64            `json:"category_id"`
	AreaCode     string            `json:"area_code"`
	AreaName     string            `json:"area_name"`
	ContactPhone string            `json:"contact_phone" label:"联系电话：发布者本人和已求职登记的工人可见（每人每天最多看30个活的电话）"`
	PhoneNote    string            `json:"contact_phone_note,omitempty" label:"没有电话时的原因，直接给用户看"`
	Status       string            `json:"status" label:"pending_review / published / filled / closed / expired / rejected / paused"`
	RejectReason string            `json:"reject_reason,omitempty" label:"没通过的原因：审核人写的，或内容检测不允许时的说明"`
	Checks       gigChecksResponse `json:"checks"`
	PublishedAt  *time.Time        `json:"published_at"`
	// MyApplication is the caller's application to this gig, if any.
	MyApplication *applicationBrief `json:"my_application,omitempty"`
	EmployerID    uint64            `json:"employer_id"`
	// EmployerRecord is on the gig page only (GET /gigs/:id).
	EmployerRecord *employerRecordResponse `json:"employer_record,omitempty" label:"雇主的记录：完工的活、按时付钱、属实投诉、当天取消"`
}

type applicationBrief struct {
	ID     uint64 `json:"id"`
	Status string `json:"status"`
}

func detailJSON(d *model.GigDetail) gigDetailResponse {
	return gigDetailResponse{
		gigCard: gigCard{ID: d.ID, Title: d.Title, Category: d.CategoryName, EmployerName: d.EmployerName,
			EmployerRating: math.Round(d.EmployerRating*10) / 10, WageCents: d.WageCents, WageUnit: d.WageUnit,
			Settlement: d.Settlement, StartDate: d.StartDate, EndDate: d.EndDate, WorkHours: d.WorkHours, Address: d.Address,
			Lat: d.Lat, Lng: d.Lng, SpotsLeft: d.SpotsLeft()},
		Description: d.Description, Headcount: d.Headcount, Confirmed: d.Confirmed, HiringMode: d.HiringMode,
		CategoryID: d.CategoryID, AreaCode: d.AreaCode, AreaName: areaName(d.AreaCode), ContactPhone: d.ContactPhone,
		Status: d.Status, RejectReason: d.RejectReason,
		Checks: gigChecksResponse{Discrimination: nonNil(d.Checks.Discrimination), BelowGuide: d.Checks.BelowGuide,
			SecCheck: d.Checks.SecCheck},
		PublishedAt: d.PublishedAt, EmployerID: d.EmployerID,
	}
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// optionalID is the :id of an edit route, or 0 on a create route that has none.
func optionalID(c *gin.Context) (uint64, error) {
	if c.Param("id") == "" {
		return 0, nil
	}
	return pathID(c)
}

// savedStatus answers a save: 201 when it created (id 0), 200 when it edited.
func savedStatus(id uint64) int {
	if id == 0 {
		return http.StatusCreated
	}
	return http.StatusOK
}

// pathID reads the :id of the route; a malformed id is a gig that does not exist.
func pathID(c *gin.Context) (uint64, error) {
	id, err := strconv.ParseUint(c.Param("id"), 10, 64)
	if err != nil || id == 0 {
		return 0, model.ErrNotFound
	}
	return id, nil
}

func (a *API) gigDetail(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		fail(c, err)
		return
	}
	user := currentUser(c)
	d, err := a.opts.Store.GigForViewer(c.Request.Context(), user.ID, id)
	if err != nil {
		fail(c, err)
		return
	}
	resp := detailJSON(d)
	resp.PhoneNote = phoneNotes[d.PhoneWithheld]
	if !d.ViewerOwns {
		resp.Checks, resp.RejectReason = gigChecksResponse{Discrimination: []model.Flag{}}, ""
	}
	if app := d.MyApplication; app != nil {
		resp.MyApplication = &applicationBrief{ID: app.ID, Status: app.Status}
	}
	rec, err := a.opts.Store.EmployerRecordOf(c.Request.Context(), d.EmployerID)
	if err != nil {
		fail(c, err)
		return
	}
	r := employerRecordJSON(rec)
	resp.EmployerRecord = &r
	c.JSON(http.StatusOK, resp)
}

// phoneNotes say why a gig page has no phone to call.
var phoneNotes = map[string]string{
	model.PhoneForWorkers:   "求职登记后就能看到雇主电话",
	model.PhoneLimitReached: "今天看电话的次数够多了，明天再看；想干这个活可以直接报名",
}

func (a *API) checkGig(c *gin.Context) {
	var req gigRequest
	if err := bindJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	checks, err := a.opts.Store.CheckGig(c.Request.Context(), req.input())
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gigChecksResponse{Discrimination: nonNil(checks.Discrimination), BelowGuide: checks.BelowGuide})
}

func (a *API) createGig(c *gin.Context) {
	a.writeGig(c, 0)
}

func (a *API) updateGig(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		fail(c, err)
		return
	}
	a.writeGig(c, id)
}

// writeGig creates (id 0) or edits a gig: bind, let the model check and store. WeChat's content check runs from
// its queue afterwards (sec_check "checking" until then), so the employer never waits for WeChat.
func (a *API) writeGig(c *gin.Context, id uint64) {
	var req gigRequest
	if err := bindJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	ctx := c.Request.Context()
	user := currentUser(c)
	var g *model.Gig
	var err error
	status := http.StatusOK
	if id == 0 {
		g, err = a.opts.Store.CreateGig(ctx, user.ID, req.input())
		status = http.StatusCreated
	} else {
		g, err = a.opts.Store.UpdateGig(ctx, user.ID, id, req.input())
	}
	if err != nil {
		fail(c, err)
		return
	}
	a.refreshLive(c, g.ID)
	a.respondOwnGig(c, status, g.ID)
}

func (a *API) closeGig(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		fail(c, err)
		return
	}
	g, err := a.opts.Store.CloseGig(c.Request.Context(), currentUser(c).ID, id)
	if err != nil {
		fail(c, err)
		return
	}
	a.refreshLive(c, g.ID)
	a.respondOwnGig(c, http.StatusOK, g.ID)
}

func (a *API) respondOwnGig(c *gin.Context, status int, id uint64) {
	d, err := a.opts.Store.GigForViewer(c.Request.Context(), currentUser(c).ID, id)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(status, detailJSON(d))
}

func (a *API) myGigs(c *gin.Context) {
	ctx := c.Request.Context()
	user := currentUser(c)
	gigs, err := a.opts.Store.EmployerGigs(ctx, user.ID, 100)
	if err != nil {
		fail(c, err)
		return
	}
	out := make([]gigDetailResponse, len(gigs))
	for i := range gigs {
		out[i] = detailJSON(&gigs[i])
	}
	c.JSON(http.StatusOK, out)
}

// refreshLive puts a gig this request changed into the browsing index at once; the periodic sync would
// catch it within a second anyway, so a failure here is only logged.
func (a *API) refreshLive(c *gin.Context, gigID uint64) {
	if err := a.opts.Live.Refresh(c.Request.Context(), gigID); err != nil {
		logger(c).Warn("refreshing the gig index", slog.Uint64("gig_id", gigID), slog.Any("err", err))
	}
}
