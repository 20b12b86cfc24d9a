package handler

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"lingong/model"
)

// routesWorkCalendar: the yearly table of statutory holidays and make-up working days that complaint
// deadlines are counted by. Staff read it; admins replace a year's table (audited).
func (a *API) routesWorkCalendar() {
	reg := func(method string, doc routeDoc, h gin.HandlerFunc) {
		doc.Auth, doc.Tag = true, "admin"
		a.handle(method, "/api/v1/admin/work-calendar/:year", doc, a.staffOnly, h)
	}
	reg(http.MethodGet, routeDoc{Summary: "一年的法定节假日和调休上班日（投诉受理期限按它算工作日）；也说明今年和明年哪年还没有录入",
		Response: workCalendarResponse{}}, a.workCalendar)
	reg(http.MethodPut, routeDoc{Summary: "管理员按国务院放假通知整体替换一年的放假和调休上班日（记入审计日志；空表删掉这一年）",
		Request: workCalendarRequest{}, Response: workCalendarResponse{}}, a.adminOnly(a.replaceWorkCalendar))
}

type workCalendarDayRequest struct {
	Date string `json:"date" validate:"required" label:"日期，如 2026-10-01，须在路径里的年份内"`
	Kind string `json:"kind" validate:"required,oneof=holiday workday" label:"holiday 放假 / workday 调休上班（只能是周六或周日）"`
	Name string `json:"name" validate:"max=32" label:"节日，如 国庆节；调休上班日写它补的节日"`
}

type workCalendarRequest struct {
	Days []workCalendarDayRequest `json:"days" validate:"required,max=366,dive" label:"这一年所有放假和调休上班的日子，每天一项；没列的日子周一到周五上班、周末休息"`
}

type workCalendarDayResponse struct {
	Date      string    `json:"date"`
	Weekday   string    `json:"weekday" label:"周一…周日"`
	Kind      string    `json:"kind" label:"holiday 放假 / workday 调休上班"`
	Name      string    `json:"name"`
	ChangedBy uint64    `json:"changed_by" label:"录入的管理员；0 是按国务院通知预置的"`
	ChangedAt time.Time `json:"changed_at"`
}

type workCalendarResponse struct {
	Year         int                       `json:"year"`
	HasTable     bool                      `json:"has_table" label:"这一年的放假安排录入了没有；没有时只按周一到周五算工作日"`
	Days         []workCalendarDayResponse `json:"days"`
	MissingYears []int                     `json:"missing_years" label:"今年和明年里还没有录入放假安排的年份"`
	Note         string                    `json:"note,omitempty" label:"缺哪年的放假安排时给工作人员的提示"`
}

var weekdayNames = [...]string{"周日", "周一", "周二", "周三", "周四", "周五", "周六"}

// pathYear reads :year; anything but a number is no page at all.
func pathYear(c *gin.Context) (int, error) {
	year, err := strconv.Atoi(c.Param("year"))
	if err != nil {
		return 0, model.ErrNotFound
	}
	if year < model.MinCalendarYear || year > model.MaxCalendarYear {
		return 0, fieldsError("year", fmt.Sprintf("年份应在 %d 到 %d 之间", model.MinCalendarYear, model.MaxCalendarYear))
	}
	return year, nil
}

func (a *API) workCalendar(c *gin.Context) {
	year, err := pathYear(c)
	if err != nil {
		fail(c, err)
		return
	}
	resp, err := a.workCalendarJSON(c, year)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, resp)
}

func (a *API) replaceWorkCalendar(c *gin.Context) {
	year, err := pathYear(c)
	if err != nil {
		fail(c, err)
		return
	}
	var req workCalendarRequest
	if err := bindJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	days := make([]model.WorkCalendarDay, len(req.Days))
	for i, d := range req.Days {
		days[i] = model.WorkCalendarDay{Date: d.Date, Kind: d.Kind, Name: strings.TrimSpace(d.Name)}
	}
	before, err := a.opts.Store.ReplaceWorkCalendar(c.Request.Context(), staffScope(c), year, days)
	if err != nil {
		fail(c, err)
		return
	}
	// staffOnly records the request; this entry says what changed, which the request line cannot.
	a.audit(c, fmt.Sprintf("replaced work calendar %d", year), model.CalendarChanges(before, days))
	resp, err := a.workCalendarJSON(c, year)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, resp)
}

// workCalendarJSON is a year's table as the database has it now, with the years around today that lack one.
func (a *API) workCalendarJSON(c *gin.Context, year int) (workCalendarResponse, error) {
	ctx := c.Request.Context()
	days, err := a.opts.Store.WorkCalendarDays(ctx, year)
	if err != nil {
		return workCalendarResponse{}, err
	}
	missingYears, err := a.opts.Store.MissingCalendarYears(ctx)
	if err != nil {
		return workCalendarResponse{}, err
	}
	out := workCalendarResponse{Year: year, HasTable: len(days) > 0, Days: make([]workCalendarDayResponse, len(days)),
		MissingYears: missingYears, Note: model.MissingCalendarNote(missingYears)}
	for i, d := range days {
		wd := ""
		if t, err := time.Parse(time.DateOnly, d.Date); err == nil {
			wd = weekdayNames[t.Weekday()]
		}
		out.Days[i] = workCalendarDayResponse{Date: d.Date, Weekday: wd, Kind: d.Kind, Name: d.Name,
			ChangedBy: d.ChangedBy, ChangedAt: d.ChangedAt}
	}
	return out, nil
}
