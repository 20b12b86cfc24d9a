package console

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"lingong/model"
)

// CalendarStore is what the 工作日历 page needs from the model.
type CalendarStore interface {
	WorkCalendarDays(ctx context.Context, year int) ([]model.WorkCalendarDay, error)
	MissingCalendarYears(ctx context.Context) ([]int, error)
	ReplaceWorkCalendar(ctx context.Context, scope model.Scope, year int, days []model.WorkCalendarDay) ([]model.WorkCalendarDay, error)
}

// 工作日历: the statutory holidays and make-up working days complaint deadlines are counted by
// (model.WorkCalendarDays, as GET /api/v1/admin/work-calendar/:year). Staff read it; admins replace a year's
// table from the State Council's notice typed as lines (model.ReplaceWorkCalendar, as PUT …/:year), audited
// with what changed.

type calendarBody struct {
	Year    int
	Days    []calendarRow
	Missing string // which years lack a table, and what that means
	Years   []int  // the years offered in the switcher
	// Text is the replace form's lines: the table as it is, or what was typed beside a refusal.
	Text    string
	Problem *Problem
	Done    bool
}

type calendarRow struct {
	model.WorkCalendarDay
	Weekday, KindName string
}

var weekdays = [...]string{"周日", "周一", "周二", "周三", "周四", "周五", "周六"}

func (con *Console) calendarPage(c *gin.Context) {
	year, ok := calendarYear(c, c.Query("year"), con.opts.Now())
	if !ok {
		con.fail(c, model.ErrNotFound)
		return
	}
	con.showCalendar(c, http.StatusOK, calendarBody{Year: year, Done: c.Query("done") == "1"}, "")
}

// showCalendar draws a year's table; text, when set, replaces the form's lines (what was typed).
func (con *Console) showCalendar(c *gin.Context, status int, body calendarBody, text string) {
	ctx := c.Request.Context()
	days, err := con.opts.Calendar.WorkCalendarDays(ctx, body.Year)
	if err != nil {
		con.fail(c, err)
		return
	}
	missing, err := con.opts.Calendar.MissingCalendarYears(ctx)
	if err != nil {
		con.fail(c, err)
		return
	}
	body.Missing = model.MissingCalendarNote(missing)
	this := con.opts.Now().In(model.Shanghai).Year()
	body.Years = []int{this - 1, this, this + 1}
	lines := make([]string, 0, len(days))
	for _, d := range days {
		row := calendarRow{WorkCalendarDay: d, KindName: model.DayKindNames[d.Kind]}
		if t, err := time.Parse(time.DateOnly, d.Date); err == nil {
			row.Weekday = weekdays[t.Weekday()]
		}
		body.Days = append(body.Days, row)
		lines = append(lines, strings.TrimSpace(d.Date+" "+lineKind[d.Kind]+" "+d.Name))
	}
	body.Text = strings.Join(lines, "\n")
	if text != "" {
		body.Text = text
	}
	con.render(c, status, "calendar", pageData{Title: "工作日历", Nav: "calendar", Body: body})
}

// replaceCalendar reads the lines typed and replaces the year's table (admins; the model refuses others).
func (con *Console) replaceCalendar(c *gin.Context) {
	year, ok := calendarYear(c, c.Param("year"), con.opts.Now())
	if !ok || !scope(c).All {
		con.fail(c, model.ErrNotFound)
		return
	}
	text := c.PostForm("days")
	days, lineOf, bad := parseCalendarLines(text, year)
	if bad != "" {
		p := Problem{Status: http.StatusBadRequest, Message: "有几行没看懂，请看红字", Fields: map[string]string{"days": bad}}
		con.showCalendar(c, p.Status, calendarBody{Year: year, Problem: &p}, text)
		return
	}
	before, err := con.opts.Calendar.ReplaceWorkCalendar(c.Request.Context(), scope(c), year, days)
	if err != nil {
		p := con.opts.Explain(err)
		if p.Status >= 500 {
			con.fail(c, err)
			return
		}
		// The model names the day (days[3].kind); the person typed lines, a range being several days.
		var invalid *model.InvalidInput
		if errors.As(err, &invalid) {
			var said []string
			for _, fe := range invalid.Fields {
				var n int
				if _, scanErr := fmt.Sscanf(fe.Field, "days[%d]", &n); scanErr == nil && n < len(lineOf) {
					if msg := lineOf[n] + fe.Message; !slices.Contains(said, msg) {
						said = append(said, msg)
					}
				}
			}
			if len(said) > 0 {
				p.Fields = map[string]string{"days": strings.Join(said, "；")}
			}
		}
		con.showCalendar(c, p.Status, calendarBody{Year: year, Problem: &p}, text)
		return
	}
	con.audit(c, session(c), fmt.Sprintf("replaced work calendar %d", year), "work_calendar", strconv.Itoa(year),
		model.CalendarChanges(before, days))
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/console/calendar?year=%d&done=1", year))
}

// calendarYear reads a year, this year when none is given; only years near now have a page.
func calendarYear(c *gin.Context, s string, now time.Time) (int, bool) {
	this := now.In(model.Shanghai).Year()
	if s == "" {
		return this, true
	}
	y, err := strconv.Atoi(s)
	return y, err == nil && y >= this-5 && y <= this+2
}

// lineKind is how a line names a kind of day, as the State Council's notice says it.
var lineKind = map[string]string{model.DayHoliday: "放假", model.DayWorkday: "上班"}

// parseCalendarLines reads one day or a range a line: "2027-10-01 放假 国庆节", "2027-10-01~2027-10-07 放假 国庆节",
// "2027-09-26 上班 国庆节". It names the first line it cannot read; the model judges the days themselves (in the
// year, a make-up working day on a weekend, each day once), and lineOf names each day's line for its refusals.
func parseCalendarLines(text string, year int) (days []model.WorkCalendarDay, lineOf []string, bad string) {
	for n, line := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		fields := strings.Fields(line)
		if len(fields) == 0 {
			continue
		}
		where := fmt.Sprintf("第 %d 行“%s”：", n+1, strings.TrimSpace(line))
		if len(fields) < 2 || len(fields) > 3 {
			return nil, nil, where + "每行写 日期 放假或上班 节日，如 2027-10-01~2027-10-07 放假 国庆节"
		}
		var kind string
		switch fields[1] {
		case "放假", "休":
			kind = model.DayHoliday
		case "上班", "班", "调休上班":
			kind = model.DayWorkday
		default:
			return nil, nil, where + "第二项写“放假”或“上班”"
		}
		name := ""
		if len(fields) == 3 {
			name = fields[2]
		}
		from, to, ranged := strings.Cut(strings.ReplaceAll(fields[0], "至", "~"), "~")
		first, err1 := time.Parse(time.DateOnly, from)
		last := first
		var err2 error
		if ranged {
			last, err2 = time.Parse(time.DateOnly, to)
		}
		if err1 != nil || err2 != nil || last.Before(first) || last.Sub(first) > 31*24*time.Hour {
			return nil, nil, where + "日期写成 2027-10-01，连着几天写 2027-10-01~2027-10-07（最多一个月）"
		}
		for d := first; !d.After(last); d = d.AddDate(0, 0, 1) {
			days = append(days, model.WorkCalendarDay{Date: d.Format(time.DateOnly), Kind: kind, Name: name})
			lineOf = append(lineOf, where)
		}
	}
	return days, lineOf, ""
}
