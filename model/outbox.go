package model

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Message kinds: each is one subscribe-message template configured in WeChat.
const (
	MsgApplicationResult = "application_result"
	MsgGigCancelled      = "gig_cancelled"
	MsgReviewResult      = "review_result"
	MsgTrainingReminder  = "training_reminder"
	MsgInsuranceActive   = "insurance_active"
	MsgComplaintProgress = "complaint_progress"
	// MsgJobAlert tells a worker of a new gig their alert settings ask for (有活就告诉我).
	MsgJobAlert = "job_alert"
)

// MiniProgramPages are the pages of the mini-program (its app.json; a test holds the two together). A message,
// a poster or a screen code may open only one of them: WeChat refuses a message naming another (41030).
var MiniProgramPages = map[string]bool{
	"pages/index/index": true, "pages/gig/detail": true, "pages/register/worker": true,
	"pages/applications/index": true, "pages/me/index": true, "pages/employer/register": true,
	"pages/employer/post": true, "pages/employer/gigs": true, "pages/employer/applicants": true,
	"pages/staff/index": true, "pages/staff/reviews": true, "pages/staff/complaints": true,
	"pages/staff/complaint": true, "pages/staff/push": true, "pages/staff/walkin": true,
	"pages/complaints/index": true, "pages/complaints/new": true, "pages/complaints/detail": true,
	"pages/training/index": true, "pages/insurance/index": true, "pages/markets/index": true,
	"pages/info/index": true, "pages/family/index": true, "pages/claim/index": true,
	"pages/console/login": true, "pages/attendance/code": true, "pages/attendance/mine": true,
	"pages/record/index": true, "pages/staff/corrections": true,
	"pages/alerts/index": true, "pages/alerts/open": true,
}

// ValidPage tells whether a page path (with or without a query) is a page of the mini-program.
func ValidPage(path string) bool {
	p, _, _ := strings.Cut(path, "?")
	return MiniProgramPages[p]
}

// MessageKinds lists the kinds, for configuration checks and the mini-program.
var MessageKinds = []string{MsgApplicationResult, MsgGigCancelled, MsgReviewResult, MsgTrainingReminder,
	MsgInsuranceActive, MsgComplaintProgress, MsgJobAlert}

// Outbox states.
const (
	OutboxPending = "pending"
	OutboxSent    = "sent"
	OutboxNoGrant = "no_grant"
	OutboxFailed  = "failed"
)

// SubscriptionGrant counts the sends a user allowed for a kind: each "accept" in wx.requestSubscribeMessage
// is one send.
type SubscriptionGrant struct {
	UserID      uint64 `gorm:"primaryKey;autoIncrement:false"`
	TemplateKey string `gorm:"primaryKey"`
	Remaining   int
	UpdatedAt   time.Time
}

// OutboxMessage is a subscribe message waiting to be sent, written in the same transaction as the change
// that causes it so that no change goes untold and no message tells of a change that rolled back.
type OutboxMessage struct {
	ID            uint64 `gorm:"primaryKey"`
	UserID        uint64
	TemplateKey   string
	Data          string
	Page          string
	PushID        *uint64
	Status        string
	Attempts      int
	NextAttemptAt time.Time
	MsgID         string
	LastError     string
	CreatedAt     time.Time
	SentAt        *time.Time
}

// Fields decodes the message's fields.
func (m *OutboxMessage) Fields() map[string]string {
	out := map[string]string{}
	_ = json.Unmarshal([]byte(m.Data), &out)
	return out
}

// enqueue writes a message into the outbox inside the caller's transaction.
func enqueue(tx *gorm.DB, userID uint64, kind, page string, fields map[string]string, pushID *uint64, now time.Time) error {
	data, err := json.Marshal(fields)
	if err != nil {
		return err
	}
	return dbErr(tx.Create(&OutboxMessage{UserID: userID, TemplateKey: kind, Data: string(data), Page: page, PushID: pushID,
		Status: OutboxPending, NextAttemptAt: now, CreatedAt: now}).Error)
}

// GrantSubscriptions adds one send per accepted kind.
func (s *Store) GrantSubscriptions(ctx context.Context, userID uint64, kinds []string) error {
	now := s.Now()
	for _, kind := range kinds {
		err := s.DB.WithContext(ctx).Clauses(clause.OnConflict{
			Columns:   []clause.Column{{Name: "user_id"}, {Name: "template_key"}},
			DoUpdates: clause.Assignments(map[string]any{"remaining": gorm.Expr("subscription_grants.remaining + 1"), "updated_at": now}),
		}).Create(&SubscriptionGrant{UserID: userID, TemplateKey: kind, Remaining: 1, UpdatedAt: now}).Error
		if err != nil {
			return dbErr(err)
		}
	}
	return nil
}

// Grants tells how many sends a user has left per kind.
func (s *Store) Grants(ctx context.Context, userID uint64) (map[string]int, error) {
	var rows []SubscriptionGrant
	if err := s.DB.WithContext(ctx).Where("user_id = ?", userID).Find(&rows).Error; err != nil {
		return nil, dbErr(err)
	}
	out := map[string]int{}
	for _, r := range rows {
		out[r.TemplateKey] = r.Remaining
	}
	return out, nil
}

// DueMessages are the messages whose time to (re)try has come, oldest first.
func (s *Store) DueMessages(ctx context.Context, limit int) ([]OutboxMessage, error) {
	var out []OutboxMessage
	err := s.DB.WithContext(ctx).Where("status = ? AND next_attempt_at <= ?", OutboxPending, s.Now()).
		Order("next_attempt_at, id").Limit(limit).Find(&out).Error
	return out, dbErr(err)
}

// outboxClaim is how long a sender holds a message it is sending: longer than one send can take (WeChat's
// timeout, once more after a token renewal), so no other instance picks it up meanwhile. A sender that dies
// leaves the message due again after it.
const outboxClaim = 2 * time.Minute

// ClaimMessage takes a due message for this sender, by a conditional update that moves it out of the due list:
// when two instances hold the same batch (a lease that ran out mid-batch), each message goes to one of them.
func (s *Store) ClaimMessage(ctx context.Context, m *OutboxMessage) (bool, error) {
	now := s.Now()
	res := s.DB.WithContext(ctx).Model(&OutboxMessage{}).
		Where("id = ? AND status = ? AND next_attempt_at <= ?", m.ID, OutboxPending, now).
		Update("next_attempt_at", now.Add(outboxClaim))
	return res.RowsAffected == 1, dbErr(res.Error)
}

// HasGrant tells whether the user has a send left for the kind.
func (s *Store) HasGrant(ctx context.Context, userID uint64, kind string) (bool, error) {
	var n int64
	err := s.DB.WithContext(ctx).Model(&SubscriptionGrant{}).
		Where("user_id = ? AND template_key = ? AND remaining > 0", userID, kind).Count(&n).Error
	return n > 0, dbErr(err)
}

// MarkSent records a delivered message and uses up one of the user's grants, together.
func (s *Store) MarkSent(ctx context.Context, m *OutboxMessage, msgID string) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		now := s.Now()
		res := tx.Model(&OutboxMessage{}).Where("id = ? AND status = ?", m.ID, OutboxPending).
			Updates(map[string]any{"status": OutboxSent, "msg_id": msgID, "sent_at": now, "attempts": m.Attempts + 1, "last_error": ""})
		if res.Error != nil {
			return dbErr(res.Error)
		}
		if res.RowsAffected == 0 {
			return ErrWrongState
		}
		return dbErr(tx.Model(&SubscriptionGrant{}).Where("user_id = ? AND template_key = ? AND remaining > 0", m.UserID, m.TemplateKey).
			Updates(map[string]any{"remaining": gorm.Expr("remaining - 1"), "updated_at": now}).Error)
	})
}

// MarkNoGrant records that the user allowed no message of this kind: nothing was sent.
func (s *Store) MarkNoGrant(ctx context.Context, m *OutboxMessage) error {
	return s.finish(ctx, m, OutboxNoGrant, "")
}

// MarkFailed records a message that will never be sent; when WeChat said the user has no grant left, the
// local count is set to zero to match.
func (s *Store) MarkFailed(ctx context.Context, m *OutboxMessage, reason string, grantGone bool) error {
	if grantGone {
		if err := s.DB.WithContext(ctx).Model(&SubscriptionGrant{}).Where("user_id = ? AND template_key = ?", m.UserID, m.TemplateKey).
			Update("remaining", 0).Error; err != nil {
			return dbErr(err)
		}
	}
	return s.finish(ctx, m, OutboxFailed, reason)
}

func (s *Store) finish(ctx context.Context, m *OutboxMessage, status, reason string) error {
	return dbErr(s.DB.WithContext(ctx).Model(&OutboxMessage{}).Where("id = ? AND status = ?", m.ID, OutboxPending).
		Updates(map[string]any{"status": status, "attempts": m.Attempts + 1, "last_error": truncate(reason, 250)}).Error)
}

// outboxBackoff is how long a message waits after each failed try; past the last it fails for good.
var outboxBackoff = []time.Duration{time.Minute, 5 * time.Minute, 30 * time.Minute, 2 * time.Hour}

// MarkRetry schedules another try after a passing failure, or gives up after the last one.
func (s *Store) MarkRetry(ctx context.Context, m *OutboxMessage, reason string) error {
	if m.Attempts >= len(outboxBackoff) {
		return s.finish(ctx, m, OutboxFailed, "gave up: "+reason)
	}
	return dbErr(s.DB.WithContext(ctx).Model(&OutboxMessage{}).Where("id = ? AND status = ?", m.ID, OutboxPending).
		Updates(map[string]any{"attempts": m.Attempts + 1, "last_error": truncate(reason, 250),
			"next_attempt_at": s.Now().Add(outboxBackoff[m.Attempts])}).Error)
}

// Postpone puts a message off without counting a try: WeChat asked everyone to slow down (45011), which
// says nothing of the message, so it must not use up the tries it has before it is given up.
func (s *Store) Postpone(ctx context.Context, m *OutboxMessage, reason string, after time.Duration) error {
	return dbErr(s.DB.WithContext(ctx).Model(&OutboxMessage{}).Where("id = ? AND status = ?", m.ID, OutboxPending).
		Updates(map[string]any{"last_error": truncate(reason, 250), "next_attempt_at": s.Now().Add(after)}).Error)
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n])
}

// OpenIDOf is where a message goes.
func (s *Store) OpenIDOf(ctx context.Context, userID uint64) (string, error) {
	var u User
	if err := s.DB.WithContext(ctx).Select("open_id").Take(&u, userID).Error; err != nil {
		return "", dbErr(err)
	}
	return u.OpenID, nil
}

// ErrPushRateLimited: the staff member sent too many pushes lately.
var ErrPushRateLimited = errors.New("too many pushes")
