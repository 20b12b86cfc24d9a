package model

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
)

// Complaint categories of 劳动维权.
const (
	ComplaintWageArrears    = "wage_arrears"
	ComplaintDiscrimination = "discrimination"
	ComplaintFalsePosting   = "false_posting"
	ComplaintFees           = "fees"
	ComplaintSafety         = "safety"
	ComplaintOther          = "other"
)

// Complaint states: submitted → accepted → processing → resolved or rejected → closed. A submitted complaint
// whose text WeChat refuses is returned to the complainant, who changes it and submits it again.
const (
	CaseSubmitted  = "submitted"
	CaseReturned   = "returned"
	CaseAccepted   = "accepted"
	CaseProcessing = "processing"
	CaseResolved   = "resolved"
	CaseRejected   = "rejected"
	CaseClosed     = "closed"
)

var complaintCategories = map[string]bool{ComplaintWageArrears: true, ComplaintDiscrimination: true,
	ComplaintFalsePosting: true, ComplaintFees: true, ComplaintSafety: true, ComplaintOther: true}

// caseMoves are the transitions staff may make.
var caseMoves = map[string][]string{
	CaseSubmitted:  {CaseAccepted, CaseRejected},
	CaseAccepted:   {CaseProcessing, CaseResolved, CaseRejected},
	CaseProcessing: {CaseResolved, CaseRejected},
	CaseResolved:   {CaseClosed},
	CaseRejected:   {CaseClosed},
	// A returned complaint is its writer's to change; staff only close one left unchanged.
	CaseReturned: {CaseClosed},
}

// ComplaintNextSteps are the states staff may move a complaint in this state to, in the order they are offered.
func ComplaintNextSteps(status string) []string { return append([]string(nil), caseMoves[status]...) }

// Complaint is a worker's 劳动维权 case. Its area (for staff scope) is the gig's, else the employer's, else
// the complainant's home area, else the province.
type Complaint struct {
	ID                 uint64 `gorm:"primaryKey"`
	ComplainantID      uint64
	Category           string
	GigID              *uint64
	EmployerID         *uint64
	ApplicationID      *uint64
	Description        string
	ShowIdentity       bool
	SharedWithEmployer bool
	SecCheck           string // WeChat's content check of the description (Sec*), run from the content-check queue
	Status             string
	AreaCode           string
	RejectReason       string
	AcceptDue          time.Time
	AcceptedAt         *time.Time
	ResolvedAt         *time.Time
	Satisfaction       *int
	SatisfactionNote   string
	CreatedAt          time.Time
	UpdatedAt          time.Time
}

// Overdue tells whether a complaint waited past its acceptance deadline (3 working days).
func (c *Complaint) Overdue(now time.Time) bool {
	return c.Status == CaseSubmitted && now.After(c.AcceptDue)
}

// ComplaintEvent is one entry of a complaint's timeline.
type ComplaintEvent struct {
	ID          uint64 `gorm:"primaryKey"`
	ComplaintID uint64
	Status      string
	Note        string
	ActorID     uint64
	ActorRole   string // complainant, staff, system
	CreatedAt   time.Time
}

// ComplaintPhoto links an uploaded photo to a complaint.
type ComplaintPhoto struct {
	ComplaintID uint64 `gorm:"primaryKey;autoIncrement:false"`
	UploadID    uint64 `gorm:"primaryKey;autoIncrement:false"`
}

// ComplaintInput is what a worker files.
type ComplaintInput struct {
	Category      string
	GigID         *uint64
	EmployerID    *uint64
	ApplicationID *uint64
	Description   string
	PhotoIDs      []uint64
	ShowIdentity  bool
}

// Errors of complaints.
var ErrAlreadySurveyed = errors.New("satisfaction already given")

// FileComplaint records a complaint with its first timeline entry; WeChat's check of its text is queued, so the
// worker does not wait for WeChat.
func (s *Store) FileComplaint(ctx context.Context, userID uint64, in ComplaintInput) (*Complaint, error) {
	var bad fieldErrors
	in.Description = strings.TrimSpace(in.Description)
	if !complaintCategories[in.Category] {
		bad.add("category", "请选择问题类型")
	}
	if n := utf8.RuneCountInString(in.Description); n < 5 || n > 2000 {
		bad.add("description", "请把情况说清楚，5到2000个字")
	}
	if len(in.PhotoIDs) > 6 {
		bad.add("photos", "最多6张照片")
	}
	if err := bad.err(); err != nil {
		return nil, err
	}
	var out *Complaint
	err := s.tx(ctx, func(tx *gorm.DB) error {
		c, err := s.newComplaint(tx, userID, in)
		out = c
		return err
	})
	return out, err
}

func (s *Store) newComplaint(tx *gorm.DB, userID uint64, in ComplaintInput) (*Complaint, error) {
	area := ""
	// What the complaint concerns must be the complainant's own business: their application, or a gig or
	// employer they could see.
	if in.ApplicationID != nil {
		var app Application
		if err := tx.Where("id = ? AND worker_id = ?", *in.ApplicationID, userID).Take(&app).Error; err != nil {
			return nil, notFoundAs(err, "application_id", "没有找到这次报名")
		}
		in.GigID = &app.GigID
	}
	if in.GigID != nil {
		var g Gig
		if err := tx.Where("id = ? AND status <> ?", *in.GigID, GigPendingReview).Take(&g).Error; err != nil {
			return nil, notFoundAs(err, "gig_id", "没有找到这个招工")
		}
		in.EmployerID, area = &g.EmployerID, g.AreaCode
	}
	if in.EmployerID != nil {
		var e Employer
		if err := tx.Take(&e, *in.EmployerID).Error; err != nil {
			return nil, notFoundAs(err, "employer_id", "没有找到这个雇主")
		}
		if area == "" {
			area = e.AreaCode
		}
	}
	if area == "" {
		var p WorkerProfile
		if err := tx.Select("area_code").Where("user_id = ?", userID).Take(&p).Error; err == nil {
			area = p.AreaCode
		}
	}
	if area == "" {
		area = "340000"
	}
	if len(in.PhotoIDs) > 0 {
		var n int64
		if err := tx.Model(&Upload{}).Where("id IN ? AND owner_id = ?", in.PhotoIDs, userID).Count(&n).Error; err != nil {
			return nil, dbErr(err)
		}
		if int(n) != len(uniqueIDs(in.PhotoIDs)) {
			return nil, &InvalidInput{Fields: []FieldError{{"photos", "照片没有上传成功，请重新选择"}}}
		}
	}
	now := s.Now()
	calendar, err := s.workCalendar(tx)
	if err != nil {
		return nil, err
	}
	c := Complaint{ComplainantID: userID, Category: in.Category, GigID: in.GigID, EmployerID: in.EmployerID,
		ApplicationID: in.ApplicationID, Description: in.Description, ShowIdentity: in.ShowIdentity, SecCheck: SecChecking, Status: CaseSubmitted,
		AreaCode: area, AcceptDue: calendar.AddWorkingDays(now, 3), CreatedAt: now, UpdatedAt: now}
	if err := tx.Create(&c).Error; err != nil {
		return nil, dbErr(err)
	}
	for _, id := range uniqueIDs(in.PhotoIDs) {
		if err := tx.Create(&ComplaintPhoto{ComplaintID: c.ID, UploadID: id}).Error; err != nil {
			return nil, dbErr(err)
		}
	}
	if err := queueCheck(tx, CheckComplaint, c.ID, now); err != nil {
		return nil, err
	}
	return &c, dbErr(tx.Create(&ComplaintEvent{ComplaintID: c.ID, Status: CaseSubmitted, Note: "已提交",
		ActorID: userID, ActorRole: "complainant", CreatedAt: now}).Error)
}

func notFoundAs(err error, field, message string) error {
	if err = dbErr(err); errors.Is(err, ErrNotFound) {
		return &InvalidInput{Fields: []FieldError{{field, message}}}
	}
	return err
}

// ComplaintView is a complaint with its timeline and photos.
type ComplaintView struct {
	Complaint
	Events   []ComplaintEvent
	PhotoIDs []uint64
	// A wage-arrears complaint about an application carries the worker's attendance on that gig (without the
	// locations) and what it says is owed: the evidence behind the complaint.
	Attendance []Attendance
	Owed       *Owed
}

// ComplaintFor opens a complaint for its complainant.
func (s *Store) ComplaintFor(ctx context.Context, userID, id uint64) (*ComplaintView, error) {
	var c Complaint
	if err := s.DB.WithContext(ctx).Where("id = ? AND complainant_id = ?", id, userID).Take(&c).Error; err != nil {
		return nil, dbErr(err)
	}
	return s.complaintView(ctx, &c)
}

// ComplaintForStaff opens a complaint in a staff member's area.
func (s *Store) ComplaintForStaff(ctx context.Context, scope Scope, id uint64) (*ComplaintView, error) {
	var c Complaint
	if err := s.DB.WithContext(ctx).Take(&c, id).Error; err != nil {
		return nil, dbErr(err)
	}
	if !scope.Covers(c.AreaCode) {
		return nil, ErrNotFound
	}
	return s.complaintView(ctx, &c)
}

// ComplaintForEmployer opens a complaint about the employer, once staff shared it. The complainant stays
// hidden unless they agreed to be shown; the handler leaves their identity out then.
func (s *Store) ComplaintForEmployer(ctx context.Context, employerUserID, id uint64) (*ComplaintView, error) {
	var c Complaint
	err := s.DB.WithContext(ctx).Joins("JOIN employers ON employers.id = complaints.employer_id").
		Where("complaints.id = ? AND employers.user_id = ? AND complaints.shared_with_employer = ?", id, employerUserID, true).
		Take(&c).Error
	if err != nil {
		return nil, dbErr(err)
	}
	return s.complaintView(ctx, &c)
}

func (s *Store) complaintView(ctx context.Context, c *Complaint) (*ComplaintView, error) {
	v := &ComplaintView{Complaint: *c}
	if err := s.DB.WithContext(ctx).Where("complaint_id = ?", c.ID).Order("id").Find(&v.Events).Error; err != nil {
		return nil, dbErr(err)
	}
	if err := s.DB.WithContext(ctx).Model(&ComplaintPhoto{}).Where("complaint_id = ?", c.ID).Order("upload_id").
		Pluck("upload_id", &v.PhotoIDs).Error; err != nil {
		return nil, dbErr(err)
	}
	if c.Category == ComplaintWageArrears && c.ApplicationID != nil && c.GigID != nil {
		// Only a worker's own application can be named (newComplaint checks), so the complainant is the worker.
		db := s.DB.WithContext(ctx)
		var g Gig
		if err := db.Take(&g, *c.GigID).Error; err != nil {
			return nil, dbErr(err)
		}
		days, err := workerDays(db, g.ID, c.ComplainantID)
		if err != nil {
			return nil, err
		}
		for i := range days {
			days[i].ArriveGeoCipher, days[i].LeaveGeoCipher = "", ""
		}
		o := owedOfDays(&g, days)
		v.Attendance, v.Owed = days, &o
	}
	return v, nil
}

// MyComplaints lists the caller's own complaints, newest first.
func (s *Store) MyComplaints(ctx context.Context, userID uint64) ([]Complaint, error) {
	var out []Complaint
	return out, dbErr(s.DB.WithContext(ctx).Where("complainant_id = ?", userID).Order("id DESC").Limit(200).Find(&out).Error)
}

// EmployerComplaints lists the complaints staff shared with the employer.
func (s *Store) EmployerComplaints(ctx context.Context, employerUserID uint64) ([]Complaint, error) {
	var out []Complaint
	err := s.DB.WithContext(ctx).Joins("JOIN employers ON employers.id = complaints.employer_id").
		Where("employers.user_id = ? AND complaints.shared_with_employer = ?", employerUserID, true).
		Order("complaints.id DESC").Limit(200).Find(&out).Error
	return out, dbErr(err)
}

// StaffComplaints is the queue of a staff member's area: oldest waiting first, optionally one status or
// only the overdue ones.
func (s *Store) StaffComplaints(ctx context.Context, scope Scope, status string, overdueOnly bool) ([]Complaint, error) {
	q := scope.where(s.DB.WithContext(ctx), "area_code")
	if status != "" {
		q = q.Where("status = ?", status)
	}
	if overdueOnly {
		q = q.Where("status = ? AND accept_due < ?", CaseSubmitted, s.Now())
	}
	var out []Complaint
	return out, dbErr(q.Order("accept_due, id").Limit(500).Find(&out).Error)
}

// MoveComplaint is a staff step on a complaint, recorded on its timeline. A rejection needs a reason.
func (s *Store) MoveComplaint(ctx context.Context, scope Scope, id uint64, to, note string) (*ComplaintView, error) {
	note = strings.TrimSpace(note)
	if utf8.RuneCountInString(note) > 500 {
		return nil, &InvalidInput{Fields: []FieldError{{"note", "说明最多500个字"}}}
	}
	if to == CaseRejected && note == "" {
		return nil, ErrReasonRequired
	}
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var c Complaint
		if err := tx.Take(&c, id).Error; err != nil {
			return dbErr(err)
		}
		if !scope.Covers(c.AreaCode) {
			return ErrNotFound
		}
		// Not a complaint one filed, nor one about one's own business.
		if err := conflicted(tx, scope.UserID, c.ComplainantID, false); err != nil {
			return err
		}
		if c.EmployerID != nil {
			var emp Employer
			if err := tx.Select("user_id").Take(&emp, *c.EmployerID).Error; err != nil {
				return dbErr(err)
			}
			if err := conflicted(tx, scope.UserID, emp.UserID, false); err != nil {
				return err
			}
		}
		allowed := false
		for _, next := range caseMoves[c.Status] {
			allowed = allowed || next == to
		}
		if !allowed {
			return ErrWrongState
		}
		now := s.Now()
		updates := map[string]any{"status": to, "updated_at": now}
		switch to {
		case CaseAccepted:
			updates["accepted_at"] = now
		case CaseResolved:
			updates["resolved_at"] = now
		case CaseRejected:
			updates["reject_reason"] = note
		}
		res := tx.Model(&Complaint{}).Where("id = ? AND status = ?", c.ID, c.Status).Updates(updates)
		if res.Error != nil {
			return dbErr(res.Error)
		}
		if res.RowsAffected == 0 {
			return ErrWrongState
		}
		if err := tx.Create(&ComplaintEvent{ComplaintID: c.ID, Status: to, Note: note, ActorID: scope.UserID,
			ActorRole: "staff", CreatedAt: now}).Error; err != nil {
			return dbErr(err)
		}
		return enqueue(tx, c.ComplainantID, MsgComplaintProgress, fmt.Sprintf("pages/complaints/detail?id=%d", c.ID),
			map[string]string{"case": fmt.Sprintf("第%d号投诉", c.ID), "status": caseWords[to], "note": note,
				"time": now.Format("2006-01-02 15:04")}, nil, now)
	})
	if err != nil {
		return nil, err
	}
	return s.ComplaintForStaff(ctx, scope, id)
}

// caseWords are the states as the complainant reads them (≤ 5 characters, a WeChat phrase).
var caseWords = map[string]string{CaseAccepted: "已受理", CaseProcessing: "办理中", CaseResolved: "已解决",
	CaseRejected: "不予受理", CaseClosed: "已结束", CaseReturned: "退回修改"}

// ShareComplaint lets the employer it concerns see a complaint.
func (s *Store) ShareComplaint(ctx context.Context, scope Scope, id uint64) (*ComplaintView, error) {
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var c Complaint
		if err := tx.Take(&c, id).Error; err != nil {
			return dbErr(err)
		}
		if !scope.Covers(c.AreaCode) {
			return ErrNotFound
		}
		if c.EmployerID == nil {
			return &InvalidInput{Fields: []FieldError{{"employer_id", "这条投诉没有涉及雇主"}}}
		}
		now := s.Now()
		if err := tx.Model(&Complaint{}).Where("id = ?", id).
			Updates(map[string]any{"shared_with_employer": true, "updated_at": now}).Error; err != nil {
			return dbErr(err)
		}
		return dbErr(tx.Create(&ComplaintEvent{ComplaintID: id, Status: c.Status, Note: "已转给雇主处理",
			ActorID: scope.UserID, ActorRole: "staff", CreatedAt: now}).Error)
	})
	if err != nil {
		return nil, err
	}
	return s.ComplaintForStaff(ctx, scope, id)
}

// RateComplaint is the complainant's satisfaction (服务对象满意度) once the case is resolved, given once.
func (s *Store) RateComplaint(ctx context.Context, userID, id uint64, score int, note string) (*ComplaintView, error) {
	note = strings.TrimSpace(note)
	if score < 1 || score > 5 || utf8.RuneCountInString(note) > 200 {
		return nil, ErrRatingInvalid
	}
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var c Complaint
		if err := tx.Where("id = ? AND complainant_id = ?", id, userID).Take(&c).Error; err != nil {
			return dbErr(err)
		}
		if c.Status != CaseResolved && c.Status != CaseClosed {
			return ErrWrongState
		}
		res := tx.Model(&Complaint{}).Where("id = ? AND satisfaction IS NULL", id).
			Updates(map[string]any{"satisfaction": score, "satisfaction_note": note, "updated_at": s.Now()})
		if res.Error != nil {
			return dbErr(res.Error)
		}
		if res.RowsAffected == 0 {
			return ErrAlreadySurveyed
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.ComplaintFor(ctx, userID, id)
}

// ReviseComplaint is the complainant's new wording of a complaint WeChat's check returned to them: it is
// submitted again, checked again, and its acceptance deadline counts from now.
func (s *Store) ReviseComplaint(ctx context.Context, userID, id uint64, description string) (*ComplaintView, error) {
	description = strings.TrimSpace(description)
	if n := utf8.RuneCountInString(description); n < 5 || n > 2000 {
		return nil, &InvalidInput{Fields: []FieldError{{"description", "请把情况说清楚，5到2000个字"}}}
	}
	err := s.tx(ctx, func(tx *gorm.DB) error {
		calendar, err := s.workCalendar(tx)
		if err != nil {
			return err
		}
		now := s.Now()
		res := tx.Model(&Complaint{}).Where("id = ? AND complainant_id = ? AND status = ?", id, userID, CaseReturned).
			Updates(map[string]any{"description": description, "status": CaseSubmitted, "sec_check": SecChecking,
				"reject_reason": "", "accept_due": calendar.AddWorkingDays(now, 3), "updated_at": now})
		if res.Error != nil {
			return dbErr(res.Error)
		}
		if res.RowsAffected == 0 {
			var n int64
			if err := tx.Model(&Complaint{}).Where("id = ? AND complainant_id = ?", id, userID).Count(&n).Error; err != nil {
				return dbErr(err)
			}
			if n == 0 {
				return ErrNotFound
			}
			return ErrWrongState
		}
		if err := queueCheck(tx, CheckComplaint, id, now); err != nil {
			return err
		}
		return dbErr(tx.Create(&ComplaintEvent{ComplaintID: id, Status: CaseSubmitted, Note: "已修改，重新提交",
			ActorID: userID, ActorRole: "complainant", CreatedAt: now}).Error)
	})
	if err != nil {
		return nil, err
	}
	return s.ComplaintFor(ctx, userID, id)
}
