package model_test

import (
	"testing"
	"time"

	"lingong/model"
	"lingong/model/modeltest"
)

// An hourly gig owes each day's time from arrival to leaving, rounded to the nearest half hour, and leaves a
// day without a leaving unpriced; half a cent goes to the worker; a piece-rate gig counts days only.
func TestOwedFromAttendance(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		clock := checkInDay
		s.Now = func() time.Time { return clock }
		emp := newEmployer(t, s, "boss", "340104")
		gig := func(unit string, wage int64) *model.Gig {
			in := gigInput(s, 5, model.HireFirstCome)
			in.WageUnit, in.WageCents, in.EndDate = unit, wage, checkInDay.AddDate(0, 0, 1).Format("2006-01-02")
			g, err := s.CreateGig(ctx, emp.ID, in)
			if err != nil {
				t.Fatal(err)
			}
			if g, err = s.DecideGig(ctx, admin, g.ID, true, ""); err != nil {
				t.Fatal(err)
			}
			return g
		}
		hourly, piece := gig(model.WageHour, 25_01), gig(model.WagePiece, 1_50)
		w := newWorker(t, s, "w", 1)
		for _, g := range []*model.Gig{hourly, piece} {
			if _, err := s.Apply(ctx, w.ID, g.ID); err != nil {
				t.Fatal(err)
			}
		}
		scan := func(g *model.Gig, at time.Time) {
			t.Helper()
			clock = at
			if _, err := s.ScanAttendance(ctx, w.ID, g.ID, currentCode(t, s, emp, g.ID), nil); err != nil {
				t.Fatal(err)
			}
		}
		scan(hourly, checkInDay)
		scan(piece, checkInDay)
		scan(hourly, checkInDay.Add(8*time.Hour+20*time.Minute)) // 8 h 20 min: 8.5 hours
		scan(hourly, checkInDay.AddDate(0, 0, 1))                // Tuesday: arrived, not left yet

		apps, err := s.WorkerApplications(ctx, w.ID, 10)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range apps {
			o := a.Owed
			switch a.GigID {
			case hourly.ID:
				// 17 half hours × 25.01 / 2 = 212.585 yuan: 21,259 cents.
				if o == nil || o.Days != 2 || o.Minutes != 510 || o.OpenDays != 1 || o.Cents == nil || *o.Cents != 21_259 {
					t.Fatalf("hourly: %+v", o)
				}
			case piece.ID:
				if o == nil || o.Days != 1 || o.Cents != nil {
					t.Fatalf("piece-rate: %+v", o)
				}
			}
		}
		list, err := s.GigApplicants(ctx, emp.ID, hourly.ID)
		if err != nil || len(list) != 1 || list[0].Owed == nil || *list[0].Owed.Cents != 21_259 {
			t.Fatalf("the employer's view: %+v, %v", list, err)
		}
	})
}
