package model_test

import (
	"context"
	"errors"
	"gorm.io/gorm"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"lingong/model"
	"lingong/model/modeltest"
)

func alertsOn(t *testing.T, s *model.Store, w *model.User, in model.AlertInput) {
	t.Helper()
	if _, err := s.SaveAlerts(ctx, w.ID, shown(t, s, w.ID, in)); err != nil {
		t.Fatal(err)
	}
}

// shown is in as saved from a page read just now: with the settings' current SMS token.
func shown(t *testing.T, s *model.Store, userID uint64, in model.AlertInput) model.AlertInput {
	t.Helper()
	cur, err := s.Alerts(ctx, userID)
	if err != nil {
		t.Fatal(err)
	}
	in.SMSToken = cur.SMSToken
	return in
}

var nearHome = model.AlertInput{CategoryIDs: []uint64{1}, Place: model.AlertPlaceHome, RadiusM: 5000, Enabled: true}

// Settings are checked all at once, in words a worker can act on; SMS needs a bound phone and the worker's own yes.
func TestAlertSettingsRules(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		w := newWorker(t, s, "w", 1)
		got, err := s.Alerts(ctx, w.ID)
		if err != nil || got.Saved || got.Place != model.AlertPlaceHome || got.RadiusM != 5000 || !slices.Equal(got.CategoryIDs, []uint64{1, 2}) || got.Enabled {
			t.Fatalf("defaults before the first save: %+v, %v", got, err)
		}
		_, err = s.SaveAlerts(ctx, w.ID, model.AlertInput{CategoryIDs: []uint64{1, 999}, Place: "moon", RadiusM: 50, EarliestAt: "7点",
			SMSConsent: true, Enabled: true})
		var inv *model.InvalidInput
		if !errors.As(err, &inv) || len(inv.Fields) != 5 {
			t.Fatalf("every bad field at once (trades, place, radius, time, sms without a phone): %v", err)
		}
		in := nearHome
		in.SMSConsent = true
		if _, err := s.SaveAlerts(ctx, w.ID, in); !errors.As(err, &inv) || inv.Fields[0].Field != "sms_consent" {
			t.Fatalf("SMS without a bound phone: %v", err)
		}
		if _, err := s.BindPhone(ctx, w.ID, "13812345678"); err != nil {
			t.Fatal(err)
		}
		got, err = s.SaveAlerts(ctx, w.ID, shown(t, s, w.ID, in))
		if err != nil || !got.Saved || !got.SMSConsent || got.SMSConsentAt == nil || got.Lat != 31.86 {
			t.Fatalf("saved: %+v, %v", got, err)
		}

		// A family delegate changes the settings, may take SMS back, never gives it.
		family := signIn(t, s, "family")
		code, _, err := s.InviteDelegate(ctx, w.ID)
		if err != nil {
			t.Fatal(err)
		}
		stranger := signIn(t, s, "stranger")
		if _, err := s.AlertsFor(ctx, stranger.ID, w.ID); !errors.Is(err, model.ErrNotFound) {
			t.Fatalf("a stranger reads the alerts: %v", err)
		}
		if _, err := s.AcceptDelegation(ctx, family.ID, code); err != nil {
			t.Fatal(err)
		}
		off := in
		off.SMSConsent = false
		if got, err = s.SaveAlertsFor(ctx, family.ID, w.ID, off); err != nil || got.SMSConsent {
			t.Fatalf("delegate takes SMS back: %+v, %v", got, err)
		}
		if _, err := s.SaveAlertsFor(ctx, family.ID, w.ID, in); !errors.As(err, &inv) || inv.Fields[0].Field != "sms_consent" {
			t.Fatalf("delegate gives SMS consent: %v", err)
		}

		// 退订 from the bound phone stops SMS until the worker says yes again.
		if got, err = s.SaveAlerts(ctx, w.ID, shown(t, s, w.ID, in)); err != nil || !got.SMSConsent {
			t.Fatal(got, err)
		}
		if stopped, err := s.StopAlertSMS(ctx, "13812345678"); err != nil || !stopped {
			t.Fatalf("退订: %v %v", stopped, err)
		}
		if got, _ = s.Alerts(ctx, w.ID); got.SMSConsent || got.SMSStoppedAt == nil || !got.Enabled {
			t.Fatalf("after 退订 (alerts stay on, SMS off): %+v", got)
		}
		if stopped, err := s.StopAlertSMS(ctx, "13900000000"); err != nil || stopped {
			t.Fatalf("退订 from an unknown phone: %v %v", stopped, err)
		}
	})
}

// The index finds the same workers as matching every subscription one by one, on random data, and stays
// right as settings change through the feed.
func TestAlertIndexAgreesWithScan(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		rng := rand.New(rand.NewPCG(15, 1))
		now := s.Now()
		randomSub := func(id uint64) model.AlertSubscription {
			sub := model.AlertSubscription{UserID: id, Lat: 31.80 + rng.Float64()*0.2, Lng: 117.20 + rng.Float64()*0.2,
				RadiusM: model.AlertRadiusMin + rng.IntN(model.AlertRadiusMax-model.AlertRadiusMin), Place: model.AlertPlaceHome,
				DailyPay: rng.IntN(3) == 0, Enabled: rng.IntN(5) != 0, CategoryIDs: []uint64{}, CreatedAt: now, UpdatedAt: now}
			for c := uint64(1); c <= 4; c++ {
				if rng.IntN(3) == 0 {
					sub.CategoryIDs = append(sub.CategoryIDs, c)
				}
			}
			if rng.IntN(3) == 0 {
				sub.EarliestAt = []string{"06:00", "07:30", "09:00"}[rng.IntN(3)]
			}
			return sub
		}
		subs := make([]model.AlertSubscription, 600)
		for i := range subs {
			subs[i] = randomSub(uint64(i + 1))
		}
		if err := s.DB.CreateInBatches(subs, 200).Error; err != nil {
			t.Fatal(err)
		}
		idx := model.NewAlertIndex(s)
		if err := idx.Load(ctx); err != nil {
			t.Fatal(err)
		}
		compare := func(round string) {
			t.Helper()
			found := 0
			for range 300 {
				g := &model.Gig{CategoryID: uint64(1 + rng.IntN(5)), Lat: 31.78 + rng.Float64()*0.24, Lng: 117.18 + rng.Float64()*0.24,
					Settlement: []string{model.SettleDaily, model.SettleCompletion}[rng.IntN(2)],
					WorkHours:  []string{"", "06:30-12:00", "08:00-17:00"}[rng.IntN(3)]}
				want, err := s.ScanAlerts(ctx, g)
				if err != nil {
					t.Fatal(err)
				}
				if got := idx.Match(g); !slices.Equal(got, want) {
					t.Fatalf("%s: gig %+v: index %v, scan %v", round, g, got, want)
				}
				found += len(want)
			}
			if found == 0 {
				t.Fatalf("%s: no gig matched anyone: the comparison proves nothing", round)
			}
		}
		compare("loaded")
		// A third of the settings change (moved, widened, switched off or on), and the feed names them.
		var changed []uint64
		for i := range subs {
			if rng.IntN(3) == 0 {
				sub := randomSub(subs[i].UserID)
				if err := s.DB.Save(&sub).Error; err != nil {
					t.Fatal(err)
				}
				changed = append(changed, sub.UserID)
			}
		}
		if err := idx.Follow(ctx, model.Changes{Alerts: changed}); err != nil {
			t.Fatal(err)
		}
		compare("followed")
	})
}

// Two instances matching the same approvals at once, with many goroutines each and retries after, queue one
// alert per worker and gig.
func TestOneAlertPerWorkerAndGig(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		var workers []*model.User
		for i := range 12 {
			w := newWorker(t, s, "w"+string(rune('a'+i)), i+1)
			alertsOn(t, s, w, nearHome)
			workers = append(workers, w)
		}
		far := newWorker(t, s, "far", 50)
		in := nearHome
		in.CategoryIDs = []uint64{3} // another trade
		alertsOn(t, s, far, in)
		emp := newEmployer(t, s, "boss", "340104")
		gigs := []*model.Gig{publishedGig(t, s, emp, 3, model.HireFirstCome), publishedGig(t, s, emp, 3, model.HireSelect)}

		instances := []*model.AlertIndex{model.NewAlertIndex(s), model.NewAlertIndex(s)}
		for _, idx := range instances {
			if err := idx.Load(ctx); err != nil {
				t.Fatal(err)
			}
		}
		passes(s, model.AlertSettle)
		var wg sync.WaitGroup
		for i := range 16 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				idx := instances[i%2]
				if _, _, err := s.MatchApprovedGigs(ctx, idx, 10, nil); err != nil {
					t.Error(err)
				}
				// A retry of a gig already matched (a run cut off before recording it) queues nothing new.
				if _, err := s.MatchGig(ctx, idx, gigs[i%2].ID, nil); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		var rows []model.AlertDelivery
		if err := s.DB.Order("gig_id, worker_id").Find(&rows).Error; err != nil {
			t.Fatal(err)
		}
		if len(rows) != len(workers)*len(gigs) {
			t.Fatalf("%d deliveries, want %d (one per worker and gig)", len(rows), len(workers)*len(gigs))
		}
		for _, r := range rows {
			if r.WorkerID == far.ID {
				t.Fatalf("a worker of another trade was told: %+v", r)
			}
		}
	})
}

// Alerts of one worker sent at once by many senders spend at most AlertSMSPerDay SMS a day.
func TestAlertSMSDailyCapUnderConcurrency(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		w := newWorker(t, s, "w", 1)
		var wg sync.WaitGroup
		var mu sync.Mutex
		taken := 0
		for range 20 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				ok, err := s.TakeAlertSMS(ctx, w.ID, s.Now())
				if err != nil {
					t.Error(err)
				}
				if ok {
					mu.Lock()
					taken++
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		if taken != model.AlertSMSPerDay {
			t.Fatalf("%d SMS taken, want %d", taken, model.AlertSMSPerDay)
		}
		// One given back (a send that failed) can be taken again; the next day starts afresh.
		if err := s.ReturnAlertSMS(ctx, w.ID, s.Now()); err != nil {
			t.Fatal(err)
		}
		if ok, _ := s.TakeAlertSMS(ctx, w.ID, s.Now()); !ok {
			t.Fatal("a returned SMS could not be taken again")
		}
		if ok, _ := s.TakeAlertSMS(ctx, w.ID, s.Now()); ok {
			t.Fatal("a fourth SMS the same day")
		}
		now := s.Now
		s.Now = func() time.Time { return now().Add(24 * time.Hour) }
		defer func() { s.Now = now }()
		if ok, _ := s.TakeAlertSMS(ctx, w.ID, s.Now()); !ok {
			t.Fatal("no SMS the next day")
		}
	})
}

// Two sender runs claiming the same due alerts each get a share, none both.
func TestAlertClaimsDoNotOverlap(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		now := s.Now()
		rows := make([]model.AlertDelivery, 200)
		for i := range rows {
			rows[i] = model.AlertDelivery{WorkerID: uint64(i + 1), GigID: 1, Status: model.AlertPending, NextAttemptAt: now, CreatedAt: now}
		}
		if err := s.DB.Create(&rows).Error; err != nil {
			t.Fatal(err)
		}
		emp := newEmployer(t, s, "boss", "340104")
		g := publishedGig(t, s, emp, 3, model.HireFirstCome)
		if err := s.DB.Model(&model.AlertDelivery{}).Where("1 = 1").Update("gig_id", g.ID).Error; err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		var mu sync.Mutex
		seen := map[uint64]int{}
		for range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				// Each run claims on until it finds nothing due; a batch another run won is simply not its own.
				for range 50 {
					got, err := s.ClaimAlerts(ctx, time.Time{}, 30)
					if err != nil {
						t.Error(err)
						return
					}
					mu.Lock()
					for _, a := range got {
						seen[a.ID]++
					}
					done := len(seen) == len(rows)
					mu.Unlock()
					if done {
						return
					}
				}
			}()
		}
		wg.Wait()
		if len(seen) != len(rows) {
			t.Fatalf("%d of %d claimed", len(seen), len(rows))
		}
		for id, n := range seen {
			if n != 1 {
				t.Fatalf("alert %d claimed %d times", id, n)
			}
		}
	})
}

func TestAlertSMSQuietHours(t *testing.T) {
	at := func(h, m int) time.Time { return time.Date(2026, 11, 28, h, m, 0, 0, model.Shanghai) }
	for _, c := range []struct {
		now   time.Time
		quiet bool
		until time.Time
	}{
		{at(5, 59), true, at(6, 0)},
		{at(6, 0), false, time.Time{}},
		{at(20, 59), false, time.Time{}},
		{at(21, 0), true, at(6, 0).AddDate(0, 0, 1)},
		{at(23, 30).UTC(), true, at(6, 0).AddDate(0, 0, 1)},
	} {
		until, quiet := model.AlertSMSQuietUntil(c.now)
		if quiet != c.quiet || !until.Equal(c.until) {
			t.Errorf("%v: quiet %v until %v; want %v until %v", c.now, quiet, until, c.quiet, c.until)
		}
	}
}

// A lone approval is matched at full speed; a backlog keeps the pace between its batches.
func TestAlertBacklogIsPaced(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		w := newWorker(t, s, "w", 1)
		alertsOn(t, s, w, nearHome)
		emp := newEmployer(t, s, "boss", "340104")
		idx := model.NewAlertIndex(s)
		if err := idx.Load(ctx); err != nil {
			t.Fatal(err)
		}
		paced := 0
		pace := func(_ context.Context, rows int) error { paced += rows; return nil }
		publishedGig(t, s, emp, 3, model.HireFirstCome)
		if gigs, _, err := s.MatchApprovedGigs(ctx, idx, 10, pace); err != nil || gigs != 0 {
			t.Fatalf("matched %d gigs (%v) before the instances' indexes could follow the approval", gigs, err)
		}
		passes(s, model.AlertSettle)
		if gigs, n, err := s.MatchApprovedGigs(ctx, idx, 10, pace); err != nil || gigs != 1 || n != 1 || paced != 0 {
			t.Fatalf("a lone approval: %d gigs, %d alerts, %d paced, %v", gigs, n, paced, err)
		}
		publishedGig(t, s, emp, 3, model.HireFirstCome)
		publishedGig(t, s, emp, 3, model.HireFirstCome)
		passes(s, model.AlertSettle)
		if gigs, n, err := s.MatchApprovedGigs(ctx, idx, 10, pace); err != nil || gigs != 2 || n != 2 || paced != 2 {
			t.Fatalf("a backlog of two: %d gigs, %d alerts, %d paced, %v", gigs, n, paced, err)
		}
	})
}

// Alerts never sent are purged once old; sent ones stay for the figures.
func TestOldUnsentAlertsArePurged(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		now := s.Now()
		old := now.Add(-model.AlertUnsentKeep - time.Hour)
		rows := []model.AlertDelivery{
			{WorkerID: 1, GigID: 1, Status: model.AlertSkipped, NextAttemptAt: old, CreatedAt: old},
			{WorkerID: 2, GigID: 1, Status: model.AlertFailed, NextAttemptAt: old, CreatedAt: old},
			{WorkerID: 3, GigID: 1, Status: model.AlertSent, NextAttemptAt: old, CreatedAt: old, SentDay: "2026-01-01"},
			{WorkerID: 4, GigID: 1, Status: model.AlertSkipped, NextAttemptAt: now, CreatedAt: now},
			{WorkerID: 5, GigID: 1, Status: model.AlertPending, NextAttemptAt: old, CreatedAt: old},
		}
		if err := s.DB.Create(&rows).Error; err != nil {
			t.Fatal(err)
		}
		if _, err := s.PurgeFinished(ctx); err != nil {
			t.Fatal(err)
		}
		var left []uint64
		s.DB.Model(&model.AlertDelivery{}).Order("worker_id").Pluck("worker_id", &left)
		if !slices.Equal(left, []uint64{3, 4, 5}) {
			t.Fatalf("left %v, want the sent, the fresh and the pending ones (3, 4, 5)", left)
		}
	})
}

// A 退订 reply that commits while the worker's settings are being saved stands: the save reads consent again,
// locked, and keeps it off (MySQL: on SQLite a transaction holds the whole database, so nothing commits between).
func TestAlertSaveKeepsAStopThatCameMeanwhile(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		if s.Dialect != "mysql" {
			t.Skip("SQLite runs one writing transaction at a time: nothing commits between the read and the save")
		}
		w := newWorker(t, s, "w", 1)
		if _, err := s.BindPhone(ctx, w.ID, "13812345678"); err != nil {
			t.Fatal(err)
		}
		in := nearHome
		in.SMSConsent = true
		alertsOn(t, s, w, in)
		fired := false
		if err := s.DB.Callback().Query().Before("gorm:query").Register("test:stop_meanwhile", func(db *gorm.DB) {
			if _, locking := db.Statement.Clauses["FOR"]; locking && db.Statement.Table == "alert_subscriptions" && !fired {
				fired = true
				if _, err := s.StopAlertSMS(ctx, "13812345678"); err != nil {
					t.Error(err)
				}
			}
		}); err != nil {
			t.Fatal(err)
		}
		in = shown(t, s, w.ID, in)
		in.RadiusM = 8000 // the page still shows consent on: the save is refused, nothing changes
		if _, err := s.SaveAlerts(ctx, w.ID, in); !errors.Is(err, model.ErrSMSStoppedByReply) {
			t.Fatalf("a save during a 退订: %v", err)
		}
		got, _ := s.Alerts(ctx, w.ID)
		if !fired || got.SMSConsent || got.SMSStoppedAt == nil || got.RadiusM != 5000 {
			t.Fatalf("after a 退订 during the save: fired %v, consent %v, stopped %v, radius %d", fired, got.SMSConsent, got.SMSStoppedAt, got.RadiusM)
		}
	})
}

// Consent to SMS was given for a number: binding another ends it (WeChat alerts go on, the settings show SMS
// off), and the worker agrees again for the new one. Binding the same number again changes nothing.
func TestAlertSMSConsentEndsWithANewPhone(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		w := newWorker(t, s, "w", 1)
		if _, err := s.BindPhone(ctx, w.ID, "13812345678"); err != nil {
			t.Fatal(err)
		}
		in := nearHome
		in.SMSConsent = true
		alertsOn(t, s, w, in)
		if _, err := s.BindPhone(ctx, w.ID, "13812345678"); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.Alerts(ctx, w.ID); !got.SMSConsent {
			t.Fatalf("the same number bound again ended consent: %+v", got)
		}
		other := signIn(t, s, "other")
		if _, err := s.BindPhone(ctx, other.ID, "13700000000"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.BindPhone(ctx, w.ID, "13700000000"); !errors.Is(err, model.ErrPhoneTaken) {
			t.Fatalf("a taken number: %v", err)
		}
		if got, _ := s.Alerts(ctx, w.ID); !got.SMSConsent {
			t.Fatalf("a refused bind ended consent: %+v", got)
		}

		if _, err := s.BindPhone(ctx, w.ID, "13999998888"); err != nil {
			t.Fatal(err)
		}
		got, err := s.Alerts(ctx, w.ID)
		if err != nil || got.SMSConsent || !got.Enabled || !got.HasPhone || got.SMSStoppedAt != nil {
			t.Fatalf("after a new number (SMS off, alerts on, not a 退订): %+v, %v", got, err)
		}
		if wanted, err := s.AlertSMSStillWanted(ctx, w.ID); err != nil || wanted {
			t.Fatalf("an SMS queued before the new number would still go: %v %v", wanted, err)
		}
		// The new number agrees, on a page read after the change.
		in.SMSToken = got.SMSToken
		if got, err = s.SaveAlerts(ctx, w.ID, in); err != nil || !got.SMSConsent {
			t.Fatalf("consent for the new number: %+v, %v", got, err)
		}
	})
}

// A page read before a 退订 still says yes to SMS: saving it is refused with nothing changed, so the worker sees
// SMS off and, to have it, says yes again on the page as it is now. Other changes from that page still save.
func TestAlertSMSYesFromAPageReadBeforeTheStop(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		w := newWorker(t, s, "w", 1)
		if _, err := s.BindPhone(ctx, w.ID, "13812345678"); err != nil {
			t.Fatal(err)
		}
		in := nearHome
		in.SMSConsent = true
		if _, err := s.SaveAlerts(ctx, w.ID, in); !errors.Is(err, model.ErrSMSConsentStale) {
			t.Fatalf("a yes without the page's token: %v", err)
		}
		alertsOn(t, s, w, in)
		page := shown(t, s, w.ID, in) // read while SMS is on
		if _, err := s.StopAlertSMS(ctx, "13812345678"); err != nil {
			t.Fatal(err)
		}
		page.RadiusM = 8000
		if _, err := s.SaveAlerts(ctx, w.ID, page); !errors.Is(err, model.ErrSMSStoppedByReply) {
			t.Fatalf("the old page's yes after a 退订: %v", err)
		}
		got, _ := s.Alerts(ctx, w.ID)
		if got.SMSConsent || got.SMSStoppedAt == nil || got.RadiusM != 5000 {
			t.Fatalf("the refused save changed something: %+v", got)
		}
		if wanted, _ := s.AlertSMSStillWanted(ctx, w.ID); wanted {
			t.Fatal("SMS wanted again")
		}
		off := page
		off.SMSConsent = false
		if got, err := s.SaveAlerts(ctx, w.ID, off); err != nil || got.SMSConsent || got.RadiusM != 8000 {
			t.Fatalf("the old page saying no: %+v, %v", got, err)
		}
		again := shown(t, s, w.ID, page)
		if got, err := s.SaveAlerts(ctx, w.ID, again); err != nil || !got.SMSConsent || got.SMSStoppedAt != nil || !got.SMSConsentAt.After(time.Time{}) {
			t.Fatalf("yes again from the page after the 退订: %+v, %v", got, err)
		}
	})
}

// passes moves the store's clock on by d, as if that much time went by.
func passes(s *model.Store, d time.Duration) {
	now := s.Now
	s.Now = func() time.Time { return now().Add(d) }
}
