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
