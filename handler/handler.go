// Package handler is lingong's HTTP API: routes, middleware, request and response types, and the one place
// where errors become HTTP answers. It calls the model and defines the interfaces it needs from outside.
package handler

import (
	"context"
	"log/slog"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"lingong/handler/wechat"
	"lingong/model"
)

// WeChat is what the handlers need from WeChat's server API.
type WeChat interface {
	Code2Session(ctx context.Context, code string) (wechat.Session, error)
	PhoneNumber(ctx context.Context, code string) (wechat.Phone, error)
	MiniProgramCode(ctx context.Context, page, scene string) ([]byte, error)
}

// Options are everything the API is built from; server wires them once.
type Options struct {
	Store   *model.Store
	Live    *model.LiveGigs
	WeChat  WeChat
	Tokens  *Tokens
	Limiter Limiter
	Log     *slog.Logger
	// Registry receives the API's metrics and is served at /metrics.
	Registry *prometheus.Registry
	// AdminOpenIDs become admins when they sign in.
	AdminOpenIDs map[string]bool
	RefreshTTL   time.Duration
	// MaxBodyBytes caps JSON request bodies.
	MaxBodyBytes int64
	// LoginPerMinute is how many logins one IP may try in a minute.
	LoginPerMinute int
	// TrustedProxies are the proxies whose X-Forwarded-For names the client (nginx in front).
	TrustedProxies []string
	// ConsoleNetworks, when set, are the only networks the staff console opens from (the offices').
	ConsoleNetworks []netip.Prefix
	// UploadDir is where uploaded photos are kept.
	UploadDir string
	// Insurer receives new insurance policies; nil means staff confirm each one by hand.
	Insurer Insurer
	// Templates are the subscribe-message templates the mini-program asks the user to accept.
	Templates wechat.Templates
	// PosterFonts are the TrueType fonts gig posters are set in; missing files mean no posters.
	PosterFonts PosterFonts
	// WeChatDeadline bounds everything a request waits for from WeChat, retries included (6 s when zero): past
	// it the user hears that WeChat is unavailable rather than watching a spinner.
	WeChatDeadline time.Duration
	// SMSReplyToken is the secret Tencent Cloud's SMS reply callback carries (?token=); empty turns the route off.
	SMSReplyToken string
	// Development serves the staff console's cookies without Secure (http://localhost) and offers its demo
	// sign-in; never in production.
	Development bool
}

// API is the built HTTP API.
type API struct {
	opts   Options
	engine *gin.Engine
	routes []registeredRoute

	docOnce sync.Once
	doc     map[string]any
	codes   codeCache
}

// New builds the API.
func New(opts Options) (*API, error) {
	if opts.MaxBodyBytes == 0 {
		opts.MaxBodyBytes = 1 << 20
	}
	if opts.LoginPerMinute == 0 {
		opts.LoginPerMinute = 20
	}
	if opts.Insurer == nil {
		opts.Insurer = StaffConfirmation{}
	}
	if opts.UploadDir == "" {
		opts.UploadDir = "data/uploads"
	}
	if opts.Registry == nil {
		opts.Registry = prometheus.NewRegistry()
	}
	if opts.WeChatDeadline <= 0 {
		opts.WeChatDeadline = DefaultWeChatDeadline
	}
	gin.SetMode(gin.ReleaseMode)
	e := gin.New()
	e.HandleMethodNotAllowed = true
	e.ContextWithFallback = true
	if err := e.SetTrustedProxies(opts.TrustedProxies); err != nil {
		return nil, err
	}
	metrics := newHTTPMetrics(opts.Registry)
	e.Use(withRequestID(opts.Log), recoverPanics(), accessLog(), metrics.middleware())
	e.NoRoute(func(c *gin.Context) { fail(c, errUnknownRoute) })
	e.NoMethod(func(c *gin.Context) { fail(c, errWrongMethod) })

	a := &API{opts: opts, engine: e, codes: codeCache{codes: map[uint64][]byte{}}}
	a.routesOps()
	a.routesAuth()
	a.routesMe()
	a.routesCatalogue()
	a.routesProfiles()
	a.routesGigs()
	a.routesApplications()
	a.routesAdmin()
	a.routesTraining()
	a.routesInsurance()
	a.routesComplaints()
	a.routesInfo()
	a.routesMessages()
	a.routesStats()
	a.routesScreen()
	a.routesWindow()
	a.routesFamily()
	a.routesPoster()
	a.routesWorkCalendar()
	a.routesAttendance()
	a.routesRecord()
	a.routesAlerts()
	if err := a.routesConsole(); err != nil {
		return nil, err
	}
	a.handle(http.MethodGet, "/api/v1/openapi.json", routeDoc{Summary: "本接口文档 (OpenAPI 3)", Tag: "ops"}, a.serveOpenAPI)
	return a, nil
}

// DefaultWeChatDeadline is how long a request waits for WeChat at most: a person tapping 登录 gives up after a
// few seconds, and WeChat's own retries fit in it when it answers at all.
const DefaultWeChatDeadline = 6 * time.Second

// wechatContext is the request's context cut at the WeChat deadline, for the calls a user waits on.
func (a *API) wechatContext(c *gin.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(c.Request.Context(), a.opts.WeChatDeadline)
}

// ServeHTTP serves the API.
func (a *API) ServeHTTP(w http.ResponseWriter, r *http.Request) { a.engine.ServeHTTP(w, r) }

// Routes lists what gin serves, for the test that holds the OpenAPI document to it.
func (a *API) Routes() gin.RoutesInfo { return a.engine.Routes() }

func (a *API) routesOps() {
	a.handle(http.MethodGet, "/healthz", routeDoc{Summary: "进程存活", Tag: "ops"}, func(c *gin.Context) {
		c.JSON(http.StatusOK, gin.H{"status": "ok"})
	})
	a.handle(http.MethodGet, "/readyz", routeDoc{Summary: "数据库可用时就绪，否则 503", Tag: "ops"}, func(c *gin.Context) {
		ctx, cancel := context.WithTimeout(c.Request.Context(), 2*time.Second)
		defer cancel()
		if err := a.opts.Store.Ping(ctx); err != nil {
			logger(c).Warn("not ready", slog.Any("err", err))
			fail(c, errServiceClosed)
			return
		}
		if !a.opts.Live.Loaded() {
			fail(c, newError(http.StatusServiceUnavailable, "starting", "系统正在启动，请稍等"))
			return
		}
		// Wrong WeChat credentials leave browsing working and sign-in broken: ready, but saying so.
		if h, ok := a.opts.WeChat.(interface{ Health() error }); ok && h.Health() != nil {
			c.JSON(http.StatusOK, gin.H{"status": "degraded", "wechat": "credentials rejected: sign-in unavailable"})
			return
		}
		c.JSON(http.StatusOK, gin.H{"status": "ready"})
	})
	metrics := promhttp.HandlerFor(a.opts.Registry, promhttp.HandlerOpts{})
	a.handle(http.MethodGet, "/metrics", routeDoc{Summary: "Prometheus 指标", Tag: "ops"}, gin.WrapH(metrics))
}

// authenticated checks the bearer token and that its session and user are still live.
func (a *API) authenticated(c *gin.Context) {
	raw, ok := strings.CutPrefix(c.GetHeader("Authorization"), "Bearer ")
	if !ok || raw == "" {
		fail(c, errTokenMissing)
		return
	}
	userID, sessionID, err := a.opts.Tokens.Parse(raw)
	if err != nil {
		fail(c, err)
		return
	}
	user, err := a.opts.Store.Authenticate(c.Request.Context(), userID, sessionID)
	if err != nil {
		fail(c, err)
		return
	}
	c.Set(ctxUser, user)
	c.Set(ctxSession, sessionID)
	c.Next()
}

// currentUser is the caller of an authenticated route, as the session check found them (perhaps from the
// session cache): read its ID and OpenID; roles and phone are read afresh where they decide something.
func currentUser(c *gin.Context) *model.User { return c.MustGet(ctxUser).(*model.User) }

func currentSession(c *gin.Context) uint64 { return c.GetUint64(ctxSession) }
