package model

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// IdentityClaim is a worker registration that gave an ID number another account already holds. Answering
// "taken" would tell anyone whether an ID number is registered, so the registration goes through as usual,
// without the number's look-up hash, and staff decide at the window, with the ID card in hand, who holds it.
type IdentityClaim struct {
	ID           uint64 `gorm:"primaryKey"`
	UserID       uint64 // the later registration
	HolderID     uint64 // the account holding the number when the claim was made
	IDNumberHash string
	AreaCode     string // the claimant's area
	HolderArea   string // the holder's: staff covering both settle it
	CreatedAt    time.Time
	ResolvedAt   *time.Time
	ResolvedBy   *uint64
	Outcome      string // "claimant" or "holder": who keeps the number; "withdrawn" when the claimant changed it
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

// holdForReview saves p without the ID number's hash and records the claim for staff: one open claim per
// person, brought up to date when they save again.
func holdForReview(tx *gorm.DB, p *WorkerProfile, holder uint64, now time.Time) error {
	var holderArea []string
	if err := tx.Model(&WorkerProfile{}).Where("user_id = ?", holder).Pluck("area_code", &holderArea).Error; err != nil {
		return dbErr(err)
	}
	claim := IdentityClaim{UserID: p.UserID, HolderID: holder, IDNumberHash: p.IDNumberHash, AreaCode: p.AreaCode, CreatedAt: now}
	if len(holderArea) > 0 {
		claim.HolderArea = holderArea[0]
	}
	if claim.AreaCode == "" {
		claim.AreaCode = claim.HolderArea
	}
	p.IDNumberHash = heldHash(p.UserID)
	res := tx.Model(&IdentityClaim{}).Where("user_id = ? AND resolved_at IS NULL", claim.UserID).
		Updates(map[string]any{"holder_id": holder, "id_number_hash": claim.IDNumberHash, "area_code": claim.AreaCode, "holder_area": claim.HolderArea})
	if res.Error != nil || res.RowsAffected > 0 {
		return dbErr(res.Error)
	}
	return dbErr(tx.Create(&claim).Error)
}

// withdrawClaims closes a person's open claim when they save with a number nobody else holds.
func withdrawClaims(tx *gorm.DB, userID uint64, now time.Time) error {
	return dbErr(tx.Model(&IdentityClaim{}).Where("user_id = ? AND resolved_at IS NULL", userID).
		Updates(map[string]any{"resolved_at": now, "outcome": "withdrawn"}).Error)
}

// IdentityClaims lists the open claims touching the staff member's area, oldest first.
func (s *Store) IdentityClaims(ctx context.Context, scope Scope) ([]IdentityClaim, error) {
	q := s.DB.WithContext(ctx).Where("resolved_at IS NULL")
	if !scope.All {
		q = q.Where("area_code LIKE ? OR holder_area LIKE ?", scope.Prefix+"%", scope.Prefix+"%")
	}
	var out []IdentityClaim
	err := q.Order("id").Limit(200).Find(&out).Error
	return out, dbErr(err)
}

// ErrClaimStale: the claimant no longer claims that number (they changed it); nothing to settle.
var ErrClaimStale = errors.New("identity claim no longer stands")

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
		if !scope.Covers(c.AreaCode) || !scope.Covers(c.HolderArea) {
			return ErrNotFound // a claim across areas goes to staff covering both, or the level above
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
		// The claimant must still claim this very number, and the holder still hold it.
		var claimant WorkerProfile
		if err := tx.Where("user_id = ?", c.UserID).Take(&claimant).Error; err != nil {
			return ErrClaimStale
		}
		number, err := s.Crypt.Decrypt(claimant.IDNumberCipher)
		if err != nil {
			return err
		}
		if claimant.IDNumberHash != heldHash(c.UserID) || s.Crypt.LookupHash("id", number) != c.IDNumberHash {
			return ErrClaimStale
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
