package main

import (
	"context"
	"errors"
	"log/slog"

	"lingong/handler/wechat"
	"lingong/model"
)

// textChecker asks WeChat about a text a user wrote; the real and the dev WeChat both do.
type textChecker interface {
	CheckText(ctx context.Context, openID, text string) (wechat.Verdict, error)
}

// contentChecker empties the content-check queue: each due check is claimed, its text asked of WeChat, and the
// verdict recorded; while WeChat is down a check waits and is tried again. Gigs and complaints are saved
// without it, so nobody waits for WeChat.
type contentChecker struct {
	store  *model.Store
	wechat textChecker
	log    *slog.Logger
}

// verdicts are WeChat's suggestions as the model records them.
var verdicts = map[wechat.Verdict]string{
	wechat.VerdictPass: model.SecPass, wechat.VerdictReview: model.SecReview, wechat.VerdictRisky: model.SecRisky,
}

// checkDue checks up to a batch of due texts.
func (k *contentChecker) checkDue(ctx context.Context) error {
	due, err := k.store.DueChecks(ctx, 100)
	if err != nil {
		return err
	}
	for i := range due {
		if ctx.Err() != nil {
			return nil
		}
		if err := k.check(ctx, &due[i]); err != nil {
			return err
		}
	}
	return nil
}

// check runs one check; the error it returns is the database's, WeChat's outcome is recorded.
func (k *contentChecker) check(ctx context.Context, c *model.ContentCheck) error {
	if claimed, err := k.store.ClaimCheck(ctx, c); err != nil || !claimed {
		return err // another instance has it, or an edit queued it anew
	}
	subject, err := k.store.SubjectOf(ctx, c)
	if err != nil {
		return err
	}
	verdict, err := k.wechat.CheckText(ctx, subject.OpenID, subject.Text)
	switch {
	case err == nil:
		return k.store.RecordVerdict(ctx, c, verdicts[verdict])
	case errors.Is(err, wechat.ErrUnavailable), errors.Is(err, wechat.ErrRateLimited):
		k.log.Warn("content check will be retried", slog.String("kind", c.Kind), slog.Uint64("id", c.TargetID), slog.Any("err", err))
		return k.store.RetryCheck(ctx, c, err.Error())
	default:
		// WeChat will not weigh this text (an openid it does not know, a writer not seen for two hours): asking
		// again would fail the same way, so staff judge it, shown as 未检测.
		k.log.Warn("content check refused; left to staff as unchecked", slog.String("kind", c.Kind), slog.Uint64("id", c.TargetID), slog.Any("err", err))
		return k.store.RecordVerdict(ctx, c, model.SecUnchecked)
	}
}
