package model

import "context"

// Category is a 工种 of the catalogue that workers pick their skills from and gigs are posted under.
type Category struct {
	ID   uint64 `gorm:"primaryKey"`
	Code string
	Name string
	Icon string
	Sort int
}

// Categories lists the catalogue in display order.
func (s *Store) Categories(ctx context.Context) ([]Category, error) {
	var out []Category
	err := s.DB.WithContext(ctx).Order("sort, id").Find(&out).Error
	return out, dbErr(err)
}

// unknownCategories reports the ids that are not in the catalogue.
func (s *Store) unknownCategories(ctx context.Context, ids []uint64) ([]uint64, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var found []uint64
	if err := s.DB.WithContext(ctx).Model(&Category{}).Where("id IN ?", ids).Pluck("id", &found).Error; err != nil {
		return nil, dbErr(err)
	}
	have := map[uint64]bool{}
	for _, id := range found {
		have[id] = true
	}
	var missing []uint64
	for _, id := range ids {
		if !have[id] {
			missing = append(missing, id)
		}
	}
	return missing, nil
}

func (s *Store) categoryNames(ctx context.Context) (map[uint64]string, error) {
	cats, err := s.Categories(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[uint64]string, len(cats))
	for _, c := range cats {
		out[c.ID] = c.Name
	}
	return out, nil
}
