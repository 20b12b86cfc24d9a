package model_test

import (
	"errors"
	"testing"

	"lingong/model"
	"lingong/model/modeltest"
)

// A worker who withdrew applies again on the same row (one row per worker and gig), keeping when they first
// applied; the errors come in the order a worker needs them.
func TestApplyAgainAfterWithdrawing(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		emp := newEmployer(t, s, "boss", "340104")
		g := publishedGig(t, s, emp, 2, model.HireFirstCome)
		w := newWorker(t, s, "w1", 1)
		first, err := s.Apply(ctx, w.ID, g.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Apply(ctx, w.ID, g.ID); !errors.Is(err, model.ErrAlreadyApplied) {
			t.Fatalf("twice: %v", err)
		}
		if _, err := s.Withdraw(ctx, w.ID, first.ID); err != nil {
			t.Fatal(err)
		}
		again, err := s.Apply(ctx, w.ID, g.ID)
		if err != nil {
			t.Fatal(err)
		}
		if again.ID != first.ID || !again.CreatedAt.Equal(first.CreatedAt) || again.Status != model.AppConfirmed {
			t.Fatalf("again: %+v, first: %+v", again, first)
		}
		stranger := signIn(t, s, "stranger")
		if _, err := s.Apply(ctx, stranger.ID, g.ID); !errors.Is(err, model.ErrProfileMissing) {
			t.Fatalf("unregistered: %v", err)
		}
		if _, err := s.Apply(ctx, stranger.ID, 999_999); !errors.Is(err, model.ErrProfileMissing) {
			t.Fatalf("unregistered, no such gig: %v", err)
		}
		if _, err := s.Apply(ctx, w.ID, 999_999); !errors.Is(err, model.ErrNotFound) {
			t.Fatalf("no such gig: %v", err)
		}
		if _, err := s.Apply(ctx, emp.ID, g.ID); !errors.Is(err, model.ErrProfileMissing) && !errors.Is(err, model.ErrOwnGig) {
			t.Fatalf("own gig: %v", err)
		}
	})
}

// A worker gives back at most WithdrawalsPerDay confirmed spots a day; waiting applications are free to
// withdraw. (A confirmed worker sees the employer's phone without it counting, so spots taken and given back
// would otherwise read phones past the day's limit.)
func TestConfirmedSpotsGivenBackADay(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		emp := newEmployer(t, s, "boss", "340104")
		w := newWorker(t, s, "w1", 1)
		for n := range model.WithdrawalsPerDay + 1 {
			g := publishedGig(t, s, emp, 2, model.HireFirstCome)
			app, err := s.Apply(ctx, w.ID, g.ID)
			if err != nil {
				t.Fatal(err)
			}
			_, err = s.Withdraw(ctx, w.ID, app.ID)
			if n < model.WithdrawalsPerDay && err != nil {
				t.Fatalf("withdrawal %d: %v", n+1, err)
			}
			if n == model.WithdrawalsPerDay {
				if !errors.Is(err, model.ErrWithdrawLimit) {
					t.Fatalf("withdrawal %d: %v, want the day's limit", n+1, err)
				}
				if d, _ := s.GigForViewer(ctx, w.ID, g.ID); d == nil || d.MyApplication == nil || d.MyApplication.Status != model.AppConfirmed {
					t.Fatal("a refused withdrawal changed the application")
				}
			}
		}
		pending := publishedGig(t, s, emp, 2, model.HireSelect)
		app, err := s.Apply(ctx, w.ID, pending.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Withdraw(ctx, w.ID, app.ID); err != nil {
			t.Fatalf("a waiting application: %v", err)
		}
	})
}
