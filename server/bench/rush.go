package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"os"
	"strings"
	"time"

	"lingong/handler"
	"lingong/handler/wechat"
	"lingong/model"
)

// dawnRush replays the market's morning mix — 80% browse nearby, 10% gig detail, 5% apply, 5% other
// (the caller's profile) — from signed-in workers, at rising concurrency, and reports each step and the knee:
// the step past which throughput stops growing while latency does.
func dawnRush(dsn string, total, open int, step time.Duration, keep bool) error {
	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	store, index, done, err := prepare(ctx, log, dsn, total, open, *rushConns, keep)
	if err != nil {
		return err
	}
	defer done()
	feed, err := store.NewChangeFeed(ctx)
	if err != nil {
		return err
	}
	tokens := mustTokens()
	const workers = 1000
	bearer := make([]string, workers)
	for i := range workers {
		login, err := store.SignIn(ctx, model.WeChatLogin{OpenID: fmt.Sprintf("rush-%d", i), SessionKey: "k"}, time.Hour)
		if err != nil {
			return err
		}
		if _, err := store.SaveWorker(ctx, login.User.ID, model.WorkerInput{Name: "示例工人", IDNumber: rushID(i), SkillIDs: []uint64{1}}); err != nil {
			return err
		}
		tok, _, err := tokens.Issue(login.User.ID, login.SessionID)
		if err != nil {
			return err
		}
		bearer[i] = tok
	}
	var openIDs []uint64
	store.DB.Model(&model.Gig{}).Where("status = ?", model.GigPublished).Limit(20000).Pluck("id", &openIDs)

	api, err := handler.New(handler.Options{Store: store, Live: index, WeChat: wechat.Dev{}, Tokens: tokens,
		Limiter: handler.NewMemoryLimiter(), Log: log})
	if err != nil {
		return err
	}
	base, stop, err := serve(api)
	if err != nil {
		return err
	}
	defer stop()
	// The server keeps its index fresh as it would in production, while the load runs.
	syncCtx, stopSync := context.WithCancel(ctx)
	defer stopSync()
	go func() {
		for t := time.NewTicker(time.Second); ; {
			select {
			case <-syncCtx.Done():
				return
			case <-t.C:
				if ch, err := feed.Next(syncCtx); err == nil {
					store.ForgetSessions(ch)
					index.Follow(syncCtx, ch)
				}
			}
		}
	}()

	fmt.Printf("dawn rush on %d gigs (%d open), %d signed-in workers; mix 80%% browse, 10%% detail, 5%% apply, 5%% profile; %s a step\n\n",
		total, open, workers, step)
	// Browsing alone, signed in as in the mix, at 32 clients: what the mix is measured against. Measured before
	// the steps and again after them, and the mean taken: this virtual machine's speed drifts within a run
	// (the seed's writes are still being flushed at the start), and one side of the ratio measured at a fast
	// moment and the other at a slow one moved it by ten points.
	before := load(32, step, signedIn(nearby(base), bearer))
	steps := []int{8, 16, 32, 64, 128, 256}
	mixes := make([]result, len(steps))
	for i, clients := range steps {
		stopProfile := func() {}
		if clients == 32 {
			stopProfile = profile()
		}
		mixes[i] = load(clients, step, rushMix(base, bearer, openIDs))
		stopProfile()
	}
	after := load(32, step, signedIn(nearby(base), bearer))
	alone := (before.rps + after.rps) / 2
	fmt.Printf("browse alone (signed in), 32 clients: %.0f requests/s before the steps (p99 %s), %.0f after (p99 %s); mean %.0f\n\n",
		before.rps, before.p99, after.rps, after.p99, alone)

	fmt.Println("| clients | requests/s | p50 | p99 | errors | of browse alone |")
	fmt.Println("|---:|---:|---:|---:|---:|---:|")
	var prev, at32, at256 result
	knee, errors := 0, before.errors+after.errors
	for i, clients := range steps {
		r := mixes[i]
		fmt.Printf("| %d | %.0f | %s | %s | %d | %.0f%% |\n", clients, r.rps, r.p50, r.p99, r.errors, 100*r.rps/alone)
		if knee == 0 && prev.rps > 0 && r.rps < prev.rps*1.1 && r.p99 > prev.p99 {
			knee = clients / 2
		}
		switch clients {
		case 32:
			at32 = r
		case 256:
			at256 = r
		}
		errors += r.errors
		prev = r
	}

	fmt.Printf("\nat 256 clients, by kind:")
	for _, kind := range []string{"browse", "detail", "apply", "profile"} {
		k := at256.byKind[kind]
		fmt.Printf(" %s %.0f/s p50 %s p99 %s;", kind, k.rps, k.p50, k.p99)
	}
	fmt.Println()
	if knee > 0 {
		fmt.Printf("\nknee: about %d concurrent clients; past it throughput stays flat and only latency grows\n", knee)
	} else {
		fmt.Println("\nno knee up to 256 concurrent clients")
	}
	fmt.Printf("target: at 32 clients ≥ 50%% of browse alone (%.0f%%), p99 ≤ 50 ms at 256 clients (%s), no errors (%d) → %s\n",
		100*at32.rps/alone, at256.p99, errors,
		verdict(at32.rps >= alone/2 && at256.p99 <= 50*time.Millisecond && errors == 0))
	return nil
}

// signedIn adds a worker's bearer token to each request, as the mini-program sends it.
func signedIn(next func(rng *rand.Rand) *http.Request, bearer []string) func(rng *rand.Rand) *http.Request {
	return func(rng *rand.Rand) *http.Request {
		req := next(rng)
		req.Header.Set("Authorization", "Bearer "+bearer[rng.IntN(len(bearer))])
		return req
	}
}

// rushID is a valid made-up ID number for the i-th rush worker (i < 1000).
func rushID(i int) string {
	base := fmt.Sprintf("340104%s%03d", "19700101", i%1000)
	weights := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for k := range 17 {
		sum += int(base[k]-'0') * weights[k]
	}
	return base + string("10X98765432"[sum%11])
}

// rushMix makes the dawn's requests from signed-in workers: 80% browse, 10% detail, 5% apply, 5% profile.
func rushMix(base string, bearer []string, openIDs []uint64) func(rng *rand.Rand) *http.Request {
	browse := nearby(base)
	return func(rng *rand.Rand) *http.Request {
		gig := openIDs[rng.IntN(len(openIDs))]
		var req *http.Request
		switch p := rng.Float64(); {
		case p < 0.80:
			req = browse(rng)
		case p < 0.90:
			req, _ = http.NewRequest(http.MethodGet, fmt.Sprintf("%s/api/v1/gigs/%d", base, gig), nil)
		case p < 0.95:
			req, _ = http.NewRequest(http.MethodPost, fmt.Sprintf("%s/api/v1/gigs/%d/applications", base, gig), strings.NewReader(""))
		default:
			req, _ = http.NewRequest(http.MethodGet, base+"/api/v1/me", nil)
		}
		req.Header.Set("Authorization", "Bearer "+bearer[rng.IntN(len(bearer))])
		return req
	}
}

// rushConns is the pool of database connections the rush's API gets: the server's default unless measuring another.
var rushConns = flag.Int("db-conns", model.DefaultMaxConns, "database connections of the API under the rush (the server's LINGONG_DB_MAX_CONNS)")
