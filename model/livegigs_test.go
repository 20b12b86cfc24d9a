package model_test

import (
	"errors"
	"slices"
	"strconv"
	"testing"

	"lingong/model"
	"lingong/model/modeltest"
)

func TestLiveGigsSearchAndSync(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		emp := newEmployer(t, s, "boss", "340104")
		// Three gigs north of a worker at 0.5 km, 2 km and 8 km; one more far away in 淮南.
		near := publishedAt(t, s, emp, 31.8612+0.0045, 117.2830, 300_00)
		mid := publishedAt(t, s, emp, 31.8612+0.018, 117.2830, 200_00)
		far := publishedAt(t, s, emp, 31.8612+0.072, 117.2830, 400_00)
		huainan := publishedAt(t, s, emp, 32.6264, 116.9998, 500_00)

		feed, err := s.NewChangeFeed(ctx)
		if err != nil {
			t.Fatal(err)
		}
		live := model.NewLiveGigs(s)
		if err := live.Load(ctx); err != nil {
			t.Fatal(err)
		}
		q := model.GigQuery{Lat: 31.8612, Lng: 117.2830, Radius: 3000, Sort: model.SortDistance, Limit: 20}
		hits, next, err := live.Search(q)
		if err != nil || next != "" || !slices.Equal(idList(hits), []uint64{near.ID, mid.ID}) {
			t.Fatalf("within 3 km: %v %q %v", idList(hits), next, err)
		}
		if hits[0].DistanceM < 450 || hits[0].DistanceM > 550 {
			t.Fatalf("distance %d, want about 500", hits[0].DistanceM)
		}

		q.Radius, q.Sort = 10_000, model.SortWage
		if hits, _, _ = live.Search(q); !slices.Equal(idList(hits), []uint64{far.ID, near.ID, mid.ID}) {
			t.Fatalf("by wage: %v", idList(hits))
		}
		q.MinDailyCent = 250_00
		if hits, _, _ = live.Search(q); !slices.Equal(idList(hits), []uint64{far.ID, near.ID}) {
			t.Fatalf("min wage: %v", idList(hits))
		}

		// Keyset pages: one at a time, never repeating, ending with no cursor.
		q = model.GigQuery{Lat: 31.8612, Lng: 117.2830, Radius: 50_000, Sort: model.SortDistance, Limit: 1}
		var seen []uint64
		for range 5 {
			page, next, err := live.Search(q)
			if err != nil {
				t.Fatal(err)
			}
			for _, h := range page {
				seen = append(seen, h.ID)
			}
			if next == "" {
				break
			}
			q.Cursor = next
		}
		if len(seen) != 3 || seen[0] != near.ID || seen[2] != far.ID {
			t.Fatalf("pages: %v", seen)
		}
		if _, _, err := live.Search(model.GigQuery{Sort: model.SortWage, Cursor: q.Cursor, Limit: 1}); !errors.Is(err, model.ErrBadCursor) {
			t.Fatalf("a distance cursor used for wage order: %v", err)
		}
		if _, _, err := live.Search(model.GigQuery{Sort: model.SortDistance, Cursor: "!!", Limit: 1}); !errors.Is(err, model.ErrBadCursor) {
			t.Fatalf("garbage cursor: %v", err)
		}

		// Closing a gig elsewhere reaches the index through the change feed.
		if _, err := s.CloseGig(ctx, emp.ID, near.ID); err != nil {
			t.Fatal(err)
		}
		ch, err := feed.Next(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if err := live.Follow(ctx, ch); err != nil {
			t.Fatal(err)
		}
		q = model.GigQuery{Lat: 31.8612, Lng: 117.2830, Radius: 3000, Sort: model.SortDistance, Limit: 20}
		if hits, _, _ = live.Search(q); !slices.Equal(idList(hits), []uint64{mid.ID}) {
			t.Fatalf("after closing: %v", idList(hits))
		}
		if live.Len() != 3 || huainan.ID == 0 {
			t.Fatalf("index size %d", live.Len())
		}
	})
}

func publishedAt(t *testing.T, s *model.Store, emp *model.User, lat, lng float64, wage int64) *model.Gig {
	t.Helper()
	in := gigInput(s, 3, model.HireFirstCome)
	in.Lat, in.Lng, in.WageCents = lat, lng, wage
	g, err := s.CreateGig(ctx, emp.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	if g, err = s.DecideGig(ctx, admin, g.ID, true, ""); err != nil {
		t.Fatal(err)
	}
	return g
}

func idList(hits []model.NearbyGig) []uint64 {
	out := make([]uint64, len(hits))
	for i, h := range hits {
		out[i] = h.ID
	}
	return out
}

// A spot this instance takes shows in its index at once, in a new copy (a search in flight keeps the old one),
// and the last spot takes the gig out of the list.
func TestSpotTakenShowsAtOnce(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		emp := newEmployer(t, s, "boss", "340104")
		gig := publishedAt(t, s, emp, 31.8612, 117.2830, 300_00) // 3 spots, first come
		live := model.NewLiveGigs(s)
		live.SetCardEncoder(func(g *model.LiveGig) []byte { return []byte(strconv.Itoa(g.SpotsLeft())) })
		if err := live.Load(ctx); err != nil {
			t.Fatal(err)
		}
		s.UseLiveIndex(live)
		q := model.GigQuery{Lat: 31.8612, Lng: 117.2830, Radius: 3000, Sort: model.SortDistance, Limit: 20}
		shown := func() *model.LiveGig {
			hits, _, err := live.Search(q)
			if err != nil || len(hits) > 1 {
				t.Fatalf("search: %v %v", idList(hits), err)
			}
			if len(hits) == 0 {
				return nil
			}
			return hits[0].LiveGig
		}
		before := shown()
		for i, left := range []int{2, 1, 0} {
			w := newWorker(t, s, "w"+strconv.Itoa(i), i)
			if _, err := s.Apply(ctx, w.ID, gig.ID); err != nil {
				t.Fatal(err)
			}
			live.SpotTaken(gig.ID)
			now := shown()
			if left == 0 {
				if now != nil {
					t.Fatalf("a filled gig is still listed with %d spots left", now.SpotsLeft())
				}
				break
			}
			if now == nil || now.SpotsLeft() != left || string(now.Card) != strconv.Itoa(left) {
				t.Fatalf("after %d applications: %+v", i+1, now)
			}
			if page, err := s.GigForViewer(ctx, w.ID, gig.ID); err != nil || page.Confirmed != i+1 {
				t.Fatalf("the gig's page after %d applications: %+v %v", i+1, page, err)
			}
		}
		if before.SpotsLeft() != 3 || string(before.Card) != "3" {
			t.Fatalf("the copy a search held changed under it: %d spots, card %q", before.SpotsLeft(), before.Card)
		}
	})
}

// When the feed shows a spot before this instance counts it (the feed read the gig between the commit and
// SpotTaken), the spot is counted twice — for a moment: the next Follow reads the gig again, even with nothing
// new in the feed.
func TestSpotCountedTwiceIsReadAgain(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		emp := newEmployer(t, s, "boss", "340104")
		gig := publishedAt(t, s, emp, 31.8612, 117.2830, 300_00) // 3 spots, first come
		feed, err := s.NewChangeFeed(ctx)
		if err != nil {
			t.Fatal(err)
		}
		live := model.NewLiveGigs(s)
		if err := live.Load(ctx); err != nil {
			t.Fatal(err)
		}
		left := func() int {
			hits, _, err := live.Search(model.GigQuery{Lat: 31.8612, Lng: 117.2830, Radius: 3000, Sort: model.SortDistance, Limit: 20})
			if err != nil || len(hits) != 1 {
				t.Fatalf("search: %v %v", idList(hits), err)
			}
			return hits[0].SpotsLeft()
		}
		w := newWorker(t, s, "w", 1)
		if _, err := s.Apply(ctx, w.ID, gig.ID); err != nil {
			t.Fatal(err)
		}
		ch, err := feed.Next(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if err := live.Follow(ctx, ch); err != nil || left() != 2 {
			t.Fatalf("the feed's read: %d left, %v", left(), err)
		}
		live.SpotTaken(gig.ID)
		if left() != 1 {
			t.Fatalf("counted twice: %d left", left())
		}
		if err := live.Follow(ctx, model.Changes{}); err != nil || left() != 2 {
			t.Fatalf("after the next Follow: %d left, %v; want the database's 2", left(), err)
		}
	})
}
