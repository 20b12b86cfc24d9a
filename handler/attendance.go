package handler

import (
	"encoding/base64"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	goqrcode "github.com/skip2/go-qrcode"

	"lingong/model"
)

// Check-in on site. The code is a bearer of the gig's day for up to a minute: it goes only to the gig's
// employer, is never logged, and is drawn here so that the mini-program needs no QR library.
func (a *API) routesAttendance() {
	doc := func(summary string, req, resp any, status int) routeDoc {
		return routeDoc{Summary: summary, Tag: "attendance", Auth: true, Request: req, Response: resp, Status: status}
	}
	a.handle(http.MethodGet, "/api/v1/gigs/:id/attendance/code", doc("雇主：今天的签到码（每30秒换一次）", nil, attendanceCodeResponse{}, 0), a.attendanceCode)
	a.handle(http.MethodPost, "/api/v1/gigs/:id/attendance/scan", doc("工人扫码：先签到，收工时再扫一次签退", scanRequest{}, scanResponse{}, 0), a.scanAttendance)
	a.handle(http.MethodPost, "/api/v1/gigs/:id/attendance/mark", doc("雇主替没有手机的工人记到岗，工人或家人再确认", markArrivalRequest{}, attendanceResponse{}, http.StatusCreated), a.markArrival)
	a.handle(http.MethodGet, "/api/v1/gigs/:id/attendance", routeDoc{Summary: "雇主：某一天的到岗名单", Tag: "attendance", Auth: true,
		Query: dayQuery{}, Response: []attendeeResponse{}}, a.gigAttendance)
	a.handle(http.MethodPost, "/api/v1/attendance/:id/confirm", doc("工人（或代办的家人）确认雇主记的到岗", nil, attendanceResponse{}, 0), a.answerMark(model.MarkConfirmed))
	a.handle(http.MethodPost, "/api/v1/attendance/:id/contest", doc("工人（或代办的家人）对雇主记的到岗有异议", contestRequest{}, attendanceResponse{}, 0), a.answerMark(model.MarkContested))
	a.handle(http.MethodGet, "/api/v1/me/attendance", doc("我的签到记录", nil, []workerDayResponse{}, 0), a.myAttendance)
	a.handle(http.MethodGet, "/api/v1/elders/:id/attendance", doc("家人的签到记录（替他确认雇主记的到岗）", nil, []workerDayResponse{}, 0), a.elderAttendance)
}

type attendanceCodeResponse struct {
	Token     string    `json:"token" label:"签到码的内容，约1分钟内有效"`
	QRPNG     string    `json:"qr_png" label:"签到码图片（data:image/png;base64）"`
	Day       string    `json:"day"`
	ChangesAt time.Time `json:"changes_at" label:"到这个时间换新码"`
}

type scanRequest struct {
	Token string   `json:"token" validate:"required,max=100" label:"扫到的签到码"`
	Lat   *float64 `json:"lat" validate:"required_with=Lng,omitempty,latitude" label:"手机位置纬度（GCJ-02，可不填）"`
	Lng   *float64 `json:"lng" validate:"required_with=Lat,omitempty,longitude" label:"手机位置经度"`
}

type scanResponse struct {
	Left       bool               `json:"left" label:"true 记的是收工，false 记的是到岗"`
	Attendance attendanceResponse `json:"attendance"`
}

type markArrivalRequest struct {
	WorkerID  uint64 `json:"worker_id" validate:"required" label:"工人"`
	Day       string `json:"day" validate:"required,datetime=2006-01-02" label:"哪一天"`
	ArrivedAt string `json:"arrived_at" validate:"required,datetime=15:04" label:"几点到的（如 07:50）"`
}

type contestRequest struct {
	Note string `json:"note" validate:"max=200" label:"哪里不对（可不填）"`
}

type dayQuery struct {
	Day string `form:"day" validate:"omitempty,datetime=2006-01-02" label:"哪一天，不填是今天"`
}

type attendanceResponse struct {
	ID          uint64     `json:"id"`
	GigID       uint64     `json:"gig_id"`
	WorkerID    uint64     `json:"worker_id"`
	Day         string     `json:"day"`
	Method      string     `json:"method" label:"scan 扫码 / marked 雇主代记"`
	ArrivedAt   time.Time  `json:"arrived_at"`
	LeftAt      *time.Time `json:"left_at"`
	Answer      string     `json:"answer" label:"雇主代记时工人的回答：空 还没回答 / confirmed 确认 / contested 有异议"`
	AnswerNote  string     `json:"answer_note"`
	AnsweredAt  *time.Time `json:"answered_at"`
	HasLocation bool       `json:"has_location" label:"签到时手机给了位置"`
}

func attendanceJSON(a *model.Attendance) attendanceResponse {
	return attendanceResponse{ID: a.ID, GigID: a.GigID, WorkerID: a.WorkerID, Day: a.Day, Method: a.Method,
		ArrivedAt: a.ArrivedAt, LeftAt: a.LeftAt, Answer: a.Answer, AnswerNote: a.AnswerNote, AnsweredAt: a.AnsweredAt,
		HasLocation: a.ArriveGeoCipher != "" || a.LeaveGeoCipher != ""}
}

type locationResponse struct {
	Lat float64 `json:"lat"`
	Lng float64 `json:"lng"`
}

type attendeeResponse struct {
	WorkerID       uint64              `json:"worker_id"`
	Name           string              `json:"name" label:"打码的姓名"`
	Phone          string              `json:"phone"`
	Attendance     *attendanceResponse `json:"attendance" label:"没到岗时为 null"`
	ArriveLocation *locationResponse   `json:"arrive_location" label:"签到时手机的位置，只给这个活的雇主看"`
	LeaveLocation  *locationResponse   `json:"leave_location"`
}

type workerDayResponse struct {
	attendanceResponse
	GigTitle string `json:"gig_title"`
}

func (a *API) attendanceCode(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		fail(c, err)
		return
	}
	code, err := a.opts.Store.AttendanceCode(c.Request.Context(), currentUser(c).ID, id)
	if err != nil {
		fail(c, err)
		return
	}
	png, err := goqrcode.Encode(code.Token, goqrcode.Medium, 256)
	if err != nil {
		fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, attendanceCodeResponse{Token: code.Token, Day: code.Day, ChangesAt: code.ChangesAt,
		QRPNG: "data:image/png;base64," + base64.StdEncoding.EncodeToString(png)})
}

func (a *API) scanAttendance(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		fail(c, err)
		return
	}
	var req scanRequest
	if err := bindJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	var geo *model.Place
	if req.Lat != nil && req.Lng != nil {
		geo = &model.Place{Lat: *req.Lat, Lng: *req.Lng}
	}
	res, err := a.opts.Store.ScanAttendance(c.Request.Context(), currentUser(c).ID, id, req.Token, geo)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, scanResponse{Left: res.Left, Attendance: attendanceJSON(&res.Attendance)})
}

func (a *API) markArrival(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		fail(c, err)
		return
	}
	var req markArrivalRequest
	if err := bindJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	at, err := time.ParseInLocation("2006-01-02 15:04", req.Day+" "+req.ArrivedAt, model.Shanghai)
	if err != nil {
		fail(c, model.ErrMarkTimeInvalid)
		return
	}
	att, err := a.opts.Store.MarkArrival(c.Request.Context(), currentUser(c).ID, id, req.WorkerID, req.Day, at)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, attendanceJSON(att))
}

func (a *API) gigAttendance(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		fail(c, err)
		return
	}
	var q dayQuery
	if err := bindQuery(c, &q); err != nil {
		fail(c, err)
		return
	}
	if q.Day == "" {
		q.Day = a.opts.Store.Now().In(model.Shanghai).Format("2006-01-02")
	}
	list, err := a.opts.Store.GigAttendance(c.Request.Context(), currentUser(c).ID, id, q.Day)
	if err != nil {
		fail(c, err)
		return
	}
	loc := func(p *model.Place) *locationResponse {
		if p == nil {
			return nil
		}
		return &locationResponse{Lat: p.Lat, Lng: p.Lng}
	}
	out := make([]attendeeResponse, len(list))
	for i, d := range list {
		out[i] = attendeeResponse{WorkerID: d.WorkerID, Name: d.MaskedName, Phone: d.Phone,
			ArriveLocation: loc(d.ArriveAt), LeaveLocation: loc(d.LeaveAt)}
		if d.Attendance != nil {
			r := attendanceJSON(d.Attendance)
			out[i].Attendance = &r
		}
	}
	c.JSON(http.StatusOK, out)
}

func (a *API) answerMark(answer string) gin.HandlerFunc {
	return func(c *gin.Context) {
		id, err := pathID(c)
		if err != nil {
			fail(c, err)
			return
		}
		var req contestRequest
		if answer == model.MarkContested {
			if err := bindJSON(c, &req); err != nil {
				fail(c, err)
				return
			}
		}
		att, err := a.opts.Store.AnswerMark(c.Request.Context(), currentUser(c).ID, id, answer, req.Note)
		if err != nil {
			fail(c, err)
			return
		}
		c.JSON(http.StatusOK, attendanceJSON(att))
	}
}

func workerDaysJSON(days []model.WorkerDay) []workerDayResponse {
	out := make([]workerDayResponse, len(days))
	for i := range days {
		out[i] = workerDayResponse{attendanceResponse: attendanceJSON(&days[i].Attendance), GigTitle: days[i].GigTitle}
	}
	return out
}

func (a *API) myAttendance(c *gin.Context) {
	days, err := a.opts.Store.WorkerAttendance(c.Request.Context(), currentUser(c).ID, 200)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, workerDaysJSON(days))
}

func (a *API) elderAttendance(c *gin.Context) {
	elder, err := pathID(c)
	if err != nil {
		fail(c, err)
		return
	}
	days, err := a.opts.Store.AttendanceFor(c.Request.Context(), currentUser(c).ID, elder)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, workerDaysJSON(days))
}
