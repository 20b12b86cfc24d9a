package model

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
)

// Training kinds: 订单式 runs for an employer's hiring order, 菜单式 is open to all.
const (
	TrainingOrder = "order"
	TrainingMenu  = "menu"

	TrainingOpen      = "open"
	TrainingCancelled = "cancelled"
)

// Enrollment states.
const (
	EnrollActive    = "active"
	EnrollCancelled = "cancelled"
	EnrollAttended  = "attended"
	EnrollAbsent    = "absent"
	EnrollCompleted = "completed"
)

// Training is a course the market runs, with sessions the worker picks from.
type Training struct {
	ID             uint64 `gorm:"primaryKey"`
	Title          string
	CategoryID     uint64
	Kind           string
	Provider       string
	Subsidised     bool
	Description    string
	Address        string
	Lat            float64
	Lng            float64
	AreaCode       string
	EmployerID     *uint64
	SignupDeadline time.Time
	Status         string
	CreatedBy      uint64
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// TrainingSession is one date and time of a course, with its seats.
type TrainingSession struct {
	ID         uint64 `gorm:"primaryKey"`
	TrainingID uint64
	Date       string
	StartTime  string
	EndTime    string
	Seats      int
	Taken      int
	CreatedAt  time.Time
}

// SeatsLeft is how many can still sign up.
func (s *TrainingSession) SeatsLeft() int { return max(0, s.Seats-s.Taken) }

// Enrollment is a worker's place in a course session. One row per worker and course, reused when they
// sign up again after cancelling, so that "one active enrolment per course" is a unique key.
type Enrollment struct {
	ID         uint64 `gorm:"primaryKey"`
	TrainingID uint64
	WorkerID   uint64
	SessionID  uint64
	Status     string
	MarkedBy   *uint64
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// TrainingInput is what staff publish; sessions are replaced whole on edit, except those with sign-ups.
type TrainingInput struct {
	Title          string
	CategoryID     uint64
	Kind           string
	Provider       string
	Subsidised     bool
	Description    string
	Address        string
	Lat, Lng       float64
	AreaCode       string
	EmployerID     *uint64
	SignupDeadline time.Time
	Sessions       []SessionInput
}

// SessionInput is one session of a course.
type SessionInput struct {
	ID        uint64 // set to keep an existing session when editing
	Date      string
	StartTime string
	EndTime   string
	Seats     int
}

// Errors of training.
var (
	ErrSignupClosed    = errors.New("sign-up closed")
	ErrSessionFull     = errors.New("session full")
	ErrAlreadyEnrolled = errors.New("already enrolled")
	ErrSeatsTaken      = errors.New("session has sign-ups")
)

// TrainingWithSessions is a course and its sessions.
type TrainingWithSessions struct {
	Training
	CategoryName string
	Sessions     []TrainingSession
}

func (s *Store) validateTraining(ctx context.Context, in *TrainingInput) error {
	var bad fieldErrors
	in.Title, in.Provider, in.Address = strings.TrimSpace(in.Title), strings.TrimSpace(in.Provider), strings.TrimSpace(in.Address)
	if n := utf8.RuneCountInString(in.Title); n < 2 || n > 40 {
		bad.add("title", "课程名称写2到40个字")
	}
	if missing, err := s.unknownCategories(ctx, []uint64{in.CategoryID}); err != nil {
		return err
	} else if len(missing) > 0 {
		bad.add("category_id", "请选择工种")
	}
	switch in.Kind {
	case TrainingMenu:
		in.EmployerID = nil
	case TrainingOrder:
		if in.EmployerID == nil {
			bad.add("employer_id", "订单式培训请选择用工单位")
		} else {
			var n int64
			if err := s.DB.WithContext(ctx).Model(&Employer{}).Where("id = ?", *in.EmployerID).Count(&n).Error; err != nil {
				return dbErr(err)
			}
			if n == 0 {
				bad.add("employer_id", "没有这个用工单位")
			}
		}
	default:
		bad.add("kind", "请选择订单式或菜单式")
	}
	if n := utf8.RuneCountInString(in.Provider); n < 2 || n > 64 {
		bad.add("provider", "请填写培训机构")
	}
	if utf8.RuneCountInString(in.Description) > 2000 {
		bad.add("description", "说明最多2000个字")
	}
	if n := utf8.RuneCountInString(in.Address); n < 4 || n > 120 {
		bad.add("address", "请填写上课地点")
	}
	if !validCoordinates(in.Lat, in.Lng) {
		bad.add("location", "位置不对")
	}
	if _, ok := LookupArea(in.AreaCode); !ok {
		bad.add("area_code", "地区不对")
	}
	if len(in.Sessions) == 0 || len(in.Sessions) > 50 {
		bad.add("sessions", "请安排1到50个上课时间")
	}
	firstDay := ""
	for _, ss := range in.Sessions {
		if _, err := time.ParseInLocation(dateLayout, ss.Date, Shanghai); err != nil ||
			!timeOfDay.MatchString(ss.StartTime) || !timeOfDay.MatchString(ss.EndTime) || ss.EndTime <= ss.StartTime ||
			ss.Seats < 1 || ss.Seats > 1000 {
			bad.add("sessions", "上课时间或名额不对：日期写 2026-12-01，时间写 09:00，名额1到1000")
			break
		}
		if firstDay == "" || ss.Date < firstDay {
			firstDay = ss.Date
		}
	}
	if in.SignupDeadline.IsZero() {
		bad.add("signup_deadline", "请填写报名截止时间")
	} else if firstDay != "" && in.SignupDeadline.In(Shanghai).Format(dateLayout) > firstDay {
		bad.add("signup_deadline", "报名截止不能晚于第一次上课")
	}
	return bad.err()
}

// CheckTraining tells what of a course is wrong, every field at once, without saving it: the console lists
// these together with what its form could not read.
func (s *Store) CheckTraining(ctx context.Context, in TrainingInput) error {
	return s.validateTraining(ctx, &in)
}

// SaveTraining creates a course (id 0) or edits one within the staff member's scope.
func (s *Store) SaveTraining(ctx context.Context, scope Scope, id uint64, in TrainingInput) (*TrainingWithSessions, error) {
	if err := s.validateTraining(ctx, &in); err != nil {
		return nil, err
	}
	if !scope.Covers(in.AreaCode) {
		return nil, ErrNotFound
	}
	err := s.tx(ctx, func(tx *gorm.DB) error {
		now := s.Now()
		t := Training{ID: id, Title: in.Title, CategoryID: in.CategoryID, Kind: in.Kind, Provider: in.Provider,
			Subsidised: in.Subsidised, Description: in.Description, Address: in.Address, Lat: in.Lat, Lng: in.Lng,
			AreaCode: in.AreaCode, EmployerID: in.EmployerID, SignupDeadline: in.SignupDeadline, Status: TrainingOpen,
			CreatedBy: scope.UserID, CreatedAt: now, UpdatedAt: now}
		if id == 0 {
			if err := tx.Create(&t).Error; err != nil {
				return dbErr(err)
			}
			id = t.ID
		} else {
			var old Training
			if err := tx.Take(&old, id).Error; err != nil {
				return dbErr(err)
			}
			if !scope.Covers(old.AreaCode) {
				return ErrNotFound
			}
			t.CreatedBy, t.CreatedAt, t.Status = old.CreatedBy, old.CreatedAt, old.Status
			if err := tx.Select("*").Updates(&t).Error; err != nil {
				return dbErr(err)
			}
		}
		return s.replaceSessions(tx, id, in.Sessions, now)
	})
	if err != nil {
		return nil, err
	}
	return s.Training(ctx, id)
}

// replaceSessions makes a course's sessions those given: kept ones are updated (never below their sign-ups),
// new ones added, missing ones removed unless someone signed up for them.
func (s *Store) replaceSessions(tx *gorm.DB, trainingID uint64, sessions []SessionInput, now time.Time) error {
	var existing []TrainingSession
	if err := tx.Where("training_id = ?", trainingID).Find(&existing).Error; err != nil {
		return dbErr(err)
	}
	keep := map[uint64]bool{}
	for _, ss := range sessions {
		if ss.ID == 0 {
			if err := tx.Create(&TrainingSession{TrainingID: trainingID, Date: ss.Date, StartTime: ss.StartTime,
				EndTime: ss.EndTime, Seats: ss.Seats, CreatedAt: now}).Error; err != nil {
				return dbErr(err)
			}
			continue
		}
		keep[ss.ID] = true
		kept := "id = ? AND training_id = ? AND taken <= ?"
		res := tx.Model(&TrainingSession{}).Where(kept, ss.ID, trainingID, ss.Seats).
			Updates(map[string]any{"date": ss.Date, "start_time": ss.StartTime, "end_time": ss.EndTime, "seats": ss.Seats})
		if res.Error != nil {
			return dbErr(res.Error)
		}
		if res.RowsAffected == 0 {
			// Unchanged, or not this course's, or cut below its sign-ups.
			if same, err := s.stillMatches(tx, &TrainingSession{}, kept, ss.ID, trainingID, ss.Seats); err != nil || !same {
				return cmp.Or(err, ErrSeatsTaken)
			}
		}
	}
	for _, old := range existing {
		if keep[old.ID] {
			continue
		}
		res := tx.Where("id = ? AND taken = 0", old.ID).Delete(&TrainingSession{})
		if res.Error != nil {
			return dbErr(res.Error)
		}
		if res.RowsAffected == 0 {
			return ErrSeatsTaken
		}
	}
	return nil
}

// Training opens a course with its sessions in date order.
func (s *Store) Training(ctx context.Context, id uint64) (*TrainingWithSessions, error) {
	var t Training
	if err := s.DB.WithContext(ctx).Take(&t, id).Error; err != nil {
		return nil, dbErr(err)
	}
	out, err := s.withSessions(ctx, []Training{t})
	if err != nil {
		return nil, err
	}
	return &out[0], nil
}

func (s *Store) withSessions(ctx context.Context, trainings []Training) ([]TrainingWithSessions, error) {
	ids := make([]uint64, len(trainings))
	for i, t := range trainings {
		ids[i] = t.ID
	}
	var sessions []TrainingSession
	if err := s.DB.WithContext(ctx).Where("training_id IN ?", ids).Order("date, start_time, id").Find(&sessions).Error; err != nil {
		return nil, dbErr(err)
	}
	names, err := s.categoryNames(ctx)
	if err != nil {
		return nil, err
	}
	byTraining := map[uint64][]TrainingSession{}
	for _, ss := range sessions {
		byTraining[ss.TrainingID] = append(byTraining[ss.TrainingID], ss)
	}
	out := make([]TrainingWithSessions, len(trainings))
	for i, t := range trainings {
		out[i] = TrainingWithSessions{Training: t, CategoryName: names[t.CategoryID], Sessions: byTraining[t.ID]}
	}
	return out, nil
}

// TrainingQuery filters the course list.
type TrainingQuery struct {
	CategoryID uint64
	Kind       string
	Upcoming   bool
	Near       *Place // nearest first when set
	Limit      int
}

// Trainings lists open courses, soonest deadline first or nearest first.
func (s *Store) Trainings(ctx context.Context, q TrainingQuery) ([]TrainingWithSessions, error) {
	db := s.DB.WithContext(ctx).Where("status = ?", TrainingOpen)
	if q.CategoryID != 0 {
		db = db.Where("category_id = ?", q.CategoryID)
	}
	if q.Kind != "" {
		db = db.Where("kind = ?", q.Kind)
	}
	if q.Upcoming {
		db = db.Where("signup_deadline >= ?", s.Now())
	}
	var list []Training
	if err := db.Order("signup_deadline, id").Limit(500).Find(&list).Error; err != nil {
		return nil, dbErr(err)
	}
	if q.Near != nil {
		sortByDistance(list, q.Near, func(t Training) (float64, float64) { return t.Lat, t.Lng })
	}
	if len(list) > q.Limit {
		list = list[:q.Limit]
	}
	return s.withSessions(ctx, list)
}

// Enroll signs a worker up for a session. The seat is taken by a conditional update, so the last seat goes
// to exactly one of the workers racing for it.
func (s *Store) Enroll(ctx context.Context, workerID, trainingID, sessionID uint64) (*Enrollment, error) {
	if err := s.requireWorker(ctx, workerID); err != nil {
		return nil, err
	}
	var out Enrollment
	err := s.tx(ctx, func(tx *gorm.DB) error {
		now := s.Now()
		var t Training
		if err := tx.Take(&t, trainingID).Error; err != nil {
			return dbErr(err)
		}
		if t.Status != TrainingOpen {
			return ErrNotFound
		}
		if now.After(t.SignupDeadline) {
			return ErrSignupClosed
		}
		var existing Enrollment
		err := tx.Where("training_id = ? AND worker_id = ?", trainingID, workerID).Take(&existing).Error
		found := err == nil
		if err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
			return dbErr(err)
		}
		if found && existing.Status != EnrollCancelled {
			return ErrAlreadyEnrolled
		}
		res := tx.Model(&TrainingSession{}).Where("id = ? AND training_id = ? AND taken < seats", sessionID, trainingID).
			Update("taken", gorm.Expr("taken + 1"))
		if res.Error != nil {
			return dbErr(res.Error)
		}
		if res.RowsAffected == 0 {
			var n int64
			if err := tx.Model(&TrainingSession{}).Where("id = ? AND training_id = ?", sessionID, trainingID).Count(&n).Error; err != nil {
				return dbErr(err)
			}
			if n == 0 {
				return &InvalidInput{Fields: []FieldError{{"session_id", "请选择这门课的一个上课时间"}}}
			}
			return ErrSessionFull
		}
		out = Enrollment{TrainingID: trainingID, WorkerID: workerID, SessionID: sessionID, Status: EnrollActive, CreatedAt: now, UpdatedAt: now}
		if found {
			res := tx.Model(&Enrollment{}).Where("id = ? AND status = ?", existing.ID, EnrollCancelled).
				Updates(map[string]any{"session_id": sessionID, "status": EnrollActive, "marked_by": nil, "updated_at": now})
			if res.Error != nil {
				return dbErr(res.Error)
			}
			if res.RowsAffected == 0 {
				return ErrAlreadyEnrolled
			}
			out.ID, out.CreatedAt = existing.ID, existing.CreatedAt
			return nil
		}
		if err := tx.Create(&out).Error; err != nil {
			if err = dbErr(err); errors.Is(err, ErrConflict) {
				return ErrAlreadyEnrolled
			}
			return err
		}
		return nil
	})
	return &out, err
}

func (s *Store) requireWorker(ctx context.Context, userID uint64) error {
	var n int64
	if err := s.DB.WithContext(ctx).Model(&WorkerProfile{}).Where("user_id = ?", userID).Count(&n).Error; err != nil {
		return dbErr(err)
	}
	if n == 0 {
		return ErrProfileMissing
	}
	return nil
}

// CancelEnrollment gives a worker's seat back before the course.
func (s *Store) CancelEnrollment(ctx context.Context, workerID, enrollmentID uint64) (*Enrollment, error) {
	var e Enrollment
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Where("id = ? AND worker_id = ?", enrollmentID, workerID).Take(&e).Error; err != nil {
			return dbErr(err)
		}
		res := tx.Model(&Enrollment{}).Where("id = ? AND status = ?", e.ID, EnrollActive).
			Updates(map[string]any{"status": EnrollCancelled, "updated_at": s.Now()})
		if res.Error != nil {
			return dbErr(res.Error)
		}
		if res.RowsAffected == 0 {
			return ErrWrongState
		}
		e.Status = EnrollCancelled
		return dbErr(tx.Model(&TrainingSession{}).Where("id = ? AND taken > 0", e.SessionID).
			Update("taken", gorm.Expr("taken - 1")).Error)
	})
	return &e, err
}

// WorkerEnrollment is an enrolment with its course and session, for the worker's list.
type WorkerEnrollment struct {
	Enrollment
	Training TrainingWithSessions
	Session  TrainingSession
}

// WorkerEnrollments lists a worker's own enrolments, newest first.
func (s *Store) WorkerEnrollments(ctx context.Context, workerID uint64) ([]WorkerEnrollment, error) {
	var list []Enrollment
	if err := s.DB.WithContext(ctx).Where("worker_id = ?", workerID).Order("id DESC").Limit(200).Find(&list).Error; err != nil {
		return nil, dbErr(err)
	}
	ids := make([]uint64, len(list))
	for i, e := range list {
		ids[i] = e.TrainingID
	}
	var trainings []Training
	if err := s.DB.WithContext(ctx).Where("id IN ?", uniqueIDs(ids)).Find(&trainings).Error; err != nil {
		return nil, dbErr(err)
	}
	full, err := s.withSessions(ctx, trainings)
	if err != nil {
		return nil, err
	}
	byID := map[uint64]TrainingWithSessions{}
	for _, t := range full {
		byID[t.ID] = t
	}
	out := make([]WorkerEnrollment, len(list))
	for i, e := range list {
		t := byID[e.TrainingID]
		out[i] = WorkerEnrollment{Enrollment: e, Training: t}
		for _, ss := range t.Sessions {
			if ss.ID == e.SessionID {
				out[i].Session = ss
			}
		}
	}
	return out, nil
}

// EnrolledWorker is a sign-up as staff see it.
type EnrolledWorker struct {
	Enrollment
	Name  string
	Phone string
}

// SessionEnrollments lists who signed up for a course (one session, or all), for staff of its area.
func (s *Store) SessionEnrollments(ctx context.Context, scope Scope, trainingID, sessionID uint64) ([]EnrolledWorker, error) {
	t, err := s.Training(ctx, trainingID)
	if err != nil {
		return nil, err
	}
	if !scope.Covers(t.AreaCode) {
		return nil, ErrNotFound
	}
	q := s.DB.WithContext(ctx).Where("training_id = ?", trainingID)
	if sessionID != 0 {
		q = q.Where("session_id = ?", sessionID)
	}
	var list []Enrollment
	if err := q.Order("id").Find(&list).Error; err != nil {
		return nil, dbErr(err)
	}
	ids := make([]uint64, len(list))
	for i, e := range list {
		ids[i] = e.WorkerID
	}
	var profiles []WorkerProfile
	if err := s.DB.WithContext(ctx).Where("user_id IN ?", ids).Find(&profiles).Error; err != nil {
		return nil, dbErr(err)
	}
	var users []User
	if err := s.DB.WithContext(ctx).Unscoped().Select("id, phone_cipher").Where("id IN ?", ids).Find(&users).Error; err != nil {
		return nil, dbErr(err)
	}
	names := map[uint64]string{}
	for i := range profiles {
		name, err := s.Crypt.Decrypt(profiles[i].NameCipher)
		if err != nil {
			return nil, err
		}
		names[profiles[i].UserID] = name
	}
	phones := map[uint64]string{}
	for _, u := range users {
		phone, err := s.Crypt.Decrypt(u.PhoneCipher)
		if err != nil {
			return nil, err
		}
		phones[u.ID] = phone
	}
	out := make([]EnrolledWorker, len(list))
	for i, e := range list {
		out[i] = EnrolledWorker{Enrollment: e, Name: names[e.WorkerID], Phone: phones[e.WorkerID]}
	}
	return out, nil
}

// markFrom is, for each mark, the states an enrolment may be marked from: completion is final, a cancelled
// sign-up is never marked.
var markFrom = map[string][]string{
	EnrollAttended:  {EnrollActive, EnrollAbsent},
	EnrollAbsent:    {EnrollActive, EnrollAttended},
	EnrollCompleted: {EnrollActive, EnrollAttended},
}

func badMark() error {
	return &InvalidInput{Fields: []FieldError{{"status", "只能是 attended、absent 或 completed"}}}
}

// MarkEnrollment records attendance (attended or absent) or completion, for staff of the course's area.
func (s *Store) MarkEnrollment(ctx context.Context, scope Scope, enrollmentID uint64, status string) (*Enrollment, error) {
	if markFrom[status] == nil {
		return nil, badMark()
	}
	var e Enrollment
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Take(&e, enrollmentID).Error; err != nil {
			return dbErr(err)
		}
		var t Training
		if err := tx.Take(&t, e.TrainingID).Error; err != nil {
			return dbErr(err)
		}
		if !scope.Covers(t.AreaCode) {
			return ErrNotFound
		}
		return s.mark(tx, scope, &e, status)
	})
	return &e, err
}

// mark moves one enrolment, read in tx, to status; the conditional update decides against a mark made
// meanwhile.
func (s *Store) mark(tx *gorm.DB, scope Scope, e *Enrollment, status string) error {
	if err := conflicted(tx, scope.UserID, e.WorkerID, false); err != nil {
		return err // attendance and completion carry subsidies: not for one's own
	}
	res := tx.Model(&Enrollment{}).Where("id = ? AND status IN ?", e.ID, markFrom[status]).
		Updates(map[string]any{"status": status, "marked_by": scope.UserID, "updated_at": s.Now()})
	if res.Error != nil {
		return dbErr(res.Error)
	}
	if res.RowsAffected == 0 {
		return ErrWrongState
	}
	e.Status = status
	return nil
}

// MarkRefused is a whole session's marking refused for one worker's mark; nothing of the session was marked.
type MarkRefused struct {
	EnrollmentID uint64
	Err          error
}

func (e *MarkRefused) Error() string {
	return "enrolment " + strconv.FormatUint(e.EnrollmentID, 10) + ": " + e.Err.Error()
}
func (e *MarkRefused) Unwrap() error { return e.Err }

// MarkSession marks a whole session at once (enrolment id → attended, absent or completed), by the same rule
// per enrolment as MarkEnrollment, in one transaction: the session is marked as the form said, or not at all.
// A mark equal to the enrolment's state is left as it is, so a form sent twice marks nothing twice.
func (s *Store) MarkSession(ctx context.Context, scope Scope, trainingID, sessionID uint64, marks map[uint64]string) (int, error) {
	for id, status := range marks {
		if markFrom[status] == nil {
			return 0, &MarkRefused{EnrollmentID: id, Err: badMark()}
		}
	}
	changed := 0
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var t Training
		if err := tx.Take(&t, trainingID).Error; err != nil {
			return dbErr(err)
		}
		if !scope.Covers(t.AreaCode) {
			return ErrNotFound
		}
		var list []Enrollment
		if err := tx.Where("training_id = ? AND session_id = ?", trainingID, sessionID).Order("id").Find(&list).Error; err != nil {
			return dbErr(err)
		}
		byID := map[uint64]*Enrollment{}
		for i := range list {
			byID[list[i].ID] = &list[i]
		}
		ids := make([]uint64, 0, len(marks))
		for id := range marks {
			ids = append(ids, id)
		}
		slices.Sort(ids) // the same order of row locks on every run
		for _, id := range ids {
			e := byID[id]
			if e == nil {
				return &MarkRefused{EnrollmentID: id, Err: ErrNotFound} // not of this session
			}
			if e.Status == marks[id] {
				continue
			}
			if err := s.mark(tx, scope, e, marks[id]); err != nil {
				return &MarkRefused{EnrollmentID: id, Err: err}
			}
			changed++
		}
		return nil
	})
	if err != nil {
		changed = 0
	}
	return changed, err
}

// StaffTrainings lists the courses of the staff member's area, the latest signup deadline first.
func (s *Store) StaffTrainings(ctx context.Context, scope Scope, limit int) ([]TrainingWithSessions, error) {
	var list []Training
	if err := scope.where(s.DB.WithContext(ctx), "area_code").Order("signup_deadline DESC, id DESC").Limit(limit).Find(&list).Error; err != nil {
		return nil, dbErr(err)
	}
	return s.withSessions(ctx, list)
}

// TrainingForStaff opens a course of the staff member's area; another area's is not found.
func (s *Store) TrainingForStaff(ctx context.Context, scope Scope, id uint64) (*TrainingWithSessions, error) {
	t, err := s.Training(ctx, id)
	if err != nil {
		return nil, err
	}
	if !scope.Covers(t.AreaCode) {
		return nil, ErrNotFound
	}
	return t, nil
}

// SkillRecord is a completed course, shown on the worker's profile.
type SkillRecord struct {
	TrainingID   uint64
	Title        string
	CategoryName string
	Provider     string
	CompletedAt  time.Time
}

// SkillRecords lists the courses a worker completed.
func (s *Store) SkillRecords(ctx context.Context, workerID uint64) ([]SkillRecord, error) {
	var rows []struct {
		TrainingID uint64
		Title      string
		CategoryID uint64
		Provider   string
		UpdatedAt  time.Time
	}
	err := s.DB.WithContext(ctx).Table("enrollments").
		Select("enrollments.training_id, trainings.title, trainings.category_id, trainings.provider, enrollments.updated_at").
		Joins("JOIN trainings ON trainings.id = enrollments.training_id").
		Where("enrollments.worker_id = ? AND enrollments.status = ?", workerID, EnrollCompleted).
		Order("enrollments.updated_at DESC").Scan(&rows).Error
	if err != nil {
		return nil, dbErr(err)
	}
	names, err := s.categoryNames(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]SkillRecord, len(rows))
	for i, r := range rows {
		out[i] = SkillRecord{TrainingID: r.TrainingID, Title: r.Title, CategoryName: names[r.CategoryID], Provider: r.Provider, CompletedAt: r.UpdatedAt}
	}
	return out, nil
}

// RemindTrainings queues, once per enrolment, the reminder for sessions that take place tomorrow.
func (s *Store) RemindTrainings(ctx context.Context) (int, error) {
	tomorrow := s.Now().AddDate(0, 0, 1).Format(dateLayout)
	var due []struct {
		EnrollmentID uint64
		WorkerID     uint64
		Title        string
		Address      string
		Date         string
		StartTime    string
	}
	err := s.DB.WithContext(ctx).Table("enrollments").
		Select("enrollments.id AS enrollment_id, enrollments.worker_id, trainings.title, trainings.address, training_sessions.date, training_sessions.start_time").
		Joins("JOIN training_sessions ON training_sessions.id = enrollments.session_id").
		Joins("JOIN trainings ON trainings.id = enrollments.training_id").
		Where("enrollments.status = ? AND enrollments.reminded_at IS NULL AND training_sessions.date = ?", EnrollActive, tomorrow).
		Limit(5000).Scan(&due).Error
	if err != nil {
		return 0, dbErr(err)
	}
	sent := 0
	for _, d := range due {
		queued := false
		err := s.tx(ctx, func(tx *gorm.DB) error {
			now := s.Now()
			res := tx.Table("enrollments").Where("id = ? AND reminded_at IS NULL", d.EnrollmentID).Update("reminded_at", now)
			if res.Error != nil || res.RowsAffected == 0 {
				return dbErr(res.Error)
			}
			queued = true
			return enqueue(tx, d.WorkerID, MsgTrainingReminder, "pages/training/index",
				map[string]string{"course": d.Title, "time": d.Date + " " + d.StartTime, "place": d.Address}, nil, now)
		})
		if err != nil {
			return sent, err
		}
		if queued {
			sent++
		}
	}
	return sent, nil
}
