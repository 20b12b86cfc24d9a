package model

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
)

// Plan terms, payers and policy states of 新就业形态人身意外伤害保险.
const (
	TermDay   = "day"
	TermMonth = "month"
	TermYear  = "year"

	PayerSelf       = "self"
	PayerEmployer   = "employer"
	PayerGovernment = "government"

	PolicyPending   = "pending"
	PolicyActive    = "active"
	PolicyExpired   = "expired"
	PolicyCancelled = "cancelled"

	IncidentReported  = "reported"
	IncidentFollowing = "following"
	IncidentClosed    = "closed"
)

// InsurancePlan is a cover the market offers.
type InsurancePlan struct {
	ID                   uint64 `gorm:"primaryKey"`
	Name                 string
	Insurer              string
	DeathDisabilityCents int64
	MedicalCents         int64
	Term                 string
	PremiumCents         int64
	Payer                string
	MinAge               int
	MaxAge               int
	Active               bool
	CreatedBy            uint64
	CreatedAt            time.Time
	UpdatedAt            time.Time
}

// InsurancePolicy is one worker's cover under a plan for a span of days. Nothing here buys a real policy:
// it is pending until staff (or an insurer, through the handler's Insurer) confirm it with a policy number.
type InsurancePolicy struct {
	ID           uint64 `gorm:"primaryKey"`
	PlanID       uint64
	WorkerID     uint64
	GigID        *uint64
	StartDate    string
	EndDate      string
	Status       string
	PolicyNumber string
	EnrolledBy   uint64
	ConfirmedBy  *uint64
	AreaCode     string
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// InsuranceCoverDay is one day a worker is covered by a plan: its key makes double cover impossible.
type InsuranceCoverDay struct {
	WorkerID uint64 `gorm:"primaryKey;autoIncrement:false"`
	PlanID   uint64 `gorm:"primaryKey;autoIncrement:false"`
	Day      string `gorm:"primaryKey"`
	PolicyID uint64
}

// InsuranceIncident is an injury a worker reported under a policy, followed up by staff.
type InsuranceIncident struct {
	ID          uint64 `gorm:"primaryKey"`
	PolicyID    uint64
	WorkerID    uint64
	HappenedAt  time.Time
	Place       string
	Description string
	Status      string
	Note        string
	AreaCode    string
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Errors of insurance.
var (
	ErrAlreadyInsured = errors.New("already insured for those days")
	ErrAgeNotCovered  = errors.New("age outside the plan's limits")
	ErrNeedsIdentity  = errors.New("real name and ID number needed")
)

// PlanInput is what staff publish.
type PlanInput struct {
	Name                 string
	Insurer              string
	DeathDisabilityCents int64
	MedicalCents         int64
	Term                 string
	PremiumCents         int64
	Payer                string
	MinAge, MaxAge       int
	Active               bool
}

// EditsPlans tells whether the scope may make and edit insurance plans: they are province-wide, so admins and
// the province's staff.
func (sc Scope) EditsPlans() bool { return sc.All || sc.Prefix == "34" }

// SavePlan creates (id 0) or edits a plan. Plans are province-wide; only admins and province staff edit them.
func (s *Store) SavePlan(ctx context.Context, scope Scope, id uint64, in PlanInput) (*InsurancePlan, error) {
	if !scope.EditsPlans() {
		return nil, ErrNotFound
	}
	var bad fieldErrors
	in.Name, in.Insurer = strings.TrimSpace(in.Name), strings.TrimSpace(in.Insurer)
	if n := utf8.RuneCountInString(in.Name); n < 2 || n > 64 {
		bad.add("name", "请填写保险名称")
	}
	if n := utf8.RuneCountInString(in.Insurer); n < 2 || n > 64 {
		bad.add("insurer", "请填写承保公司")
	}
	if in.DeathDisabilityCents <= 0 || in.MedicalCents < 0 || in.PremiumCents < 0 {
		bad.add("death_disability_cents", "保额和保费不对")
	}
	switch in.Term {
	case TermDay, TermMonth, TermYear:
	default:
		bad.add("term", "保障期限只能按天、按月或按年")
	}
	switch in.Payer {
	case PayerSelf, PayerEmployer, PayerGovernment:
	default:
		bad.add("payer", "请选择谁来付保费")
	}
	if in.MinAge < 16 || in.MaxAge > 80 || in.MinAge > in.MaxAge {
		bad.add("min_age", "投保年龄应在16到80岁之间")
	}
	if err := bad.err(); err != nil {
		return nil, err
	}
	now := s.Now()
	p := InsurancePlan{ID: id, Name: in.Name, Insurer: in.Insurer, DeathDisabilityCents: in.DeathDisabilityCents,
		MedicalCents: in.MedicalCents, Term: in.Term, PremiumCents: in.PremiumCents, Payer: in.Payer, MinAge: in.MinAge,
		MaxAge: in.MaxAge, Active: in.Active, CreatedBy: scope.UserID, CreatedAt: now, UpdatedAt: now}
	db := s.DB.WithContext(ctx)
	if id == 0 {
		return &p, dbErr(db.Create(&p).Error)
	}
	res := db.Model(&InsurancePlan{}).Where("id = ?", id).Select("*").Omit("id", "created_by", "created_at").Updates(&p)
	if res.Error != nil {
		return nil, dbErr(res.Error)
	}
	if res.RowsAffected == 0 {
		return nil, ErrNotFound
	}
	return s.Plan(ctx, id)
}

// Plan finds a plan.
func (s *Store) Plan(ctx context.Context, id uint64) (*InsurancePlan, error) {
	var p InsurancePlan
	return &p, dbErr(s.DB.WithContext(ctx).Take(&p, id).Error)
}

// Plans lists the plans on offer (all of them, for staff).
func (s *Store) Plans(ctx context.Context, activeOnly bool) ([]InsurancePlan, error) {
	q := s.DB.WithContext(ctx).Order("id")
	if activeOnly {
		q = q.Where("active = ?", true)
	}
	var out []InsurancePlan
	return out, dbErr(q.Find(&out).Error)
}

// termEnd is the last day covered by a term starting on start.
func termEnd(term string, start time.Time) time.Time {
	switch term {
	case TermMonth:
		return start.AddDate(0, 1, -1)
	case TermYear:
		return start.AddDate(1, 0, -1)
	}
	return start
}

// EnrollInsurance enrols a worker in a plan from a start date. The worker needs real name and ID on their
// profile, and their age on the start date must be within the plan's limits.
func (s *Store) EnrollInsurance(ctx context.Context, workerID, planID uint64, startDate string) (*InsurancePolicy, error) {
	start, err := time.ParseInLocation(dateLayout, startDate, Shanghai)
	if err != nil || startDate < s.Now().Format(dateLayout) {
		return nil, &InvalidInput{Fields: []FieldError{{"start_date", "起保日期不能早于今天"}}}
	}
	var out *InsurancePolicy
	err = s.tx(ctx, func(tx *gorm.DB) error {
		var plan InsurancePlan
		if err := tx.Where("id = ? AND active = ?", planID, true).Take(&plan).Error; err != nil {
			return dbErr(err)
		}
		p, err := s.insure(tx, &plan, workerID, workerID, nil, start, termEnd(plan.Term, start))
		out = p
		return err
	})
	return out, err
}

// insure writes a pending policy and its cover days; a day already covered by the plan fails the whole policy.
func (s *Store) insure(tx *gorm.DB, plan *InsurancePlan, workerID, enrolledBy uint64, gigID *uint64, start, end time.Time) (*InsurancePolicy, error) {
	var profile WorkerProfile
	if err := tx.Where("user_id = ?", workerID).Take(&profile).Error; err != nil {
		if err = dbErr(err); errors.Is(err, ErrNotFound) {
			return nil, ErrNeedsIdentity
		}
		return nil, err
	}
	birth, err := time.ParseInLocation(dateLayout, profile.BirthDate, Shanghai)
	if err != nil || profile.IDNumberCipher == "" {
		return nil, ErrNeedsIdentity
	}
	if age := ageOn(birth, start); age < plan.MinAge || age > plan.MaxAge {
		return nil, ErrAgeNotCovered
	}
	now := s.Now()
	area := profile.AreaCode
	if area == "" {
		area = "340000"
	}
	p := InsurancePolicy{PlanID: plan.ID, WorkerID: workerID, GigID: gigID, StartDate: start.Format(dateLayout),
		EndDate: end.Format(dateLayout), Status: PolicyPending, EnrolledBy: enrolledBy, AreaCode: area, CreatedAt: now, UpdatedAt: now}
	if err := tx.Create(&p).Error; err != nil {
		return nil, dbErr(err)
	}
	var days []InsuranceCoverDay
	for d := start; !d.After(end); d = d.AddDate(0, 0, 1) {
		days = append(days, InsuranceCoverDay{WorkerID: workerID, PlanID: plan.ID, Day: d.Format(dateLayout), PolicyID: p.ID})
	}
	if err := tx.CreateInBatches(days, 400).Error; err != nil {
		if err = dbErr(err); errors.Is(err, ErrConflict) {
			return nil, ErrAlreadyInsured
		}
		return nil, err
	}
	return &p, nil
}

// GigInsuranceResult says what enrolling a gig's workers did.
type GigInsuranceResult struct {
	Created []InsurancePolicy
	Skipped []SkippedWorker
}

// SkippedWorker is a confirmed worker who could not be enrolled, and why.
type SkippedWorker struct {
	WorkerID uint64
	Reason   string // already_insured, age_not_covered, needs_identity
}

// InsureGigWorkers enrols the confirmed workers of the employer's own gig under a day plan, one policy per
// worker per work day. Days a worker is already covered are skipped, never covered twice.
func (s *Store) InsureGigWorkers(ctx context.Context, employerUserID, gigID, planID uint64) (*GigInsuranceResult, error) {
	var g Gig
	if err := s.DB.WithContext(ctx).Take(&g, gigID).Error; err != nil {
		return nil, dbErr(err)
	}
	if err := s.mustOwn(s.DB.WithContext(ctx), employerUserID, &g); err != nil {
		return nil, err
	}
	plan, err := s.Plan(ctx, planID)
	if err != nil {
		return nil, err
	}
	if !plan.Active || plan.Term != TermDay {
		return nil, &InvalidInput{Fields: []FieldError{{"plan_id", "请选择一个按天投保的保险"}}}
	}
	var apps []Application
	if err := s.DB.WithContext(ctx).Where("gig_id = ? AND status IN ?", gigID, []string{AppConfirmed, AppCompleted}).
		Find(&apps).Error; err != nil {
		return nil, dbErr(err)
	}
	start, _ := time.ParseInLocation(dateLayout, max(g.StartDate, s.Now().Format(dateLayout)), Shanghai)
	end, _ := time.ParseInLocation(dateLayout, g.EndDate, Shanghai)
	out := &GigInsuranceResult{Created: []InsurancePolicy{}, Skipped: []SkippedWorker{}}
	for _, app := range apps {
		for d := start; !d.After(end); d = d.AddDate(0, 0, 1) {
			var p *InsurancePolicy
			err := s.tx(ctx, func(tx *gorm.DB) error {
				var err error
				p, err = s.insure(tx, plan, app.WorkerID, employerUserID, &g.ID, d, d)
				return err
			})
			reason := map[error]string{ErrAlreadyInsured: "already_insured", ErrAgeNotCovered: "age_not_covered", ErrNeedsIdentity: "needs_identity"}[err]
			switch {
			case err == nil:
				out.Created = append(out.Created, *p)
			case reason != "":
				out.Skipped = append(out.Skipped, SkippedWorker{WorkerID: app.WorkerID, Reason: reason})
			default:
				return nil, err
			}
		}
	}
	return out, nil
}

// ConfirmPolicy makes a pending policy active with the insurer's policy number, for staff of its area.
func (s *Store) ConfirmPolicy(ctx context.Context, scope Scope, policyID uint64, number string) (*InsurancePolicy, error) {
	number = strings.TrimSpace(number)
	// The number goes to the worker in a WeChat message whose identifiers hold 32 characters: never cut.
	if !policyNumber.MatchString(number) {
		return nil, &InvalidInput{Fields: []FieldError{{"policy_number", "请填写保单号（字母、数字和符号，最多32位）"}}}
	}
	p, err := s.movePolicy(ctx, scope, policyID, []string{PolicyPending},
		map[string]any{"status": PolicyActive, "policy_number": number, "confirmed_by": scope.UserID},
		func(tx *gorm.DB, p *InsurancePolicy) error {
			var plan InsurancePlan
			if err := tx.Take(&plan, p.PlanID).Error; err != nil {
				return dbErr(err)
			}
			return enqueue(tx, p.WorkerID, MsgInsuranceActive, "pages/insurance/index", map[string]string{
				"plan": plan.Name, "period": shortDay(p.StartDate) + "至" + shortDay(p.EndDate), "number": number}, nil, s.Now())
		})
	return p, err
}

// CancelPolicy cancels a policy before it starts: by its worker, or by staff of its area.
func (s *Store) CancelPolicy(ctx context.Context, workerID, policyID uint64) (*InsurancePolicy, error) {
	var p InsurancePolicy
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Where("id = ? AND worker_id = ?", policyID, workerID).Take(&p).Error; err != nil {
			return dbErr(err)
		}
		res := tx.Model(&InsurancePolicy{}).
			Where("id = ? AND status IN ? AND start_date > ?", p.ID, []string{PolicyPending, PolicyActive}, s.Now().Format(dateLayout)).
			Updates(map[string]any{"status": PolicyCancelled, "updated_at": s.Now()})
		if res.Error != nil {
			return dbErr(res.Error)
		}
		if res.RowsAffected == 0 {
			return ErrWrongState
		}
		p.Status = PolicyCancelled
		return dbErr(tx.Where("policy_id = ?", p.ID).Delete(&InsuranceCoverDay{}).Error)
	})
	return &p, err
}

// movePolicy changes a policy of the staff member's area from one of the given states; then, in the same
// transaction, runs after on the changed policy.
func (s *Store) movePolicy(ctx context.Context, scope Scope, policyID uint64, from []string, updates map[string]any,
	after func(tx *gorm.DB, p *InsurancePolicy) error) (*InsurancePolicy, error) {
	var p InsurancePolicy
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Take(&p, policyID).Error; err != nil {
			return dbErr(err)
		}
		if !scope.Covers(p.AreaCode) {
			return ErrNotFound
		}
		if err := conflicted(tx, scope.UserID, p.WorkerID, false); err != nil {
			return err
		}
		updates["updated_at"] = s.Now()
		res := tx.Model(&InsurancePolicy{}).Where("id = ? AND status IN ?", p.ID, from).Updates(updates)
		if res.Error != nil {
			return dbErr(res.Error)
		}
		if res.RowsAffected == 0 {
			return ErrWrongState
		}
		if err := tx.Take(&p, policyID).Error; err != nil {
			return dbErr(err)
		}
		return after(tx, &p)
	})
	return &p, err
}

// ExpirePolicies ends the policies whose last day has passed.
func (s *Store) ExpirePolicies(ctx context.Context) (int64, error) {
	res := s.DB.WithContext(ctx).Model(&InsurancePolicy{}).
		Where("status = ? AND end_date < ?", PolicyActive, s.Now().Format(dateLayout)).
		Updates(map[string]any{"status": PolicyExpired, "updated_at": s.Now()})
	return res.RowsAffected, dbErr(res.Error)
}

// WorkerPolicy is a policy with its plan and reported incidents.
type WorkerPolicy struct {
	InsurancePolicy
	Plan      InsurancePlan
	Incidents []InsuranceIncident
	// CheckedInToday: the worker checked in today (at the policy's gig, when it was bought for one).
	CheckedInToday bool
}

// CoversToday tells whether the policy protects the worker today.
func (p *WorkerPolicy) CoversToday(today string) bool {
	return coversDay(&p.InsurancePolicy, today, p.CheckedInToday)
}

// coversDay is the rule of cover: a confirmed policy covers its days; one bought for the day and still
// waiting for the insurer's number covers a day the worker checked in, as the check-in shows they were at
// work under it (a worker hurt at 9:00 on a policy bought at 7:00 is not left out by the paperwork).
func coversDay(p *InsurancePolicy, day string, checkedIn bool) bool {
	if day < p.StartDate || day > p.EndDate {
		return false
	}
	switch p.Status {
	case PolicyActive, PolicyExpired:
		return true
	case PolicyPending:
		return checkedIn
	}
	return false
}

// checkedIn tells whether the policy's worker checked in on the day: at the policy's gig, or at any.
func checkedIn(db *gorm.DB, p *InsurancePolicy, day string) (bool, error) {
	q := db.Model(&Attendance{}).Where("worker_id = ? AND day = ?", p.WorkerID, day).Where(dayWorked)
	if p.GigID != nil {
		q = q.Where("gig_id = ?", *p.GigID)
	}
	var n int64
	if err := q.Count(&n).Error; err != nil {
		return false, dbErr(err)
	}
	return n > 0, nil
}

// WorkerPolicies lists a worker's own policies, newest first, with plans and incidents.
func (s *Store) WorkerPolicies(ctx context.Context, workerID uint64) ([]WorkerPolicy, error) {
	var policies []InsurancePolicy
	if err := s.DB.WithContext(ctx).Where("worker_id = ?", workerID).Order("start_date DESC, id DESC").Limit(200).
		Find(&policies).Error; err != nil {
		return nil, dbErr(err)
	}
	return s.policyDetails(ctx, policies)
}

func (s *Store) policyDetails(ctx context.Context, policies []InsurancePolicy) ([]WorkerPolicy, error) {
	planIDs, policyIDs := make([]uint64, len(policies)), make([]uint64, len(policies))
	for i, p := range policies {
		planIDs[i], policyIDs[i] = p.PlanID, p.ID
	}
	var plans []InsurancePlan
	if err := s.DB.WithContext(ctx).Where("id IN ?", uniqueIDs(planIDs)).Find(&plans).Error; err != nil {
		return nil, dbErr(err)
	}
	var incidents []InsuranceIncident
	if err := s.DB.WithContext(ctx).Where("policy_id IN ?", policyIDs).Order("id").Find(&incidents).Error; err != nil {
		return nil, dbErr(err)
	}
	planOf := map[uint64]InsurancePlan{}
	for _, p := range plans {
		planOf[p.ID] = p
	}
	incidentsOf := map[uint64][]InsuranceIncident{}
	for _, in := range incidents {
		incidentsOf[in.PolicyID] = append(incidentsOf[in.PolicyID], in)
	}
	today := s.Now().In(Shanghai).Format(dateLayout)
	out := make([]WorkerPolicy, len(policies))
	for i, p := range policies {
		out[i] = WorkerPolicy{InsurancePolicy: p, Plan: planOf[p.PlanID], Incidents: incidentsOf[p.ID]}
		if p.Status == PolicyPending && p.StartDate <= today && today <= p.EndDate {
			var err error
			if out[i].CheckedInToday, err = checkedIn(s.DB.WithContext(ctx), &out[i].InsurancePolicy, today); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// ReportIncident opens an injury case under the worker's own policy.
func (s *Store) ReportIncident(ctx context.Context, workerID, policyID uint64, happenedAt time.Time, place, description string) (*InsuranceIncident, error) {
	place, description = strings.TrimSpace(place), strings.TrimSpace(description)
	var bad fieldErrors
	if happenedAt.IsZero() || happenedAt.After(s.Now().Add(time.Hour)) {
		bad.add("happened_at", "出事时间不对")
	}
	if n := utf8.RuneCountInString(place); n < 2 || n > 120 {
		bad.add("place", "请写出事地点")
	}
	if n := utf8.RuneCountInString(description); n < 2 || n > 1000 {
		bad.add("description", "请简单说说怎么受的伤")
	}
	if err := bad.err(); err != nil {
		return nil, err
	}
	var p InsurancePolicy
	if err := s.DB.WithContext(ctx).Where("id = ? AND worker_id = ?", policyID, workerID).Take(&p).Error; err != nil {
		return nil, dbErr(err)
	}
	day := happenedAt.In(Shanghai).Format(dateLayout)
	came := false
	if p.Status == PolicyPending {
		var err error
		if came, err = checkedIn(s.DB.WithContext(ctx), &p, day); err != nil {
			return nil, err
		}
	}
	if !coversDay(&p, day, came) {
		if p.Status == PolicyPending && day >= p.StartDate && day <= p.EndDate {
			return nil, &InvalidInput{Fields: []FieldError{{"happened_at", "这份保险还在等保险公司确认，那天也没有签到记录；请到零工市场找工作人员报案"}}}
		}
		return nil, &InvalidInput{Fields: []FieldError{{"happened_at", "出事那天不在这份保险的保障期内"}}}
	}
	now := s.Now()
	in := InsuranceIncident{PolicyID: p.ID, WorkerID: workerID, HappenedAt: happenedAt, Place: place, Description: description,
		Status: IncidentReported, AreaCode: p.AreaCode, CreatedAt: now, UpdatedAt: now}
	return &in, dbErr(s.DB.WithContext(ctx).Create(&in).Error)
}

// Incidents lists injury cases in a staff member's area, open ones first.
func (s *Store) Incidents(ctx context.Context, scope Scope) ([]InsuranceIncident, error) {
	var out []InsuranceIncident
	q := scope.where(s.DB.WithContext(ctx), "area_code")
	return out, dbErr(q.Order("status = 'closed', id").Limit(500).Find(&out).Error)
}

// FollowIncident moves an injury case on (following or closed) with a note the worker sees.
func (s *Store) FollowIncident(ctx context.Context, scope Scope, id uint64, status, note string) (*InsuranceIncident, error) {
	if status != IncidentFollowing && status != IncidentClosed {
		return nil, &InvalidInput{Fields: []FieldError{{"status", "只能是 following 或 closed"}}}
	}
	if utf8.RuneCountInString(note) > 500 {
		return nil, &InvalidInput{Fields: []FieldError{{"note", "说明最多500个字"}}}
	}
	var in InsuranceIncident
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Take(&in, id).Error; err != nil {
			return dbErr(err)
		}
		if !scope.Covers(in.AreaCode) {
			return ErrNotFound
		}
		if err := conflicted(tx, scope.UserID, in.WorkerID, false); err != nil {
			return err
		}
		res := tx.Model(&InsuranceIncident{}).Where("id = ? AND status <> ?", id, IncidentClosed).
			Updates(map[string]any{"status": status, "note": strings.TrimSpace(note), "updated_at": s.Now()})
		if res.Error != nil {
			return dbErr(res.Error)
		}
		if res.RowsAffected == 0 {
			return ErrWrongState
		}
		return dbErr(tx.Take(&in, id).Error)
	})
	return &in, err
}

// PendingPolicies lists policies awaiting confirmation in a staff member's area.
func (s *Store) PendingPolicies(ctx context.Context, scope Scope) ([]WorkerPolicy, error) {
	var policies []InsurancePolicy
	q := scope.where(s.DB.WithContext(ctx).Where("status = ?", PolicyPending), "area_code")
	if err := q.Order("start_date, id").Limit(500).Find(&policies).Error; err != nil {
		return nil, dbErr(err)
	}
	return s.policyDetails(ctx, policies)
}

// InsuredIdentity opens the full identity of a pending policy's worker, for staff of the policy's area: the
// area recorded at enrolment, whose staff buy the cover, whatever the worker's area is now (a worker who moved
// since is still insured by the old area, and is not the new area's policy to read). The caller audits it.
func (s *Store) InsuredIdentity(ctx context.Context, scope Scope, policyID uint64) (*InsurancePolicy, *Identity, error) {
	var p InsurancePolicy
	if err := s.DB.WithContext(ctx).Take(&p, policyID).Error; err != nil {
		return nil, nil, dbErr(err)
	}
	if p.Status != PolicyPending || !scope.Covers(p.AreaCode) {
		return nil, nil, ErrNotFound
	}
	var w WorkerProfile
	if err := s.DB.WithContext(ctx).Where("user_id = ?", p.WorkerID).Take(&w).Error; err != nil {
		return nil, nil, dbErr(err)
	}
	who, err := s.openIdentity(ctx, &w)
	if err != nil {
		return nil, nil, err
	}
	return &p, who, nil
}

// policyNumber is what a message's character_string keyword takes: 1–32 letters, digits and symbols.
var policyNumber = regexp.MustCompile(`^[\x21-\x7e]{1,32}$`)

// shortDay writes 2026-12-01 as 12月1日, short enough for a message's text field.
func shortDay(d string) string {
	t, err := time.Parse(dateLayout, d)
	if err != nil {
		return d
	}
	return fmt.Sprintf("%d月%d日", t.Month(), t.Day())
}

// IncidentDay is the worker's attendance on the day of an injury, for staff following the case: when they
// arrived and left, and whether they scanned or the employer marked it (and who answered the mark).
type IncidentDay struct {
	Attendance
	GigTitle     string
	EmployerName string
	// AnsweredByFamily: a family delegate, not the worker, answered the employer's mark.
	AnsweredByFamily bool
}

// IncidentDays reads the attendance of each incident's worker on its day (a worker may have worked two gigs).
func (s *Store) IncidentDays(ctx context.Context, incidents []InsuranceIncident) (map[uint64][]IncidentDay, error) {
	out := map[uint64][]IncidentDay{}
	if len(incidents) == 0 {
		return out, nil
	}
	var workers []uint64
	var days []string
	for _, in := range incidents {
		workers, days = append(workers, in.WorkerID), append(days, in.HappenedAt.In(Shanghai).Format(dateLayout))
	}
	var rows []struct {
		Attendance
		GigTitle   string
		EmployerID uint64
	}
	if err := s.DB.WithContext(ctx).Model(&Attendance{}).
		Select("attendances.*, gigs.title AS gig_title, gigs.employer_id").Joins("JOIN gigs ON gigs.id = attendances.gig_id").
		Where("attendances.worker_id IN ? AND attendances.day IN ?", uniqueIDs(workers), days).
		Order("attendances.arrived_at").Scan(&rows).Error; err != nil {
		return nil, dbErr(err)
	}
	var employerIDs []uint64
	for _, r := range rows {
		employerIDs = append(employerIDs, r.EmployerID)
	}
	names, err := s.employerNames(ctx, employerIDs)
	if err != nil {
		return nil, err
	}
	for _, in := range incidents {
		day := in.HappenedAt.In(Shanghai).Format(dateLayout)
		list := []IncidentDay{}
		for _, r := range rows {
			if r.WorkerID == in.WorkerID && r.Day == day {
				list = append(list, IncidentDay{Attendance: r.Attendance, GigTitle: r.GigTitle, EmployerName: names[r.EmployerID],
					AnsweredByFamily: r.AnsweredBy != nil && *r.AnsweredBy != r.WorkerID})
			}
		}
		out[in.ID] = list
	}
	return out, nil
}
