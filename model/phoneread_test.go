package model_test

import (
	"sync"
	"sync/atomic"
	"testing"

	"lingong/model"
	"lingong/model/modeltest"
)

// An employer's phone is for registered workers, and only so many gigs' phones a day, even all at once.
func TestContactPhoneReads(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		boss := newEmployer(t, s, "boss", "340104")
		n := model.PhoneReadsPerDay + 10
		gigs := make([]*model.Gig, n)
		for i := range gigs {
			gigs[i] = publishedGig(t, s, boss, 1, model.HireSelect)
		}
		stranger := signIn(t, s, "stranger")
		d, err := s.GigForViewer(ctx, stranger.ID, gigs[0].ID)
		if err != nil || d.ContactPhone != "" || d.PhoneWithheld != model.PhoneForWorkers {
			t.Fatalf("an unregistered viewer: %q %q %v", d.ContactPhone, d.PhoneWithheld, err)
		}
		if own, _ := s.GigForViewer(ctx, boss.ID, gigs[0].ID); own.ContactPhone == "" {
			t.Fatal("the employer's own phone withheld")
		}

		w := newWorker(t, s, "w", 1)
		var shown atomic.Int32
		var wg sync.WaitGroup
		for _, g := range gigs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				d, err := s.GigForViewer(ctx, w.ID, g.ID)
				if err != nil {
					t.Error(err)
					return
				}
				if d.ContactPhone != "" {
					shown.Add(1)
				} else if d.PhoneWithheld != model.PhoneLimitReached {
					t.Errorf("withheld for %q", d.PhoneWithheld)
				}
			}()
		}
		wg.Wait()
		if shown.Load() != model.PhoneReadsPerDay {
			t.Fatalf("phones shown: %d, want %d", shown.Load(), model.PhoneReadsPerDay)
		}
		// A gig whose phone was seen shows it again without counting.
		var seen model.PhoneRead
		if err := s.DB.Where("user_id = ?", w.ID).Take(&seen).Error; err != nil {
			t.Fatal(err)
		}
		if d, _ := s.GigForViewer(ctx, w.ID, seen.GigID); d.ContactPhone == "" {
			t.Fatal("a phone already seen is withheld")
		}
		// Over the day's count, a gig that took the worker on still shows its employer's phone.
		var unseen *model.Gig
		for _, g := range gigs {
			var n int64
			s.DB.Model(&model.PhoneRead{}).Where("user_id = ? AND gig_id = ?", w.ID, g.ID).Count(&n)
			if n == 0 {
				unseen = g
				break
			}
		}
		app, err := s.Apply(ctx, w.ID, unseen.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Accept(ctx, boss.ID, app.ID); err != nil {
			t.Fatal(err)
		}
		if d, _ := s.GigForViewer(ctx, w.ID, unseen.ID); d.ContactPhone == "" {
			t.Fatal("the employer who took the worker on cannot be called")
		}
	})
}

// One gig's phone opened by the same worker many times at once counts once.
func TestContactPhoneReadCountsOnce(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		boss := newEmployer(t, s, "boss", "340104")
		g := publishedGig(t, s, boss, 1, model.HireSelect)
		w := newWorker(t, s, "w", 1)
		var wg sync.WaitGroup
		for range 20 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if d, err := s.GigForViewer(ctx, w.ID, g.ID); err != nil || d.ContactPhone == "" {
					t.Errorf("phone withheld (%v) on a gig opened at once by the same worker", err)
				}
			}()
		}
		wg.Wait()
		var reads []model.PhoneRead
		if err := s.DB.Where("user_id = ?", w.ID).Find(&reads).Error; err != nil || len(reads) != 1 || *reads[0].Slot != 1 {
			t.Fatalf("the day's phone reads: %+v (%v), want one in slot 1", reads, err)
		}
	})
}

// Migration 30 meets phone reads from before slots (several of one worker) and leaves them slotless; the
// worker reads on that day as before.
func TestPhoneReadSlotsUpgrade(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		boss := newEmployer(t, s, "boss", "340104")
		w := newWorker(t, s, "w", 1)
		g := publishedGig(t, s, boss, 1, model.HireSelect)
		// The table as version 29 left it, with two reads of one worker.
		m := s.DB.Migrator()
		if err := m.DropIndex(&model.PhoneRead{}, "idx_phone_read_day_slot"); err != nil {
			t.Fatal(err)
		}
		for _, sql := range []string{"ALTER TABLE phone_reads DROP COLUMN slot", "ALTER TABLE phone_reads DROP COLUMN day",
			"DELETE FROM schema_migrations WHERE version = 30"} {
			if err := s.DB.Exec(sql).Error; err != nil {
				t.Fatalf("%s: %v", sql, err)
			}
		}
		if err := s.DB.Exec("INSERT INTO phone_reads (user_id, gig_id, created_at) VALUES (?, 901, ?), (?, 902, ?)",
			w.ID, s.Now(), w.ID, s.Now()).Error; err != nil {
			t.Fatal(err)
		}
		if applied, err := s.Migrate(ctx); err != nil || len(applied) != 1 || applied[0] != 30 {
			t.Fatalf("migration 30 over old reads: %v %v", applied, err)
		}
		if d, err := s.GigForViewer(ctx, w.ID, g.ID); err != nil || d.ContactPhone == "" {
			t.Fatalf("after the upgrade: %v", err)
		}
		var slotless int64
		s.DB.Model(&model.PhoneRead{}).Where("user_id = ? AND slot IS NULL", w.ID).Count(&slotless)
		if slotless != 2 {
			t.Fatalf("reads from before: %d slotless, want 2", slotless)
		}
	})
}
