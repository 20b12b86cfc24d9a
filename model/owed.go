package model

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Owed is what attendance says a worker earned on a gig: the days they arrived and, for an hourly gig, the
// time from arrival to leaving. Derived on each read from the attendance rows, so a mark answered or a leaving
// scanned later shows at once.
type Owed struct {
	WageUnit string // the gig's, so what is owed reads on its own
	Days     int
	// Minutes is the hourly gig's time worked, each day rounded to the nearest half hour.
	Minutes int
	// OpenDays are an hourly gig's days with an arrival but no leaving yet: not priced until the worker scans
	// out, so that neither side is shown a guess.
	OpenDays int
	// Cents is what is due; nil for a piece-rate gig, whose count of pieces the platform does not record.
	Cents *int64
}

// attendanceTimes are the columns what is owed reads.
type attendanceTimes struct {
	GigID     uint64
	WorkerID  uint64
	ArrivedAt time.Time
	LeftAt    *time.Time
}

type gigWorker struct{ gig, worker uint64 }

// halfHours is a day's time from arrival to leaving in half hours, rounded to the nearest (a quarter hour or
// more counts as a half), so a few minutes' scanning early or late move nothing.
func halfHours(arrived, left time.Time) int64 {
	if !left.After(arrived) {
		return 0
	}
	return int64((left.Sub(arrived) + 15*time.Minute) / (30 * time.Minute))
}

// owedOf adds up one worker's attendance on one gig.
func owedOf(g *Gig, rows []attendanceTimes) Owed {
	o := Owed{WageUnit: g.WageUnit}
	var halves int64
	for _, r := range rows {
		o.Days++
		if r.LeftAt == nil {
			o.OpenDays++
			continue
		}
		halves += halfHours(r.ArrivedAt, *r.LeftAt)
	}
	switch g.WageUnit {
	case WageDay:
		c := int64(o.Days) * g.WageCents
		o.Cents, o.OpenDays = &c, 0
	case WageHour:
		o.Minutes = int(halves) * 30
		c := (halves*g.WageCents + 1) / 2 // half a cent rounds up, to the worker
		o.Cents = &c
	default:
		o.OpenDays = 0
	}
	return o
}

// owedFor reads the attendance of the given workers on the given gigs in one statement and adds it up per
// pair; a pair without attendance owes nothing.
func (s *Store) owedFor(ctx context.Context, pairs []gigWorker, gigs map[uint64]*Gig) (map[gigWorker]Owed, error) {
	out := map[gigWorker]Owed{}
	if len(pairs) == 0 {
		return out, nil
	}
	var gigIDs, workerIDs []uint64
	for _, p := range pairs {
		gigIDs, workerIDs = append(gigIDs, p.gig), append(workerIDs, p.worker)
	}
	var rows []attendanceTimes
	if err := s.DB.WithContext(ctx).Model(&Attendance{}).Select("gig_id, worker_id, arrived_at, left_at").
		Where("gig_id IN ? AND worker_id IN ?", uniqueIDs(gigIDs), uniqueIDs(workerIDs)).Find(&rows).Error; err != nil {
		return nil, dbErr(err)
	}
	byPair := map[gigWorker][]attendanceTimes{}
	for _, r := range rows {
		k := gigWorker{r.GigID, r.WorkerID}
		byPair[k] = append(byPair[k], r)
	}
	for _, p := range pairs {
		if g := gigs[p.gig]; g != nil {
			out[p] = owedOf(g, byPair[p])
		}
	}
	return out, nil
}

// owedText is what is owed in words, for the wage-arrears complaint a dispute opens.
func owedText(g *Gig, o Owed, paid *int64) string {
	t := fmt.Sprintf("签到记录：出勤%d天", o.Days)
	if g.WageUnit == WageHour {
		t += fmt.Sprintf("，共%s小时", hoursText(o.Minutes))
		if o.OpenDays > 0 {
			t += fmt.Sprintf("（另有%d天没扫离开，未计）", o.OpenDays)
		}
	}
	if o.Cents != nil {
		t += "，应付" + yuan(*o.Cents)
	} else {
		t += "（计件，应付按件数算）"
	}
	if paid != nil {
		t += "，雇主填的实付" + yuan(*paid)
	}
	return t
}

func hoursText(minutes int) string {
	if minutes%60 == 0 {
		return fmt.Sprint(minutes / 60)
	}
	return fmt.Sprintf("%d.5", minutes/60)
}

func yuan(cents int64) string {
	if cents%100 == 0 {
		return fmt.Sprintf("%d元", cents/100)
	}
	return fmt.Sprintf("%d.%02d元", cents/100, cents%100)
}

// workerDays are one worker's attendance rows on one gig, oldest day first.
func workerDays(db *gorm.DB, gigID, workerID uint64) ([]Attendance, error) {
	var rows []Attendance
	err := db.Where("gig_id = ? AND worker_id = ?", gigID, workerID).Order("day").Find(&rows).Error
	return rows, dbErr(err)
}

func owedOfDays(g *Gig, days []Attendance) Owed {
	rows := make([]attendanceTimes, len(days))
	for i, d := range days {
		rows[i] = attendanceTimes{GigID: d.GigID, WorkerID: d.WorkerID, ArrivedAt: d.ArrivedAt, LeftAt: d.LeftAt}
	}
	return owedOf(g, rows)
}
