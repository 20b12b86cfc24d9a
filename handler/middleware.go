package handler

import (
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"regexp"
	"runtime/debug"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
)

const (
	ctxRequestID = "lingong.request_id"
	ctxLogger    = "lingong.logger"
	ctxUser      = "lingong.user"
	ctxSession   = "lingong.session"
	headerReqID  = "X-Request-Id"
)

// validRequestID accepts a caller's id only when it is short and plain, so that it is safe to log and echo.
var validRequestID = regexp.MustCompile(`^[A-Za-z0-9._-]{8,64}$`)

// withRequestID takes a sane X-Request-Id or makes one, echoes it on the response and puts it in the logs.
func withRequestID(log *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		id := c.GetHeader(headerReqID)
		if !validRequestID.MatchString(id) {
			buf := make([]byte, 12)
			_, _ = rand.Read(buf)
			id = hex.EncodeToString(buf)
		}
		c.Set(ctxRequestID, id)
		c.Set(ctxLogger, log.With(slog.String("request_id", id)))
		c.Header(headerReqID, id)
		c.Next()
	}
}

func requestID(c *gin.Context) string { return c.GetString(ctxRequestID) }

func logger(c *gin.Context) *slog.Logger {
	if l, ok := c.Get(ctxLogger); ok {
		return l.(*slog.Logger)
	}
	return slog.Default()
}

// recoverPanics turns a panic into a 500 with the request id; the stack goes to the log only.
func recoverPanics() gin.HandlerFunc {
	return gin.CustomRecoveryWithWriter(nil, func(c *gin.Context, recovered any) {
		logger(c).Error("panic", slog.Any("panic", recovered), slog.String("route", c.FullPath()),
			slog.String("stack", string(debug.Stack())))
		fail(c, errInternal)
	})
}

// accessLog writes one line a request: no query strings and no bodies, since both can hold personal data.
func accessLog() gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		logger(c).Info("request",
			slog.String("method", c.Request.Method),
			slog.String("route", c.FullPath()),
			slog.Int("status", c.Writer.Status()),
			slog.Duration("took", time.Since(start)),
			slog.String("ip", c.ClientIP()),
		)
	}
}

// limitBody caps request bodies: a body that says it is larger is refused at once, one that turns out larger
// fails while it is read; both with 413.
func limitBody(max int64, tooLarge *apiError) gin.HandlerFunc {
	return func(c *gin.Context) {
		if c.Request.ContentLength > max {
			fail(c, tooLarge)
			return
		}
		c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, max)
		c.Next()
	}
}

// httpMetrics are the Prometheus series of the HTTP API, labelled by route template, never by raw path.
type httpMetrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

func newHTTPMetrics(reg prometheus.Registerer) *httpMetrics {
	m := &httpMetrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "lingong_http_requests_total", Help: "HTTP requests by route and status.",
		}, []string{"method", "route", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "lingong_http_request_duration_seconds", Help: "HTTP request latency by route.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
		}, []string{"method", "route"}),
	}
	reg.MustRegister(m.requests, m.duration)
	return m
}

func (m *httpMetrics) middleware() gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		route := c.FullPath()
		if route == "" {
			route = "unmatched"
		}
		m.requests.WithLabelValues(c.Request.Method, route, strconv.Itoa(c.Writer.Status())).Inc()
		m.duration.WithLabelValues(c.Request.Method, route).Observe(time.Since(start).Seconds())
	}
}
