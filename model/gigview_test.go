package model_test

import (
	"errors"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"

	"gorm.io/gorm"

	"lingong/model"
	"lingong/model/modeltest"
)

// The page of a published gig comes from the live index with no read of the gig or its employer, shows what a
// read would, and follows a change made on another instance once the feed brings it.
func TestGigPageFromTheIndex(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		boss := newEmployer(t, s, "boss", "340104")
		g := publishedGig(t, s, boss, 2, model.HireSelect)
		w := newWorker(t, s, "w", 1)
		read, err := s.GigForViewer(ctx, w.ID, g.ID) // no index yet: read from the database
		if err != nil {
			t.Fatal(err)
		}

		feed, err := s.NewChangeFeed(ctx)
		if err != nil {
			t.Fatal(err)
		}
		live := model.NewLiveGigs(s)
		if err := live.Load(ctx); err != nil {
			t.Fatal(err)
		}
		s.UseLiveIndex(live)
		var gigReads atomic.Int32
		if err := s.DB.Callback().Query().After("gorm:query").Register("test:gig_reads", func(db *gorm.DB) {
			if strings.Contains(db.Statement.SQL.String(), "gigs") {
				gigReads.Add(1)
			}
		}); err != nil {
			t.Fatal(err)
		}
		shown, err := s.GigForViewer(ctx, w.ID, g.ID)
		if err != nil {
			t.Fatal(err)
		}
		if n := gigReads.Load(); n != 0 {
			t.Fatalf("the page of a gig the index holds read the gigs table %d times", n)
		}
		if !reflect.DeepEqual(shown, read) {
			t.Fatalf("the page from the index differs from the one read:\n%+v\n%+v", shown, read)
		}

		// Closed on another instance: this one has not refreshed, so the page still shows it until the feed
		// brings the change, as the list does.
		if _, err := s.CloseGig(ctx, boss.ID, g.ID); err != nil {
			t.Fatal(err)
		}
		stranger := signIn(t, s, "stranger")
		ch, err := feed.Next(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if err := live.Follow(ctx, ch); err != nil {
			t.Fatal(err)
		}
		if _, err := s.GigForViewer(ctx, stranger.ID, g.ID); !errors.Is(err, model.ErrNotFound) {
			t.Fatalf("a closed gig's page after the feed: %v", err)
		}
		if gigReads.Load() == 0 {
			t.Fatal("a gig the index no longer holds was not read from the database")
		}
	})
}
