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

// PhoneReadDay counts a person's phone reads of one day (北京时间). The limit is decided by one conditional
// UPDATE of this row, so concurrent reads cannot all slip under it.
type PhoneReadDay struct {
	UserID uint64 `gorm:"primaryKey;autoIncrement:false"`
	Day    string `gorm:"primaryKey;size:10"`
	Count  int
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
	now := s.Now()
	err := s.tx(ctx, func(tx *gorm.DB) error {
		first := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&PhoneRead{UserID: viewerID, GigID: d.ID, CreatedAt: now})
		if first.Error != nil {
			return dbErr(first.Error)
		}
		if first.RowsAffected == 0 {
			return nil // seen before
		}
		day := now.In(Shanghai).Format(dateLayout)
		if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&PhoneReadDay{UserID: viewerID, Day: day}).Error; err != nil {
			return dbErr(err)
		}
		res := tx.Model(&PhoneReadDay{}).Where("user_id = ? AND day = ? AND count < ?", viewerID, day, PhoneReadsPerDay).
			Update("count", gorm.Expr("count + 1"))
		if res.Error != nil {
			return dbErr(res.Error)
		}
		if res.RowsAffected == 0 {
			return errPhoneReadLimit // rolls back the read too
		}
		return nil
	})
	if errors.Is(err, errPhoneReadLimit) {
		d.ContactPhone, d.PhoneWithheld = "", PhoneLimitReached
		return nil
	}
	return err
}
