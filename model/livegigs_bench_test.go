package model

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

// BenchmarkSearch is the in-process part of GET /gigs: 100,000 open gigs, 30% of them around one city
// centre, searched 3 km around points near that centre. `make bench` measures the whole request.
func BenchmarkSearch(b *testing.B) {
	store := &Store{Now: func() time.Time { return time.Now().In(Shanghai) }}
	l := NewLiveGigs(store)
	rng := rand.New(rand.NewPCG(1, 2))
	today := time.Now().In(Shanghai)
	centres := [][2]float64{{31.8206, 117.2272}, {31.3529, 118.4331}, {32.6259, 116.9998}}
	for i := range 100_000 {
		c := centres[0]
		if i%10 >= 3 {
			c = centres[1+i%2]
		}
		g := &LiveGig{ID: uint64(i + 1), Title: "小区保洁", CategoryID: uint64(1 + i%18), WageCents: 200_00, WageUnit: WageDay,
			DailyCents: 200_00, Settlement: SettleDaily, StartDate: today.Format(dateLayout),
			EndDate: today.AddDate(0, 0, 5).Format(dateLayout), Headcount: 3,
			Lat: c[0] + rng.NormFloat64()*6000/metresPerDegree, Lng: c[1] + rng.NormFloat64()*6000/(metresPerDegree*math.Cos(c[0]*math.Pi/180)),
			PublishedAt: today}
		l.byID[g.ID] = g
		addToCell(l.cells, g)
	}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		lat := centres[0][0] + rng.NormFloat64()*3000/metresPerDegree
		lng := centres[0][1] + rng.NormFloat64()*3000/(metresPerDegree*0.85)
		hits, _, err := l.Search(GigQuery{Lat: lat, Lng: lng, Radius: 3000, Sort: SortDistance, Limit: 20})
		if err != nil || len(hits) == 0 {
			b.Fatal(err, len(hits))
		}
	}
}
