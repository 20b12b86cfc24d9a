package deploy_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"

	"lingong/handler/wechat/wechattest"
	"lingong/model"
	"lingong/model/modeltest"
)

// Two server processes on one MariaDB: both serve, each shared job runs once per period in one of them only,
// and every queued subscribe message is sent exactly once.
func TestTwoInstancesOnOneDatabase(t *testing.T) {
	dsn := modeltest.MySQLDSN(t)
	if dsn == "" {
		modeltest.MySQL(t) // skips with the notice, or fails when MySQL is required
	}
	fake := wechattest.Start(t, "wx0000000000000000", "deploy-test-secret")
	began := time.Now()
	firstTap, secondTap := newSQLTap(t, dsn), newSQLTap(t, dsn)
	first := start(t, prodEnv(t, fake.URL, firstTap.dsn))
	second := start(t, prodEnv(t, fake.URL, secondTap.dsn))

	// Queue 40 messages for 40 users who each granted one send, as the API would.
	store := testStore(t, dsn)
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

	// Each shared job ran at most once per period, in one instance: a run is seen as the statement it begins
	// with, on the tap of the instance that sent it (a lease row alone would not show that the loser stayed
	// idle). The holder renews at every run and neither instance stops meanwhile, so a run in both is a lease
	// ignored.
	elapsed := time.Since(began)
	for _, tap := range []*sqlTap{firstTap, secondTap} {
		if tap.runs("UPDATE `job_leases`") == 0 {
			t.Fatalf("an instance never asked for a lease; the tap sees nothing?\n%s", tap.dump())
		}
	}
	var leases []model.JobLease
	store.DB.Find(&leases)
	leased := map[string]bool{}
	for _, l := range leases {
		leased[l.Name] = true
		if _, ok := jobRuns[l.Name]; !ok && l.Name != "follow-changes" {
			t.Errorf("%s takes a lease but this test does not know how its run shows: add it to jobRuns", l.Name)
		}
	}
	for job, run := range jobRuns {
		if !leased[job] {
			t.Errorf("%s took no lease", job)
		}
		a, b := firstTap.runs(run.sql), secondTap.runs(run.sql)
		switch most := int(elapsed/run.every) + 1; {
		case a+b == 0:
			t.Errorf("%s never ran, or no longer begins with %q (update jobRuns)", job, run.sql)
		case a > 0 && b > 0:
			t.Errorf("%s ran in both instances (%d and %d times)", job, a, b)
		case a+b > most:
			t.Errorf("%s ran %d times in %v: more than once per %v", job, a+b, elapsed.Round(time.Second), run.every)
		}
	}
	if leased["follow-changes"] {
		t.Error("the per-instance change follower took a lease")
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

// jobRuns names, for each job that runs in one instance at a time, how often it runs and the statement each run
// begins with (and nothing else in this test sends).
var jobRuns = map[string]struct {
	every time.Duration
	sql   string
}{
	"send-subscribe-messages": {2 * time.Second, "FROM `outbox_messages` WHERE status = 'pending' AND next_attempt_at <= '"},
	"check-content":           {2 * time.Second, "FROM `content_checks` WHERE status = 'pending' AND next_attempt_at <= '"},
	"remind-trainings":        {15 * time.Minute, "enrollments.reminded_at IS NULL AND training_sessions.date = '"},
	"expire-gigs":             {10 * time.Minute, "UPDATE `gigs` SET `status`='expired'"},
	// A run looks at the last seven days, the oldest first (a run across midnight would not match).
	"record-no-shows": {10 * time.Minute, "attendances.worker_id = applications.worker_id AND attendances.day = '" +
		time.Now().In(model.Shanghai).AddDate(0, 0, -7).Format("2006-01-02") + "')"},
	"expire-insurance":     {30 * time.Minute, "UPDATE `insurance_policies` SET `status`='expired'"},
	"purge-refresh-tokens": {time.Hour, "DELETE FROM `refresh_tokens` WHERE expires_at < '"},
	"purge-finished":       {6 * time.Hour, "DELETE FROM `outbox_messages` WHERE status <> 'pending'"},
	"purge-stale-uploads":  {time.Hour, "FROM `uploads` WHERE created_at < '"},
	"purge-changes":        {time.Hour, "DELETE FROM `changes` WHERE created_at < '"},
	"match-alerts":         {time.Second, "FROM `alert_gigs` WHERE matched_at IS NULL"},
	"send-alerts":          {2 * time.Second, "FROM `alert_deliveries` WHERE status = 'pending' AND next_attempt_at <= '"},
}

// sqlTap stands between one instance and the database and notes the text of every statement the instance
// sends (COM_QUERY, with the arguments the driver placed in it, and COM_STMT_PREPARE), so that a
// test sees which instance did what. It passes every byte on unchanged.
type sqlTap struct {
	dsn  string
	mu   sync.Mutex
	seen []string
}

func newSQLTap(t *testing.T, dsn string) *sqlTap {
	t.Helper()
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	target := cfg.Addr
	cfg.Addr = ln.Addr().String()
	cfg.TLSConfig = "false" // the statements must be readable on the wire
	tap := &sqlTap{dsn: cfg.FormatDSN()}
	go func() {
		for {
			client, err := ln.Accept()
			if err != nil {
				return
			}
			server, err := net.Dial("tcp", target)
			if err != nil {
				client.Close()
				continue
			}
			go func() { io.Copy(client, server); client.Close() }()
			go func() { tap.forward(server, client); server.Close() }()
		}
	}()
	return tap
}

// forward copies the client's packets to the server, noting each command's statement.
func (s *sqlTap) forward(server io.Writer, client io.Reader) {
	const comQuery, comStmtPrepare = 0x03, 0x16
	header := make([]byte, 4) // payload length (3 bytes, little-endian) and sequence number
	for {
		if _, err := io.ReadFull(client, header); err != nil {
			return
		}
		payload := make([]byte, int(header[0])|int(header[1])<<8|int(header[2])<<16)
		if _, err := io.ReadFull(client, payload); err != nil {
			return
		}
		// A command is sequence 0; the login answer (sequence 1) is not one.
		if header[3] == 0 && len(payload) > 0 && (payload[0] == comQuery || payload[0] == comStmtPrepare) {
			s.mu.Lock()
			s.seen = append(s.seen, string(payload[1:]))
			s.mu.Unlock()
		}
		if _, err := server.Write(append(header[:4:4], payload...)); err != nil {
			return
		}
	}
}

// runs counts the statements that contain sql.
func (s *sqlTap) runs(sql string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, q := range s.seen {
		if strings.Contains(q, sql) {
			n++
		}
	}
	return n
}

func (s *sqlTap) dump() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return strings.Join(s.seen, "\n")
}
