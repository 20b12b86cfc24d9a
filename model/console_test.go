package model_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"lingong/model"
	"lingong/model/modeltest"
)

// consoleFixture is a staff member of 合肥 signed in on the phone, and a clock the test moves.
type consoleFixture struct {
	s     *model.Store
	now   time.Time
	staff *model.Login
}

func newConsoleFixture(t *testing.T, s *model.Store) *consoleFixture {
	t.Helper()
	f := &consoleFixture{s: s, now: time.Now()}
	s.Now = func() time.Time { return f.now }
	ctx := context.Background()
	admin, err := s.SignIn(ctx, model.WeChatLogin{OpenID: "o-admin", SessionKey: "k", Admin: true}, ttl)
	if err != nil {
		t.Fatal(err)
	}
	if f.staff, err = s.SignIn(ctx, model.WeChatLogin{OpenID: "o-staff", SessionKey: "k"}, ttl); err != nil {
		t.Fatal(err)
	}
	if err := s.AddStaff(ctx, admin.User.ID, f.staff.User.ID, "合肥市工作人员", "340100", nil); err != nil {
		t.Fatal(err)
	}
	return f
}

// signIn runs a whole scan sign-in and returns the console's cookie token.
func (f *consoleFixture) signIn(t *testing.T) (string, *model.ConsoleSession) {
	t.Helper()
	ctx := context.Background()
	scene, secret, err := f.s.NewConsoleTicket(ctx, "10.0.0.8", "Mozilla/5.0 Chrome/120.0")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.ConfirmConsoleTicket(ctx, scene, f.staff.User.ID, f.staff.SessionID); err != nil {
		t.Fatal(err)
	}
	token, sess, err := f.s.ClaimConsoleTicket(ctx, scene, secret)
	if err != nil {
		t.Fatal(err)
	}
	return token, sess
}

func wantEnded(t *testing.T, err error, reason string) {
	t.Helper()
	var ended *model.ConsoleEnded
	if !errors.As(err, &ended) || ended.Reason != reason {
		t.Fatalf("got %v, want the session ended (%s)", err, reason)
	}
}

// A ticket: the phone sees the browser, only staff confirm, once, within 2 minutes; only the browser that
// started it collects the session, once; only the token's hash is stored.
func TestConsoleTicket(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		f := newConsoleFixture(t, s)
		ctx := context.Background()
		scene, secret, err := s.NewConsoleTicket(ctx, "10.0.0.8", "Mozilla/5.0 (Windows NT 10.0) Chrome/120.0")
		if err != nil {
			t.Fatal(err)
		}
		if len(scene) > 32 {
			t.Fatalf("scene %q is longer than WeChat's 32 characters", scene)
		}
		worker, _ := s.SignIn(ctx, model.WeChatLogin{OpenID: "o-worker", SessionKey: "k"}, ttl)
		if _, err := s.ScannedConsoleTicket(ctx, scene, worker.User.ID); !errors.Is(err, model.ErrNotStaff) {
			t.Fatalf("a worker scanning: %v, want ErrNotStaff", err)
		}
		if _, err := s.ConfirmConsoleTicket(ctx, scene, worker.User.ID, worker.SessionID); !errors.Is(err, model.ErrNotStaff) {
			t.Fatalf("a worker confirming: %v, want ErrNotStaff", err)
		}
		seen, err := s.ScannedConsoleTicket(ctx, scene, f.staff.User.ID)
		if err != nil || seen.IP != "10.0.0.8" {
			t.Fatalf("the staff member scanning: %+v, %v", seen, err)
		}
		if _, _, err := s.ClaimConsoleTicket(ctx, scene, secret); !errors.Is(err, model.ErrTicketPending) {
			t.Fatalf("before confirmation: %v, want ErrTicketPending", err)
		}
		if _, err := s.ConfirmConsoleTicket(ctx, scene, f.staff.User.ID, f.staff.SessionID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.ConfirmConsoleTicket(ctx, scene, f.staff.User.ID, f.staff.SessionID); !errors.Is(err, model.ErrTicketUsed) {
			t.Fatalf("confirming twice: %v, want ErrTicketUsed", err)
		}
		if _, err := s.ScannedConsoleTicket(ctx, scene, f.staff.User.ID); !errors.Is(err, model.ErrTicketUsed) {
			t.Fatalf("scanning a used code: %v, want ErrTicketUsed", err)
		}
		if _, _, err := s.ClaimConsoleTicket(ctx, scene, "another-browser"); !errors.Is(err, model.ErrNotFound) {
			t.Fatalf("another browser collecting: %v, want ErrNotFound", err)
		}
		token, sess, err := s.ClaimConsoleTicket(ctx, scene, secret)
		if err != nil || sess.UserID != f.staff.User.ID || sess.IP != "10.0.0.8" {
			t.Fatalf("collecting: %+v, %v", sess, err)
		}
		if _, _, err := s.ClaimConsoleTicket(ctx, scene, secret); !errors.Is(err, model.ErrTicketUsed) {
			t.Fatalf("collecting twice: %v, want ErrTicketUsed", err)
		}
		var stored int64
		s.DB.Raw("SELECT COUNT(*) FROM console_sessions WHERE token_hash = ?", token).Scan(&stored)
		if stored != 0 {
			t.Fatal("the session token is stored as it is")
		}
		if got, err := s.ConsoleSessionOf(ctx, token); err != nil || got.ID != sess.ID {
			t.Fatalf("the cookie: %+v, %v", got, err)
		}

		// A code nobody confirmed within 2 minutes.
		late, lateSecret, _ := s.NewConsoleTicket(ctx, "10.0.0.9", "")
		f.now = f.now.Add(model.ConsoleTicketTTL)
		if _, err := s.ScannedConsoleTicket(ctx, late, f.staff.User.ID); !errors.Is(err, model.ErrTicketExpired) {
			t.Fatalf("scanning an expired code: %v, want ErrTicketExpired", err)
		}
		if _, err := s.ConfirmConsoleTicket(ctx, late, f.staff.User.ID, f.staff.SessionID); !errors.Is(err, model.ErrTicketExpired) {
			t.Fatalf("confirming an expired code: %v, want ErrTicketExpired", err)
		}
		if _, _, err := s.ClaimConsoleTicket(ctx, late, lateSecret); !errors.Is(err, model.ErrTicketExpired) {
			t.Fatalf("waiting on an expired code: %v, want ErrTicketExpired", err)
		}
		if _, err := s.ConfirmConsoleTicket(ctx, "no-such-ticket", f.staff.User.ID, f.staff.SessionID); !errors.Is(err, model.ErrNotFound) {
			t.Fatalf("an unknown code: %v, want ErrNotFound", err)
		}
	})
}

// Two phones confirming one code at once: one wins, the other hears it was used.
func TestConsoleTicketConfirmedOnce(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		f := newConsoleFixture(t, s)
		ctx := context.Background()
		scene, _, _ := s.NewConsoleTicket(ctx, "10.0.0.8", "")
		var wg sync.WaitGroup
		errs := make([]error, 8)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = s.ConfirmConsoleTicket(ctx, scene, f.staff.User.ID, f.staff.SessionID)
			}()
		}
		wg.Wait()
		ok := 0
		for _, err := range errs {
			switch {
			case err == nil:
				ok++
			case !errors.Is(err, model.ErrTicketUsed):
				t.Fatal(err)
			}
		}
		if ok != 1 {
			t.Fatalf("%d confirmations counted, want 1", ok)
		}
	})
}

// A console session ends after 8 hours, after 30 idle minutes, on 退出, when the phone's login ends or the
// phone ends it, and when the staff member is disabled.
func TestConsoleSessionEnds(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		f := newConsoleFixture(t, s)
		ctx := context.Background()
		start := f.now

		token, _ := f.signIn(t)
		for range 17 { // active every 29 minutes: alive until the 8 hours are up
			f.now = f.now.Add(29 * time.Minute)
			if f.now.Sub(start) >= model.ConsoleSessionTTL {
				break
			}
			if _, err := s.ConsoleSessionOf(ctx, token); err != nil {
				t.Fatalf("after %s: %v", f.now.Sub(start), err)
			}
		}
		_, err := s.ConsoleSessionOf(ctx, token)
		wantEnded(t, err, model.ConsoleEndExpired)

		token, _ = f.signIn(t)
		f.now = f.now.Add(model.ConsoleIdle)
		_, err = s.ConsoleSessionOf(ctx, token)
		wantEnded(t, err, model.ConsoleEndIdle)

		token, sess := f.signIn(t)
		if err := s.EndConsoleSession(ctx, sess.ID, model.ConsoleEndLogout); err != nil {
			t.Fatal(err)
		}
		_, err = s.ConsoleSessionOf(ctx, token)
		wantEnded(t, err, model.ConsoleEndLogout)

		token, _ = f.signIn(t)
		if n, err := s.EndConsoleSessionsOf(ctx, f.staff.User.ID, model.ConsoleEndPhone); err != nil || n != 1 {
			t.Fatalf("ending from the phone: %d, %v", n, err)
		}
		_, err = s.ConsoleSessionOf(ctx, token)
		wantEnded(t, err, model.ConsoleEndPhone)

		token, _ = f.signIn(t)
		if err := s.RevokeSession(ctx, f.staff.SessionID, "logout"); err != nil {
			t.Fatal(err)
		}
		_, err = s.ConsoleSessionOf(ctx, token)
		wantEnded(t, err, model.ConsoleEndPhone)

		if f.staff, err = s.SignIn(ctx, model.WeChatLogin{OpenID: "o-staff", SessionKey: "k"}, ttl); err != nil {
			t.Fatal(err)
		}
		token, _ = f.signIn(t)
		if err := s.DisableStaff(ctx, f.staff.User.ID); err != nil {
			t.Fatal(err)
		}
		_, err = s.ConsoleSessionOf(ctx, token)
		wantEnded(t, err, model.ConsoleEndStaffDisabled)

		_, err = s.ConsoleSessionOf(ctx, "made-up")
		wantEnded(t, err, model.ConsoleEndUnknown)
	})
}

// The demo sign-in takes only the demo staff and admin.
func TestDemoConsoleSession(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		ctx := context.Background()
		if err := s.SeedDemo(ctx); err != nil {
			t.Fatal(err)
		}
		for _, openID := range []string{model.DemoStaffOpenID, model.DemoAdminOpenID} {
			token, _, err := s.OpenDemoConsoleSession(ctx, openID, "127.0.0.1", "")
			if err != nil {
				t.Fatalf("%s: %v", openID, err)
			}
			if _, err := s.ConsoleSessionOf(ctx, token); err != nil {
				t.Fatal(err)
			}
		}
		if _, _, err := s.OpenDemoConsoleSession(ctx, "dev-worker", "127.0.0.1", ""); !errors.Is(err, model.ErrNotFound) {
			t.Fatalf("the demo worker: %v, want ErrNotFound", err)
		}
	})
}
