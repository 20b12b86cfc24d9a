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

// checkWorld is a database with a verified employer and a registered worker, and a checker asking the fake WeChat.
type checkWorld struct {
	t        *testing.T
	s        *model.Store
	fake     *wechattest.Fake
	client   *wechat.Client
	checker  *contentChecker
	employer uint64 // user ids
	worker   uint64
}

// staffScope is a province-wide staff member who is nobody else in the test data.
var staffScope = model.Scope{All: true, UserID: 999_999}

func newCheckWorld(t *testing.T, s *model.Store) *checkWorld {
	t.Helper()
	ctx := context.Background()
	fake := wechattest.Start(t, "wx-c", "secret-c")
	client, err := wechat.New(wechat.Config{AppID: "wx-c", AppSecret: "secret-c", APIBase: fake.URL, Backoff: []time.Duration{}})
	if err != nil {
		t.Fatal(err)
	}
	w := &checkWorld{t: t, s: s, fake: fake, client: client,
		checker: &contentChecker{store: s, wechat: client, log: slog.New(slog.DiscardHandler)}}
	for i, openID := range []string{"o-employer", "o-worker"} {
		login, err := s.SignIn(ctx, model.WeChatLogin{OpenID: openID, SessionKey: "k"}, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			w.employer = login.User.ID
			e, err := s.SaveEmployer(ctx, w.employer, model.EmployerInput{Kind: model.EmployerPerson, LegalName: "李大海",
				IDNumber: modeltest.IDNumber("19800101", 1), ContactName: "李先生", ContactPhone: "13900001111", AreaCode: "340104"})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.DecideEmployer(ctx, staffScope, e.ID, true, ""); err != nil {
				t.Fatal(err)
			}
		} else {
			w.worker = login.User.ID
			if _, err := s.SaveWorker(ctx, w.worker, model.WorkerInput{Name: "王建国", IDNumber: modeltest.IDNumber("19700315", 2),
				SkillIDs: []uint64{1}, ExpectedWageCents: 200_00, AvailableDays: 0x7f,
				Home: &model.Place{Lat: 31.86, Lng: 117.28, Address: "合肥市蜀山区"}}); err != nil {
				t.Fatal(err)
			}
		}
	}
	return w
}

func (w *checkWorld) gigInput(description string) model.GigInput {
	today := w.s.Now().Format(time.DateOnly)
	return model.GigInput{Title: "小区搬家工", CategoryID: 1, Description: description, Headcount: 2, WageCents: 250_00,
		WageUnit: model.WageDay, Settlement: model.SettleDaily, StartDate: today, EndDate: today, WorkHours: "08:00-17:00",
		Address: "合肥市蜀山区长江西路100号", Lat: 31.8612, Lng: 117.2830, AreaCode: "340104", ContactPhone: "13900001111",
		HiringMode: model.HireSelect}
}

func (w *checkWorld) postGig(description string) uint64 {
	w.t.Helper()
	g, err := w.s.CreateGig(context.Background(), w.employer, w.gigInput(description))
	if err != nil {
		w.t.Fatal(err)
	}
	if g.Checks.SecCheck != model.SecChecking {
		w.t.Fatalf("a new gig's check: %q", g.Checks.SecCheck)
	}
	return g.ID
}

func (w *checkWorld) fileComplaint(description string) uint64 {
	w.t.Helper()
	c, err := w.s.FileComplaint(context.Background(), w.worker, model.ComplaintInput{Category: model.ComplaintOther, Description: description})
	if err != nil {
		w.t.Fatal(err)
	}
	return c.ID
}

func (w *checkWorld) run() {
	w.t.Helper()
	if err := w.checker.checkDue(context.Background()); err != nil {
		w.t.Fatal(err)
	}
}

func (w *checkWorld) gig(id uint64) model.Gig {
	w.t.Helper()
	var g model.Gig
	if err := w.s.DB.Take(&g, id).Error; err != nil {
		w.t.Fatal(err)
	}
	return g
}

func (w *checkWorld) complaint(id uint64) model.Complaint {
	w.t.Helper()
	var c model.Complaint
	if err := w.s.DB.Take(&c, id).Error; err != nil {
		w.t.Fatal(err)
	}
	return c
}

func (w *checkWorld) check(kind string, id uint64) model.ContentCheck {
	w.t.Helper()
	var c model.ContentCheck
	if err := w.s.DB.Where("kind = ? AND target_id = ?", kind, id).Take(&c).Error; err != nil {
		w.t.Fatal(err)
	}
	return c
}

// messages are the subscribe messages queued for a user of a kind, oldest first.
func (w *checkWorld) messages(userID uint64, kind string) []map[string]string {
	var rows []model.OutboxMessage
	w.s.DB.Where("user_id = ? AND template_key = ?", userID, kind).Order("id").Find(&rows)
	out := make([]map[string]string, len(rows))
	for i := range rows {
		out[i] = rows[i].Fields()
	}
	return out
}

// Each verdict moves a gig: pass and review keep it waiting for review (review flagged for staff); risky takes it
// down with a reason the employer reads and a message, even after staff approved it while the check waited, and
// the workers it had taken on are told. Changed and sent again, it is checked anew.
func TestVerdictsMoveGigs(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		ctx := context.Background()
		w := newCheckWorld(t, s)
		pass, review, risky := w.postGig("搬家具，包午饭"), w.postGig("please review"), w.postGig("risky words")
		approved := w.postGig("risky, but approved before the check answered")
		if _, err := s.DecideGig(ctx, staffScope, approved, true, ""); err != nil {
			t.Fatalf("staff approve a gig still being checked: %v", err)
		}
		app, err := s.Apply(ctx, w.worker, approved)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Accept(ctx, w.employer, app.ID); err != nil {
			t.Fatal(err)
		}

		w.run()
		if n := w.fake.Calls(wechattest.APIMsgSecCheck); n != 4 {
			t.Fatalf("WeChat was asked %d times, want once per gig", n)
		}
		for id, want := range map[uint64]string{pass: model.SecPass, review: model.SecReview} {
			if g := w.gig(id); g.Status != model.GigPendingReview || g.Checks.SecCheck != want || g.RejectReason != "" {
				t.Errorf("gig %d: %s, check %q, reason %q; want pending_review, %q", id, g.Status, g.Checks.SecCheck, g.RejectReason, want)
			}
		}
		for _, id := range []uint64{risky, approved} {
			if g := w.gig(id); g.Status != model.GigRejected || g.Checks.SecCheck != model.SecRisky || g.RejectReason != model.GigContentRefused {
				t.Errorf("risky gig %d: %s, check %q, reason %q", id, g.Status, g.Checks.SecCheck, g.RejectReason)
			}
		}
		told := w.messages(w.employer, model.MsgReviewResult)
		refusals := 0
		for _, m := range told {
			if m["result"] == "未通过" && m["note"] == model.GigContentRefused {
				refusals++
			}
		}
		if refusals != 2 {
			t.Errorf("the employer was told of %d refusals, want 2: %v", refusals, told)
		}
		if g, a := w.gig(approved), mustApplication(t, s, w.worker, approved); g.Confirmed != 0 || a.Status != model.AppCancelled {
			t.Errorf("the approved gig taken down keeps %d confirmed, its application %s", g.Confirmed, a.Status)
		}
		if m := w.messages(w.worker, model.MsgGigCancelled); len(m) != 1 {
			t.Errorf("the worker taken on was told %d times", len(m))
		}
		if d, err := s.OwnGigDetail(ctx, w.employer, risky); err != nil || d.RejectReason != model.GigContentRefused {
			t.Errorf("the employer's own view of the refused gig: %v", err)
		}

		// Changed and sent again: back in review, checked again, and clean text passes.
		if _, err := s.UpdateGig(ctx, w.employer, risky, w.gigInput("搬家具，包午饭，日结")); err != nil {
			t.Fatal(err)
		}
		if g := w.gig(risky); g.Status != model.GigPendingReview || g.Checks.SecCheck != model.SecChecking || g.RejectReason != "" {
			t.Fatalf("sent again: %s %q %q", g.Status, g.Checks.SecCheck, g.RejectReason)
		}
		w.run()
		if g, c := w.gig(risky), w.check(model.CheckGig, risky); g.Checks.SecCheck != model.SecPass || c.Revision != 2 || c.Status != model.CheckDone {
			t.Fatalf("checked again: %q, check %+v", g.Checks.SecCheck, c)
		}
	})
}

func mustApplication(t *testing.T, s *model.Store, worker, gig uint64) *model.Application {
	t.Helper()
	a, err := s.ApplicationOf(context.Background(), worker, gig)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// Each verdict moves a complaint: review is flagged for staff, risky returns one still waiting for staff to its
// writer (told why, on the timeline and by message); one staff took up already stays theirs, flagged.
func TestVerdictsMoveComplaints(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		ctx := context.Background()
		w := newCheckWorld(t, s)
		pass, review, risky := w.fileComplaint("干了三天活，工钱一直没给"), w.fileComplaint("please review this case"), w.fileComplaint("risky words here")
		taken := w.fileComplaint("risky words, but staff took it up first")
		if _, err := s.MoveComplaint(ctx, staffScope, taken, model.CaseAccepted, ""); err != nil {
			t.Fatal(err)
		}
		w.run()
		for id, want := range map[uint64][2]string{pass: {model.CaseSubmitted, model.SecPass}, review: {model.CaseSubmitted, model.SecReview},
			risky: {model.CaseReturned, model.SecRisky}, taken: {model.CaseAccepted, model.SecRisky}} {
			if c := w.complaint(id); c.Status != want[0] || c.SecCheck != want[1] {
				t.Errorf("complaint %d: %s %q, want %v", id, c.Status, c.SecCheck, want)
			}
		}
		v, err := s.ComplaintFor(ctx, w.worker, risky)
		if err != nil {
			t.Fatal(err)
		}
		last := v.Events[len(v.Events)-1]
		if v.RejectReason != model.ComplaintContentRefused || last.Status != model.CaseReturned || last.ActorRole != "system" {
			t.Errorf("returned complaint: reason %q, last event %+v", v.RejectReason, last)
		}
		if m := w.messages(w.worker, model.MsgComplaintProgress); len(m) != 2 || m[1]["status"] != "退回修改" || m[1]["note"] != model.ComplaintContentRefused {
			t.Errorf("the worker was told: %v", m) // the first is staff accepting the other complaint
		}
	})
}

// WeChat down: the text stays "checking" and its check waits, then is tried again and passes. A check WeChat will
// never answer (a refusal, or down past every retry) leaves the text unchecked for staff.
func TestChecksAreRetriedWhileWeChatIsDown(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		w := newCheckWorld(t, s)
		id := w.postGig("搬家具，包午饭")
		w.fake.FailNext(wechattest.APIMsgSecCheck, -1)
		w.run()
		c := w.check(model.CheckGig, id)
		if g := w.gig(id); g.Checks.SecCheck != model.SecChecking || c.Status != model.CheckPending || c.Attempts != 1 ||
			!c.NextAttemptAt.After(s.Now().Add(20*time.Second)) {
			t.Fatalf("WeChat down: gig %q, check %+v", g.Checks.SecCheck, c)
		}
		calls := w.fake.Calls(wechattest.APIMsgSecCheck)
		w.run()
		if w.fake.Calls(wechattest.APIMsgSecCheck) != calls {
			t.Fatal("a check waiting for its next try was tried at once")
		}
		s.DB.Model(&model.ContentCheck{}).Where("id = ?", c.ID).Update("next_attempt_at", s.Now().Add(-time.Second))
		w.run()
		if g := w.gig(id); g.Checks.SecCheck != model.SecPass || w.check(model.CheckGig, id).Status != model.CheckDone {
			t.Fatalf("after WeChat came back: %q", g.Checks.SecCheck)
		}

		refused := w.fileComplaint("干了三天活，工钱一直没给")
		w.fake.FailNext(wechattest.APIMsgSecCheck, 40003) // an openid WeChat does not know: asking again will not help
		w.run()
		if c := w.complaint(refused); c.SecCheck != model.SecUnchecked {
			t.Fatalf("a refused check: %q", c.SecCheck)
		}

		given := w.fileComplaint("老板说下个月再给工钱")
		s.DB.Model(&model.ContentCheck{}).Where("kind = ? AND target_id = ?", model.CheckComplaint, given).Update("attempts", 7)
		w.fake.FailNext(wechattest.APIMsgSecCheck, -1)
		w.run()
		if c := w.complaint(given); c.SecCheck != model.SecUnchecked {
			t.Fatalf("down past every retry: %q", c.SecCheck)
		}
	})
}

// editingChecker edits the gig while WeChat looks at its old text, then answers risky about that old text.
type editingChecker struct {
	edit func()
}

func (e editingChecker) CheckText(context.Context, string, string) (wechat.Verdict, error) {
	e.edit()
	return wechat.VerdictRisky, nil
}

// A verdict counts only for the text it was asked about: an edit made while WeChat looked queues a check of its
// own, and the old verdict does not touch the new text.
func TestVerdictOnAnEditedTextIsDropped(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		w := newCheckWorld(t, s)
		id := w.postGig("old words")
		w.checker.wechat = editingChecker{edit: func() {
			if _, err := s.UpdateGig(context.Background(), w.employer, id, w.gigInput("new words")); err != nil {
				t.Error(err)
			}
		}}
		w.run()
		if g, c := w.gig(id), w.check(model.CheckGig, id); g.Status != model.GigPendingReview || g.Checks.SecCheck != model.SecChecking ||
			c.Status != model.CheckPending || c.Revision != 2 {
			t.Fatalf("an old verdict moved the new text: %s %q, check %+v", g.Status, g.Checks.SecCheck, c)
		}
		w.checker.wechat = w.client
		w.run()
		if g := w.gig(id); g.Status != model.GigPendingReview || g.Checks.SecCheck != model.SecPass {
			t.Fatalf("the new text's own check: %s %q", g.Status, g.Checks.SecCheck)
		}
	})
}

// Two checkers working through the same due checks at once (an instance whose lease ran out mid-batch, and the
// one that took it over), with WeChat slow: WeChat is asked about each text once.
func TestTwoCheckersAskOncePerText(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		w := newCheckWorld(t, s)
		const n = 10
		var gigs, complaints []uint64
		for i := range n {
			gigs = append(gigs, w.postGig(fmt.Sprintf("搬家具，第%d批", i)))
			complaints = append(complaints, w.fileComplaint(fmt.Sprintf("干了%d天活，工钱一直没给", i+1)))
		}
		w.fake.SlowDown(20 * time.Millisecond)
		var wg sync.WaitGroup
		for range 2 {
			checker := &contentChecker{store: s, wechat: w.client, log: slog.New(slog.DiscardHandler)}
			wg.Add(1)
			go func() {
				defer wg.Done()
				if err := checker.checkDue(context.Background()); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		if calls := w.fake.Calls(wechattest.APIMsgSecCheck); calls != 2*n {
			t.Fatalf("WeChat was asked %d times about %d texts", calls, 2*n)
		}
		for i := range n {
			if g, c := w.gig(gigs[i]), w.complaint(complaints[i]); g.Checks.SecCheck != model.SecPass || c.SecCheck != model.SecPass {
				t.Fatalf("gig %q, complaint %q", g.Checks.SecCheck, c.SecCheck)
			}
		}
	})
}
