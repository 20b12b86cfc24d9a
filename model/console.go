package model

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
)

// ConsoleTicket is one scan sign-in (扫码登录) waiting on the console's login page. Its scene travels in the
// mini-program code; the browser that asked for it also holds a secret of its own in a cookie, so that
// whoever photographs the code on a staff member's screen cannot collect the session the staff member
// confirms. It does not stop someone who asked for a code on their own PC and shows it to staff elsewhere
// (a relayed code): the phone shows the asking PC's address and browser for that, and only that. Only hashes
// of both are stored.
type ConsoleTicket struct {
	ID          uint64 `gorm:"primaryKey"`
	SceneHash   string
	BrowserHash string
	// IP and UserAgent are the browser's, shown on the phone before the staff member confirms.
	IP          string
	UserAgent   string
	CreatedAt   time.Time
	ExpiresAt   time.Time
	ConfirmedBy *uint64
	ConfirmedAt *time.Time
	// PhoneSessionID is the mini-program login that confirmed: the console session lives only as long as it.
	PhoneSessionID *uint64
	ClaimedAt      *time.Time
}

// ConsoleSession is a staff member signed in to the console in one browser. The browser's cookie holds a
// random token; only its hash is stored, so a copy of the table opens nothing.
type ConsoleSession struct {
	ID        uint64 `gorm:"primaryKey"`
	TokenHash string
	UserID    uint64
	// PhoneSessionID is the mini-program login that confirmed the scan; logging out there ends this too. Nil
	// for a demo sign-in in development.
	PhoneSessionID *uint64
	IP             string
	UserAgent      string
	CreatedAt      time.Time
	ExpiresAt      time.Time
	LastSeenAt     time.Time
	EndedAt        *time.Time
	EndReason      string
}

// The console's clocks, as the issue fixes them.
const (
	ConsoleTicketTTL  = 2 * time.Minute
	ConsoleSessionTTL = 8 * time.Hour
	ConsoleIdle       = 30 * time.Minute
)

// Why a console session ended; the login page tells the staff member.
const (
	ConsoleEndLogout        = "logout"         // 退出 on the console
	ConsoleEndPhone         = "phone_logout"   // ended from the phone, or the phone's login ended
	ConsoleEndExpired       = "expired"        // 8 hours after sign-in
	ConsoleEndIdle          = "idle"           // 30 minutes without a request
	ConsoleEndStaffDisabled = "staff_disabled" // no longer staff, or the account was disabled
	ConsoleEndUnknown       = "unknown"        // no such session (a made-up or purged cookie)
)

// Console sign-in errors.
var (
	ErrTicketExpired = errors.New("console ticket expired")
	ErrTicketUsed    = errors.New("console ticket already used")
	// ErrTicketPending: nobody confirmed the ticket yet; the login page keeps waiting.
	ErrTicketPending = errors.New("console ticket not confirmed yet")
)

// ConsoleEnded says that a console session is over, and why (one of the ConsoleEnd reasons).
type ConsoleEnded struct{ Reason string }

func (e *ConsoleEnded) Error() string { return "console session ended: " + e.Reason }

// randomToken is 256 random bits, URL-safe: 43 characters.
func randomToken() (string, error) {
	buf := make([]byte, 32)
	if _, err := rand.Read(buf); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(buf), nil
}

// clip keeps what a browser sent within its column.
func clip(s string, max int) string {
	for len(s) > max {
		_, size := utf8.DecodeLastRuneInString(s)
		s = s[:len(s)-size]
	}
	return s
}

// NewConsoleTicket starts a scan sign-in for a browser: the scene goes in the mini-program code (22
// characters, within WeChat's 32), the browser secret in the browser's cookie.
func (s *Store) NewConsoleTicket(ctx context.Context, ip, userAgent string) (scene, browserSecret string, err error) {
	buf := make([]byte, 16)
	if _, err := rand.Read(buf); err != nil {
		return "", "", err
	}
	scene = base64.RawURLEncoding.EncodeToString(buf)
	if browserSecret, err = randomToken(); err != nil {
		return "", "", err
	}
	now := s.Now()
	t := ConsoleTicket{SceneHash: hashToken(scene), BrowserHash: hashToken(browserSecret), IP: clip(ip, 64),
		UserAgent: clip(userAgent, 255), CreatedAt: now, ExpiresAt: now.Add(ConsoleTicketTTL)}
	if err := s.DB.WithContext(ctx).Create(&t).Error; err != nil {
		return "", "", dbErr(err)
	}
	return scene, browserSecret, nil
}

// ScannedConsoleTicket is what the phone shows before its owner confirms: the browser's address and name.
// Only staff and admins may see it; an expired or used ticket is refused.
func (s *Store) ScannedConsoleTicket(ctx context.Context, scene string, userID uint64) (*ConsoleTicket, error) {
	if _, err := s.StaffScope(ctx, userID); err != nil {
		return nil, err
	}
	var t ConsoleTicket
	if err := s.DB.WithContext(ctx).Where("scene_hash = ?", hashToken(scene)).Take(&t).Error; err != nil {
		return nil, dbErr(err)
	}
	switch {
	case t.ConfirmedAt != nil:
		return nil, ErrTicketUsed
	case !s.Now().Before(t.ExpiresAt):
		return nil, ErrTicketExpired
	}
	return &t, nil
}

// ConfirmConsoleTicket is the staff member's 确认登录 on the phone. The ticket is taken by a conditional
// update, so that of two confirmations only one counts.
func (s *Store) ConfirmConsoleTicket(ctx context.Context, scene string, userID, phoneSessionID uint64) (*ConsoleTicket, error) {
	if _, err := s.StaffScope(ctx, userID); err != nil {
		return nil, err
	}
	hash, now := hashToken(scene), s.Now()
	res := s.DB.WithContext(ctx).Model(&ConsoleTicket{}).
		Where("scene_hash = ? AND confirmed_at IS NULL AND expires_at > ?", hash, now).
		Updates(map[string]any{"confirmed_by": userID, "confirmed_at": now, "phone_session_id": phoneSessionID})
	if res.Error != nil {
		return nil, dbErr(res.Error)
	}
	var t ConsoleTicket
	if err := s.DB.WithContext(ctx).Where("scene_hash = ?", hash).Take(&t).Error; err != nil {
		return nil, dbErr(err)
	}
	if res.RowsAffected == 0 {
		if t.ConfirmedAt != nil {
			return nil, ErrTicketUsed
		}
		return nil, ErrTicketExpired
	}
	return &t, nil
}

// ClaimConsoleTicket is the waiting login page asking whether its ticket was confirmed. Only the browser
// that started the ticket may ask (its secret); once confirmed, the first ask opens the session and any later
// one is refused. A confirmed ticket must be claimed within ConsoleTicketTTL of its confirmation.
func (s *Store) ClaimConsoleTicket(ctx context.Context, scene, browserSecret string) (string, *ConsoleSession, error) {
	var t ConsoleTicket
	err := s.DB.WithContext(ctx).Where("scene_hash = ? AND browser_hash = ?", hashToken(scene), hashToken(browserSecret)).Take(&t).Error
	if err != nil {
		return "", nil, dbErr(err)
	}
	now := s.Now()
	switch {
	case t.ClaimedAt != nil:
		return "", nil, ErrTicketUsed
	case t.ConfirmedAt == nil && !now.Before(t.ExpiresAt), t.ConfirmedAt != nil && !now.Before(t.ConfirmedAt.Add(ConsoleTicketTTL)):
		return "", nil, ErrTicketExpired
	case t.ConfirmedAt == nil:
		return "", nil, ErrTicketPending
	}
	// The confirmer may have lost the staff role in the seconds between.
	if _, err := s.StaffScope(ctx, *t.ConfirmedBy); err != nil {
		return "", nil, err
	}
	var token string
	var out *ConsoleSession
	err = s.tx(ctx, func(tx *gorm.DB) error {
		res := tx.Model(&ConsoleTicket{}).Where("id = ? AND claimed_at IS NULL", t.ID).Update("claimed_at", now)
		if res.Error != nil {
			return dbErr(res.Error)
		}
		if res.RowsAffected == 0 {
			return ErrTicketUsed
		}
		token, out, err = openConsoleSession(tx, *t.ConfirmedBy, t.PhoneSessionID, t.IP, t.UserAgent, now)
		return err
	})
	if err != nil {
		return "", nil, err
	}
	return token, out, nil
}

// OpenDemoConsoleSession signs a demo account (dev-staff, dev-admin) in to the console without a phone. The
// console offers it only in development; here it refuses anything but the demo openids and non-staff.
func (s *Store) OpenDemoConsoleSession(ctx context.Context, openID, ip, userAgent string) (string, *ConsoleSession, error) {
	if openID != DemoAdminOpenID && openID != DemoStaffOpenID {
		return "", nil, ErrNotFound
	}
	var u User
	if err := s.DB.WithContext(ctx).Where("open_id = ?", openID).Take(&u).Error; err != nil {
		return "", nil, dbErr(err)
	}
	if _, err := s.StaffScope(ctx, u.ID); err != nil {
		return "", nil, err
	}
	var token string
	var out *ConsoleSession
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var err error
		token, out, err = openConsoleSession(tx, u.ID, nil, clip(ip, 64), clip(userAgent, 255), s.Now())
		return err
	})
	return token, out, err
}

// DemoStaffOpenID is the demo staff member of 合肥市 (login code "staff" with the dev WeChat).
const DemoStaffOpenID = "dev-staff"

func openConsoleSession(tx *gorm.DB, userID uint64, phoneSessionID *uint64, ip, userAgent string, now time.Time) (string, *ConsoleSession, error) {
	token, err := randomToken()
	if err != nil {
		return "", nil, err
	}
	sess := ConsoleSession{TokenHash: hashToken(token), UserID: userID, PhoneSessionID: phoneSessionID, IP: ip, UserAgent: userAgent,
		CreatedAt: now, ExpiresAt: now.Add(ConsoleSessionTTL), LastSeenAt: now}
	if err := tx.Create(&sess).Error; err != nil {
		return "", nil, dbErr(err)
	}
	return token, &sess, nil
}

// ConsoleSessionOf checks a console cookie on every request and counts the request as activity. A session is
// over 8 hours after sign-in, after 30 idle minutes, at a logout on either side (the console's 退出, the
// phone's ending it or its own login ending), and when the user is disabled; the caller checks the staff role
// itself (StaffScope) and ends the session when it is gone. An ended session answers *ConsoleEnded.
func (s *Store) ConsoleSessionOf(ctx context.Context, token string) (*ConsoleSession, error) {
	db := s.DB.WithContext(ctx)
	var sess ConsoleSession
	if err := db.Where("token_hash = ?", hashToken(token)).Take(&sess).Error; err != nil {
		if err = dbErr(err); errors.Is(err, ErrNotFound) {
			return nil, &ConsoleEnded{Reason: ConsoleEndUnknown}
		}
		return nil, err
	}
	if sess.EndedAt != nil {
		return nil, &ConsoleEnded{Reason: sess.EndReason}
	}
	now := s.Now()
	reason := ""
	switch {
	case !now.Before(sess.ExpiresAt):
		reason = ConsoleEndExpired
	case now.Sub(sess.LastSeenAt) >= ConsoleIdle:
		reason = ConsoleEndIdle
	default:
		var live int64
		q := db.Model(&User{}).Where("id = ? AND disabled_at IS NULL", sess.UserID)
		if err := q.Count(&live).Error; err != nil {
			return nil, dbErr(err)
		}
		if live == 0 {
			reason = ConsoleEndStaffDisabled
		} else if sess.PhoneSessionID != nil {
			if err := db.Model(&Session{}).Where("id = ? AND revoked_at IS NULL", *sess.PhoneSessionID).Count(&live).Error; err != nil {
				return nil, dbErr(err)
			}
			if live == 0 {
				reason = ConsoleEndPhone
			}
		}
	}
	if reason != "" {
		if err := s.EndConsoleSession(ctx, sess.ID, reason); err != nil {
			return nil, err
		}
		return nil, &ConsoleEnded{Reason: reason}
	}
	if err := db.Model(&ConsoleSession{}).Where("id = ?", sess.ID).Update("last_seen_at", now).Error; err != nil {
		return nil, dbErr(err)
	}
	sess.LastSeenAt = now
	return &sess, nil
}

// EndConsoleSession ends one console session; ending one already over changes nothing.
func (s *Store) EndConsoleSession(ctx context.Context, id uint64, reason string) error {
	return dbErr(s.DB.WithContext(ctx).Model(&ConsoleSession{}).Where("id = ? AND ended_at IS NULL", id).
		Updates(map[string]any{"ended_at": s.Now(), "end_reason": reason}).Error)
}

// EndConsoleSessionsOf ends every open console session of a user: the phone's 退出电脑上的工作台. It returns
// how many there were.
func (s *Store) EndConsoleSessionsOf(ctx context.Context, userID uint64, reason string) (int64, error) {
	res := endConsoleSessions(s.DB.WithContext(ctx), userID, s.Now(), reason)
	return res.RowsAffected, dbErr(res.Error)
}

func endConsoleSessions(tx *gorm.DB, userID uint64, now time.Time, reason string) *gorm.DB {
	return tx.Model(&ConsoleSession{}).Where("user_id = ? AND ended_at IS NULL", userID).
		Updates(map[string]any{"ended_at": now, "end_reason": reason})
}
