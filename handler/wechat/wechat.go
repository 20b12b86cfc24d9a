// Package wechat is lingong's door to WeChat's server API (code2session, phone numbers, content checks,
// subscribe messages). It drives silenceper/wechat/v2 and turns WeChat's error codes into a few errors the
// handlers can answer with, retrying what WeChat says is passing and hiding secrets from every error text.
package wechat

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
	"time"

	"github.com/silenceper/wechat/v2/cache"
	"github.com/silenceper/wechat/v2/credential"
	"github.com/silenceper/wechat/v2/miniprogram"
	"github.com/silenceper/wechat/v2/miniprogram/auth"
	"github.com/silenceper/wechat/v2/miniprogram/business"
	mpconfig "github.com/silenceper/wechat/v2/miniprogram/config"
	"github.com/silenceper/wechat/v2/miniprogram/security"
	"github.com/silenceper/wechat/v2/util"
)

// Errors callers can act on. Every error from this package wraps one of them, or is a plain failure.
var (
	// ErrBadCode: the login or phone code is wrong, expired or already used (40029, 40163, 40013…).
	ErrBadCode = errors.New("wechat: code invalid or already used")
	// ErrRateLimited: WeChat says too frequent (45011).
	ErrRateLimited = errors.New("wechat: too many requests")
	// ErrUnavailable: WeChat is busy (-1) or unreachable, even after retries.
	ErrUnavailable = errors.New("wechat: unavailable")
	// ErrWrongApp: the data WeChat returned was made for another mini-program.
	ErrWrongApp = errors.New("wechat: data belongs to another appid")
	// ErrRiskBlocked: WeChat's risk control stops this user signing in (40226).
	ErrRiskBlocked = errors.New("wechat: user blocked by risk control")
)

// DefaultAPIBase is WeChat's own API host.
const DefaultAPIBase = "https://api.weixin.qq.com"

// Session is what code2session says of a login. SessionKey must never leave the server.
type Session struct {
	OpenID     string
	UnionID    string
	SessionKey string
}

// Phone is a phone number the user allowed the mini-program to read.
type Phone struct {
	Number      string // without country code
	CountryCode string
}

// Verdict is msgSecCheck's overall suggestion for a text.
type Verdict string

const (
	VerdictPass   Verdict = "pass"
	VerdictReview Verdict = "review"
	VerdictRisky  Verdict = "risky"
)

// Config says how to reach WeChat.
type Config struct {
	AppID     string
	AppSecret string
	// APIBase replaces https://api.weixin.qq.com in every call (an egress proxy, or a fake in tests).
	APIBase string
	// Timeout bounds one HTTP request to WeChat; a caller's deadline (ctx) bounds a whole call, retries included.
	Timeout time.Duration
	// Transport for the HTTP client; nil means http.DefaultTransport.
	Transport http.RoundTripper
	// Cache holds the access token; nil means this process's memory.
	Cache cache.Cache
	// Backoff between tries of a passing failure; its length is the number of retries.
	Backoff []time.Duration
}

// Client calls WeChat for one mini-program.
type Client struct {
	mp      *miniprogram.MiniProgram
	appID   string
	backoff []time.Duration
	// timeout is one try's HTTP timeout: a retry starts only when the caller's deadline leaves room for it.
	timeout time.Duration
	cache   cache.Cache
	// rejected is set while WeChat refuses the AppID or AppSecret (40013, 40125, 41002), cleared by any call
	// that goes through: the operator's to fix, reported on /readyz.
	rejected atomic.Bool
}

// ErrCredentials: WeChat refuses the AppID or AppSecret; browsing works, signing in does not.
var ErrCredentials = errors.New("wechat: the AppID or AppSecret is rejected")

// CheckCredentials asks WeChat for an access token once (at start), so that a wrong AppID or AppSecret shows
// at once, on /readyz and in one clear log line, rather than as sign-ins failing one by one.
func (c *Client) CheckCredentials(ctx context.Context) error {
	_, err := call(ctx, c, false, func() (string, int64, error) {
		token, err := c.mp.GetContext().GetAccessTokenContext(ctx)
		return token, errCode(err), err
	})
	return err
}

// Health is ErrCredentials while WeChat refuses the credentials, nil otherwise.
func (c *Client) Health() error {
	if c.rejected.Load() {
		return ErrCredentials
	}
	return nil
}

// New builds the client once for the life of the program.
//
// silenceper keeps its HTTP client and URL rewriting in package globals, so New sets them: only one Client
// may exist in a process at a time (tests that build several do not run in parallel).
func New(cfg Config) (*Client, error) {
	if cfg.AppID == "" || cfg.AppSecret == "" {
		return nil, errors.New("wechat: AppID and AppSecret are required")
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 5 * time.Second
	}
	if cfg.Cache == nil {
		cfg.Cache = newMemoryCache()
	}
	if cfg.Backoff == nil {
		cfg.Backoff = []time.Duration{200 * time.Millisecond, 600 * time.Millisecond}
	}
	transport := cfg.Transport
	if transport == nil {
		transport = http.DefaultTransport
	}
	base := strings.TrimRight(cfg.APIBase, "/")
	if base != "" && base != DefaultAPIBase {
		// Rewritten in the transport rather than with silenceper's URI modifier, which some of its calls
		// (getwxacodeunlimit among them) skip.
		target, err := url.Parse(base)
		if err != nil || target.Host == "" {
			return nil, fmt.Errorf("wechat: API base %q is not a URL", cfg.APIBase)
		}
		transport = rewriteTransport{target: target, next: transport}
	}
	util.SetURIModifier(nil)
	util.DefaultHTTPClient = &http.Client{Timeout: cfg.Timeout, Transport: transport}
	mp := miniprogram.NewMiniProgram(&mpconfig.Config{
		AppID: cfg.AppID, AppSecret: cfg.AppSecret, Cache: cfg.Cache, UseStableAK: true,
	})
	return &Client{mp: mp, appID: cfg.AppID, backoff: cfg.Backoff, timeout: cfg.Timeout, cache: cfg.Cache}, nil
}

// Code2Session exchanges a wx.login code. A code works once: a code WeChat rejected is never retried.
func (c *Client) Code2Session(ctx context.Context, code string) (Session, error) {
	res, err := call(ctx, c, false, func() (auth.ResCode2Session, int64, error) {
		res, err := c.mp.GetAuth().Code2SessionContext(ctx, code)
		return res, res.ErrCode, err
	})
	if err != nil {
		return Session{}, err
	}
	// An answer without an openid (an empty {} from a proxy or a WeChat hiccup) signs nobody in.
	if res.OpenID == "" || res.SessionKey == "" {
		return Session{}, ErrUnavailable
	}
	return Session{OpenID: res.OpenID, UnionID: res.UnionID, SessionKey: res.SessionKey}, nil
}

// PhoneNumber exchanges a getPhoneNumber code and checks that the number was given to our mini-program.
func (c *Client) PhoneNumber(ctx context.Context, code string) (Phone, error) {
	info, err := call(ctx, c, true, func() (business.PhoneInfo, int64, error) {
		info, err := c.mp.GetBusiness().GetPhoneNumberWithContext(ctx, &business.GetPhoneNumberRequest{Code: code})
		return info, errCode(err), err
	})
	if err != nil {
		return Phone{}, err
	}
	if info.Watermark.AppID != c.appID {
		return Phone{}, ErrWrongApp
	}
	return Phone{Number: info.PurePhoneNumber, CountryCode: info.CountryCode}, nil
}

// CheckText asks msgSecCheck about a text a user wrote. WeChat answers errcode 0 with a suggestion; the
// suggestion, not the errcode, says whether the text may be shown. It tries once: nobody waits for it, and the
// content-check queue that calls it tries again later.
func (c *Client) CheckText(ctx context.Context, openID, text string) (Verdict, error) {
	res, err := callOnce(ctx, c, true, func() (security.MsgCheckResponse, int64, error) {
		res, err := c.mp.GetSecurity().MsgCheckContext(ctx, &security.MsgCheckRequest{
			OpenID: openID, Scene: security.MsgSceneMaterial, Content: text,
		})
		return res, errCode(err), err
	})
	if err != nil {
		return "", err
	}
	switch Verdict(res.Result.Suggest) {
	case VerdictPass, VerdictReview, VerdictRisky:
		return Verdict(res.Result.Suggest), nil
	}
	return VerdictReview, nil // an answer we do not know is left to a person
}

// call runs a request somebody waits for, by lingong's rules: -1 and network failures are retried with backoff,
// an invalid access token is dropped and fetched anew once, everything else is final. It answers by ctx's
// deadline: a retry starts only while the time left holds its pause and a whole try, and a try that silenceper
// cannot interrupt (waiting for its access-token lock, its calls without a context) is abandoned at the
// deadline, to end on its own at the HTTP timeout.
func call[T any](ctx context.Context, c *Client, usesToken bool, do func() (T, int64, error)) (T, error) {
	return try(ctx, c, usesToken, c.backoff, true, do)
}

// callOnce is for callers that reschedule on their own (the subscribe-message outbox, the content-check queue):
// a passing failure is not retried (a stale access token is still renewed once), and each try is waited out,
// never abandoned: a message abandoned mid-send may still arrive, and sending it again would send it twice.
func callOnce[T any](ctx context.Context, c *Client, usesToken bool, do func() (T, int64, error)) (T, error) {
	return try(ctx, c, usesToken, nil, false, do)
}

func try[T any](ctx context.Context, c *Client, usesToken bool, backoff []time.Duration, abandonable bool,
	do func() (T, int64, error)) (T, error) {
	var zero T
	tokenRenewed := false
	for attempt := 0; ; attempt++ {
		if err := ctx.Err(); err != nil {
			return zero, fmt.Errorf("%w: %w", ErrUnavailable, err)
		}
		var (
			v    T
			code int64
			err  error
		)
		if abandonable {
			v, code, err = within(ctx, do)
		} else {
			v, code, err = do()
		}
		if err == nil {
			c.rejected.Store(false)
			return v, nil
		}
		if code == 0 {
			code = errCode(err)
		}
		if code == 40013 || code == 40125 || code == 41002 {
			c.rejected.Store(true)
		}
		wrapped := classify(code, err)
		switch {
		case usesToken && !tokenRenewed && (code == 40001 || code == 42001 || code == 40014):
			if !c.roomFor(ctx, 0) {
				return zero, fmt.Errorf("%w: no time left to renew the access token: %w", ErrUnavailable, wrapped)
			}
			tokenRenewed = true
			_ = c.cache.Delete(c.tokenCacheKey())
			attempt-- // a renewed token is not a retry of a passing failure
			continue
		case errors.Is(wrapped, ErrUnavailable) && attempt < len(backoff) && c.roomFor(ctx, backoff[attempt]):
			select {
			case <-ctx.Done():
				return zero, fmt.Errorf("%w: %w", ErrUnavailable, ctx.Err())
			case <-time.After(backoff[attempt]):
			}
			continue
		}
		return zero, wrapped
	}
}

// roomFor tells whether ctx's deadline, if it has one, leaves time for a pause and then a whole try.
func (c *Client) roomFor(ctx context.Context, pause time.Duration) bool {
	deadline, ok := ctx.Deadline()
	return !ok || time.Until(deadline) >= pause+c.timeout
}

// within runs one try and returns by the end of ctx whether or not the try has; what an abandoned try brings
// later is dropped.
func within[T any](ctx context.Context, do func() (T, int64, error)) (T, int64, error) {
	if ctx.Done() == nil {
		return do()
	}
	type result struct {
		v    T
		code int64
		err  error
	}
	done := make(chan result, 1)
	go func() {
		v, code, err := do()
		done <- result{v, code, err}
	}()
	select {
	case r := <-done:
		return r.v, r.code, r.err
	case <-ctx.Done():
		var zero T
		return zero, 0, ctx.Err()
	}
}

// rewriteTransport sends every request for WeChat's API host to another base URL.
type rewriteTransport struct {
	target *url.URL
	next   http.RoundTripper
}

func (t rewriteTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL.Host == "api.weixin.qq.com" {
		req = req.Clone(req.Context())
		req.URL.Scheme, req.URL.Host = t.target.Scheme, t.target.Host
		req.URL.Path = strings.TrimRight(t.target.Path, "/") + req.URL.Path
		req.Host = t.target.Host
	}
	return t.next.RoundTrip(req)
}

// tokenCacheKey is where silenceper's stable access token lives in the cache.
func (c *Client) tokenCacheKey() string {
	return fmt.Sprintf("%s_stable_access_token_%s", credential.CacheKeyMiniProgramPrefix, c.appID)
}

// errCode reads WeChat's errcode out of silenceper's error, 0 when it has none.
func errCode(err error) int64 {
	var ce *util.CommonError
	if errors.As(err, &ce) {
		return ce.ErrCode
	}
	if m := errcodeInText.FindStringSubmatch(errText(err)); m != nil {
		var code int64
		fmt.Sscan(m[1], &code)
		return code
	}
	return 0
}

var errcodeInText = regexp.MustCompile(`errcode=(-?\d+)`)

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// classify maps a WeChat failure to this package's errors, with its text cleaned of secrets.
func classify(code int64, err error) error {
	if code == 0 {
		code = errCode(err)
	}
	clean := &Error{Code: code, text: redact(errText(err))}
	switch code {
	case 40029, 40163, 41008:
		return fmt.Errorf("%w: %w", ErrBadCode, clean)
	case 40013, 40125, 41002:
		// A wrong AppID or AppSecret is the operator's to fix; to the user the service is down.
		return fmt.Errorf("%w: %w", ErrUnavailable, clean)
	case 45011:
		return fmt.Errorf("%w: %w", ErrRateLimited, clean)
	case 40226:
		return fmt.Errorf("%w: %w", ErrRiskBlocked, clean)
	case -1:
		return fmt.Errorf("%w: %w", ErrUnavailable, clean)
	case 0:
		// No errcode: the request did not reach WeChat or its answer was not JSON.
		return fmt.Errorf("%w: %w", ErrUnavailable, clean)
	}
	return clean
}

// Error is a WeChat failure with its errcode; its text never holds a secret or an access token.
type Error struct {
	Code int64
	text string
}

func (e *Error) Error() string { return e.text }

var secretInURL = regexp.MustCompile(`((?:secret|access_token|js_code|appsecret)=)[^&\s"]+`)

// redact removes the AppSecret, access tokens and login codes that silenceper puts into its error texts
// (it formats the request URL into them).
func redact(s string) string {
	return secretInURL.ReplaceAllString(s, "${1}***")
}
