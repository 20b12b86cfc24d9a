package model

import (
	"context"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Reliability events: what the records of both sides are counted from.
const (
	// EventNoShow: a worker confirmed for a work day who never arrived, decided once the day is over.
	EventNoShow = "no_show"
	// EventLateCancel: the employer let a confirmed worker go on one of the gig's work days (rejected them, or
	// closed the gig), when the worker may already be on the way.
	EventLateCancel = "late_cancel"
)

// ReliabilityEvent is one no-show or late cancellation. Stored, not derived on read: the application it
// comes from moves on (completed, paid, let go), and the record must still say what happened on the day.
// The unique key (kind, gig, worker, day) makes each one recorded once, whichever instance gets there.
type ReliabilityEvent struct {
	ID         uint64 `gorm:"primaryKey"`
	Kind       string
	GigID      uint64
	WorkerID   uint64
	EmployerID uint64
	Day        string // Shanghai
	CreatedAt  time.Time
	// CorrectedAt is set when staff accepted a correction of the entry: it no longer counts.
	CorrectedAt *time.Time
}

// noShowLookback is how many ended days each run of the job looks at: it runs every few minutes, so a day is
// normally decided within minutes of midnight; the week covers an outage of the job's instances.
const noShowLookback = 7

// noShowGigStates are the states of a gig whose confirmed workers were expected on site. A paused gig (its
// employer under review or suspended) told its workers not to come; a closed or taken-down gig cancelled them.
var noShowGigStates = []string{GigPublished, GigFilled, GigExpired}

// RecordNoShows records, for each work day that ended in the last week, every worker confirmed before the
// day began who has no attendance for it. Run by a leased job; the unique key makes a second run, or a second
// instance, record nothing more. A worker taken on during the day is not held to it; one the employer
// let go is no longer confirmed and so not a no-show (the employer's late cancellation is recorded instead).
// The number returned is for the log: on MySQL an insert that met a row another instance recorded a moment
// before reports it as affected too.
func (s *Store) RecordNoShows(ctx context.Context) (int64, error) {
	now := s.Now().In(Shanghai)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, Shanghai)
	db := s.DB.WithContext(ctx)
	var recorded int64
	for back := noShowLookback; back >= 1; back-- {
		start := today.AddDate(0, 0, -back)
		day := start.Format(dateLayout)
		var missing []ReliabilityEvent
		err := db.Table("applications").
			Select("applications.gig_id, applications.worker_id, gigs.employer_id").
			Joins("JOIN gigs ON gigs.id = applications.gig_id").
			Where("applications.status IN ? AND applications.decided_at < ?", takenOn, start).
			Where("gigs.status IN ? AND gigs.start_date <= ? AND gigs.end_date >= ?", noShowGigStates, day, day).
			Where("NOT EXISTS (SELECT 1 FROM attendances WHERE attendances.gig_id = applications.gig_id "+
				"AND attendances.worker_id = applications.worker_id AND attendances.day = ?)", day).
			Where("NOT EXISTS (SELECT 1 FROM reliability_events WHERE reliability_events.kind = ? "+
				"AND reliability_events.gig_id = applications.gig_id AND reliability_events.worker_id = applications.worker_id "+
				"AND reliability_events.day = ?)", EventNoShow, day).
			Order("applications.id").Limit(1000).Scan(&missing).Error
		if err != nil {
			return recorded, dbErr(err)
		}
		if len(missing) == 0 {
			continue
		}
		for i := range missing {
			missing[i].Kind, missing[i].Day, missing[i].CreatedAt = EventNoShow, day, s.Now()
		}
		// The NOT EXISTS above only keeps the batch small; the unique key decides.
		res := db.Clauses(clause.OnConflict{DoNothing: true}).Create(&missing)
		if res.Error != nil {
			return recorded, dbErr(res.Error)
		}
		recorded += res.RowsAffected
	}
	return recorded, nil
}

// recordLateCancels notes, in the cancelling transaction, that the employer let these confirmed workers go
// on one of the gig's work days. Before the first day it is an ordinary change of plan and is not recorded.
func recordLateCancels(tx *gorm.DB, g *Gig, workerIDs []uint64, now time.Time) error {
	day := now.In(Shanghai).Format(dateLayout)
	if len(workerIDs) == 0 || day < g.StartDate || day > g.EndDate {
		return nil
	}
	rows := make([]ReliabilityEvent, len(workerIDs))
	for i, w := range workerIDs {
		rows[i] = ReliabilityEvent{Kind: EventLateCancel, GigID: g.ID, WorkerID: w, EmployerID: g.EmployerID, Day: day, CreatedAt: now}
	}
	return dbErr(tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&rows).Error)
}

// ReliabilityCount is how many events of a kind a worker or employer has since a day.
type ReliabilityCount struct {
	NoShows     int64
	LateCancels int64
}

// WorkerReliability counts a worker's no-shows and the late cancellations they suffered since the day.
func (s *Store) WorkerReliability(ctx context.Context, workerID uint64, since string) (ReliabilityCount, error) {
	return s.reliabilityCount(ctx, "worker_id", workerID, since)
}

// EmployerReliability counts the no-shows at an employer's gigs and the employer's late cancellations.
func (s *Store) EmployerReliability(ctx context.Context, employerID uint64, since string) (ReliabilityCount, error) {
	return s.reliabilityCount(ctx, "employer_id", employerID, since)
}

func (s *Store) reliabilityCount(ctx context.Context, column string, id uint64, since string) (ReliabilityCount, error) {
	var out ReliabilityCount
	err := s.DB.WithContext(ctx).Model(&ReliabilityEvent{}).
		Select("COALESCE(SUM(CASE WHEN kind = ? THEN 1 ELSE 0 END), 0) AS no_shows, "+
			"COALESCE(SUM(CASE WHEN kind = ? THEN 1 ELSE 0 END), 0) AS late_cancels", EventNoShow, EventLateCancel).
		Where(column+" = ? AND day >= ? AND corrected_at IS NULL", id, since).Scan(&out).Error
	return out, dbErr(err)
}
