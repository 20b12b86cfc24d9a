// Command bench measures the hottest path of lingong, GET /api/v1/gigs (nearby gigs), on a database seeded
// with 1,000,000 gigs of which 100,000 are open, clustered around Anhui's cities the way real postings are.
//
// In one run, on one machine, it measures at the same concurrency:
//   - the real API (the live in-memory index in front of the database);
//   - a naive baseline: the same question asked of the database as a plain SQL distance scan;
//   - a ceiling: the same HTTP stack answering a fixed, pre-encoded page from memory.
//
// `make bench` runs it against a private MariaDB; -dsn points it at any MySQL/TiDB/SQLite.
package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"sync"
	"time"
	_ "time/tzdata"

	"github.com/gin-gonic/gin"
	"github.com/go-sql-driver/mysql"

	"lingong/handler"
	"lingong/handler/wechat"
	"lingong/model"
	"lingong/model/fieldcrypt"
)

func main() {
	var (
		dsn       = flag.String("dsn", "", "database: a MySQL DSN or sqlite:<path>; default: a fresh database on LINGONG_TEST_MYSQL_DSN")
		total     = flag.Int("gigs", 1_000_000, "gigs to seed")
		live      = flag.Int("live", 100_000, "of which open")
		clients   = flag.Int("clients", 32, "concurrent clients")
		duration  = flag.Duration("duration", 10*time.Second, "how long to load each target")
		naiveTime = flag.Duration("naive-duration", 10*time.Second, "how long to load the naive baseline")
		keep      = flag.Bool("keep", false, "keep the database made for the run")
		rush      = flag.Bool("rush", false, "instead: the dawn rush, a realistic mix at rising concurrency up to the knee")
		alerts    = flag.Bool("alerts", false, "instead: job alerts in a dense city (approve, find and queue; browse p99 during a burst of approvals)")
		workers   = flag.Int("workers", 200_000, "-alerts: registered workers around Hefei")
		withAlert = flag.Int("subscribed", 100_000, "-alerts: of which with alerts on")
		alertPace = flag.Float64("pace", model.AlertRowsPerSecond, "-alerts: alerts a second the matcher queues a backlog at")
	)
	flag.Parse()
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(model.GCPercent) // as the server runs
	}
	if *alerts {
		if err := jobAlerts(*dsn, *total, *live, *workers, *withAlert, *clients, *alertPace, *duration, *keep); err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(1)
		}
		return
	}
	if *rush {
		if err := dawnRush(*dsn, *total, *live, *duration, *keep); err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(1)
		}
		return
	}
	if err := run(*dsn, *total, *live, *clients, *duration, *naiveTime, *keep); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run(dsn string, total, liveCount, clients int, duration, naiveDuration time.Duration, keep bool) error {
	ctx := context.Background()
	// Slow-query warnings would flood the output while the naive scan runs; errors still show.
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	store, index, done, err := prepare(ctx, log, dsn, total, liveCount, clients+8, keep)
	if err != nil {
		return err
	}
	defer done()

	api, err := handler.New(handler.Options{Store: store, Live: index, WeChat: wechat.Dev{},
		Tokens: mustTokens(), Limiter: handler.NewMemoryLimiter(), Log: log})
	if err != nil {
		return err
	}
	apiURL, stopAPI, err := serve(api)
	if err != nil {
		return err
	}
	defer stopAPI()

	// The ceiling: a real page, encoded once, served by the same HTTP stack.
	page, err := fetch(apiURL + "/api/v1/gigs?lat=31.8206&lng=117.2272")
	if err != nil {
		return err
	}
	gin.SetMode(gin.ReleaseMode)
	ceiling := gin.New()
	ceiling.GET("/api/v1/gigs", func(c *gin.Context) { c.Data(http.StatusOK, "application/json; charset=utf-8", page) })
	ceilURL, stopCeil, err := serve(ceiling)
	if err != nil {
		return err
	}
	defer stopCeil()

	naive := gin.New()
	naive.GET("/api/v1/gigs", naiveHandler(store))
	naiveURL, stopNaive, err := serve(naive)
	if err != nil {
		return err
	}
	defer stopNaive()

	fmt.Printf("\nGET /api/v1/gigs?lat&lng (3 km, by distance, 20 a page), %d concurrent clients, points around Anhui's cities\n\n", clients)
	// The ceiling runs first: the other rows are measured against it.
	targets := []struct {
		name, url string
		d         time.Duration
	}{
		{"ceiling (fixed page from memory)", ceilURL, duration},
		{"lingong (live index)", apiURL, duration},
		{"naive SQL distance scan", naiveURL, naiveDuration},
	}
	results := map[string]result{}
	rows := make([]string, 0, len(targets))
	var ceil result
	for i, target := range targets {
		stopProfile := func() {}
		if target.url == apiURL {
			stopProfile = profile()
		}
		r := load(clients, target.d, nearby(target.url))
		stopProfile()
		if i == 0 {
			ceil = r
		}
		results[target.name] = r
		rows = append(rows, fmt.Sprintf("| %s | %.0f | %s | %s | %d | %.1f%% | %.2f× |", target.name, r.rps, r.p50, r.p99, r.errors,
			100*r.rps/ceil.rps, float64(r.p99)/float64(ceil.p99)))
	}
	fmt.Println("| target | requests/s | p50 | p99 | errors | throughput of the ceiling's | p99 over the ceiling's |")
	fmt.Println("|---|---:|---:|---:|---:|---:|---:|")
	fmt.Println(rows[1])
	fmt.Println(rows[2])
	fmt.Println(rows[0])
	api0, naive0 := results["lingong (live index)"], results["naive SQL distance scan"]
	if naive0.rps > 0 {
		fmt.Printf("\nlingong / naive: %.0f× the throughput\n", api0.rps/naive0.rps)
	}
	fmt.Printf("target: ≥ 5000 requests/s and p99 ≤ 50 ms → %s\n", verdict(api0.rps >= 5000 && api0.p99 <= 50*time.Millisecond))
	fmt.Printf("target: ≥ 50%% of the ceiling's throughput (%.1f%%) and p99 ≤ 2× the ceiling's (%.2f×) → %s\n",
		100*api0.rps/ceil.rps, float64(api0.p99)/float64(ceil.p99), verdict(api0.rps >= ceil.rps/2 && api0.p99 <= 2*ceil.p99))
	return nil
}

// cpuProfile, when set, receives a CPU profile of the server while the real API is loaded.
var cpuProfile = flag.String("cpuprofile", "", "write a CPU profile of the loaded API to this file")

func profile() (stop func()) {
	if *cpuProfile == "" {
		return func() {}
	}
	f, err := os.Create(*cpuProfile)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		return func() {}
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		fmt.Fprintln(os.Stderr, "bench:", err)
		return func() {}
	}
	return func() { pprof.StopCPUProfile(); f.Close() }
}

func verdict(ok bool) string {
	if ok {
		return "met"
	}
	return "NOT met"
}

// prepare opens the database (a fresh one when dsn is empty), seeds it unless it already holds the gigs,
// refreshes its statistics and loads the live index; done closes and, unless keep, drops what it made.
func prepare(ctx context.Context, log *slog.Logger, dsn string, total, open, conns int, keep bool) (*model.Store, *model.LiveGigs, func(), error) {
	drop := func() {}
	if dsn == "" {
		made, dropMade, err := freshMySQL()
		if err != nil {
			return nil, nil, nil, err
		}
		if !keep {
			drop = dropMade
		}
		dsn = made
	}
	crypt, err := fieldcrypt.New(bytes.Repeat([]byte{1}, 32), nil, bytes.Repeat([]byte{2}, 32))
	if err != nil {
		drop()
		return nil, nil, nil, err
	}
	store, err := model.Open(dsn, crypt, log)
	if err != nil {
		drop()
		return nil, nil, nil, err
	}
	done := func() { store.Close(); drop() }
	fail := func(err error) (*model.Store, *model.LiveGigs, func(), error) { done(); return nil, nil, nil, err }
	if _, err := store.Migrate(ctx); err != nil {
		return fail(err)
	}
	sqlDB, _ := store.DB.DB()
	sqlDB.SetMaxOpenConns(conns)
	sqlDB.SetMaxIdleConns(conns)
	t0 := time.Now()
	if err := seed(ctx, store, total, open); err != nil {
		return fail(fmt.Errorf("seed: %w", err))
	}
	if store.Dialect == "mysql" {
		// Fresh statistics, as a table that grew over months would have, rather than a plan picked mid-load.
		if err := store.DB.Exec("ANALYZE TABLE gigs, employers").Error; err != nil {
			return fail(err)
		}
	}
	fmt.Printf("seeded %d gigs (%d open) on %s in %s\n", total, open, store.Dialect, time.Since(t0).Round(time.Second))
	index := model.NewLiveGigs(store)
	store.UseLiveIndex(index)
	t0 = time.Now()
	if err := index.Load(ctx); err != nil {
		return fail(err)
	}
	fmt.Printf("loaded the live index: %d gigs in %s\n", index.Len(), time.Since(t0).Round(time.Millisecond))
	return store, index, done, nil
}

func mustTokens() *handler.Tokens {
	t, err := handler.NewTokens(handler.TokenConfig{Key: bytes.Repeat([]byte{3}, 32), Issuer: "bench", Audience: "bench", TTL: time.Hour})
	if err != nil {
		panic(err)
	}
	return t
}

// freshMySQL makes a database for the run on the server LINGONG_TEST_MYSQL_DSN names.
func freshMySQL() (string, func(), error) {
	base := os.Getenv("LINGONG_TEST_MYSQL_DSN")
	if base == "" {
		return "", nil, errors.New("no -dsn and no LINGONG_TEST_MYSQL_DSN: run `make bench`, which starts a MariaDB")
	}
	cfg, err := mysql.ParseDSN(base)
	if err != nil {
		return "", nil, err
	}
	db, err := sqlOpen(cfg.FormatDSN())
	if err != nil {
		return "", nil, err
	}
	name := fmt.Sprintf("lingong_bench_%d", time.Now().Unix())
	if _, err := db.Exec("CREATE DATABASE " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"); err != nil {
		return "", nil, err
	}
	cfg.DBName = name
	return cfg.FormatDSN(), func() { db.Exec("DROP DATABASE " + name); db.Close() }, nil
}

func serve(h http.Handler) (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	return "http://" + ln.Addr().String(), func() { srv.Close() }, nil
}

func fetch(url string) ([]byte, error) {
	resp, err := http.Get(url)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %d %s", url, resp.StatusCode, body)
	}
	var page struct {
		Items []json.RawMessage `json:"items"`
	}
	if err := json.Unmarshal(body, &page); err != nil || len(page.Items) == 0 {
		return nil, fmt.Errorf("GET %s: no gigs in %s", url, body)
	}
	return body, err
}

type result struct {
	rps      float64
	p50, p99 time.Duration
	errors   int
	byKind   map[string]result // the same figures for each kind of request in a mix
}

// requestKind names what a request of the rush asks for, so that a tail can be traced to its kind.
func requestKind(req *http.Request) string {
	switch path := req.URL.Path; {
	case req.Method == http.MethodPost:
		return "apply"
	case path == "/api/v1/gigs":
		return "browse"
	case path == "/api/v1/me":
		return "profile"
	}
	return "detail"
}

// nearby is the request of the hot path: GET /api/v1/gigs at a point near a city.
func nearby(base string) func(rng *rand.Rand) *http.Request {
	return func(rng *rand.Rand) *http.Request {
		lat, lng := pointNearCity(rng, 3000)
		req, _ := http.NewRequest(http.MethodGet, fmt.Sprintf("%s/api/v1/gigs?lat=%.5f&lng=%.5f", base, lat, lng), nil)
		return req
	}
}

// load sends the requests next makes from `clients` goroutines for d, and reports throughput and latency
// percentiles; a 5xx or a transport failure is an error. It stops by itself after d.
func load(clients int, d time.Duration, next func(rng *rand.Rand) *http.Request) result {
	transport := &http.Transport{MaxIdleConnsPerHost: clients * 2, MaxConnsPerHost: clients * 2}
	client := &http.Client{Transport: transport, Timeout: 30 * time.Second}
	defer transport.CloseIdleConnections()
	deadline := time.Now().Add(d)
	var mu sync.Mutex
	var all []time.Duration
	kinds := map[string][]time.Duration{}
	errs := 0
	var wg sync.WaitGroup
	start := time.Now()
	for i := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(i), 42))
			var mine []time.Duration
			myKinds := map[string][]time.Duration{}
			myErrs := 0
			for time.Now().Before(deadline) {
				req := next(rng)
				t := time.Now()
				resp, err := client.Do(req)
				if err == nil {
					_, err = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					// 409 (full, already applied) and 404 (a gig closed meanwhile) are answers, not failures.
					if resp.StatusCode >= 500 {
						err = fmt.Errorf("status %d", resp.StatusCode)
					}
				}
				if err != nil {
					myErrs++
					continue
				}
				took := time.Since(t)
				mine = append(mine, took)
				kind := requestKind(req)
				myKinds[kind] = append(myKinds[kind], took)
			}
			mu.Lock()
			all = append(all, mine...)
			for kind, took := range myKinds {
				kinds[kind] = append(kinds[kind], took...)
			}
			errs += myErrs
			mu.Unlock()
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	r := summarize(all, errs, elapsed)
	r.byKind = map[string]result{}
	for kind, took := range kinds {
		r.byKind[kind] = summarize(took, 0, elapsed)
	}
	return r
}

// summarize turns the latencies of a run into throughput and percentiles.
func summarize(all []time.Duration, errs int, elapsed time.Duration) result {
	slices.Sort(all)
	pct := func(p float64) time.Duration {
		if len(all) == 0 {
			return 0
		}
		return all[min(len(all)-1, int(math.Ceil(p*float64(len(all))))-1)].Round(10 * time.Microsecond)
	}
	return result{rps: float64(len(all)) / elapsed.Seconds(), p50: pct(0.50), p99: pct(0.99), errors: errs}
}

// naiveHandler asks the database the same question with a plain distance scan over the open gigs.
func naiveHandler(store *model.Store) gin.HandlerFunc {
	return func(c *gin.Context) {
		var lat, lng float64
		if _, err := fmt.Sscan(c.Query("lat")+" "+c.Query("lng"), &lat, &lng); err != nil {
			c.Status(http.StatusBadRequest)
			return
		}
		type row struct {
			ID        uint64
			Title     string
			WageCents int64
			Lat, Lng  float64
			DistanceM float64
		}
		var rows []row
		cos := math.Cos(lat * math.Pi / 180)
		dist := "SQRT(POW((lat - ?) * 111320, 2) + POW((lng - ?) * 111320 * ?, 2))"
		err := store.DB.WithContext(c.Request.Context()).Raw(
			"SELECT id, title, wage_cents, lat, lng, "+dist+" AS distance_m FROM gigs "+
				"WHERE status = ? AND end_date >= ? AND "+dist+" <= 3000 ORDER BY distance_m, id LIMIT 20",
			lat, lng, cos, model.GigPublished, time.Now().Format(time.DateOnly), lat, lng, cos).Scan(&rows).Error
		if err != nil {
			c.Status(http.StatusInternalServerError)
			return
		}
		c.JSON(http.StatusOK, gin.H{"items": rows})
	}
}

// cities are Anhui's 16 prefecture-level cities: a centre (GCJ-02), a weight for how much work is posted
// there, and a district code for the gigs.
var cities = []struct {
	lat, lng float64
	weight   int
	area     string
}{
	{31.8206, 117.2272, 30, "340104"}, {31.3529, 118.4331, 10, "340202"}, {32.9163, 117.3893, 7, "340302"},
	{32.6259, 116.9998, 6, "340403"}, {31.6705, 118.5067, 5, "340503"}, {33.9557, 116.7982, 4, "340602"},
	{30.9455, 117.8123, 3, "340705"}, {30.5430, 117.0636, 7, "340802"}, {29.7147, 118.3375, 3, "341002"},
	{32.3017, 118.3167, 6, "341102"}, {32.8900, 115.8142, 9, "341202"}, {33.6461, 116.9641, 6, "341302"},
	{31.7350, 116.5227, 6, "341502"}, {33.8446, 115.7787, 5, "341602"}, {30.6648, 117.4913, 2, "341702"},
	{30.9406, 118.7587, 3, "341802"},
}

var weightTotal = func() int {
	n := 0
	for _, c := range cities {
		n += c.weight
	}
	return n
}()

func pickCity(rng *rand.Rand) int {
	w := rng.IntN(weightTotal)
	for i, c := range cities {
		if w < c.weight {
			return i
		}
		w -= c.weight
	}
	return 0
}

// pointNearCity is a point around a city, normally spread with sigma metres.
func pointNearCity(rng *rand.Rand, sigma float64) (float64, float64) {
	c := cities[pickCity(rng)]
	return c.lat + rng.NormFloat64()*sigma/111_320, c.lng + rng.NormFloat64()*sigma/(111_320*math.Cos(c.lat*math.Pi/180))
}

var titles = []string{"小区保洁", "搬家帮工", "装修小工", "快递分拣", "仓库理货", "餐厅帮厨", "绿化养护", "工地杂工", "超市理货", "大棚采摘"}

// seed fills the database with `total` gigs, `open` of them published and running, unless it already has
// them (a kept database is reused).
func seed(ctx context.Context, s *model.Store, total, open int) error {
	var have int64
	if err := s.DB.WithContext(ctx).Model(&model.Gig{}).Count(&have).Error; err != nil {
		return err
	}
	if have >= int64(total) {
		return nil
	}
	const employers = 2000
	now := s.Now()
	emps := make([]model.Employer, employers)
	for i := range emps {
		emps[i] = model.Employer{UserID: uint64(1_000_000 + i), Kind: model.EmployerCompany,
			DisplayName: fmt.Sprintf("安徽示例劳务公司%04d", i), AreaCode: cities[i%len(cities)].area,
			Status: model.StatusVerified, RatingSum: 40 + i%10, RatingCount: 10, CreatedAt: now, UpdatedAt: now}
	}
	if err := s.DB.WithContext(ctx).CreateInBatches(emps, 500).Error; err != nil {
		return err
	}
	phone, err := s.Crypt.Encrypt("13900000000")
	if err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(7, 7))
	today := now.Format(time.DateOnly)
	const batch = 2000
	gigs := make([]model.Gig, 0, batch)
	for i := range total {
		ci := pickCity(rng)
		c := cities[ci]
		lat, lng := pointNearCity(rng, 6000)
		isOpen := i%(total/open) == 0
		start := now.AddDate(0, 0, -rng.IntN(400)-30)
		status := []string{model.GigExpired, model.GigClosed, model.GigFilled}[rng.IntN(3)]
		if isOpen {
			start = now.AddDate(0, 0, rng.IntN(5)-2)
			status = model.GigPublished
		}
		end := start.AddDate(0, 0, rng.IntN(10)+3)
		if end.Format(time.DateOnly) < today && isOpen {
			end = now
		}
		published := start
		unit, wage := model.WageDay, int64(150_00+rng.IntN(200)*100)
		if rng.IntN(5) == 0 {
			unit, wage = model.WageHour, int64(18_00+rng.IntN(20)*100)
		}
		headcount := 1 + rng.IntN(10)
		gigs = append(gigs, model.Gig{
			EmployerID: emps[rng.IntN(employers)].ID, Title: titles[rng.IntN(len(titles))], CategoryID: uint64(1 + rng.IntN(18)),
			Description: "示例数据", Headcount: headcount, Confirmed: rng.IntN(headcount), WageCents: wage, WageUnit: unit,
			Settlement: []string{model.SettleDaily, model.SettleCompletion}[rng.IntN(2)],
			StartDate:  start.Format(time.DateOnly), EndDate: end.Format(time.DateOnly), WorkHours: "08:00-17:00",
			Address: "安徽省示例地址", Lat: lat, Lng: lng, AreaCode: c.area, ContactPhoneCipher: phone,
			HiringMode: model.HireFirstCome, Status: status, Checks: model.GigChecks{Discrimination: []model.Flag{}, SecCheck: model.SecPass},
			PublishedAt: &published, CreatedAt: start, UpdatedAt: start,
		})
		if len(gigs) == batch || i == total-1 {
			if err := s.DB.WithContext(ctx).Create(&gigs).Error; err != nil {
				return err
			}
			gigs = gigs[:0]
			if (i+1)%100_000 == 0 {
				fmt.Fprintf(os.Stderr, "  seeded %d\n", i+1)
			}
		}
	}
	return nil
}

func sqlOpen(dsn string) (*sql.DB, error) { return sql.Open("mysql", dsn) }
