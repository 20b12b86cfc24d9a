package model

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// IdentityClaim is a worker registration that gave an ID number another account already holds. Answering
// "taken" would tell anyone whether an ID number is registered, so the registration goes through as usual,
// without the number's look-up hash, and staff decide at the window, with the ID card in hand, who holds it.
type IdentityClaim struct {
	ID           uint64 `gorm:"primaryKey"`
	UserID       uint64 // the later registration
	HolderID     uint64 // the account holding the number when the claim was made
	IDNumberHash string
	AreaCode     string
	CreatedAt    time.Time
	ResolvedAt   *time.Time
	ResolvedBy   *uint64
	Outcome      string // "claimant" or "holder": who keeps the number
}

// heldHash stands in for the look-up hash of an ID number a profile claims but does not hold.
func heldHash(userID uint64) string { return fmt.Sprintf("held:%d", userID) }

// holderOf is the other account holding an ID number's look-up hash, 0 when none does.
func holderOf(tx *gorm.DB, hash string, userID uint64) (uint64, error) {
	var holder []uint64
	if err := tx.Model(&WorkerProfile{}).Where("id_number_hash = ? AND user_id <> ?", hash, userID).Limit(1).
		Pluck("user_id", &holder).Error; err != nil {
		return 0, dbErr(err)
	}
	if len(holder) == 0 {
		return 0, nil
	}
	return holder[0], nil
}

// holdForReview saves p without the ID number's hash and records the claim for staff (once per user).
func holdForReview(tx *gorm.DB, p *WorkerProfile, holder uint64, now time.Time) error {
	claim := IdentityClaim{UserID: p.UserID, HolderID: holder, IDNumberHash: p.IDNumberHash, AreaCode: p.AreaCode, CreatedAt: now}
	p.IDNumberHash = heldHash(p.UserID)
	return dbErr(tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&claim).Error)
}

// IdentityClaims lists the open claims of the staff member's area, oldest first.
func (s *Store) IdentityClaims(ctx context.Context, scope Scope) ([]IdentityClaim, error) {
	var out []IdentityClaim
	err := scope.where(s.DB.WithContext(ctx).Where("resolved_at IS NULL"), "area_code").Order("id").Limit(200).Find(&out).Error
	return out, dbErr(err)
}

// ErrClaimOutcome: a claim is settled for the claimant or for the holder.
var ErrClaimOutcome = errors.New("identity claim outcome must be claimant or holder")

// ResolveIdentityClaim settles a claim after staff saw the ID card: the winner's profile holds the number's
// hash, the other keeps its registration without it.
func (s *Store) ResolveIdentityClaim(ctx context.Context, scope Scope, id uint64, outcome string) error {
	if outcome != "claimant" && outcome != "holder" {
		return ErrClaimOutcome
	}
	return s.tx(ctx, func(tx *gorm.DB) error {
		var c IdentityClaim
		if err := tx.Take(&c, id).Error; err != nil {
			return dbErr(err)
		}
		if !scope.Covers(c.AreaCode) {
			return ErrNotFound
		}
		for _, party := range []uint64{c.UserID, c.HolderID} {
			if err := conflicted(tx, scope.UserID, party, false); err != nil {
				return err
			}
		}
		now := s.Now()
		res := tx.Model(&IdentityClaim{}).Where("id = ? AND resolved_at IS NULL", id).
			Updates(map[string]any{"resolved_at": now, "resolved_by": scope.UserID, "outcome": outcome})
		if res.Error != nil {
			return dbErr(res.Error)
		}
		if res.RowsAffected == 0 {
			return ErrAlreadyDecided
		}
		if outcome == "holder" {
			return nil
		}
		// The hash moves: off the holder first (the column is unique), then onto the claimant.
		if err := tx.Model(&WorkerProfile{}).Where("user_id = ? AND id_number_hash = ?", c.HolderID, c.IDNumberHash).
			Update("id_number_hash", heldHash(c.HolderID)).Error; err != nil {
			return dbErr(err)
		}
		return dbErr(tx.Model(&WorkerProfile{}).Where("user_id = ?", c.UserID).Update("id_number_hash", c.IDNumberHash).Error)
	})
}
