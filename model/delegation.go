package model

import (
	"context"
	"crypto/rand"
	"errors"
	"math/big"
	"strings"
	"time"

	"gorm.io/gorm"
)

// 亲情代办: a worker lets a family member's WeChat act for them — browse, apply, follow applications. The
// elder sees who did what and can revoke it at any time; a delegate never sees the elder's ID number.

// Delegation is one family member's permission to act for an elder.
type Delegation struct {
	ID            uint64 `gorm:"primaryKey"`
	ElderID       uint64
	DelegateID    *uint64
	InviteHash    string
	InviteExpires time.Time
	AcceptedAt    *time.Time
	RevokedAt     *time.Time
	CreatedAt     time.Time
}

// Active tells whether the delegation is accepted and not revoked.
func (d *Delegation) Active() bool {
	return d.AcceptedAt != nil && d.RevokedAt == nil && d.DelegateID != nil
}

// Delegation rules and errors.
const inviteTTL = 48 * time.Hour

var (
	ErrInviteInvalid = errors.New("invite code invalid or expired")
	ErrSelfDelegate  = errors.New("cannot act for oneself")
)

// inviteAlphabet leaves out letters that read like digits (O, I, L) for older eyes.
const inviteAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"

// InviteDelegate makes an 8-character invite code the elder gives a family member (valid 48 hours).
func (s *Store) InviteDelegate(ctx context.Context, elderID uint64) (string, *Delegation, error) {
	if err := s.requireWorker(ctx, elderID); err != nil {
		return "", nil, err
	}
	var b strings.Builder
	for range 8 {
		n, err := rand.Int(rand.Reader, big.NewInt(int64(len(inviteAlphabet))))
		if err != nil {
			return "", nil, err
		}
		b.WriteByte(inviteAlphabet[n.Int64()])
	}
	code := b.String()
	now := s.Now()
	d := Delegation{ElderID: elderID, InviteHash: s.Crypt.LookupHash("invite", code), InviteExpires: now.Add(inviteTTL), CreatedAt: now}
	return code, &d, dbErr(s.DB.WithContext(ctx).Create(&d).Error)
}

// AcceptDelegation is the family member entering the code. The invite is taken by a conditional update,
// so a code works for one person only.
func (s *Store) AcceptDelegation(ctx context.Context, delegateID uint64, code string) (*Delegation, error) {
	var d Delegation
	err := s.tx(ctx, func(tx *gorm.DB) error {
		now := s.Now()
		hash := s.Crypt.LookupHash("invite", strings.ToUpper(strings.TrimSpace(code)))
		if err := tx.Where("invite_hash = ?", hash).Take(&d).Error; err != nil {
			if err = dbErr(err); errors.Is(err, ErrNotFound) {
				return ErrInviteInvalid
			}
			return err
		}
		if d.ElderID == delegateID {
			return ErrSelfDelegate
		}
		res := tx.Model(&Delegation{}).
			Where("id = ? AND accepted_at IS NULL AND revoked_at IS NULL AND invite_expires > ?", d.ID, now).
			Updates(map[string]any{"delegate_id": delegateID, "accepted_at": now})
		if res.Error != nil {
			return dbErr(res.Error)
		}
		if res.RowsAffected == 0 {
			return ErrInviteInvalid
		}
		d.DelegateID, d.AcceptedAt = &delegateID, &now
		return s.recordOnBehalf(tx, delegateID, d.ElderID, "delegate_accepted", "delegation", d.ID, "")
	})
	return &d, err
}

// Delegations lists the elder's invitations and family members, newest first.
func (s *Store) Delegations(ctx context.Context, elderID uint64) ([]Delegation, error) {
	var out []Delegation
	return out, dbErr(s.DB.WithContext(ctx).Where("elder_id = ?", elderID).Order("id DESC").Find(&out).Error)
}

// Elders lists the people the caller may act for.
func (s *Store) Elders(ctx context.Context, delegateID uint64) ([]Delegation, error) {
	var out []Delegation
	err := s.DB.WithContext(ctx).Where("delegate_id = ? AND accepted_at IS NOT NULL AND revoked_at IS NULL", delegateID).
		Order("id").Find(&out).Error
	return out, dbErr(err)
}

// RevokeDelegation ends a family member's permission, by the elder, at once.
func (s *Store) RevokeDelegation(ctx context.Context, elderID, id uint64) error {
	res := s.DB.WithContext(ctx).Model(&Delegation{}).Where("id = ? AND elder_id = ? AND revoked_at IS NULL", id, elderID).
		Update("revoked_at", s.Now())
	if res.Error != nil {
		return dbErr(res.Error)
	}
	if res.RowsAffected == 0 {
		return ErrNotFound
	}
	return nil
}

// actingFor checks that delegateID may act for elderID now; otherwise the elder does not exist for them.
func (s *Store) actingFor(ctx context.Context, delegateID, elderID uint64) error {
	return activeDelegate(s.DB.WithContext(ctx), delegateID, elderID)
}

// activeDelegate is actingFor within a transaction.
func activeDelegate(db *gorm.DB, delegateID, elderID uint64) error {
	var n int64
	err := db.Model(&Delegation{}).
		Where("elder_id = ? AND delegate_id = ? AND accepted_at IS NOT NULL AND revoked_at IS NULL", elderID, delegateID).Count(&n).Error
	if err != nil {
		return dbErr(err)
	}
	if n == 0 {
		return ErrNotFound
	}
	return nil
}

// ApplyFor applies to a gig for the elder; both people are recorded.
func (s *Store) ApplyFor(ctx context.Context, delegateID, elderID, gigID uint64) (*Application, error) {
	if err := s.actingFor(ctx, delegateID, elderID); err != nil {
		return nil, err
	}
	app, err := s.Apply(ctx, elderID, gigID)
	if err != nil {
		return nil, err
	}
	return app, s.recordOnBehalf(s.DB.WithContext(ctx), delegateID, elderID, "apply", "gig", gigID, "family")
}

// WithdrawFor takes back one of the elder's applications.
func (s *Store) WithdrawFor(ctx context.Context, delegateID, elderID, appID uint64) (*Application, error) {
	if err := s.actingFor(ctx, delegateID, elderID); err != nil {
		return nil, err
	}
	app, err := s.Withdraw(ctx, elderID, appID)
	if err != nil {
		return nil, err
	}
	return app, s.recordOnBehalf(s.DB.WithContext(ctx), delegateID, elderID, "withdraw", "application", appID, "family")
}

// ApplicationsFor lists the elder's applications for the family member.
func (s *Store) ApplicationsFor(ctx context.Context, delegateID, elderID uint64) ([]WorkerApplication, error) {
	if err := s.actingFor(ctx, delegateID, elderID); err != nil {
		return nil, err
	}
	return s.WorkerApplications(ctx, elderID, 200)
}

// ElderName is the elder's name as the family member sees it: masked, with no ID number.
func (s *Store) ElderName(ctx context.Context, delegateID, elderID uint64) (string, error) {
	if err := s.actingFor(ctx, delegateID, elderID); err != nil {
		return "", err
	}
	w, err := s.Worker(ctx, elderID)
	if err != nil {
		return "", err
	}
	return MaskName(w.Name), nil
}
