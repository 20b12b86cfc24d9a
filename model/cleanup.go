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
	injured, err := s.openIncidentDays(ctx)
	if err != nil {
		return 0, err
	}
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
		// Where a worker's phone was at check-in matters only while the day can be disputed, and while a case
		// about the day is open: then the run after its closing empties it.
		func() *gorm.DB {
			q := db.Model(&Attendance{}).
				Where("day < ? AND (arrive_geo_cipher <> '' OR leave_geo_cipher <> '')",
					now.Add(-AttendanceGeoKeep).In(Shanghai).Format(dateLayout)).
				Where("NOT ("+checkInEvidenceHeld+")", casesOpen, CorrectionOpen)
			if len(injured) > 0 {
				q = q.Where("(worker_id, day) NOT IN ?", injured)
			}
			return q.Updates(map[string]any{"arrive_geo_cipher": "", "leave_geo_cipher": ""})
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

// casesOpen are the complaint states in which a case is still being worked on, by staff or (returned) by the
// worker: a resolved or rejected one that staff never close holds nothing.
var casesOpen = []string{CaseSubmitted, CaseReturned, CaseAccepted, CaseProcessing}

// checkInEvidenceHeld holds a check-in's locations while the worker has a complaint open about its gig (by
// the gig, the application, or the employer when no gig is named; a pay dispute opens one) or a correction
// of their record for that gig and day is open.
const checkInEvidenceHeld = `EXISTS (SELECT 1 FROM complaints c WHERE c.complainant_id = attendances.worker_id AND c.status IN ? AND (
		c.gig_id = attendances.gig_id
		OR c.application_id IN (SELECT a.id FROM applications a WHERE a.gig_id = attendances.gig_id AND a.worker_id = attendances.worker_id)
		OR (c.gig_id IS NULL AND c.application_id IS NULL
			AND c.employer_id = (SELECT g.employer_id FROM gigs g WHERE g.id = attendances.gig_id))))
	OR EXISTS (SELECT 1 FROM record_corrections rc JOIN reliability_events e ON e.id = rc.event_id
		WHERE rc.status = ? AND e.worker_id = attendances.worker_id AND e.gig_id = attendances.gig_id AND e.day = attendances.day)`

// openIncidentDays are the (worker, Shanghai day) of injury cases not closed: the check-in shows where the
// worker was that day. Open cases are few; their day is worked out here so that both databases agree on it.
func (s *Store) openIncidentDays(ctx context.Context) ([][]any, error) {
	var open []InsuranceIncident
	if err := s.DB.WithContext(ctx).Select("worker_id, happened_at").Where("status <> ?", IncidentClosed).
		Find(&open).Error; err != nil {
		return nil, dbErr(err)
	}
	out := make([][]any, len(open))
	for i, in := range open {
		out[i] = []any{in.WorkerID, in.HappenedAt.In(Shanghai).Format(dateLayout)}
	}
	return out, nil
}
