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
	run   func(ctx context.Context) error
}

func (a *app) jobs() []job {
	return []job{
		{name: "purge-refresh-tokens", every: time.Hour, run: func(ctx context.Context) error {
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
			for {
				if err := j.run(ctx); err != nil && ctx.Err() == nil {
					a.log.Error("job failed", slog.String("job", j.name), slog.Any("err", err))
				}
				select {
				case <-ctx.Done():
					return
				case <-t.C:
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
