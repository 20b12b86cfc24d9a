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

const ttl = time.Hour

func TestSignInCreatesOnceAndKeepsSessionKeySealed(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		ctx := context.Background()
		first, err := s.SignIn(ctx, model.WeChatLogin{OpenID: "o-1", SessionKey: "sk-secret"}, ttl)
		if err != nil {
			t.Fatal(err)
		}
		again, err := s.SignIn(ctx, model.WeChatLogin{OpenID: "o-1", SessionKey: "sk-2", Admin: true}, ttl)
		if err != nil {
			t.Fatal(err)
		}
		if first.User.ID != again.User.ID {
			t.Fatalf("same openid made two users: %d, %d", first.User.ID, again.User.ID)
		}
		if !again.User.Roles.Has(model.RoleAdmin) {
			t.Error("admin openid did not get the admin role")
		}
		if first.SessionID == again.SessionID {
			t.Error("each sign-in must open its own session")
		}
		var stored string
		s.DB.Raw("SELECT session_key_cipher FROM sessions WHERE id = ?", first.SessionID).Scan(&stored)
		if stored == "" || stored == "sk-secret" {
			t.Fatalf("session_key stored as %q, want sealed", stored)
		}
		key, err := s.SessionKey(ctx, first.SessionID)
		if err != nil || key != "sk-secret" {
			t.Fatalf("SessionKey = %q, %v", key, err)
		}
	})
}

func TestConcurrentFirstSignInsMakeOneUser(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		var wg sync.WaitGroup
		ids := make([]uint64, 20)
		errs := make([]error, 20)
		for i := range ids {
			wg.Add(1)
			go func() {
				defer wg.Done()
				l, err := s.SignIn(context.Background(), model.WeChatLogin{OpenID: "o-race", SessionKey: "k"}, ttl)
				errs[i] = err
				if err == nil {
					ids[i] = l.User.ID
				}
			}()
		}
		wg.Wait()
		for i := range ids {
			if errs[i] != nil {
				t.Fatalf("sign-in %d: %v", i, errs[i])
			}
			if ids[i] != ids[0] {
				t.Fatalf("concurrent first sign-ins made users %d and %d", ids[0], ids[i])
			}
		}
		var n int64
		s.DB.Model(&model.User{}).Where("open_id = ?", "o-race").Count(&n)
		if n != 1 {
			t.Fatalf("%d users for one openid", n)
		}
	})
}

func TestRefreshRotatesAndReuseRevokesTheChain(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		ctx := context.Background()
		login, err := s.SignIn(ctx, model.WeChatLogin{OpenID: "o-2", SessionKey: "k"}, ttl)
		if err != nil {
			t.Fatal(err)
		}
		second, err := s.Refresh(ctx, login.RefreshToken, ttl)
		if err != nil {
			t.Fatal(err)
		}
		if second.RefreshToken == login.RefreshToken || second.SessionID != login.SessionID {
			t.Fatal("refresh must hand out a new token of the same session")
		}
		if _, err := s.Refresh(ctx, login.RefreshToken, ttl); !errors.Is(err, model.ErrTokenReused) {
			t.Fatalf("reusing a rotated token: err = %v, want ErrTokenReused", err)
		}
		// The thief's reuse ended the session for the newest token too.
		if _, err := s.Refresh(ctx, second.RefreshToken, ttl); !errors.Is(err, model.ErrTokenInvalid) {
			t.Fatalf("newest token after reuse: err = %v, want ErrTokenInvalid", err)
		}
		if _, err := s.Authenticate(ctx, login.User.ID, login.SessionID); !errors.Is(err, model.ErrTokenInvalid) {
			t.Fatalf("access after reuse: err = %v, want ErrTokenInvalid", err)
		}
		if _, err := s.Refresh(ctx, "never-issued", ttl); !errors.Is(err, model.ErrTokenInvalid) {
			t.Fatalf("unknown token: err = %v", err)
		}
	})
}

func TestRefreshRaceHasOneWinner(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		ctx := context.Background()
		login, err := s.SignIn(ctx, model.WeChatLogin{OpenID: "o-3", SessionKey: "k"}, ttl)
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		var mu sync.Mutex
		wins := 0
		for range 10 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := s.Refresh(ctx, login.RefreshToken, ttl); err == nil {
					mu.Lock()
					wins++
					mu.Unlock()
				} else if !errors.Is(err, model.ErrTokenReused) && !errors.Is(err, model.ErrTokenInvalid) {
					t.Errorf("unexpected error: %v", err)
				}
			}()
		}
		wg.Wait()
		if wins != 1 {
			t.Fatalf("%d refreshes of one token succeeded, want 1", wins)
		}
	})
}

func TestExpiredRefreshTokenAndLogoutAndDisable(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		ctx := context.Background()
		short, err := s.SignIn(ctx, model.WeChatLogin{OpenID: "o-4", SessionKey: "k"}, -time.Second)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Refresh(ctx, short.RefreshToken, ttl); !errors.Is(err, model.ErrTokenInvalid) {
			t.Fatalf("expired token: err = %v", err)
		}
		if _, err := s.Authenticate(ctx, short.User.ID, short.SessionID); err != nil {
			t.Fatalf("an expired refresh token does not end the session's access: %v", err)
		}
		if err := s.RevokeSession(ctx, short.SessionID, "logout"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Authenticate(ctx, short.User.ID, short.SessionID); !errors.Is(err, model.ErrTokenInvalid) {
			t.Fatalf("after logout: err = %v", err)
		}

		other, _ := s.SignIn(ctx, model.WeChatLogin{OpenID: "o-4", SessionKey: "k"}, ttl)
		if err := s.DisableUser(ctx, other.User.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Authenticate(ctx, other.User.ID, other.SessionID); !errors.Is(err, model.ErrTokenInvalid) {
			t.Fatalf("disabled user authenticated: %v", err)
		}
		if _, err := s.SignIn(ctx, model.WeChatLogin{OpenID: "o-4", SessionKey: "k"}, ttl); !errors.Is(err, model.ErrUserDisabled) {
			t.Fatalf("disabled user signed in: %v", err)
		}
		if _, err := s.Authenticate(ctx, other.User.ID+1000, other.SessionID); !errors.Is(err, model.ErrTokenInvalid) {
			t.Fatalf("token for another user accepted: %v", err)
		}
	})
}

func TestBindPhoneSealsAndKeepsNumbersUnique(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		ctx := context.Background()
		a, _ := s.SignIn(ctx, model.WeChatLogin{OpenID: "o-a", SessionKey: "k"}, ttl)
		b, _ := s.SignIn(ctx, model.WeChatLogin{OpenID: "o-b", SessionKey: "k"}, ttl)
		u, err := s.BindPhone(ctx, a.User.ID, "13812341234")
		if err != nil {
			t.Fatal(err)
		}
		if phone, _ := s.Phone(u); phone != "13812341234" {
			t.Fatalf("phone = %q", phone)
		}
		var raw string
		s.DB.Raw("SELECT phone_cipher FROM users WHERE id = ?", a.User.ID).Scan(&raw)
		if raw == "" || raw == "13812341234" {
			t.Fatalf("phone stored as %q", raw)
		}
		if _, err := s.BindPhone(ctx, b.User.ID, "13812341234"); !errors.Is(err, model.ErrPhoneTaken) {
			t.Fatalf("second account took a bound number: %v", err)
		}
		if _, err := s.BindPhone(ctx, a.User.ID, "13812341234"); err != nil {
			t.Fatalf("rebinding one's own number: %v", err)
		}
	})
}
