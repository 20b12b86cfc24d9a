package model

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"time"

	"gorm.io/gorm"
)

// Session is one login on one device: the chain its refresh tokens rotate along. It keeps WeChat's
// session_key, sealed, because decrypting some WeChat data needs it later; the key never leaves the server.
type Session struct {
	ID               uint64 `gorm:"primaryKey"`
	UserID           uint64
	SessionKeyCipher string
	CreatedAt        time.Time
	RevokedAt        *time.Time
	RevokeReason     string
}

// RefreshToken is one link of a session's chain. Only its SHA-256 is stored: the token is 256 random bits,
// so a plain hash is enough and a stolen table reveals no usable token.
type RefreshToken struct {
	ID        uint64 `gorm:"primaryKey"`
	SessionID uint64
	TokenHash string
	ExpiresAt time.Time
	UsedAt    *time.Time
	CreatedAt time.Time
}

// Login is what a successful sign-in or refresh hands back.
type Login struct {
	User         *User
	SessionID    uint64
	RefreshToken string
	ExpiresAt    time.Time
}

// WeChatLogin is what code2session told us about the person signing in.
type WeChatLogin struct {
	OpenID     string
	UnionID    string
	SessionKey string
	// Admin is set for the openids the operator named as admins.
	Admin bool
}

// SignIn finds or creates the user of a WeChat login and opens a new session for them.
func (s *Store) SignIn(ctx context.Context, in WeChatLogin, refreshTTL time.Duration) (*Login, error) {
	if in.OpenID == "" {
		return nil, errors.Join(ErrInvalidRecord, errors.New("empty openid"))
	}
	sealedKey, err := s.Crypt.Encrypt(in.SessionKey)
	if err != nil {
		return nil, err
	}
	user, err := s.findOrCreateUser(ctx, in.OpenID, in.UnionID)
	if err != nil {
		return nil, err
	}
	var out *Login
	err = s.tx(ctx, func(tx *gorm.DB) error {
		now := s.Now()
		if in.Admin && !user.Roles.Has(RoleAdmin) {
			user.Roles = user.Roles.With(RoleAdmin)
			if err := tx.Model(user).Update("roles", user.Roles).Error; err != nil {
				return dbErr(err)
			}
		}
		sess := Session{UserID: user.ID, SessionKeyCipher: sealedKey, CreatedAt: now}
		if err := tx.Create(&sess).Error; err != nil {
			return dbErr(err)
		}
		raw, expires, err := issueRefreshToken(tx, sess.ID, now, refreshTTL)
		if err != nil {
			return err
		}
		out = &Login{User: user, SessionID: sess.ID, RefreshToken: raw, ExpiresAt: expires}
		return nil
	})
	return out, err
}

// errNotRotated marks a refresh token that could not be used, to be explained after the transaction.
var errNotRotated = errors.New("refresh token not rotated")

// Refresh swaps a refresh token for a new one of the same session. A token that was already swapped is a
// sign it was copied: the whole session is revoked and ErrTokenReused returned.
func (s *Store) Refresh(ctx context.Context, raw string, refreshTTL time.Duration) (*Login, error) {
	hash := hashToken(raw)
	var out *Login
	err := s.tx(ctx, func(tx *gorm.DB) error {
		now := s.Now()
		// The conditional update decides the race between two uses of one token: only one sees a row.
		res := tx.Model(&RefreshToken{}).
			Where("token_hash = ? AND used_at IS NULL AND expires_at > ?", hash, now).
			Update("used_at", now)
		if res.Error != nil {
			return dbErr(res.Error)
		}
		if res.RowsAffected != 1 {
			return errNotRotated
		}
		var rt RefreshToken
		if err := tx.Where("token_hash = ?", hash).First(&rt).Error; err != nil {
			return dbErr(err)
		}
		user, err := liveSessionUser(tx, rt.SessionID)
		if err != nil {
			return err
		}
		next, expires, err := issueRefreshToken(tx, rt.SessionID, now, refreshTTL)
		if err != nil {
			return err
		}
		out = &Login{User: user, SessionID: rt.SessionID, RefreshToken: next, ExpiresAt: expires}
		return nil
	})
	if !errors.Is(err, errNotRotated) {
		return out, err
	}
	var rt RefreshToken
	if err := s.DB.WithContext(ctx).Where("token_hash = ?", hash).First(&rt).Error; err != nil {
		if err = dbErr(err); errors.Is(err, ErrNotFound) {
			return nil, ErrTokenInvalid
		}
		return nil, err
	}
	if rt.UsedAt == nil {
		return nil, ErrTokenInvalid // expired
	}
	if err := s.RevokeSession(ctx, rt.SessionID, "token_reused"); err != nil {
		return nil, err
	}
	return nil, ErrTokenReused
}

// Authenticate checks that an access token's user and session are still live: from the session cache when
// this instance checked the session lately, so that a logout or a disabled account takes effect here at once
// and on every other instance within the change feed's second.
func (s *Store) Authenticate(ctx context.Context, userID, sessionID uint64) (*User, error) {
	now := s.Now()
	user, ok := s.sessions.get(sessionID, now)
	if !ok {
		epoch := s.sessions.begin()
		var err error
		if user, err = liveSessionUser(s.DB.WithContext(ctx), sessionID); err != nil {
			return nil, err
		}
		s.sessions.put(sessionID, user, epoch, now)
	}
	if user.ID != userID {
		return nil, ErrTokenInvalid
	}
	return user, nil
}

func liveSessionUser(tx *gorm.DB, sessionID uint64) (*User, error) {
	var u User
	err := tx.Joins("JOIN sessions ON sessions.user_id = users.id").
		Where("sessions.id = ? AND sessions.revoked_at IS NULL AND users.disabled_at IS NULL", sessionID).
		First(&u).Error
	if err = dbErr(err); errors.Is(err, ErrNotFound) {
		return nil, ErrTokenInvalid
	}
	return &u, err
}

// RevokeSession ends a login: its refresh tokens stop working and so do its access tokens.
func (s *Store) RevokeSession(ctx context.Context, sessionID uint64, reason string) error {
	err := s.tx(ctx, func(tx *gorm.DB) error {
		now := s.Now()
		if err := tx.Model(&Session{}).Where("id = ? AND revoked_at IS NULL", sessionID).
			Updates(map[string]any{"revoked_at": now, "revoke_reason": reason}).Error; err != nil {
			return dbErr(err)
		}
		return noteChanges(tx, now, changeSession, sessionID)
	})
	if err == nil {
		s.sessions.forget(nil, []uint64{sessionID})
	}
	return err
}

// revokeUserSessions ends every login of a user, in the caller's transaction; the caller forgets the user's
// cached sessions once it committed.
func revokeUserSessions(tx *gorm.DB, userID uint64, now time.Time, reason string) error {
	if err := tx.Model(&Session{}).Where("user_id = ? AND revoked_at IS NULL", userID).
		Updates(map[string]any{"revoked_at": now, "revoke_reason": reason}).Error; err != nil {
		return dbErr(err)
	}
	return noteChanges(tx, now, changeUser, userID)
}

// SessionKey returns WeChat's session_key of a live session, for decrypting data WeChat sealed with it.
func (s *Store) SessionKey(ctx context.Context, sessionID uint64) (string, error) {
	var sess Session
	if err := s.DB.WithContext(ctx).Where("revoked_at IS NULL").First(&sess, sessionID).Error; err != nil {
		return "", dbErr(err)
	}
	return s.Crypt.Decrypt(sess.SessionKeyCipher)
}

func issueRefreshToken(tx *gorm.DB, sessionID uint64, now time.Time, ttl time.Duration) (string, time.Time, error) {
	buf := make([]byte, 32)
	if _, err := rand.Read(buf); err != nil {
		return "", time.Time{}, err
	}
	raw := base64.RawURLEncoding.EncodeToString(buf)
	rt := RefreshToken{SessionID: sessionID, TokenHash: hashToken(raw), ExpiresAt: now.Add(ttl), CreatedAt: now}
	if err := tx.Create(&rt).Error; err != nil {
		return "", time.Time{}, dbErr(err)
	}
	return raw, rt.ExpiresAt, nil
}

func hashToken(raw string) string {
	sum := sha256.Sum256([]byte(raw))
	return hex.EncodeToString(sum[:])
}
