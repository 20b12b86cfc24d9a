package model

import (
	"context"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
)

// Employer kinds and review statuses.
const (
	EmployerCompany = "company"
	EmployerPerson  = "person"

	StatusPending  = "pending"
	StatusVerified = "verified"
	StatusRejected = "rejected"
	// StatusSuspended: staff suspended a verified employer (SuspendEmployer); their gigs are paused, they cannot
	// post or change their registration until staff lift it.
	StatusSuspended = "suspended"
)

// Employer is an employer's 招工登记: a company by its credit code, or a person by their ID. Only verified
// employers' gigs are published.
type Employer struct {
	ID                 uint64 `gorm:"primaryKey"`
	UserID             uint64
	Kind               string
	DisplayName        string
	VerifiedName       string // the display name as staff last verified it: what workers see
	CreditCode         string
	LegalNameCipher    string
	IDNumberCipher     string
	IDNumberHash       *string
	ContactNameCipher  string
	ContactPhoneCipher string
	AreaCode           string
	Address            string
	Status             string
	RejectReason       string
	ReviewedBy         *uint64
	ReviewedAt         *time.Time
	RatingSum          int
	RatingCount        int
	CreatedAt          time.Time
	UpdatedAt          time.Time
}

// PublicName is the name workers see: the last one staff verified (a rename waiting for review does not show),
// or the name as registered before any verification.
func (e *Employer) PublicName() string {
	if e.VerifiedName != "" {
		return e.VerifiedName
	}
	return e.DisplayName
}

// Rating is the employer's average score, 0 when nobody rated them yet.
func (e *Employer) Rating() float64 {
	if e.RatingCount == 0 {
		return 0
	}
	return float64(e.RatingSum) / float64(e.RatingCount)
}

// EmployerInput is what an employer registers.
type EmployerInput struct {
	Kind         string
	CompanyName  string
	CreditCode   string
	LegalName    string
	IDNumber     string
	ContactName  string
	ContactPhone string
	AreaCode     string
	Address      string
}

// EmployerView is an employer opened for its owner or staff.
type EmployerView struct {
	Employer
	LegalName    string
	IDNumber     string
	ContactName  string
	ContactPhone string
}

// SaveEmployer registers the caller as an employer or updates their registration. A change to who the
// employer is (kind, name, credit code, ID) sends it back to review; contact details do not.
func (s *Store) SaveEmployer(ctx context.Context, userID uint64, in EmployerInput) (*EmployerView, error) {
	// The form shows the stored ID number and phone masked; sent back empty, they mean "keep them".
	if in.IDNumber == "" || in.ContactPhone == "" {
		old, err := s.EmployerOf(ctx, userID)
		switch {
		case err == nil:
			if in.IDNumber == "" && old.Kind == EmployerPerson && in.Kind == EmployerPerson {
				in.IDNumber = old.IDNumber
			}
			if in.ContactPhone == "" {
				in.ContactPhone = old.ContactPhone
			}
		case !errors.Is(err, ErrProfileMissing):
			return nil, err
		}
	}
	var bad fieldErrors
	e := Employer{UserID: userID, Kind: in.Kind, AreaCode: in.AreaCode, Address: strings.TrimSpace(in.Address)}
	var legalName, idNumber string
	switch in.Kind {
	case EmployerCompany:
		name := strings.TrimSpace(in.CompanyName)
		if n := utf8.RuneCountInString(name); n < 2 || !plainText(name, 64) {
			bad.add("company_name", "请填写营业执照上的单位名称")
		}
		code, err := ParseCreditCode(in.CreditCode)
		if err != nil {
			bad.add("credit_code", "统一社会信用代码不对，请对照营业执照再填一次")
		}
		e.DisplayName, e.CreditCode = name, code
	case EmployerPerson:
		var ok bool
		if legalName, ok = personName(in.LegalName, 20); !ok {
			bad.add("legal_name", "请填写身份证上的姓名")
		}
		id, err := ParseIDNumber(in.IDNumber, s.Now())
		if in.IDNumber == "" {
			bad.add("id_number", "请填写身份证号")
		} else if err != nil {
			bad.add("id_number", "身份证号不对，请对照身份证再填一次")
		}
		idNumber = id.Number
		e.DisplayName = MaskName(legalName) + "（个人）"
	default:
		bad.add("kind", "请选择单位或个人")
	}
	contactName := strings.TrimSpace(in.ContactName)
	if n := utf8.RuneCountInString(contactName); n < 1 || !plainText(contactName, 20) {
		bad.add("contact_name", "请填写联系人")
	}
	if !validMobile(in.ContactPhone) {
		bad.add("contact_phone", "请填写11位手机号")
	}
	if _, ok := LookupArea(in.AreaCode); !ok {
		bad.add("area_code", "所在地区不对，请重新选择")
	}
	if !plainText(e.Address, 120) {
		bad.add("address", "地址最多120个字")
	}
	if err := bad.err(); err != nil {
		return nil, err
	}
	var err error
	if e.LegalNameCipher, err = s.Crypt.Encrypt(legalName); err != nil {
		return nil, err
	}
	if e.IDNumberCipher, err = s.Crypt.Encrypt(idNumber); err != nil {
		return nil, err
	}
	if idNumber != "" {
		h := s.Crypt.LookupHash("id", idNumber)
		e.IDNumberHash = &h
	}
	if e.ContactNameCipher, err = s.Crypt.Encrypt(contactName); err != nil {
		return nil, err
	}
	if e.ContactPhoneCipher, err = s.Crypt.Encrypt(in.ContactPhone); err != nil {
		return nil, err
	}

	err = s.tx(ctx, func(tx *gorm.DB) error {
		now := s.Now()
		var old Employer
		err := tx.Where("user_id = ?", userID).Take(&old).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			e.Status, e.CreatedAt, e.UpdatedAt = StatusPending, now, now
			if err := tx.Create(&e).Error; err != nil {
				return dbErr(err)
			}
		} else if err != nil {
			return dbErr(err)
		} else if old.Status == StatusSuspended {
			// A suspension stands on the registration staff judged: a new identity would slip it into review.
			return ErrEmployerSuspended
		} else {
			e.ID, e.CreatedAt, e.UpdatedAt = old.ID, old.CreatedAt, now
			e.Status, e.RejectReason, e.ReviewedBy, e.ReviewedAt = old.Status, old.RejectReason, old.ReviewedBy, old.ReviewedAt
			e.RatingSum, e.RatingCount, e.VerifiedName = old.RatingSum, old.RatingCount, old.VerifiedName
			oldLegalName, err := s.Crypt.Decrypt(old.LegalNameCipher)
			if err != nil {
				return err
			}
			identityChanged := old.Kind != e.Kind || old.DisplayName != e.DisplayName || old.CreditCode != e.CreditCode ||
				oldLegalName != legalName || !sameHash(old.IDNumberHash, e.IDNumberHash)
			if identityChanged || old.Status == StatusRejected {
				e.Status, e.RejectReason, e.ReviewedBy, e.ReviewedAt = StatusPending, "", nil, nil
			}
			if err := tx.Select("*").Updates(&e).Error; err != nil {
				return dbErr(err)
			}
			if identityChanged && old.Status == StatusVerified {
				if err := pauseGigs(tx, e.ID, now, pausedForReview); err != nil {
					return err
				}
			}
		}
		return dbErr(tx.Model(&User{}).Where("id = ?", userID).
			Update("roles", gorm.Expr("roles | ?", uint8(roleBit(RoleEmployer)))).Error)
	})
	if err != nil {
		return nil, err
	}
	return s.EmployerOf(ctx, userID)
}

// Why an employer's gigs pause and resume, as the workers who applied read it.
const (
	pausedForReview  = "雇主的登记信息改了，正在重新审核，这个活先暂停，审核通过后再通知您"
	resumedForReview = "雇主的登记信息审核通过了，这个活恢复了，您的报名照旧"
)

// pauseGigs takes an employer's live gigs off the market (while their new identity waits for review, or while
// they are suspended), and tells the workers who applied or were taken on why.
func pauseGigs(tx *gorm.DB, employerID uint64, now time.Time, note string) error {
	var gigs []Gig
	if err := tx.Where("employer_id = ? AND status IN ?", employerID, []string{GigPublished, GigFilled}).Find(&gigs).Error; err != nil {
		return dbErr(err)
	}
	for _, g := range gigs {
		// The state read above may be stale (MySQL's snapshot is the transaction's first read): only a gig
		// still on the market is paused, never one taken down or sent back to review meanwhile.
		res := tx.Model(&Gig{}).Where("id = ? AND status IN ?", g.ID, []string{GigPublished, GigFilled}).
			Updates(map[string]any{"status": GigPaused, "updated_at": now})
		if res.Error != nil {
			return dbErr(res.Error)
		}
		if res.RowsAffected == 0 {
			continue
		}
		if err := noteChanges(tx, now, changeGig, g.ID); err != nil {
			return err
		}
		var told []uint64
		if err := tx.Model(&Application{}).Where("gig_id = ? AND status IN ?", g.ID, []string{AppPending, AppConfirmed}).
			Pluck("worker_id", &told).Error; err != nil {
			return dbErr(err)
		}
		for _, worker := range told {
			if err := enqueue(tx, worker, MsgGigCancelled, "pages/applications/index", map[string]string{"gig": g.Title,
				"date": g.StartDate, "note": note}, nil, now); err != nil {
				return err
			}
		}
	}
	return nil
}

// resumeGigs puts an employer's paused gigs back on the market once staff verified them again (or lifted a
// suspension); a gig whose last day passed meanwhile ends instead.
func resumeGigs(tx *gorm.DB, employerID uint64, now time.Time, note string) error {
	var gigs []Gig
	if err := tx.Where("employer_id = ? AND status = ?", employerID, GigPaused).Find(&gigs).Error; err != nil {
		return dbErr(err)
	}
	if len(gigs) == 0 {
		return nil
	}
	today := now.In(Shanghai).Format(dateLayout)
	if err := tx.Model(&Gig{}).Where("employer_id = ? AND status = ?", employerID, GigPaused).Updates(map[string]any{
		"status":     gorm.Expr("CASE WHEN end_date < ? THEN ? WHEN confirmed >= headcount THEN ? ELSE ? END", today, GigExpired, GigFilled, GigPublished),
		"updated_at": now}).Error; err != nil {
		return dbErr(err)
	}
	if err := noteChanges(tx, now, changeEmployer, employerID); err != nil {
		return err
	}
	for _, g := range gigs {
		if g.EndDate < today {
			continue
		}
		var told []uint64
		if err := tx.Model(&Application{}).Where("gig_id = ? AND status IN ?", g.ID, []string{AppPending, AppConfirmed}).
			Pluck("worker_id", &told).Error; err != nil {
			return dbErr(err)
		}
		for _, worker := range told {
			if err := enqueue(tx, worker, MsgApplicationResult, "pages/applications/index", map[string]string{"gig": g.Title,
				"result": "恢复招工", "date": g.StartDate, "note": note}, nil, now); err != nil {
				return err
			}
		}
	}
	return nil
}

func sameHash(a, b *string) bool {
	return (a == nil && b == nil) || (a != nil && b != nil && *a == *b)
}

// validMobile accepts a mainland mobile number: 11 digits starting with 1.
func validMobile(s string) bool {
	if len(s) != 11 || s[0] != '1' {
		return false
	}
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// EmployerOf opens the caller's employer registration; ErrProfileMissing when there is none.
func (s *Store) EmployerOf(ctx context.Context, userID uint64) (*EmployerView, error) {
	var e Employer
	if err := s.DB.WithContext(ctx).Where("user_id = ?", userID).Take(&e).Error; err != nil {
		if err = dbErr(err); errors.Is(err, ErrNotFound) {
			return nil, ErrProfileMissing
		}
		return nil, err
	}
	return s.openEmployer(&e)
}

func (s *Store) openEmployer(e *Employer) (*EmployerView, error) {
	v := &EmployerView{Employer: *e}
	for _, f := range []struct {
		dst    *string
		sealed string
	}{{&v.LegalName, e.LegalNameCipher}, {&v.IDNumber, e.IDNumberCipher}, {&v.ContactName, e.ContactNameCipher}, {&v.ContactPhone, e.ContactPhoneCipher}} {
		plain, err := s.Crypt.Decrypt(f.sealed)
		if err != nil {
			return nil, err
		}
		*f.dst = plain
	}
	return v, nil
}
