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

// Daily quota kinds. (Phone reads count themselves: PhoneRead's slots.)
const (
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
// bytes (0: no byte limit); it reports false when the day's quota is spent. The conditional update decides;
// today's row is made only by the day's first use, so a use is one statement on most calls.
func takeDaily(tx *gorm.DB, userID uint64, kind string, now time.Time, maxCount int, bytes, maxBytes int64) (bool, error) {
	day := now.In(Shanghai).Format(dateLayout)
	spend := func() (bool, error) {
		q := tx.Model(&DailyQuota{}).Where("user_id = ? AND kind = ? AND day = ? AND count < ?", userID, kind, day, maxCount)
		if maxBytes > 0 {
			q = q.Where("bytes + ? <= ?", bytes, maxBytes)
		}
		res := q.Updates(map[string]any{"count": gorm.Expr("count + 1"), "bytes": gorm.Expr("bytes + ?", bytes)})
		return res.RowsAffected == 1, dbErr(res.Error)
	}
	if ok, err := spend(); ok || err != nil {
		return ok, err
	}
	if maxCount < 1 || (maxBytes > 0 && bytes > maxBytes) {
		return false, nil
	}
	// No row for today yet, or the quota is spent: the first use of the day makes the row.
	first := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&DailyQuota{UserID: userID, Kind: kind, Day: day, Count: 1, Bytes: bytes})
	if first.Error != nil {
		return false, dbErr(first.Error)
	}
	if first.RowsAffected == 1 {
		return true, nil
	}
	return spend() // another use made today's row meanwhile
}

// giveBackDaily returns one use taken by takeDaily that turned out not to be needed.
func giveBackDaily(tx *gorm.DB, userID uint64, kind string, now time.Time) error {
	return dbErr(tx.Model(&DailyQuota{}).Where("user_id = ? AND kind = ? AND day = ? AND count > 0",
		userID, kind, now.In(Shanghai).Format(dateLayout)).Update("count", gorm.Expr("count - 1")).Error)
}
