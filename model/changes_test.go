package model_test

import (
	"slices"
	"strconv"
	"testing"
	"time"

	"lingong/model"
	"lingong/model/modeltest"
)

// The feed hands out each change once, waits for a hole in its ids (a transaction that took an id and has
// not committed yet), takes the late change when it lands, and gives a hole up after a while.
func TestChangeFeedTakesEachChangeOnce(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		clock := time.Now().In(model.Shanghai)
		s.Now = func() time.Time { return clock }
		feed, err := s.NewChangeFeed(ctx)
		if err != nil {
			t.Fatal(err)
		}
		note := func(id, gig uint64) {
			t.Helper()
			if err := s.DB.Create(&model.Change{ID: id, Kind: "gig", RefID: gig, CreatedAt: clock}).Error; err != nil {
				t.Fatal(err)
			}
		}
		next := func(want ...uint64) {
			t.Helper()
			ch, err := feed.Next(ctx)
			if err != nil {
				t.Fatal(err)
			}
			got := slices.Clone(ch.Gigs)
			slices.Sort(got)
			if !slices.Equal(got, want) {
				t.Fatalf("gigs %v, want %v", got, want)
			}
		}
		note(1, 10)
		note(2, 11)
		note(3, 10) // the same gig again: once is enough
		next(10, 11)
		next()
		// id 5 commits before id 4.
		note(5, 13)
		next(13)
		next()
		note(4, 12)
		next(12)
		next()
		// id 6 never commits (rolled back); 7 is taken at once and not again while the hole waits.
		note(7, 14)
		next(14)
		clock = clock.Add(3 * time.Second)
		next()
		clock = clock.Add(3 * time.Second) // past the wait: the hole is given up
		next()
		note(8, 15)
		next(15)
		next()
		// A row landing after its hole was given up is left to the index's full reload.
		note(6, 16)
		next()

		// A hole never holds back what comes after it, however much that is: a logout behind a hole and more
		// than a read's worth of changes arrives within two reads.
		rows := make([]model.Change, 0, 5001)
		for id := uint64(10); id <= 5010; id++ {
			rows = append(rows, model.Change{ID: id, Kind: "gig", RefID: 100, CreatedAt: clock})
		}
		if err := s.DB.CreateInBatches(rows, 500).Error; err != nil {
			t.Fatal(err)
		}
		if err := s.DB.Create(&model.Change{ID: 5011, Kind: "session", RefID: 77, CreatedAt: clock}).Error; err != nil {
			t.Fatal(err)
		}
		var sessions []uint64
		for range 2 {
			ch, err := feed.Next(ctx)
			if err != nil {
				t.Fatal(err)
			}
			sessions = append(sessions, ch.Sessions...)
		}
		if !slices.Equal(sessions, []uint64{77}) {
			t.Fatalf("the logout behind a hole and 5,001 changes: %v", sessions)
		}
	})
}

// An index that only follows the feed shows what a fresh load of the database shows, after the changes
// that move gigs: spots taken, a gig filled, a gig withdrawn.
func TestIndexFollowingTheFeedMatchesAFreshLoad(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		feed, err := s.NewChangeFeed(ctx)
		if err != nil {
			t.Fatal(err)
		}
		follower := model.NewLiveGigs(s)
		if err := follower.Load(ctx); err != nil {
			t.Fatal(err)
		}
		emp := newEmployer(t, s, "boss", "340104")
		stays := publishedAt(t, s, emp, 31.8612, 117.2830, 200_00)
		withdrawn := publishedAt(t, s, emp, 31.8622, 117.2830, 210_00)
		single := publishedGig(t, s, emp, 1, model.HireFirstCome)
		w1, w2 := newWorker(t, s, "w1", 1), newWorker(t, s, "w2", 2)
		follow := func() {
			t.Helper()
			ch, err := feed.Next(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if err := follower.Follow(ctx, ch); err != nil {
				t.Fatal(err)
			}
		}
		// The gigs as published first, so that each later change must reach the follower by its own note.
		follow()
		if follower.Len() != 3 {
			t.Fatalf("published gigs followed: %d, want 3", follower.Len())
		}
		if _, err := s.Apply(ctx, w1.ID, stays.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Apply(ctx, w2.ID, single.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.CloseGig(ctx, emp.ID, withdrawn.ID); err != nil {
			t.Fatal(err)
		}

		follow()
		fresh := model.NewLiveGigs(s)
		if err := fresh.Load(ctx); err != nil {
			t.Fatal(err)
		}
		shown := func(l *model.LiveGigs) []string {
			hits, _, err := l.Search(model.GigQuery{Lat: 31.8612, Lng: 117.2830, Radius: 50_000, Sort: model.SortDistance, Limit: 50})
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, h := range hits {
				out = append(out, h.Title+"|"+h.EmployerName+"|"+strconv.Itoa(h.SpotsLeft()))
			}
			return out
		}
		want := shown(fresh)
		if got := shown(follower); !slices.Equal(got, want) {
			t.Fatalf("following the feed:\n%v\na fresh load:\n%v", got, want)
		}
		if follower.Len() != 1 || fresh.Len() != 1 {
			t.Fatalf("open gigs: follower %d, fresh %d; want only the one with spots left", follower.Len(), fresh.Len())
		}
	})
}
