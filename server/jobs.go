package main

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// job is a background task the server runs every so often.
type job struct {
	name  string
	every time.Duration
	// atStart runs the job once right away instead of waiting a period first.
	atStart bool
	run     func(ctx context.Context) error
}

func (a *app) jobs() []job {
	return []job{
		{name: "sync-gig-index", every: time.Second, run: a.live.Sync},
		{name: "reload-gig-index", every: 5 * time.Minute, run: a.live.Load},
		{name: "expire-gigs", every: 10 * time.Minute, atStart: true, run: func(ctx context.Context) error {
			n, err := a.store.ExpireGigs(ctx)
			if n > 0 {
				a.log.Info("expired gigs past their last work day", slog.Int64("expired", n))
			}
			return err
		}},
		{name: "expire-insurance", every: 30 * time.Minute, atStart: true, run: func(ctx context.Context) error {
			n, err := a.store.ExpirePolicies(ctx)
			if n > 0 {
				a.log.Info("expired insurance policies past their last day", slog.Int64("expired", n))
			}
			return err
		}},
		{name: "purge-refresh-tokens", every: time.Hour, atStart: true, run: func(ctx context.Context) error {
			n, err := a.store.PurgeRefreshTokens(ctx, 7*24*time.Hour)
			if n > 0 {
				a.log.Info("purged refresh tokens", slog.Int64("deleted", n))
			}
			return err
		}},
	}
}

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
				if err := j.run(ctx); err != nil && ctx.Err() == nil {
					a.log.Error("job failed", slog.String("job", j.name), slog.Any("err", err))
				}
			}
		}()
	}
	done := make(chan struct{})
	go func() {
		wg.Wait()
		close(done)
	}()
	return done
}
