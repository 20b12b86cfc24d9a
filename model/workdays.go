package model

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
)

// Kinds of a work calendar day: a statutory holiday (法定节假日, including the weekend days inside its break),
// or a weekend day that is worked to make up for one (调休上班).
const (
	DayHoliday = "holiday"
	DayWorkday = "workday"
)

// WorkCalendarDay is one exception to "Monday to Friday": a date ("2026-10-01", Shanghai's calendar) that is
// a holiday though a weekday, or a working day though a weekend. The State Council publishes each year's
// schedule in the autumn before; staff enter it (migration 15 seeded 2026, ChangedBy 0). A year without any
// row has no table: its working days are Monday to Friday only.
type WorkCalendarDay struct {
	Date      string `gorm:"primaryKey"`
	Kind      string
	Name      string // the festival: 春节, 国庆节; for a make-up day the festival it makes up for
	ChangedBy uint64 // the admin who entered it; 0 for the migration's seed
	ChangedAt time.Time
}

// WorkCalendar answers which days are working days. The zero value (and nil) knows no holidays: Monday to
// Friday.
type WorkCalendar struct {
	days  map[string]string // date → kind
	years map[int]bool      // years that have a table
}

// NewWorkCalendar builds a calendar from its exceptions.
func NewWorkCalendar(days []WorkCalendarDay) *WorkCalendar {
	c := &WorkCalendar{days: make(map[string]string, len(days)), years: map[int]bool{}}
	for _, d := range days {
		c.days[d.Date] = d.Kind
		if y, err := strconv.Atoi(d.Date[:min(4, len(d.Date))]); err == nil {
			c.years[y] = true
		}
	}
	return c
}

// IsWorkingDay tells whether t's date, in Shanghai, is a working day: a make-up day is, a holiday is not,
// otherwise Monday to Friday are.
func (c *WorkCalendar) IsWorkingDay(t time.Time) bool {
	t = t.In(Shanghai)
	if c != nil {
		switch c.days[t.Format(dateLayout)] {
		case DayHoliday:
			return false
		case DayWorkday:
			return true
		}
	}
	return isWeekday(t)
}

func isWeekday(t time.Time) bool {
	wd := t.Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// AddWorkingDays moves t forward by n working days, keeping its time of day: filed on Friday at 10:00 with
// n = 3, it is Wednesday at 10:00, or later when holidays come between.
func (c *WorkCalendar) AddWorkingDays(t time.Time, n int) time.Time {
	t = t.In(Shanghai)
	for n > 0 {
		t = t.AddDate(0, 0, 1)
		if c.IsWorkingDay(t) {
			n--
		}
	}
	return t
}

// HasYear tells whether the year's schedule has been entered.
func (c *WorkCalendar) HasYear(year int) bool { return c != nil && c.years[year] }

// The calendar is read on every complaint filed, and changes a few times a year; each instance keeps it in
// memory. Several instances share the database, and a change made on one is not told to the others: each
// reloads a copy older than calendarMaxAge, and the instance that made a change drops its copy at once. A
// complaint filed elsewhere in the minute after a change may still be counted by the old table; no
// notification channel between instances is worth that minute for a table changed once a year.
const calendarMaxAge = time.Minute

type calendarCache struct {
	mu       sync.Mutex
	cal      *WorkCalendar
	loadedAt time.Time // by the store's clock
	gen      uint64    // bumped by each change, so that a load begun before it is not kept
}

// WorkCalendar is the working-day calendar, at most a minute old (see calendarMaxAge).
func (s *Store) WorkCalendar(ctx context.Context) (*WorkCalendar, error) {
	return s.workCalendar(s.DB.WithContext(ctx))
}

// workCalendar reads the calendar through db, which may be the caller's transaction: a refresh then needs
// no second connection while the transaction holds one.
func (s *Store) workCalendar(db *gorm.DB) (*WorkCalendar, error) {
	cc := s.calendar
	now := s.Now()
	cc.mu.Lock()
	cal, loadedAt, gen := cc.cal, cc.loadedAt, cc.gen
	cc.mu.Unlock()
	if cal != nil && !now.Before(loadedAt) && now.Sub(loadedAt) < calendarMaxAge {
		return cal, nil
	}
	var days []WorkCalendarDay
	if err := db.Select("date", "kind").Find(&days).Error; err != nil {
		return nil, dbErr(err)
	}
	cal = NewWorkCalendar(days)
	cc.mu.Lock()
	if cc.gen == gen {
		cc.cal, cc.loadedAt = cal, now
	}
	cc.mu.Unlock()
	return cal, nil
}

// forgetWorkCalendar drops this instance's copy after a change.
func (s *Store) forgetWorkCalendar() {
	cc := s.calendar
	cc.mu.Lock()
	cc.cal, cc.gen = nil, cc.gen+1
	cc.mu.Unlock()
}

// yearRange is the first and last date of a year, as the table writes them.
func yearRange(year int) (string, string) {
	return fmt.Sprintf("%04d-01-01", year), fmt.Sprintf("%04d-12-31", year)
}

// WorkCalendarDays lists a year's exceptions in date order; none means the year has no table.
func (s *Store) WorkCalendarDays(ctx context.Context, year int) ([]WorkCalendarDay, error) {
	first, last := yearRange(year)
	var days []WorkCalendarDay
	err := s.DB.WithContext(ctx).Where("date BETWEEN ? AND ?", first, last).Order("date").Find(&days).Error
	return days, dbErr(err)
}

// WorkCalendarYears lists the years that have a table, read from the database (not the cached copy), so
// that staff see their own change whichever instance answers.
func (s *Store) WorkCalendarYears(ctx context.Context) ([]int, error) {
	var prefixes []string
	err := s.DB.WithContext(ctx).Raw("SELECT DISTINCT SUBSTR(date, 1, 4) FROM work_calendar_days").Scan(&prefixes).Error
	if err != nil {
		return nil, dbErr(err)
	}
	years := make([]int, 0, len(prefixes))
	for _, p := range prefixes {
		if y, err := strconv.Atoi(p); err == nil {
			years = append(years, y)
		}
	}
	sort.Ints(years)
	return years, nil
}

// Years a calendar may be entered for.
const (
	MinCalendarYear = 2000
	MaxCalendarYear = 2100
)

// ReplaceWorkCalendar sets a year's table to days (Date, Kind, Name), all at once: what is not listed is no
// longer an exception. An empty list removes the year's table. Only admins may; it answers the table as it
// was, for the audit log. Each date must lie in the year and appear once; a make-up working day must be a
// Saturday or Sunday (a weekday is a working day anyway), a holiday may be any day.
func (s *Store) ReplaceWorkCalendar(ctx context.Context, scope Scope, year int, days []WorkCalendarDay) ([]WorkCalendarDay, error) {
	if !scope.All {
		return nil, ErrNotFound
	}
	if year < MinCalendarYear || year > MaxCalendarYear {
		return nil, &InvalidInput{Fields: []FieldError{{"year", fmt.Sprintf("年份应在 %d 到 %d 之间", MinCalendarYear, MaxCalendarYear)}}}
	}
	var bad fieldErrors
	seen := map[string]int{}
	now := s.Now()
	rows := make([]WorkCalendarDay, 0, len(days))
	for i, d := range days {
		field := fmt.Sprintf("days[%d]", i)
		date, err := time.ParseInLocation(dateLayout, d.Date, Shanghai)
		switch {
		case err != nil || date.Format(dateLayout) != d.Date:
			bad.add(field+".date", "日期要写成 2026-10-01 这样")
			continue
		case date.Year() != year:
			bad.add(field+".date", fmt.Sprintf("不是 %d 年的日期", year))
			continue
		}
		if j, dup := seen[d.Date]; dup {
			bad.add(field+".date", fmt.Sprintf("和第 %d 项是同一天", j+1))
			continue
		}
		seen[d.Date] = i
		switch d.Kind {
		case DayHoliday:
		case DayWorkday:
			if isWeekday(date) {
				bad.add(field+".kind", "调休上班的日子应是周六或周日；周一到周五本来就上班")
			}
		default:
			bad.add(field+".kind", "只能选：holiday（放假）、workday（调休上班）")
		}
		if utf8.RuneCountInString(d.Name) > 32 {
			bad.add(field+".name", "最多 32 个字")
		}
		rows = append(rows, WorkCalendarDay{Date: d.Date, Kind: d.Kind, Name: d.Name, ChangedBy: scope.UserID, ChangedAt: now})
	}
	if err := bad.err(); err != nil {
		return nil, err
	}
	first, last := yearRange(year)
	var before []WorkCalendarDay
	err := s.tx(ctx, func(tx *gorm.DB) error {
		before = nil
		if err := tx.Where("date BETWEEN ? AND ?", first, last).Order("date").Find(&before).Error; err != nil {
			return dbErr(err)
		}
		if err := tx.Where("date BETWEEN ? AND ?", first, last).Delete(&WorkCalendarDay{}).Error; err != nil {
			return dbErr(err)
		}
		if len(rows) == 0 {
			return nil
		}
		return dbErr(tx.Create(&rows).Error)
	})
	if err != nil {
		return nil, err
	}
	s.forgetWorkCalendar()
	return before, nil
}

// MissingCalendarYears lists this year and next if their schedule has not been entered: their complaint
// deadlines count Monday to Friday only until an admin enters it.
func (s *Store) MissingCalendarYears(ctx context.Context) ([]int, error) {
	have, err := s.WorkCalendarYears(ctx)
	if err != nil {
		return nil, err
	}
	this := s.Now().In(Shanghai).Year()
	missing := []int{}
	for _, y := range []int{this, this + 1} {
		if !slices.Contains(have, y) {
			missing = append(missing, y)
		}
	}
	return missing, nil
}

// MissingCalendarNote tells staff which years lack their schedule and what that means; empty when none do.
func MissingCalendarNote(years []int) string {
	if len(years) == 0 {
		return ""
	}
	names := make([]string, len(years))
	for i, y := range years {
		names[i] = strconv.Itoa(y) + "年"
	}
	return strings.Join(names, "、") + "的放假安排还没有录入：受理期限暂时只按周一到周五算。国务院公布放假通知后，请管理员录入。"
}

// DayKindNames are the kinds of day as staff read them.
var DayKindNames = map[string]string{DayHoliday: "放假", DayWorkday: "调休上班"}

// CalendarChanges says, for the audit log, how a year's table changed: days added, removed and altered.
func CalendarChanges(before, after []WorkCalendarDay) string {
	old := map[string]WorkCalendarDay{}
	for _, d := range before {
		old[d.Date] = d
	}
	describe := func(d WorkCalendarDay) string {
		return strings.TrimSpace(d.Date + " " + DayKindNames[d.Kind] + " " + d.Name)
	}
	var changes []string
	for _, d := range after {
		o, had := old[d.Date]
		switch {
		case !had:
			changes = append(changes, "+"+describe(d))
		case o.Kind != d.Kind || o.Name != d.Name:
			changes = append(changes, "~"+describe(d))
		}
		delete(old, d.Date)
	}
	for _, d := range before {
		if _, gone := old[d.Date]; gone {
			changes = append(changes, "-"+describe(d))
		}
	}
	head := fmt.Sprintf("%d 天 → %d 天", len(before), len(after))
	if len(changes) == 0 {
		return head + "，没有变化"
	}
	text := head + "：" + strings.Join(changes, "；")
	// The audit log's detail holds 500 characters.
	if r := []rune(text); len(r) > 500 {
		text = string(r[:499]) + "…"
	}
	return text
}
