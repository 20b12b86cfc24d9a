package model

import (
	"context"
	"crypto/hmac"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
)

// Check-in on site (签到): on each work day the employer's phone shows a code that changes every 30 seconds;
// a worker the employer took on scans it once on arrival and once on leaving. A worker without a phone is
// marked by the employer and confirms or contests the mark in the app, or their family delegate does.

// How an arrival was recorded.
const (
	AttendScan   = "scan"   // the worker scanned the employer's code
	AttendMarked = "marked" // the employer marked the worker; the worker's answer is awaited
)

// A worker's answer to an employer's mark.
const (
	MarkConfirmed = "confirmed"
	MarkContested = "contested"
)

// dayWorked is the condition on attendances of a day that counts as worked (the record's days, a pending
// policy's cover, the unpaid days staff see): every scan, and an employer's mark the worker has not contested.
const dayWorked = "attendances.answer <> '" + MarkContested + "'"

// Attendance is one worker's day on one gig: one row per gig, worker and work day (the unique key decides a
// double scan, in every instance at once).
type Attendance struct {
	ID        uint64 `gorm:"primaryKey"`
	GigID     uint64
	WorkerID  uint64
	Day       string // "2026-11-28", Shanghai
	Method    string
	ArrivedAt time.Time
	LeftAt    *time.Time
	// The phone's location at each scan, sealed ("lat,lng"); empty when not given, and emptied once the
	// dispute window (AttendanceGeoKeep) is over.
	ArriveGeoCipher string
	LeaveGeoCipher  string
	// The worker's answer to a mark: empty until given (and always for a scan).
	Answer     string
	AnswerNote string
	AnsweredBy *uint64 // the worker, or their family delegate
	AnsweredAt *time.Time
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// AttendanceGeoKeep is how long the phone's locations stay after the work day: long enough for a wage or
// attendance dispute about the day to be raised and looked into (a wage complaint is usually made within
// weeks), short enough not to keep a record of where older workers go.
const AttendanceGeoKeep = 90 * 24 * time.Hour

// AttendanceStep is how often the employer's code changes; a code is accepted in its own step and the one
// after (so for 30 to 60 seconds), and one step early for instances whose clocks differ slightly.
const AttendanceStep = 30 * time.Second

// minShift keeps a second scan soon after arriving (a double tap, an old person scanning again to be sure)
// from recording that the worker left.
const minShift = 30 * time.Minute

// Errors of checking in.
var (
	ErrCodeInvalid     = errors.New("attendance code invalid")
	ErrCodeExpired     = errors.New("attendance code expired")
	ErrNotTakenOn      = errors.New("worker not taken on for this gig")
	ErrNotWorkDay      = errors.New("not a work day of this gig")
	ErrAlreadyArrived  = errors.New("arrival already recorded")
	ErrAlreadyLeft     = errors.New("leaving already recorded")
	ErrOwnMark         = errors.New("the employer who marked cannot answer the mark")
	ErrMarkTimeInvalid = errors.New("marked arrival time invalid")
	ErrNoteTooLong     = errors.New("note too long")
)

// takenOn are the states of an application whose worker the employer took on: they may check in.
var takenOn = phoneVisible

// AttendanceCode is what the employer's phone shows: the token to draw as a QR code and when it changes.
type AttendanceCode struct {
	Token     string
	Day       string
	ChangesAt time.Time
}

const attendanceTokenPrefix = "LGA1"

// attendanceToken signs gig, day and time step with the server's look-up key under its own purpose, so it
// can be neither forged nor confused with any other keyed hash. Short, so the QR code stays coarse enough
// for an old phone's camera.
func (s *Store) attendanceToken(gigID uint64, day string, step int64) string {
	payload := fmt.Sprintf("%d.%s.%d", gigID, strings.ReplaceAll(day, "-", ""), step)
	return attendanceTokenPrefix + "." + payload + "." + s.Crypt.LookupHash("attendance-qr", payload)[:32]
}

// checkAttendanceToken answers the gig, day and step a token names, if the server signed it.
func (s *Store) checkAttendanceToken(token string) (gigID uint64, day string, step int64, err error) {
	parts := strings.Split(strings.TrimSpace(token), ".")
	if len(parts) != 5 || parts[0] != attendanceTokenPrefix || len(parts[2]) != 8 {
		return 0, "", 0, ErrCodeInvalid
	}
	gigID, err1 := strconv.ParseUint(parts[1], 10, 64)
	step, err2 := strconv.ParseInt(parts[3], 10, 64)
	d, err3 := time.ParseInLocation("20060102", parts[2], Shanghai)
	if err1 != nil || err2 != nil || err3 != nil {
		return 0, "", 0, ErrCodeInvalid
	}
	day = d.Format(dateLayout)
	if !hmac.Equal([]byte(token), []byte(s.attendanceToken(gigID, day, step))) {
		return 0, "", 0, ErrCodeInvalid
	}
	return gigID, day, step, nil
}

func attendanceStep(t time.Time) int64 { return t.Unix() / int64(AttendanceStep/time.Second) }

// workDayGig loads a gig that works on day: its dates hold the day and it is running (not withdrawn or
// waiting for review).
func workDayGig(tx *gorm.DB, gigID uint64, day string) (*Gig, error) {
	var g Gig
	if err := tx.Take(&g, gigID).Error; err != nil {
		return nil, dbErr(err)
	}
	switch g.Status {
	case GigPublished, GigFilled, GigPaused, GigExpired:
	default:
		return nil, ErrNotFound
	}
	if day < g.StartDate || day > g.EndDate {
		return nil, ErrNotWorkDay
	}
	return &g, nil
}

// AttendanceCode is the current code of the employer's own gig for today.
func (s *Store) AttendanceCode(ctx context.Context, employerUserID, gigID uint64) (*AttendanceCode, error) {
	now := s.Now()
	day := now.In(Shanghai).Format(dateLayout)
	db := s.DB.WithContext(ctx)
	var g Gig
	if err := db.Take(&g, gigID).Error; err != nil {
		return nil, dbErr(err)
	}
	if err := s.mustOwn(db, employerUserID, &g); err != nil {
		return nil, err
	}
	if _, err := workDayGig(db, gigID, day); err != nil {
		return nil, err
	}
	step := attendanceStep(now)
	return &AttendanceCode{Token: s.attendanceToken(gigID, day, step), Day: day,
		ChangesAt: time.Unix((step+1)*int64(AttendanceStep/time.Second), 0)}, nil
}

// ScanResult is what a scan recorded: the arrival, or the leaving.
type ScanResult struct {
	Attendance
	Left bool
}

// ScanAttendance records a worker's arrival with the employer's code, or their leaving when they arrived
// earlier that day. geo is the phone's location, if given. No transaction: each step is one statement that
// the database decides (the insert by the unique key, the leaving by a conditional update), and a read after
// a lost insert sees the winner's row, which a REPEATABLE READ transaction would not.
func (s *Store) ScanAttendance(ctx context.Context, workerID, gigID uint64, token string, geo *Place) (*ScanResult, error) {
	codeGig, day, step, err := s.checkAttendanceToken(token)
	if err != nil {
		return nil, err
	}
	if codeGig != gigID {
		return nil, ErrCodeInvalid
	}
	now := s.Now()
	cur := attendanceStep(now)
	if day != now.In(Shanghai).Format(dateLayout) || step < cur-1 || step > cur+1 {
		return nil, ErrCodeExpired
	}
	db := s.DB.WithContext(ctx)
	if _, err := workDayGig(db, gigID, day); err != nil {
		return nil, err
	}
	if err := mustBeTakenOn(db, gigID, workerID); err != nil {
		return nil, err
	}
	sealed := ""
	if geo != nil {
		if sealed, err = s.Crypt.Encrypt(fmt.Sprintf("%.5f,%.5f", geo.Lat, geo.Lng)); err != nil {
			return nil, err
		}
	}
	a := Attendance{GigID: gigID, WorkerID: workerID, Day: day, Method: AttendScan, ArrivedAt: now,
		ArriveGeoCipher: sealed, CreatedAt: now, UpdatedAt: now}
	err = dbErr(db.Create(&a).Error)
	if err == nil {
		return &ScanResult{Attendance: a}, nil
	}
	if !errors.Is(err, ErrConflict) {
		return nil, err
	}
	// Arrived already: this scan is the leaving, unless it comes too soon after.
	if err := db.Where("gig_id = ? AND worker_id = ? AND day = ?", gigID, workerID, day).Take(&a).Error; err != nil {
		return nil, dbErr(err)
	}
	if a.Method == AttendMarked && a.Answer == "" && a.LeftAt == nil {
		// The employer's mark waits for the worker's word; the worker's own scan is that word, and it is the
		// arrival, not the leaving (a mark of 06:00 must not turn an 08:00 arrival into a day ended at 08:00).
		res := db.Model(&Attendance{}).Where("id = ? AND method = ? AND answer = '' AND left_at IS NULL", a.ID, AttendMarked).
			Updates(map[string]any{"method": AttendScan, "arrived_at": now, "arrive_geo_cipher": sealed, "updated_at": now})
		if res.Error != nil {
			return nil, dbErr(res.Error)
		}
		if res.RowsAffected == 1 {
			a.Method, a.ArrivedAt, a.ArriveGeoCipher, a.UpdatedAt = AttendScan, now, sealed, now
			return &ScanResult{Attendance: a}, nil
		}
		if err := db.Take(&a, a.ID).Error; err != nil { // answered or scanned meanwhile: read it again
			return nil, dbErr(err)
		}
	}
	if a.LeftAt != nil {
		return nil, ErrAlreadyLeft
	}
	if now.Sub(a.ArrivedAt) < minShift {
		return nil, ErrAlreadyArrived
	}
	res := db.Model(&Attendance{}).Where("id = ? AND left_at IS NULL", a.ID).
		Updates(map[string]any{"left_at": now, "leave_geo_cipher": sealed, "updated_at": now})
	if res.Error != nil {
		return nil, dbErr(res.Error)
	}
	if res.RowsAffected == 0 {
		return nil, ErrAlreadyLeft
	}
	a.LeftAt, a.LeaveGeoCipher, a.UpdatedAt = &now, sealed, now
	return &ScanResult{Attendance: a, Left: true}, nil
}

func mustBeTakenOn(db *gorm.DB, gigID, workerID uint64) error {
	var n int64
	if err := db.Model(&Application{}).Where("gig_id = ? AND worker_id = ? AND status IN ?", gigID, workerID, takenOn).
		Count(&n).Error; err != nil {
		return dbErr(err)
	}
	if n == 0 {
		return ErrNotTakenOn
	}
	return nil
}

// MarkArrival is the employer recording the arrival of a worker who could not scan, on a work day up to
// today; the worker (or their delegate) then confirms or contests it.
func (s *Store) MarkArrival(ctx context.Context, employerUserID, gigID, workerID uint64, day string, arrivedAt time.Time) (*Attendance, error) {
	now := s.Now()
	d, err := time.ParseInLocation(dateLayout, day, Shanghai)
	if err != nil || day > now.In(Shanghai).Format(dateLayout) {
		return nil, ErrMarkTimeInvalid
	}
	if arrivedAt.Before(d) || !arrivedAt.Before(d.AddDate(0, 0, 1)) || arrivedAt.After(now) {
		return nil, ErrMarkTimeInvalid
	}
	db := s.DB.WithContext(ctx)
	g, err := workDayGig(db, gigID, day)
	if err != nil {
		return nil, err
	}
	if err := s.mustOwn(db, employerUserID, g); err != nil {
		return nil, err
	}
	if err := mustBeTakenOn(db, gigID, workerID); err != nil {
		return nil, err
	}
	a := Attendance{GigID: gigID, WorkerID: workerID, Day: day, Method: AttendMarked, ArrivedAt: arrivedAt,
		CreatedAt: now, UpdatedAt: now}
	err = s.tx(ctx, func(tx *gorm.DB) error {
		if err := dbErr(tx.Create(&a).Error); errors.Is(err, ErrConflict) {
			return ErrAlreadyArrived
		} else if err != nil {
			return err
		}
		return tellMarked(tx, g, &a, employerUserID, now)
	})
	if err != nil {
		return nil, err
	}
	return &a, nil
}

// tellMarked asks the worker, and each family member acting for them (but not the employer who marked, should
// they be one), to confirm or contest the employer's mark, by the application-result message they granted
// when applying; it opens the page where they answer.
func tellMarked(tx *gorm.DB, g *Gig, a *Attendance, employerUserID uint64, now time.Time) error {
	at := a.ArrivedAt.In(Shanghai).Format("15:04")
	fields := map[string]string{"gig": g.Title, "result": "请确认", "date": a.Day, "note": "雇主记您" + at + "到岗，对不对请点开说"}
	if err := enqueue(tx, a.WorkerID, MsgApplicationResult, "pages/attendance/mine", fields, nil, now); err != nil {
		return err
	}
	var delegates []uint64
	if err := tx.Model(&Delegation{}).Where("elder_id = ? AND accepted_at IS NOT NULL AND revoked_at IS NULL AND delegate_id <> ?",
		a.WorkerID, employerUserID).Pluck("delegate_id", &delegates).Error; err != nil {
		return dbErr(err)
	}
	for _, d := range delegates {
		fields := map[string]string{"gig": g.Title, "result": "请确认", "date": a.Day, "note": "雇主记家人" + at + "到岗，请替他确认"}
		if err := enqueue(tx, d, MsgApplicationResult, "pages/family/index", fields, nil, now); err != nil {
			return err
		}
	}
	return nil
}

// AnswerMark is the worker, or their family delegate, confirming or contesting an employer's mark, once.
func (s *Store) AnswerMark(ctx context.Context, actorID, id uint64, answer, note string) (*Attendance, error) {
	note = strings.TrimSpace(note)
	if utf8.RuneCountInString(note) > 200 {
		return nil, ErrNoteTooLong
	}
	if answer != MarkConfirmed && answer != MarkContested {
		return nil, ErrWrongState
	}
	var out *Attendance
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var a Attendance
		if err := tx.Take(&a, id).Error; err != nil {
			return dbErr(err)
		}
		if a.WorkerID != actorID {
			if err := activeDelegate(tx, actorID, a.WorkerID); err != nil {
				return err
			}
			// The employer who marked cannot answer their own mark as the worker's family.
			var own int64
			if err := tx.Model(&Gig{}).Joins("JOIN employers ON employers.id = gigs.employer_id").
				Where("gigs.id = ? AND employers.user_id = ?", a.GigID, actorID).Count(&own).Error; err != nil {
				return dbErr(err)
			}
			if own > 0 {
				return ErrOwnMark
			}
			if err := s.recordOnBehalf(tx, actorID, a.WorkerID, "attendance_"+answer, "attendance", a.ID, "family"); err != nil {
				return err
			}
		}
		if a.Method != AttendMarked {
			return ErrWrongState
		}
		now := s.Now()
		res := tx.Model(&Attendance{}).Where("id = ? AND answer = ''", a.ID).Updates(map[string]any{
			"answer": answer, "answer_note": note, "answered_by": actorID, "answered_at": now, "updated_at": now})
		if res.Error != nil {
			return dbErr(res.Error)
		}
		if res.RowsAffected == 0 {
			return ErrWrongState
		}
		a.Answer, a.AnswerNote, a.AnsweredBy, a.AnsweredAt, a.UpdatedAt = answer, note, &actorID, &now, now
		out = &a
		return nil
	})
	return out, err
}

// DayAttendee is a worker the employer took on, with their attendance on the day if any. The locations are
// the employer's to see for their own gig's day, and nobody else's.
type DayAttendee struct {
	WorkerID   uint64
	MaskedName string
	Phone      string
	Attendance *Attendance
	ArriveAt   *Place
	LeaveAt    *Place
}

// GigAttendance is the day's list of the employer's own gig: every worker taken on, arrived or not.
func (s *Store) GigAttendance(ctx context.Context, employerUserID, gigID uint64, day string) ([]DayAttendee, error) {
	if _, err := time.ParseInLocation(dateLayout, day, Shanghai); err != nil {
		return nil, ErrNotWorkDay
	}
	applicants, err := s.GigApplicants(ctx, employerUserID, gigID) // checks that the gig is the caller's
	if err != nil {
		return nil, err
	}
	var rows []Attendance
	if err := s.DB.WithContext(ctx).Where("gig_id = ? AND day = ?", gigID, day).Find(&rows).Error; err != nil {
		return nil, dbErr(err)
	}
	byWorker := map[uint64]*Attendance{}
	for i := range rows {
		byWorker[rows[i].WorkerID] = &rows[i]
	}
	out := []DayAttendee{}
	for _, ap := range applicants {
		if !slices.Contains(takenOn, ap.Status) {
			continue
		}
		d := DayAttendee{WorkerID: ap.WorkerID, MaskedName: ap.MaskedName, Phone: ap.Phone, Attendance: byWorker[ap.WorkerID]}
		if d.Attendance != nil {
			if d.ArriveAt, err = s.openGeo(d.Attendance.ArriveGeoCipher); err != nil {
				return nil, err
			}
			if d.LeaveAt, err = s.openGeo(d.Attendance.LeaveGeoCipher); err != nil {
				return nil, err
			}
		}
		out = append(out, d)
	}
	return out, nil
}

func (s *Store) openGeo(sealed string) (*Place, error) {
	if sealed == "" {
		return nil, nil
	}
	plain, err := s.Crypt.Decrypt(sealed)
	if err != nil {
		return nil, err
	}
	var p Place
	if _, err := fmt.Sscanf(plain, "%f,%f", &p.Lat, &p.Lng); err != nil {
		return nil, fmt.Errorf("attendance location: %w", err)
	}
	return &p, nil
}

// WorkerDay is one of a worker's attendance records with the gig's title.
type WorkerDay struct {
	Attendance
	GigTitle string
}

// WorkerAttendance lists a worker's own attendance, newest day first.
func (s *Store) WorkerAttendance(ctx context.Context, workerID uint64, limit int) ([]WorkerDay, error) {
	out := []WorkerDay{}
	err := s.DB.WithContext(ctx).Model(&Attendance{}).Select("attendances.*, gigs.title AS gig_title").
		Joins("JOIN gigs ON gigs.id = attendances.gig_id").Where("attendances.worker_id = ?", workerID).
		Order("attendances.day DESC, attendances.id DESC").Limit(limit).Scan(&out).Error
	return out, dbErr(err)
}

// AttendanceFor lists the elder's attendance for their family delegate, who confirms marks for them.
func (s *Store) AttendanceFor(ctx context.Context, delegateID, elderID uint64) ([]WorkerDay, error) {
	if err := s.actingFor(ctx, delegateID, elderID); err != nil {
		return nil, err
	}
	return s.WorkerAttendance(ctx, elderID, 200)
}
