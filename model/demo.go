package model

import (
	"context"
	"errors"
)

// DemoAdminOpenID is the demo admin; with the dev WeChat, login code "admin" signs in as them.
const DemoAdminOpenID = "dev-admin"

// SeedDemo loads the demo data once: when the demo admin exists, it has run before and does nothing.
func (s *Store) SeedDemo(ctx context.Context) error {
	var n int64
	if err := s.DB.WithContext(ctx).Model(&User{}).Where("open_id = ?", DemoAdminOpenID).Count(&n).Error; err != nil {
		return dbErr(err)
	}
	if n > 0 {
		return nil
	}
	admin, err := s.findOrCreateUser(ctx, DemoAdminOpenID, "")
	if err != nil {
		return err
	}
	if err := s.GrantRole(ctx, admin.ID, RoleAdmin); err != nil && !errors.Is(err, ErrNotFound) {
		return err
	}
	return nil
}
