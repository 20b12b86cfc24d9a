package model

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// A person's own record shows every number with the entries it was counted from, so that they can see why it
// says what it says and ask for a wrong no-show or late cancellation to be corrected.

// Kinds of record entries.
const (
	EntryDay        = "day"       // a day worked (attendance)
	EntryNoShow     = EventNoShow // a no-show
	EntryRating     = "rating"    // a rating an employer gave the worker
	EntryGig        = "gig"       // a gig the employer completed
	EntryPay        = "pay"       // a worker's pay on one of the employer's gigs
	EntryComplaint  = "complaint" // a complaint staff upheld
	EntryLateCancel = EventLateCancel
)

// recordEntryLimit bounds each list: the newest entries, enough to check the numbers a person remembers.
const recordEntryLimit = 200

// RecordEntry is one row behind a number of a record.
type RecordEntry struct {
	Kind     string
	ID       uint64 // for a no-show or late cancellation, the entry a correction names
	Day      string
	GigID    uint64
	GigTitle string
	Text     string // what the entry is, in plain words
	Counted  bool   // whether the number includes it
	// Correction is the latest request to correct the entry, if any.
	Correction *RecordCorrection
}

// OwnWorkerRecord is a worker's own record with its entries.
type OwnWorkerRecord struct {
	WorkerRecord
	NoShowSince   string
	DayEntries    []RecordEntry
	NoShowEntries []RecordEntry
	RatingEntries []RecordEntry
}

// OwnEmployerRecord is an employer's own record with its entries.
type OwnEmployerRecord struct {
	EmployerRecord
	GigEntries        []RecordEntry
	PayEntries        []RecordEntry
	ComplaintEntries  []RecordEntry
	LateCancelEntries []RecordEntry
}

// WorkerOwnRecord is the worker's record as they see it themselves (and their family delegate for them).
func (s *Store) WorkerOwnRecord(ctx context.Context, workerID uint64) (*OwnWorkerRecord, error) {
	recs, err := s.WorkerRecords(ctx, []uint64{workerID})
	if err != nil {
		return nil, err
	}
	if _, registered := recs[workerID]; !registered { // every registered worker has an entry, if only the rating
		return nil, ErrProfileMissing
	}
	out := &OwnWorkerRecord{WorkerRecord: recs[workerID], NoShowSince: s.noShowSince(),
		DayEntries: []RecordEntry{}, NoShowEntries: []RecordEntry{}, RatingEntries: []RecordEntry{}}
	days, err := s.WorkerAttendance(ctx, workerID, recordEntryLimit)
	if err != nil {
		return nil, err
	}
	for _, d := range days {
		text := "扫码签到"
		if d.Method == AttendMarked {
			text = "雇主代记到岗"
			switch d.Answer {
			case MarkConfirmed:
				text += "，您确认了"
			case MarkContested:
				text += "，您有异议"
			}
		}
		out.DayEntries = append(out.DayEntries, RecordEntry{Kind: EntryDay, ID: d.ID, Day: d.Day, GigID: d.GigID, GigTitle: d.GigTitle,
			Text: text, Counted: d.Answer != MarkContested})
	}
	if out.NoShowEntries, err = s.eventEntries(ctx, "worker_id", workerID, EventNoShow, out.NoShowSince); err != nil {
		return nil, err
	}
	var ratings []struct {
		ID        uint64
		Score     int
		Comment   string
		CreatedAt time.Time
		GigID     uint64
		GigTitle  string
	}
	if err := s.DB.WithContext(ctx).Table("ratings").
		Select("ratings.id, ratings.score, ratings.comment, ratings.created_at, gigs.id AS gig_id, gigs.title AS gig_title").
		Joins("JOIN applications ON applications.id = ratings.application_id").Joins("JOIN gigs ON gigs.id = applications.gig_id").
		Where("applications.worker_id = ? AND ratings.by_role = ?", workerID, "employer").
		Order("ratings.id DESC").Limit(recordEntryLimit).Scan(&ratings).Error; err != nil {
		return nil, dbErr(err)
	}
	for _, r := range ratings {
		text := fmt.Sprintf("雇主打了%d颗星", r.Score)
		if r.Comment != "" {
			text += "：" + r.Comment
		}
		out.RatingEntries = append(out.RatingEntries, RecordEntry{Kind: EntryRating, ID: r.ID, Day: r.CreatedAt.In(Shanghai).Format(dateLayout),
			GigID: r.GigID, GigTitle: r.GigTitle, Text: text, Counted: true})
	}
	return out, nil
}

// WorkerRecordFor is the elder's record for their family delegate, who may ask for its corrections too.
func (s *Store) WorkerRecordFor(ctx context.Context, delegateID, elderID uint64) (*OwnWorkerRecord, error) {
	if err := s.actingFor(ctx, delegateID, elderID); err != nil {
		return nil, err
	}
	return s.WorkerOwnRecord(ctx, elderID)
}

// EmployerOwnRecord is the employer's record as they see it themselves, counted afresh.
func (s *Store) EmployerOwnRecord(ctx context.Context, employerUserID uint64) (*OwnEmployerRecord, error) {
	var emp Employer
	if err := s.DB.WithContext(ctx).Where("user_id = ?", employerUserID).Take(&emp).Error; err != nil {
		if err = dbErr(err); errors.Is(err, ErrNotFound) {
			return nil, ErrProfileMissing
		}
		return nil, err
	}
	rec, err := s.employerRecord(ctx, emp.ID)
	if err != nil {
		return nil, err
	}
	s.records.put(emp.ID, rec, s.Now())
	out := &OwnEmployerRecord{EmployerRecord: rec, GigEntries: []RecordEntry{}, PayEntries: []RecordEntry{}, ComplaintEntries: []RecordEntry{}}
	db := s.DB.WithContext(ctx)
	var gigs []struct {
		GigID   uint64
		Title   string
		EndDate string
		Workers int
	}
	if err := db.Model(&Application{}).Joins("JOIN gigs ON gigs.id = applications.gig_id").
		Select("gigs.id AS gig_id, gigs.title, gigs.end_date, COUNT(*) AS workers").
		Where("gigs.employer_id = ? AND applications.status IN ?", emp.ID, []string{AppCompleted, AppPaid, AppDisputed}).
		Group("gigs.id, gigs.title, gigs.end_date").Order("gigs.id DESC").Limit(recordEntryLimit).Scan(&gigs).Error; err != nil {
		return nil, dbErr(err)
	}
	for _, g := range gigs {
		out.GigEntries = append(out.GigEntries, RecordEntry{Kind: EntryGig, ID: g.GigID, Day: g.EndDate, GigID: g.GigID, GigTitle: g.Title,
			Text: fmt.Sprintf("%d人完工", g.Workers), Counted: true})
	}
	var pays []payRow
	if err := s.payRows(db, emp.ID).Order("applications.id DESC").Limit(recordEntryLimit).Scan(&pays).Error; err != nil {
		return nil, dbErr(err)
	}
	for _, p := range pays {
		e := RecordEntry{Kind: EntryPay, ID: p.ApplicationID, Day: p.EndDate, GigID: p.GigID, GigTitle: p.GigTitle, Counted: true}
		switch {
		case p.onTime():
			e.Text = "按时记了付款，工人没有异议"
		case p.Status == AppDisputed:
			e.Text = "工人说工钱没有付清"
		case p.CompletedAt == nil:
			e.Text = fmt.Sprintf("活结束%d天后还没有记付款", PaidOnTimeDays)
		default:
			e.Text = fmt.Sprintf("付款记得晚了（活结束%d天后）", PaidOnTimeDays)
		}
		out.PayEntries = append(out.PayEntries, e)
	}
	var complaints []struct {
		ID         uint64
		Category   string
		ResolvedAt time.Time
		GigID      *uint64
		GigTitle   *string
	}
	if err := db.Model(&Complaint{}).Select("complaints.id, complaints.category, complaints.resolved_at, gigs.id AS gig_id, gigs.title AS gig_title").
		Joins("LEFT JOIN gigs ON gigs.id = complaints.gig_id").
		Where("complaints.employer_id = ? AND complaints.resolved_at IS NOT NULL", emp.ID).
		Order("complaints.id DESC").Limit(recordEntryLimit).Scan(&complaints).Error; err != nil {
		return nil, dbErr(err)
	}
	for _, c := range complaints {
		e := RecordEntry{Kind: EntryComplaint, ID: c.ID, Day: c.ResolvedAt.In(Shanghai).Format(dateLayout),
			Text: "工作人员核实属实的投诉：" + complaintCategoryWords[c.Category], Counted: true}
		if c.GigID != nil && c.GigTitle != nil {
			e.GigID, e.GigTitle = *c.GigID, *c.GigTitle
		}
		out.ComplaintEntries = append(out.ComplaintEntries, e)
	}
	if out.LateCancelEntries, err = s.eventEntries(ctx, "employer_id", emp.ID, EventLateCancel, ""); err != nil {
		return nil, err
	}
	return out, nil
}

// complaintCategoryWords are the categories in the words the console uses too.
var complaintCategoryWords = map[string]string{ComplaintWageArrears: "欠薪", ComplaintDiscrimination: "就业歧视",
	ComplaintFalsePosting: "虚假招聘", ComplaintFees: "收费押金", ComplaintSafety: "安全", ComplaintOther: "其他"}

// eventEntries lists one person's no-shows or late cancellations since a day (all when empty), newest first,
// with each one's latest correction request.
func (s *Store) eventEntries(ctx context.Context, column string, id uint64, kind, since string) ([]RecordEntry, error) {
	var rows []struct {
		ReliabilityEvent
		GigTitle string
	}
	q := s.DB.WithContext(ctx).Model(&ReliabilityEvent{}).Select("reliability_events.*, gigs.title AS gig_title").
		Joins("JOIN gigs ON gigs.id = reliability_events.gig_id").
		Where("reliability_events."+column+" = ? AND reliability_events.kind = ?", id, kind)
	if since != "" {
		q = q.Where("reliability_events.day >= ?", since)
	}
	if err := q.Order("reliability_events.day DESC, reliability_events.id DESC").Limit(recordEntryLimit).Scan(&rows).Error; err != nil {
		return nil, dbErr(err)
	}
	ids := make([]uint64, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	latest, err := s.latestCorrections(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]RecordEntry, len(rows))
	for i, r := range rows {
		text := "录用了，那天没有签到"
		if kind == EventLateCancel {
			text = "开工当天取消了已录用的工人"
		}
		if r.CorrectedAt != nil {
			text += "（工作人员已更正，不算）"
		}
		out[i] = RecordEntry{Kind: kind, ID: r.ID, Day: r.Day, GigID: r.GigID, GigTitle: r.GigTitle, Text: text,
			Counted: r.CorrectedAt == nil, Correction: latest[r.ID]}
	}
	return out, nil
}
