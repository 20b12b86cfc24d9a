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

// PhoneRead is a person's first look at one gig's contact phone; looking again costs nothing.
type PhoneRead struct {
	UserID    uint64 `gorm:"primaryKey;autoIncrement:false"`
	GigID     uint64 `gorm:"primaryKey;autoIncrement:false"`
	CreatedAt time.Time
}
