package model

import (
	"context"
	"sync"
	"time"

	"gorm.io/gorm"
)

// Change is one row of the change feed: "this thing changed", written in the transaction that changed it.
// Every instance follows the feed to keep its memory (the gig index, the session cache) true to the
// database, reading each change once: the work grows with the number of changes, never with how many rows
// a time window happens to hold.
type Change struct {
	ID        uint64 `gorm:"primaryKey"`
	Kind      string
	RefID     uint64
	CreatedAt time.Time
}

// Kinds of change. An employer change stands for all of its gigs (their cards show its name and rating);
// a user change for all of the user's sessions.
const (
	changeGig      = "gig"
	changeEmployer = "employer"
	changeUser     = "user"
	changeSession  = "session"
	changeAlert    = "alert" // a worker's alert settings
)

// noteChanges records that the things of one kind changed, in the caller's transaction, so that the note
// commits (or not) with the change itself.
func noteChanges(tx *gorm.DB, now time.Time, kind string, ids ...uint64) error {
	if len(ids) == 0 {
		return nil
	}
	rows := make([]Change, len(ids))
	for i, id := range ids {
		rows[i] = Change{Kind: kind, RefID: id, CreatedAt: now}
	}
	return dbErr(tx.Create(&rows).Error)
}

// Changes is what the feed brought since the last look, each id once.
type Changes struct {
	Gigs, Employers, Users, Sessions []uint64
	// Alerts are workers whose alert settings changed.
	Alerts []uint64
}

// Empty tells whether nothing changed.
func (c Changes) Empty() bool {
	return len(c.Gigs)+len(c.Employers)+len(c.Users)+len(c.Sessions)+len(c.Alerts) == 0
}

// feedGapWait is how long a hole in the feed's ids is waited for. Ids are handed out when a row is inserted
// but become visible when its transaction commits, so a later id can be seen before an earlier one; a hole
// still open after this long was a rolled-back transaction (or one that committed so late that the full
// reloads of the index and the cache's age limit cover it).
const feedGapWait = 5 * time.Second

// feedBatch bounds one read of the feed, so that a burst is taken in steps rather than in one huge answer.
const feedBatch = 5000

// maxHoles bounds the ids waited for. More at once means ids that are not handed out one by one (a
// cluster's auto_increment_increment, TiDB without AUTO_ID_CACHE=1): the widest holes are not waited for.
const maxHoles = 10_000

// ChangeFeed follows the changes table for one instance.
type ChangeFeed struct {
	store *Store

	mu sync.Mutex
	// high: the largest id taken. holes: ids below it not seen yet, each with when it was first missed; a read
	// asks for the ids above high and for the holes, so a hole never holds back what comes after it.
	high  uint64
	holes map[uint64]time.Time
}

// NewChangeFeed starts following from the changes of the last few seconds: whatever this instance loads
// next (the index, sessions) is at least that fresh, and changes taken twice do no harm.
func (s *Store) NewChangeFeed(ctx context.Context) (*ChangeFeed, error) {
	var start *uint64
	err := s.DB.WithContext(ctx).Model(&Change{}).Where("created_at < ?", s.Now().Add(-feedGapWait)).
		Select("MAX(id)").Scan(&start).Error
	if err != nil {
		return nil, dbErr(err)
	}
	f := &ChangeFeed{store: s, holes: map[uint64]time.Time{}}
	if start != nil {
		f.high = *start
	}
	return f, nil
}

// Next reads the changes not taken yet.
func (f *ChangeFeed) Next(ctx context.Context) (Changes, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	now := f.store.Now()
	for id, since := range f.holes {
		if now.Sub(since) >= feedGapWait {
			delete(f.holes, id)
		}
	}
	q := f.store.DB.WithContext(ctx).Select("id, kind, ref_id").Where("id > ?", f.high)
	if len(f.holes) > 0 {
		waited := make([]uint64, 0, len(f.holes))
		for id := range f.holes {
			waited = append(waited, id)
		}
		q = q.Or("id IN ?", waited)
	}
	var rows []Change
	if err := q.Order("id").Limit(feedBatch).Find(&rows).Error; err != nil {
		return Changes{}, dbErr(err)
	}
	var out Changes
	taken := map[string]map[uint64]bool{}
	for _, r := range rows {
		if r.ID <= f.high {
			delete(f.holes, r.ID) // a late commit
		} else {
			for id := f.high + 1; id < r.ID && len(f.holes) < maxHoles; id++ {
				f.holes[id] = now
			}
			f.high = r.ID
		}
		if taken[r.Kind] == nil {
			taken[r.Kind] = map[uint64]bool{}
		}
		if taken[r.Kind][r.RefID] {
			continue
		}
		taken[r.Kind][r.RefID] = true
		switch r.Kind {
		case changeGig:
			out.Gigs = append(out.Gigs, r.RefID)
		case changeEmployer:
			out.Employers = append(out.Employers, r.RefID)
		case changeUser:
			out.Users = append(out.Users, r.RefID)
		case changeSession:
			out.Sessions = append(out.Sessions, r.RefID)
		case changeAlert:
			out.Alerts = append(out.Alerts, r.RefID)
		}
	}
	return out, nil
}

// Merge adds what other holds, for changes that must be tried again.
func (c Changes) Merge(other Changes) Changes {
	return Changes{Gigs: append(c.Gigs, other.Gigs...), Employers: append(c.Employers, other.Employers...),
		Users: append(c.Users, other.Users...), Sessions: append(c.Sessions, other.Sessions...),
		Alerts: append(c.Alerts, other.Alerts...)}
}

// PurgeChanges deletes feed rows every instance has long read.
func (s *Store) PurgeChanges(ctx context.Context, olderThan time.Duration) (int64, error) {
	res := s.DB.WithContext(ctx).Where("created_at < ?", s.Now().Add(-olderThan)).Delete(&Change{})
	return res.RowsAffected, dbErr(res.Error)
}
