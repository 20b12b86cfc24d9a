package model

import (
	"context"
	"regexp"
	"time"

	"gorm.io/gorm"
)

// WageGuide is a published 工资指导价位: the low, median and high daily wage of one 工种 in one area for a
// period ("2026" or "2026-H2").
type WageGuide struct {
	ID          uint64 `gorm:"primaryKey"`
	CategoryID  uint64
	AreaCode    string
	Period      string
	LowCents    int64
	MedianCents int64
	HighCents   int64
	PublishedBy uint64
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// WageGuideInput is what staff publish.
type WageGuideInput struct {
	CategoryID  uint64
	AreaCode    string
	Period      string
	LowCents    int64
	MedianCents int64
	HighCents   int64
}

var periodPattern = regexp.MustCompile(`^20\d\d(?:-H[12]|-Q[1-4])?$`)

// PublishWageGuide publishes or replaces the guide of a category, area and period, within the staff's scope.
func (s *Store) PublishWageGuide(ctx context.Context, scope Scope, in WageGuideInput) (*WageGuide, error) {
	var bad fieldErrors
	if missing, err := s.unknownCategories(ctx, []uint64{in.CategoryID}); err != nil {
		return nil, err
	} else if len(missing) > 0 {
		bad.add("category_id", "工种不在目录里")
	}
	if _, ok := LookupArea(in.AreaCode); !ok {
		bad.add("area_code", "地区不对")
	} else if !scope.Covers(in.AreaCode) {
		return nil, ErrNotFound
	}
	if !periodPattern.MatchString(in.Period) {
		bad.add("period", "期间应写成 2026、2026-H2 或 2026-Q3")
	}
	if in.LowCents <= 0 || in.LowCents > in.MedianCents || in.MedianCents > in.HighCents {
		bad.add("low_cents", "应满足 0 < 低位数 ≤ 中位数 ≤ 高位数")
	}
	if err := bad.err(); err != nil {
		return nil, err
	}
	g := WageGuide{CategoryID: in.CategoryID, AreaCode: in.AreaCode, Period: in.Period, LowCents: in.LowCents,
		MedianCents: in.MedianCents, HighCents: in.HighCents, PublishedBy: scope.UserID}
	err := s.tx(ctx, func(tx *gorm.DB) error {
		now := s.Now()
		g.CreatedAt, g.UpdatedAt = now, now
		res := tx.Model(&WageGuide{}).Where("category_id = ? AND area_code = ? AND period = ?", in.CategoryID, in.AreaCode, in.Period).
			Updates(map[string]any{"low_cents": g.LowCents, "median_cents": g.MedianCents, "high_cents": g.HighCents,
				"published_by": g.PublishedBy, "updated_at": now})
		if res.Error != nil || res.RowsAffected == 1 {
			return dbErr(res.Error)
		}
		return dbErr(tx.Create(&g).Error)
	})
	if err != nil {
		return nil, err
	}
	return &g, nil
}

// WageGuides lists published guides, newest period first, optionally for one category and the areas that
// contain a given one (a county's own guide, its city's and the province's).
func (s *Store) WageGuides(ctx context.Context, categoryID uint64, areaCode string) ([]WageGuide, error) {
	q := s.DB.WithContext(ctx).Order("period DESC, category_id, area_code")
	if categoryID != 0 {
		q = q.Where("category_id = ?", categoryID)
	}
	if areaCode != "" {
		q = q.Where("area_code IN ?", enclosingAreas(areaCode))
	}
	var out []WageGuide
	return out, dbErr(q.Limit(500).Find(&out).Error)
}

// enclosingAreas is a code and the codes of the city and province it lies in.
func enclosingAreas(code string) []string {
	out := []string{code}
	for a, ok := LookupArea(code); ok && a.Parent != ""; a, ok = LookupArea(a.Parent) {
		out = append(out, a.Parent)
	}
	return out
}

// wageGuideFor is the guide that applies to a category in an area: the most local one, of the newest period.
func (s *Store) wageGuideFor(ctx context.Context, categoryID uint64, areaCode string) (*WageGuide, error) {
	guides, err := s.WageGuides(ctx, categoryID, areaCode)
	if err != nil || len(guides) == 0 {
		return nil, err
	}
	newest := guides[0].Period
	for _, code := range enclosingAreas(areaCode) {
		for i := range guides {
			if guides[i].Period == newest && guides[i].AreaCode == code {
				return &guides[i], nil
			}
		}
	}
	return &guides[0], nil
}
