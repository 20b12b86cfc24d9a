package main

import (
	"context"
	"errors"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"lingong/model"
)

// job is a background task the server runs every so often.
type job struct {
	name  string
	every time.Duration
	// atStart runs the job once right away instead of waiting a period first.
	atStart bool
	// perInstance jobs run in every instance (keeping its own memory fresh); all others run in one
	// instance at a time, the holder of the job's lease in the database.
	perInstance bool
	run         func(ctx context.Context) error
}

func (a *app) jobs() []job {
	return []job{
		{name: "follow-changes", every: time.Second, perInstance: true, run: a.followChanges},
		{name: "reload-gig-index", every: 5 * time.Minute, perInstance: true, run: a.live.Load},
		{name: "send-subscribe-messages", every: 2 * time.Second, atStart: true, run: a.notifier.sendDue},
		{name: "reload-alert-index", every: 5 * time.Minute, perInstance: true, run: a.alerts.Load},
		{name: "match-alerts", every: time.Second, atStart: true, run: a.matchAlerts},
		{name: "send-alerts", every: 2 * time.Second, atStart: true, run: a.alertOut.sendDue},
		{name: "check-content", every: 2 * time.Second, atStart: true, run: a.checker.checkDue},
		{name: "remind-trainings", every: 15 * time.Minute, atStart: true, run: a.counted("queued training reminders",
			func(ctx context.Context) (int64, error) {
				n, err := a.store.RemindTrainings(ctx)
				return int64(n), err
			})},
		{name: "expire-gigs", every: 10 * time.Minute, atStart: true, run: a.counted("expired gigs past their last work day", a.store.ExpireGigs)},
		{name: "record-no-shows", every: 10 * time.Minute, atStart: true, run: a.counted("recorded no-shows of ended work days", a.store.RecordNoShows)},
		{name: "expire-insurance", every: 30 * time.Minute, atStart: true, run: a.counted("expired insurance policies past their last day", a.store.ExpirePolicies)},
		{name: "purge-refresh-tokens", every: time.Hour, atStart: true, run: a.counted("purged refresh tokens",
			func(ctx context.Context) (int64, error) { return a.store.PurgeRefreshTokens(ctx, 7*24*time.Hour) })},
		{name: "purge-finished", every: 6 * time.Hour, atStart: true, run: a.counted("purged finished messages and used codes", a.store.PurgeFinished)},
		{name: "purge-changes", every: time.Hour, atStart: true, run: a.counted("purged the change feed's old rows",
			func(ctx context.Context) (int64, error) { return a.store.PurgeChanges(ctx, time.Hour) })},
		{name: "purge-stale-uploads", every: time.Hour, atStart: true, run: a.counted("deleted photos nothing refers to", a.purgeStaleUploads)},
	}
}

// followChanges brings what other instances changed to this one's memory: the gig index, the alert index
// and the session cache. A second between looks keeps a logout or a disabled account within two seconds everywhere.
func (a *app) followChanges(ctx context.Context) error {
	ch, err := a.feed.Next(ctx)
	if err != nil {
		return err
	}
	a.store.ForgetSessions(ch)
	// The feed has moved past these changes: when the index cannot read them now, they wait for the next run.
	ch = a.unfollowed.Merge(ch)
	if err := errors.Join(a.live.Follow(ctx, ch), a.alerts.Follow(ctx, ch)); err != nil {
		a.unfollowed = ch
		return err
	}
	a.unfollowed = model.Changes{}
	return nil
}

// purgeStaleUploads deletes photos nothing refers to a day after they were sent: the file first, then the row,
// so that a file never outlives the record that would find it.
func (a *app) purgeStaleUploads(ctx context.Context) (int64, error) {
	stale, err := a.store.StaleUploads(ctx, time.Now().Add(-24*time.Hour), 500)
	if err != nil {
		return 0, err
	}
	ids := make([]uint64, 0, len(stale))
	for _, u := range stale {
		if err := os.Remove(filepath.Join(a.cfg.UploadDir, u.Name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return int64(len(ids)), err
		}
		ids = append(ids, u.ID)
	}
	return int64(len(ids)), a.store.DeleteUploads(ctx, ids)
}

// counted runs a job that changes rows and logs how many it changed, when any.
func (a *app) counted(what string, run func(ctx context.Context) (int64, error)) func(ctx context.Context) error {
	return func(ctx context.Context) error {
		n, err := run(ctx)
		if n > 0 {
			a.log.Info(what, slog.Int64("rows", n))
		}
		return err
	}
}

// leaseTTL is how long one run of a leased job holds its lease.
func leaseTTL(every time.Duration) time.Duration { return max(3*every, 30*time.Second) }

// leaseMargin is kept between a run's deadline and its lease's end: time for the step under way (one WeChat
// send, its timeout and a token renewal included) to finish and be recorded.
const leaseMargin = 12 * time.Second

// startJobs runs each job on its own ticker until ctx ends; the returned channel closes when every job has
// returned, so that shutdown closes the database only after the last job is done with it.
func (a *app) startJobs(ctx context.Context) <-chan struct{} {
	var wg sync.WaitGroup
	for _, j := range a.jobs() {
		wg.Add(1)
		go func() {
			defer wg.Done()
			t := time.NewTicker(j.every)
			defer t.Stop()
			first := j.atStart
			for {
				if !first {
					select {
					case <-ctx.Done():
						return
					case <-t.C:
					}
				}
				first = false
				runCtx, cancel := ctx, context.CancelFunc(func() {})
				if !j.perInstance {
					ttl := leaseTTL(j.every)
					held, err := a.store.TryLease(ctx, j.name, a.instance, ttl)
					if err != nil && ctx.Err() == nil {
						a.log.Warn("job lease", slog.String("job", j.name), slog.Any("err", err))
					}
					if !held {
						continue
					}
					// A run stops starting new work 12 s before its lease ends, so that another instance rarely
					// takes the lease over mid-run; a step under way may still finish after it (a send is held
					// by its own claim, which lasts past the lease by the longest a send takes, so it is never
					// sent twice).
					runCtx, cancel = context.WithTimeout(ctx, ttl-leaseMargin)
				}
				err := j.run(runCtx)
				outOfTime := runCtx.Err() != nil && ctx.Err() == nil
				cancel()
				switch {
				case err == nil, ctx.Err() != nil:
				case outOfTime && errors.Is(err, context.DeadlineExceeded):
					a.log.Warn("job ran out of its lease; it goes on at its next run", slog.String("job", j.name))
				default:
					a.log.Error("job failed", slog.String("job", j.name), slog.Any("err", err))
				}
			}
		}()
	}
	done := make(chan struct{})
	go func() {
		wg.Wait()
		// Hand the leases over at once instead of letting another instance wait for them to expire.
		release, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
		defer cancel()
		for _, j := range a.jobs() {
			if !j.perInstance {
				_ = a.store.ReleaseLease(release, j.name, a.instance)
			}
		}
		close(done)
	}()
	return done
}
