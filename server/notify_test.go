package main

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"testing"
	"time"

	"lingong/handler/wechat"
	"lingong/handler/wechat/wechattest"
	"lingong/model"
	"lingong/model/modeltest"
)

// The sender runs the real WeChat client against the fake WeChat through each error code it must handle.
func TestNotifierThroughWeChatErrors(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		ctx := context.Background()
		fake := wechattest.Start(t, "wx-n", "secret-n")
		client, err := wechat.New(wechat.Config{AppID: "wx-n", AppSecret: "secret-n", APIBase: fake.URL, Backoff: []time.Duration{}})
		if err != nil {
			t.Fatal(err)
		}
		tmpl := wechat.Template{ID: "T-RESULT", Page: "pages/applications/index",
			Fields: map[string]string{"gig": "thing1", "result": "phrase2", "date": "date3", "note": "thing4"}}
		n := &notifier{store: s, wechat: client, templates: wechat.Templates{model.MsgApplicationResult: tmpl},
			log: slog.New(slog.DiscardHandler)}

		login, err := s.SignIn(ctx, model.WeChatLogin{OpenID: "o-w", SessionKey: "k"}, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		user := login.User.ID
		queue := func(note string) *model.OutboxMessage {
			t.Helper()
			m := model.OutboxMessage{UserID: user, TemplateKey: model.MsgApplicationResult,
				Data:   `{"gig":"一个标题非常非常非常非常非常长的搬家活需要很多人","result":"已录用","date":"2026-12-01","note":"` + note + `"}`,
				Status: model.OutboxPending, NextAttemptAt: s.Now().Add(-time.Second), CreatedAt: s.Now()}
			if err := s.DB.Create(&m).Error; err != nil {
				t.Fatal(err)
			}
			return &m
		}
		reload := func(m *model.OutboxMessage) model.OutboxMessage {
			var got model.OutboxMessage
			s.DB.Take(&got, m.ID)
			return got
		}
		grants := func() int {
			g, _ := s.Grants(ctx, user)
			return g[model.MsgApplicationResult]
		}
		run := func() {
			t.Helper()
			if err := n.sendDue(ctx); err != nil {
				t.Fatal(err)
			}
		}

		// No grant: nothing goes to WeChat.
		m := queue("a")
		run()
		if got := reload(m); got.Status != model.OutboxNoGrant || fake.Calls(wechattest.APISubscribe) != 0 {
			t.Fatalf("no grant: %+v, calls %d", got, fake.Calls(wechattest.APISubscribe))
		}

		// One grant, one success: the grant is used up, the msgid kept, long free text cut to WeChat's limit.
		s.GrantSubscriptions(ctx, user, []string{model.MsgApplicationResult, model.MsgApplicationResult})
		m = queue("b")
		run()
		if got := reload(m); got.Status != model.OutboxSent || got.MsgID == "" || grants() != 1 {
			t.Fatalf("sent: %+v, grants %d", got, grants())
		}
		sent := fake.Sent[len(fake.Sent)-1]
		data := sent["data"].(map[string]any)
		if v := data["thing1"].(map[string]any)["value"].(string); len([]rune(v)) != 20 {
			t.Fatalf("thing cut to 20: %q", v)
		}
		if v := data["phrase2"].(map[string]any)["value"].(string); v != "已录用" {
			t.Fatalf("phrase: %q", v)
		}
		// A value WeChat would refuse (a phrase of 7 characters, a date it cannot read) is never cut or sent:
		// it fails at once, not retried, and the grant stays.
		for _, bad := range []string{`{"gig":"搬家","result":"已录用了哦哦哦","date":"2026-12-01","note":"x"}`,
			`{"gig":"搬家","result":"已录用","date":"明天上午","note":"x"}`} {
			before := fake.Calls(wechattest.APISubscribe)
			m := queue("z")
			s.DB.Model(m).Update("data", bad)
			run()
			if got := reload(m); got.Status != model.OutboxFailed || fake.Calls(wechattest.APISubscribe) != before || grants() != 1 {
				t.Fatalf("a refused value: %+v, calls %d, grants %d", got, fake.Calls(wechattest.APISubscribe)-before, grants())
			}
		}
		if sent["touser"] != "o-w" || sent["template_id"] != "T-RESULT" {
			t.Fatalf("sent: %v", sent)
		}

		// -1 and a dropped connection: kept for a later try, grant untouched; then it goes through.
		fake.FailNext(wechattest.APISubscribe, -1)
		m = queue("c")
		run()
		if got := reload(m); got.Status != model.OutboxPending || got.Attempts != 1 || !got.NextAttemptAt.After(s.Now()) || grants() != 1 {
			t.Fatalf("busy: %+v grants %d", got, grants())
		}
		s.DB.Model(m).Update("next_attempt_at", s.Now().Add(-time.Second))
		fake.FailNext(wechattest.APISubscribe, 0)
		run()
		if got := reload(m); got.Status != model.OutboxPending || got.Attempts != 2 {
			t.Fatalf("network failure: %+v", got)
		}
		s.DB.Model(m).Update("next_attempt_at", s.Now().Add(-time.Second))
		run()
		if got := reload(m); got.Status != model.OutboxSent || grants() != 0 {
			t.Fatalf("after retries: %+v grants %d", got, grants())
		}

		// 40001: the token is renewed once and the same message goes through.
		s.GrantSubscriptions(ctx, user, []string{model.MsgApplicationResult, model.MsgApplicationResult, model.MsgApplicationResult})
		tokens := fake.Calls(wechattest.APIStableToken)
		fake.FailNext(wechattest.APISubscribe, 40001)
		m = queue("d")
		run()
		if got := reload(m); got.Status != model.OutboxSent || fake.Calls(wechattest.APIStableToken) != tokens+1 {
			t.Fatalf("40001: %+v, token fetches %d", got, fake.Calls(wechattest.APIStableToken)-tokens)
		}

		// 47003 and 40037 are never retried; the grant stays for the next message.
		for _, code := range []int{47003, 40037} {
			fake.FailNext(wechattest.APISubscribe, code)
			m = queue("e")
			before := fake.Calls(wechattest.APISubscribe)
			run()
			got := reload(m)
			if got.Status != model.OutboxFailed || fake.Calls(wechattest.APISubscribe) != before+1 || grants() != 2 {
				t.Fatalf("%d: %+v grants %d", code, got, grants())
			}
		}

		// 45011 (too many sends, for everyone): put off without using one of the message's tries, even its last,
		// and the rest of the batch waits too.
		s.GrantSubscriptions(ctx, user, []string{model.MsgApplicationResult})
		fake.FailNext(wechattest.APISubscribe, 45011)
		m = queue("h")
		behind := queue("i")
		s.DB.Model(m).Update("attempts", 4) // its tries all spent by earlier failures
		before := fake.Calls(wechattest.APISubscribe)
		run()
		if got := reload(m); got.Status != model.OutboxPending || got.Attempts != 4 || !got.NextAttemptAt.After(s.Now()) {
			t.Fatalf("45011: %+v", got)
		}
		if got := reload(behind); got.Status != model.OutboxPending || fake.Calls(wechattest.APISubscribe) != before+1 {
			t.Fatalf("the batch went on after 45011: %+v, calls %d", got, fake.Calls(wechattest.APISubscribe)-before)
		}
		s.DB.Model(&model.OutboxMessage{}).Where("id IN ?", []uint64{m.ID, behind.ID}).Update("status", model.OutboxFailed)

		// 43101: the user has no grant left after all; never retried, and the local count follows WeChat.
		fake.FailNext(wechattest.APISubscribe, 43101)
		m = queue("f")
		run()
		if got := reload(m); got.Status != model.OutboxFailed || grants() != 0 {
			t.Fatalf("43101: %+v grants %d", got, grants())
		}

		// A message kind without a configured template fails with a reason, and nothing is sent.
		m = queue("g")
		s.DB.Model(m).Update("template_key", model.MsgReviewResult)
		run()
		if got := reload(m); got.Status != model.OutboxFailed || got.LastError == "" {
			t.Fatalf("no template: %+v", got)
		}
	})
}

// Two senders working through the same due messages at once (an instance whose lease ran out mid-batch, and
// the one that took it over), with WeChat slow: every message is delivered exactly once.
func TestTwoSendersDeliverEachMessageOnce(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		ctx := context.Background()
		fake := wechattest.Start(t, "wx-n", "secret-n")
		fake.SlowDown(20 * time.Millisecond)
		client, err := wechat.New(wechat.Config{AppID: "wx-n", AppSecret: "secret-n", APIBase: fake.URL, Backoff: []time.Duration{}})
		if err != nil {
			t.Fatal(err)
		}
		tmpl := wechat.Template{ID: "T-REV", Fields: map[string]string{"item": "thing1", "result": "phrase2"}}
		const n = 20
		for i := range n {
			login, err := s.SignIn(ctx, model.WeChatLogin{OpenID: fmt.Sprintf("o-%d", i), SessionKey: "k"}, time.Hour)
			if err != nil {
				t.Fatal(err)
			}
			s.GrantSubscriptions(ctx, login.User.ID, []string{model.MsgReviewResult})
			s.DB.Create(&model.OutboxMessage{UserID: login.User.ID, TemplateKey: model.MsgReviewResult, Data: `{"item":"招工登记","result":"已通过"}`,
				Status: model.OutboxPending, NextAttemptAt: s.Now().Add(-time.Second), CreatedAt: s.Now()})
		}
		senders := []*notifier{
			{store: s, wechat: client, templates: wechat.Templates{model.MsgReviewResult: tmpl}, log: slog.New(slog.DiscardHandler)},
			{store: s, wechat: client, templates: wechat.Templates{model.MsgReviewResult: tmpl}, log: slog.New(slog.DiscardHandler)},
		}
		var wg sync.WaitGroup
		for _, sender := range senders {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if err := sender.sendDue(ctx); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		delivered := fake.Delivered()
		for i := range n {
			if got := delivered[fmt.Sprintf("o-%d", i)]; got != 1 {
				t.Fatalf("o-%d received %d messages (all: %v)", i, got, delivered)
			}
		}
		var sent int64
		s.DB.Model(&model.OutboxMessage{}).Where("status = ?", model.OutboxSent).Count(&sent)
		if sent != n {
			t.Fatalf("%d of %d recorded as sent", sent, n)
		}
	})
}
