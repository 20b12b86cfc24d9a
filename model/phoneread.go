package model

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Why an employer's contact phone is not on a gig page: the viewer has not registered as a worker, or has
// looked at too many gigs' phones today.
const (
	PhoneForWorkers   = "register"
	PhoneLimitReached = "limit"
)

// PhoneReadsPerDay is how many different gigs' contact phones one person sees in a day: a worker looking for
// work calls a few; someone collecting employers' numbers steps through them all.
const PhoneReadsPerDay = 30

// PhoneRead is a person's first look at one gig's contact phone; looking again costs nothing.
type PhoneRead struct {
	UserID    uint64 `gorm:"primaryKey;autoIncrement:false"`
	GigID     uint64 `gorm:"primaryKey;autoIncrement:false"`
	CreatedAt time.Time
}

var errPhoneReadLimit = errors.New("contact phone reads over the day's limit")

// showPhone decides whether viewer sees the gig's contact phone, and records the read. The poster of the gig
// always does; others must have registered as workers, within PhoneReadsPerDay different gigs a day.
func (s *Store) showPhone(ctx context.Context, d *GigDetail, viewerID uint64) error {
	if d.ViewerOwns {
		return nil
	}
	var registered int64
	if err := s.DB.WithContext(ctx).Model(&WorkerProfile{}).Where("user_id = ?", viewerID).Count(&registered).Error; err != nil {
		return dbErr(err)
	}
	if registered == 0 {
		d.ContactPhone, d.PhoneWithheld = "", PhoneForWorkers
		return nil
	}
	// A worker the employer took on calls them whatever the day's count says.
	var taken int64
	if err := s.DB.WithContext(ctx).Model(&Application{}).Where("gig_id = ? AND worker_id = ? AND status IN ?", d.ID, viewerID,
		phoneVisible).Count(&taken).Error; err != nil {
		return dbErr(err)
	}
	if taken > 0 {
		return nil
	}
	now := s.Now()
	err := s.tx(ctx, func(tx *gorm.DB) error {
		first := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&PhoneRead{UserID: viewerID, GigID: d.ID, CreatedAt: now})
		if first.Error != nil {
			return dbErr(first.Error)
		}
		if first.RowsAffected == 0 {
			return nil // seen before
		}
		ok, err := takeDaily(tx, viewerID, QuotaPhoneReads, now, PhoneReadsPerDay, 0, 0)
		if err == nil && !ok {
			err = errPhoneReadLimit // rolls back the read too
		}
		return err
	})
	if errors.Is(err, errPhoneReadLimit) {
		d.ContactPhone, d.PhoneWithheld = "", PhoneLimitReached
		return nil
	}
	return err
}
