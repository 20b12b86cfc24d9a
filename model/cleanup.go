package model

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// PurgeRefreshTokens deletes refresh tokens that can no longer be used: expired, or rotated longer ago than
// keep. Rotated tokens are kept a while so that a late reuse is still recognised as reuse.
func (s *Store) PurgeRefreshTokens(ctx context.Context, keep time.Duration) (int64, error) {
	cutoff := s.Now().Add(-keep)
	res := s.DB.WithContext(ctx).
		Where("expires_at < ? OR (used_at IS NOT NULL AND used_at < ?)", s.Now(), cutoff).
		Delete(&RefreshToken{})
	return res.RowsAffected, dbErr(res.Error)
}

// Retention of what only mattered for a while. Records people may need later (gigs, applications,
// complaints, policies, the audit log) are kept; these are not.
const (
	// OutboxKeep is how long a delivered (or finally undeliverable) message stays for the push reports.
	OutboxKeep = 90 * 24 * time.Hour
	// AlertUnsentKeep is how long a job alert that was never sent stays: a week outlasts the gigs it told of,
	// and a burst of approvals queues millions of them.
	AlertUnsentKeep = 7 * 24 * time.Hour
	// CodeKeep is how long a used or expired invite or binding code stays.
	CodeKeep = 30 * 24 * time.Hour
)

// PurgeFinished deletes outbox messages past their use, and invites and binding codes that can no longer
// be used, and empties check-in locations past their dispute window; it returns how many rows changed.
func (s *Store) PurgeFinished(ctx context.Context) (int64, error) {
	now := s.Now()
	db := s.DB.WithContext(ctx)
	var total int64
	for _, del := range []func() *gorm.DB{
		func() *gorm.DB {
			return db.Where("status <> ? AND created_at < ?", OutboxPending, now.Add(-OutboxKeep)).Delete(&OutboxMessage{})
		},
		func() *gorm.DB {
			return db.Where("accepted_at IS NULL AND invite_expires < ?", now.Add(-CodeKeep)).Delete(&Delegation{})
		},
		func() *gorm.DB {
			return db.Where("(used_at IS NOT NULL OR expires_at < ?) AND created_at < ?", now, now.Add(-CodeKeep)).Delete(&BindingCode{})
		},
		// Daily counts matter for their day; which phones a person saw, for the figures of the last months.
		func() *gorm.DB {
			return db.Where("day < ?", now.AddDate(0, 0, -7).In(Shanghai).Format(dateLayout)).Delete(&DailyQuota{})
		},
		func() *gorm.DB {
			return db.Where("created_at < ?", now.Add(-OutboxKeep)).Delete(&PhoneRead{})
		},
		// Where a worker's phone was at check-in matters only while the day can be disputed.
		func() *gorm.DB {
			return db.Model(&Attendance{}).
				Where("day < ? AND (arrive_geo_cipher <> '' OR leave_geo_cipher <> '')",
					now.Add(-AttendanceGeoKeep).In(Shanghai).Format(dateLayout)).
				Updates(map[string]any{"arrive_geo_cipher": "", "leave_geo_cipher": ""})
		},
		// A job alert never sent matters while its gig runs; one sent stays for the figures. The due index
		// (status, next_attempt_at) finds them: a finished alert's next_attempt_at is when it was last taken.
		func() *gorm.DB {
			return db.Where("status IN ? AND next_attempt_at < ?", []string{AlertSkipped, AlertFailed}, now.Add(-AlertUnsentKeep)).
				Delete(&AlertDelivery{})
		},
		// A scan sign-in ticket matters for its two minutes; a day is kept to look into a sign-in.
		func() *gorm.DB {
			return db.Where("created_at < ?", now.Add(-24*time.Hour)).Delete(&ConsoleTicket{})
		},
	} {
		res := del()
		if res.Error != nil {
			return total, dbErr(res.Error)
		}
		total += res.RowsAffected
	}
	return total, nil
}
