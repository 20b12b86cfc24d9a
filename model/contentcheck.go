package model

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// What a content check looks at.
const (
	CheckGig       = "gig"
	CheckComplaint = "complaint"
)

// Content-check queue states.
const (
	CheckPending = "pending"
	CheckDone    = "done"
)

// ContentCheck is the queued WeChat check of one gig's or complaint's text, written in the transaction that saves
// the text, so that nobody waits for WeChat and no saved text goes unchecked. One row per gig or complaint: an
// edit queues it again under a new revision, and a verdict counts only for the revision it was asked about.
type ContentCheck struct {
	ID            uint64 `gorm:"primaryKey"`
	Kind          string
	TargetID      uint64
	Revision      int
	Status        string
	Attempts      int
	NextAttemptAt time.Time
	Verdict       string
	LastError     string
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// queueCheck asks for a check of a text just saved, inside the caller's transaction; a check already queued
// or done for the same gig or complaint starts over for the new text.
func queueCheck(tx *gorm.DB, kind string, targetID uint64, now time.Time) error {
	return dbErr(tx.Clauses(clause.OnConflict{
		Columns: []clause.Column{{Name: "kind"}, {Name: "target_id"}},
		DoUpdates: clause.Assignments(map[string]any{"revision": gorm.Expr("content_checks.revision + 1"),
			"status": CheckPending, "attempts": 0, "next_attempt_at": now, "verdict": "", "last_error": "", "updated_at": now}),
	}).Create(&ContentCheck{Kind: kind, TargetID: targetID, Revision: 1, Status: CheckPending, NextAttemptAt: now,
		CreatedAt: now, UpdatedAt: now}).Error)
}

// DueChecks are the checks whose time to (re)try has come, oldest first.
func (s *Store) DueChecks(ctx context.Context, limit int) ([]ContentCheck, error) {
	var out []ContentCheck
	err := s.DB.WithContext(ctx).Where("status = ? AND next_attempt_at <= ?", CheckPending, s.Now()).
		Order("next_attempt_at, id").Limit(limit).Find(&out).Error
	return out, dbErr(err)
}

// checkClaim is how long a checker holds a check it took: longer than one msgSecCheck can take (WeChat's timeout,
// once more after a token renewal). A checker that dies leaves the check due again after it.
const checkClaim = time.Minute

// ClaimCheck takes a due check for this checker, by a conditional update that moves it out of the due list: two
// checkers (instances whose job leases overlapped) holding the same batch ask WeChat about each text once.
func (s *Store) ClaimCheck(ctx context.Context, c *ContentCheck) (bool, error) {
	now := s.Now()
	res := s.DB.WithContext(ctx).Model(&ContentCheck{}).
		Where("id = ? AND revision = ? AND status = ? AND next_attempt_at <= ?", c.ID, c.Revision, CheckPending, now).
		Update("next_attempt_at", now.Add(checkClaim))
	return res.RowsAffected == 1, dbErr(res.Error)
}

// CheckSubject is what WeChat is asked about: the text, and who wrote it (msgSecCheck weighs the writer too).
type CheckSubject struct {
	Text   string
	OpenID string
}

// SubjectOf reads the text a check is about as it is now, and its writer's openid.
func (s *Store) SubjectOf(ctx context.Context, c *ContentCheck) (CheckSubject, error) {
	db := s.DB.WithContext(ctx)
	var out CheckSubject
	var writer uint64
	switch c.Kind {
	case CheckGig:
		var g Gig
		if err := db.Select("id, employer_id, title, description").Take(&g, c.TargetID).Error; err != nil {
			return out, dbErr(err)
		}
		if err := db.Model(&Employer{}).Where("id = ?", g.EmployerID).Pluck("user_id", &writer).Error; err != nil {
			return out, dbErr(err)
		}
		out.Text = gigText(&g)
	case CheckComplaint:
		var cm Complaint
		if err := db.Select("id, complainant_id, description").Take(&cm, c.TargetID).Error; err != nil {
			return out, dbErr(err)
		}
		out.Text, writer = cm.Description, cm.ComplainantID
	default:
		return out, fmt.Errorf("content check %d: unknown kind %q", c.ID, c.Kind)
	}
	openID, err := s.OpenIDOf(ctx, writer)
	out.OpenID = openID
	return out, err
}

// gigText is the part of a gig WeChat checks: what the employer wrote freely.
func gigText(g *Gig) string { return g.Title + "\n" + g.Description }

// Refusals for a text WeChat's check found risky, as the writer reads them (each fits a subscribe message's
// 20-character note).
const (
	GigContentRefused       = "标题或说明里有不允许的内容，请改后再提交"
	ComplaintContentRefused = "经过里有不允许的内容，请改一改再提交"
)

// errCheckSuperseded: the text changed while WeChat looked at it; the verdict is for a text no longer there.
var errCheckSuperseded = errors.New("content check superseded by an edit")

// RecordVerdict applies WeChat's verdict (SecPass, SecReview, SecRisky, or SecUnchecked when WeChat would not
// check it) to the gig or complaint, and closes the check, together. A verdict on a text edited meanwhile is
// dropped: the edit queued a check of its own.
//
// Risky takes a gig down like a reviewer's rejection, even one staff approved before the check answered (a
// human review may go first, it does not overrule a refusal): the employer sees the reason and gets the
// review-result message, workers who applied are told. A complaint still waiting for staff goes back to its
// writer to be reworded; one staff already took up keeps its course, flagged.
func (s *Store) RecordVerdict(ctx context.Context, c *ContentCheck, verdict string) error {
	err := s.tx(ctx, func(tx *gorm.DB) error {
		now := s.Now()
		// The gig or complaint first, then the check: the order in which an edit writes them, so that the two
		// transactions queue rather than deadlock.
		var err error
		switch c.Kind {
		case CheckGig:
			err = applyGigVerdict(tx, c.TargetID, verdict, now)
		case CheckComplaint:
			err = applyComplaintVerdict(tx, c.TargetID, verdict, now)
		default:
			err = fmt.Errorf("content check %d: unknown kind %q", c.ID, c.Kind)
		}
		if err != nil {
			return err
		}
		res := tx.Model(&ContentCheck{}).Where("id = ? AND revision = ? AND status = ?", c.ID, c.Revision, CheckPending).
			Updates(map[string]any{"status": CheckDone, "verdict": verdict, "attempts": c.Attempts + 1, "last_error": "", "updated_at": now})
		if res.Error != nil {
			return dbErr(res.Error)
		}
		if res.RowsAffected == 0 {
			return errCheckSuperseded
		}
		return nil
	})
	if errors.Is(err, errCheckSuperseded) {
		return nil
	}
	return err
}

// gigsLive are the states a refused gig is taken down from: waiting for review, or on the market.
var gigsLive = []string{GigPendingReview, GigPublished, GigFilled, GigPaused}

func applyGigVerdict(tx *gorm.DB, gigID uint64, verdict string, now time.Time) error {
	var g Gig
	if err := tx.Take(&g, gigID).Error; err != nil {
		return dbErr(err)
	}
	g.Checks.SecCheck = verdict
	if err := dbErr(tx.Model(&Gig{ID: g.ID}).Select("checks").Updates(&Gig{Checks: g.Checks}).Error); err != nil {
		return err
	}
	if verdict != SecRisky {
		return nil
	}
	res := tx.Model(&Gig{}).Where("id = ? AND status IN ?", g.ID, gigsLive).
		Updates(map[string]any{"status": GigRejected, "reject_reason": GigContentRefused, "confirmed": 0, "updated_at": now})
	if res.Error != nil {
		return dbErr(res.Error)
	}
	if res.RowsAffected == 0 {
		return nil // closed, expired or rejected already: nothing on show to take down
	}
	if err := noteChanges(tx, now, changeGig, g.ID); err != nil {
		return err
	}
	if err := cancelApplications(tx, &g, "这个活的内容不合规，已撤下，看看别的吧", now); err != nil {
		return err
	}
	var employerUser uint64
	if err := tx.Model(&Employer{}).Where("id = ?", g.EmployerID).Pluck("user_id", &employerUser).Error; err != nil {
		return dbErr(err)
	}
	if err := tellReview(tx, employerUser, "招工："+g.Title, false, GigContentRefused, "", "pages/employer/gigs", now); err != nil {
		return err
	}
	// Staff id 0: the decision is the content check's, not a person's.
	return recordDecision(tx, "gig", g.ID, false, "微信内容安全检测不允许："+GigContentRefused, 0, now)
}

func applyComplaintVerdict(tx *gorm.DB, id uint64, verdict string, now time.Time) error {
	res := tx.Model(&Complaint{}).Where("id = ?", id).Updates(map[string]any{"sec_check": verdict, "updated_at": now})
	if res.Error != nil {
		return dbErr(res.Error)
	}
	if verdict != SecRisky {
		return nil
	}
	var c Complaint
	if err := tx.Select("id, complainant_id, status").Take(&c, id).Error; err != nil {
		return dbErr(err)
	}
	res = tx.Model(&Complaint{}).Where("id = ? AND status = ?", id, CaseSubmitted).
		Updates(map[string]any{"status": CaseReturned, "reject_reason": ComplaintContentRefused, "updated_at": now})
	if res.Error != nil {
		return dbErr(res.Error)
	}
	if res.RowsAffected == 0 {
		return nil // staff took it up already: it stays theirs, flagged
	}
	if err := tx.Create(&ComplaintEvent{ComplaintID: id, Status: CaseReturned, Note: ComplaintContentRefused,
		ActorRole: "system", CreatedAt: now}).Error; err != nil {
		return dbErr(err)
	}
	return enqueue(tx, c.ComplainantID, MsgComplaintProgress, fmt.Sprintf("pages/complaints/detail?id=%d", id),
		map[string]string{"case": fmt.Sprintf("第%d号投诉", id), "status": caseWords[CaseReturned], "note": ComplaintContentRefused,
			"time": now.Format("2006-01-02 15:04")}, nil, now)
}

// checkBackoff is how long a check waits after each try WeChat did not answer; past the last, the text is left
// unchecked for staff to judge (msgSecCheck also refuses to weigh a writer not seen for two hours).
var checkBackoff = []time.Duration{30 * time.Second, time.Minute, 2 * time.Minute, 5 * time.Minute, 10 * time.Minute,
	30 * time.Minute, time.Hour}

// RetryCheck schedules another try after WeChat was unavailable; the text stays "checking" meanwhile.
func (s *Store) RetryCheck(ctx context.Context, c *ContentCheck, reason string) error {
	if c.Attempts >= len(checkBackoff) {
		return s.RecordVerdict(ctx, c, SecUnchecked)
	}
	return dbErr(s.DB.WithContext(ctx).Model(&ContentCheck{}).Where("id = ? AND revision = ? AND status = ?", c.ID, c.Revision, CheckPending).
		Updates(map[string]any{"attempts": c.Attempts + 1, "last_error": truncate(reason, 250),
			"next_attempt_at": s.Now().Add(checkBackoff[c.Attempts]), "updated_at": s.Now()}).Error)
}
