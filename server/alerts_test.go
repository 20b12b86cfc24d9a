package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"lingong/handler/wechat"
	"lingong/handler/wechat/wechattest"
	"lingong/model"
	"lingong/model/modeltest"
	"lingong/server/tencentsms"
)

// fakeSMS records what would have gone to Tencent, and answers err when set.
type fakeSMS struct {
	mu   sync.Mutex
	sent []string // phone|params
	err  error
}

func (f *fakeSMS) Send(_ context.Context, phone string, params []string, _ string) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err != nil {
		return "", f.err
	}
	f.sent = append(f.sent, phone+"|"+strings.Join(params, ","))
	return fmt.Sprintf("serial-%d", len(f.sent)), nil
}

func (f *fakeSMS) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.sent)
}

// alertWorld is a city with one employer, workers with alerts, the real WeChat client on the fake WeChat and
// a fake SMS, on a clock the test moves.
type alertWorld struct {
	t      *testing.T
	s      *model.Store
	fake   *wechattest.Fake
	sms    *fakeSMS
	sender *alertSender
	index  *model.AlertIndex
	clock  time.Time
	boss   uint64
	seq    int
}

func newAlertWorld(t *testing.T, s *model.Store, at time.Time) *alertWorld {
	ctx := context.Background()
	w := &alertWorld{t: t, s: s, sms: &fakeSMS{}, clock: at}
	s.Now = func() time.Time { return w.clock }
	w.fake = wechattest.Start(t, "wx-a", "secret-a")
	client, err := wechat.New(wechat.Config{AppID: "wx-a", AppSecret: "secret-a", APIBase: w.fake.URL, Backoff: []time.Duration{}})
	if err != nil {
		t.Fatal(err)
	}
	tmpl := wechat.Template{ID: "T-ALERT", Fields: map[string]string{"gig": "thing1", "wage": "thing2", "date": "date3", "place": "thing4"}}
	w.sender = &alertSender{store: s, wechat: client, templates: wechat.Templates{model.MsgJobAlert: tmpl}, sms: w.sms,
		log: slog.New(slog.DiscardHandler)}
	w.index = model.NewAlertIndex(s)
	login, err := s.SignIn(ctx, model.WeChatLogin{OpenID: "o-boss", SessionKey: "k"}, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	e, err := s.SaveEmployer(ctx, login.User.ID, model.EmployerInput{Kind: model.EmployerPerson, LegalName: "李大海",
		IDNumber: modeltest.IDNumber("19800101", 900), ContactName: "李先生", ContactPhone: "13900001111", AreaCode: "340104"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.DecideEmployer(ctx, model.Scope{All: true, UserID: 999_999}, e.ID, true, ""); err != nil {
		t.Fatal(err)
	}
	w.boss = login.User.ID
	return w
}

// worker registers a worker near the gigs with alerts on; phone "" binds none.
func (w *alertWorld) worker(phone string, smsConsent bool) uint64 {
	w.t.Helper()
	ctx := context.Background()
	w.seq++
	login, err := w.s.SignIn(ctx, model.WeChatLogin{OpenID: fmt.Sprintf("o-w%d", w.seq), SessionKey: "k"}, time.Hour)
	if err != nil {
		w.t.Fatal(err)
	}
	id := login.User.ID
	if _, err := w.s.SaveWorker(ctx, id, model.WorkerInput{Name: "王建国", IDNumber: modeltest.IDNumber("19650315", w.seq), SkillIDs: []uint64{1},
		ExpectedWageCents: 200_00, AvailableDays: 0x7f, Home: &model.Place{Lat: 31.86, Lng: 117.28, Address: "合肥市蜀山区"}}); err != nil {
		w.t.Fatal(err)
	}
	if phone != "" {
		if _, err := w.s.BindPhone(ctx, id, phone); err != nil {
			w.t.Fatal(err)
		}
	}
	shown, err := w.s.Alerts(ctx, id)
	if err != nil {
		w.t.Fatal(err)
	}
	if _, err := w.s.SaveAlerts(ctx, id, model.AlertInput{CategoryIDs: []uint64{1}, Place: model.AlertPlaceHome, RadiusM: 5000,
		Enabled: true, SMSConsent: smsConsent, SMSToken: shown.SMSToken}); err != nil {
		w.t.Fatal(err)
	}
	return id
}

// approve posts and approves a gig near the workers and runs the matcher, as the match-alerts job does.
func (w *alertWorld) approve() uint64 {
	w.t.Helper()
	ctx := context.Background()
	day := w.clock.In(model.Shanghai).AddDate(0, 0, 1).Format("2006-01-02")
	g, err := w.s.CreateGig(ctx, w.boss, model.GigInput{Title: "小区搬家工", CategoryID: 1, Description: "搬家具，日结", Headcount: 3,
		WageCents: 250_00, WageUnit: model.WageDay, Settlement: model.SettleDaily, StartDate: day, EndDate: day,
		WorkHours: "08:00-17:00", Address: "合肥市蜀山区长江西路100号", Lat: 31.8612, Lng: 117.2830, AreaCode: "340104",
		ContactPhone: "13900001111", HiringMode: model.HireFirstCome})
	if err != nil {
		w.t.Fatal(err)
	}
	if _, err := w.s.DecideGig(ctx, model.Scope{All: true, UserID: 999_999}, g.ID, true, ""); err != nil {
		w.t.Fatal(err)
	}
	if err := w.index.Load(ctx); err != nil {
		w.t.Fatal(err)
	}
	w.clock = w.clock.Add(model.AlertSettle)
	if _, _, err := w.s.MatchApprovedGigs(ctx, w.index, 10, nil); err != nil {
		w.t.Fatal(err)
	}
	return g.ID
}

func (w *alertWorld) run() {
	w.t.Helper()
	if err := w.sender.sendDue(context.Background()); err != nil {
		w.t.Fatal(err)
	}
}

func (w *alertWorld) delivery(worker, gig uint64) model.AlertDelivery {
	w.t.Helper()
	var d model.AlertDelivery
	if err := w.s.DB.Take(&d, "worker_id = ? AND gig_id = ?", worker, gig).Error; err != nil {
		w.t.Fatal(err)
	}
	return d
}

func shanghai(day, h, m int) time.Time { return time.Date(2026, 11, day, h, m, 0, 0, model.Shanghai) }

// An alert approved at 22:00 for a worker reachable only by SMS is held, not dropped, and sent at 06:00.
func TestAlertSMSHeldOvernight(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		w := newAlertWorld(t, s, shanghai(27, 22, 0))
		worker := w.worker("13812345678", true)
		gig := w.approve()
		w.run()
		d := w.delivery(worker, gig)
		if w.sms.count() != 0 || d.Status != model.AlertPending || !d.NextAttemptAt.Equal(shanghai(28, 6, 0)) || d.Attempts != 0 {
			t.Fatalf("at 22:00: %d SMS, %+v", w.sms.count(), d)
		}
		w.clock = shanghai(28, 5, 59)
		w.run()
		if w.sms.count() != 0 {
			t.Fatal("an SMS at 05:59")
		}
		w.clock = shanghai(28, 6, 0)
		w.run()
		d = w.delivery(worker, gig)
		if w.sms.count() != 1 || d.Status != model.AlertSent || d.Channel != model.AlertBySMS || d.SentDay != "2026-11-28" {
			t.Fatalf("at 06:00: %d SMS, %+v", w.sms.count(), d)
		}
		if got := w.sms.sent[0]; got != "13812345678|搬运装卸,250元/天,11月28日,合肥市蜀山区长江西路10" {
			t.Fatalf("SMS: %q", got)
		}
		w.run()
		if w.sms.count() != 1 {
			t.Fatal("sent twice")
		}
	})
}

// A worker with a WeChat grant is told by subscribe message, opening the alert page; one grant is used.
func TestAlertByWeChatWhenGranted(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		w := newAlertWorld(t, s, shanghai(27, 22, 30)) // night: a WeChat message is not an SMS, it goes at once
		worker := w.worker("13812345678", true)
		if err := s.GrantSubscriptions(context.Background(), worker, []string{model.MsgJobAlert}); err != nil {
			t.Fatal(err)
		}
		gig := w.approve()
		w.run()
		d := w.delivery(worker, gig)
		if d.Status != model.AlertSent || d.Channel != model.AlertByWeChat || w.sms.count() != 0 || w.fake.Calls(wechattest.APISubscribe) != 1 {
			t.Fatalf("by WeChat: %+v, SMS %d", d, w.sms.count())
		}
		sent := w.fake.Sent[len(w.fake.Sent)-1]
		if sent["page"] != fmt.Sprintf("pages/alerts/open?id=%d", d.ID) || sent["template_id"] != "T-ALERT" {
			t.Fatalf("message: %v", sent)
		}
		if g, _ := s.Grants(context.Background(), worker); g[model.MsgJobAlert] != 0 {
			t.Fatalf("grant not used: %v", g)
		}
	})
}

// No SMS without consent, after alerts are switched off, or after a 退订 reply — even for alerts already queued.
func TestAlertSMSRespectsConsent(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		ctx := context.Background()
		w := newAlertWorld(t, s, shanghai(27, 10, 0))
		noConsent := w.worker("13800000001", false)
		switchedOff := w.worker("13800000002", true)
		replied := w.worker("13800000003", true)
		gig := w.approve()
		if _, err := s.SaveAlerts(ctx, switchedOff, model.AlertInput{CategoryIDs: []uint64{1}, Place: model.AlertPlaceHome,
			RadiusM: 5000, Enabled: false, SMSConsent: true}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.StopAlertSMS(ctx, "13800000003"); err != nil {
			t.Fatal(err)
		}
		w.run()
		if w.sms.count() != 0 {
			t.Fatalf("SMS sent: %v", w.sms.sent)
		}
		for _, id := range []uint64{noConsent, switchedOff, replied} {
			if d := w.delivery(id, gig); d.Status != model.AlertSkipped {
				t.Fatalf("worker %d: %+v", id, d)
			}
		}
	})
}

// Five gigs in a day for one worker, sent by two instances at once: three SMS, the rest skipped, none twice.
func TestAlertSMSCapAcrossInstances(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		w := newAlertWorld(t, s, shanghai(27, 9, 0))
		worker := w.worker("13812345678", true)
		for range 5 {
			w.approve()
		}
		other := *w.sender
		var wg sync.WaitGroup
		for _, sender := range []*alertSender{w.sender, &other, w.sender, &other} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range 5 {
					if err := sender.sendDue(context.Background()); err != nil {
						t.Error(err)
					}
				}
			}()
		}
		wg.Wait()
		var rows []model.AlertDelivery
		s.DB.Where("worker_id = ?", worker).Find(&rows)
		sent, skipped := 0, 0
		for _, r := range rows {
			switch r.Status {
			case model.AlertSent:
				sent++
			case model.AlertSkipped:
				skipped++
			}
		}
		if w.sms.count() != model.AlertSMSPerDay || sent != 3 || skipped != 2 {
			t.Fatalf("%d SMS, %d sent, %d skipped; want 3, 3, 2", w.sms.count(), sent, skipped)
		}
	})
}

// Tencent being down gives the day's SMS back and tries again later; a refused number fails for good.
func TestAlertSMSProviderErrors(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		w := newAlertWorld(t, s, shanghai(27, 9, 0))
		worker := w.worker("13812345678", true)
		gig := w.approve()
		w.sms.err = fmt.Errorf("%w: InternalError.Timeout", tencentsms.ErrUnavailable)
		w.run()
		d := w.delivery(worker, gig)
		if d.Status != model.AlertPending || d.Attempts != 1 || !d.NextAttemptAt.Equal(w.clock.Add(time.Minute)) {
			t.Fatalf("after Tencent was down: %+v", d)
		}
		var q model.DailyQuota
		s.DB.Take(&q, "user_id = ? AND kind = ?", worker, model.QuotaAlertSMS)
		if q.Count != 0 {
			t.Fatalf("the failed send kept its SMS of the day: %+v", q)
		}
		w.sms.err = nil
		w.clock = w.clock.Add(time.Minute)
		w.run()
		if d = w.delivery(worker, gig); d.Status != model.AlertSent || w.sms.count() != 1 {
			t.Fatalf("retry: %+v", d)
		}
	})
}

// One run goes on claiming until nothing is due: a burst of alerts is not taken 50 every two seconds.
func TestAlertRunDrainsEveryDueAlert(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		w := newAlertWorld(t, s, shanghai(27, 9, 0))
		gig := w.approve()
		rows := make([]model.AlertDelivery, 3*alertBatch+7)
		for i := range rows { // workers whose accounts are gone: each is skipped in a query
			rows[i] = model.AlertDelivery{WorkerID: uint64(10_000 + i), GigID: gig, Status: model.AlertPending, NextAttemptAt: w.clock, CreatedAt: w.clock}
		}
		if err := s.DB.Create(&rows).Error; err != nil {
			t.Fatal(err)
		}
		w.run()
		var due int64
		s.DB.Model(&model.AlertDelivery{}).Where("status = ?", model.AlertPending).Count(&due)
		if due != 0 {
			t.Fatalf("%d alerts still due after one run", due)
		}
	})
}

// WeChat's 45011 holds that alert a minute, unspent, and stops the run; 43101 (no send left) falls back to SMS.
func TestAlertWeChatErrors(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		ctx := context.Background()
		w := newAlertWorld(t, s, shanghai(27, 9, 0))
		first := w.worker("13800000011", true)
		second := w.worker("13800000012", true)
		for _, id := range []uint64{first, second} {
			if err := s.GrantSubscriptions(ctx, id, []string{model.MsgJobAlert}); err != nil {
				t.Fatal(err)
			}
		}
		gig := w.approve()
		w.fake.FailNext(wechattest.APISubscribe, 45011)
		w.run()
		a, b := w.delivery(first, gig), w.delivery(second, gig)
		if a.Status != model.AlertPending || a.Attempts != 0 || !a.NextAttemptAt.Equal(w.clock.Add(time.Minute)) ||
			b.Status != model.AlertPending || w.fake.Calls(wechattest.APISubscribe) != 1 || w.sms.count() != 0 {
			t.Fatalf("after 45011: %+v %+v, calls %d", a, b, w.fake.Calls(wechattest.APISubscribe))
		}
		w.clock = w.clock.Add(2 * time.Minute)
		w.fake.FailNext(wechattest.APISubscribe, 43101)
		w.run()
		a, b = w.delivery(first, gig), w.delivery(second, gig)
		if a.Status != model.AlertSent || b.Status != model.AlertSent {
			t.Fatalf("after the pause: %+v %+v", a, b)
		}
		channels := []string{a.Channel, b.Channel}
		slices.Sort(channels)
		if !slices.Equal(channels, []string{model.AlertBySMS, model.AlertByWeChat}) || w.sms.count() != 1 {
			t.Fatalf("43101 should fall back to SMS for one of them: %v, %d SMS", channels, w.sms.count())
		}
	})
}

// leaseDeadline is a run's context as the job runner gives it, with a deadline on the test's clock.
type leaseDeadline struct {
	context.Context
	at time.Time
}

func (c leaseDeadline) Deadline() (time.Time, bool) { return c.at, true }

// slowSMS runs during, once, while its first SMS is being sent: the clock moves on and another instance runs.
type slowSMS struct {
	*fakeSMS
	during func()
	once   sync.Once
}

func (s *slowSMS) Send(ctx context.Context, phone string, params []string, session string) (string, error) {
	s.once.Do(s.during)
	return s.fakeSMS.Send(ctx, phone, params, session)
}

// A send that runs past its run's lease keeps its claim: the instance that takes the lease next does not send
// the same alert again (nor spend the worker's day twice).
func TestAlertSendOutlivingTheLeaseIsNotRepeated(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		w := newAlertWorld(t, s, shanghai(27, 9, 0))
		worker := w.worker("13812345678", true)
		gig := w.approve()
		other := *w.sender
		w.sender.sms = &slowSMS{fakeSMS: w.sms, during: func() {
			// WeChat timed out, then Tencent is slow: the first run's lease (its deadline + leaseMargin) is over.
			w.clock = w.clock.Add(35 * time.Second)
			if err := other.sendDue(leaseDeadline{context.Background(), w.clock.Add(leaseTTL(2*time.Second) - leaseMargin)}); err != nil {
				t.Error(err)
			}
		}}
		if err := w.sender.sendDue(leaseDeadline{context.Background(), w.clock.Add(leaseTTL(2*time.Second) - leaseMargin)}); err != nil {
			t.Fatal(err)
		}
		if n := w.sms.count(); n != 1 || w.delivery(worker, gig).Status != model.AlertSent {
			t.Fatalf("%d SMS for one alert (%s)", n, w.delivery(worker, gig).Status)
		}
	})
}

// A 退订 reply that arrives while a claimed batch is being sent stops the SMS not yet sent.
func TestAlertSMSStopsMidBatch(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		w := newAlertWorld(t, s, shanghai(27, 10, 0))
		first := w.worker("13800000001", true)
		second := w.worker("13800000002", true)
		gig := w.approve()
		w.sender.sms = &slowSMS{fakeSMS: w.sms, during: func() {
			if _, err := s.StopAlertSMS(context.Background(), "13800000002"); err != nil {
				t.Error(err)
			}
		}}
		w.run()
		if w.sms.count() != 1 || w.delivery(first, gig).Status != model.AlertSent || w.delivery(second, gig).Status != model.AlertSkipped {
			t.Fatalf("%d SMS; first %s, second %s", w.sms.count(), w.delivery(first, gig).Status, w.delivery(second, gig).Status)
		}
	})
}

// Tencent's per-number limits: a short one holds the alert for its wait, the daily one skips it; either way
// nothing went out, so the worker's day keeps its SMS.
func TestAlertSMSTencentLimits(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		w := newAlertWorld(t, s, shanghai(27, 9, 0))
		worker := w.worker("13812345678", true)
		busyGig, fullGig := w.approve(), w.approve()
		if _, isBusy := tencentsms.PhoneBusyFor(nil); isBusy {
			t.Fatal("no error is not busy")
		}
		w.sms.err = fmt.Errorf("wrapped: %w", tencentShortLimit(t))
		w.run()
		if d := w.delivery(worker, busyGig); d.Status != model.AlertPending || !d.NextAttemptAt.Equal(w.clock.Add(30*time.Second)) {
			t.Fatalf("after the 30-second limit: %+v", d)
		}
		w.sms.err = fmt.Errorf("%w: LimitExceeded.PhoneNumberDailyLimit", tencentsms.ErrPhoneLimit)
		w.clock = w.clock.Add(time.Minute)
		w.run()
		if d := w.delivery(worker, fullGig); d.Status != model.AlertSkipped {
			t.Fatalf("after the daily limit: %+v", d)
		}
		var q model.DailyQuota
		s.DB.Take(&q, "user_id = ? AND kind = ?", worker, model.QuotaAlertSMS)
		if q.Count != 0 {
			t.Fatalf("SMS Tencent did not send were counted: %+v", q)
		}
	})
}

// tencentShortLimit is the error Tencent's client answers for its 30-second per-number limit, made by the
// client itself against a local server answering that code.
func tencentShortLimit(t *testing.T) error {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprint(w, `{"Response":{"SendStatusSet":[{"SerialNo":"","PhoneNumber":"+8613812345678","Fee":0,`+
			`"Code":"LimitExceeded.PhoneNumberThirtySecondLimit","Message":"30s"}],"RequestId":"r-1"}}`)
	}))
	defer srv.Close()
	c, err := tencentsms.New(tencentsms.Config{SecretID: "id", SecretKey: "key", SDKAppID: "1400000000", SignName: "合肥零工市场",
		TemplateID: "1", Endpoint: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Send(context.Background(), "13812345678", []string{"x"}, "")
	if _, busy := tencentsms.PhoneBusyFor(err); !busy {
		t.Fatalf("the 30-second limit: %v", err)
	}
	return err
}
