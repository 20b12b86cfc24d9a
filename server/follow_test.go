package main

import (
	"context"
	"testing"

	"lingong/model"
	"lingong/model/modeltest"
)

// Changes the index could not read when the feed brought them are read at the next run, not lost until the
// five-minute reload.
func TestFollowKeepsChangesItCouldNotRead(t *testing.T) {
	s := modeltest.SQLite(t)
	ctx := context.Background()
	w := newCheckWorld(t, s)
	gig := w.postGig("白天干活")
	feed, err := s.NewChangeFeed(ctx)
	if err != nil {
		t.Fatal(err)
	}
	a := &app{store: s, live: model.NewLiveGigs(s), alerts: model.NewAlertIndex(s), feed: feed}
	if err := a.live.Load(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := s.DecideGig(ctx, staffScope, gig, true, ""); err != nil {
		t.Fatal(err)
	}
	// The index's read fails (its join's table is away for a moment); the feed's does not.
	if err := s.DB.Exec("ALTER TABLE categories RENAME TO categories_away").Error; err != nil {
		t.Fatal(err)
	}
	if err := a.followChanges(ctx); err == nil {
		t.Fatal("following with the index's table away did not fail")
	}
	if err := s.DB.Exec("ALTER TABLE categories_away RENAME TO categories").Error; err != nil {
		t.Fatal(err)
	}
	if err := a.followChanges(ctx); err != nil {
		t.Fatal(err)
	}
	if a.live.Len() != 1 {
		t.Fatalf("the approved gig is not in the index after the next run: %d gigs", a.live.Len())
	}
}
