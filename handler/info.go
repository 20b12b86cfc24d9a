package handler

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"lingong/model"
)

func (a *API) routesInfo() {
	a.handle(http.MethodGet, "/api/v1/markets", routeDoc{Summary: "零工市场和驿站名录，给位置时近的在前", Tag: "info",
		Query: marketQuery{}, Response: []marketResponse{}}, a.listMarkets)
	a.handle(http.MethodGet, "/api/v1/markets/:id", routeDoc{Summary: "零工市场或驿站详情", Tag: "info",
		Response: marketResponse{}}, a.getMarket)
	a.handle(http.MethodGet, "/api/v1/shortages", routeDoc{Summary: "紧缺工种（含上级市、省发布的）", Tag: "info",
		Query: areaQuery{}, Response: []shortageResponse{}}, a.listShortages)
	a.handle(http.MethodGet, "/api/v1/job-fairs", routeDoc{Summary: "专场招聘会（今天及以后）", Tag: "info",
		Query: fairQuery{}, Response: []fairResponse{}}, a.listFairs)
	a.handle(http.MethodGet, "/api/v1/notices", routeDoc{Summary: "政策通知（含上级市、省发布的）", Tag: "info",
		Query: areaQuery{}, Response: []noticeResponse{}}, a.listNotices)

	staff := func(method, path string, doc routeDoc, h gin.HandlerFunc) {
		doc.Auth, doc.Tag = true, "admin"
		a.handle(method, path, doc, a.staffOnly, h)
	}
	staff(http.MethodPost, "/api/v1/admin/markets", routeDoc{Summary: "新增零工市场或驿站（本辖区）", Request: marketRequest{},
		Response: marketResponse{}, Status: http.StatusCreated}, a.saveMarket)
	staff(http.MethodPut, "/api/v1/admin/markets/:id", routeDoc{Summary: "修改零工市场或驿站（本辖区）", Request: marketRequest{},
		Response: marketResponse{}}, a.saveMarket)
	staff(http.MethodPost, "/api/v1/admin/shortages", routeDoc{Summary: "发布紧缺工种", Request: shortageRequest{},
		Response: shortageResponse{}, Status: http.StatusCreated}, a.publishShortage)
	staff(http.MethodPost, "/api/v1/admin/job-fairs", routeDoc{Summary: "发布专场招聘会", Request: fairRequest{},
		Response: fairResponse{}, Status: http.StatusCreated}, a.publishFair)
	staff(http.MethodPost, "/api/v1/admin/notices", routeDoc{Summary: "发布政策通知", Request: noticeRequest{},
		Response: noticeResponse{}, Status: http.StatusCreated}, a.publishNotice)
}

type marketRequest struct {
	Kind           string          `json:"kind" validate:"required,oneof=market station" label:"market 零工市场 / station 零工驿站"`
	Name           string          `json:"name" validate:"required,max=40" label:"规范名称"`
	AreaCode       string          `json:"area_code" validate:"required,len=6,numeric"`
	Address        string          `json:"address" validate:"required,max=120"`
	Location       locationRequest `json:"location"`
	OpeningHours   string          `json:"opening_hours" validate:"max=60" label:"服务时间"`
	Services       string          `json:"services" validate:"max=500" label:"服务内容"`
	Hotline        string          `json:"hotline" validate:"required,max=20" label:"服务热线"`
	ComplaintPhone string          `json:"complaint_phone" validate:"required,max=20" label:"投诉电话"`
}

type marketResponse struct {
	ID             uint64  `json:"id"`
	Kind           string  `json:"kind"`
	Name           string  `json:"name"`
	AreaCode       string  `json:"area_code"`
	AreaName       string  `json:"area_name"`
	Address        string  `json:"address"`
	Lat            float64 `json:"lat"`
	Lng            float64 `json:"lng"`
	DistanceM      *int    `json:"distance_m,omitempty"`
	OpeningHours   string  `json:"opening_hours"`
	Services       string  `json:"services"`
	Hotline        string  `json:"hotline"`
	ComplaintPhone string  `json:"complaint_phone"`
}

func marketJSON(m *model.Market, near *model.Place) marketResponse {
	area, _ := model.LookupArea(m.AreaCode)
	out := marketResponse{ID: m.ID, Kind: m.Kind, Name: m.Name, AreaCode: m.AreaCode, AreaName: area.FullName(),
		Address: m.Address, Lat: m.Lat, Lng: m.Lng, OpeningHours: m.OpeningHours, Services: m.Services,
		Hotline: m.Hotline, ComplaintPhone: m.ComplaintPhone}
	if near != nil {
		d := model.DistanceM(near.Lat, near.Lng, m.Lat, m.Lng)
		out.DistanceM = &d
	}
	return out
}

type marketQuery struct {
	Lat  float64 `form:"lat" validate:"omitempty,latitude"`
	Lng  float64 `form:"lng" validate:"omitempty,longitude"`
	Area string  `form:"area" validate:"omitempty,len=6,numeric" label:"只看这个市或区县"`
}

func (a *API) listMarkets(c *gin.Context) {
	var q marketQuery
	if err := bindQuery(c, &q); err != nil {
		fail(c, err)
		return
	}
	var near *model.Place
	if q.Lat != 0 && q.Lng != 0 {
		near = &model.Place{Lat: q.Lat, Lng: q.Lng}
	}
	list, err := a.opts.Store.Markets(c.Request.Context(), near, q.Area)
	if err != nil {
		fail(c, err)
		return
	}
	out := make([]marketResponse, len(list))
	for i := range list {
		out[i] = marketJSON(&list[i], near)
	}
	c.JSON(http.StatusOK, out)
}

func (a *API) getMarket(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		fail(c, err)
		return
	}
	m, err := a.opts.Store.Market(c.Request.Context(), id)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, marketJSON(m, nil))
}

func (a *API) saveMarket(c *gin.Context) {
	id, err := optionalID(c)
	if err != nil {
		fail(c, err)
		return
	}
	var req marketRequest
	if err := bindJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	m, err := a.opts.Store.SaveMarket(c.Request.Context(), staffScope(c), id, model.MarketInput{Kind: req.Kind, Name: req.Name,
		AreaCode: req.AreaCode, Address: req.Address, Lat: req.Location.Lat, Lng: req.Location.Lng,
		OpeningHours: req.OpeningHours, Services: req.Services, Hotline: req.Hotline, ComplaintPhone: req.ComplaintPhone})
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(savedStatus(id), marketJSON(m, nil))
}

type areaQuery struct {
	Area string `form:"area" validate:"omitempty,len=6,numeric" label:"地区代码"`
}

type shortageRequest struct {
	CategoryID uint64 `json:"category_id" validate:"required"`
	AreaCode   string `json:"area_code" validate:"required,len=6,numeric"`
	Period     string `json:"period" validate:"required,max=16"`
	Note       string `json:"note" validate:"max=200"`
}

type shortageResponse struct {
	ID         uint64 `json:"id"`
	CategoryID uint64 `json:"category_id"`
	AreaCode   string `json:"area_code"`
	AreaName   string `json:"area_name"`
	Period     string `json:"period"`
	Note       string `json:"note"`
}

func shortageJSON(s *model.ShortageOccupation) shortageResponse {
	area, _ := model.LookupArea(s.AreaCode)
	return shortageResponse{ID: s.ID, CategoryID: s.CategoryID, AreaCode: s.AreaCode, AreaName: area.FullName(), Period: s.Period, Note: s.Note}
}

func (a *API) publishShortage(c *gin.Context) {
	var req shortageRequest
	if err := bindJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	sh, err := a.opts.Store.PublishShortage(c.Request.Context(), staffScope(c), req.CategoryID, req.AreaCode, req.Period, req.Note)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, shortageJSON(sh))
}

func (a *API) listShortages(c *gin.Context) {
	var q areaQuery
	if err := bindQuery(c, &q); err != nil {
		fail(c, err)
		return
	}
	list, err := a.opts.Store.Shortages(c.Request.Context(), q.Area)
	if err != nil {
		fail(c, err)
		return
	}
	out := make([]shortageResponse, len(list))
	for i := range list {
		out[i] = shortageJSON(&list[i])
	}
	c.JSON(http.StatusOK, out)
}

type fairRequest struct {
	MarketID    uint64 `json:"market_id" validate:"required" label:"在哪个零工市场办"`
	Title       string `json:"title" validate:"required,max=40"`
	Date        string `json:"date" validate:"required,len=10"`
	StartTime   string `json:"start_time" validate:"required,len=5"`
	EndTime     string `json:"end_time" validate:"required,len=5"`
	Description string `json:"description" validate:"max=2000"`
}

type fairResponse struct {
	ID uint64 `json:"id"`
	fairRequest
	AreaCode string `json:"area_code"`
}

type fairQuery struct {
	MarketID uint64 `form:"market_id" label:"只看这个市场的"`
}

func fairJSON(f *model.JobFair) fairResponse {
	return fairResponse{ID: f.ID, AreaCode: f.AreaCode, fairRequest: fairRequest{MarketID: f.MarketID, Title: f.Title, Date: f.Date,
		StartTime: f.StartTime, EndTime: f.EndTime, Description: f.Description}}
}

func (a *API) publishFair(c *gin.Context) {
	var req fairRequest
	if err := bindJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	f, err := a.opts.Store.PublishJobFair(c.Request.Context(), staffScope(c), model.JobFair{MarketID: req.MarketID,
		Title: req.Title, Date: req.Date, StartTime: req.StartTime, EndTime: req.EndTime, Description: req.Description})
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, fairJSON(f))
}

func (a *API) listFairs(c *gin.Context) {
	var q fairQuery
	if err := bindQuery(c, &q); err != nil {
		fail(c, err)
		return
	}
	list, err := a.opts.Store.JobFairs(c.Request.Context(), q.MarketID)
	if err != nil {
		fail(c, err)
		return
	}
	out := make([]fairResponse, len(list))
	for i := range list {
		out[i] = fairJSON(&list[i])
	}
	c.JSON(http.StatusOK, out)
}

type noticeRequest struct {
	Title    string `json:"title" validate:"required,max=40"`
	Body     string `json:"body" validate:"required,max=10000"`
	AreaCode string `json:"area_code" validate:"required,len=6,numeric"`
}

type noticeResponse struct {
	ID        uint64    `json:"id"`
	Title     string    `json:"title"`
	Body      string    `json:"body"`
	AreaCode  string    `json:"area_code"`
	CreatedAt time.Time `json:"published_at"`
}

func noticeJSON(n *model.Notice) noticeResponse {
	return noticeResponse{ID: n.ID, Title: n.Title, Body: n.Body, AreaCode: n.AreaCode, CreatedAt: n.CreatedAt}
}

func (a *API) publishNotice(c *gin.Context) {
	var req noticeRequest
	if err := bindJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	n, err := a.opts.Store.PublishNotice(c.Request.Context(), staffScope(c), req.Title, req.Body, req.AreaCode)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, noticeJSON(n))
}

func (a *API) listNotices(c *gin.Context) {
	var q areaQuery
	if err := bindQuery(c, &q); err != nil {
		fail(c, err)
		return
	}
	list, err := a.opts.Store.Notices(c.Request.Context(), q.Area)
	if err != nil {
		fail(c, err)
		return
	}
	out := make([]noticeResponse, len(list))
	for i := range list {
		out[i] = noticeJSON(&list[i])
	}
	c.JSON(http.StatusOK, out)
}
