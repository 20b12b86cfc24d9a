package model

import (
	"context"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
)

// ReviewDecision records who approved or rejected what, and when.
type ReviewDecision struct {
	ID        uint64 `gorm:"primaryKey"`
	Kind      string // "gig" or "employer"
	TargetID  uint64
	Decision  string // "approve" or "reject"
	Reason    string
	StaffID   uint64
	CreatedAt time.Time
}

// Review errors.
var (
	ErrDiscriminatory = errors.New("gig has discriminatory phrases")
	// ErrOverrideReason: approving over a flag takes a reason of 10 to 200 characters.
	ErrOverrideReason = errors.New("override reason too short or too long")
	ErrReasonRequired = errors.New("a rejection needs a reason")
	ErrAlreadyDecided = errors.New("already decided")
)

// PendingEmployers is the employer review queue of a scope, oldest first.
func (s *Store) PendingEmployers(ctx context.Context, scope Scope, limit int) ([]EmployerView, error) {
	return s.employersIn(ctx, scope, StatusPending, limit)
}

// SuspendedEmployers are the employers of a scope whose posting staff suspended, oldest first.
func (s *Store) SuspendedEmployers(ctx context.Context, scope Scope, limit int) ([]EmployerView, error) {
	return s.employersIn(ctx, scope, StatusSuspended, limit)
}

func (s *Store) employersIn(ctx context.Context, scope Scope, status string, limit int) ([]EmployerView, error) {
	var emps []Employer
	q := scope.where(s.DB.WithContext(ctx).Where("status = ?", status), "area_code")
	if err := q.Order("id").Limit(limit).Find(&emps).Error; err != nil {
		return nil, dbErr(err)
	}
	out := make([]EmployerView, 0, len(emps))
	for i := range emps {
		v, err := s.openEmployer(&emps[i])
		if err != nil {
			return nil, err
		}
		out = append(out, *v)
	}
	return out, nil
}

// PendingGigs is the gig review queue of a scope, oldest first, with what the checks found.
func (s *Store) PendingGigs(ctx context.Context, scope Scope, limit int) ([]GigDetail, error) {
	return s.gigsIn(ctx, scope, []string{GigPendingReview}, limit)
}

// LiveGigs are the gigs of a scope on the market (or paused with their employer), oldest first: what staff
// may take down.
func (s *Store) LiveGigs(ctx context.Context, scope Scope, limit int) ([]GigDetail, error) {
	return s.gigsIn(ctx, scope, gigsTakeable, limit)
}

func (s *Store) gigsIn(ctx context.Context, scope Scope, statuses []string, limit int) ([]GigDetail, error) {
	var gigs []Gig
	q := scope.where(s.DB.WithContext(ctx).Where("status IN ?", statuses), "area_code")
	if err := q.Order("id").Limit(limit).Find(&gigs).Error; err != nil {
		return nil, dbErr(err)
	}
	empIDs := make([]uint64, len(gigs))
	for i, g := range gigs {
		empIDs[i] = g.EmployerID
	}
	var emps []Employer
	if err := s.DB.WithContext(ctx).Where("id IN ?", uniqueIDs(empIDs)).Find(&emps).Error; err != nil {
		return nil, dbErr(err)
	}
	empOf := make(map[uint64]*Employer, len(emps))
	for i := range emps {
		empOf[emps[i].ID] = &emps[i]
	}
	names, err := s.categoryNames(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]GigDetail, 0, len(gigs))
	for i := range gigs {
		d, err := s.detailOf(&gigs[i], empOf[gigs[i].EmployerID], names[gigs[i].CategoryID])
		if err != nil {
			return nil, err
		}
		out = append(out, *d)
	}
	return out, nil
}

// cleanReason checks what a reviewer wrote: a rejection needs its reason; an approval may carry one, which is
// how a reviewer approves a gig over a flag they judge false (at least 10 characters saying why).
func cleanReason(approve bool, reason string) (string, error) {
	reason = strings.TrimSpace(reason)
	n := utf8.RuneCountInString(reason)
	switch {
	case approve && n > 0 && (n < 10 || n > 200):
		return "", ErrOverrideReason
	case !approve && (n == 0 || n > 200):
		return "", ErrReasonRequired
	}
	return reason, nil
}

// ErrConflictOfInterest: a staff member tried to decide on their own account, or on one they are tied to. The
// case waits for another staff member of the area, or of the level above.
var ErrConflictOfInterest = errors.New("staff decision on their own account")

// conflicted tells whether staff member staffID may not decide on the account userID: it is their own, or a
// family delegation ties the two (either way round, not revoked). With registered, a person the staff member
// registered at the window counts too: serving them is their job, recognising a benefit for them is not.
func conflicted(tx *gorm.DB, staffID, userID uint64, registered bool) error {
	if staffID == userID {
		return ErrConflictOfInterest
	}
	var n int64
	err := tx.Model(&Delegation{}).Where("accepted_at IS NOT NULL AND revoked_at IS NULL AND "+
		"((elder_id = ? AND delegate_id = ?) OR (elder_id = ? AND delegate_id = ?))", userID, staffID, staffID, userID).Count(&n).Error
	if err == nil && n == 0 && registered {
		err = tx.Model(&OnBehalfAction{}).Where("actor_id = ? AND subject_id = ? AND action = ?", staffID, userID, "register").Count(&n).Error
	}
	if err != nil {
		return dbErr(err)
	}
	if n > 0 {
		return ErrConflictOfInterest
	}
	return nil
}

// mayDecide is the rule of a staff decision on a case of areaCode whose party is the account partyID: within
// the staff member's scope (another area's case is not found, as it is not listed), and never on their own
// business (conflicted). Reviews and enforcement alike.
func mayDecide(tx *gorm.DB, scope Scope, areaCode string, partyID uint64) error {
	if !scope.Covers(areaCode) {
		return ErrNotFound
	}
	return conflicted(tx, scope.UserID, partyID, false)
}

// DecideEmployer approves or rejects a pending employer within the staff member's scope.
func (s *Store) DecideEmployer(ctx context.Context, scope Scope, employerID uint64, approve bool, reason string) (*EmployerView, error) {
	reason, err := cleanReason(approve, reason)
	if err != nil {
		return nil, err
	}
	err = s.tx(ctx, func(tx *gorm.DB) error {
		var e Employer
		if err := tx.Take(&e, employerID).Error; err != nil {
			return dbErr(err)
		}
		if err := mayDecide(tx, scope, e.AreaCode, e.UserID); err != nil {
			return err
		}
		status := StatusVerified
		if !approve {
			status = StatusRejected
		}
		now := s.Now()
		decided := map[string]any{"status": status, "reject_reason": reason, "reviewed_by": scope.UserID, "reviewed_at": now, "updated_at": now}
		if approve {
			decided["verified_name"], decided["reject_reason"] = e.DisplayName, ""
		}
		// Only the registration the reviewer read: a rename landing meanwhile waits for its own review.
		res := tx.Model(&Employer{}).Where("id = ? AND status = ? AND display_name = ? AND updated_at = ?", e.ID, StatusPending,
			e.DisplayName, e.UpdatedAt).Updates(decided)
		if res.Error != nil {
			return dbErr(res.Error)
		}
		if res.RowsAffected == 0 {
			return ErrAlreadyDecided
		}
		if approve {
			if err := resumeGigs(tx, e.ID, now, resumedForReview); err != nil {
				return err
			}
		}
		if err := tellReview(tx, e.UserID, "招工登记", approve, reason, "可以发布招工了", "pages/employer/register", now); err != nil {
			return err
		}
		return recordDecision(tx, "employer", e.ID, approve, reason, scope.UserID, now)
	})
	if err != nil {
		return nil, err
	}
	var e Employer
	if err := s.DB.WithContext(ctx).Take(&e, employerID).Error; err != nil {
		return nil, dbErr(err)
	}
	return s.openEmployer(&e)
}

// DecideGig approves (publishes) or rejects a gig awaiting review within the staff member's scope. A gig
// with discriminatory phrases cannot be approved as it is, and only a verified employer's gig can go out.
// A gig whose WeChat content check has not answered yet may be approved: the reviewer's reading is the stronger
// check, and the reviewer sees it marked 未检测. Should WeChat then find it risky, it is taken down with the reason
// like any rejection (RecordVerdict).
func (s *Store) DecideGig(ctx context.Context, scope Scope, gigID uint64, approve bool, reason string) (*Gig, error) {
	reason, err := cleanReason(approve, reason)
	if err != nil {
		return nil, err
	}
	var out Gig
	err = s.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Take(&out, gigID).Error; err != nil {
			return dbErr(err)
		}
		var emp Employer
		if err := tx.Take(&emp, out.EmployerID).Error; err != nil {
			return dbErr(err)
		}
		if err := mayDecide(tx, scope, out.AreaCode, emp.UserID); err != nil {
			return err
		}
		now := s.Now()
		updates := map[string]any{"reject_reason": reason, "reviewed_by": scope.UserID, "reviewed_at": now, "updated_at": now}
		if approve {
			// A flag stops the approval unless the reviewer wrote why it is wrong; the reason goes on the record.
			if len(out.Checks.Discrimination) > 0 && reason == "" {
				return ErrDiscriminatory
			}
			if len(out.Checks.Discrimination) > 0 {
				reason = "判定为误报：" + reason
			}
			updates["reject_reason"] = ""
			if emp.Status == StatusSuspended {
				return ErrEmployerSuspended
			}
			if emp.Status != StatusVerified {
				return ErrEmployerNotVerified
			}
			updates["status"] = GigPublished
			if out.Confirmed >= out.Headcount {
				updates["status"] = GigFilled
			}
			if out.PublishedAt == nil {
				updates["published_at"] = now
			}
		} else {
			updates["status"] = GigRejected
		}
		res := tx.Model(&Gig{}).Where("id = ? AND status = ?", out.ID, GigPendingReview).Updates(updates)
		if res.Error != nil {
			return dbErr(res.Error)
		}
		if res.RowsAffected == 0 {
			return ErrAlreadyDecided
		}
		if err := noteChanges(tx, now, changeGig, out.ID); err != nil {
			return err
		}
		if updates["status"] == GigPublished {
			if err := queueAlertMatch(tx, out.ID, now); err != nil {
				return err
			}
		}
		var employerUser uint64
		if err := tx.Model(&Employer{}).Where("id = ?", out.EmployerID).Pluck("user_id", &employerUser).Error; err != nil {
			return dbErr(err)
		}
		if err := tellReview(tx, employerUser, "招工："+out.Title, approve, reason, "已发布，工人可以报名了", "pages/employer/gigs", now); err != nil {
			return err
		}
		return recordDecision(tx, "gig", out.ID, approve, reason, scope.UserID, now)
	})
	if err != nil {
		return nil, err
	}
	if err := s.DB.WithContext(ctx).Take(&out, gigID).Error; err != nil {
		return nil, dbErr(err)
	}
	return &out, nil
}

// tellReview queues the subscribe message that tells an employer how staff decided.
func tellReview(tx *gorm.DB, userID uint64, item string, approve bool, reason, approvedNote, page string, now time.Time) error {
	result, note := "已通过", approvedNote
	if !approve {
		result, note = "未通过", reason
	}
	return enqueue(tx, userID, MsgReviewResult, page, map[string]string{"item": item, "result": result, "note": note}, nil, now)
}

func recordDecision(tx *gorm.DB, kind string, id uint64, approve bool, reason string, staffID uint64, now time.Time) error {
	decision := "approve"
	if !approve {
		decision = "reject"
	}
	return record(tx, kind, id, decision, reason, staffID, now)
}

// record keeps a staff decision on the record: approve, reject, take_down, suspend or reinstate.
func record(tx *gorm.DB, kind string, id uint64, decision, reason string, staffID uint64, now time.Time) error {
	return dbErr(tx.Create(&ReviewDecision{Kind: kind, TargetID: id, Decision: decision, Reason: reason,
		StaffID: staffID, CreatedAt: now}).Error)
}

// GigForStaff opens any gig in the staff member's scope.
func (s *Store) GigForStaff(ctx context.Context, scope Scope, gigID uint64) (*GigDetail, error) {
	var g Gig
	if err := s.DB.WithContext(ctx).Take(&g, gigID).Error; err != nil {
		return nil, dbErr(err)
	}
	if !scope.Covers(g.AreaCode) {
		return nil, ErrNotFound
	}
	var emp Employer
	if err := s.DB.WithContext(ctx).Take(&emp, g.EmployerID).Error; err != nil {
		return nil, dbErr(err)
	}
	return s.gigDetail(ctx, &g, &emp)
}
