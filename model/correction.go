package model

import (
	"context"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
)

// Corrections (更正): a worker asks staff to strike a no-show that was not one, an employer a late
// cancellation the worker agreed to. Staff of the gig's area accept or refuse with a note; an accepted
// correction takes the entry out of every count.

// Correction states.
const (
	CorrectionOpen     = "open"
	CorrectionAccepted = "accepted"
	CorrectionRefused  = "refused"
)

// Errors of corrections.
var (
	ErrCorrectionOpen   = errors.New("a correction of this entry is already open")
	ErrAlreadyCorrected = errors.New("entry already corrected")
	ErrCorrectionReason = errors.New("correction reason missing or too long")
	ErrCorrectionNote   = errors.New("refusal note missing or too long")
)

// RecordCorrection is a request to correct one entry of a record, and staff's decision on it.
type RecordCorrection struct {
	ID      uint64 `gorm:"primaryKey"`
	EventID uint64
	// OpenEventID is EventID while the request is open, NULL once decided: its unique key lets the database
	// decide that an entry has one open request at a time.
	OpenEventID *uint64
	RequesterID uint64
	AreaCode    string // the gig's: staff of that area decide
	Reason      string
	Status      string
	Note        string // staff's note to the person, required when refusing
	DecidedBy   *uint64
	DecidedAt   *time.Time
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// RequestCorrection is a worker asking about one of their no-shows (or their family delegate, recorded as
// acting for them), or an employer about one of their late cancellations; nobody else's entries can be asked
// about (not found).
func (s *Store) RequestCorrection(ctx context.Context, userID, eventID uint64, reason string) (*RecordCorrection, error) {
	reason = strings.TrimSpace(reason)
	if n := utf8.RuneCountInString(reason); n < 2 || n > 200 {
		return nil, ErrCorrectionReason
	}
	var out *RecordCorrection
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var ev ReliabilityEvent
		if err := tx.Take(&ev, eventID).Error; err != nil {
			return dbErr(err)
		}
		family := false
		if err := ownsEvent(tx, userID, &ev); errors.Is(err, ErrNotFound) && ev.Kind == EventNoShow {
			if err := activeDelegate(tx, userID, ev.WorkerID); err != nil {
				return err
			}
			family = true
		} else if err != nil {
			return err
		}
		if ev.CorrectedAt != nil {
			return ErrAlreadyCorrected
		}
		var g Gig
		if err := tx.Select("id, area_code").Take(&g, ev.GigID).Error; err != nil {
			return dbErr(err)
		}
		now := s.Now()
		c := RecordCorrection{EventID: ev.ID, OpenEventID: &ev.ID, RequesterID: userID, AreaCode: g.AreaCode,
			Reason: reason, Status: CorrectionOpen, CreatedAt: now, UpdatedAt: now}
		if err := dbErr(tx.Create(&c).Error); errors.Is(err, ErrConflict) {
			return ErrCorrectionOpen
		} else if err != nil {
			return err
		}
		if family {
			if err := s.recordOnBehalf(tx, userID, ev.WorkerID, "correction_requested", "reliability_event", ev.ID, "family"); err != nil {
				return err
			}
		}
		out = &c
		return nil
	})
	return out, err
}

// ownsEvent: a no-show is the worker's to ask about, a late cancellation the employer's.
func ownsEvent(tx *gorm.DB, userID uint64, ev *ReliabilityEvent) error {
	switch ev.Kind {
	case EventNoShow:
		if ev.WorkerID == userID {
			return nil
		}
	case EventLateCancel:
		var n int64
		if err := tx.Model(&Employer{}).Where("id = ? AND user_id = ?", ev.EmployerID, userID).Count(&n).Error; err != nil {
			return dbErr(err)
		}
		if n > 0 {
			return nil
		}
	}
	return ErrNotFound
}

// latestCorrections are the newest request of each entry.
func (s *Store) latestCorrections(ctx context.Context, eventIDs []uint64) (map[uint64]*RecordCorrection, error) {
	out := map[uint64]*RecordCorrection{}
	if len(eventIDs) == 0 {
		return out, nil
	}
	var rows []RecordCorrection
	if err := s.DB.WithContext(ctx).Where("event_id IN ?", eventIDs).Order("id").Find(&rows).Error; err != nil {
		return nil, dbErr(err)
	}
	for i := range rows {
		out[rows[i].EventID] = &rows[i]
	}
	return out, nil
}

// CorrectionCase is a request as staff see it: the entry, whose it is, and what the person said.
type CorrectionCase struct {
	RecordCorrection
	Kind         string
	Day          string
	GigID        uint64
	GigTitle     string
	EmployerName string
	WorkerName   string // masked
	// Attendance is the worker's attendance on the entry's day, if any (a no-show has none unless it came
	// after the job decided the day, such as a mark entered late).
	Attendance *Attendance
}

// Corrections lists the requests of the staff member's area, open ones first (oldest first, as they wait),
// then the newest decided.
func (s *Store) Corrections(ctx context.Context, scope Scope, limit int) ([]CorrectionCase, error) {
	var rows []RecordCorrection
	q := scope.where(s.DB.WithContext(ctx).Model(&RecordCorrection{}), "area_code")
	if err := q.Order("CASE WHEN status = 'open' THEN 0 ELSE 1 END, " +
		"CASE WHEN status = 'open' THEN id ELSE 0 END, id DESC").Limit(limit).Find(&rows).Error; err != nil {
		return nil, dbErr(err)
	}
	return s.correctionCases(ctx, rows)
}

func (s *Store) correctionCases(ctx context.Context, rows []RecordCorrection) ([]CorrectionCase, error) {
	out := make([]CorrectionCase, 0, len(rows))
	if len(rows) == 0 {
		return out, nil
	}
	db := s.DB.WithContext(ctx)
	ids := make([]uint64, len(rows))
	for i, r := range rows {
		ids[i] = r.EventID
	}
	var events []ReliabilityEvent
	if err := db.Where("id IN ?", uniqueIDs(ids)).Find(&events).Error; err != nil {
		return nil, dbErr(err)
	}
	eventOf := map[uint64]ReliabilityEvent{}
	var gigIDs, workerIDs, employerIDs []uint64
	for _, e := range events {
		eventOf[e.ID] = e
		gigIDs, workerIDs, employerIDs = append(gigIDs, e.GigID), append(workerIDs, e.WorkerID), append(employerIDs, e.EmployerID)
	}
	var gigs []Gig
	if err := db.Select("id, title").Where("id IN ?", uniqueIDs(gigIDs)).Find(&gigs).Error; err != nil {
		return nil, dbErr(err)
	}
	titleOf := map[uint64]string{}
	for _, g := range gigs {
		titleOf[g.ID] = g.Title
	}
	names, err := s.employerNames(ctx, employerIDs)
	if err != nil {
		return nil, err
	}
	var profiles []WorkerProfile
	if err := db.Where("user_id IN ?", uniqueIDs(workerIDs)).Find(&profiles).Error; err != nil {
		return nil, dbErr(err)
	}
	workerName := map[uint64]string{}
	for i := range profiles {
		w, err := s.openWorker(&profiles[i], nil)
		if err != nil {
			return nil, err
		}
		workerName[profiles[i].UserID] = MaskName(w.Name)
	}
	// The entries' days of attendance, read at once: a few rows more than needed, filtered here.
	var days []string
	for _, e := range events {
		days = append(days, e.Day)
	}
	var attendances []Attendance
	if err := db.Where("gig_id IN ? AND worker_id IN ? AND day IN ?", uniqueIDs(gigIDs), uniqueIDs(workerIDs), days).
		Find(&attendances).Error; err != nil {
		return nil, dbErr(err)
	}
	type workerDay struct {
		gigWorker
		day string
	}
	attendanceOf := map[workerDay]*Attendance{}
	for i, a := range attendances {
		attendanceOf[workerDay{gigWorker{a.GigID, a.WorkerID}, a.Day}] = &attendances[i]
	}
	for _, r := range rows {
		e := eventOf[r.EventID]
		out = append(out, CorrectionCase{RecordCorrection: r, Kind: e.Kind, Day: e.Day, GigID: e.GigID, GigTitle: titleOf[e.GigID],
			EmployerName: names[e.EmployerID], WorkerName: workerName[e.WorkerID],
			Attendance: attendanceOf[workerDay{gigWorker{e.GigID, e.WorkerID}, e.Day}]})
	}
	return out, nil
}

// DecideCorrection is staff of the gig's area accepting or refusing an open request, once. Accepting takes
// the entry out of the counts; the person is told either way. Staff may not decide on their own record, nor
// on that of a person they act for in the family.
func (s *Store) DecideCorrection(ctx context.Context, scope Scope, id uint64, accept bool, note string) (*CorrectionCase, error) {
	note = strings.TrimSpace(note)
	if utf8.RuneCountInString(note) > 200 || (!accept && note == "") {
		return nil, ErrCorrectionNote
	}
	var decided RecordCorrection
	var employerID uint64
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var c RecordCorrection
		if err := tx.Take(&c, id).Error; err != nil {
			return dbErr(err)
		}
		if !scope.Covers(c.AreaCode) {
			return ErrNotFound
		}
		var ev ReliabilityEvent
		if err := tx.Take(&ev, c.EventID).Error; err != nil {
			return dbErr(err)
		}
		var emp Employer
		if err := tx.Select("id, user_id").Take(&emp, ev.EmployerID).Error; err != nil {
			return dbErr(err)
		}
		for _, party := range []uint64{ev.WorkerID, emp.UserID} {
			if err := conflicted(tx, scope.UserID, party, false); err != nil {
				return err
			}
		}
		now := s.Now()
		status, result := CorrectionRefused, "未通过"
		if accept {
			status, result = CorrectionAccepted, "已更正"
		}
		res := tx.Model(&RecordCorrection{}).Where("id = ? AND status = ?", c.ID, CorrectionOpen).Updates(map[string]any{
			"status": status, "open_event_id": nil, "note": note, "decided_by": scope.UserID, "decided_at": now, "updated_at": now})
		if res.Error != nil {
			return dbErr(res.Error)
		}
		if res.RowsAffected == 0 {
			return ErrAlreadyDecided
		}
		if accept {
			if err := tx.Model(&ReliabilityEvent{}).Where("id = ? AND corrected_at IS NULL", ev.ID).
				Update("corrected_at", now).Error; err != nil {
				return dbErr(err)
			}
		}
		what := "未到岗记录"
		if ev.Kind == EventLateCancel {
			what = "当天取消记录"
		}
		if err := enqueue(tx, c.RequesterID, MsgReviewResult, RecordPage,
			map[string]string{"item": what + "更正 " + ev.Day, "result": result, "note": note}, nil, now); err != nil {
			return err
		}
		c.Status, c.OpenEventID, c.Note, c.DecidedBy, c.DecidedAt, c.UpdatedAt = status, nil, note, &scope.UserID, &now, now
		decided, employerID = c, ev.EmployerID
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.records.forget(employerID)
	cases, err := s.correctionCases(ctx, []RecordCorrection{decided})
	if err != nil {
		return nil, err
	}
	return &cases[0], nil
}

// RecordPage is the mini-program's 我的记录, which a correction's result opens.
const RecordPage = "pages/record/index"
