package model_test

import (
	"testing"
	"time"

	"lingong/model"
	"lingong/model/modeltest"
)

func TestPurgeKeepsWhatIsStillUseful(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		old := s.Now().Add(-model.OutboxKeep - time.Hour)
		for _, m := range []model.OutboxMessage{
			{UserID: 1, TemplateKey: "x", Data: "{}", Status: model.OutboxSent, NextAttemptAt: old, CreatedAt: old},
			{UserID: 1, TemplateKey: "x", Data: "{}", Status: model.OutboxPending, NextAttemptAt: old, CreatedAt: old},
			{UserID: 1, TemplateKey: "x", Data: "{}", Status: model.OutboxSent, NextAttemptAt: s.Now(), CreatedAt: s.Now()},
		} {
			s.DB.Create(&m)
		}
		n, err := s.PurgeFinished(ctx)
		if err != nil || n != 1 {
			t.Fatalf("purged %d, %v", n, err)
		}
		var left int64
		s.DB.Model(&model.OutboxMessage{}).Count(&left)
		if left != 2 {
			t.Fatalf("%d messages left, want the pending one and the recent one", left)
		}
	})
}

// The clean-up deletes only what is over: live refresh tokens, invites, delegations, binding codes and today's
// quotas stay, each beside an old one that goes.
func TestPurgeDeletesOnlyWhatIsOver(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		now := s.Now()
		long := now.Add(-model.CodeKeep - time.Hour)
		later := now.Add(time.Hour)
		used := long
		count := func(m any, where string, args ...any) int64 {
			var n int64
			s.DB.Model(m).Where(where, args...).Count(&n)
			return n
		}
		s.DB.Create(&[]model.RefreshToken{
			{SessionID: 1, TokenHash: "live", ExpiresAt: later, CreatedAt: now},
			{SessionID: 1, TokenHash: "expired", ExpiresAt: now.Add(-time.Hour), CreatedAt: long},
		})
		if n, err := s.PurgeRefreshTokens(ctx, 7*24*time.Hour); err != nil || n != 1 || count(&model.RefreshToken{}, "token_hash = ?", "live") != 1 {
			t.Fatalf("refresh tokens: purged %d, %v", n, err)
		}
		delegate := uint64(2)
		s.DB.Create(&[]model.Delegation{
			{ElderID: 1, InviteHash: "fresh-invite", InviteExpires: later, CreatedAt: now},
			{ElderID: 1, DelegateID: &delegate, InviteHash: "accepted", InviteExpires: long, AcceptedAt: &long, CreatedAt: long},
			{ElderID: 1, InviteHash: "dead-invite", InviteExpires: long, CreatedAt: long},
		})
		ticket := "t-live"
		s.DB.Create(&[]model.BindingCode{
			{UserID: 10, TicketHash: &ticket, CodeHash: "c", ExpiresAt: later, TriesLeft: 5, CreatedAt: now},
			{UserID: 11, CodeHash: "c", ExpiresAt: long, TriesLeft: 5, CreatedAt: long, UsedAt: &used},
		})
		s.DB.Create(&[]model.DailyQuota{
			{UserID: 1, Kind: model.QuotaUploads, Day: now.In(model.Shanghai).Format("2006-01-02"), Count: 3},
			{UserID: 1, Kind: model.QuotaUploads, Day: "2020-01-01", Count: 3},
		})
		if _, err := s.PurgeFinished(ctx); err != nil {
			t.Fatal(err)
		}
		if count(&model.Delegation{}, "invite_hash IN ?", []string{"fresh-invite", "accepted"}) != 2 ||
			count(&model.Delegation{}, "invite_hash = ?", "dead-invite") != 0 {
			t.Fatal("delegations: a live one went, or the dead invite stayed")
		}
		if count(&model.BindingCode{}, "user_id = ?", 10) != 1 || count(&model.BindingCode{}, "user_id = ?", 11) != 0 {
			t.Fatal("binding codes: the live one went, or the used one stayed")
		}
		if count(&model.DailyQuota{}, "day = ?", "2020-01-01") != 0 || count(&model.DailyQuota{}, "day <> ?", "2020-01-01") != 1 {
			t.Fatal("daily quotas: today's went, or an old day stayed")
		}
	})
}
