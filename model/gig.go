package model

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
)

// Gig states. Nothing is deleted: closed, expired and rejected gigs stay on record and are simply not listed.
const (
	GigPendingReview = "pending_review"
	GigPublished     = "published"
	GigFilled        = "filled"
	GigClosed        = "closed"
	GigExpired       = "expired"
	GigRejected      = "rejected"
	// GigPaused: the employer changed who they are and waits for staff to verify them again; the gig is not
	// listed, takes no applications and prints no poster until then.
	GigPaused = "paused"
)

// Wage units, settlements and hiring modes.
const (
	WageDay   = "day"
	WageHour  = "hour"
	WagePiece = "piece"

	SettleDaily      = "daily"
	SettleCompletion = "on_completion"

	HireFirstCome = "first_come"
	HireSelect    = "select"
)

// Content-check states of a gig's or a complaint's text (WeChat's msgSecCheck, run from the content-check queue).
// Staff see every state but pass as 未检测 or as WeChat's warning; none of them stops a human review.
const (
	// SecChecking: saved, the check waits in the queue (or for WeChat to come back).
	SecChecking = "checking"
	SecPass     = "pass"
	// SecReview: WeChat wants a person to look; staff see it flagged.
	SecReview = "review"
	// SecRisky: WeChat refused the text; a gig is taken down, a complaint goes back to its writer.
	SecRisky = "risky"
	// SecUnchecked: WeChat would not check it (a final refusal, or down past every retry); staff look closely.
	SecUnchecked = "unchecked"
)

// GigChecks is what the checks before review found; reviewers and the employer both see it.
type GigChecks struct {
	Discrimination []Flag     `json:"discrimination"`
	BelowGuide     *GuideNote `json:"below_guide,omitempty"`
	SecCheck       string     `json:"sec_check"`
}

// GuideNote says a gig pays less than the low end of the published guide.
type GuideNote struct {
	DailyCents  int64  `json:"daily_cents"`
	LowCents    int64  `json:"low_cents"`
	MedianCents int64  `json:"median_cents"`
	Period      string `json:"period"`
	AreaCode    string `json:"area_code"`
}

// Gig is one posting of day work.
type Gig struct {
	ID                 uint64 `gorm:"primaryKey"`
	EmployerID         uint64
	Title              string
	CategoryID         uint64
	Description        string
	Headcount          int
	Confirmed          int
	WageCents          int64
	WageUnit           string
	Settlement         string
	StartDate          string
	EndDate            string
	WorkHours          string
	Address            string
	Lat                float64
	Lng                float64
	AreaCode           string
	ContactPhoneCipher string
	HiringMode         string
	Status             string
	Checks             GigChecks `gorm:"serializer:json"`
	RejectReason       string
	ReviewedBy         *uint64
	ReviewedAt         *time.Time
	PublishedAt        *time.Time
	CreatedAt          time.Time
	UpdatedAt          time.Time
}

// SpotsLeft is how many more workers can be confirmed.
func (g *Gig) SpotsLeft() int { return max(0, g.Headcount-g.Confirmed) }

// DailyCents is the wage as a day's pay, for comparing and sorting: hourly wages count eight hours; piece
// rates have no daily equivalent (0).
func DailyCents(wageCents int64, unit string) int64 {
	switch unit {
	case WageDay:
		return wageCents
	case WageHour:
		return wageCents * 8
	}
	return 0
}

// GigInput is what an employer posts.
type GigInput struct {
	Title        string
	CategoryID   uint64
	Description  string
	Headcount    int
	WageCents    int64
	WageUnit     string
	Settlement   string
	StartDate    string
	EndDate      string
	WorkHours    string
	Address      string
	Lat          float64
	Lng          float64
	AreaCode     string
	ContactPhone string
	HiringMode   string
}

// MaxGigDays is the longest a posting may run: day work is short, and stale postings mislead.
const MaxGigDays = 90

var (
	workHoursPattern = regexp.MustCompile(`^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$`)
	landlinePattern  = regexp.MustCompile(`^0\d{2,3}-?\d{7,8}$`)
)

// validateGig checks a posting's fields and normalises them.
func (s *Store) validateGig(ctx context.Context, in *GigInput) error {
	var bad fieldErrors
	in.Title, in.Description, in.Address = strings.TrimSpace(in.Title), strings.TrimSpace(in.Description), strings.TrimSpace(in.Address)
	if n := utf8.RuneCountInString(in.Title); n < 2 || n > 30 {
		bad.add("title", "标题写2到30个字，比如：小区搬家工2名")
	}
	if utf8.RuneCountInString(in.Description) > 1000 {
		bad.add("description", "说明最多1000个字")
	}
	if missing, err := s.unknownCategories(ctx, []uint64{in.CategoryID}); err != nil {
		return err
	} else if len(missing) > 0 {
		bad.add("category_id", "请选择工种")
	}
	if in.Headcount < 1 || in.Headcount > 500 {
		bad.add("headcount", "招几个人？填1到500")
	}
	if in.WageCents <= 0 || in.WageCents > 100_000_00 {
		bad.add("wage_cents", "请填写工钱")
	}
	switch in.WageUnit {
	case WageDay, WageHour, WagePiece:
	default:
		bad.add("wage_unit", "工钱按天、按小时还是按件？")
	}
	switch in.Settlement {
	case SettleDaily, SettleCompletion:
	default:
		bad.add("settlement", "请选择日结或完工结")
	}
	switch in.HiringMode {
	case HireFirstCome, HireSelect:
	default:
		bad.add("hiring_mode", "请选择先到先得或由您挑选")
	}
	today := s.Now().Format(dateLayout)
	start, errStart := time.ParseInLocation(dateLayout, in.StartDate, Shanghai)
	end, errEnd := time.ParseInLocation(dateLayout, in.EndDate, Shanghai)
	switch {
	case errStart != nil:
		bad.add("start_date", "开工日期不对")
	case in.StartDate < today:
		bad.add("start_date", "开工日期不能早于今天")
	}
	switch {
	case errEnd != nil:
		bad.add("end_date", "结束日期不对")
	case errStart == nil && end.Before(start):
		bad.add("end_date", "结束日期不能早于开工日期")
	case errStart == nil && end.Sub(start) > MaxGigDays*24*time.Hour:
		bad.add("end_date", "一次最多招90天的活")
	}
	if in.WorkHours != "" && !workHoursPattern.MatchString(in.WorkHours) {
		bad.add("work_hours", "工作时间写成 08:00-17:00")
	}
	if n := utf8.RuneCountInString(in.Address); n < 4 || n > 120 {
		bad.add("address", "请填写干活的地址")
	}
	if !validCoordinates(in.Lat, in.Lng) {
		bad.add("location", "位置不对，请在地图上重新选")
	}
	if a, ok := LookupArea(in.AreaCode); !ok || a.Level != AreaCounty {
		bad.add("area_code", "请选择干活地点所在的区县")
	}
	if !validMobile(in.ContactPhone) && !landlinePattern.MatchString(in.ContactPhone) {
		bad.add("contact_phone", "请填写联系电话")
	}
	return bad.err()
}

// CheckGig runs the checks that do not need WeChat: discrimination and the wage guide.
func (s *Store) CheckGig(ctx context.Context, in GigInput) (GigChecks, error) {
	// Every text the employer writes is checked: a limit moved into the address or the hours is still a limit.
	checks := GigChecks{Discrimination: CheckDiscrimination(in.Title, in.Description, in.Address, in.WorkHours)}
	daily := DailyCents(in.WageCents, in.WageUnit)
	if daily == 0 || in.CategoryID == 0 || in.AreaCode == "" {
		return checks, nil
	}
	guide, err := s.wageGuideFor(ctx, in.CategoryID, in.AreaCode)
	if err != nil || guide == nil {
		return checks, err
	}
	if daily < guide.LowCents {
		checks.BelowGuide = &GuideNote{DailyCents: daily, LowCents: guide.LowCents, MedianCents: guide.MedianCents,
			Period: guide.Period, AreaCode: guide.AreaCode}
	}
	return checks, nil
}

// Errors of posting.
var (
	ErrEmployerNotVerified = errors.New("employer not verified")
	ErrGigNotEditable      = errors.New("gig can no longer be edited")
	ErrHeadcountBelow      = errors.New("headcount below confirmed workers")
)

// CreateGig posts a gig for review, its text waiting for WeChat's content check in the queue: the employer
// does not wait for WeChat, and a person reviews every gig anyway.
func (s *Store) CreateGig(ctx context.Context, userID uint64, in GigInput) (*Gig, error) {
	emp, err := s.EmployerOf(ctx, userID)
	if err != nil {
		return nil, err
	}
	if emp.Status == StatusSuspended {
		return nil, ErrEmployerSuspended
	}
	if emp.Status != StatusVerified {
		return nil, ErrEmployerNotVerified
	}
	now := s.Now()
	g := Gig{EmployerID: emp.ID, Status: GigPendingReview, CreatedAt: now, UpdatedAt: now}
	if err := s.prepareGig(ctx, &g, in); err != nil {
		return nil, err
	}
	err = s.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Create(&g).Error; err != nil {
			return dbErr(err)
		}
		return queueCheck(tx, CheckGig, g.ID, now)
	})
	if err != nil {
		return nil, err
	}
	return &g, nil
}

// prepareGig validates a posting, runs its checks and writes it into g, sealing the contact phone.
func (s *Store) prepareGig(ctx context.Context, g *Gig, in GigInput) error {
	if err := s.validateGig(ctx, &in); err != nil {
		return err
	}
	checks, err := s.CheckGig(ctx, in)
	if err != nil {
		return err
	}
	checks.SecCheck = SecChecking
	phone, err := s.Crypt.Encrypt(in.ContactPhone)
	if err != nil {
		return err
	}
	g.Checks, g.ContactPhoneCipher = checks, phone
	g.Title, g.CategoryID, g.Description, g.Headcount = in.Title, in.CategoryID, in.Description, in.Headcount
	g.WageCents, g.WageUnit, g.Settlement, g.HiringMode = in.WageCents, in.WageUnit, in.Settlement, in.HiringMode
	g.StartDate, g.EndDate, g.WorkHours = in.StartDate, in.EndDate, in.WorkHours
	g.Address, g.Lat, g.Lng, g.AreaCode = in.Address, in.Lat, in.Lng, in.AreaCode
	return nil
}

// ownGig loads a gig of the caller's; anybody else's gig is ErrNotFound, so its existence is not revealed.
func (s *Store) ownGig(tx *gorm.DB, userID, gigID uint64) (*Gig, error) {
	var g Gig
	err := tx.Joins("JOIN employers ON employers.id = gigs.employer_id").
		Where("gigs.id = ? AND employers.user_id = ?", gigID, userID).Take(&g).Error
	return &g, dbErr(err)
}

// UpdateGig edits a posting; every edit is checked again (WeChat's check queued anew) and goes back to review.
func (s *Store) UpdateGig(ctx context.Context, userID, gigID uint64, in GigInput) (*Gig, error) {
	var next Gig
	if err := s.prepareGig(ctx, &next, in); err != nil {
		return nil, err
	}
	var out *Gig
	err := s.tx(ctx, func(tx *gorm.DB) error {
		g, err := s.ownGig(tx, userID, gigID)
		if err != nil {
			return err
		}
		switch g.Status {
		case GigPendingReview, GigPublished, GigFilled, GigRejected:
		default:
			return ErrGigNotEditable
		}
		// A suspended employer's edit would put a taken-down gig back in the review queue.
		var empStatus string
		if err := tx.Model(&Employer{}).Where("id = ?", g.EmployerID).Pluck("status", &empStatus).Error; err != nil {
			return dbErr(err)
		}
		if empStatus == StatusSuspended {
			return ErrEmployerSuspended
		}
		next.ID, next.EmployerID, next.Confirmed, next.CreatedAt, next.PublishedAt = g.ID, g.EmployerID, g.Confirmed, g.CreatedAt, g.PublishedAt
		next.Status, next.UpdatedAt = GigPendingReview, s.Now()
		// The headcount condition is in the update itself: a worker confirmed meanwhile cannot be squeezed out.
		res := tx.Model(&Gig{}).Where("id = ? AND confirmed <= ?", g.ID, next.Headcount).
			Select("*").Omit("id", "employer_id", "confirmed", "created_at", "published_at").Updates(&next)
		if res.Error != nil {
			return dbErr(res.Error)
		}
		if res.RowsAffected == 0 {
			return ErrHeadcountBelow
		}
		out = &next
		if err := queueCheck(tx, CheckGig, g.ID, next.UpdatedAt); err != nil {
			return err
		}
		return noteChanges(tx, next.UpdatedAt, changeGig, g.ID)
	})
	return out, err
}

// CloseGig withdraws a posting. Workers who applied or were confirmed are told (their applications become
// cancelled).
func (s *Store) CloseGig(ctx context.Context, userID, gigID uint64) (*Gig, error) {
	var out *Gig
	err := s.tx(ctx, func(tx *gorm.DB) error {
		g, err := s.ownGig(tx, userID, gigID)
		if err != nil {
			return err
		}
		now := s.Now()
		res := tx.Model(&Gig{}).Where("id = ? AND status IN ?", g.ID,
			[]string{GigPendingReview, GigPublished, GigFilled, GigRejected, GigPaused}).
			Updates(map[string]any{"status": GigClosed, "updated_at": now})
		if res.Error != nil {
			return dbErr(res.Error)
		}
		if res.RowsAffected == 0 {
			return ErrGigNotEditable
		}
		if err := noteChanges(tx, now, changeGig, g.ID); err != nil {
			return err
		}
		var confirmed []uint64
		if err := tx.Model(&Application{}).Where("gig_id = ? AND status = ?", g.ID, AppConfirmed).
			Pluck("worker_id", &confirmed).Error; err != nil {
			return dbErr(err)
		}
		if err := recordLateCancels(tx, g, confirmed, now); err != nil {
			return err
		}
		if err := cancelApplications(tx, g, "雇主撤下了这个活，看看别的吧", now); err != nil {
			return err
		}
		g.Status, g.UpdatedAt = GigClosed, now
		out = g
		return nil
	})
	return out, err
}

// cancelApplications ends the applications still waiting or taken on of a gig that goes away, and tells each
// worker why.
func cancelApplications(tx *gorm.DB, g *Gig, note string, now time.Time) error {
	var told []uint64
	if err := tx.Model(&Application{}).Where("gig_id = ? AND status IN ?", g.ID, []string{AppPending, AppConfirmed}).
		Pluck("worker_id", &told).Error; err != nil {
		return dbErr(err)
	}
	if err := tx.Model(&Application{}).Where("gig_id = ? AND status IN ?", g.ID, []string{AppPending, AppConfirmed}).
		Updates(map[string]any{"status": AppCancelled, "updated_at": now}).Error; err != nil {
		return dbErr(err)
	}
	for _, worker := range told {
		if err := enqueue(tx, worker, MsgGigCancelled, "pages/applications/index",
			map[string]string{"gig": g.Title, "date": g.StartDate, "note": note}, nil, now); err != nil {
			return err
		}
	}
	return nil
}

// EmployerGigs lists the caller's own gigs, newest first, as details.
func (s *Store) EmployerGigs(ctx context.Context, userID uint64, limit int) ([]GigDetail, error) {
	var emp Employer
	if err := s.DB.WithContext(ctx).Where("user_id = ?", userID).Take(&emp).Error; err != nil {
		if err = dbErr(err); errors.Is(err, ErrNotFound) {
			return nil, ErrProfileMissing
		}
		return nil, err
	}
	var gigs []Gig
	if err := s.DB.WithContext(ctx).Where("employer_id = ?", emp.ID).Order("id DESC").Limit(limit).Find(&gigs).Error; err != nil {
		return nil, dbErr(err)
	}
	names, err := s.categoryNames(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]GigDetail, 0, len(gigs))
	for i := range gigs {
		d, err := s.detailOf(&gigs[i], &emp, names[gigs[i].CategoryID])
		if err != nil {
			return nil, err
		}
		out = append(out, *d)
	}
	return out, nil
}

// OwnGigDetail opens one of the caller's own gigs, whatever its state; anybody else's is ErrNotFound.
func (s *Store) OwnGigDetail(ctx context.Context, userID, gigID uint64) (*GigDetail, error) {
	g, err := s.ownGig(s.DB.WithContext(ctx), userID, gigID)
	if err != nil {
		return nil, err
	}
	var emp Employer
	if err := s.DB.WithContext(ctx).Take(&emp, g.EmployerID).Error; err != nil {
		return nil, dbErr(err)
	}
	return s.gigDetail(ctx, g, &emp)
}

func (s *Store) gigDetail(ctx context.Context, g *Gig, emp *Employer) (*GigDetail, error) {
	var cat Category
	if err := s.DB.WithContext(ctx).Take(&cat, g.CategoryID).Error; err != nil {
		return nil, dbErr(err)
	}
	return s.detailOf(g, emp, cat.Name)
}

func (s *Store) detailOf(g *Gig, emp *Employer, categoryName string) (*GigDetail, error) {
	phone, err := s.Crypt.Decrypt(g.ContactPhoneCipher)
	if err != nil {
		return nil, err
	}
	return &GigDetail{Gig: *g, EmployerName: emp.PublicName(), EmployerRating: emp.Rating(), EmployerRated: emp.RatingCount,
		CategoryName: categoryName, ContactPhone: phone}, nil
}

// ExpireGigs ends the gigs whose last work day has passed; it returns how many it ended. The index needs no
// note of it: a search already skips gigs past their last day.
func (s *Store) ExpireGigs(ctx context.Context) (int64, error) {
	today := s.Now().Format(dateLayout)
	res := s.DB.WithContext(ctx).Model(&Gig{}).
		Where("status IN ? AND end_date < ?", []string{GigPendingReview, GigPublished, GigFilled, GigPaused}, today).
		Updates(map[string]any{"status": GigExpired, "updated_at": s.Now()})
	return res.RowsAffected, dbErr(res.Error)
}
