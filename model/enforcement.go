package model

import (
	"context"
	"errors"
	"strings"
	"unicode/utf8"

	"gorm.io/gorm"
)

// Staff enforcement on what is already on the market: taking down a live gig, suspending an employer and
// lifting the suspension. Each goes through the paths a rejection takes (the reason on the gig or the
// registration, the review-result message to the employer, workers told), within the staff member's scope
// and never on their own business.

var (
	// ErrEmployerSuspended: staff suspended the employer; they cannot post, edit or re-register until lifted.
	ErrEmployerSuspended = errors.New("employer suspended")
	// ErrActionReason: taking down or suspending needs a reason of 1 to 200 characters, which the employer reads.
	ErrActionReason = errors.New("a take-down or suspension needs a reason")
)

// gigsTakeable are the states of a gig staff may take down: on the market, or paused with its employer.
var gigsTakeable = []string{GigPublished, GigFilled, GigPaused}

// Decisions recorded beside approve and reject.
const (
	decisionTakeDown  = "take_down"
	decisionSuspend   = "suspend"
	decisionReinstate = "reinstate"
)

// Notes to the workers of a suspended (or reinstated) employer's gigs.
const (
	pausedForSuspension  = "雇主的招工资格被零工市场暂停了，这个活先暂停，恢复后再通知您"
	resumedAfterSuspend  = "雇主的招工资格恢复了，这个活恢复了，您的报名照旧"
	takenDownForWorkers  = "这个活被零工市场撤下了，看看别的吧"
	suspensionReviewItem = "招工资格"
)

func actionReason(reason string) (string, error) {
	reason = strings.TrimSpace(reason)
	if n := utf8.RuneCountInString(reason); n == 0 || n > 200 {
		return "", ErrActionReason
	}
	return reason, nil
}

// TakeDownGig takes a live gig of the staff member's area off the market, as a rejection with the reason:
// the employer sees it on the gig and in the review-result message, the workers who applied are told and
// their applications cancelled. The employer may edit the gig, which sends it back to review.
func (s *Store) TakeDownGig(ctx context.Context, scope Scope, gigID uint64, reason string) (*Gig, error) {
	reason, err := actionReason(reason)
	if err != nil {
		return nil, err
	}
	var g Gig
	err = s.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Take(&g, gigID).Error; err != nil {
			return dbErr(err)
		}
		var employerUser uint64
		if err := tx.Model(&Employer{}).Where("id = ?", g.EmployerID).Pluck("user_id", &employerUser).Error; err != nil {
			return dbErr(err)
		}
		if err := mayDecide(tx, scope, g.AreaCode, employerUser); err != nil {
			return err
		}
		now := s.Now()
		// The state in the condition: a gig closed or taken down meanwhile is not taken down twice.
		res := tx.Model(&Gig{}).Where("id = ? AND status IN ?", g.ID, gigsTakeable).Updates(map[string]any{
			"status": GigRejected, "reject_reason": reason, "confirmed": 0, "reviewed_by": scope.UserID, "reviewed_at": now,
			"updated_at": now})
		if res.Error != nil {
			return dbErr(res.Error)
		}
		if res.RowsAffected == 0 {
			return ErrWrongState
		}
		if err := noteChanges(tx, now, changeGig, g.ID); err != nil {
			return err
		}
		if err := cancelApplications(tx, &g, takenDownForWorkers, now); err != nil {
			return err
		}
		if err := tellReview(tx, employerUser, "招工："+g.Title, false, reason, "", "pages/employer/gigs", now); err != nil {
			return err
		}
		return record(tx, "gig", g.ID, decisionTakeDown, reason, scope.UserID, now)
	})
	if err != nil {
		return nil, err
	}
	if err := s.DB.WithContext(ctx).Take(&g, gigID).Error; err != nil {
		return nil, dbErr(err)
	}
	return &g, nil
}

// SuspendEmployer suspends a verified employer of the staff member's area: the reason stands on their
// registration and reaches them as a review-result message, their live gigs are paused (off the market, the
// workers told) and they cannot post until staff lift it with ReinstateEmployer. Gigs waiting for review stay
// in the queue, where approving them is refused while the suspension lasts.
func (s *Store) SuspendEmployer(ctx context.Context, scope Scope, employerID uint64, reason string) (*EmployerView, error) {
	reason, err := actionReason(reason)
	if err != nil {
		return nil, err
	}
	return s.moveEmployer(ctx, scope, employerID, StatusVerified, StatusSuspended, reason)
}

// ReinstateEmployer lifts a suspension: the employer is verified again (the registration did not change while
// suspended, SaveEmployer refuses it) and their paused gigs come back, or end if their last day passed.
func (s *Store) ReinstateEmployer(ctx context.Context, scope Scope, employerID uint64) (*EmployerView, error) {
	return s.moveEmployer(ctx, scope, employerID, StatusSuspended, StatusVerified, "")
}

func (s *Store) moveEmployer(ctx context.Context, scope Scope, employerID uint64, from, to, reason string) (*EmployerView, error) {
	var e Employer
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Take(&e, employerID).Error; err != nil {
			return dbErr(err)
		}
		if err := mayDecide(tx, scope, e.AreaCode, e.UserID); err != nil {
			return err
		}
		now := s.Now()
		res := tx.Model(&Employer{}).Where("id = ? AND status = ?", e.ID, from).Updates(map[string]any{
			"status": to, "reject_reason": reason, "reviewed_by": scope.UserID, "reviewed_at": now, "updated_at": now})
		if res.Error != nil {
			return dbErr(res.Error)
		}
		if res.RowsAffected == 0 {
			return ErrWrongState
		}
		var err error
		decision, result, note := decisionSuspend, "已暂停", reason
		if to == StatusSuspended {
			err = pauseGigs(tx, e.ID, now, pausedForSuspension)
		} else {
			decision, result, note = decisionReinstate, "已恢复", "可以发布招工了"
			err = resumeGigs(tx, e.ID, now, resumedAfterSuspend)
		}
		if err != nil {
			return err
		}
		// The employer's own change too: their name and standing on every card follow it.
		if err := noteChanges(tx, now, changeEmployer, e.ID); err != nil {
			return err
		}
		if err := enqueue(tx, e.UserID, MsgReviewResult, "pages/employer/register",
			map[string]string{"item": suspensionReviewItem, "result": result, "note": note}, nil, now); err != nil {
			return err
		}
		return record(tx, "employer", e.ID, decision, reason, scope.UserID, now)
	})
	if err != nil {
		return nil, err
	}
	if err := s.DB.WithContext(ctx).Take(&e, employerID).Error; err != nil {
		return nil, dbErr(err)
	}
	return s.openEmployer(&e)
}
