package handler_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"lingong/handler"
	"lingong/handler/wechat/wechattest"
	"lingong/model"
	"lingong/model/modeltest"
)

func TestLogin(t *testing.T) {
	e := newEnv(t, modeltest.SQLite(t))
	tests := []struct {
		name   string
		body   any
		status int
		code   string
	}{
		{"good code", map[string]string{"code": "alice"}, 200, ""},
		{"bad code 40029", map[string]string{"code": "bad"}, 400, "wechat_code_invalid"},
		{"used code 40163", map[string]string{"code": "used"}, 400, "wechat_code_invalid"},
		{"too frequent 45011", map[string]string{"code": "slow-down"}, 429, "wechat_rate_limited"},
		{"busy -1 after retries", map[string]string{"code": "busy"}, 503, "wechat_unavailable"},
		{"risk control 40226", map[string]string{"code": "risky-user"}, 403, "wechat_risk_blocked"},
		{"no code", map[string]string{}, 400, "invalid_input"},
		{"unknown field", map[string]string{"code": "a", "openid": "x"}, 400, "invalid_input"},
		{"not json", "{code: 1", 400, "invalid_json"},
		{"empty body", "", 400, "invalid_json"},
		{"two objects", `{"code":"a"}{"code":"b"}`, 400, "invalid_json"},
		{"wrong type", `{"code": 12}`, 400, "invalid_input"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := e.do("POST", "/api/v1/auth/login", "", tc.body)
			if tc.status != 200 {
				wantError(t, r, tc.status, tc.code)
				return
			}
			if r.Status != 200 || r.str("access_token") == "" || r.str("refresh_token") == "" {
				t.Fatalf("login: %d %s", r.Status, r.Raw)
			}
			if strings.Contains(r.Raw, "sk-") || strings.Contains(r.Raw, "session_key") {
				t.Fatalf("session_key reached the client: %s", r.Raw)
			}
			if exp, _ := r.Body["expires_in"].(float64); exp < 3500 || exp > 3600 {
				t.Fatalf("expires_in = %v", r.Body["expires_in"])
			}
		})
	}

	t.Run("field errors name the field", func(t *testing.T) {
		r := e.do("POST", "/api/v1/auth/login", "", map[string]string{})
		fields, _ := r.Body["fields"].([]any)
		if len(fields) != 1 || fields[0].(map[string]any)["field"] != "code" {
			t.Fatalf("fields = %v", r.Body["fields"])
		}
		r = e.do("POST", "/api/v1/auth/login", "", map[string]string{"code": "a", "openid": "x"})
		fields, _ = r.Body["fields"].([]any)
		if len(fields) != 1 || fields[0].(map[string]any)["field"] != "openid" {
			t.Fatalf("fields = %v", r.Body["fields"])
		}
	})

	t.Run("body over 1 MiB", func(t *testing.T) {
		big := `{"code":"` + strings.Repeat("a", 1<<20) + `"}`
		wantError(t, e.do("POST", "/api/v1/auth/login", "", big), http.StatusRequestEntityTooLarge, "body_too_large")
	})

	t.Run("admins named by openid", func(t *testing.T) {
		r := e.do("POST", "/api/v1/auth/login", "", map[string]string{"code": "boss"})
		if roles, _ := r.Body["user"].(map[string]any)["roles"].([]any); len(roles) != 1 || roles[0] != "admin" {
			t.Fatalf("roles = %v", r.Body["user"])
		}
	})
}

func TestLoginIsRateLimitedPerIP(t *testing.T) {
	e := newEnv(t, modeltest.SQLite(t), func(o *handler.Options) { o.LoginPerMinute = 3 })
	for i := range 3 {
		if r := e.do("POST", "/api/v1/auth/login", "", map[string]string{"code": "x"}); r.Status != 200 {
			t.Fatalf("login %d: %d", i, r.Status)
		}
	}
	r := e.do("POST", "/api/v1/auth/login", "", map[string]string{"code": "x"})
	wantError(t, r, http.StatusTooManyRequests, "rate_limited")
	if r.Header.Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
	// Another address has its own budget.
	req := newJSONRequest("POST", "/api/v1/auth/login", `{"code":"y"}`)
	req.RemoteAddr = "10.1.2.3:5555"
	if got := e.serve(req); got.Status != 200 {
		t.Fatalf("other IP: %d", got.Status)
	}
}

func TestAccessTokens(t *testing.T) {
	e := newEnv(t, modeltest.SQLite(t))
	access, _ := e.login("alice")
	if r := e.do("GET", "/api/v1/me", access, nil); r.Status != 200 {
		t.Fatalf("me: %d %s", r.Status, r.Raw)
	}
	claims := func() jwt.MapClaims {
		parsed, _, err := jwt.NewParser().ParseUnverified(access, jwt.MapClaims{})
		if err != nil {
			t.Fatal(err)
		}
		return parsed.Claims.(jwt.MapClaims)
	}
	sign := func(method jwt.SigningMethod, key any, c jwt.MapClaims) string {
		s, err := jwt.NewWithClaims(method, c).SignedString(key)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	withClaim := func(k string, v any) jwt.MapClaims {
		c := claims()
		c[k] = v
		return c
	}
	noExp := claims()
	delete(noExp, "exp")

	tests := []struct {
		name  string
		token string
		code  string
	}{
		{"missing", "", "token_missing"},
		{"garbage", "not-a-jwt", "token_invalid"},
		{"other key", sign(jwt.SigningMethodHS256, []byte("another-key-of-32-bytes-or-more!!!"), claims()), "token_invalid"},
		{"alg none", sign(jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, claims()), "token_invalid"},
		{"HS512", sign(jwt.SigningMethodHS512, []byte(jwtKey), claims()), "token_invalid"},
		{"expired", sign(jwt.SigningMethodHS256, []byte(jwtKey), withClaim("exp", time.Now().Add(-time.Hour).Unix())), "token_expired"},
		{"no expiry", sign(jwt.SigningMethodHS256, []byte(jwtKey), noExp), "token_invalid"},
		{"other issuer", sign(jwt.SigningMethodHS256, []byte(jwtKey), withClaim("iss", "evil")), "token_invalid"},
		{"other audience", sign(jwt.SigningMethodHS256, []byte(jwtKey), withClaim("aud", "other-app")), "token_invalid"},
		{"other user same session", sign(jwt.SigningMethodHS256, []byte(jwtKey), withClaim("sub", "999")), "token_invalid"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			wantError(t, e.do("GET", "/api/v1/me", tc.token, nil), http.StatusUnauthorized, tc.code)
		})
	}

	t.Run("disabled user", func(t *testing.T) {
		bob, _ := e.login("bob")
		me := e.do("GET", "/api/v1/me", bob, nil)
		if err := e.store.DisableUser(context.Background(), uint64(me.Body["id"].(float64))); err != nil {
			t.Fatal(err)
		}
		wantError(t, e.do("GET", "/api/v1/me", bob, nil), http.StatusUnauthorized, "token_invalid")
		wantError(t, e.do("POST", "/api/v1/auth/login", "", map[string]string{"code": "bob"}), http.StatusForbidden, "user_disabled")
	})

	t.Run("deleted user", func(t *testing.T) {
		carol, _ := e.login("carol")
		me := e.do("GET", "/api/v1/me", carol, nil)
		if err := e.store.DB.Delete(&model.User{}, uint64(me.Body["id"].(float64))).Error; err != nil {
			t.Fatal(err)
		}
		wantError(t, e.do("GET", "/api/v1/me", carol, nil), http.StatusUnauthorized, "token_invalid")
	})
}

func TestRefreshAndLogout(t *testing.T) {
	e := newEnv(t, modeltest.SQLite(t))
	access, refresh := e.login("dave")

	r := e.do("POST", "/api/v1/auth/refresh", "", map[string]string{"refresh_token": refresh})
	if r.Status != 200 || r.str("refresh_token") == refresh {
		t.Fatalf("refresh: %d %s", r.Status, r.Raw)
	}
	newAccess, newRefresh := r.str("access_token"), r.str("refresh_token")
	if got := e.do("GET", "/api/v1/me", newAccess, nil); got.Status != 200 {
		t.Fatalf("new access token: %d", got.Status)
	}

	// The old refresh token comes back: someone copied it. The whole login ends.
	wantError(t, e.do("POST", "/api/v1/auth/refresh", "", map[string]string{"refresh_token": refresh}), 401, "token_reused")
	wantError(t, e.do("POST", "/api/v1/auth/refresh", "", map[string]string{"refresh_token": newRefresh}), 401, "token_invalid")
	wantError(t, e.do("GET", "/api/v1/me", newAccess, nil), 401, "token_invalid")
	wantError(t, e.do("GET", "/api/v1/me", access, nil), 401, "token_invalid")
	wantError(t, e.do("POST", "/api/v1/auth/refresh", "", map[string]string{}), 400, "invalid_input")

	// Logout ends the login it is called with, and no other.
	a1, r1 := e.login("erin")
	a2, _ := e.login("erin")
	if got := e.do("POST", "/api/v1/auth/logout", a1, nil); got.Status != http.StatusNoContent {
		t.Fatalf("logout: %d %s", got.Status, got.Raw)
	}
	wantError(t, e.do("GET", "/api/v1/me", a1, nil), 401, "token_invalid")
	wantError(t, e.do("POST", "/api/v1/auth/refresh", "", map[string]string{"refresh_token": r1}), 401, "token_invalid")
	if got := e.do("GET", "/api/v1/me", a2, nil); got.Status != 200 {
		t.Fatalf("the other device was logged out too: %d", got.Status)
	}
	wantError(t, e.do("POST", "/api/v1/auth/logout", "", nil), 401, "token_missing")
}

func TestMeAndPhone(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		e := newEnv(t, s)
		access, _ := e.login("fay")
		me := e.do("GET", "/api/v1/me", access, nil)
		if me.Status != 200 || me.str("phone") != "" {
			t.Fatalf("me: %s", me.Raw)
		}
		if c := me.Body["completeness"].(map[string]any); c["percent"].(float64) != 0 {
			t.Fatalf("completeness: %v", c)
		}

		r := e.do("POST", "/api/v1/me/phone", access, map[string]string{"code": "phone-code"})
		if r.Status != 200 || r.str("phone") != "138****8000" {
			t.Fatalf("bind phone: %d %s", r.Status, r.Raw)
		}
		if strings.Contains(r.Raw, "13800138000") {
			t.Fatal("the full number reached the client")
		}
		if c := r.Body["completeness"].(map[string]any); c["percent"].(float64) != 50 || c["missing"].([]any)[0] != "profile" {
			t.Fatalf("completeness after phone: %v", c)
		}

		wantError(t, e.do("POST", "/api/v1/me/phone", access, map[string]string{"code": "other-app"}), 400, "wechat_wrong_app")
		wantError(t, e.do("POST", "/api/v1/me/phone", access, map[string]string{"code": "bad"}), 400, "wechat_code_invalid")
		wantError(t, e.do("POST", "/api/v1/me/phone", access, map[string]string{}), 400, "invalid_input")
		wantError(t, e.do("POST", "/api/v1/me/phone", "", map[string]string{"code": "x"}), 401, "token_missing")

		other, _ := e.login("gus")
		wantError(t, e.do("POST", "/api/v1/me/phone", other, map[string]string{"code": "phone-code"}), 409, "phone_taken")

		// A stale access token to WeChat is renewed once, invisibly.
		e.fake.FailNext(wechattest.APIPhoneNumber, 40001)
		if r := e.do("POST", "/api/v1/me/phone", access, map[string]string{"code": "again"}); r.Status != 200 {
			t.Fatalf("after 40001: %d %s", r.Status, r.Raw)
		}
	})
}

// A WeChat that hangs: login and phone binding answer 503 wechat_unavailable by the deadline, retries included,
// and the requests to WeChat are cancelled rather than left running.
func TestHangingWeChatAnswersByTheDeadline(t *testing.T) {
	const deadline = 400 * time.Millisecond
	e := newEnv(t, modeltest.SQLite(t), func(o *handler.Options) { o.WeChatDeadline = deadline })
	token, _ := e.login("before-the-outage")
	e.fake.SlowDown(time.Hour)

	for _, tc := range []struct {
		name, path, token string
		apis              []string
	}{
		{"login", "/api/v1/auth/login", "", []string{wechattest.APICode2Session}},
		{"phone", "/api/v1/me/phone", token, []string{wechattest.APIStableToken, wechattest.APIPhoneNumber}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cancelled := func() (n int) {
				for _, api := range tc.apis {
					n += e.fake.Cancelled(api)
				}
				return n
			}
			before := cancelled()
			start := time.Now()
			r := e.do("POST", tc.path, tc.token, map[string]string{"code": "c-" + tc.name})
			took := time.Since(start)
			wantError(t, r, http.StatusServiceUnavailable, "wechat_unavailable")
			if took < deadline-50*time.Millisecond || took > deadline+300*time.Millisecond {
				t.Fatalf("answered after %v; the deadline is %v", took, deadline)
			}
			// The fake learns of the cancellation when the connection closes, a moment after the answer.
			for wait := time.Now(); cancelled() == before; time.Sleep(10 * time.Millisecond) {
				if time.Since(wait) > time.Second {
					t.Fatalf("WeChat never saw its request cancelled")
				}
			}
		})
	}
}

// A token checked once is remembered, but only until it expires; a copy with another signature is checked
// afresh.
func TestRememberedTokenStillExpires(t *testing.T) {
	now := time.Now()
	tokens, err := handler.NewTokens(handler.TokenConfig{Key: []byte(jwtKey), Issuer: "i", Audience: "a", TTL: time.Minute,
		Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	raw, _, err := tokens.Issue(7, 9)
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if user, session, err := tokens.Parse(raw); err != nil || user != 7 || session != 9 {
			t.Fatalf("a fresh token: %d %d %v", user, session, err)
		}
	}
	dot := strings.LastIndexByte(raw, '.')
	if _, _, err := tokens.Parse(raw[:dot+1] + strings.Repeat("A", len(raw)-dot-1)); err == nil {
		t.Fatal("a token with another signature passed")
	}
	now = now.Add(2 * time.Minute)
	if _, _, err := tokens.Parse(raw); err == nil {
		t.Fatal("an expired token passed because it had been checked before")
	}
}
