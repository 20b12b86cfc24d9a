package model_test

import (
	"errors"
	"sync"
	"testing"
	"time"

	"lingong/model"
	"lingong/model/modeltest"
)

// The hourly push limit holds when a staff member's pushes arrive all at once, on every database.
func TestPushLimitUnderConcurrency(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		w := newWorker(t, s, "w", 1)
		staff := model.Scope{All: true, UserID: 4242}
		push := func() error {
			_, err := s.CreatePush(ctx, staff, model.MsgApplicationResult, "pages/index/index",
				map[string]string{"gig": "搬家", "result": "已录用"}, model.Audience{UserIDs: []uint64{w.ID}})
			return err
		}
		var wg sync.WaitGroup
		var mu sync.Mutex
		sent, limited := 0, 0
		for range 30 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				err := push()
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					sent++
				case errors.Is(err, model.ErrPushRateLimited):
					limited++
				default:
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		if sent != model.PushesPerHour || limited != 30-model.PushesPerHour {
			t.Fatalf("sent %d, limited %d; want %d and %d", sent, limited, model.PushesPerHour, 30-model.PushesPerHour)
		}
		// An hour later the window starts again: a full hour's pushes, then the limit again.
		now := s.Now
		s.Now = func() time.Time { return now().Add(61 * time.Minute) }
		defer func() { s.Now = now }()
		for i := range model.PushesPerHour {
			if err := push(); err != nil {
				t.Fatalf("push %d an hour later: %v", i+1, err)
			}
		}
		if err := push(); !errors.Is(err, model.ErrPushRateLimited) {
			t.Fatalf("the 11th push of the new hour: %v", err)
		}
	})
}
