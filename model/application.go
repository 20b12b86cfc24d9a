package model

import (
	"context"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
)

// Application states.
//
//	pending ──accept──▶ confirmed ──complete──▶ completed ──confirm-pay──▶ paid
//	   │                    │                      └──dispute──▶ disputed
//	   └─reject/withdraw─▶ rejected / withdrawn    (closing the gig cancels pending and confirmed ones)
const (
	AppPending   = "pending"
	AppConfirmed = "confirmed"
	AppRejected  = "rejected"
	AppWithdrawn = "withdrawn"
	AppCancelled = "cancelled"
	AppCompleted = "completed"
	AppPaid      = "paid"
	AppDisputed  = "disputed"
)

// Application is a worker's request to work a gig.
type Application struct {
	ID              uint64 `gorm:"primaryKey"`
	GigID           uint64
	WorkerID        uint64
	Status          string
	AmountPaidCents *int64
	DecidedAt       *time.Time
	CompletedAt     *time.Time
	PayConfirmedAt  *time.Time
	DisputedAt      *time.Time
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// Rating is one side's 1–5 score of the other after the work.
type Rating struct {
	ID            uint64 `gorm:"primaryKey"`
	ApplicationID uint64
	ByRole        string // "worker" rates the employer, "employer" rates the worker
	Score         int
	Comment       string
	RaterID       uint64
	CreatedAt     time.Time
}

// Errors of applying and hiring.
var (
	ErrGigFull    = errors.New("gig full")
	ErrGigNotOpen = errors.New("gig not open for applications")
	// ErrGigPaused: the employer's identity waits for review again; the gig comes back once it is verified.
	ErrGigPaused       = errors.New("gig paused while its employer is reviewed again")
	ErrAlreadyApplied  = errors.New("already applied")
	ErrOwnGig          = errors.New("cannot apply to one's own gig")
	ErrWrongState      = errors.New("application is not in a state that allows this")
	ErrAlreadyRated    = errors.New("already rated")
	ErrWorkNotStarted  = errors.New("work has not started")
	ErrPaymentInvalid  = errors.New("payment amount invalid")
	ErrRatingInvalid   = errors.New("rating invalid")
	errNotThisEmployer = ErrNotFound
)

// takeSpot confirms one more worker on a gig if a spot is left, and marks the gig filled when that was the
// last one. The condition lives in the UPDATE, so the database decides between racing workers: no count is
// read and then written back.
func takeSpot(tx *gorm.DB, gigID uint64, now time.Time) error {
	// One statement. status comes first in SET: MySQL assigns left to right, so its CASE reads confirmed before
	// the increment, as SQLite and standard SQL always do.
	res := tx.Exec("UPDATE gigs SET status = CASE WHEN confirmed + 1 >= headcount THEN ? ELSE status END, "+
		"confirmed = confirmed + 1, updated_at = ? WHERE id = ? AND status = ? AND confirmed < headcount",
		GigFilled, now, gigID, GigPublished)
	if res.Error != nil {
		return dbErr(res.Error)
	}
	if res.RowsAffected == 0 {
		return ErrGigFull
	}
	return noteChanges(tx, now, changeGig, gigID)
}

// releaseSpot gives a confirmed worker's spot back and reopens a filled gig that is still running.
func releaseSpot(tx *gorm.DB, gigID uint64, now time.Time) error {
	if err := tx.Model(&Gig{}).Where("id = ? AND confirmed > 0", gigID).
		Updates(map[string]any{"confirmed": gorm.Expr("confirmed - 1"), "updated_at": now}).Error; err != nil {
		return dbErr(err)
	}
	if err := tx.Model(&Gig{}).
		Where("id = ? AND status = ? AND confirmed < headcount AND end_date >= ?", gigID, GigFilled, now.Format(dateLayout)).
		Updates(map[string]any{"status": GigPublished, "updated_at": now}).Error; err != nil {
		return dbErr(err)
	}
	return noteChanges(tx, now, changeGig, gigID)
}

// Apply is a worker's two-tap application. On a first-come gig it confirms at once while spots are left.
func (s *Store) Apply(ctx context.Context, workerID, gigID uint64) (*Application, error) {
	now := s.Now()
	// The checks read before the transaction: in the dawn rush half the taps are refused (already applied,
	// full), and a refusal then costs one statement rather than three. What counts is decided inside it: the
	// spot's conditional UPDATE (first come) or a hold on the gig (the employer picks), and the unique key.
	earlier, hiringMode, err := s.applyChecks(ctx, workerID, gigID, now)
	if err != nil {
		return nil, err
	}
	var out *Application
	err = s.tx(ctx, func(tx *gorm.DB) error {
		status := AppPending
		if hiringMode == HireFirstCome {
			if err := takeSpot(tx, gigID, now); errors.Is(err, ErrGigFull) {
				return s.whyNoSpot(tx, gigID, now)
			} else if err != nil {
				return err
			}
			status = AppConfirmed
		} else {
			// The employer picks: nothing below touches the gig, so it is held until the commit. A close or
			// pause that committed since the check is seen here; one that comes later waits, then cancels this
			// application with the others.
			var g struct{ Status, EndDate string }
			if err := s.locking(tx.Model(&Gig{}).Select("status, end_date")).Where("id = ?", gigID).Take(&g).Error; err != nil {
				return dbErr(err)
			}
			if err := openForApplying(g.Status, g.EndDate, now); err != nil {
				return err
			}
		}
		app := Application{GigID: gigID, WorkerID: workerID, Status: status, CreatedAt: now, UpdatedAt: now}
		if status == AppConfirmed {
			app.DecidedAt = &now
		}
		if earlier != nil {
			// A withdrawn application comes back to life: one row per worker and gig, always.
			res := tx.Model(&Application{}).Where("id = ? AND status = ?", earlier.ID, AppWithdrawn).
				Updates(map[string]any{"status": status, "decided_at": app.DecidedAt, "updated_at": now})
			if res.Error != nil {
				return dbErr(res.Error)
			}
			if res.RowsAffected == 0 {
				return ErrAlreadyApplied
			}
			app.ID, app.CreatedAt = earlier.ID, earlier.CreatedAt
		} else if err := tx.Create(&app).Error; err != nil {
			if err = dbErr(err); errors.Is(err, ErrConflict) {
				return ErrAlreadyApplied
			}
			return err
		}
		out = &app
		return nil
	})
	return out, err
}

// whyNoSpot tells a worker whose spot was refused why: the gig filled, or it was closed or paused since the
// checks read it.
func (s *Store) whyNoSpot(tx *gorm.DB, gigID uint64, now time.Time) error {
	var g struct{ Status, EndDate string }
	if err := tx.Model(&Gig{}).Select("status, end_date").Where("id = ?", gigID).Take(&g).Error; err != nil {
		return dbErr(err)
	}
	if err := openForApplying(g.Status, g.EndDate, now); err != nil {
		return err
	}
	return ErrGigFull
}

// openForApplying says whether a gig in this state takes applications.
func openForApplying(status, endDate string, now time.Time) error {
	switch status {
	case GigPublished:
	case GigFilled:
		return ErrGigFull
	case GigClosed, GigExpired:
		return ErrGigNotOpen
	case GigPaused:
		return ErrGigPaused
	default:
		return ErrNotFound // not public: its existence is not revealed
	}
	if endDate < now.Format(dateLayout) {
		return ErrGigNotOpen
	}
	return nil
}

// applyChecks says whether the worker may apply to the gig, and returns their withdrawn application to revive
// (nil for none) and the gig's hiring mode.
func (s *Store) applyChecks(ctx context.Context, workerID, gigID uint64, now time.Time) (*Application, string, error) {
	db := s.DB.WithContext(ctx)
	// The gig, its owner, whether the worker registered and their earlier application, in one read: the
	// dawn rush applies hundreds of times a second.
	var g struct {
		Status, EndDate, HiringMode string
		OwnerID                     uint64
		Registered                  bool
		EarlierID                   *uint64
		EarlierStatus               *string
		EarlierCreatedAt            *time.Time
	}
	err := db.Model(&Gig{}).Select("gigs.status, gigs.end_date, gigs.hiring_mode, employers.user_id AS owner_id, "+
		"EXISTS (SELECT 1 FROM worker_profiles WHERE user_id = ?) AS registered, "+
		"earlier.id AS earlier_id, earlier.status AS earlier_status, earlier.created_at AS earlier_created_at", workerID).
		Joins("JOIN employers ON employers.id = gigs.employer_id").
		Joins("LEFT JOIN applications earlier ON earlier.gig_id = gigs.id AND earlier.worker_id = ?", workerID).
		Where("gigs.id = ?", gigID).Take(&g).Error
	if err = dbErr(err); errors.Is(err, ErrNotFound) {
		var registered int64
		if err := db.Model(&WorkerProfile{}).Where("user_id = ?", workerID).Count(&registered).Error; err != nil {
			return nil, "", dbErr(err)
		}
		if registered == 0 {
			return nil, "", ErrProfileMissing
		}
		return nil, "", ErrNotFound
	} else if err != nil {
		return nil, "", err
	}
	if !g.Registered {
		return nil, "", ErrProfileMissing
	}
	var earlier *Application
	if g.EarlierID != nil {
		if *g.EarlierStatus != AppWithdrawn {
			return nil, "", ErrAlreadyApplied
		}
		earlier = &Application{ID: *g.EarlierID, CreatedAt: *g.EarlierCreatedAt}
	}
	if err := openForApplying(g.Status, g.EndDate, now); err != nil {
		return nil, "", err
	}
	if g.OwnerID == workerID {
		return nil, "", ErrOwnGig
	}
	return earlier, g.HiringMode, nil
}

// Withdraw takes back a worker's own application; a confirmed worker's spot opens again.
func (s *Store) Withdraw(ctx context.Context, workerID, appID uint64) (*Application, error) {
	return s.moveApplication(ctx, appID, func(tx *gorm.DB, app *Application, g *Gig) (string, error) {
		if app.WorkerID != workerID {
			return "", ErrNotFound
		}
		switch app.Status {
		case AppPending:
			return AppWithdrawn, nil
		case AppConfirmed:
			ok, err := takeDaily(tx, workerID, QuotaWithdrawals, s.Now(), WithdrawalsPerDay, 0, 0)
			if err == nil && !ok {
				err = ErrWithdrawLimit
			}
			if err != nil {
				return "", err
			}
			return AppWithdrawn, releaseSpot(tx, g.ID, s.Now())
		}
		return "", ErrWrongState
	})
}

// Accept confirms a pending applicant of the employer's own gig, while spots are left.
func (s *Store) Accept(ctx context.Context, employerUserID, appID uint64) (*Application, error) {
	return s.moveApplication(ctx, appID, func(tx *gorm.DB, app *Application, g *Gig) (string, error) {
		if err := s.mustOwn(tx, employerUserID, g); err != nil {
			return "", err
		}
		if app.Status != AppPending {
			return "", ErrWrongState
		}
		if g.Status == GigFilled {
			return "", ErrGigFull
		}
		if g.Status == GigPaused {
			return "", ErrGigPaused
		}
		if g.Status != GigPublished {
			return "", ErrGigNotOpen
		}
		if err := takeSpot(tx, g.ID, s.Now()); err != nil {
			return "", err
		}
		return AppConfirmed, tellApplicant(tx, app, g, "已录用", "请按时到岗，有事请联系雇主", s.Now())
	})
}

// tellApplicant queues the subscribe message that tells a worker what became of their application.
func tellApplicant(tx *gorm.DB, app *Application, g *Gig, result, note string, now time.Time) error {
	return enqueue(tx, app.WorkerID, MsgApplicationResult, "pages/applications/index",
		map[string]string{"gig": g.Title, "result": result, "date": g.StartDate, "note": note}, nil, now)
}

// Reject turns down an applicant, or lets a confirmed worker go before the work (their spot opens again).
func (s *Store) Reject(ctx context.Context, employerUserID, appID uint64) (*Application, error) {
	return s.moveApplication(ctx, appID, func(tx *gorm.DB, app *Application, g *Gig) (string, error) {
		if err := s.mustOwn(tx, employerUserID, g); err != nil {
			return "", err
		}
		switch app.Status {
		case AppPending:
		case AppConfirmed:
			if err := releaseSpot(tx, g.ID, s.Now()); err != nil {
				return "", err
			}
			if err := recordLateCancels(tx, g, []uint64{app.WorkerID}, s.Now()); err != nil {
				return "", err
			}
		default:
			return "", ErrWrongState
		}
		return AppRejected, tellApplicant(tx, app, g, "未录用", "看看附近别的活吧", s.Now())
	})
}

// Complete records that a confirmed worker did the work and what the employer paid.
func (s *Store) Complete(ctx context.Context, employerUserID, appID uint64, amountPaidCents int64) (*Application, error) {
	// Zero is refused too: a finished job records what was really paid, never a default.
	if amountPaidCents <= 0 || amountPaidCents > 1_000_000_00 {
		return nil, ErrPaymentInvalid
	}
	return s.moveApplication(ctx, appID, func(tx *gorm.DB, app *Application, g *Gig) (string, error) {
		if err := s.mustOwn(tx, employerUserID, g); err != nil {
			return "", err
		}
		if app.Status != AppConfirmed {
			return "", ErrWrongState
		}
		now := s.Now()
		if g.StartDate > now.Format(dateLayout) {
			return "", ErrWorkNotStarted
		}
		app.AmountPaidCents, app.CompletedAt = &amountPaidCents, &now
		return AppCompleted, nil
	})
}

// ConfirmPay is the worker saying the pay arrived.
func (s *Store) ConfirmPay(ctx context.Context, workerID, appID uint64) (*Application, error) {
	return s.settle(ctx, workerID, appID, AppPaid, "")
}

// DisputePay is the worker saying the pay did not arrive, or not in full. It opens a wage-arrears complaint
// about the application, in the same transaction, so that staff see it at once.
func (s *Store) DisputePay(ctx context.Context, workerID, appID uint64, note string) (*Application, error) {
	return s.settle(ctx, workerID, appID, AppDisputed, note)
}

// settle is the worker's answer to a completed job's pay: paid or disputed.
func (s *Store) settle(ctx context.Context, workerID, appID uint64, outcome, note string) (*Application, error) {
	return s.moveApplication(ctx, appID, func(tx *gorm.DB, app *Application, g *Gig) (string, error) {
		if app.WorkerID != workerID {
			return "", ErrNotFound
		}
		if app.Status != AppCompleted {
			return "", ErrWrongState
		}
		now := s.Now()
		if outcome == AppPaid {
			app.PayConfirmedAt = &now
			return outcome, nil
		}
		app.DisputedAt = &now
		description := "工钱没收到或数目不对（报名时点了“工钱有问题”）"
		if note = strings.TrimSpace(note); note != "" {
			description += "：" + note
		}
		// The numbers as they stood when the worker disputed; the complaint also shows the days as recorded.
		days, err := workerDays(tx, g.ID, workerID)
		if err != nil {
			return "", err
		}
		description += "。" + owedText(g, owedOfDays(g, days), app.AmountPaidCents)
		_, err = s.newComplaint(tx, workerID, ComplaintInput{Category: ComplaintWageArrears, ApplicationID: &app.ID,
			Description: description})
		return outcome, err
	})
}

func (s *Store) mustOwn(tx *gorm.DB, employerUserID uint64, g *Gig) error {
	var n int64
	if err := tx.Model(&Employer{}).Where("id = ? AND user_id = ?", g.EmployerID, employerUserID).Count(&n).Error; err != nil {
		return dbErr(err)
	}
	if n == 0 {
		return errNotThisEmployer
	}
	return nil
}

// moveApplication loads an application and its gig, lets decide pick the next state (and do its side
// effects), then writes the change on the condition that nobody moved the application meanwhile.
func (s *Store) moveApplication(ctx context.Context, appID uint64,
	decide func(tx *gorm.DB, app *Application, g *Gig) (string, error)) (*Application, error) {
	var out *Application
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var app Application
		if err := tx.Take(&app, appID).Error; err != nil {
			return dbErr(err)
		}
		var g Gig
		if err := tx.Take(&g, app.GigID).Error; err != nil {
			return dbErr(err)
		}
		from := app.Status
		next, err := decide(tx, &app, &g)
		if err != nil {
			return err
		}
		now := s.Now()
		updates := map[string]any{"status": next, "updated_at": now, "amount_paid_cents": app.AmountPaidCents,
			"completed_at": app.CompletedAt, "pay_confirmed_at": app.PayConfirmedAt, "disputed_at": app.DisputedAt}
		if from == AppPending {
			updates["decided_at"] = now
		}
		res := tx.Model(&Application{}).Where("id = ? AND status = ?", app.ID, from).Updates(updates)
		if res.Error != nil {
			return dbErr(res.Error)
		}
		if res.RowsAffected == 0 {
			return ErrWrongState
		}
		app.Status, app.UpdatedAt = next, now
		out = &app
		return nil
	})
	return out, err
}

// Rate lets each side of finished work score the other once. The worker rates the employer, the employer
// rates the worker; averages are kept on the rated side for display.
func (s *Store) Rate(ctx context.Context, userID, appID uint64, score int, comment string) (*Rating, error) {
	comment = strings.TrimSpace(comment)
	if score < 1 || score > 5 || utf8.RuneCountInString(comment) > 100 {
		return nil, ErrRatingInvalid
	}
	var out *Rating
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var app Application
		if err := tx.Take(&app, appID).Error; err != nil {
			return dbErr(err)
		}
		var g Gig
		if err := tx.Take(&g, app.GigID).Error; err != nil {
			return dbErr(err)
		}
		var emp Employer
		if err := tx.Take(&emp, g.EmployerID).Error; err != nil {
			return dbErr(err)
		}
		by := ""
		switch userID {
		case app.WorkerID:
			by = "worker"
		case emp.UserID:
			by = "employer"
		default:
			return ErrNotFound
		}
		switch app.Status {
		case AppCompleted, AppPaid, AppDisputed:
		default:
			return ErrWrongState
		}
		r := Rating{ApplicationID: app.ID, ByRole: by, Score: score, Comment: comment, RaterID: userID, CreatedAt: s.Now()}
		if err := tx.Create(&r).Error; err != nil {
			if err = dbErr(err); errors.Is(err, ErrConflict) {
				return ErrAlreadyRated
			}
			return err
		}
		bump := map[string]any{"rating_sum": gorm.Expr("rating_sum + ?", score), "rating_count": gorm.Expr("rating_count + 1")}
		var res *gorm.DB
		if by == "worker" {
			res = tx.Model(&Employer{}).Where("id = ?", emp.ID).Updates(bump)
			if res.Error == nil {
				// The gig list shows the employer's average: the note brings the new one to its cards.
				if err := noteChanges(tx, s.Now(), changeEmployer, emp.ID); err != nil {
					return err
				}
			}
		} else {
			res = tx.Model(&WorkerProfile{}).Where("user_id = ?", app.WorkerID).Updates(bump)
		}
		if res.Error != nil {
			return dbErr(res.Error)
		}
		out = &r
		return nil
	})
	return out, err
}
