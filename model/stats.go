package model

import (
	"context"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Stats is the 零工行业动态监测 of a period and area: who registered, what was posted and matched, what it
// paid, what went wrong and how well it was handled.
type Stats struct {
	From, To            string // inclusive dates
	AreaPrefix          string
	WorkersRegistered   int
	EmployersRegistered int
	GigsPosted          int
	GigsPublished       int
	GigsFilled          int
	Applications        int
	Confirmations       int
	MatchRate           float64 // confirmations per application
	Wages               []CategoryWage
	Complaints          []ComplaintCount
	AvgHoursToAccept    float64
	AvgHoursToResolve   float64
	SatisfactionAvg     float64
	SatisfactionCount   int
	TrainingEnrollments int
	InsurancePolicies   int
	PhoneReads          int // employers' phones shown to workers (first look at each gig)
	// No-shows and unpaid days of the period, per employer (most first) and per market's county.
	ByEmployer []EmployerFigures
	ByMarket   []MarketFigures
	// Job alerts per day and channel: sent, opened from the alert, applied after it.
	Alerts []AlertDay
}

// EmployerFigures are an employer's no-shows (not corrected) and unpaid days in the period: days a worker
// checked in, before today, whose pay the employer has not recorded, or the worker said was not paid.
type EmployerFigures struct {
	EmployerID   uint64
	EmployerName string
	NoShows      int
	UnpaidDays   int
}

// MarketFigures are the same figures for the gigs of a county, with the 零工市场 that serve it (a gig names
// its county, not a market).
type MarketFigures struct {
	AreaCode   string
	AreaName   string
	Markets    []string
	NoShows    int
	UnpaidDays int
}

// reliabilityFiguresLimit bounds the employer list: the report is read for the worst, not every employer.
const reliabilityFiguresLimit = 200

// CategoryWage is the pay of one 工种's gigs posted in the period, as daily wages (hourly × 8; piece rates
// are left out).
type CategoryWage struct {
	CategoryID       uint64
	Category         string
	Gigs             int
	AvgDailyCents    int64
	MedianDailyCents int64
}

// ComplaintCount is how many complaints of a category are in a state.
type ComplaintCount struct {
	Category string
	Status   string
	Count    int
}

// Stats computes the monitoring figures for [from, to] (dates in Shanghai) within the staff member's
// scope, optionally narrowed to an area inside it.
func (s *Store) Stats(ctx context.Context, scope Scope, from, to time.Time, areaCode string) (*Stats, error) {
	prefix := scope.Prefix
	if areaCode != "" {
		a, ok := LookupArea(areaCode)
		if !ok {
			return nil, &InvalidInput{Fields: []FieldError{{"area", "地区不对"}}}
		}
		if !scope.All && !strings.HasPrefix(a.AreaPrefix(), scope.Prefix) {
			return nil, ErrNotFound // outside, or wider than, the staff member's own area
		}
		prefix = a.AreaPrefix()
	}
	start := time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, Shanghai)
	end := time.Date(to.Year(), to.Month(), to.Day(), 0, 0, 0, 0, Shanghai).AddDate(0, 0, 1)
	out := &Stats{From: start.Format(dateLayout), To: end.AddDate(0, 0, -1).Format(dateLayout), AreaPrefix: prefix}
	db := s.DB.WithContext(ctx)
	inArea := func(q *gorm.DB, column string) *gorm.DB {
		if prefix == "" {
			return q
		}
		return q.Where(column+" LIKE ?", prefix+"%")
	}
	count := func(dst *int, q *gorm.DB) error {
		var n int64
		if err := q.Count(&n).Error; err != nil {
			return dbErr(err)
		}
		*dst = int(n)
		return nil
	}
	period := "created_at >= ? AND created_at < ?"
	steps := []struct {
		dst *int
		q   *gorm.DB
	}{
		{&out.WorkersRegistered, inArea(db.Model(&WorkerProfile{}).Where(period, start, end), "area_code")},
		{&out.EmployersRegistered, inArea(db.Model(&Employer{}).Where(period, start, end), "area_code")},
		{&out.GigsPosted, inArea(db.Model(&Gig{}).Where(period, start, end), "area_code")},
		{&out.GigsPublished, inArea(db.Model(&Gig{}).Where("published_at >= ? AND published_at < ?", start, end), "area_code")},
		{&out.GigsFilled, inArea(db.Model(&Gig{}).Where(period+" AND (status = ? OR confirmed >= headcount)", start, end, GigFilled), "area_code")},
		{&out.Applications, inArea(db.Model(&Application{}).Joins("JOIN gigs ON gigs.id = applications.gig_id").
			Where("applications.created_at >= ? AND applications.created_at < ?", start, end), "gigs.area_code")},
		{&out.Confirmations, inArea(db.Model(&Application{}).Joins("JOIN gigs ON gigs.id = applications.gig_id").
			Where("applications.created_at >= ? AND applications.created_at < ? AND applications.decided_at IS NOT NULL AND applications.status IN ?",
				start, end, []string{AppConfirmed, AppCompleted, AppPaid, AppDisputed}), "gigs.area_code")},
		{&out.TrainingEnrollments, inArea(db.Model(&Enrollment{}).Joins("JOIN trainings ON trainings.id = enrollments.training_id").
			Where("enrollments.created_at >= ? AND enrollments.created_at < ?", start, end), "trainings.area_code")},
		{&out.InsurancePolicies, inArea(db.Model(&InsurancePolicy{}).Where(period+" AND status <> ?", start, end, PolicyCancelled), "area_code")},
		{&out.PhoneReads, inArea(db.Model(&PhoneRead{}).Joins("JOIN gigs ON gigs.id = phone_reads.gig_id").
			Where("phone_reads.created_at >= ? AND phone_reads.created_at < ?", start, end), "gigs.area_code")},
	}
	for _, st := range steps {
		if err := count(st.dst, st.q); err != nil {
			return nil, err
		}
	}
	if out.Applications > 0 {
		out.MatchRate = float64(out.Confirmations) / float64(out.Applications)
	}
	if err := s.wageStats(ctx, inArea(db.Model(&Gig{}).Where(period, start, end), "area_code"), out); err != nil {
		return nil, err
	}
	if err := s.complaintStats(inArea(db.Model(&Complaint{}).Where(period, start, end), "area_code"), out); err != nil {
		return nil, err
	}
	last := out.To
	if yesterday := s.Now().In(Shanghai).AddDate(0, 0, -1).Format(dateLayout); yesterday < last {
		last = yesterday // a day in progress is not unpaid yet
	}
	noShows := inArea(db.Model(&ReliabilityEvent{}).Joins("JOIN gigs ON gigs.id = reliability_events.gig_id").
		Select("reliability_events.employer_id, gigs.area_code, COUNT(*) AS n").
		Where("reliability_events.kind = ? AND reliability_events.corrected_at IS NULL AND reliability_events.day >= ? AND reliability_events.day <= ?",
			EventNoShow, out.From, out.To), "gigs.area_code").Group("reliability_events.employer_id, gigs.area_code")
	unpaid := inArea(db.Model(&Attendance{}).
		Joins("JOIN applications ON applications.gig_id = attendances.gig_id AND applications.worker_id = attendances.worker_id").
		Joins("JOIN gigs ON gigs.id = attendances.gig_id").
		Select("gigs.employer_id, gigs.area_code, COUNT(*) AS n").
		Where(dayWorked).
		Where("attendances.day >= ? AND attendances.day <= ? AND applications.status IN ?", out.From, last,
			[]string{AppConfirmed, AppDisputed}), "gigs.area_code").Group("gigs.employer_id, gigs.area_code")
	if err := s.reliabilityFigures(ctx, noShows, unpaid, out); err != nil {
		return nil, err
	}
	if err := alertStats(db, start, end, inArea, out); err != nil {
		return nil, err
	}
	return out, nil
}

func (s *Store) wageStats(ctx context.Context, q *gorm.DB, out *Stats) error {
	var rows []struct {
		CategoryID uint64
		WageCents  int64
		WageUnit   string
	}
	if err := q.Select("category_id, wage_cents, wage_unit").Scan(&rows).Error; err != nil {
		return dbErr(err)
	}
	names, err := s.categoryNames(ctx)
	if err != nil {
		return err
	}
	byCategory := map[uint64][]int64{}
	for _, r := range rows {
		if d := DailyCents(r.WageCents, r.WageUnit); d > 0 {
			byCategory[r.CategoryID] = append(byCategory[r.CategoryID], d)
		}
	}
	for id, wages := range byCategory {
		slices.Sort(wages)
		var sum int64
		for _, w := range wages {
			sum += w
		}
		median := wages[len(wages)/2]
		if len(wages)%2 == 0 {
			median = (wages[len(wages)/2-1] + wages[len(wages)/2]) / 2
		}
		out.Wages = append(out.Wages, CategoryWage{CategoryID: id, Category: names[id], Gigs: len(wages),
			AvgDailyCents: sum / int64(len(wages)), MedianDailyCents: median})
	}
	slices.SortFunc(out.Wages, func(a, b CategoryWage) int { return int(a.CategoryID) - int(b.CategoryID) })
	return nil
}

func (s *Store) complaintStats(q *gorm.DB, out *Stats) error {
	var rows []Complaint
	if err := q.Select("category, status, created_at, accepted_at, resolved_at, satisfaction").Find(&rows).Error; err != nil {
		return dbErr(err)
	}
	counts := map[[2]string]int{}
	var acceptH, resolveH float64
	var accepted, resolved, satisfied, satisfaction int
	for _, c := range rows {
		counts[[2]string{c.Category, c.Status}]++
		if c.AcceptedAt != nil {
			acceptH += c.AcceptedAt.Sub(c.CreatedAt).Hours()
			accepted++
		}
		if c.ResolvedAt != nil {
			resolveH += c.ResolvedAt.Sub(c.CreatedAt).Hours()
			resolved++
		}
		if c.Satisfaction != nil {
			satisfaction += *c.Satisfaction
			satisfied++
		}
	}
	for k, n := range counts {
		out.Complaints = append(out.Complaints, ComplaintCount{Category: k[0], Status: k[1], Count: n})
	}
	slices.SortFunc(out.Complaints, func(a, b ComplaintCount) int {
		if a.Category != b.Category {
			return strings.Compare(a.Category, b.Category)
		}
		return strings.Compare(a.Status, b.Status)
	})
	if accepted > 0 {
		out.AvgHoursToAccept = acceptH / float64(accepted)
	}
	if resolved > 0 {
		out.AvgHoursToResolve = resolveH / float64(resolved)
	}
	if satisfied > 0 {
		out.SatisfactionAvg, out.SatisfactionCount = float64(satisfaction)/float64(satisfied), satisfied
	}
	return nil
}

// reliabilityFigures adds up the grouped counts per employer and per county.
func (s *Store) reliabilityFigures(ctx context.Context, noShows, unpaid *gorm.DB, out *Stats) error {
	type row struct {
		EmployerID uint64
		AreaCode   string
		N          int
	}
	var shows, days []row
	if err := noShows.Scan(&shows).Error; err != nil {
		return dbErr(err)
	}
	if err := unpaid.Scan(&days).Error; err != nil {
		return dbErr(err)
	}
	byEmployer := map[uint64]*EmployerFigures{}
	byArea := map[string]*MarketFigures{}
	add := func(r row, noShow bool) {
		e := byEmployer[r.EmployerID]
		if e == nil {
			e = &EmployerFigures{EmployerID: r.EmployerID}
			byEmployer[r.EmployerID] = e
		}
		a := byArea[r.AreaCode]
		if a == nil {
			a = &MarketFigures{AreaCode: r.AreaCode, Markets: []string{}}
			if ar, ok := LookupArea(r.AreaCode); ok {
				a.AreaName = ar.FullName()
			}
			byArea[r.AreaCode] = a
		}
		if noShow {
			e.NoShows += r.N
			a.NoShows += r.N
		} else {
			e.UnpaidDays += r.N
			a.UnpaidDays += r.N
		}
	}
	for _, r := range shows {
		add(r, true)
	}
	for _, r := range days {
		add(r, false)
	}
	var ids []uint64
	for id, e := range byEmployer {
		ids = append(ids, id)
		out.ByEmployer = append(out.ByEmployer, *e)
	}
	names, err := s.employerNames(ctx, ids)
	if err != nil {
		return err
	}
	for i := range out.ByEmployer {
		out.ByEmployer[i].EmployerName = names[out.ByEmployer[i].EmployerID]
	}
	slices.SortFunc(out.ByEmployer, func(a, b EmployerFigures) int {
		if d := (b.NoShows + b.UnpaidDays) - (a.NoShows + a.UnpaidDays); d != 0 {
			return d
		}
		return int(a.EmployerID) - int(b.EmployerID)
	})
	if len(out.ByEmployer) > reliabilityFiguresLimit {
		out.ByEmployer = out.ByEmployer[:reliabilityFiguresLimit]
	}
	var codes []string
	for code, a := range byArea {
		codes = append(codes, code)
		out.ByMarket = append(out.ByMarket, *a)
	}
	if len(codes) > 0 {
		var markets []Market
		if err := s.DB.WithContext(ctx).Select("name, area_code").Where("kind = ? AND area_code IN ?", MarketKindMarket, codes).
			Order("id").Find(&markets).Error; err != nil {
			return dbErr(err)
		}
		for i := range out.ByMarket {
			for _, m := range markets {
				if m.AreaCode == out.ByMarket[i].AreaCode {
					out.ByMarket[i].Markets = append(out.ByMarket[i].Markets, m.Name)
				}
			}
		}
	}
	slices.SortFunc(out.ByMarket, func(a, b MarketFigures) int { return strings.Compare(a.AreaCode, b.AreaCode) })
	return nil
}
