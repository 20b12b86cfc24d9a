package model

import (
	"context"
	"time"

	"gorm.io/gorm/clause"
)

// JobLease says which instance runs a background job until when. An instance that dies stops renewing,
// and another takes the job over once the lease expires.
type JobLease struct {
	Name      string `gorm:"primaryKey"`
	Holder    string
	ExpiresAt time.Time
}

// TryLease takes or renews the lease on a job for ttl; it reports whether this holder has it. The decision
// is a conditional update or a unique insert, so two instances never both hold it.
func (s *Store) TryLease(ctx context.Context, name, holder string, ttl time.Duration) (bool, error) {
	now := s.Now()
	db := s.DB.WithContext(ctx)
	res := db.Model(&JobLease{}).Where("name = ? AND (holder = ? OR expires_at < ?)", name, holder, now).
		Updates(map[string]any{"holder": holder, "expires_at": now.Add(ttl)})
	if res.Error != nil {
		return false, dbErr(res.Error)
	}
	if res.RowsAffected == 1 {
		return true, nil
	}
	// Losing the race to another instance is the normal case, not an error (a failed INSERT would be logged as
	// one every few seconds per job): the insert does nothing when the row exists.
	ins := db.Clauses(clause.OnConflict{DoNothing: true}).Create(&JobLease{Name: name, Holder: holder, ExpiresAt: now.Add(ttl)})
	if ins.Error != nil {
		return false, dbErr(ins.Error)
	}
	if ins.RowsAffected == 1 {
		return true, nil
	}
	// Another holder, or MySQL reporting no row changed for a renewal that wrote the same expiry: look whose it is.
	var l JobLease
	if err := db.Take(&l, "name = ?", name).Error; err != nil {
		return false, dbErr(err)
	}
	return l.Holder == holder && l.ExpiresAt.After(now), nil
}

// ReleaseLease gives a lease up at shutdown, so another instance need not wait for it to expire.
func (s *Store) ReleaseLease(ctx context.Context, name, holder string) error {
	return dbErr(s.DB.WithContext(ctx).Model(&JobLease{}).Where("name = ? AND holder = ?", name, holder).
		Update("expires_at", s.Now().Add(-time.Second)).Error)
}
