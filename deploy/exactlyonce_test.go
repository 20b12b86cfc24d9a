package deploy_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"lingong/handler/wechat/wechattest"
	"lingong/model"
	"lingong/model/modeltest"
)

// Two server processes on one MariaDB, a WeChat that answers each send slowly (the batch outlasts the
// sender's 30-second lease) and sometimes fails: every message of several staff pushes reaches its person
// exactly once, and each push's report says what WeChat delivered.
func TestPushesDeliveredExactlyOnceBySlowFailingWeChat(t *testing.T) {
	dsn := modeltest.MySQLDSN(t)
	if dsn == "" {
		modeltest.MySQL(t) // skips with the notice, or fails when MySQL is required
	}
	fake := wechattest.Start(t, "wx0000000000000000", "deploy-test-secret")
	fake.SlowDown(900 * time.Millisecond)
	// Passing failures (-1 busy, 45011 too frequent) spread over the first sends of both instances.
	fake.FailNext(wechattest.APISubscribe, -1, 0, 0, 45011, 0, -1, 0, 0, 0, -1, 0, 45011, 0, 0, -1)
	first := start(t, prodEnv(t, fake.URL, dsn))
	second := start(t, prodEnv(t, fake.URL, dsn))

	store := testStore(t, dsn)
	ctx := context.Background()
	const people, pushes = 12, 3
	var ids []uint64
	for i := range people {
		login, err := store.SignIn(ctx, model.WeChatLogin{OpenID: fmt.Sprintf("o-w%d", i), SessionKey: "k"}, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := store.SaveWorker(ctx, login.User.ID, model.WorkerInput{Name: "王五", IDNumber: modeltest.IDNumber("19700315", i),
			SkillIDs: []uint64{1}, AreaCode: "340104"}); err != nil {
			t.Fatal(err)
		}
		for range pushes { // one send allowed per push
			if err := store.GrantSubscriptions(ctx, login.User.ID, []string{model.MsgReviewResult}); err != nil {
				t.Fatal(err)
			}
		}
		ids = append(ids, login.User.ID)
	}
	admin := model.Scope{All: true, UserID: ids[0]}
	var made []*model.Push
	for n := range pushes {
		p, err := store.CreatePush(ctx, admin, "", model.MsgReviewResult, "pages/info/index",
			map[string]string{"item": fmt.Sprintf("第%d次通知", n+1), "result": "已通过", "note": "请查看"}, model.Audience{UserIDs: ids})
		if err != nil {
			t.Fatal(err)
		}
		made = append(made, p)
	}

	want := people * pushes
	deadline := time.Now().Add(150 * time.Second)
	for ; time.Now().Before(deadline); time.Sleep(300 * time.Millisecond) {
		// A failed try waits a minute before the next; the test lets that minute pass for rows waiting for a retry
		// (due within the minute), never for rows a sender holds (its two-minute claim).
		store.DB.Model(&model.OutboxMessage{}).
			Where("status = ? AND attempts > 0 AND next_attempt_at <= ?", model.OutboxPending, store.Now().Add(70*time.Second)).
			Update("next_attempt_at", store.Now())
		var open int64
		store.DB.Model(&model.OutboxMessage{}).Where("status = ?", model.OutboxPending).Count(&open)
		if open == 0 {
			break
		}
	}
	time.Sleep(2 * time.Second) // a duplicate send would show up by now

	delivered := fake.Delivered()
	total := 0
	for i := range people {
		got := delivered[fmt.Sprintf("o-w%d", i)]
		total += got
		if got != pushes {
			t.Errorf("o-w%d received %d messages, want %d (one per push)", i, got, pushes)
		}
	}
	if total != want {
		t.Errorf("%d deliveries, want %d", total, want)
	}
	for _, p := range made {
		r, err := store.PushReport(ctx, admin, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if r.Sent != people || r.Pending+r.Failed+r.NoGrant != 0 {
			t.Errorf("push %d reports sent %d, pending %d, failed %d, no grant %d; WeChat delivered %d", p.ID, r.Sent,
				r.Pending, r.Failed, r.NoGrant, people)
		}
	}
	if t.Failed() {
		t.Logf("first:\n%s\nsecond:\n%s", first.logs.String(), second.logs.String())
	}
}
