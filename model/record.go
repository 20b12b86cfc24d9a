package model

import (
	"context"
	"sync"
	"time"

	"gorm.io/gorm"
)

// Reliability records (信用记录), both ways: what an employer sees of a worker who applied, what a worker sees
// of an employer before applying, and each person's own record with the entries behind every number.

// NoShowWindow is how far back a worker's no-shows count: an old slip should not follow a worker for ever.
const NoShowWindow = 90

// PaidOnTimeDays is how many days after the gig's last day the employer has to record the payment of a worker
// who worked it, for that payment to count as on time.
const PaidOnTimeDays = 7

// WorkerRecord is a worker's record as an employer with their application sees it.
type WorkerRecord struct {
	DaysWorked  int64 // attendance days, all gigs
	NoShows     int64 // in the last NoShowWindow days, not corrected
	Rating      float64
	RatingCount int
}

// EmployerRecord is an employer's record as workers see it.
type EmployerRecord struct {
	GigsCompleted    int64 // gigs with at least one worker whose work the employer recorded as done
	PaidDue          int64 // workers who worked a gig that ended PaidOnTimeDays ago, or whose pay was recorded
	PaidOnTime       int64 // of those, pay recorded within PaidOnTimeDays of the last day and not disputed
	UpheldComplaints int64 // complaints against the employer that staff resolved (not rejected)
	LateCancels      int64 // not corrected, all time
}

// noShowSince is the first day of the no-show window.
func (s *Store) noShowSince() string {
	return s.Now().In(Shanghai).AddDate(0, 0, -NoShowWindow).Format(dateLayout)
}

// WorkerRecords are the records of several workers, read in three grouped statements, for an applicant list.
func (s *Store) WorkerRecords(ctx context.Context, workerIDs []uint64) (map[uint64]WorkerRecord, error) {
	out := map[uint64]WorkerRecord{}
	if len(workerIDs) == 0 {
		return out, nil
	}
	ids := uniqueIDs(workerIDs)
	db := s.DB.WithContext(ctx)
	type count struct {
		WorkerID uint64
		N        int64
	}
	var days, noShows []count
	if err := db.Model(&Attendance{}).Select("worker_id, COUNT(*) AS n").Where("worker_id IN ?", ids).Where(dayWorked).
		Group("worker_id").Scan(&days).Error; err != nil {
		return nil, dbErr(err)
	}
	if err := db.Model(&ReliabilityEvent{}).Select("worker_id, COUNT(*) AS n").
		Where("worker_id IN ? AND kind = ? AND day >= ? AND corrected_at IS NULL", ids, EventNoShow, s.noShowSince()).
		Group("worker_id").Scan(&noShows).Error; err != nil {
		return nil, dbErr(err)
	}
	var profiles []WorkerProfile
	if err := db.Select("user_id, rating_sum, rating_count").Where("user_id IN ?", ids).Find(&profiles).Error; err != nil {
		return nil, dbErr(err)
	}
	for _, p := range profiles {
		r := WorkerRecord{RatingCount: p.RatingCount}
		if p.RatingCount > 0 {
			r.Rating = float64(p.RatingSum) / float64(p.RatingCount)
		}
		out[p.UserID] = r
	}
	for _, c := range days {
		r := out[c.WorkerID]
		r.DaysWorked = c.N
		out[c.WorkerID] = r
	}
	for _, c := range noShows {
		r := out[c.WorkerID]
		r.NoShows = c.N
		out[c.WorkerID] = r
	}
	return out, nil
}

// employerRecord counts an employer's record from the database: a few grouped reads on indexed columns.
func (s *Store) employerRecord(ctx context.Context, employerID uint64) (EmployerRecord, error) {
	db := s.DB.WithContext(ctx)
	var r EmployerRecord
	// The three counts in one statement: on a cold gig page this is read while the worker waits.
	done := []string{AppCompleted, AppPaid, AppDisputed}
	if err := db.Raw(`SELECT
		(SELECT COUNT(DISTINCT applications.gig_id) FROM applications JOIN gigs ON gigs.id = applications.gig_id
			WHERE gigs.employer_id = ? AND applications.status IN ?),
		(SELECT COUNT(*) FROM complaints WHERE employer_id = ? AND resolved_at IS NOT NULL),
		(SELECT COUNT(*) FROM reliability_events WHERE employer_id = ? AND kind = ? AND corrected_at IS NULL)`,
		employerID, done, employerID, employerID, EventLateCancel).Row().
		Scan(&r.GigsCompleted, &r.UpheldComplaints, &r.LateCancels); err != nil {
		return r, dbErr(err)
	}
	var pays []payRow
	if err := s.payRows(db, employerID).Scan(&pays).Error; err != nil {
		return r, dbErr(err)
	}
	for _, p := range pays {
		r.PaidDue++
		if p.onTime() {
			r.PaidOnTime++
		}
	}
	return r, nil
}

// payRows are the employer's applications whose pay is due: the worker was taken on and worked at least a day,
// and either the employer recorded the pay or the gig ended PaidOnTimeDays ago.
func (s *Store) payRows(db *gorm.DB, employerID uint64) *gorm.DB {
	overdue := s.Now().In(Shanghai).AddDate(0, 0, -PaidOnTimeDays).Format(dateLayout)
	return db.Model(&Application{}).Joins("JOIN gigs ON gigs.id = applications.gig_id").
		Where("gigs.employer_id = ? AND applications.status IN ?", employerID, takenOn).
		Where("EXISTS (SELECT 1 FROM attendances WHERE attendances.gig_id = applications.gig_id AND attendances.worker_id = applications.worker_id)").
		Where("(applications.completed_at IS NOT NULL OR gigs.end_date < ?)", overdue).
		Select("applications.id AS application_id, applications.gig_id, gigs.title AS gig_title, gigs.end_date, " +
			"applications.status, applications.completed_at")
}

// payRow is one worker's pay on one of the employer's gigs.
type payRow struct {
	ApplicationID uint64
	GigID         uint64
	GigTitle      string
	EndDate       string
	Status        string
	CompletedAt   *time.Time
}

// onTime: the employer recorded the pay by the end of the PaidOnTimeDays-th day after the last work day, and
// the worker did not say it was not paid.
func (p payRow) onTime() bool {
	end, err := time.ParseInLocation(dateLayout, p.EndDate, Shanghai)
	return err == nil && p.Status != AppDisputed && p.CompletedAt != nil &&
		p.CompletedAt.Before(end.AddDate(0, 0, PaidOnTimeDays+1))
}

// recordCacheAge is how long an employer's record is reused on the gig page, the second busiest: the counts
// move by the day, so a few minutes' delay in another instance costs nothing, and a busy employer's gigs cost
// one count per instance per few minutes rather than one per view.
const recordCacheAge = 5 * time.Minute

// recordCacheMax bounds the cache; past it, expired entries are dropped, and if none are, all of them.
const recordCacheMax = 20000

type recordCache struct {
	mu sync.Mutex
	m  map[uint64]cachedRecord
}

type cachedRecord struct {
	r  EmployerRecord
	at time.Time
}

func (c *recordCache) get(id uint64, now time.Time) (EmployerRecord, bool) {
	if c == nil {
		return EmployerRecord{}, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[id]
	if !ok || now.Sub(e.at) >= recordCacheAge || now.Before(e.at) {
		return EmployerRecord{}, false
	}
	return e.r, true
}

func (c *recordCache) put(id uint64, r EmployerRecord, now time.Time) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[uint64]cachedRecord{}
	}
	if len(c.m) >= recordCacheMax {
		for k, e := range c.m {
			if now.Sub(e.at) >= recordCacheAge {
				delete(c.m, k)
			}
		}
		if len(c.m) >= recordCacheMax {
			clear(c.m)
		}
	}
	c.m[id] = cachedRecord{r: r, at: now}
}

// forget drops an employer's record in this instance, after a change this instance made to it.
func (c *recordCache) forget(id uint64) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.m, id)
}

// EmployerRecordOf is an employer's record for workers: the gig page and the employer's record page. It is
// reused for recordCacheAge within an instance.
func (s *Store) EmployerRecordOf(ctx context.Context, employerID uint64) (EmployerRecord, error) {
	now := s.Now()
	if r, ok := s.records.get(employerID, now); ok {
		return r, nil
	}
	r, err := s.employerRecord(ctx, employerID)
	if err != nil {
		return r, err
	}
	s.records.put(employerID, r, now)
	return r, nil
}

// PublicEmployerName is the name workers see of an employer whose gigs they may see (verified, or suspended
// with gigs they worked); others are not found.
func (s *Store) PublicEmployerName(ctx context.Context, employerID uint64) (string, error) {
	var e Employer
	if err := s.DB.WithContext(ctx).Select("id, display_name, verified_name").
		Where("id = ? AND status IN ?", employerID, []string{StatusVerified, StatusSuspended}).Take(&e).Error; err != nil {
		return "", dbErr(err)
	}
	return e.PublicName(), nil
}
