package console

import (
	"context"
	"fmt"
	"html/template"
	"math"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"lingong/model"
)

// 统计: the figures of GET /api/v1/admin/stats (model.Stats) for a period and an area or market of the staff
// member's scope, drawn as inline SVG made here (no script, no library: the CSP allows neither), each chart's
// numbers in a table beside it; and the monthly Excel report, the workbook of
// GET /api/v1/admin/reports/monthly.xlsx. The figures are read from model.Stats by reflection, so a figure
// added there shows in the tables and the charts without a change here (under its field name until it gets
// words in statsLabels).

// StatsStore is what 统计 needs: the model's figures, the API's monthly workbook, and the markets to choose.
type StatsStore interface {
	Stats(ctx context.Context, scope model.Scope, from, to time.Time, areaCode string) (*model.Stats, error)
	MonthlyReport(ctx context.Context, scope model.Scope, month, areaCode string) ([]byte, error)
	Markets(ctx context.Context, near *model.Place, areaCode string) ([]model.Market, error)
}

func (con *Console) statsRoutes(signedIn []gin.HandlerFunc) []Route {
	with := func(h gin.HandlerFunc) []gin.HandlerFunc { return append(append([]gin.HandlerFunc{}, signedIn...), h) }
	return []Route{
		{http.MethodGet, "/console/stats", "统计：按地区、零工市场和期间的数字和图表（本辖区）", with(con.statsPage)},
		{http.MethodGet, "/console/stats/monthly.xlsx", "下载月报 Excel（本辖区，和接口的月报相同）", with(con.monthlyReport)},
	}
}

// statsLabels are the figures' words; the floats say how they are shown.
var statsLabels = map[string]string{
	"WorkersRegistered": "新登记求职者", "EmployersRegistered": "新登记雇主", "GigsPosted": "发布招工（提交）",
	"GigsPublished": "审核发布", "GigsFilled": "招满", "Applications": "报名", "Confirmations": "录用",
	"MatchRate": "匹配率（录用÷报名）", "AvgHoursToAccept": "投诉平均受理用时（小时）", "AvgHoursToResolve": "投诉平均办结用时（小时）",
	"SatisfactionAvg": "满意度平均分（5分满分）", "SatisfactionCount": "满意度评价数", "TrainingEnrollments": "培训报名",
	"InsurancePolicies": "投保", "PhoneReads": "查看雇主电话",
}

// statsPercent are the fractions shown as percentages.
var statsPercent = map[string]bool{"MatchRate": true}

func statsLabel(field string) string {
	if l, ok := statsLabels[field]; ok {
		return l
	}
	return field
}

// figure is one number of model.Stats.
type figure struct {
	Field, Label, Text string
	Value              float64
}

// figuresOf reads model.Stats' numbers in their declared order: the counts, and the rates and averages.
func figuresOf(s *model.Stats) (counts, rates []figure) {
	v := reflect.ValueOf(s).Elem()
	for i := 0; i < v.NumField(); i++ {
		f, name := v.Field(i), v.Type().Field(i).Name
		switch f.Kind() {
		case reflect.Int, reflect.Int64:
			counts = append(counts, figure{name, statsLabel(name), strconv.FormatInt(f.Int(), 10), float64(f.Int())})
		case reflect.Float64:
			text := strconv.FormatFloat(f.Float(), 'f', 1, 64)
			if statsPercent[name] {
				text = strconv.FormatFloat(f.Float()*100, 'f', 1, 64) + "%"
			}
			rates = append(rates, figure{name, statsLabel(name), text, f.Float()})
		}
	}
	return counts, rates
}

// statsFilter is the filter as typed.
type statsFilter struct {
	From, To, Area, Market, Trend string
}

type statsBody struct {
	Filter  statsFilter
	Fields  map[string]string
	Areas   []model.Area
	Markets []model.Market
	// Where names the area the figures cover, Area is its code for the monthly report (the market's county
	// when a market is chosen); MarketNote says a market is counted by its county.
	Where, Area, MarketNote string
	Stats                   *model.Stats
	Counts, Rates           []figure
	Charts                  []chart
	// Trend is the per-day (week, month) figures: the chosen count and the matching rate.
	TrendUnit  string
	TrendLabel string
	Trend      []figure
	TrendRates []figure
	Complaints []complaintCount
	Month      string
}

type complaintCount struct {
	Category string
	ByStatus map[string]int
	Total    int
}

func (con *Console) statsPage(c *gin.Context) {
	ctx, sc := c.Request.Context(), scope(c)
	now := con.opts.Now().In(model.Shanghai)
	f := statsFilter{From: strings.TrimSpace(c.Query("from")), To: strings.TrimSpace(c.Query("to")), Area: c.Query("area"),
		Market: c.Query("market"), Trend: c.Query("trend")}
	if f.From == "" && f.To == "" {
		f.From, f.To = now.Format("2006-01")+"-01", now.Format(time.DateOnly)
	}
	body := statsBody{Filter: f, Fields: map[string]string{}, Month: now.Format("2006-01")}
	for _, a := range model.Areas() {
		if a.Level != model.AreaProvince && sc.Covers(a.Code) {
			body.Areas = append(body.Areas, a)
		}
	}
	markets, err := con.opts.Stats.Markets(ctx, nil, "")
	if err != nil {
		con.fail(c, err)
		return
	}
	for _, m := range markets {
		if sc.Covers(m.AreaCode) {
			body.Markets = append(body.Markets, m)
		}
	}
	// Same rules as the API's: both dates, in order, at most a year.
	from, err1 := time.ParseInLocation(time.DateOnly, f.From, model.Shanghai)
	to, err2 := time.ParseInLocation(time.DateOnly, f.To, model.Shanghai)
	switch {
	case err1 != nil:
		body.Fields["from"] = "日期写成 2026-11-01"
	case err2 != nil || to.Before(from):
		body.Fields["to"] = "截止日期写成 2026-11-30，且不早于起始日期"
	case to.Sub(from) > 366*24*time.Hour:
		body.Fields["to"] = "一次最多统计一年"
	}
	area := f.Area
	if f.Market != "" {
		id, _ := strconv.ParseUint(f.Market, 10, 64)
		for _, m := range body.Markets {
			if m.ID == id {
				area, body.MarketNote = m.AreaCode, m.Name+"：招工和登记不记在某个市场名下，按市场所在的"+areaName(m.AreaCode)+"统计。"
			}
		}
		if body.MarketNote == "" {
			body.Fields["market"] = "本辖区没有这个零工市场"
		}
	}
	if len(body.Fields) > 0 {
		con.render(c, http.StatusBadRequest, "stats", pageData{Title: "统计", Nav: "stats", Body: body})
		return
	}
	s, err := con.opts.Stats.Stats(ctx, sc, from, to, area)
	if err != nil {
		p := con.opts.Explain(err)
		if p.Status >= 500 || len(p.Fields) == 0 {
			con.fail(c, err)
			return
		}
		body.Fields = p.Fields
		con.render(c, p.Status, "stats", pageData{Title: "统计", Nav: "stats", Body: body})
		return
	}
	body.Stats, body.Where, body.Area = s, "全省", area
	if s.AreaPrefix != "" {
		body.Where = areaName(s.AreaPrefix + "000000"[len(s.AreaPrefix):])
	}
	body.Counts, body.Rates = figuresOf(s)
	if err := con.trend(c, &body, from, to, area); err != nil {
		con.fail(c, err)
		return
	}
	body.Complaints = complaintTally(s.Complaints)
	body.Charts = statsCharts(&body)
	con.render(c, http.StatusOK, "stats", pageData{Title: "统计", Nav: "stats", Body: body})
}

// trend computes the figures of each day of the period (each week past a month, each month past half a
// year) by the same model.Stats, so that what a bar counts is exactly what the period's figure counts.
func (con *Console) trend(c *gin.Context, body *statsBody, from, to time.Time, area string) error {
	days := int(to.Sub(from).Hours()/24) + 1
	step, unit := func(t time.Time) time.Time { return t.AddDate(0, 0, 1) }, "天"
	switch {
	case days > 183:
		step, unit = func(t time.Time) time.Time { return time.Date(t.Year(), t.Month()+1, 1, 0, 0, 0, 0, model.Shanghai) }, "月"
	case days > 31:
		step, unit = func(t time.Time) time.Time { return t.AddDate(0, 0, 7) }, "周"
	}
	field := body.Filter.Trend
	if !isCount(field) {
		field = "Applications"
	}
	body.Filter.Trend, body.TrendUnit, body.TrendLabel = field, unit, statsLabel(field)
	for start := from; !start.After(to); start = step(start) {
		end := step(start).AddDate(0, 0, -1)
		if end.After(to) {
			end = to
		}
		s, err := con.opts.Stats.Stats(c.Request.Context(), scope(c), start, end, area)
		if err != nil {
			return err
		}
		label := start.Format("1/2")
		if unit == "月" {
			label = start.Format("2006/1")
		}
		counts, rates := figuresOf(s)
		for _, f := range counts {
			if f.Field == field {
				body.Trend = append(body.Trend, figure{field, label, f.Text, f.Value})
			}
		}
		for _, f := range rates {
			if f.Field == "MatchRate" {
				body.TrendRates = append(body.TrendRates, figure{f.Field, label, f.Text, f.Value})
			}
		}
	}
	return nil
}

func isCount(field string) bool {
	f, ok := reflect.TypeOf(model.Stats{}).FieldByName(field)
	return ok && (f.Type.Kind() == reflect.Int || f.Type.Kind() == reflect.Int64)
}

func complaintTally(counts []model.ComplaintCount) []complaintCount {
	var rows []complaintCount
	at := map[string]int{}
	for _, cc := range counts {
		i, ok := at[cc.Category]
		if !ok {
			i = len(rows)
			at[cc.Category] = i
			rows = append(rows, complaintCount{Category: cc.Category, ByStatus: map[string]int{}})
		}
		rows[i].ByStatus[cc.Status] += cc.Count
		rows[i].Total += cc.Count
	}
	return rows
}

// monthlyReport downloads the month's workbook through the console's session; the API does not audit
// reading it, nor does the console.
func (con *Console) monthlyReport(c *gin.Context) {
	month, area := c.Query("month"), c.Query("area")
	buf, err := con.opts.Stats.MonthlyReport(c.Request.Context(), scope(c), month, area)
	if err != nil {
		con.fail(c, err)
		return
	}
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="lingong-%s.xlsx"`, month))
	c.Data(http.StatusOK, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", buf)
}

// Charts, drawn on the server as SVG: a chart is its bars (or points) with their places already worked out,
// so the template only prints numbers into attributes.

type chart struct {
	ID, Title string
	// Horizontal charts have a label column at the left; vertical ones labels under the bars.
	Horizontal    bool
	Width, Height int
	Bars          []bar
	// Line, when set, joins the bars' tops (a rate over time) instead of drawing bars.
	Line   string
	Legend [][2]string
}

type bar struct {
	X, Y, W, H float64
	Class      string
	// Series names the bar's series when a label has several (平均, 中位数); First is the label's first bar,
	// which carries the label under the bars.
	Label, Series, Text string
	First               bool
	LabelX, MidX, TopY  float64
	Value               float64
}

const (
	chartWidth  = 1180
	barAreaH    = 180
	labelColumn = 240
)

// vertical draws one or more series side by side per label (e.g. average and median per 工种).
func vertical(id, title string, labels []string, series [][]figure, classes []string, legend [][2]string) chart {
	ch := chart{ID: id, Title: title, Width: chartWidth, Height: barAreaH + 60, Legend: legend}
	max := 0.0
	for _, s := range series {
		for _, f := range s {
			max = math.Max(max, f.Value)
		}
	}
	if max == 0 {
		max = 1
	}
	slot := float64(chartWidth-20) / float64(max1(len(labels)))
	w := math.Min(slot*0.7/float64(len(series)), 60)
	for i, label := range labels {
		left := 10 + slot*float64(i) + (slot-w*float64(len(series)))/2
		for j, s := range series {
			f := s[i]
			h := f.Value / max * barAreaH
			series := ""
			if len(legend) > j {
				series = legend[j][1]
			}
			x := left + w*float64(j)
			ch.Bars = append(ch.Bars, bar{X: round1(x), Y: round1(20 + barAreaH - h), W: round1(w), H: round1(h), Class: classes[j],
				Label: label, Series: series, Text: f.Text, First: j == 0, LabelX: round1(10 + slot*float64(i) + slot/2),
				MidX: round1(x + w/2), TopY: round1(14 + barAreaH - h), Value: f.Value})
		}
	}
	return ch
}

// horizontal draws one bar a row, its label at the left: figures of different kinds side by side.
func horizontal(id, title string, figs []figure) chart {
	ch := chart{ID: id, Title: title, Horizontal: true, Width: chartWidth, Height: 30*len(figs) + 10}
	max := 0.0
	for _, f := range figs {
		max = math.Max(max, f.Value)
	}
	if max == 0 {
		max = 1
	}
	room := float64(chartWidth - labelColumn - 90)
	for i, f := range figs {
		w := f.Value / max * room
		ch.Bars = append(ch.Bars, bar{X: labelColumn, Y: float64(30*i + 8), W: round1(w), H: 20, Class: "count", Label: f.Label,
			Text: f.Text, LabelX: round1(labelColumn + w + 8), TopY: float64(30*i + 24), Value: f.Value})
	}
	return ch
}

func statsCharts(b *statsBody) []chart {
	var charts []chart
	labels := make([]string, len(b.Trend))
	for i, f := range b.Trend {
		labels[i] = f.Label
	}
	charts = append(charts, vertical("chart-trend", "按"+b.TrendUnit+"："+b.TrendLabel, labels, [][]figure{b.Trend}, []string{"count"}, nil))
	rate := vertical("chart-rate", "按"+b.TrendUnit+"：匹配率（录用÷报名）", labels, [][]figure{scaleRates(b.TrendRates)}, []string{"rate"}, nil)
	var points []string
	for _, p := range rate.Bars {
		points = append(points, fmt.Sprintf("%g,%g", p.MidX, p.Y))
	}
	rate.Line = strings.Join(points, " ")
	charts = append(charts, rate, horizontal("chart-counts", "本期数量", b.Counts))
	if b.Stats != nil && len(b.Stats.Wages) > 0 {
		var names []string
		var avg, median []figure
		for _, w := range b.Stats.Wages {
			names = append(names, w.Category)
			avg = append(avg, figure{Label: w.Category, Text: yuan(w.AvgDailyCents), Value: float64(w.AvgDailyCents)})
			median = append(median, figure{Label: w.Category, Text: yuan(w.MedianDailyCents), Value: float64(w.MedianDailyCents)})
		}
		charts = append(charts, vertical("chart-wages", "各工种日薪（元）", names, [][]figure{avg, median}, []string{"avg", "median"},
			[][2]string{{"avg", "平均"}, {"median", "中位数"}}))
	}
	if len(b.Complaints) > 0 {
		var names []string
		var totals []figure
		for _, r := range b.Complaints {
			names = append(names, complaintCategory(r.Category))
			totals = append(totals, figure{Label: r.Category, Text: strconv.Itoa(r.Total), Value: float64(r.Total)})
		}
		charts = append(charts, vertical("chart-complaints", "投诉（件）", names, [][]figure{totals}, []string{"complaint"}, nil))
	}
	return charts
}

// scaleRates draws rates on a 0–100% scale: the highest day is not 100% unless it was.
func scaleRates(rates []figure) []figure {
	out := append([]figure{}, rates...)
	out = append(out, figure{Value: 1})
	return out
}

func max1(n int) int { return max(n, 1) }

var statsFuncs = template.FuncMap{"statsLabel": statsLabel, "complaintStatuses": func() []string {
	return []string{model.CaseSubmitted, model.CaseReturned, model.CaseAccepted, model.CaseProcessing, model.CaseResolved,
		model.CaseRejected, model.CaseClosed}
}}
