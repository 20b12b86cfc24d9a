package model_test

import (
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"lingong/model"
	"lingong/model/modeltest"
)

func at(date string, hour int) time.Time {
	d, err := time.ParseInLocation("2006-01-02", date, model.Shanghai)
	if err != nil {
		panic(err)
	}
	return d.Add(time.Duration(hour) * time.Hour)
}

// fileAt files a complaint at a moment and answers its acceptance deadline.
func fileAt(t *testing.T, s *model.Store, worker uint64, moment time.Time) time.Time {
	t.Helper()
	s.Now = func() time.Time { return moment }
	c, err := s.FileComplaint(ctx, worker, model.ComplaintInput{Category: model.ComplaintWageArrears, Description: "干了三天活，工钱一直没给"})
	if err != nil {
		t.Fatal(err)
	}
	return c.AcceptDue
}

// The 2026 schedule of the State Council is in the calendar: complaint deadlines skip its holidays and count
// its make-up Saturdays and Sundays; a year without a table counts Monday to Friday.
func TestWorkCalendarHolidays(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		w := newWorker(t, s, "w", 1)
		for _, c := range []struct {
			filed, due, why string
		}{
			{"2026-09-29", "2026-10-09", "Wednesday 30 September, then 国庆 1–7 October, then Thursday and Friday"},
			{"2026-09-30", "2026-10-10", "Thursday 8, Friday 9 and the make-up Saturday 10 October"},
			{"2026-09-18", "2026-09-22", "the make-up Sunday 20 September, Monday, Tuesday"},
			{"2026-09-23", "2026-09-29", "Thursday 24, then 中秋 25–27 September, then Monday and Tuesday"},
			{"2026-02-12", "2026-02-24", "Friday 13, the make-up Saturday 14, then 春节 15–23 February"},
			{"2026-04-30", "2026-05-08", "劳动节 1–5 May, then Wednesday 6 to Friday 8"},
			{"2026-11-27", "2026-12-02", "no holiday: Monday, Tuesday, Wednesday"},
			{"2026-12-31", "2027-01-05", "2027 has no table yet: Friday 1 January, then Monday and Tuesday"},
		} {
			if got, want := fileAt(t, s, w.ID, at(c.filed, 10)), at(c.due, 10); !got.Equal(want) {
				t.Errorf("filed %s: due %v, want %v (%s)", c.filed, got, want, c.why)
			}
		}

		cal, err := s.WorkCalendar(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for date, working := range map[string]bool{"2026-10-10": true, "2026-10-01": false, "2026-10-05": false,
			"2026-10-08": true, "2026-10-11": false, "2026-01-04": true, "2026-02-28": true, "2026-05-09": true,
			"2026-06-19": false, "2026-04-06": false, "2026-01-01": false, "2026-12-25": true} {
			if cal.IsWorkingDay(at(date, 12)) != working {
				t.Errorf("%s: working day %v, want %v", date, !working, working)
			}
		}
		if !cal.HasYear(2026) || cal.HasYear(2027) {
			t.Errorf("years with a table: 2026 %v, 2027 %v", cal.HasYear(2026), cal.HasYear(2027))
		}
		if years, err := s.WorkCalendarYears(ctx); err != nil || !slices.Equal(years, []int{2026}) {
			t.Errorf("years with a table: %v %v", years, err)
		}
		days, err := s.WorkCalendarDays(ctx, 2026)
		if err != nil {
			t.Fatal(err)
		}
		kinds := map[string]int{}
		for _, d := range days {
			kinds[d.Kind]++
		}
		if kinds[model.DayHoliday] != 33 || kinds[model.DayWorkday] != 6 || days[0].Date != "2026-01-01" || days[0].Name != "元旦" {
			t.Errorf("seeded 2026: %v, first %+v", kinds, days[0])
		}
	})
}

// An admin's change of a year's table counts at once for the next complaint; what the change leaves out is
// no longer an exception; an empty table removes the year. Wrong tables and non-admins are refused.
func TestWorkCalendarChange(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		w := newWorker(t, s, "w", 1)
		friday := at("2026-11-27", 10)
		if due := fileAt(t, s, w.ID, friday); !due.Equal(at("2026-12-02", 10)) {
			t.Fatalf("before the change: due %v", due)
		}
		seed, err := s.WorkCalendarDays(ctx, 2026)
		if err != nil {
			t.Fatal(err)
		}
		changed := append(slices.Clone(seed), model.WorkCalendarDay{Date: "2026-11-30", Kind: model.DayHoliday, Name: "临时放假"})
		before, err := s.ReplaceWorkCalendar(ctx, admin, 2026, changed)
		if err != nil {
			t.Fatal(err)
		}
		if len(before) != len(seed) {
			t.Errorf("the table before: %d days, want %d", len(before), len(seed))
		}
		if due := fileAt(t, s, w.ID, friday); !due.Equal(at("2026-12-03", 10)) {
			t.Fatalf("after a holiday on Monday 30 November: due %v, want Thursday", due)
		}
		days, _ := s.WorkCalendarDays(ctx, 2026)
		if i := slices.IndexFunc(days, func(d model.WorkCalendarDay) bool { return d.Date == "2026-11-30" }); i < 0 ||
			days[i].ChangedBy != admin.UserID || days[i].ChangedAt.IsZero() || days[i].Name != "临时放假" {
			t.Fatalf("the new day does not say who entered it: %+v", days)
		}

		// Without 国庆's make-up Saturday, 10 October is a day off again.
		var noMakeUp []model.WorkCalendarDay
		for _, d := range seed {
			if d.Date != "2026-10-10" {
				noMakeUp = append(noMakeUp, d)
			}
		}
		if _, err := s.ReplaceWorkCalendar(ctx, admin, 2026, noMakeUp); err != nil {
			t.Fatal(err)
		}
		if due := fileAt(t, s, w.ID, at("2026-09-30", 10)); !due.Equal(at("2026-10-12", 10)) {
			t.Fatalf("without the make-up Saturday: due %v, want Monday 12 October", due)
		}

		// A schedule entered for 2027 counts for a complaint filed at the end of 2026.
		if _, err := s.ReplaceWorkCalendar(ctx, admin, 2027, []model.WorkCalendarDay{
			{Date: "2027-01-01", Kind: model.DayHoliday, Name: "元旦"}, {Date: "2027-01-04", Kind: model.DayHoliday, Name: "元旦"}}); err != nil {
			t.Fatal(err)
		}
		if due := fileAt(t, s, w.ID, at("2026-12-31", 10)); !due.Equal(at("2027-01-07", 10)) {
			t.Fatalf("with 2027's 元旦: due %v, want Thursday 7 January", due)
		}
		if _, err := s.ReplaceWorkCalendar(ctx, admin, 2027, nil); err != nil {
			t.Fatal(err)
		}
		if years, _ := s.WorkCalendarYears(ctx); !slices.Equal(years, []int{2026}) {
			t.Fatalf("an empty table leaves 2027: %v", years)
		}

		staff := model.Scope{Prefix: "3401", UserID: 999_998}
		if _, err := s.ReplaceWorkCalendar(ctx, staff, 2026, seed); !errors.Is(err, model.ErrNotFound) {
			t.Fatalf("staff of a city replaced the table: %v", err)
		}
		_, err = s.ReplaceWorkCalendar(ctx, admin, 2026, []model.WorkCalendarDay{
			{Date: "2027-01-01", Kind: model.DayHoliday},
			{Date: "2026-10-01", Kind: model.DayHoliday},
			{Date: "2026-10-01", Kind: model.DayHoliday},
			{Date: "2026-10-09", Kind: model.DayWorkday}, // a Friday
			{Date: "2026-10-10", Kind: "day_off"},
			{Date: "2026-1-5", Kind: model.DayHoliday},
			{Date: "2026-10-02", Kind: model.DayHoliday, Name: strings.Repeat("节", 33)},
		})
		var inv *model.InvalidInput
		if !errors.As(err, &inv) {
			t.Fatalf("a wrong table: %v", err)
		}
		var fields []string
		for _, f := range inv.Fields {
			fields = append(fields, f.Field)
		}
		want := []string{"days[0].date", "days[2].date", "days[3].kind", "days[4].kind", "days[5].date", "days[6].name"}
		if !slices.Equal(fields, want) {
			t.Fatalf("fields %v, want %v", fields, want)
		}
		if _, err := s.ReplaceWorkCalendar(ctx, admin, 1999, nil); !errors.As(err, &inv) {
			t.Fatalf("year 1999: %v", err)
		}
		if days, _ := s.WorkCalendarDays(ctx, 2026); len(days) != len(seed)-1 {
			t.Fatalf("a refused change changed the table: %d days", len(days))
		}
	})
}

// Another instance on the same database sees a change within a minute, without being told.
func TestWorkCalendarOtherInstance(t *testing.T) {
	run := func(t *testing.T, dsn string) {
		open := func() *model.Store {
			s, err := model.Open(dsn, modeltest.Keyring(t), modeltest.Logger())
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			if _, err := s.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			return s
		}
		one, two := open(), open()
		w := newWorker(t, two, "w", 1)
		filed := at("2026-11-27", 10)
		if due := fileAt(t, two, w.ID, filed); !due.Equal(at("2026-12-02", 10)) {
			t.Fatalf("before: due %v", due)
		}
		one.Now = func() time.Time { return filed }
		seed, _ := one.WorkCalendarDays(ctx, 2026)
		if _, err := one.ReplaceWorkCalendar(ctx, admin, 2026, append(seed,
			model.WorkCalendarDay{Date: "2026-11-30", Kind: model.DayHoliday, Name: "临时放假"})); err != nil {
			t.Fatal(err)
		}
		if due := fileAt(t, two, w.ID, filed.Add(30*time.Second)); !due.Equal(at("2026-12-02", 10).Add(30 * time.Second)) {
			t.Fatalf("the other instance within the minute: due %v (its copy is kept a minute)", due)
		}
		if due := fileAt(t, two, w.ID, filed.Add(61*time.Second)); !due.Equal(at("2026-12-03", 10).Add(61 * time.Second)) {
			t.Fatalf("the other instance a minute later: due %v, want Thursday", due)
		}
	}
	t.Run("sqlite", func(t *testing.T) { run(t, "sqlite:"+filepath.Join(t.TempDir(), "lingong.db")) })
	t.Run("mysql", func(t *testing.T) {
		dsn := modeltest.MySQLDSN(t)
		if dsn == "" {
			t.Skipf("%s not set", modeltest.MySQLDSNEnv)
		}
		run(t, dsn)
	})
}
