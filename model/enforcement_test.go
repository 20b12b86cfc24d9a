package model_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"lingong/model"
	"lingong/model/modeltest"
)

// following is an index that learns only from the change feed, as another instance would.
func following(t *testing.T, s *model.Store) func() int {
	t.Helper()
	feed, err := s.NewChangeFeed(ctx)
	if err != nil {
		t.Fatal(err)
	}
	idx := model.NewLiveGigs(s)
	if err := idx.Load(ctx); err != nil {
		t.Fatal(err)
	}
	return func() int {
		t.Helper()
		ch, err := feed.Next(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if err := idx.Follow(ctx, ch); err != nil {
			t.Fatal(err)
		}
		return idx.Len()
	}
}

// lastMessage is the newest subscribe message queued for a user, or "" when none.
func lastMessage(t *testing.T, s *model.Store, userID uint64, kind string) string {
	t.Helper()
	last := ""
	for _, m := range outbox(t, s, userID) {
		if m.TemplateKey == kind {
			last = m.Data
		}
	}
	return last
}

func decisions(t *testing.T, s *model.Store, kind string, id uint64, decision string) int64 {
	t.Helper()
	var n int64
	if err := s.DB.Model(&model.ReviewDecision{}).Where("kind = ? AND target_id = ? AND decision = ?", kind, id, decision).
		Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// Staff take a live gig down with a reason: off the market on every instance, the employer told why, the
// workers who applied told and let go; only within the staff member's area and never on their own gig.
func TestTakeDownGig(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		indexed := following(t, s)
		emp := newEmployer(t, s, "boss", "340104")
		g := publishedGig(t, s, emp, 3, model.HireFirstCome)
		w := newWorker(t, s, "w1", 1)
		if _, err := s.Apply(ctx, w.ID, g.ID); err != nil {
			t.Fatal(err)
		}
		if n := indexed(); n != 1 {
			t.Fatalf("live gigs before: %d", n)
		}
		huainan := model.Scope{Prefix: "3404", UserID: 99}
		if _, err := s.TakeDownGig(ctx, huainan, g.ID, "虚假招工"); !errors.Is(err, model.ErrNotFound) {
			t.Fatalf("staff of 淮南 took down a 合肥 gig: %v", err)
		}
		if _, err := s.TakeDownGig(ctx, admin, g.ID, "  "); !errors.Is(err, model.ErrActionReason) {
			t.Fatalf("take-down without a reason: %v", err)
		}
		own := model.Scope{All: true, UserID: emp.ID}
		if _, err := s.TakeDownGig(ctx, own, g.ID, "虚假招工"); !errors.Is(err, model.ErrConflictOfInterest) {
			t.Fatalf("staff took down their own gig: %v", err)
		}
		down, err := s.TakeDownGig(ctx, admin, g.ID, "工资和说明不符，多名工人反映")
		if err != nil {
			t.Fatal(err)
		}
		if down.Status != model.GigRejected || down.RejectReason != "工资和说明不符，多名工人反映" || down.Confirmed != 0 {
			t.Fatalf("taken down: %+v", down)
		}
		if n := indexed(); n != 0 {
			t.Fatalf("a taken-down gig still in an index following the feed: %d", n)
		}
		if msg := lastMessage(t, s, emp.ID, model.MsgReviewResult); !strings.Contains(msg, "工资和说明不符") {
			t.Fatalf("the employer's message: %s", msg)
		}
		if msg := lastMessage(t, s, w.ID, model.MsgGigCancelled); !strings.Contains(msg, "撤下") {
			t.Fatalf("the worker's message: %s", msg)
		}
		var app model.Application
		s.DB.Where("gig_id = ? AND worker_id = ?", g.ID, w.ID).Take(&app)
		if app.Status != model.AppCancelled {
			t.Fatalf("the worker's application: %s", app.Status)
		}
		if n := decisions(t, s, "gig", g.ID, "take_down"); n != 1 {
			t.Fatalf("take-downs recorded: %d", n)
		}
		if _, err := s.TakeDownGig(ctx, admin, g.ID, "再撤一次"); !errors.Is(err, model.ErrWrongState) {
			t.Fatalf("a second take-down: %v", err)
		}
		pending, err := s.CreateGig(ctx, emp.ID, gigInput(s, 1, model.HireSelect))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.TakeDownGig(ctx, admin, pending.ID, "虚假招工"); !errors.Is(err, model.ErrWrongState) {
			t.Fatalf("a gig waiting for review is rejected, not taken down: %v", err)
		}
	})
}

// A suspended employer's gigs leave the market and they cannot post, edit or re-register (which would slip a
// new identity into review) until staff lift the suspension; then the gigs come back.
func TestSuspendEmployer(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		indexed := following(t, s)
		emp := newEmployer(t, s, "boss", "340104")
		g := publishedGig(t, s, emp, 3, model.HireFirstCome)
		waiting, err := s.CreateGig(ctx, emp.ID, gigInput(s, 1, model.HireSelect))
		if err != nil {
			t.Fatal(err)
		}
		w := newWorker(t, s, "w1", 1)
		if _, err := s.Apply(ctx, w.ID, g.ID); err != nil {
			t.Fatal(err)
		}
		if n := indexed(); n != 1 {
			t.Fatalf("live gigs before: %d", n)
		}
		var e model.Employer
		s.DB.Where("user_id = ?", emp.ID).Take(&e)
		huainan := model.Scope{Prefix: "3404", UserID: 99}
		if _, err := s.SuspendEmployer(ctx, huainan, e.ID, "多次虚假招工"); !errors.Is(err, model.ErrNotFound) {
			t.Fatalf("staff of 淮南 suspended a 合肥 employer: %v", err)
		}
		if _, err := s.SuspendEmployer(ctx, admin, e.ID, ""); !errors.Is(err, model.ErrActionReason) {
			t.Fatalf("suspension without a reason: %v", err)
		}
		if _, err := s.SuspendEmployer(ctx, model.Scope{All: true, UserID: emp.ID}, e.ID, "自己停自己"); !errors.Is(err, model.ErrConflictOfInterest) {
			t.Fatalf("staff suspended themselves: %v", err)
		}
		v, err := s.SuspendEmployer(ctx, admin, e.ID, "多次虚假招工，请到零工市场说明")
		if err != nil {
			t.Fatal(err)
		}
		if v.Status != model.StatusSuspended || v.RejectReason != "多次虚假招工，请到零工市场说明" {
			t.Fatalf("suspended: %+v", v.Employer)
		}
		if n := indexed(); n != 0 {
			t.Fatalf("a suspended employer's gig still in an index following the feed: %d", n)
		}
		var paused model.Gig
		s.DB.Take(&paused, g.ID)
		if paused.Status != model.GigPaused {
			t.Fatalf("the live gig: %s", paused.Status)
		}
		if msg := lastMessage(t, s, emp.ID, model.MsgReviewResult); !strings.Contains(msg, "多次虚假招工") {
			t.Fatalf("the employer's message: %s", msg)
		}
		if msg := lastMessage(t, s, w.ID, model.MsgGigCancelled); !strings.Contains(msg, "暂停") {
			t.Fatalf("the worker's message: %s", msg)
		}
		if _, err := s.CreateGig(ctx, emp.ID, gigInput(s, 1, model.HireSelect)); !errors.Is(err, model.ErrEmployerSuspended) {
			t.Fatalf("a suspended employer posted: %v", err)
		}
		if _, err := s.UpdateGig(ctx, emp.ID, waiting.ID, gigInput(s, 2, model.HireSelect)); !errors.Is(err, model.ErrEmployerSuspended) {
			t.Fatalf("a suspended employer edited: %v", err)
		}
		if _, err := s.SaveEmployer(ctx, emp.ID, model.EmployerInput{Kind: model.EmployerPerson, LegalName: "李小海",
			IDNumber: modeltest.IDNumber("19800101", int(emp.ID)), ContactName: "李先生", ContactPhone: "13900001111", AreaCode: "340104"}); !errors.Is(err, model.ErrEmployerSuspended) {
			t.Fatalf("a suspended employer re-registered: %v", err)
		}
		if _, err := s.DecideGig(ctx, admin, waiting.ID, true, ""); !errors.Is(err, model.ErrEmployerSuspended) {
			t.Fatalf("a suspended employer's gig approved: %v", err)
		}
		if list, err := s.SuspendedEmployers(ctx, admin, 10); err != nil || len(list) != 1 || list[0].ID != e.ID {
			t.Fatalf("suspended employers: %v %+v", err, list)
		}
		if _, err := s.SuspendEmployer(ctx, admin, e.ID, "再停一次"); !errors.Is(err, model.ErrWrongState) {
			t.Fatalf("a second suspension: %v", err)
		}

		if _, err := s.ReinstateEmployer(ctx, huainan, e.ID); !errors.Is(err, model.ErrNotFound) {
			t.Fatalf("staff of 淮南 lifted a 合肥 suspension: %v", err)
		}
		v, err = s.ReinstateEmployer(ctx, admin, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		if v.Status != model.StatusVerified || v.RejectReason != "" {
			t.Fatalf("lifted: %+v", v.Employer)
		}
		if n := indexed(); n != 1 {
			t.Fatalf("the gig back in an index following the feed: %d", n)
		}
		if _, err := s.CreateGig(ctx, emp.ID, gigInput(s, 1, model.HireSelect)); err != nil {
			t.Fatalf("posting after the suspension was lifted: %v", err)
		}
		if _, err := s.ReinstateEmployer(ctx, admin, e.ID); !errors.Is(err, model.ErrWrongState) {
			t.Fatalf("lifting twice: %v", err)
		}
		if n := decisions(t, s, "employer", e.ID, "suspend") + decisions(t, s, "employer", e.ID, "reinstate"); n != 2 {
			t.Fatalf("suspension and lift recorded: %d", n)
		}
	})
}

// Every staff decision on a case — approving or rejecting an employer or a gig, taking a gig down, suspending
// an employer — follows one rule: another area's case is not found, the staff member's own business is a
// conflict of interest, and a colleague of the area decides it.
func TestStaffDecisionRule(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		employerOf := func(u *model.User) uint64 {
			t.Helper()
			var id uint64
			if err := s.DB.Model(&model.Employer{}).Where("user_id = ?", u.ID).Pluck("id", &id).Error; err != nil || id == 0 {
				t.Fatalf("employer of user %d: %v", u.ID, err)
			}
			return id
		}
		cases := []struct {
			name string
			// setup makes a case in 蜀山区 (合肥市) and answers its id and the account it concerns.
			setup  func(openID string) (uint64, uint64)
			decide func(sc model.Scope, id uint64) error
		}{
			{"approve an employer", func(openID string) (uint64, uint64) {
				u := signIn(t, s, openID)
				e, err := s.SaveEmployer(ctx, u.ID, model.EmployerInput{Kind: model.EmployerPerson, LegalName: "李大海",
					IDNumber: modeltest.IDNumber("19800101", int(u.ID)), ContactName: "李先生", ContactPhone: "13900001111", AreaCode: "340104"})
				if err != nil {
					t.Fatal(err)
				}
				return e.ID, u.ID
			}, func(sc model.Scope, id uint64) error {
				_, err := s.DecideEmployer(ctx, sc, id, true, "")
				return err
			}},
			{"reject a gig", func(openID string) (uint64, uint64) {
				u := newEmployer(t, s, openID, "340104")
				g, err := s.CreateGig(ctx, u.ID, gigInput(s, 1, model.HireSelect))
				if err != nil {
					t.Fatal(err)
				}
				return g.ID, u.ID
			}, func(sc model.Scope, id uint64) error {
				_, err := s.DecideGig(ctx, sc, id, false, "工资写错了")
				return err
			}},
			{"take a gig down", func(openID string) (uint64, uint64) {
				u := newEmployer(t, s, openID, "340104")
				return publishedGig(t, s, u, 1, model.HireSelect).ID, u.ID
			}, func(sc model.Scope, id uint64) error {
				_, err := s.TakeDownGig(ctx, sc, id, "虚假招工")
				return err
			}},
			{"suspend an employer", func(openID string) (uint64, uint64) {
				u := newEmployer(t, s, openID, "340104")
				return employerOf(u), u.ID
			}, func(sc model.Scope, id uint64) error {
				_, err := s.SuspendEmployer(ctx, sc, id, "多名工人投诉欠薪")
				return err
			}},
		}
		for i, d := range cases {
			id, party := d.setup(fmt.Sprintf("rule-%d", i))
			if err := d.decide(model.Scope{Prefix: "3404", UserID: 7001}, id); !errors.Is(err, model.ErrNotFound) {
				t.Errorf("%s: staff of 淮南市 on a 合肥 case: %v; want not found", d.name, err)
			}
			if err := d.decide(model.Scope{Prefix: "3401", UserID: party}, id); !errors.Is(err, model.ErrConflictOfInterest) {
				t.Errorf("%s: staff on their own business: %v; want a conflict of interest", d.name, err)
			}
			if err := d.decide(model.Scope{Prefix: "3401", UserID: 7002}, id); err != nil {
				t.Errorf("%s: a colleague of 合肥市: %v", d.name, err)
			}
		}
	})
}
