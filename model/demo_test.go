package model_test

import (
	"testing"

	"lingong/model"
	"lingong/model/modeltest"
)

func TestSeedDemoOnceAndBrowsable(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		for range 2 {
			if err := s.SeedDemo(ctx); err != nil {
				t.Fatal(err)
			}
		}
		var gigs int64
		s.DB.Model(&model.Gig{}).Where("status = ?", model.GigPublished).Count(&gigs)
		if gigs != 6 {
			t.Fatalf("published demo gigs: %d", gigs)
		}
		if trainings, _ := s.Trainings(ctx, model.TrainingQuery{Upcoming: true, Limit: 10}); len(trainings) != 2 {
			t.Fatalf("demo trainings: %d", len(trainings))
		}
		if plans, _ := s.Plans(ctx, true); len(plans) != 2 {
			t.Fatalf("demo plans: %d", len(plans))
		}
		if markets, _ := s.Markets(ctx, nil, ""); len(markets) != 4 {
			t.Fatalf("demo markets: %d", len(markets))
		}
		live := model.NewLiveGigs(s)
		if err := live.Load(ctx); err != nil {
			t.Fatal(err)
		}
		hefei, _, _ := live.Search(model.GigQuery{Lat: 31.8612, Lng: 117.2830, Radius: 10_000, Sort: model.SortDistance, Limit: 20})
		huainan, _, _ := live.Search(model.GigQuery{Lat: 32.6264, Lng: 116.9998, Radius: 10_000, Sort: model.SortDistance, Limit: 20})
		if len(hefei) != 4 || len(huainan) != 2 {
			t.Fatalf("demo gigs near 合肥 %d, near 淮南 %d", len(hefei), len(huainan))
		}
	})
}
