package model_test

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"lingong/model"
	"lingong/model/modeltest"
)

// A person's photos a day are counted in the database: many sent at once cannot pass the limit.
func TestUploadQuotaUnderConcurrency(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		u := signIn(t, s, "sender")
		var wg sync.WaitGroup
		var mu sync.Mutex
		kept, refused := 0, 0
		for i := range model.UploadsPerDay + 5 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := s.RecordUpload(ctx, u.ID, fmt.Sprintf("f%d.jpg", i), "image/jpeg", 1000)
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					kept++
				case errors.Is(err, model.ErrUploadQuota):
					refused++
				default:
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		if kept != model.UploadsPerDay || refused != 5 {
			t.Fatalf("kept %d, refused %d", kept, refused)
		}
		// Bytes count too.
		big := signIn(t, s, "big")
		if _, err := s.RecordUpload(ctx, big.ID, "a.jpg", "image/jpeg", model.UploadBytesPerDay-10); err != nil {
			t.Fatal(err)
		}
		if _, err := s.RecordUpload(ctx, big.ID, "b.jpg", "image/jpeg", 100); !errors.Is(err, model.ErrUploadQuota) {
			t.Fatalf("over the bytes: %v", err)
		}
	})
}

// A photo nothing refers to goes a day after it came; one on a complaint stays.
func TestStaleUploads(t *testing.T) {
	s := modeltest.SQLite(t)
	w := newWorker(t, s, "w", 1)
	now := s.Now
	s.Now = func() time.Time { return now().Add(-48 * time.Hour) }
	orphan, _ := s.RecordUpload(ctx, w.ID, "orphan.jpg", "image/jpeg", 10)
	kept, _ := s.RecordUpload(ctx, w.ID, "kept.jpg", "image/jpeg", 10)
	s.Now = now
	fresh, _ := s.RecordUpload(ctx, w.ID, "fresh.jpg", "image/jpeg", 10)
	if _, err := s.FileComplaint(ctx, w.ID, model.ComplaintInput{Category: model.ComplaintWageArrears, Description: "工钱一直没给，拖了两个月",
		PhotoIDs: []uint64{kept.ID}}); err != nil {
		t.Fatal(err)
	}
	stale, err := s.StaleUploads(ctx, now().Add(-24*time.Hour), 10)
	if err != nil || len(stale) != 1 || stale[0].ID != orphan.ID {
		t.Fatalf("stale: %+v %v (fresh %d)", stale, err, fresh.ID)
	}
}
