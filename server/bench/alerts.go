package main

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"sync"
	"time"

	"lingong/handler"
	"lingong/handler/wechat"
	"lingong/model"
)

// hefei is the dense city of the job-alert benchmark: every worker lives around it.
var hefei = cities[0]

// jobAlerts measures job alerts in a dense city: 200,000 registered workers around Hefei, 100,000 of them with
// alerts on. It reports how long approving one gig and finding and queueing its workers takes (the approval's
// transaction, then the matcher's run for that gig: index look-up and the outbox inserts), and the p99 of a
// browse load with and without a burst of 1,000 approvals being approved and matched at the same time.
func jobAlerts(dsn string, total, open, workers, subscribed, clients int, pace float64, duration time.Duration, keep bool) error {
	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	store, live, done, err := prepare(ctx, log, dsn, total, open, clients+8, keep)
	if err != nil {
		return err
	}
	defer done()
	t0 := time.Now()
	if err := seedAlertWorkers(ctx, store, workers, subscribed); err != nil {
		return fmt.Errorf("seed workers: %w", err)
	}
	fmt.Printf("seeded %d workers around Hefei, %d with alerts on, in %s\n", workers, subscribed, time.Since(t0).Round(time.Second))
	index := model.NewAlertIndex(store)
	t0 = time.Now()
	if err := index.Load(ctx); err != nil {
		return err
	}
	fmt.Printf("loaded the alert index: %d alerts in %s\n", index.Len(), time.Since(t0).Round(time.Millisecond))

	var employer model.Employer
	if err := store.DB.Where("status = ?", model.StatusVerified).Take(&employer).Error; err != nil {
		return err
	}
	staff := model.Scope{All: true, UserID: 999_999_999}
	rng := rand.New(rand.NewPCG(15, 15))

	// One approval at a time, as a reviewer works: approve, then match it as the job would.
	const singles = 100
	pending, err := pendingGigs(ctx, store, employer.ID, singles, rng)
	if err != nil {
		return err
	}
	var took, find []time.Duration
	queued := 0
	for _, id := range pending {
		start := time.Now()
		if _, err := store.DecideGig(ctx, staff, id, true, ""); err != nil {
			return err
		}
		var g model.Gig
		store.DB.Take(&g, id)
		f0 := time.Now()
		_ = index.Match(&g)
		find = append(find, time.Since(f0))
		n, err := store.MatchGig(ctx, index, id, nil) // a lone approval: not paced
		if err != nil {
			return err
		}
		took = append(took, time.Since(start))
		queued += n
	}
	slices.Sort(took)
	slices.Sort(find)
	fmt.Printf("\nApproving one gig in Hefei and queueing its alerts (%d gigs, one after another, on %s)\n\n", singles, store.Dialect)
	fmt.Println("| step | p50 | p95 | max |")
	fmt.Println("|---|---:|---:|---:|")
	fmt.Printf("| finding the workers in the index | %s | %s | %s |\n", pct(find, .5), pct(find, .95), find[len(find)-1].Round(time.Microsecond))
	fmt.Printf("| approval + finding + queueing (one outbox row per worker) | %s | %s | %s |\n", pct(took, .5), pct(took, .95), took[len(took)-1].Round(time.Microsecond))
	fmt.Printf("\nworkers told per gig: %.0f on average\n", float64(queued)/singles)
	fmt.Printf("target: approve + find + queue under 100 ms (p95) → %s\n", verdict(pct(took, .95) < 100*time.Millisecond))

	// Browsing, alone and then during a burst of 1,000 approvals matched by the job's loop.
	api, err := handler.New(handler.Options{Store: store, Live: live, WeChat: wechat.Dev{}, Tokens: mustTokens(),
		Limiter: handler.NewMemoryLimiter(), Log: log})
	if err != nil {
		return err
	}
	apiURL, stopAPI, err := serve(api)
	if err != nil {
		return err
	}
	defer stopAPI()
	const burst = 1000
	burstGigs, err := pendingGigs(ctx, store, employer.ID, burst, rng)
	if err != nil {
		return err
	}
	feed, err := store.NewChangeFeed(ctx)
	if err != nil {
		return err
	}
	quiet := load(clients, duration, nearby(apiURL))

	burstCtx, stop := context.WithCancel(ctx)
	var wg sync.WaitGroup
	var approvedIn, drainedIn time.Duration
	burstStart := time.Now()
	wg.Add(3)
	go func() { // four reviewers approving as fast as they can
		defer wg.Done()
		var inner sync.WaitGroup
		for r := range 4 {
			inner.Add(1)
			go func() {
				defer inner.Done()
				for i := r; i < burst; i += 4 {
					if _, err := store.DecideGig(ctx, staff, burstGigs[i], true, ""); err != nil {
						fmt.Fprintln(os.Stderr, "approve:", err)
					}
				}
			}()
		}
		inner.Wait()
		approvedIn = time.Since(burstStart)
	}()
	go func() { // the match-alerts job: every second, batches at its pace until none waits
		defer wg.Done()
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		left := burst
		for left > 0 {
			for {
				gigs, _, err := store.MatchApprovedGigs(burstCtx, index, 20, model.PaceAlerts(pace))
				if err != nil {
					return
				}
				left -= gigs
				if gigs < 20 {
					break
				}
			}
			if left <= 0 {
				break
			}
			select {
			case <-burstCtx.Done():
				return
			case <-tick.C:
			}
		}
		drainedIn = time.Since(burstStart)
	}()
	go func() { // the follow-changes job keeping the gig index current
		defer wg.Done()
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		for {
			select {
			case <-burstCtx.Done():
				return
			case <-tick.C:
				if ch, err := feed.Next(ctx); err == nil {
					_ = live.Follow(ctx, ch)
				}
			}
		}
	}()
	busy := load(clients, duration, nearby(apiURL))
	fmt.Printf("\nGET /api/v1/gigs near Anhui's cities, %d concurrent clients, %s each, with and without a burst of %d approvals\n\n", clients, duration, burst)
	fmt.Println("| browse load | requests/s | p50 | p99 | errors |")
	fmt.Println("|---|---:|---:|---:|---:|")
	fmt.Printf("| alone | %.0f | %s | %s | %d |\n", quiet.rps, quiet.p50, quiet.p99, quiet.errors)
	fmt.Printf("| during the burst | %.0f | %s | %s | %d |\n", busy.rps, busy.p50, busy.p99, busy.errors)
	ratio := float64(busy.p99) / float64(quiet.p99)
	fmt.Printf("target: the burst leaves the browse p99 within 1.5× (%.2f×) → %s\n", ratio, verdict(ratio <= 1.5))
	// The burst's last matches may still be going: wait for them, then stop following.
	for drainedIn == 0 && time.Since(burstStart) < 15*time.Minute {
		time.Sleep(100 * time.Millisecond)
	}
	stop()
	wg.Wait()
	fmt.Printf("\n%d approvals done in %s; all matched and queued %s after the first (a backlog is queued at %.0f alerts a second)\n",
		burst, approvedIn.Round(time.Millisecond), drainedIn.Round(time.Millisecond), pace)
	return nil
}

func pct(sorted []time.Duration, p float64) time.Duration {
	return sorted[min(len(sorted)-1, int(math.Ceil(p*float64(len(sorted))))-1)].Round(time.Microsecond)
}

// pendingGigs posts n gigs around Hefei waiting for review, of random trades, pay and hours.
func pendingGigs(ctx context.Context, s *model.Store, employerID uint64, n int, rng *rand.Rand) ([]uint64, error) {
	now := s.Now()
	today := now.Format(time.DateOnly)
	gigs := make([]model.Gig, n)
	for i := range gigs {
		lat, lng := aroundHefei(rng, 6000)
		gigs[i] = model.Gig{EmployerID: employerID, Title: titles[rng.IntN(len(titles))], CategoryID: uint64(1 + rng.IntN(18)),
			Description: "示例数据", Headcount: 3, WageCents: 200_00, WageUnit: model.WageDay,
			Settlement: []string{model.SettleDaily, model.SettleCompletion}[rng.IntN(2)], StartDate: today, EndDate: today,
			WorkHours: []string{"06:30-12:00", "08:00-17:00"}[rng.IntN(2)], Address: "合肥市示例地址", Lat: lat, Lng: lng,
			AreaCode: hefei.area, HiringMode: model.HireFirstCome, Status: model.GigPendingReview,
			Checks: model.GigChecks{Discrimination: []model.Flag{}, SecCheck: model.SecPass}, CreatedAt: now, UpdatedAt: now}
	}
	if err := s.DB.WithContext(ctx).CreateInBatches(gigs, 500).Error; err != nil {
		return nil, err
	}
	ids := make([]uint64, n)
	for i, g := range gigs {
		ids[i] = g.ID
	}
	return ids, nil
}

func aroundHefei(rng *rand.Rand, sigma float64) (float64, float64) {
	return hefei.lat + rng.NormFloat64()*sigma/111_320, hefei.lng + rng.NormFloat64()*sigma/(111_320*math.Cos(hefei.lat*math.Pi/180))
}

// seedAlertWorkers registers workers around Hefei (homes rounded to about a kilometre, as registration keeps
// them) and switches alerts on for the first `subscribed`: four in five for one or two trades, the rest for
// every trade; radii mostly 3 to 5 km (1 to 10); a third only 日结, a fifth not before 07:00.
func seedAlertWorkers(ctx context.Context, s *model.Store, workers, subscribed int) error {
	var have int64
	if err := s.DB.WithContext(ctx).Model(&model.AlertSubscription{}).Count(&have).Error; err != nil {
		return err
	}
	if have >= int64(subscribed) {
		return nil
	}
	rng := rand.New(rand.NewPCG(200, 100))
	now := s.Now()
	radii := []int{1000, 3000, 3000, 5000, 5000, 5000, 10000}
	const batch = 2000
	for from := 0; from < workers; from += batch {
		n := min(batch, workers-from)
		users := make([]model.User, n)
		for i := range users {
			users[i] = model.User{OpenID: fmt.Sprintf("bench-worker-%d", from+i), Roles: model.RoleSet(0).With(model.RoleWorker), CreatedAt: now, UpdatedAt: now}
		}
		if err := s.DB.WithContext(ctx).Create(&users).Error; err != nil {
			return err
		}
		profiles := make([]model.WorkerProfile, n)
		var subs []model.AlertSubscription
		for i, u := range users {
			lat, lng := aroundHefei(rng, 6000)
			lat, lng = math.Round(lat*100)/100, math.Round(lng*100)/100
			profiles[i] = model.WorkerProfile{UserID: u.ID, NameCipher: "-", IDNumberCipher: "-", IDNumberHash: fmt.Sprintf("bench-%d", from+i),
				BirthDate: "1968-01-01", HomeLatCoarse: lat, HomeLngCoarse: lng, AreaCode: hefei.area, DifficultyStatus: model.DifficultyNone,
				CreatedAt: now, UpdatedAt: now}
			if from+i >= subscribed {
				continue
			}
			sub := model.AlertSubscription{UserID: u.ID, CategoryIDs: []uint64{}, Place: model.AlertPlaceHome, Lat: lat, Lng: lng,
				RadiusM: radii[rng.IntN(len(radii))], DailyPay: rng.IntN(3) == 0, Enabled: true, CreatedAt: now, UpdatedAt: now}
			if rng.IntN(10) < 8 {
				for range 1 + rng.IntN(2) {
					sub.CategoryIDs = append(sub.CategoryIDs, uint64(1+rng.IntN(18)))
				}
				slices.Sort(sub.CategoryIDs)
				sub.CategoryIDs = slices.Compact(sub.CategoryIDs)
			}
			if rng.IntN(5) == 0 {
				sub.EarliestAt = "07:00"
			}
			subs = append(subs, sub)
		}
		if err := s.DB.WithContext(ctx).Create(&profiles).Error; err != nil {
			return err
		}
		if len(subs) > 0 {
			if err := s.DB.WithContext(ctx).Create(&subs).Error; err != nil {
				return err
			}
		}
	}
	return nil
}
