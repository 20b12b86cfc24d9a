package model

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"gorm.io/gorm"
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

// A person's photos a day: a complaint takes six, a busy day at the window a few dozen consent forms.
const (
	UploadsPerDay     = 40
	UploadBytesPerDay = 80 << 20
)

// ErrUploadQuota: the day's photos are used up.
var ErrUploadQuota = errors.New("upload quota for today used up")

// RecordUpload stores what was uploaded, after the file is safely written, within the owner's daily quota.
func (s *Store) RecordUpload(ctx context.Context, ownerID uint64, name, contentType string, size int64) (*Upload, error) {
	u := Upload{OwnerID: ownerID, Name: name, ContentType: contentType, Size: size, CreatedAt: s.Now()}
	err := s.tx(ctx, func(tx *gorm.DB) error {
		ok, err := takeDaily(tx, ownerID, QuotaUploads, u.CreatedAt, UploadsPerDay, size, UploadBytesPerDay)
		if err == nil && !ok {
			err = ErrUploadQuota
		}
		if err != nil {
			return err
		}
		return dbErr(tx.Create(&u).Error)
	})
	return &u, err
}

// StaleUploads lists uploads older than the cutoff that nothing refers to: a photo picked for a complaint
// that was never filed, or a consent form for a registration that did not happen.
func (s *Store) StaleUploads(ctx context.Context, before time.Time, limit int) ([]Upload, error) {
	var out []Upload
	err := s.DB.WithContext(ctx).Where("created_at < ?", before).
		Where("NOT EXISTS (SELECT 1 FROM complaint_photos WHERE complaint_photos.upload_id = uploads.id)").
		Where("NOT EXISTS (SELECT 1 FROM consents WHERE consents.upload_id = uploads.id)").
		Order("id").Limit(limit).Find(&out).Error
	return out, dbErr(err)
}

// DeleteUploads forgets uploads whose files are gone.
func (s *Store) DeleteUploads(ctx context.Context, ids []uint64) error {
	if len(ids) == 0 {
		return nil
	}
	// Still unreferenced: a photo attached between the listing and now stays.
	return dbErr(s.DB.WithContext(ctx).Where("id IN ?", ids).
		Where("NOT EXISTS (SELECT 1 FROM complaint_photos WHERE complaint_photos.upload_id = uploads.id)").
		Where("NOT EXISTS (SELECT 1 FROM consents WHERE consents.upload_id = uploads.id)").Delete(&Upload{}).Error)
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
	scope, err := s.StaffScope(ctx, u.ID)
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
