package model

import (
	"context"
	"errors"
	"slices"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// AlertGig is an approved gig waiting for its alerts to be queued. DecideGig writes it in the approval's
// transaction; the matcher (a leased job, every second) takes it from there, so that approving stays as fast
// as before and no approval is left unmatched.
type AlertGig struct {
	GigID     uint64 `gorm:"primaryKey;autoIncrement:false"`
	QueuedAt  time.Time
	MatchedAt *time.Time
	Matched   int
}

// AlertDelivery is one worker told of one gig: unique per worker and gig, so that a worker hears of a gig
// once however many instances match it and however often a match is retried.
type AlertDelivery struct {
	ID            uint64 `gorm:"primaryKey"`
	WorkerID      uint64
	GigID         uint64
	Status        string
	NextAttemptAt time.Time
	// ClaimToken names the sender run holding the row until NextAttemptAt; only that run may record its outcome.
	ClaimToken string
	Attempts   int
	Channel    string
	Reason     string
	SentDay    string // the day (北京时间) it was sent, for the figures
	CreatedAt  time.Time
	SentAt     *time.Time
	OpenedAt   *time.Time
}

// Alert delivery states and channels.
const (
	AlertPending = "pending"
	AlertSent    = "sent"
	AlertSkipped = "skipped" // nothing sent, and nothing will be: alerts off, gig gone, no consent, day's SMS spent
	AlertFailed  = "failed"

	AlertByWeChat = "wechat"
	AlertBySMS    = "sms"
)

// AlertSMSPerDay is how many alert SMS one worker receives a day at most: enough for the morning's best
// gigs, few enough that SMS stays welcome on a basic phone.
const AlertSMSPerDay = 3

// QuotaAlertSMS counts a worker's alert SMS of the day.
const QuotaAlertSMS = "alert_sms"

// queueAlertMatch marks an approved gig for matching, in the approval's transaction.
func queueAlertMatch(tx *gorm.DB, gigID uint64, now time.Time) error {
	return dbErr(tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&AlertGig{GigID: gigID, QueuedAt: now}).Error)
}

// alertFinder finds the workers whose alerts suit a gig; the AlertIndex does.
type alertFinder interface {
	Match(g *Gig) []uint64
}

// AlertSettle is how long an approved gig waits before it is matched: every instance's alert index follows the
// change feed each second, so by then the one matching holds the alerts switched on before the approval, on
// whichever instance the worker saved them. Matched at once, a worker who set an alert a moment before missed it.
const AlertSettle = 2 * time.Second

// AlertPace is called after each batch of alerts a backlog queues, with the batch's size: the matcher job waits
// there, so that a burst of approvals is queued at a steady rate instead of crowding out the API's requests.
type AlertPace func(ctx context.Context, rows int) error

// MatchApprovedGigs queues the alerts of up to limit approved gigs not matched yet, and reports how many gigs
// it matched and how many deliveries it queued. A lone approval is matched at full speed; when more wait, pace
// (if not nil) is kept between batches. Running it twice at once (two instances, a lease taken over) queues
// nothing twice: each delivery is an insert that the unique (worker, gig) key lets through once.
func (s *Store) MatchApprovedGigs(ctx context.Context, finder alertFinder, limit int, pace AlertPace) (gigs, queued int, err error) {
	var due []AlertGig
	if err := s.DB.WithContext(ctx).Where("matched_at IS NULL AND queued_at <= ?", s.Now().Add(-AlertSettle)).
		Order("gig_id").Limit(limit).Find(&due).Error; err != nil {
		return 0, 0, dbErr(err)
	}
	if len(due) < 2 {
		pace = nil
	}
	for _, ag := range due {
		if ctx.Err() != nil {
			return gigs, queued, ctx.Err()
		}
		n, err := s.MatchGig(ctx, finder, ag.GigID, pace)
		queued += n
		if err != nil {
			return gigs, queued, err
		}
		gigs++
	}
	return gigs, queued, nil
}

// AlertRowsPerSecond is the pace of a backlog of approvals: a fraction of what a 2-core machine's MariaDB
// inserts at full speed, so that a burst of approvals leaves browsing about as fast as it was (make bench-alerts).
const AlertRowsPerSecond = 8000

// PaceAlerts waits as long as queueing the rows at perSecond takes.
func PaceAlerts(perSecond float64) AlertPace {
	return func(ctx context.Context, rows int) error {
		t := time.NewTimer(time.Duration(float64(rows) / perSecond * float64(time.Second)))
		defer t.Stop()
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
			return nil
		}
	}
}

// MatchGig queues the alerts of one approved gig and records it matched. A lone approval's alerts go in one
// transaction of large INSERTs; a paced backlog's in small statements of their own with the pace kept between
// them, so that the database is taken in short steps. Either way a run cut off halfway leaves the gig unmatched,
// and the next run's inserts skip the alerts already queued.
func (s *Store) MatchGig(ctx context.Context, finder alertFinder, gigID uint64, pace AlertPace) (int, error) {
	var g struct {
		Gig
		OwnerID uint64
	}
	db := s.DB.WithContext(ctx)
	err := db.Model(&Gig{}).Select("gigs.*, employers.user_id AS owner_id").
		Joins("JOIN employers ON employers.id = gigs.employer_id").Where("gigs.id = ?", gigID).Take(&g).Error
	if err = dbErr(err); err != nil && !errors.Is(err, ErrNotFound) {
		return 0, err
	}
	now := s.Now()
	var workers []uint64
	if err == nil && g.Status == GigPublished && g.EndDate >= now.In(Shanghai).Format(dateLayout) {
		for _, id := range finder.Match(&g.Gig) {
			if id != g.OwnerID {
				workers = append(workers, id)
			}
		}
	}
	queued := 0
	insert := func(tx *gorm.DB, batch int) error {
		for start := 0; start < len(workers); start += batch {
			part := workers[start:min(start+batch, len(workers))]
			rows := make([]AlertDelivery, len(part))
			for i, w := range part {
				rows[i] = AlertDelivery{WorkerID: w, GigID: gigID, Status: AlertPending, NextAttemptAt: now, CreatedAt: now}
			}
			res := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&rows)
			if res.Error != nil {
				return dbErr(res.Error)
			}
			queued += int(res.RowsAffected)
			if pace != nil {
				if err := pace(ctx, len(part)); err != nil {
					return err
				}
			}
		}
		return dbErr(tx.Model(&AlertGig{}).Where("gig_id = ? AND matched_at IS NULL", gigID).
			Updates(map[string]any{"matched_at": now, "matched": len(workers)}).Error)
	}
	if pace != nil {
		return queued, insert(db, 250)
	}
	if err := s.tx(ctx, func(tx *gorm.DB) error { return insert(tx, 1000) }); err != nil {
		return 0, err // rolled back: nothing queued
	}
	return queued, nil
}

// AlertToSend is a claimed delivery with what deciding how to send it needs.
type AlertToSend struct {
	AlertDelivery
	Sub          *AlertSubscription // nil: the worker has no settings any more
	OpenID       string
	Granted      bool // a WeChat subscribe message of the alert kind is allowed
	Gig          Gig
	CategoryName string
	phoneCipher  string
}

// GigOpen tells whether the gig still takes workers today.
func (a *AlertToSend) GigOpen(now time.Time) bool {
	return a.Gig.Status == GigPublished && a.Gig.EndDate >= now.In(Shanghai).Format(dateLayout)
}

// alertClaim bounds a claim when the sender has no deadline of its own.
const alertClaim = 2 * time.Minute

// ClaimAlerts takes up to limit due deliveries for one sender run until the given time — past the end of
// the run's lease by the longest a send takes, so that no send outlives its claim. One UPDATE claims the batch under a fresh token: two runs
// reading the same due rows each get only the rows their own token won.
func (s *Store) ClaimAlerts(ctx context.Context, until time.Time, limit int) ([]AlertToSend, error) {
	now := s.Now()
	if until.Before(now) || until.After(now.Add(alertClaim)) {
		until = now.Add(alertClaim)
	}
	db := s.DB.WithContext(ctx)
	var ids []uint64
	if err := db.Model(&AlertDelivery{}).Where("status = ? AND next_attempt_at <= ?", AlertPending, now).
		Order("next_attempt_at, id").Limit(limit).Pluck("id", &ids).Error; err != nil {
		return nil, dbErr(err)
	}
	if len(ids) == 0 {
		return nil, nil
	}
	token, err := randomToken()
	if err != nil {
		return nil, err
	}
	if err := db.Model(&AlertDelivery{}).Where("id IN ? AND status = ? AND next_attempt_at <= ?", ids, AlertPending, now).
		Updates(map[string]any{"claim_token": token, "next_attempt_at": until}).Error; err != nil {
		return nil, dbErr(err)
	}
	var claimed []AlertDelivery
	if err := db.Where("id IN ? AND claim_token = ? AND status = ?", ids, token, AlertPending).Order("id").Find(&claimed).Error; err != nil {
		return nil, dbErr(err)
	}
	return s.alertsToSend(db, claimed)
}

// alertsToSend reads what deciding how to send each claimed alert needs, a statement per kind for the whole
// batch: at 06:00, or after a burst of approvals, thousands are due at once.
func (s *Store) alertsToSend(db *gorm.DB, claimed []AlertDelivery) ([]AlertToSend, error) {
	var workerIDs, gigIDs []uint64
	for _, d := range claimed {
		workerIDs, gigIDs = append(workerIDs, d.WorkerID), append(gigIDs, d.GigID)
	}
	workerIDs, gigIDs = uniqueIDs(workerIDs), uniqueIDs(gigIDs)
	var subs []AlertSubscription
	if err := db.Where("user_id IN ?", workerIDs).Find(&subs).Error; err != nil {
		return nil, dbErr(err)
	}
	subOf := map[uint64]*AlertSubscription{}
	for i := range subs {
		subOf[subs[i].UserID] = &subs[i]
	}
	var users []User
	if err := db.Select("id, open_id, phone_cipher, disabled_at").Where("id IN ?", workerIDs).Find(&users).Error; err != nil {
		return nil, dbErr(err)
	}
	userOf := map[uint64]*User{}
	for i := range users {
		userOf[users[i].ID] = &users[i]
	}
	var gigs []Gig
	if err := db.Where("id IN ?", gigIDs).Find(&gigs).Error; err != nil {
		return nil, dbErr(err)
	}
	gigOf := map[uint64]*Gig{}
	var categoryIDs []uint64
	for i := range gigs {
		gigOf[gigs[i].ID] = &gigs[i]
		categoryIDs = append(categoryIDs, gigs[i].CategoryID)
	}
	var categories []Category
	if err := db.Select("id, name").Where("id IN ?", uniqueIDs(categoryIDs)).Find(&categories).Error; err != nil {
		return nil, dbErr(err)
	}
	categoryName := map[uint64]string{}
	for _, c := range categories {
		categoryName[c.ID] = c.Name
	}
	var granted []uint64
	if err := db.Model(&SubscriptionGrant{}).Where("user_id IN ? AND template_key = ? AND remaining > 0", workerIDs, MsgJobAlert).
		Distinct().Pluck("user_id", &granted).Error; err != nil {
		return nil, dbErr(err)
	}
	out := make([]AlertToSend, 0, len(claimed))
	for _, d := range claimed {
		a := AlertToSend{AlertDelivery: d, Sub: subOf[d.WorkerID], Granted: slices.Contains(granted, d.WorkerID)}
		if u := userOf[d.WorkerID]; u != nil && u.DisabledAt == nil {
			a.OpenID, a.phoneCipher = u.OpenID, u.PhoneCipher
		} else {
			a.Sub = nil // a disabled or deleted account is told nothing
		}
		// A gig that is gone reads as closed (GigOpen is false), and its alert is skipped.
		if g := gigOf[d.GigID]; g != nil {
			a.Gig, a.CategoryName = *g, categoryName[g.CategoryID]
		}
		out = append(out, a)
	}
	return out, nil
}

// AlertPhone opens the worker's bound phone, only to send the SMS; "" when none is bound.
func (s *Store) AlertPhone(a *AlertToSend) (string, error) {
	return s.Crypt.Decrypt(a.phoneCipher)
}

// AlertSMSQuietUntil tells whether SMS may not be sent now (21:00–06:00 北京时间) and until when.
func AlertSMSQuietUntil(now time.Time) (time.Time, bool) {
	local := now.In(Shanghai)
	if h := local.Hour(); h >= 6 && h < 21 {
		return time.Time{}, false
	}
	morning := time.Date(local.Year(), local.Month(), local.Day(), 6, 0, 0, 0, Shanghai)
	if local.Hour() >= 21 {
		morning = morning.AddDate(0, 0, 1)
	}
	return morning, true
}

// ErrClaimLost: the delivery's claim ran out and another run holds it; this run records nothing.
var ErrClaimLost = errors.New("alert claim lost")

// settleAlert records an outcome of the claiming run, or ErrClaimLost.
func settleAlert(tx *gorm.DB, a *AlertToSend, updates map[string]any) error {
	res := tx.Model(&AlertDelivery{}).Where("id = ? AND claim_token = ? AND status = ?", a.ID, a.ClaimToken, AlertPending).
		Updates(updates)
	if res.Error != nil {
		return dbErr(res.Error)
	}
	if res.RowsAffected == 0 {
		return ErrClaimLost
	}
	return nil
}

// AlertSent records a sent alert; a WeChat send uses up one of the worker's grants with it.
func (s *Store) AlertSent(ctx context.Context, a *AlertToSend, channel string) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		now := s.Now()
		if err := settleAlert(tx, a, map[string]any{"status": AlertSent, "channel": channel, "sent_at": now,
			"sent_day": now.In(Shanghai).Format(dateLayout), "attempts": a.Attempts + 1, "reason": "", "claim_token": ""}); err != nil {
			return err
		}
		if channel != AlertByWeChat {
			return nil
		}
		return dbErr(tx.Model(&SubscriptionGrant{}).Where("user_id = ? AND template_key = ? AND remaining > 0", a.WorkerID, MsgJobAlert).
			Updates(map[string]any{"remaining": gorm.Expr("remaining - 1"), "updated_at": now}).Error)
	})
}

// SkipAlert records an alert that will not be sent, and why.
func (s *Store) SkipAlert(ctx context.Context, a *AlertToSend, reason string) error {
	return settleAlert(s.DB.WithContext(ctx), a, map[string]any{"status": AlertSkipped, "reason": truncate(reason, 250), "claim_token": ""})
}

// FailAlert records an alert that failed for good.
func (s *Store) FailAlert(ctx context.Context, a *AlertToSend, reason string) error {
	return settleAlert(s.DB.WithContext(ctx), a, map[string]any{"status": AlertFailed, "attempts": a.Attempts + 1,
		"reason": truncate(reason, 250), "claim_token": ""})
}

// RetryAlert tries again later after a passing failure, or gives up after the last try.
func (s *Store) RetryAlert(ctx context.Context, a *AlertToSend, reason string) error {
	if a.Attempts >= len(outboxBackoff) {
		return s.FailAlert(ctx, a, "gave up: "+reason)
	}
	return settleAlert(s.DB.WithContext(ctx), a, map[string]any{"attempts": a.Attempts + 1, "reason": truncate(reason, 250),
		"next_attempt_at": s.Now().Add(outboxBackoff[a.Attempts]), "claim_token": ""})
}

// HoldAlert puts an alert off until a time without counting a try: SMS held overnight, WeChat asking to slow down.
func (s *Store) HoldAlert(ctx context.Context, a *AlertToSend, until time.Time, reason string) error {
	return settleAlert(s.DB.WithContext(ctx), a, map[string]any{"next_attempt_at": until, "reason": truncate(reason, 250), "claim_token": ""})
}

// TakeAlertSMS spends one of the worker's alert SMS of the day, decided in the database: alerts of one worker
// sent at once by two instances queue on the quota row and cannot both slip under the limit.
func (s *Store) TakeAlertSMS(ctx context.Context, workerID uint64, at time.Time) (bool, error) {
	return takeDaily(s.DB.WithContext(ctx), workerID, QuotaAlertSMS, at, AlertSMSPerDay, 0, 0)
}

// ReturnAlertSMS gives back an SMS taken at for a send that did not go out, to the day it was taken from.
func (s *Store) ReturnAlertSMS(ctx context.Context, workerID uint64, at time.Time) error {
	return giveBackDaily(s.DB.WithContext(ctx), workerID, QuotaAlertSMS, at)
}

// DropAlertGrant records that WeChat said the worker has no alert send left.
func (s *Store) DropAlertGrant(ctx context.Context, workerID uint64) error {
	return dbErr(s.DB.WithContext(ctx).Model(&SubscriptionGrant{}).Where("user_id = ? AND template_key = ?", workerID, MsgJobAlert).
		Update("remaining", 0).Error)
}

// OpenAlert records that the worker opened the gig from an alert they were sent, and tells which gig.
func (s *Store) OpenAlert(ctx context.Context, workerID, deliveryID uint64) (uint64, error) {
	db := s.DB.WithContext(ctx)
	var d AlertDelivery
	if err := db.Where("id = ? AND worker_id = ? AND status = ?", deliveryID, workerID, AlertSent).Take(&d).Error; err != nil {
		return 0, dbErr(err)
	}
	if err := db.Model(&AlertDelivery{}).Where("id = ? AND opened_at IS NULL", d.ID).Update("opened_at", s.Now()).Error; err != nil {
		return 0, dbErr(err)
	}
	return d.GigID, nil
}

// SentAlert is an alert a worker was sent, as their list of recent alerts shows it.
type SentAlert struct {
	ID        uint64
	GigID     uint64
	Title     string
	WageCents int64
	WageUnit  string
	StartDate string
	Channel   string
	SentAt    time.Time
	Opened    bool
}

// RecentAlerts lists the alerts sent to a worker, newest first: where someone told by SMS opens the gig (and
// counts as having opened the alert).
func (s *Store) RecentAlerts(ctx context.Context, workerID uint64, limit int) ([]SentAlert, error) {
	out := []SentAlert{}
	err := s.DB.WithContext(ctx).Table("alert_deliveries").
		Select("alert_deliveries.id, alert_deliveries.gig_id, gigs.title, gigs.wage_cents, gigs.wage_unit, gigs.start_date, "+
			"alert_deliveries.channel, alert_deliveries.sent_at, alert_deliveries.opened_at IS NOT NULL AS opened").
		Joins("JOIN gigs ON gigs.id = alert_deliveries.gig_id").
		Where("alert_deliveries.worker_id = ? AND alert_deliveries.status = ?", workerID, AlertSent).
		Order("alert_deliveries.sent_at DESC, alert_deliveries.id DESC").Limit(limit).Scan(&out).Error
	return out, dbErr(err)
}
