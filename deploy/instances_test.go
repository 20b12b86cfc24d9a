package deploy_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"lingong/handler/wechat/wechattest"
	"lingong/model"
	"lingong/model/fieldcrypt"
	"lingong/model/modeltest"
)

// Two server processes on one MariaDB: both serve, each shared job runs in one of them only, and every
// queued subscribe message is sent exactly once.
func TestTwoInstancesOnOneDatabase(t *testing.T) {
	dsn := modeltest.MySQLDSN(t)
	if dsn == "" {
		modeltest.MySQL(t) // skips with the notice, or fails when MySQL is required
	}
	fake := wechattest.Start(t, "wx0000000000000000", "deploy-test-secret")
	first := start(t, prodEnv(t, fake.URL, dsn))
	second := start(t, prodEnv(t, fake.URL, dsn))

	// Queue 40 messages for 40 users who each granted one send, as the API would.
	key := func(s string) []byte {
		b, _ := base64.StdEncoding.DecodeString(s)
		return b
	}
	crypt, err := fieldcrypt.New(key("ZGVwbG95LXRlc3QtZGF0YS1rZXktMzItYnl0ZXMhISE="), nil, key("ZGVwbG95LXRlc3QtbG9va3VwLWtleS0zMmJ5dGVzISE="))
	if err != nil {
		t.Fatal(err)
	}
	store, err := model.Open(dsn, crypt, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	ctx := context.Background()
	const n = 40
	for i := range n {
		login, err := store.SignIn(ctx, model.WeChatLogin{OpenID: fmt.Sprintf("o-%d", i), SessionKey: "k"}, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		if err := store.GrantSubscriptions(ctx, login.User.ID, []string{model.MsgReviewResult}); err != nil {
			t.Fatal(err)
		}
		if err := store.DB.Create(&model.OutboxMessage{UserID: login.User.ID, TemplateKey: model.MsgReviewResult,
			Data: `{"item":"招工登记","result":"已通过"}`, Status: model.OutboxPending, NextAttemptAt: store.Now(),
			CreatedAt: store.Now()}).Error; err != nil {
			t.Fatal(err)
		}
	}
	deadline := time.Now().Add(30 * time.Second)
	var sent int64
	for ; time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		store.DB.Model(&model.OutboxMessage{}).Where("status = ?", model.OutboxSent).Count(&sent)
		if sent == n {
			break
		}
	}
	if sent != n {
		t.Fatalf("%d of %d sent\nfirst:\n%s\nsecond:\n%s", sent, n, first.logs.String(), second.logs.String())
	}
	time.Sleep(2 * time.Second) // a duplicate send would show up by now
	// Each person got the message once. (Calls may be more: the fake, like WeChat's classic token, honours only
	// the token it issued last, so an instance holding an older one is refused once, renews and sends again.)
	delivered := fake.Delivered()
	for i := range n {
		if got := delivered[fmt.Sprintf("o-%d", i)]; got != 1 {
			t.Fatalf("o-%d received the message %d times (all: %v)", i, got, delivered)
		}
	}

	// Each shared job has one holder; the per-instance index sync has none.
	var leases []model.JobLease
	store.DB.Find(&leases)
	holders := map[string]string{}
	for _, l := range leases {
		holders[l.Name] = l.Holder
	}
	for _, job := range []string{"send-subscribe-messages", "expire-gigs", "remind-trainings"} {
		if holders[job] == "" {
			t.Errorf("no lease for %s: %v", job, holders)
		}
	}
	if _, ok := holders["sync-gig-index"]; ok {
		t.Error("the per-instance index sync took a lease")
	}

	for _, p := range []*process{first, second} {
		resp, err := http.Post("http://"+p.addr+"/api/v1/auth/login", "application/json", strings.NewReader(`{"code":"both"}`))
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("instance %s does not serve: %v %v", p.addr, err, resp)
		}
		resp.Body.Close()
	}
	first.stop(t)
	second.stop(t)
}
