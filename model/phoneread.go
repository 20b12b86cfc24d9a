package model

import (
	"time"
)

// Why an employer's contact phone is not on a gig page: the viewer has not registered as a worker, or has
// looked at too many gigs' phones today.
const (
	PhoneForWorkers   = "register"
	PhoneLimitReached = "limit"
)

// PhoneReadsPerDay is how many different gigs' contact phones one person sees in a day: a worker looking for
// work calls a few; someone collecting employers' numbers steps through them all.
const PhoneReadsPerDay = 30

// PhoneRead is a person's first look at one gig's contact phone; looking again costs nothing. Each takes
// the next of the day's PhoneReadsPerDay slots, and the unique key on the slot is what holds the day's count
// when many pages open at once.
type PhoneRead struct {
	UserID    uint64 `gorm:"primaryKey;autoIncrement:false;uniqueIndex:idx_phone_read_day_slot,priority:1"`
	GigID     uint64 `gorm:"primaryKey;autoIncrement:false"`
	Day       string `gorm:"uniqueIndex:idx_phone_read_day_slot,priority:2"` // in Shanghai
	Slot      *int   `gorm:"uniqueIndex:idx_phone_read_day_slot,priority:3"` // 1…PhoneReadsPerDay; nil on reads from before slots
	CreatedAt time.Time
}

// The viewer's phone reads, as scalar subqueries: whether they saw this gig's phone before (user, gig), and
// the last slot they took today (user, day).
const (
	phoneReadBefore = "EXISTS (SELECT 1 FROM phone_reads WHERE user_id = ? AND gig_id = ?)"
	phoneReadsToday = "COALESCE((SELECT MAX(slot) FROM phone_reads WHERE user_id = ? AND day = ?), 0)"
)
