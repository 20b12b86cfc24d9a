package model

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"
)

// Role is what a user may do. One person may be worker and employer at once.
type Role string

const (
	RoleWorker   Role = "worker"
	RoleEmployer Role = "employer"
	RoleStaff    Role = "staff"
	RoleAdmin    Role = "admin"
)

// allRoles fixes each role's bit in users.roles; append only.
var allRoles = []Role{RoleWorker, RoleEmployer, RoleStaff, RoleAdmin}

// RoleSet is the users.roles bitmask.
type RoleSet uint8

func roleBit(r Role) RoleSet {
	for i, known := range allRoles {
		if known == r {
			return 1 << i
		}
	}
	return 0
}

// Has tells whether the set holds r.
func (s RoleSet) Has(r Role) bool {
	bit := roleBit(r)
	return bit != 0 && s&bit != 0
}

// With returns the set plus r.
func (s RoleSet) With(r Role) RoleSet { return s | roleBit(r) }

// List names the roles in a fixed order, never nil, for JSON.
func (s RoleSet) List() []Role {
	out := []Role{}
	for _, r := range allRoles {
		if s.Has(r) {
			out = append(out, r)
		}
	}
	return out
}

// User is one WeChat account of the mini-program.
type User struct {
	ID          uint64  `gorm:"primaryKey"`
	OpenID      string  `gorm:"column:open_id"`
	UnionID     string  `gorm:"column:union_id"`
	Roles       RoleSet `gorm:"column:roles"`
	PhoneCipher string
	PhoneHash   *string
	DisabledAt  *time.Time
	CreatedAt   time.Time
	UpdatedAt   time.Time
	DeletedAt   gorm.DeletedAt
}

// Phone decrypts the bound phone number; "" when none is bound.
func (s *Store) Phone(u *User) (string, error) {
	return s.Crypt.Decrypt(u.PhoneCipher)
}

// UserByID finds a live (not deleted) user.
func (s *Store) UserByID(ctx context.Context, id uint64) (*User, error) {
	var u User
	if err := s.DB.WithContext(ctx).First(&u, id).Error; err != nil {
		return nil, dbErr(err)
	}
	return &u, nil
}

// findOrCreateUser returns the user with openID, creating them on first login. It runs outside any
// transaction so that, when two first logins race for one openid and meet at its unique key, the loser's
// second look sees the winner's committed row.
func (s *Store) findOrCreateUser(ctx context.Context, openID, unionID string) (*User, error) {
	db := s.DB.WithContext(ctx)
	for range 2 {
		var u User
		err := db.Unscoped().Where("open_id = ?", openID).Take(&u).Error
		if err == nil {
			if u.DeletedAt.Valid || u.DisabledAt != nil {
				return nil, ErrUserDisabled
			}
			return &u, nil
		}
		if err = dbErr(err); !errors.Is(err, ErrNotFound) {
			return nil, err
		}
		now := s.Now()
		u = User{OpenID: openID, UnionID: unionID, CreatedAt: now, UpdatedAt: now}
		if err = dbErr(db.Create(&u).Error); err == nil {
			return &u, nil
		} else if !errors.Is(err, ErrConflict) {
			return nil, err
		}
	}
	return nil, ErrConflict
}

// GrantRole adds a role to a user.
func (s *Store) GrantRole(ctx context.Context, userID uint64, r Role) error {
	bit := roleBit(r)
	if bit == 0 {
		return errors.Join(ErrInvalidRecord, errors.New("unknown role "+string(r)))
	}
	res := s.DB.WithContext(ctx).Model(&User{}).Where("id = ?", userID).
		Update("roles", gorm.Expr("roles | ?", uint8(bit)))
	if res.Error != nil {
		return dbErr(res.Error)
	}
	if res.RowsAffected == 0 {
		return ErrNotFound
	}
	return nil
}

// DisableUser stops a user from signing in and ends every login they have.
func (s *Store) DisableUser(ctx context.Context, userID uint64) error {
	err := s.tx(ctx, func(tx *gorm.DB) error {
		now := s.Now()
		res := tx.Model(&User{}).Where("id = ? AND disabled_at IS NULL", userID).Update("disabled_at", now)
		if res.Error != nil {
			return dbErr(res.Error)
		}
		if err := endConsoleSessions(tx, userID, now, ConsoleEndStaffDisabled).Error; err != nil {
			return dbErr(err)
		}
		return revokeUserSessions(tx, userID, now, "user_disabled")
	})
	if err == nil {
		s.sessions.forget([]uint64{userID}, nil)
	}
	return err
}

// BindPhone stores the caller's phone number, sealed, with its look-up hash. One number belongs to one
// account: binding a number that another live account holds is ErrPhoneTaken. A different number ends the
// worker's consent to alert SMS in the same transaction: the new number never said yes.
func (s *Store) BindPhone(ctx context.Context, userID uint64, phone string) (*User, error) {
	sealed, err := s.Crypt.Encrypt(phone)
	if err != nil {
		return nil, err
	}
	hash := s.Crypt.LookupHash("phone", phone)
	err = s.tx(ctx, func(tx *gorm.DB) error {
		var old User
		if err := s.locking(tx.Select("id, phone_hash")).Take(&old, userID).Error; err != nil {
			return dbErr(err)
		}
		now := s.Now()
		if err := tx.Model(&User{}).Where("id = ?", userID).
			Updates(map[string]any{"phone_cipher": sealed, "phone_hash": hash, "updated_at": now}).Error; err != nil {
			return dbErr(err)
		}
		if old.PhoneHash != nil && *old.PhoneHash == hash {
			return nil
		}
		return endAlertSMSConsent(tx, now, userID)
	})
	if errors.Is(err, ErrConflict) {
		return nil, ErrPhoneTaken
	} else if err != nil {
		return nil, err
	}
	return s.UserByID(ctx, userID)
}
