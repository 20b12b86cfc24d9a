package model

import (
	"context"
	"time"
)

// PurgeRefreshTokens deletes refresh tokens that can no longer be used: expired, or rotated longer ago than
// keep. Rotated tokens are kept a while so that a late reuse is still recognised as reuse.
func (s *Store) PurgeRefreshTokens(ctx context.Context, keep time.Duration) (int64, error) {
	cutoff := s.Now().Add(-keep)
	res := s.DB.WithContext(ctx).
		Where("expires_at < ? OR (used_at IS NOT NULL AND used_at < ?)", s.Now(), cutoff).
		Delete(&RefreshToken{})
	return res.RowsAffected, dbErr(res.Error)
}
