package model

import (
	"context"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// Market kinds: a 零工市场 of a county (or an industry), or a 零工驿站 in a community.
const (
	MarketKindMarket  = "market"
	MarketKindStation = "station"
)

// Market is one entry of the 零工市场/驿站 directory.
type Market struct {
	ID             uint64 `gorm:"primaryKey"`
	Kind           string
	Name           string
	AreaCode       string
	Address        string
	Lat            float64
	Lng            float64
	OpeningHours   string
	Services       string
	Hotline        string
	ComplaintPhone string
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// MarketInput is what staff maintain.
type MarketInput struct {
	Kind           string
	Name           string
	AreaCode       string
	Address        string
	Lat, Lng       float64
	OpeningHours   string
	Services       string
	Hotline        string
	ComplaintPhone string
}

// servicePhone is a short service number such as the labour hotline 12333.
var servicePhone = regexp.MustCompile(`^(0\d{2,3}-?)?\d{5,8}$`)

// SaveMarket creates (id 0) or edits a directory entry in the staff member's area. Names follow the
// guideline's standard form: "……零工市场" for a market, "……社区零工驿站" for a station.
func (s *Store) SaveMarket(ctx context.Context, scope Scope, id uint64, in MarketInput) (*Market, error) {
	var bad fieldErrors
	in.Name, in.Address = strings.TrimSpace(in.Name), strings.TrimSpace(in.Address)
	switch in.Kind {
	case MarketKindMarket:
		if !strings.HasSuffix(in.Name, "零工市场") {
			bad.add("name", "零工市场的名称应写成“××市××县(市、区)(行业)零工市场”")
		}
	case MarketKindStation:
		if !strings.HasSuffix(in.Name, "零工驿站") {
			bad.add("name", "驿站的名称应写成“××街道(乡镇)××社区零工驿站”")
		}
	default:
		bad.add("kind", "请选择零工市场或零工驿站")
	}
	if n := utf8.RuneCountInString(in.Name); n > 40 {
		bad.add("name", "名称最多40个字")
	}
	if a, ok := LookupArea(in.AreaCode); !ok || a.Level != AreaCounty {
		bad.add("area_code", "请选择所在区县")
	} else if !scope.Covers(in.AreaCode) {
		return nil, ErrNotFound
	}
	if n := utf8.RuneCountInString(in.Address); n < 4 || n > 120 {
		bad.add("address", "请填写地址")
	}
	if !validCoordinates(in.Lat, in.Lng) {
		bad.add("location", "位置不对")
	}
	if utf8.RuneCountInString(in.OpeningHours) > 60 || utf8.RuneCountInString(in.Services) > 500 {
		bad.add("services", "服务时间或服务内容太长")
	}
	for _, p := range []struct{ field, value string }{{"hotline", in.Hotline}, {"complaint_phone", in.ComplaintPhone}} {
		if !validMobile(p.value) && !landlinePattern.MatchString(p.value) && !servicePhone.MatchString(p.value) {
			bad.add(p.field, "电话号码不对")
		}
	}
	if err := bad.err(); err != nil {
		return nil, err
	}
	now := s.Now()
	m := Market{ID: id, Kind: in.Kind, Name: in.Name, AreaCode: in.AreaCode, Address: in.Address, Lat: in.Lat, Lng: in.Lng,
		OpeningHours: in.OpeningHours, Services: in.Services, Hotline: in.Hotline, ComplaintPhone: in.ComplaintPhone,
		CreatedAt: now, UpdatedAt: now}
	db := s.DB.WithContext(ctx)
	if id == 0 {
		return &m, dbErr(db.Create(&m).Error)
	}
	old, err := s.Market(ctx, id)
	if err != nil {
		return nil, err
	}
	if !scope.Covers(old.AreaCode) {
		return nil, ErrNotFound
	}
	m.CreatedAt = old.CreatedAt
	return &m, dbErr(db.Select("*").Updates(&m).Error)
}

// Market finds a directory entry.
func (s *Store) Market(ctx context.Context, id uint64) (*Market, error) {
	var m Market
	return &m, dbErr(s.DB.WithContext(ctx).Take(&m, id).Error)
}

// Markets lists the directory, nearest first when a place is given, else by area.
func (s *Store) Markets(ctx context.Context, near *Place, areaCode string) ([]Market, error) {
	q := s.DB.WithContext(ctx).Order("area_code, kind, id")
	if areaCode != "" {
		if a, ok := LookupArea(areaCode); ok {
			q = q.Where("area_code LIKE ?", a.AreaPrefix()+"%")
		}
	}
	var out []Market
	if err := q.Limit(2000).Find(&out).Error; err != nil {
		return nil, dbErr(err)
	}
	if near != nil {
		sortByDistance(out, near, func(m Market) (float64, float64) { return m.Lat, m.Lng })
	}
	return out, nil
}

// ShortageOccupation is a published 紧缺工种.
type ShortageOccupation struct {
	ID          uint64 `gorm:"primaryKey"`
	CategoryID  uint64
	AreaCode    string
	Period      string
	Note        string
	PublishedBy uint64
	CreatedAt   time.Time
}

// PublishShortage adds a 工种 to an area's shortage list for a period.
func (s *Store) PublishShortage(ctx context.Context, scope Scope, categoryID uint64, areaCode, period, note string) (*ShortageOccupation, error) {
	var bad fieldErrors
	if missing, err := s.unknownCategories(ctx, []uint64{categoryID}); err != nil {
		return nil, err
	} else if len(missing) > 0 {
		bad.add("category_id", "工种不在目录里")
	}
	if _, ok := LookupArea(areaCode); !ok {
		bad.add("area_code", "地区不对")
	} else if !scope.Covers(areaCode) {
		return nil, ErrNotFound
	}
	if !periodPattern.MatchString(period) {
		bad.add("period", "期间应写成 2026、2026-H2 或 2026-Q3")
	}
	if utf8.RuneCountInString(note) > 200 {
		bad.add("note", "说明最多200个字")
	}
	if err := bad.err(); err != nil {
		return nil, err
	}
	sh := ShortageOccupation{CategoryID: categoryID, AreaCode: areaCode, Period: period, Note: strings.TrimSpace(note),
		PublishedBy: scope.UserID, CreatedAt: s.Now()}
	if err := s.DB.WithContext(ctx).Create(&sh).Error; err != nil {
		return nil, dbErr(err)
	}
	return &sh, nil
}

// Shortages lists published shortage occupations, newest period first, for an area and those containing it.
func (s *Store) Shortages(ctx context.Context, areaCode string) ([]ShortageOccupation, error) {
	q := s.DB.WithContext(ctx).Order("period DESC, area_code, category_id")
	if areaCode != "" {
		q = q.Where("area_code IN ?", enclosingAreas(areaCode))
	}
	var out []ShortageOccupation
	return out, dbErr(q.Limit(500).Find(&out).Error)
}

// JobFair is a 专场招聘会 held at a market.
type JobFair struct {
	ID          uint64 `gorm:"primaryKey"`
	MarketID    uint64
	Title       string
	Date        string
	StartTime   string
	EndTime     string
	Description string
	AreaCode    string
	CreatedBy   uint64
	CreatedAt   time.Time
}

// PublishJobFair announces a job fair at a market in the staff member's area.
func (s *Store) PublishJobFair(ctx context.Context, scope Scope, f JobFair) (*JobFair, error) {
	m, err := s.Market(ctx, f.MarketID)
	if err != nil {
		return nil, notFoundAs(err, "market_id", "没有这个零工市场")
	}
	if !scope.Covers(m.AreaCode) {
		return nil, ErrNotFound
	}
	var bad fieldErrors
	f.Title = strings.TrimSpace(f.Title)
	if n := utf8.RuneCountInString(f.Title); n < 2 || n > 40 {
		bad.add("title", "标题写2到40个字")
	}
	if _, err := time.ParseInLocation(dateLayout, f.Date, Shanghai); err != nil || f.Date < s.Now().Format(dateLayout) {
		bad.add("date", "日期不对")
	}
	if !timeOfDay.MatchString(f.StartTime) || !timeOfDay.MatchString(f.EndTime) || f.EndTime <= f.StartTime {
		bad.add("start_time", "时间写成 09:00 到 12:00")
	}
	if utf8.RuneCountInString(f.Description) > 2000 {
		bad.add("description", "说明最多2000个字")
	}
	if err := bad.err(); err != nil {
		return nil, err
	}
	f.ID, f.AreaCode, f.CreatedBy, f.CreatedAt = 0, m.AreaCode, scope.UserID, s.Now()
	return &f, dbErr(s.DB.WithContext(ctx).Create(&f).Error)
}

// JobFairs lists fairs from today on, soonest first, optionally at one market.
func (s *Store) JobFairs(ctx context.Context, marketID uint64) ([]JobFair, error) {
	q := s.DB.WithContext(ctx).Where("date >= ?", s.Now().Format(dateLayout)).Order("date, start_time, id")
	if marketID != 0 {
		q = q.Where("market_id = ?", marketID)
	}
	var out []JobFair
	return out, dbErr(q.Limit(200).Find(&out).Error)
}

// Notice is a 政策 notice staff publish.
type Notice struct {
	ID          uint64 `gorm:"primaryKey"`
	Title       string
	Body        string
	AreaCode    string
	PublishedBy uint64
	CreatedAt   time.Time
}

// PublishNotice publishes a policy notice for an area.
func (s *Store) PublishNotice(ctx context.Context, scope Scope, title, body, areaCode string) (*Notice, error) {
	var bad fieldErrors
	title, body = strings.TrimSpace(title), strings.TrimSpace(body)
	if n := utf8.RuneCountInString(title); n < 2 || n > 40 {
		bad.add("title", "标题写2到40个字")
	}
	if n := utf8.RuneCountInString(body); n < 2 || n > 10000 {
		bad.add("body", "正文不能为空，最多10000个字")
	}
	if _, ok := LookupArea(areaCode); !ok {
		bad.add("area_code", "地区不对")
	} else if !scope.Covers(areaCode) {
		return nil, ErrNotFound
	}
	if err := bad.err(); err != nil {
		return nil, err
	}
	n := Notice{Title: title, Body: body, AreaCode: areaCode, PublishedBy: scope.UserID, CreatedAt: s.Now()}
	return &n, dbErr(s.DB.WithContext(ctx).Create(&n).Error)
}

// Notices lists notices, newest first, for an area and those containing it.
func (s *Store) Notices(ctx context.Context, areaCode string) ([]Notice, error) {
	q := s.DB.WithContext(ctx).Order("created_at DESC, id DESC")
	if areaCode != "" {
		q = q.Where("area_code IN ?", enclosingAreas(areaCode))
	}
	var out []Notice
	return out, dbErr(q.Limit(100).Find(&out).Error)
}

// Published is what a staff member's scope has published, newest first: what the console's 发布 page lists.
type Published struct {
	WageGuides []WageGuide
	Notices    []Notice
	Shortages  []ShortageOccupation
	JobFairs   []JobFair
}

// PublishedIn lists the wage guides, notices, shortage occupations and job fairs of the scope's areas, each
// kind newest first and at most limit of it. The public lists (WageGuides, Notices, …) look upward from one
// area; staff look downward over everything their scope covers.
func (s *Store) PublishedIn(ctx context.Context, scope Scope, limit int) (*Published, error) {
	var out Published
	db := s.DB.WithContext(ctx)
	for _, dest := range []any{&out.WageGuides, &out.Notices, &out.Shortages, &out.JobFairs} {
		if err := scope.where(db, "area_code").Order("id DESC").Limit(limit).Find(dest).Error; err != nil {
			return nil, dbErr(err)
		}
	}
	return &out, nil
}
