package handler

import (
	"context"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/redis/go-redis/v9"
)

// Limiter counts events per key in fixed windows and says whether one more is allowed.
type Limiter interface {
	Allow(ctx context.Context, key string, limit int, window time.Duration) (bool, error)
}

// MemoryLimiter counts in this process; right for one instance.
type MemoryLimiter struct {
	mu      sync.Mutex
	windows map[string]*memWindow
	now     func() time.Time
}

type memWindow struct {
	start time.Time
	count int
}

// NewMemoryLimiter makes an empty in-process limiter.
func NewMemoryLimiter() *MemoryLimiter {
	return &MemoryLimiter{windows: map[string]*memWindow{}, now: time.Now}
}

// Allow counts one event for key.
func (m *MemoryLimiter) Allow(_ context.Context, key string, limit int, window time.Duration) (bool, error) {
	now := m.now()
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.windows) > 100_000 { // forget finished windows before the map grows without bound
		for k, w := range m.windows {
			if now.Sub(w.start) >= window {
				delete(m.windows, k)
			}
		}
	}
	w, ok := m.windows[key]
	if !ok || now.Sub(w.start) >= window {
		w = &memWindow{start: now}
		m.windows[key] = w
	}
	w.count++
	return w.count <= limit, nil
}

// RedisLimiter counts in Redis, so that all instances share one budget per key.
type RedisLimiter struct {
	Client *redis.Client
	Prefix string
	now    func() time.Time
}

// Allow counts one event for key in the current window.
func (r RedisLimiter) Allow(ctx context.Context, key string, limit int, window time.Duration) (bool, error) {
	now := time.Now
	if r.now != nil {
		now = r.now
	}
	slot := now().UnixNano() / int64(window)
	k := r.Prefix + "rl:" + key + ":" + strconv.FormatInt(slot, 10)
	pipe := r.Client.TxPipeline()
	incr := pipe.Incr(ctx, k)
	pipe.Expire(ctx, k, window+time.Second)
	if _, err := pipe.Exec(ctx); err != nil {
		return true, err
	}
	return incr.Val() <= int64(limit), nil
}

// Tries at a secret code (a family invite, a walk-in's binding code): enough for a person who mistypes, far too
// few to guess. Per account and per address, since either alone is easy to change; shared through Redis when
// it is configured.
const (
	codeTriesPerUser = 10
	codeTriesPerIP   = 60 // a market's WiFi puts many honest people behind one address
	codeTryWindow    = 10 * time.Minute
)

// codeGuessLimits are the middlewares for a route that checks a secret code; they run after authentication.
func (a *API) codeGuessLimits(name string) []gin.HandlerFunc {
	return []gin.HandlerFunc{
		rateLimit(a.opts.Limiter, name+":ip", codeTriesPerIP, codeTryWindow, func(c *gin.Context) string { return c.ClientIP() }),
		rateLimit(a.opts.Limiter, name+":user", codeTriesPerUser, codeTryWindow, func(c *gin.Context) string {
			return strconv.FormatUint(currentUser(c).ID, 10)
		}),
	}
}

// rateLimit allows limit requests per window for each key that keyOf gives. When the limiter's store fails
// the request goes through: a broken Redis must not lock everybody out of signing in.
func rateLimit(l Limiter, name string, limit int, window time.Duration, keyOf func(*gin.Context) string) gin.HandlerFunc {
	return func(c *gin.Context) {
		ok, err := l.Allow(c.Request.Context(), name+":"+keyOf(c), limit, window)
		if err != nil {
			logger(c).Warn("rate limiter unavailable; allowing", slog.String("limit", name), slog.Any("err", err))
		}
		if !ok {
			fail(c, errRateLimited)
			return
		}
		c.Next()
	}
}
