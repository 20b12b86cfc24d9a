package deploy_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"lingong/handler/wechat/wechattest"
	"lingong/model"
	"lingong/model/modeltest"
)

// Two server processes on one MariaDB: a signed-in request checks its session without reading the database
// (the session cache), yet a logout on one instance, or an account disabled anywhere, ends the login on the
// other within two seconds (the change feed each instance follows every second).
func TestLogoutReachesEveryInstance(t *testing.T) {
	dsn := modeltest.MySQLDSN(t)
	if dsn == "" {
		modeltest.MySQL(t) // skips with the notice, or fails when MySQL is required
	}
	fake := wechattest.Start(t, "wx0000000000000000", "deploy-test-secret")
	secondTap := newSQLTap(t, dsn)
	first := start(t, prodEnv(t, fake.URL, dsn))
	second := start(t, prodEnv(t, fake.URL, secondTap.dsn))

	call := func(p *process, method, path, token, body string) int {
		t.Helper()
		req, _ := http.NewRequest(method, "http://"+p.addr+path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	login := func(code string) string {
		t.Helper()
		resp, err := http.Post("http://"+first.addr+"/api/v1/auth/login", "application/json", strings.NewReader(`{"code":"`+code+`"}`))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out struct {
			AccessToken string `json:"access_token"`
			User        struct {
				ID uint64 `json:"id"`
			} `json:"user"`
		}
		if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || out.AccessToken == "" {
			t.Fatalf("login %s: %d %v", code, resp.StatusCode, err)
		}
		return out.AccessToken
	}
	const route = "/api/v1/me/applications"
	// endsWithin polls the second instance until the login is refused, and says how long that took.
	endsWithin := func(token string, since time.Time) time.Duration {
		t.Helper()
		for time.Since(since) < 10*time.Second {
			if call(second, "GET", route, token, "") == http.StatusUnauthorized {
				return time.Since(since)
			}
			time.Sleep(50 * time.Millisecond)
		}
		t.Fatalf("the second instance still accepts the login after 10 s\n%s", second.logs.String())
		return 0
	}

	alice := login("alice")
	if code := call(second, "GET", route, alice, ""); code != http.StatusOK {
		t.Fatalf("the second instance refuses a fresh login: %d", code)
	}
	sessionChecks := func() int { return secondTap.runs("revoked_at IS NULL") }
	before := sessionChecks()
	for range 20 {
		if code := call(second, "GET", route, alice, ""); code != http.StatusOK {
			t.Fatalf("signed-in request: %d", code)
		}
	}
	if n := sessionChecks() - before; n != 0 {
		t.Fatalf("20 signed-in requests read the session from the database %d times", n)
	}

	loggedOut := time.Now()
	if code := call(first, "POST", "/api/v1/auth/logout", alice, ""); code != http.StatusNoContent {
		t.Fatalf("logout: %d", code)
	}
	if took := endsWithin(alice, loggedOut); took > 2*time.Second {
		t.Fatalf("a logout on the first instance took %s to reach the second", took)
	}

	// An account disabled by a third party (staff, on whichever instance) ends the same way.
	bob := login("bob")
	if code := call(second, "GET", route, bob, ""); code != http.StatusOK {
		t.Fatalf("bob on the second instance: %d", code)
	}
	store := testStore(t, dsn)
	var bobID uint64
	if err := store.DB.Model(&model.User{}).Where("open_id = ?", "o-bob").Pluck("id", &bobID).Error; err != nil || bobID == 0 {
		t.Fatalf("bob's id: %v", err)
	}
	disabled := time.Now()
	if err := store.DisableUser(context.Background(), bobID); err != nil {
		t.Fatal(err)
	}
	if took := endsWithin(bob, disabled); took > 2*time.Second {
		t.Fatalf("a disabled account took %s to be refused by the second instance", took)
	}
}
