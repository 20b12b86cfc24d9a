package model

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// The nearest-first search stops early; it must find exactly what looking at every gig finds, page after
// page, with and without filters, in dense centres and sparse edges.
func TestNearestFirstMatchesLookingAtEveryGig(t *testing.T) {
	store := &Store{Now: func() time.Time { return time.Now().In(Shanghai) }}
	l := NewLiveGigs(store)
	rng := rand.New(rand.NewPCG(7, 9))
	today := time.Now().In(Shanghai)
	centre := [2]float64{31.8206, 117.2272}
	for i := range 20_000 {
		spread := 1500.0
		if i%4 == 0 {
			spread = 15000
		}
		g := &LiveGig{ID: uint64(i + 1), Title: "活", CategoryID: uint64(1 + i%5), WageCents: int64(150_00 + i%7*10_00),
			WageUnit: WageDay, Settlement: SettleDaily, StartDate: today.Format(dateLayout),
			EndDate: today.AddDate(0, 0, 3).Format(dateLayout), Headcount: 2,
			Lat: centre[0] + rng.NormFloat64()*spread/metresPerDegree, Lng: centre[1] + rng.NormFloat64()*spread/(metresPerDegree*0.85)}
		g.DailyCents = g.WageCents
		if i%3 == 0 {
			g.Settlement = SettleCompletion
		}
		l.byID[g.ID] = g
		addToCell(l.cells, g)
	}
	everyGig := func(q GigQuery) []uint64 {
		type hit struct {
			d  int
			id uint64
		}
		var all []hit
		mPerLng := metresPerDegree * math.Cos(q.Lat*math.Pi/180)
		for _, g := range l.byID {
			dy, dx := (g.Lat-q.Lat)*metresPerDegree, (g.Lng-q.Lng)*mPerLng
			if dx*dx+dy*dy > q.Radius*q.Radius || (q.CategoryID != 0 && g.CategoryID != q.CategoryID) ||
				(q.DailyPay && g.Settlement != SettleDaily) {
				continue
			}
			all = append(all, hit{int(math.Round(math.Sqrt(dx*dx + dy*dy))), g.ID})
		}
		slices.SortFunc(all, func(a, b hit) int {
			if a.d != b.d {
				return a.d - b.d
			}
			return int(a.id) - int(b.id)
		})
		ids := make([]uint64, len(all))
		for i, h := range all {
			ids[i] = h.id
		}
		return ids
	}
	for n := range 300 {
		q := GigQuery{Lat: centre[0] + rng.NormFloat64()*8000/metresPerDegree, Lng: centre[1] + rng.NormFloat64()*8000/(metresPerDegree*0.85),
			Radius: []float64{500, 3000, 10_000, 50_000}[n%4], Sort: SortDistance, Limit: 1 + n%30}
		if n%5 == 1 {
			q.CategoryID = uint64(1 + n%5)
		}
		if n%7 == 2 {
			q.DailyPay = true
		}
		want := everyGig(q)
		var got []uint64
		more := false
		for page := 0; page < 4; page++ {
			hits, next, err := l.Search(q)
			if err != nil {
				t.Fatal(err)
			}
			for _, h := range hits {
				got = append(got, h.ID)
			}
			if more = next != ""; !more {
				break
			}
			q.Cursor = next
		}
		if more && len(want) > len(got) {
			want = want[:len(got)] // four pages read, and more to come
		}
		if !slices.Equal(got, want) {
			t.Fatalf("query %d (%+v):\n got %v\nwant %v", n, q, got, want)
		}
	}
}
