package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"lingong/handler/wechat"
	"lingong/model"
	"lingong/server/tencentsms"
)

// smsSender sends one SMS from the alert template; Tencent Cloud's client and the dev SMS both do.
type smsSender interface {
	Send(ctx context.Context, phone string, params []string, session string) (string, error)
}

// alertSender delivers queued job alerts: by WeChat subscribe message where the worker granted one, otherwise
// by SMS with their consent, in the daytime and within the day's SMS.
type alertSender struct {
	store     *model.Store
	wechat    subscribeSender
	templates wechat.Templates
	sms       smsSender // nil: SMS off (production without SMS configuration)
	log       *slog.Logger
}

// claimMargin is the time beyond a send's budget a claim lasts, for recording its outcome.
const claimMargin = 5 * time.Second

// alertBatch is how many alerts one claim takes: a run claims batch after batch until none is due or its time
// is up, and a batch cut off by the deadline waits only for the end of the lease to be due again.
const alertBatch = 50

// sendDue claims due alerts and sends them until none is due or the run's lease is nearly over: after a burst
// of approvals or at 06:00, thousands are due at once; a batch is read in a statement per kind.
func (n *alertSender) sendDue(ctx context.Context) error {
	var until time.Time
	if d, ok := ctx.Deadline(); ok {
		// A send begins no later than the run's deadline and takes at most sendBudget: the claim lasts past
		// the lease by that much, so an instance taking the lease next never sends an alert still being sent.
		until = d.Add(sendBudget + claimMargin)
	}
	for ctx.Err() == nil {
		batch, err := n.store.ClaimAlerts(ctx, until, alertBatch)
		if err != nil || len(batch) == 0 {
			return err
		}
		for i := range batch {
			if ctx.Err() != nil {
				return nil // the rest are due again when their claim ends
			}
			if err := n.deliver(ctx, &batch[i]); errors.Is(err, errSlowDown) {
				return nil // the rest of the batch is due again when its claim ends
			} else if errors.Is(err, model.ErrClaimLost) {
				n.log.Warn("alert claim ran out before its outcome was recorded", slog.Uint64("alert_id", batch[i].ID))
			} else if err != nil {
				return err
			}
		}
	}
	return nil
}

// alertPage is the mini-program page an alert opens: it counts the opening and shows the gig.
func alertPage(id uint64) string { return "pages/alerts/open?id=" + strconv.FormatUint(id, 10) }

// deliver sends one alert and records the outcome; like a subscribe message, a send once started is finished
// and recorded even when the run's deadline passes meanwhile.
func (n *alertSender) deliver(runCtx context.Context, a *model.AlertToSend) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(runCtx), sendBudget)
	defer cancel()
	now := n.store.Now()
	switch {
	case a.Sub == nil || !a.Sub.Enabled:
		return n.store.SkipAlert(ctx, a, "alerts switched off")
	case !a.GigOpen(now):
		return n.store.SkipAlert(ctx, a, "the gig no longer takes workers")
	}
	if tmpl, ok := n.templates[model.MsgJobAlert]; ok && a.Granted {
		_, err := n.wechat.SendSubscribe(ctx, a.OpenID, tmpl, alertPage(a.ID), alertFields(a))
		switch {
		case err == nil:
			return n.store.AlertSent(ctx, a, model.AlertByWeChat)
		case errors.Is(err, wechat.ErrNotSubscribed):
			if err := n.store.DropAlertGrant(ctx, a.WorkerID); err != nil {
				return err
			}
		case errors.Is(err, wechat.ErrUnavailable):
			return n.store.RetryAlert(ctx, a, err.Error())
		case errors.Is(err, wechat.ErrRateLimited):
			// Too many sends for WeChat right now: this one waits a minute, and so does the rest of the run.
			if err := n.store.HoldAlert(ctx, a, now.Add(time.Minute), err.Error()); err != nil {
				return err
			}
			return errSlowDown
		default:
			n.log.Error("job alert by WeChat failed; trying SMS", slog.Uint64("alert_id", a.ID), slog.Any("err", err))
		}
	}
	return n.bySMS(ctx, a, now)
}

func (n *alertSender) bySMS(ctx context.Context, a *model.AlertToSend, now time.Time) error {
	switch {
	case n.sms == nil:
		return n.store.SkipAlert(ctx, a, "no WeChat grant, and SMS is not configured")
	case !a.Sub.SMSConsent:
		return n.store.SkipAlert(ctx, a, "no WeChat grant, and no consent to SMS")
	}
	phone, err := n.store.AlertPhone(a)
	if err != nil {
		return err
	}
	if phone == "" {
		return n.store.SkipAlert(ctx, a, "no WeChat grant, and no phone bound")
	}
	if morning, quiet := model.AlertSMSQuietUntil(now); quiet {
		return n.store.HoldAlert(ctx, a, morning, "held for the morning: no SMS 21:00-06:00")
	}
	if wanted, err := n.store.AlertSMSStillWanted(ctx, a.WorkerID); err != nil || !wanted {
		if err != nil {
			return err
		}
		return n.store.SkipAlert(ctx, a, "SMS stopped (退订 or alerts off) since the alert was claimed")
	}
	ok, err := n.store.TakeAlertSMS(ctx, a.WorkerID, now)
	if err != nil {
		return err
	}
	if !ok {
		return n.store.SkipAlert(ctx, a, fmt.Sprintf("already %d alert SMS today", model.AlertSMSPerDay))
	}
	_, err = n.sms.Send(ctx, phone, alertSMSParams(a), "alert-"+strconv.FormatUint(a.ID, 10))
	switch {
	case err == nil:
		return n.store.AlertSent(ctx, a, model.AlertBySMS)
	}
	// Nothing went out: the worker's day keeps the SMS for another alert.
	if rerr := n.store.ReturnAlertSMS(ctx, a.WorkerID, now); rerr != nil {
		return rerr
	}
	if wait, busy := tencentsms.PhoneBusyFor(err); busy {
		return n.store.HoldAlert(ctx, a, now.Add(wait), err.Error()) // Tencent's 30-second or one-hour limit
	}
	if errors.Is(err, tencentsms.ErrPhoneLimit) {
		return n.store.SkipAlert(ctx, a, err.Error()) // the number's day at Tencent is spent
	}
	if errors.Is(err, tencentsms.ErrRefused) {
		return n.store.FailAlert(ctx, a, err.Error())
	}
	if errors.Is(err, tencentsms.ErrConfig) {
		n.log.Error("ALERT SMS REFUSED BY TENCENT: check LINGONG_SMS_* (credentials, app, sign, template)", slog.Any("err", err))
	} else {
		n.log.Warn("alert SMS will be retried", slog.Uint64("alert_id", a.ID), slog.Any("err", err))
	}
	return n.store.RetryAlert(ctx, a, err.Error())
}

// wageText is a gig's wage as people say it: 250元/天.
func wageText(g *model.Gig) string {
	yuan := strconv.FormatInt(g.WageCents/100, 10)
	if c := g.WageCents % 100; c != 0 {
		yuan = fmt.Sprintf("%d.%02d", g.WageCents/100, c)
	}
	unit := map[string]string{model.WageDay: "天", model.WageHour: "小时", model.WagePiece: "件"}[g.WageUnit]
	return yuan + "元/" + unit
}

// alertFields fill the job-alert subscribe message.
func alertFields(a *model.AlertToSend) map[string]string {
	return map[string]string{"gig": a.Gig.Title, "wage": wageText(&a.Gig), "date": a.Gig.StartDate, "place": a.Gig.Address}
}

// alertSMSParams fill the SMS template's four parameters — trade, wage, start day, place — each cut to 12
// characters, Tencent's limit for a template variable.
func alertSMSParams(a *model.AlertToSend) []string {
	start := a.Gig.StartDate
	if d, err := time.Parse("2006-01-02", start); err == nil {
		start = fmt.Sprintf("%d月%d日", d.Month(), d.Day())
	}
	out := []string{a.CategoryName, wageText(&a.Gig), start, a.Gig.Address}
	for i, p := range out {
		if r := []rune(p); len(r) > 12 {
			out[i] = string(r[:12])
		}
	}
	return out
}

// devSMS stands in for Tencent in development: it sends nothing and logs the masked number.
type devSMS struct{ log *slog.Logger }

func (d devSMS) Send(_ context.Context, phone string, params []string, session string) (string, error) {
	d.log.Info("DEV SMS: not sent", slog.String("phone", model.MaskPhone(phone)), slog.Any("params", params))
	return "dev-" + session, nil
}

// matchAlerts queues the alerts of approved gigs from this instance's index, once it is loaded: a lone
// approval at once, a backlog batch after batch at a steady pace until none waits or the run's lease is up.
func (a *app) matchAlerts(ctx context.Context) error {
	if !a.alerts.Loaded() {
		return nil
	}
	const batch = 20
	total := 0
	defer func() {
		if total > 0 {
			a.log.Info("queued job alerts", slog.Int("alerts", total))
		}
	}()
	for ctx.Err() == nil {
		gigs, n, err := a.store.MatchApprovedGigs(ctx, a.alerts, batch, model.PaceAlerts(model.AlertRowsPerSecond))
		total += n
		if err != nil || gigs < batch {
			return err
		}
	}
	return nil
}
