package model

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"time"
)

// Upload is a photo a user sent (for a complaint). The file lives under a name the server made, never the
// client's.
type Upload struct {
	ID          uint64 `gorm:"primaryKey"`
	OwnerID     uint64
	Name        string
	ContentType string
	Size        int64
	CreatedAt   time.Time
}

// NewUploadName makes the stored name of a file: 128 random bits and the extension of its sniffed type.
func NewUploadName(contentType string) string {
	buf := make([]byte, 16)
	_, _ = rand.Read(buf)
	ext := ".jpg"
	if contentType == "image/png" {
		ext = ".png"
	}
	return hex.EncodeToString(buf) + ext
}

// RecordUpload stores what was uploaded, after the file is safely written.
func (s *Store) RecordUpload(ctx context.Context, ownerID uint64, name, contentType string, size int64) (*Upload, error) {
	u := Upload{OwnerID: ownerID, Name: name, ContentType: contentType, Size: size, CreatedAt: s.Now()}
	return &u, dbErr(s.DB.WithContext(ctx).Create(&u).Error)
}

// UploadFor finds an upload the user may see: their own, or, for staff, one attached to a complaint in
// their area.
func (s *Store) UploadFor(ctx context.Context, u *User, id uint64) (*Upload, error) {
	var up Upload
	if err := s.DB.WithContext(ctx).Take(&up, id).Error; err != nil {
		return nil, dbErr(err)
	}
	if up.OwnerID == u.ID {
		return &up, nil
	}
	scope, err := s.StaffScope(ctx, u)
	if err != nil {
		return nil, ErrNotFound
	}
	var areas []string
	if err := s.DB.WithContext(ctx).Model(&Complaint{}).Joins("JOIN complaint_photos ON complaint_photos.complaint_id = complaints.id").
		Where("complaint_photos.upload_id = ?", id).Pluck("complaints.area_code", &areas).Error; err != nil {
		return nil, dbErr(err)
	}
	for _, a := range areas {
		if scope.Covers(a) {
			return &up, nil
		}
	}
	return nil, ErrNotFound
}
