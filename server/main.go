// Command server runs lingong: the HTTP API of the public gig-work market, its background jobs, and its
// schema migrations. All configuration comes from environment variables (README lists them).
//
//	server              migrate, then serve until SIGINT/SIGTERM
//	server migrate      migrate and exit (for a one-off deploy job)
//	server reencrypt    seal every value still under an old LINGONG_DATA_OLD_KEYS key with the current key
//	server healthcheck  exit 0 when this container's server answers /healthz (images without curl)
//	server sleep 5s     wait, then exit (a preStop hook in images without a shell)
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"
	"time"
	_ "time/tzdata" // Asia/Shanghai must load even on an image without zoneinfo

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/redis/go-redis/v9"

	"lingong/handler"
	"lingong/handler/wechat"
	"lingong/model"
	"lingong/model/fieldcrypt"
	"lingong/server/tencentsms"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(model.GCPercent)
	}
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "lingong:", err)
		os.Exit(1)
	}
}

// run is the whole program, with its inputs passed in so that tests can run it.
func run(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	if len(args) > 0 {
		switch args[0] {
		case "healthcheck":
			return healthcheck(ctx, getenv("LINGONG_ADDR"))
		case "sleep":
			d, err := time.ParseDuration(strings.Join(args[1:], ""))
			if err != nil {
				return fmt.Errorf("sleep: %w", err)
			}
			time.Sleep(d)
			return nil
		}
	}
	cfg, err := loadConfig(getenv)
	if err != nil {
		return err
	}
	log := newLogger(cfg, stdout)

	a, err := build(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer a.close()

	if len(args) > 0 {
		switch args[0] {
		case "migrate":
			return nil // build already migrated
		case "reencrypt":
			n, err := a.store.Reencrypt(ctx, func(table string, done int) {
				log.Info("re-encrypted", slog.String("table", table), slog.Int("values", done))
			})
			log.Info("re-encryption finished", slog.Int("values", n))
			return err
		default:
			return fmt.Errorf("unknown command %q (commands: migrate, reencrypt, healthcheck, sleep)", args[0])
		}
	}

	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	return a.serve(ctx, ln)
}

func newLogger(cfg Config, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: slog.LevelInfo}
	if cfg.LogFormat == "text" {
		return slog.New(slog.NewTextHandler(w, opts))
	}
	return slog.New(slog.NewJSONHandler(w, opts))
}

// app is the wired program.
type app struct {
	cfg   Config
	log   *slog.Logger
	store *model.Store
	live  *model.LiveGigs
	// alerts is this instance's index of job alerts switched on.
	alerts *model.AlertIndex
	feed   *model.ChangeFeed
	api    *handler.API
	redis  *redis.Client
	// unfollowed holds changes the index failed to read, for the next run (only that job touches it).
	unfollowed model.Changes

	notifier *notifier
	alertOut *alertSender
	checker  *contentChecker
	// instance names this process in job leases.
	instance string
}

// build wires every part once: keys, database (migrated), WeChat, Redis, the API.
func build(ctx context.Context, cfg Config, log *slog.Logger) (*app, error) {
	log.Info("starting lingong", slog.Any("config", cfg))
	if len(cfg.ConsoleNetworks) > 0 && len(cfg.TrustedProxies) == 0 {
		log.Warn("LINGONG_CONSOLE_NETWORKS is set but LINGONG_TRUSTED_PROXIES is not: behind nginx every request " +
			"comes from nginx's address, so the office check sees that instead of the PC's; name the proxy in LINGONG_TRUSTED_PROXIES")
	}

	crypt, err := keyring(cfg)
	if err != nil {
		return nil, err
	}
	store, err := model.Open(string(cfg.DBDSN), crypt, log)
	if err == nil {
		store.SetMaxConns(cfg.DBMaxConns)
	}
	if err != nil {
		return nil, err
	}
	a := &app{cfg: cfg, log: log, store: store, instance: instanceName()}
	applied, err := store.Migrate(ctx)
	if err != nil {
		a.close()
		return nil, err
	}
	log.Info("database ready", slog.String("dialect", store.Dialect), slog.String("dsn", redactDSN(string(cfg.DBDSN))),
		slog.Any("migrations_applied", applied), slog.Int("schema_version", model.SchemaVersion()))

	if cfg.DemoData {
		if err := store.SeedDemo(ctx); err != nil {
			a.close()
			return nil, fmt.Errorf("demo data: %w", err)
		}
	}

	var limiter handler.Limiter = handler.NewMemoryLimiter()
	var tokenCache wechat.RedisCache
	if cfg.RedisAddr != "" {
		a.redis = redis.NewClient(&redis.Options{Addr: cfg.RedisAddr, Password: string(cfg.RedisPassword), DB: cfg.RedisDB})
		if err := a.redis.Ping(ctx).Err(); err != nil {
			a.close()
			return nil, fmt.Errorf("redis at %s: %w", cfg.RedisAddr, err)
		}
		limiter = handler.RedisLimiter{Client: a.redis, Prefix: "lingong:"}
		tokenCache = wechat.RedisCache{Client: a.redis, Prefix: "lingong:"}
		log.Info("redis holds the WeChat access token and rate limits", slog.String("addr", cfg.RedisAddr))
	}

	var wc interface {
		handler.WeChat
		subscribeSender
		textChecker
	}
	templates := cfg.Templates
	if cfg.DevWeChat() {
		wc = wechat.Dev{}
		log.Warn("DEV WECHAT: no LINGONG_WECHAT_APPID, so login code X signs in as openid dev-X. Never use this with real people's data.")
		if templates == nil {
			templates = devTemplates()
		}
	} else {
		wcfg := wechat.Config{AppID: cfg.WeChatAppID, AppSecret: string(cfg.WeChatSecret),
			APIBase: cfg.WeChatAPIBase, Timeout: cfg.WeChatTimeout}
		if a.redis != nil {
			wcfg.Cache = tokenCache
		}
		client, err := wechat.New(wcfg)
		if err != nil {
			a.close()
			return nil, err
		}
		wc = client
		log.Info("wechat", slog.String("appid", cfg.WeChatAppID), slog.String("api_base", cfg.WeChatAPIBase))
		// One token request now: wrong credentials show at start, not as every sign-in failing.
		checkCtx, cancel := context.WithTimeout(ctx, cfg.WeChatDeadline)
		if err := client.CheckCredentials(checkCtx); err != nil && client.Health() != nil {
			log.Error("WECHAT REJECTS THE APPID OR APPSECRET: sign-in and messages will fail until LINGONG_WECHAT_APPID "+
				"and LINGONG_WECHAT_SECRET are fixed; browsing still works", slog.String("appid", cfg.WeChatAppID), slog.Any("err", err))
		} else if err != nil {
			log.Warn("could not reach WeChat at start; it will be tried again on use", slog.Any("err", err))
		}
		cancel()
		if len(templates) == 0 {
			log.Warn("no LINGONG_SUBSCRIBE_TEMPLATES: subscribe messages will be recorded as failed until templates are configured")
		}
	}
	a.notifier = &notifier{store: store, wechat: wc, templates: templates, log: log}
	a.checker = &contentChecker{store: store, wechat: wc, log: log}
	a.alertOut = &alertSender{store: store, wechat: wc, templates: templates, log: log}
	switch cfg.SMSMode() {
	case "tencent":
		sms, err := tencentsms.New(tencentsms.Config{SecretID: cfg.SMSSecretID, SecretKey: string(cfg.SMSSecretKey),
			SDKAppID: cfg.SMSSDKAppID, SignName: cfg.SMSSignName, TemplateID: cfg.SMSTemplateID, Region: cfg.SMSRegion,
			Endpoint: cfg.SMSEndpoint})
		if err != nil {
			a.close()
			return nil, err
		}
		a.alertOut.sms = sms
		log.Info("job alert SMS through Tencent Cloud", slog.String("sdk_app_id", cfg.SMSSDKAppID), slog.String("region", cfg.SMSRegion))
		if cfg.SMSReplyToken == "" {
			log.Warn("no LINGONG_SMS_REPLY_TOKEN: 退订 replies are not received; workers can still switch SMS off in the app")
		}
	case "dev":
		a.alertOut.sms = devSMS{log: log}
		log.Warn("DEV SMS: job alert SMS are logged with a masked number, not sent")
	default:
		log.Warn("ALERT SMS OFF: no LINGONG_SMS_* configuration, so job alerts reach only workers who accepted the WeChat message")
	}

	tokens, err := handler.NewTokens(handler.TokenConfig{
		Key: []byte(cfg.JWTKey), Issuer: "lingong", Audience: "lingong-miniprogram", TTL: cfg.AccessTTL,
	})
	if err != nil {
		a.close()
		return nil, err
	}
	posterFonts := handler.DefaultPosterFonts
	if cfg.PosterFont != "" {
		posterFonts.CJK = cfg.PosterFont
	}
	if cfg.PosterLatinFont != "" {
		posterFonts.Latin = cfg.PosterLatinFont
	}
	if !posterFonts.Available() {
		log.Warn("poster fonts missing (LINGONG_POSTER_FONT / LINGONG_POSTER_LATIN_FONT, or apt-get install fonts-droid-fallback fonts-dejavu-core): gig posters are off")
	}
	registry := prometheus.NewRegistry()
	registry.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	admins := map[string]bool{}
	for _, id := range cfg.AdminOpenIDs {
		admins[id] = true
	}
	// The feed starts before the load, so that what changes while the index loads is followed after it.
	if a.feed, err = store.NewChangeFeed(ctx); err != nil {
		a.close()
		return nil, fmt.Errorf("following changes: %w", err)
	}
	a.live = model.NewLiveGigs(store)
	store.UseLiveIndex(a.live)
	if err := a.live.Load(ctx); err != nil {
		a.close()
		return nil, fmt.Errorf("loading open gigs: %w", err)
	}
	log.Info("gig index loaded", slog.Int("open_gigs", a.live.Len()))
	a.alerts = model.NewAlertIndex(store)
	if err := a.alerts.Load(ctx); err != nil {
		a.close()
		return nil, fmt.Errorf("loading job alerts: %w", err)
	}
	log.Info("job alert index loaded", slog.Int("alerts_on", a.alerts.Len()))
	a.api, err = handler.New(handler.Options{
		Store: store, Live: a.live, WeChat: wc, Tokens: tokens, Limiter: limiter, Log: log, Registry: registry,
		AdminOpenIDs: admins, RefreshTTL: cfg.RefreshTTL, LoginPerMinute: cfg.LoginPerMinute,
		TrustedProxies: cfg.TrustedProxies, ConsoleNetworks: consoleNetworks(cfg.ConsoleNetworks), UploadDir: cfg.UploadDir, Templates: templates, PosterFonts: posterFonts,
		WeChatDeadline: cfg.WeChatDeadline, Development: cfg.Env == "development", SMSReplyToken: string(cfg.SMSReplyToken),
	})
	if err != nil {
		a.close()
		return nil, err
	}
	return a, nil
}

func keyring(cfg Config) (*fieldcrypt.Keyring, error) {
	current, err := decodeKey(string(cfg.DataKey))
	if err != nil {
		return nil, fmt.Errorf("LINGONG_DATA_KEY: %w", err)
	}
	lookup, err := decodeKey(string(cfg.LookupKey))
	if err != nil {
		return nil, fmt.Errorf("LINGONG_LOOKUP_KEY: %w", err)
	}
	var old [][]byte
	for _, s := range strings.Split(string(cfg.DataOldKeys), ",") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		k, err := decodeKey(s)
		if err != nil {
			return nil, fmt.Errorf("LINGONG_DATA_OLD_KEYS: %w", err)
		}
		old = append(old, k)
	}
	return fieldcrypt.New(current, old, lookup)
}

// serve answers HTTP on ln until ctx ends, then shuts down gracefully: it stops accepting, lets requests in
// flight finish (up to the shutdown timeout), and only then returns so that the database closes last.
func (a *app) serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           a.api,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(a.log.Handler(), slog.LevelWarn),
	}
	a.log.Info("listening", slog.String("addr", ln.Addr().String()),
		slog.String("database", a.store.Dialect), slog.Bool("dev_wechat", a.cfg.DevWeChat()))

	jobsCtx, stopJobs := context.WithCancel(context.WithoutCancel(ctx))
	jobsDone := a.startJobs(jobsCtx)

	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	var serveErr error
	select {
	case serveErr = <-served:
	case <-ctx.Done():
		a.log.Info("shutting down: finishing requests in flight")
		shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), a.cfg.ShutdownTimeout)
		defer cancel()
		serveErr = srv.Shutdown(shutdownCtx)
		if serveErr == nil {
			serveErr = <-served
		}
	}
	stopJobs()
	<-jobsDone
	if errors.Is(serveErr, http.ErrServerClosed) {
		serveErr = nil
	}
	a.log.Info("stopped")
	return serveErr
}

func (a *app) close() {
	if a.redis != nil {
		a.redis.Close()
	}
	if err := a.store.Close(); err != nil {
		a.log.Warn("closing database", slog.Any("err", err))
	}
}

// instanceName is this process in job leases: the host name and a random suffix, so that a restarted
// process does not think it still holds its predecessor's leases.
func instanceName() string {
	host, _ := os.Hostname()
	buf := make([]byte, 4)
	_, _ = rand.Read(buf)
	return host + "-" + hex.EncodeToString(buf)
}

// healthcheck asks the server on addr (":8080" means this host) for /healthz.
func healthcheck(ctx context.Context, addr string) error {
	if addr == "" {
		addr = ":8080"
	}
	if strings.HasPrefix(addr, ":") {
		addr = "127.0.0.1" + addr
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+addr+"/healthz", nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("healthz answered %d", resp.StatusCode)
	}
	return nil
}

// consoleNetworks parses the networks the console may be opened from; the configuration check already
// refused a malformed one.
func consoleNetworks(list []string) []netip.Prefix {
	var nets []netip.Prefix
	for _, n := range list {
		if p, err := netip.ParsePrefix(n); err == nil {
			nets = append(nets, p)
		}
	}
	return nets
}
