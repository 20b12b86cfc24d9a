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
		gigReads.Store(0)
		if !reflect.DeepEqual(shown, read) {
			t.Fatalf("the page from the index differs from the one read:\n%+v\n%+v", shown, read)
		}
		// An answer is the caller's own: changing it changes nothing the index serves next.
		*shown.PublishedAt = shown.PublishedAt.AddDate(-1, 0, 0)
		shown.Checks.Discrimination = append(shown.Checks.Discrimination, model.Flag{Phrase: "限男性", Kind: "sex"})
		if again, _ := s.GigForViewer(ctx, w.ID, g.ID); !reflect.DeepEqual(again, read) {
			t.Fatalf("a change to one answer reached the next: %+v", again)
		}
		// The employer's own page is read from the database, so an edit shows before the index takes it.
		if err := s.DB.Model(&model.Gig{}).Where("id = ?", g.ID).Update("title", "小区搬家工（改）").Error; err != nil {
			t.Fatal(err)
		}
		if own, err := s.GigForViewer(ctx, boss.ID, g.ID); err != nil || own.Title != "小区搬家工（改）" {
			t.Fatalf("the employer's own page: %v %v", own, err)
		}
		reads := gigReads.Load()
		if other, _ := s.GigForViewer(ctx, w.ID, g.ID); other.Title == "小区搬家工（改）" || gigReads.Load() != reads {
			t.Fatal("a worker's page did not come from the index")
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
