package handler

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/xuri/excelize/v2"

	"lingong/model"
)

func (a *API) routesStats() {
	staff := func(method, path string, doc routeDoc, h gin.HandlerFunc) {
		doc.Auth, doc.Tag = true, "admin"
		a.handle(method, path, doc, a.staffOnly, h)
	}
	staff(http.MethodGet, "/api/v1/admin/stats", routeDoc{Summary: "零工行业动态监测：登记、招工、匹配率、工资、投诉、满意度、培训、保险（本辖区）",
		Query: statsQuery{}, Response: statsResponse{}}, a.stats)
	staff(http.MethodGet, "/api/v1/admin/reports/monthly.xlsx", routeDoc{Summary: "月报 Excel（本辖区；概况、工资、投诉、有活提醒）",
		Query: monthQuery{}}, a.monthlyReport)
}

type statsQuery struct {
	From string `form:"from" validate:"required,len=10" label:"起始日期 2026-11-01"`
	To   string `form:"to" validate:"required,len=10" label:"截止日期（含）2026-11-30"`
	Area string `form:"area" validate:"omitempty,len=6,numeric" label:"辖区内的某个市或区县"`
}

type monthQuery struct {
	Month string `form:"month" validate:"required,len=7" label:"月份 2026-11"`
	Area  string `form:"area" validate:"omitempty,len=6,numeric"`
}

type wageJSON struct {
	CategoryID       uint64 `json:"category_id"`
	Category         string `json:"category"`
	Gigs             int    `json:"gigs"`
	AvgDailyCents    int64  `json:"avg_daily_cents"`
	MedianDailyCents int64  `json:"median_daily_cents"`
}

type complaintCountJSON struct {
	Category string `json:"category"`
	Status   string `json:"status"`
	Count    int    `json:"count"`
}

type statsResponse struct {
	From                string                `json:"from"`
	To                  string                `json:"to"`
	Area                string                `json:"area" label:"地区代码前缀，空为全省"`
	WorkersRegistered   int                   `json:"workers_registered"`
	EmployersRegistered int                   `json:"employers_registered"`
	GigsPosted          int                   `json:"gigs_posted"`
	GigsPublished       int                   `json:"gigs_published"`
	GigsFilled          int                   `json:"gigs_filled"`
	Applications        int                   `json:"applications"`
	Confirmations       int                   `json:"confirmations"`
	MatchRate           float64               `json:"match_rate"`
	Wages               []wageJSON            `json:"wages"`
	Complaints          []complaintCountJSON  `json:"complaints"`
	AvgHoursToAccept    float64               `json:"avg_hours_to_accept"`
	AvgHoursToResolve   float64               `json:"avg_hours_to_resolve"`
	SatisfactionAvg     float64               `json:"satisfaction_avg"`
	SatisfactionCount   int                   `json:"satisfaction_count"`
	TrainingEnrollments int                   `json:"training_enrollments"`
	InsurancePolicies   int                   `json:"insurance_policies"`
	PhoneReads          int                   `json:"phone_reads" label:"工人查看雇主电话的次数（每人每个活算一次）"`
	ByEmployer          []employerFiguresJSON `json:"by_employer" label:"各雇主的未到岗和未付工钱天数（多的在前，最多200个）"`
	ByMarket            []marketFiguresJSON   `json:"by_market" label:"各区县（零工市场）的未到岗和未付工钱天数"`
	Alerts              []alertDayJSON        `json:"alerts" label:"有活提醒：每天每种渠道发出、点开、点开后报名的人数"`
}

type employerFiguresJSON struct {
	EmployerID   uint64 `json:"employer_id"`
	EmployerName string `json:"employer_name"`
	NoShows      int    `json:"no_shows" label:"录用了没到岗的人次（已更正的不算）"`
	UnpaidDays   int    `json:"unpaid_days" label:"签到干了活、到昨天为止雇主还没记付款或工人说没收到的天数"`
}

type marketFiguresJSON struct {
	Area       string   `json:"area"`
	AreaName   string   `json:"area_name"`
	Markets    []string `json:"markets" label:"这个区县的零工市场"`
	NoShows    int      `json:"no_shows"`
	UnpaidDays int      `json:"unpaid_days"`
}

// alertChannelWords name the channels in the monthly report.
var alertChannelWords = map[string]string{model.AlertByWeChat: "微信消息", model.AlertBySMS: "短信"}

type alertDayJSON struct {
	Day     string `json:"day"`
	Channel string `json:"channel" label:"wechat 微信订阅消息 / sms 短信"`
	Sent    int    `json:"sent"`
	Opened  int    `json:"opened" label:"从提醒点开了活"`
	Applied int    `json:"applied" label:"收到提醒后报了名"`
}

func statsJSON(s *model.Stats) statsResponse {
	out := statsResponse{From: s.From, To: s.To, Area: s.AreaPrefix, WorkersRegistered: s.WorkersRegistered,
		EmployersRegistered: s.EmployersRegistered, GigsPosted: s.GigsPosted, GigsPublished: s.GigsPublished,
		GigsFilled: s.GigsFilled, Applications: s.Applications, Confirmations: s.Confirmations, MatchRate: s.MatchRate,
		Wages: []wageJSON{}, Complaints: []complaintCountJSON{}, AvgHoursToAccept: s.AvgHoursToAccept,
		AvgHoursToResolve: s.AvgHoursToResolve, SatisfactionAvg: s.SatisfactionAvg, SatisfactionCount: s.SatisfactionCount,
		TrainingEnrollments: s.TrainingEnrollments, InsurancePolicies: s.InsurancePolicies, PhoneReads: s.PhoneReads}
	for _, w := range s.Wages {
		out.Wages = append(out.Wages, wageJSON{w.CategoryID, w.Category, w.Gigs, w.AvgDailyCents, w.MedianDailyCents})
	}
	for _, c := range s.Complaints {
		out.Complaints = append(out.Complaints, complaintCountJSON{c.Category, c.Status, c.Count})
	}
	out.ByEmployer, out.ByMarket = []employerFiguresJSON{}, []marketFiguresJSON{}
	for _, e := range s.ByEmployer {
		out.ByEmployer = append(out.ByEmployer, employerFiguresJSON{e.EmployerID, e.EmployerName, e.NoShows, e.UnpaidDays})
	}
	for _, m := range s.ByMarket {
		out.ByMarket = append(out.ByMarket, marketFiguresJSON{m.AreaCode, m.AreaName, nonNil(m.Markets), m.NoShows, m.UnpaidDays})
	}
	out.Alerts = []alertDayJSON{}
	for _, d := range s.Alerts {
		out.Alerts = append(out.Alerts, alertDayJSON{d.Day, d.Channel, d.Sent, d.Opened, d.Applied})
	}
	return out
}

func (a *API) stats(c *gin.Context) {
	var q statsQuery
	if err := bindQuery(c, &q); err != nil {
		fail(c, err)
		return
	}
	from, err1 := time.ParseInLocation(time.DateOnly, q.From, model.Shanghai)
	to, err2 := time.ParseInLocation(time.DateOnly, q.To, model.Shanghai)
	switch {
	case err1 != nil:
		fail(c, fieldsError("from", "日期写成 2026-11-01"))
		return
	case err2 != nil || to.Before(from):
		fail(c, fieldsError("to", "截止日期写成 2026-11-30，且不早于起始日期"))
		return
	case to.Sub(from) > 366*24*time.Hour:
		fail(c, fieldsError("to", "一次最多统计一年"))
		return
	}
	s, err := a.opts.Store.Stats(c.Request.Context(), staffScope(c), from, to, q.Area)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, statsJSON(s))
}

func yuan(cents int64) float64 { return float64(cents) / 100 }

// monthlyReport writes the month's figures as an Excel workbook: an overview, wages by 工种, complaints.
func (a *API) monthlyReport(c *gin.Context) {
	var q monthQuery
	if err := bindQuery(c, &q); err != nil {
		fail(c, err)
		return
	}
	buf, err := monthlyReport(c.Request.Context(), a.opts.Store, staffScope(c), q.Month, q.Area)
	if err != nil {
		fail(c, err)
		return
	}
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="lingong-%s.xlsx"`, q.Month))
	c.Data(http.StatusOK, xlsxType, buf)
}

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// monthlyReport is a month's workbook within the scope (optionally one area inside it), for the API and
// the console alike.
func monthlyReport(ctx context.Context, store *model.Store, scope model.Scope, month, area string) ([]byte, error) {
	first, err := time.ParseInLocation("2006-01", month, model.Shanghai)
	if err != nil {
		return nil, fieldsError("month", "月份写成 2026-11")
	}
	s, err := store.Stats(ctx, scope, first, first.AddDate(0, 1, -1), area)
	if err != nil {
		return nil, err
	}
	return monthlyWorkbook(s, month)
}

// monthlyWorkbook is the monthly report as an Excel workbook: the overview, wages by 工种, complaints. The
// console's 统计 downloads the same.
func monthlyWorkbook(s *model.Stats, month string) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	area := "全省"
	if s.AreaPrefix != "" {
		if ar, ok := model.LookupArea(s.AreaPrefix + "000000"[len(s.AreaPrefix):]); ok {
			area = ar.FullName()
		}
	}
	overview := "概况"
	f.SetSheetName("Sheet1", overview)
	rows := [][]any{
		{"零工市场月报", month, area},
		{"统计期间", s.From + " 至 " + s.To},
		{"新登记求职者", s.WorkersRegistered},
		{"新登记雇主", s.EmployersRegistered},
		{"发布招工（提交）", s.GigsPosted},
		{"审核发布", s.GigsPublished},
		{"招满", s.GigsFilled},
		{"报名", s.Applications},
		{"录用", s.Confirmations},
		{"匹配率", s.MatchRate},
		{"培训报名", s.TrainingEnrollments},
		{"投保", s.InsurancePolicies},
		{"查看雇主电话", s.PhoneReads},
		{"投诉平均受理用时（小时）", s.AvgHoursToAccept},
		{"投诉平均办结用时（小时）", s.AvgHoursToResolve},
		{"满意度平均分", s.SatisfactionAvg},
		{"满意度评价数", s.SatisfactionCount},
	}
	if err := writeRows(f, overview, rows); err != nil {
		return nil, err
	}
	wages := [][]any{{"工种", "招工数", "平均日薪（元）", "日薪中位数（元）"}}
	for _, w := range s.Wages {
		wages = append(wages, []any{w.Category, w.Gigs, yuan(w.AvgDailyCents), yuan(w.MedianDailyCents)})
	}
	complaints := [][]any{{"类型", "状态", "件数"}}
	for _, cc := range s.Complaints {
		complaints = append(complaints, []any{cc.Category, cc.Status, cc.Count})
	}
	alerts := [][]any{{"日期", "渠道", "发出", "从提醒点开", "点开后报名"}}
	for _, d := range s.Alerts {
		alerts = append(alerts, []any{d.Day, alertChannelWords[d.Channel], d.Sent, d.Opened, d.Applied})
	}
	employers := [][]any{{"雇主", "未到岗（人次）", "未付工钱的天数"}}
	for _, e := range s.ByEmployer {
		employers = append(employers, []any{e.EmployerName, e.NoShows, e.UnpaidDays})
	}
	markets := [][]any{{"区县", "零工市场", "未到岗（人次）", "未付工钱的天数"}}
	for _, m := range s.ByMarket {
		markets = append(markets, []any{m.AreaName, strings.Join(m.Markets, "、"), m.NoShows, m.UnpaidDays})
	}
	for _, sheet := range []struct {
		name string
		data [][]any
	}{{"工资", wages}, {"投诉", complaints}, {"未到岗欠薪-雇主", employers}, {"未到岗欠薪-市场", markets}, {"有活提醒", alerts}} {
		name, data := sheet.name, sheet.data
		if _, err := f.NewSheet(name); err != nil {
			return nil, err
		}
		if err := writeRows(f, name, data); err != nil {
			return nil, err
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func writeRows(f *excelize.File, sheet string, rows [][]any) error {
	for i, row := range rows {
		cell, err := excelize.CoordinatesToCellName(1, i+1)
		if err != nil {
			return err
		}
		if err := f.SetSheetRow(sheet, cell, &row); err != nil {
			return err
		}
	}
	return nil
}
