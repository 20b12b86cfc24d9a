package model

import (
	"errors"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// DailyQuota is what one person used today (北京时间) of something limited per day: contact phones seen, photos
// uploaded. A use is taken by one conditional UPDATE of this row, so that uses arriving at once queue on the
// row lock and cannot all slip under the limit.
type DailyQuota struct {
	UserID uint64 `gorm:"primaryKey;autoIncrement:false"`
	Kind   string `gorm:"primaryKey;size:16"`
	Day    string `gorm:"primaryKey;size:10"`
	Count  int
	Bytes  int64
}

// Daily quota kinds.
const (
	QuotaPhoneReads  = "phone_reads"
	QuotaUploads     = "uploads"
	QuotaWithdrawals = "withdrawals"
)

// WithdrawalsPerDay is how many confirmed spots one worker gives back in a day. Someone with a real change of
// plan needs one or two; taking first-come spots to read employers' phones and giving them back is stopped
// here (a confirmed worker sees the phone without it counting against PhoneReadsPerDay).
const WithdrawalsPerDay = 5

// ErrWithdrawLimit: the worker gave back too many confirmed spots today.
var ErrWithdrawLimit = errors.New("too many confirmed spots given back today")

// takeDaily spends one use (of size bytes) of kind for the user today, within maxCount uses and maxBytes
// bytes (0: no byte limit); it reports false when the day's quota is spent.
func takeDaily(tx *gorm.DB, userID uint64, kind string, now time.Time, maxCount int, bytes, maxBytes int64) (bool, error) {
	day := now.In(Shanghai).Format(dateLayout)
	if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&DailyQuota{UserID: userID, Kind: kind, Day: day}).Error; err != nil {
		return false, dbErr(err)
	}
	q := tx.Model(&DailyQuota{}).Where("user_id = ? AND kind = ? AND day = ? AND count < ?", userID, kind, day, maxCount)
	if maxBytes > 0 {
		q = q.Where("bytes + ? <= ?", bytes, maxBytes)
	}
	res := q.Updates(map[string]any{"count": gorm.Expr("count + 1"), "bytes": gorm.Expr("bytes + ?", bytes)})
	if res.Error != nil {
		return false, dbErr(res.Error)
	}
	return res.RowsAffected == 1, nil
}
