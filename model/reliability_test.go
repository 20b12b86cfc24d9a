package model_test

import (
	"sync"
	"testing"
	"time"

	"lingong/model"
	"lingong/model/modeltest"
)

// reliabilityGig is a two-day first-come gig (Mon 30 Nov and Tue 1 Dec), with the clock on the Sunday before.
func reliabilityGig(t *testing.T, s *model.Store, clock *time.Time) (*model.User, *model.Gig) {
	t.Helper()
	*clock = time.Date(2026, 11, 29, 10, 0, 0, 0, model.Shanghai)
	s.Now = func() time.Time { return *clock }
	emp := newEmployer(t, s, "boss", "340104")
	in := gigInput(s, 6, model.HireFirstCome)
	in.StartDate, in.EndDate = "2026-11-30", "2026-12-01"
	g, err := s.CreateGig(ctx, emp.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	if g, err = s.DecideGig(ctx, admin, g.ID, true, ""); err != nil {
		t.Fatal(err)
	}
	return emp, g
}

func countEvents(t *testing.T, s *model.Store, kind string, workerID uint64) int64 {
	t.Helper()
	var n int64
	if err := s.DB.Model(&model.ReliabilityEvent{}).Where("kind = ? AND worker_id = ?", kind, workerID).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// A worker confirmed before a work day who never arrives is a no-show once the day ends, once, however many
// runs and instances decide it; one who came, withdrew in time, or was let go is not; a worker taken on
// during the day is held only to the next; the employer letting a confirmed worker go on a work day is a
// late cancellation, before the first day it is not.
func TestNoShowsAndLateCancellations(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		var clock time.Time
		emp, g := reliabilityGig(t, s, &clock)
		apply := func(name string, n int) (*model.User, *model.Application) {
			w := newWorker(t, s, name, n)
			app, err := s.Apply(ctx, w.ID, g.ID)
			if err != nil {
				t.Fatal(err)
			}
			return w, app
		}
		came, _ := apply("came", 1)
		absent, _ := apply("absent", 2)
		letGo, letGoApp := apply("letgo", 3)
		early, earlyApp := apply("early", 4)
		gone, goneApp := apply("gone", 5)
		// Let go the day before, withdrew the day before: no record for either.
		if _, err := s.Reject(ctx, emp.ID, earlyApp.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Withdraw(ctx, gone.ID, goneApp.ID); err != nil {
			t.Fatal(err)
		}

		// Monday.
		clock = time.Date(2026, 11, 30, 8, 0, 0, 0, model.Shanghai)
		if _, err := s.ScanAttendance(ctx, came.ID, g.ID, currentCode(t, s, emp, g.ID), nil); err != nil {
			t.Fatal(err)
		}
		if n, err := s.RecordNoShows(ctx); err != nil || n != 0 {
			t.Fatalf("before the day ended: %d, %v", n, err)
		}
		clock = time.Date(2026, 11, 30, 9, 0, 0, 0, model.Shanghai)
		if _, err := s.Reject(ctx, emp.ID, letGoApp.ID); err != nil {
			t.Fatal(err)
		}
		late, _ := apply("late", 6) // taken on during Monday

		// Just after Monday ends: only the absent worker.
		clock = time.Date(2026, 12, 1, 0, 5, 0, 0, model.Shanghai)
		if n, err := s.RecordNoShows(ctx); err != nil || n != 1 {
			t.Fatalf("Monday's no-shows: %d, %v", n, err)
		}
		if n, err := s.RecordNoShows(ctx); err != nil || n != 0 {
			t.Fatalf("a second run: %d, %v", n, err)
		}

		// After Tuesday, two instances at once: came, absent and late missed Tuesday, each recorded once.
		clock = time.Date(2026, 12, 2, 1, 0, 0, 0, model.Shanghai)
		var wg sync.WaitGroup
		got := make([]int64, 2)
		for i := range got {
			wg.Add(1)
			go func() {
				defer wg.Done()
				n, err := s.RecordNoShows(ctx)
				if err != nil {
					t.Error(err)
				}
				got[i] = n
			}()
		}
		wg.Wait()
		// The rows decide, not the runs' counts: on MySQL a row the other run recorded meanwhile counts in both.
		if got[0] < 3 && got[1] < 3 {
			t.Fatalf("Tuesday's runs recorded %v, want 3 in one of them", got)
		}
		for _, c := range []struct {
			who         *model.User
			noShows     int64
			lateCancels int64
		}{{came, 1, 0}, {absent, 2, 0}, {letGo, 0, 1}, {early, 0, 0}, {gone, 0, 0}, {late, 1, 0}} {
			if n := countEvents(t, s, model.EventNoShow, c.who.ID); n != c.noShows {
				t.Errorf("worker %d: %d no-shows, want %d", c.who.ID, n, c.noShows)
			}
			if n := countEvents(t, s, model.EventLateCancel, c.who.ID); n != c.lateCancels {
				t.Errorf("worker %d: %d late cancellations, want %d", c.who.ID, n, c.lateCancels)
			}
		}
		counts, err := s.EmployerReliability(ctx, g.EmployerID, "2026-11-01")
		if err != nil || counts.NoShows != 4 || counts.LateCancels != 1 {
			t.Fatalf("the employer's counts: %+v, %v", counts, err)
		}
		if counts, err = s.WorkerReliability(ctx, absent.ID, "2026-12-01"); err != nil || counts.NoShows != 1 {
			t.Fatalf("the absent worker's since Tuesday: %+v, %v", counts, err)
		}
	})
}

// Closing the gig on a work day records a late cancellation for each worker still confirmed.
func TestClosingOnTheDayIsALateCancellation(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		var clock time.Time
		emp, g := reliabilityGig(t, s, &clock)
		w := newWorker(t, s, "w", 1)
		if _, err := s.Apply(ctx, w.ID, g.ID); err != nil {
			t.Fatal(err)
		}
		clock = time.Date(2026, 11, 30, 6, 30, 0, 0, model.Shanghai)
		if _, err := s.CloseGig(ctx, emp.ID, g.ID); err != nil {
			t.Fatal(err)
		}
		if n := countEvents(t, s, model.EventLateCancel, w.ID); n != 1 {
			t.Fatalf("late cancellations: %d", n)
		}
		clock = time.Date(2026, 12, 3, 0, 0, 0, 0, model.Shanghai)
		if n, err := s.RecordNoShows(ctx); err != nil || n != 0 {
			t.Fatalf("no-shows after the employer cancelled: %d, %v", n, err)
		}
	})
}
