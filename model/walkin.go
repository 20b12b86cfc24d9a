package model

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
)

// Window service (窗口代办): staff register a person who does not manage a smartphone, act for them, and
// print a binding code with which they, or a family member, later claim the profile in the mini-program.

// walkInPrefix marks the openid of a profile staff made: nobody can sign in as it until it is claimed.
const walkInPrefix = "walkin:"

// Consent records how a person agreed to be registered by staff: a signed paper form (photo) or spoken.
type Consent struct {
	ID        uint64 `gorm:"primaryKey"`
	UserID    uint64
	StaffID   uint64
	Method    string
	Note      string
	UploadID  *uint64
	CreatedAt time.Time
}

// OnBehalfAction is something one person did for another; both are recorded.
type OnBehalfAction struct {
	ID         uint64 `gorm:"primaryKey"`
	ActorID    uint64
	SubjectID  uint64
	Action     string
	TargetKind string
	TargetID   uint64
	Note       string
	CreatedAt  time.Time
}

// BindingCode is the one-time code printed for a walk-in profile; only its hash is kept.
type BindingCode struct {
	UserID uint64 `gorm:"primaryKey;autoIncrement:false"`
	// TicketHash finds the code by the random 认领号 printed beside it: a claim never names the sequential
	// 登记号, so nobody can lock another person's code by trying wrong ones against their number.
	TicketHash *string
	CodeHash   string
	ExpiresAt  time.Time
	TriesLeft  int
	IssuedBy   uint64
	CreatedAt  time.Time
	UsedAt     *time.Time
}

// Binding-code rules.
const (
	BindingCodeTTL   = 7 * 24 * time.Hour
	BindingCodeTries = 5
)

// Errors of the window service.
var (
	ErrNotWalkIn          = errors.New("not a walk-in profile")
	ErrBindingCodeWrong   = errors.New("binding code wrong")
	ErrBindingCodeLocked  = errors.New("binding code tried too often")
	ErrBindingCodeExpired = errors.New("binding code expired or used")
	ErrAlreadyRegistered  = errors.New("caller already has a profile")
)

// WalkIn is what staff register for a person at the window.
type WalkIn struct {
	Worker        WorkerInput
	Phone         string
	ConsentMethod string // paper or spoken
	ConsentNote   string
	ConsentPhoto  *uint64
}

func (s *Store) recordOnBehalf(tx *gorm.DB, actor, subject uint64, action, kind string, target uint64, note string) error {
	return dbErr(tx.Create(&OnBehalfAction{ActorID: actor, SubjectID: subject, Action: action, TargetKind: kind, TargetID: target,
		Note: note, CreatedAt: s.Now()}).Error)
}

// RegisterWalkIn makes a worker profile for a person at the market's window, with their consent on record.
func (s *Store) RegisterWalkIn(ctx context.Context, scope Scope, in WalkIn) (*Worker, error) {
	var bad fieldErrors
	if in.Worker.AreaCode == "" {
		bad.add("area_code", "请选择这位求职者所在的区县")
	} else if _, ok := LookupArea(in.Worker.AreaCode); ok && !scope.Covers(in.Worker.AreaCode) {
		return nil, ErrNotFound
	}
	switch in.ConsentMethod {
	case "paper", "spoken":
	default:
		bad.add("consent.method", "请记录本人同意的方式：纸质签字或口头同意")
	}
	if in.ConsentMethod == "paper" && in.ConsentPhoto == nil {
		bad.add("consent.photo", "纸质同意书请拍照上传")
	} else if in.ConsentMethod == "paper" {
		// Only a photo this staff member just took: not someone else's upload, not an old one.
		var n int64
		if err := s.DB.WithContext(ctx).Model(&Upload{}).Where("id = ? AND owner_id = ? AND created_at > ?", *in.ConsentPhoto,
			scope.UserID, s.Now().Add(-time.Hour)).Count(&n).Error; err != nil {
			return nil, dbErr(err)
		}
		if n == 0 {
			bad.add("consent.photo", "同意书照片没找到，请重拍")
		}
	}
	if in.ConsentMethod == "spoken" && utf8.RuneCountInString(strings.TrimSpace(in.ConsentNote)) < 2 {
		bad.add("consent.note", "口头同意请写明时间、地点和在场的人")
	}
	if in.Phone != "" && !validMobile(in.Phone) {
		bad.add("phone", "请填写11位手机号")
	}
	if err := bad.err(); err != nil {
		return nil, err
	}
	suffix := make([]byte, 12)
	_, _ = rand.Read(suffix)
	now := s.Now()
	u := User{OpenID: walkInPrefix + hex.EncodeToString(suffix), CreatedAt: now, UpdatedAt: now}
	if err := s.DB.WithContext(ctx).Create(&u).Error; err != nil {
		return nil, dbErr(err)
	}
	w, err := s.SaveWorker(ctx, u.ID, in.Worker)
	if err == nil && in.Phone != "" {
		_, err = s.BindPhone(ctx, u.ID, in.Phone)
	}
	if err != nil {
		// Nothing half-made stays behind: the account that was to hold the profile goes.
		s.DB.WithContext(ctx).Where("user_id = ?", u.ID).Delete(&WorkerSkill{})
		s.DB.WithContext(ctx).Where("user_id = ?", u.ID).Delete(&WorkerProfile{})
		s.DB.WithContext(ctx).Unscoped().Delete(&User{}, u.ID)
		return nil, err
	}
	err = s.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Create(&Consent{UserID: u.ID, StaffID: scope.UserID, Method: in.ConsentMethod, Note: strings.TrimSpace(in.ConsentNote),
			UploadID: in.ConsentPhoto, CreatedAt: now}).Error; err != nil {
			return dbErr(err)
		}
		return s.recordOnBehalf(tx, scope.UserID, u.ID, "register", "worker", u.ID, in.ConsentMethod)
	})
	return w, err
}

// walkInInScope loads a worker profile staff may act for: in their area.
func (s *Store) workerInScope(tx *gorm.DB, scope Scope, workerID uint64) (*User, error) {
	var p WorkerProfile
	if err := tx.Select("user_id, area_code").Where("user_id = ?", workerID).Take(&p).Error; err != nil {
		return nil, dbErr(err)
	}
	if !scope.Covers(p.AreaCode) {
		return nil, ErrNotFound
	}
	var u User
	if err := tx.Take(&u, workerID).Error; err != nil {
		return nil, dbErr(err)
	}
	return &u, nil
}

// ApplyOnBehalf applies to a gig for a worker of the staff member's area; both people are recorded.
func (s *Store) ApplyOnBehalf(ctx context.Context, scope Scope, workerID, gigID uint64) (*Application, error) {
	if _, err := s.workerInScope(s.DB.WithContext(ctx), scope, workerID); err != nil {
		return nil, err
	}
	app, err := s.Apply(ctx, workerID, gigID)
	if err != nil {
		return nil, err
	}
	return app, s.recordOnBehalf(s.DB.WithContext(ctx), scope.UserID, workerID, "apply", "gig", gigID, "")
}

// RecordCall notes the phone call that told a worker about their application.
func (s *Store) RecordCall(ctx context.Context, scope Scope, applicationID uint64, note string) error {
	note = strings.TrimSpace(note)
	if n := utf8.RuneCountInString(note); n < 2 || n > 200 {
		return &InvalidInput{Fields: []FieldError{{"note", "请写下电话里说了什么（200字以内）"}}}
	}
	var app Application
	if err := s.DB.WithContext(ctx).Take(&app, applicationID).Error; err != nil {
		return dbErr(err)
	}
	if _, err := s.workerInScope(s.DB.WithContext(ctx), scope, app.WorkerID); err != nil {
		return err
	}
	return s.recordOnBehalf(s.DB.WithContext(ctx), scope.UserID, app.WorkerID, "call", "application", app.ID, note)
}

// OnBehalfActions lists what others did for a person, newest first.
func (s *Store) OnBehalfActions(ctx context.Context, subjectID uint64) ([]OnBehalfAction, error) {
	var out []OnBehalfAction
	return out, dbErr(s.DB.WithContext(ctx).Where("subject_id = ?", subjectID).Order("id DESC").Limit(200).Find(&out).Error)
}

// bindingHash is keyed, so that a copy of the table does not let anyone try the million codes offline.
func (s *Store) bindingHash(userID uint64, code string) string {
	return s.Crypt.LookupHash("binding", fmt.Sprintf("%d:%s", userID, code))
}

// Slip is what staff print for a walk-in: the random 8-digit 认领号 and the 6-digit 绑定码, neither stored.
type Slip struct {
	Ticket    string
	Code      string
	ExpiresAt time.Time
}

func randomDigits(n int) (string, error) {
	max := big.NewInt(1)
	for range n {
		max.Mul(max, big.NewInt(10))
	}
	v, err := rand.Int(rand.Reader, max)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%0*d", n, v), nil
}

func (s *Store) ticketHash(ticket string) string { return s.Crypt.LookupHash("binding-ticket", ticket) }

// IssueBindingCode makes a new slip for a walk-in profile of the staff member's area, replacing any earlier
// one; ticket and code are returned once, to be printed, and never stored.
func (s *Store) IssueBindingCode(ctx context.Context, scope Scope, workerID uint64) (*Slip, error) {
	u, err := s.workerInScope(s.DB.WithContext(ctx), scope, workerID)
	if err != nil {
		return nil, err
	}
	if !strings.HasPrefix(u.OpenID, walkInPrefix) {
		return nil, ErrNotWalkIn
	}
	code, err := randomDigits(6)
	if err != nil {
		return nil, err
	}
	now := s.Now()
	// A ticket another live slip happens to have (one in 10⁸ per slip kept) is drawn again.
	for range 3 {
		ticket, err := randomDigits(8)
		if err != nil {
			return nil, err
		}
		th := s.ticketHash(ticket)
		bc := BindingCode{UserID: workerID, TicketHash: &th, CodeHash: s.bindingHash(workerID, code), ExpiresAt: now.Add(BindingCodeTTL),
			TriesLeft: BindingCodeTries, IssuedBy: scope.UserID, CreatedAt: now}
		err = s.tx(ctx, func(tx *gorm.DB) error {
			if err := tx.Where("user_id = ?", workerID).Delete(&BindingCode{}).Error; err != nil {
				return dbErr(err)
			}
			if err := tx.Create(&bc).Error; err != nil {
				return dbErr(err)
			}
			return s.recordOnBehalf(tx, scope.UserID, workerID, "binding_code", "worker", workerID, "")
		})
		if errors.Is(err, ErrConflict) {
			continue
		}
		if err != nil {
			return nil, err
		}
		return &Slip{Ticket: ticket, Code: code, ExpiresAt: bc.ExpiresAt}, nil
	}
	return nil, ErrConflict
}

// ClaimWalkIn lets the signed-in caller take over a walk-in profile with the 认领号 and 绑定码 of its slip. Every
// try, right or wrong, first spends one of the code's five tries in its own committed conditional update, and
// only then is the code compared: a burst of guesses at once gets five comparisons, not one each. The caller's
// own, empty account
// gives its WeChat identity to the walk-in profile and is retired. It returns the caller's openid, now the
// walk-in profile's, for signing in afresh.
func (s *Store) ClaimWalkIn(ctx context.Context, callerID uint64, ticket, code string) (string, error) {
	// A caller who is registered already could never claim: they spend nobody's tries.
	var registered int64
	if err := s.DB.WithContext(ctx).Raw("SELECT (SELECT COUNT(*) FROM worker_profiles WHERE user_id = ?) + "+
		"(SELECT COUNT(*) FROM employers WHERE user_id = ?)", callerID, callerID).Scan(&registered).Error; err != nil {
		return "", dbErr(err)
	}
	if registered > 0 {
		return "", ErrAlreadyRegistered
	}
	var found BindingCode
	if err := s.DB.WithContext(ctx).Select("user_id").Where("ticket_hash = ?", s.ticketHash(ticket)).Take(&found).Error; err != nil {
		if err = dbErr(err); errors.Is(err, ErrNotFound) {
			return "", ErrBindingCodeWrong // an unknown 认领号 reads as a wrong code: nothing to learn by guessing
		}
		return "", err
	}
	workerNo := found.UserID
	spent := s.DB.WithContext(ctx).Model(&BindingCode{}).
		Where("user_id = ? AND ticket_hash = ? AND used_at IS NULL AND tries_left > 0 AND expires_at > ?", workerNo,
			s.ticketHash(ticket), s.Now()).
		Update("tries_left", gorm.Expr("tries_left - 1"))
	if spent.Error != nil {
		return "", dbErr(spent.Error)
	}
	var openID string
	err := s.tx(ctx, func(tx *gorm.DB) error {
		now := s.Now()
		var bc BindingCode
		if err := tx.Where("user_id = ?", workerNo).Take(&bc).Error; err != nil {
			if err = dbErr(err); errors.Is(err, ErrNotFound) {
				return ErrBindingCodeWrong
			}
			return err
		}
		switch {
		case bc.UsedAt != nil || now.After(bc.ExpiresAt):
			return ErrBindingCodeExpired
		case spent.RowsAffected == 0:
			return ErrBindingCodeLocked // no try was left to spend on this one
		case bc.CodeHash != s.bindingHash(workerNo, code):
			return ErrBindingCodeWrong
		}
		res := tx.Model(&BindingCode{}).Where("user_id = ? AND used_at IS NULL", workerNo).Update("used_at", now)
		if res.Error != nil {
			return dbErr(res.Error)
		}
		if res.RowsAffected == 0 {
			return ErrBindingCodeExpired
		}
		var caller, walkIn User
		if err := tx.Take(&caller, callerID).Error; err != nil {
			return dbErr(err)
		}
		if err := tx.Take(&walkIn, workerNo).Error; err != nil {
			return dbErr(err)
		}
		var has int64
		if err := tx.Model(&WorkerProfile{}).Where("user_id = ?", callerID).Count(&has).Error; err != nil {
			return dbErr(err)
		}
		var emp int64
		if err := tx.Model(&Employer{}).Where("user_id = ?", callerID).Count(&emp).Error; err != nil {
			return dbErr(err)
		}
		if has > 0 || emp > 0 || !strings.HasPrefix(walkIn.OpenID, walkInPrefix) {
			return ErrAlreadyRegistered
		}
		openID = caller.OpenID
		// The openid moves: first off the caller's account (its unique key), then onto the walk-in profile.
		if err := tx.Model(&User{}).Where("id = ?", callerID).
			Updates(map[string]any{"open_id": fmt.Sprintf("merged:%d:%d", workerNo, callerID), "phone_hash": nil, "updated_at": now}).Error; err != nil {
			return dbErr(err)
		}
		if err := endAlertSMSConsent(tx, now, callerID); err != nil {
			return err
		}
		if err := tx.Delete(&User{}, callerID).Error; err != nil {
			return dbErr(err)
		}
		if err := tx.Model(&User{}).Where("id = ?", workerNo).Updates(map[string]any{"open_id": openID, "updated_at": now}).Error; err != nil {
			return dbErr(err)
		}
		if err := revokeUserSessions(tx, callerID, now, "claimed_walk_in"); err != nil {
			return err
		}
		return s.recordOnBehalf(tx, callerID, workerNo, "claim", "worker", workerNo, "")
	})
	if err != nil {
		return "", err
	}
	s.sessions.forget([]uint64{callerID}, nil)
	return openID, nil
}
