package model_test

import (
	"testing"
	"time"

	"lingong/model"
	"lingong/model/modeltest"
)

func TestPurgeKeepsWhatIsStillUseful(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		old := s.Now().Add(-model.OutboxKeep - time.Hour)
		for _, m := range []model.OutboxMessage{
			{UserID: 1, TemplateKey: "x", Data: "{}", Status: model.OutboxSent, NextAttemptAt: old, CreatedAt: old},
			{UserID: 1, TemplateKey: "x", Data: "{}", Status: model.OutboxPending, NextAttemptAt: old, CreatedAt: old},
			{UserID: 1, TemplateKey: "x", Data: "{}", Status: model.OutboxSent, NextAttemptAt: s.Now(), CreatedAt: s.Now()},
		} {
			s.DB.Create(&m)
		}
		n, err := s.PurgeFinished(ctx)
		if err != nil || n != 1 {
			t.Fatalf("purged %d, %v", n, err)
		}
		var left int64
		s.DB.Model(&model.OutboxMessage{}).Count(&left)
		if left != 2 {
			t.Fatalf("%d messages left, want the pending one and the recent one", left)
		}
	})
}
