package main

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"lingong/handler/wechat"
	"lingong/model"
)

// subscribeSender delivers one subscribe message; the real and the dev WeChat both do.
type subscribeSender interface {
	SendSubscribe(ctx context.Context, openID string, tmpl wechat.Template, page string, fields map[string]string) (string, error)
}

// notifier empties the outbox: it sends what is due through WeChat and records each outcome, using up a
// user's grant only when WeChat took the message.
type notifier struct {
	store     *model.Store
	wechat    subscribeSender
	templates wechat.Templates
	log       *slog.Logger
}

// sendDue sends up to a batch of due messages.
func (n *notifier) sendDue(ctx context.Context) error {
	msgs, err := n.store.DueMessages(ctx, 200)
	if err != nil {
		return err
	}
	for i := range msgs {
		if ctx.Err() != nil {
			return nil
		}
		if err := n.send(ctx, &msgs[i]); errors.Is(err, errSlowDown) {
			return nil // the rest waits for the next run
		} else if err != nil {
			return err
		}
	}
	return nil
}

// sendBudget bounds one send and its records; well inside the message's claim (model's outboxClaim, 2 minutes).
const sendBudget = 30 * time.Second

// errSlowDown: WeChat said too many sends (45011); the batch stops here.
var errSlowDown = errors.New("wechat asks to slow down")

// send delivers one message; the error it returns is the database's, WeChat's outcome is recorded. A send
// once started is finished and recorded even when the run's deadline passes meanwhile: cut off between
// WeChat's answer and the record, a delivered message would be sent again.
func (n *notifier) send(runCtx context.Context, m *model.OutboxMessage) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(runCtx), sendBudget)
	defer cancel()
	if claimed, err := n.store.ClaimMessage(ctx, m); err != nil || !claimed {
		return err // another instance is sending it
	}
	tmpl, ok := n.templates[m.TemplateKey]
	if !ok {
		return n.store.MarkFailed(ctx, m, "no template configured for "+m.TemplateKey, false)
	}
	granted, err := n.store.HasGrant(ctx, m.UserID, m.TemplateKey)
	if err != nil {
		return err
	}
	if !granted {
		return n.store.MarkNoGrant(ctx, m)
	}
	openID, err := n.store.OpenIDOf(ctx, m.UserID)
	if err != nil {
		if errors.Is(err, model.ErrNotFound) {
			return n.store.MarkFailed(ctx, m, "user gone", false)
		}
		return err
	}
	msgID, err := n.wechat.SendSubscribe(ctx, openID, tmpl, m.Page, m.Fields())
	switch {
	case err == nil:
		return n.store.MarkSent(ctx, m, msgID)
	case errors.Is(err, wechat.ErrNotSubscribed):
		return n.store.MarkFailed(ctx, m, err.Error(), true)
	case errors.Is(err, wechat.ErrUnavailable):
		n.log.Warn("subscribe message will be retried", slog.Uint64("outbox_id", m.ID), slog.Any("err", err))
		return n.store.MarkRetry(ctx, m, err.Error())
	case errors.Is(err, wechat.ErrRateLimited):
		// Too many sends for WeChat right now: not the message's fault, so it waits its turn again.
		n.log.Warn("WeChat asks to slow down; subscribe message will be retried", slog.Uint64("outbox_id", m.ID))
		if err := n.store.Postpone(ctx, m, err.Error(), time.Minute); err != nil {
			return err
		}
		return errSlowDown
	default:
		// A wrong template or field, an unknown openid: trying again would fail the same way.
		n.log.Error("subscribe message failed", slog.Uint64("outbox_id", m.ID), slog.Any("err", err))
		return n.store.MarkFailed(ctx, m, err.Error(), false)
	}
}

// devTemplates let the dev WeChat "send" every kind of message, so that the outbox works on `make run`.
// Each carries the fields its kind fills in, with the keyword types a real template of that kind would use.
func devTemplates() wechat.Templates {
	fields := map[string]map[string]string{
		model.MsgApplicationResult: {"gig": "thing1", "result": "phrase2", "date": "date3", "note": "thing4"},
		model.MsgGigCancelled:      {"gig": "thing1", "date": "date2", "note": "thing3"},
		model.MsgReviewResult:      {"item": "thing1", "result": "phrase2", "note": "thing3"},
		model.MsgTrainingReminder:  {"course": "thing1", "time": "time2", "place": "thing3"},
		model.MsgInsuranceActive:   {"plan": "thing1", "period": "thing2", "number": "character_string3"},
		model.MsgComplaintProgress: {"case": "thing1", "status": "phrase2", "note": "thing3", "time": "time4"},
		model.MsgJobAlert:          {"gig": "thing1", "wage": "thing2", "date": "date3", "place": "thing4"},
	}
	t := wechat.Templates{}
	for _, kind := range model.MessageKinds {
		t[kind] = wechat.Template{ID: "dev-" + kind, Fields: fields[kind]}
	}
	return t
}
