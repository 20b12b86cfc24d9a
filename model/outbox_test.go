package model_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	gormlogger "gorm.io/gorm/logger"
	"lingong/model"
	"lingong/model/modeltest"
)

func outbox(t *testing.T, s *model.Store, userID uint64) []model.OutboxMessage {
	t.Helper()
	var out []model.OutboxMessage
	if err := s.DB.Where("user_id = ?", userID).Order("id").Find(&out).Error; err != nil {
		t.Fatal(err)
	}
	return out
}

// A message is written with the change that causes it, and only then.
func TestMessagesTravelWithTheirChange(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		emp := newEmployer(t, s, "boss", "340104")
		if msgs := outbox(t, s, emp.ID); len(msgs) != 1 || msgs[0].TemplateKey != model.MsgReviewResult {
			t.Fatalf("the employer's review result: %+v", msgs)
		}
		g := publishedGig(t, s, emp, 1, model.HireSelect)
		w1, w2 := newWorker(t, s, "w1", 1), newWorker(t, s, "w2", 2)
		a1, _ := s.Apply(ctx, w1.ID, g.ID)
		a2, _ := s.Apply(ctx, w2.ID, g.ID)
		if _, err := s.Accept(ctx, emp.ID, a1.ID); err != nil {
			t.Fatal(err)
		}
		if msgs := outbox(t, s, w1.ID); len(msgs) != 1 || msgs[0].Fields()["result"] != "已录用" {
			t.Fatalf("accepted worker: %+v", msgs)
		}
		// The gig is full: accepting the second fails, and no message tells of an acceptance that did not happen.
		if _, err := s.Accept(ctx, emp.ID, a2.ID); !errors.Is(err, model.ErrGigFull) {
			t.Fatalf("second accept: %v", err)
		}
		if msgs := outbox(t, s, w2.ID); len(msgs) != 0 {
			t.Fatalf("a message for a rolled-back change: %+v", msgs)
		}
		if _, err := s.CloseGig(ctx, emp.ID, g.ID); err != nil {
			t.Fatal(err)
		}
		for _, w := range []uint64{w1.ID, w2.ID} {
			msgs := outbox(t, s, w)
			if last := msgs[len(msgs)-1]; last.TemplateKey != model.MsgGigCancelled {
				t.Fatalf("worker %d not told of the cancelled gig: %+v", w, msgs)
			}
		}
	})
}

func TestTrainingRemindersOnce(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		tr := course(t, s, 5, s.Now().Add(12*time.Hour))
		// Move the first session to tomorrow.
		s.DB.Model(&model.TrainingSession{}).Where("id = ?", tr.Sessions[0].ID).Update("date", s.Now().AddDate(0, 0, 1).Format("2006-01-02"))
		w := newWorker(t, s, "w", 1)
		if _, err := s.Enroll(ctx, w.ID, tr.ID, tr.Sessions[0].ID); err != nil {
			t.Fatal(err)
		}
		for range 2 {
			if _, err := s.RemindTrainings(ctx); err != nil {
				t.Fatal(err)
			}
		}
		if msgs := outbox(t, s, w.ID); len(msgs) != 1 || msgs[0].TemplateKey != model.MsgTrainingReminder {
			t.Fatalf("reminders: %+v", msgs)
		}
	})
}

// Ten instances want one job's lease at once: one gets it; it expires and another takes over.
func TestJobLeaseHasOneHolder(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		var held atomic.Int32
		var wg sync.WaitGroup
		for i := range 10 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				ok, err := s.TryLease(ctx, "expire-gigs", string(rune('a'+i)), time.Minute)
				if err != nil {
					t.Error(err)
				}
				if ok {
					held.Add(1)
				}
			}()
		}
		wg.Wait()
		if held.Load() != 1 {
			t.Fatalf("%d holders", held.Load())
		}
		var l model.JobLease
		s.DB.Take(&l, "name = ?", "expire-gigs")
		if ok, _ := s.TryLease(ctx, "expire-gigs", l.Holder, time.Minute); !ok {
			t.Fatal("the holder cannot renew")
		}
		// Losing the race is normal: no failed statement for the log to report as an error.
		failed := &failedStatements{}
		quiet := s.DB.Logger
		s.DB.Logger = failed
		ok, err := s.TryLease(ctx, "expire-gigs", "someone-else", time.Minute)
		s.DB.Logger = quiet
		if ok || err != nil || len(failed.sql) > 0 {
			t.Fatalf("a second holder while the lease runs: %v %v, failed statements %v", ok, err, failed.sql)
		}
		if err := s.ReleaseLease(ctx, "expire-gigs", l.Holder); err != nil {
			t.Fatal(err)
		}
		if ok, _ := s.TryLease(ctx, "expire-gigs", "someone-else", time.Minute); !ok {
			t.Fatal("a released lease was not taken over")
		}
	})
}

// failedStatements is a GORM logger that keeps the statements that failed (what the server would log as ERROR).
type failedStatements struct{ sql []string }

func (f *failedStatements) LogMode(gormlogger.LogLevel) gormlogger.Interface { return f }
func (f *failedStatements) Info(context.Context, string, ...any)             {}
func (f *failedStatements) Warn(context.Context, string, ...any)             {}
func (f *failedStatements) Error(context.Context, string, ...any)            {}
func (f *failedStatements) Trace(_ context.Context, _ time.Time, fc func() (string, int64), err error) {
	if err != nil {
		sql, _ := fc()
		f.sql = append(f.sql, sql)
	}
}
