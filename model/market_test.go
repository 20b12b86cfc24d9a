package model_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"lingong/model"
	"lingong/model/modeltest"
)

var ctx = context.Background()

func signIn(t *testing.T, s *model.Store, openID string) *model.User {
	t.Helper()
	l, err := s.SignIn(ctx, model.WeChatLogin{OpenID: openID, SessionKey: "k"}, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	return l.User
}

func newWorker(t *testing.T, s *model.Store, openID string, n int) *model.User {
	t.Helper()
	u := signIn(t, s, openID)
	_, err := s.SaveWorker(ctx, u.ID, model.WorkerInput{Name: "王建国", IDNumber: modeltest.IDNumber("19700315", n), SkillIDs: []uint64{1, 2},
		ExpectedWageCents: 200_00, AvailableDays: 0x7f, Home: &model.Place{Lat: 31.86, Lng: 117.28, Address: "合肥市蜀山区"}})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// admin is a province-wide staff member who is nobody else in the test data (no decision on their own account).
var admin = model.Scope{All: true, UserID: 999_999}

func newEmployer(t *testing.T, s *model.Store, openID, area string) *model.User {
	t.Helper()
	u := signIn(t, s, openID)
	e, err := s.SaveEmployer(ctx, u.ID, model.EmployerInput{Kind: model.EmployerPerson, LegalName: "李大海",
		IDNumber: modeltest.IDNumber("19800101", int(u.ID)), ContactName: "李先生", ContactPhone: "13900001111", AreaCode: area})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.DecideEmployer(ctx, admin, e.ID, true, ""); err != nil {
		t.Fatal(err)
	}
	return u
}

func gigInput(s *model.Store, headcount int, mode string) model.GigInput {
	today := s.Now().Format("2006-01-02")
	return model.GigInput{Title: "小区搬家工", CategoryID: 1, Description: "搬家具，日结", Headcount: headcount,
		WageCents: 250_00, WageUnit: model.WageDay, Settlement: model.SettleDaily, StartDate: today, EndDate: today,
		WorkHours: "08:00-17:00", Address: "合肥市蜀山区长江西路100号", Lat: 31.8612, Lng: 117.2830, AreaCode: "340104",
		ContactPhone: "13900001111", HiringMode: mode}
}

func publishedGig(t *testing.T, s *model.Store, employer *model.User, headcount int, mode string) *model.Gig {
	t.Helper()
	g, err := s.CreateGig(ctx, employer.ID, gigInput(s, headcount, mode))
	if err != nil {
		t.Fatal(err)
	}
	if g, err = s.DecideGig(ctx, admin, g.ID, true, ""); err != nil {
		t.Fatal(err)
	}
	return g
}

func TestWorkerProfileSealsAndDerives(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		u := newWorker(t, s, "w1", 1)
		w, err := s.Worker(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if w.Name != "王建国" || !w.Male || w.Age(s.Now()) < 55 || len(w.Skills) != 2 || w.Home == nil {
			t.Fatalf("worker: %+v", w)
		}
		var raw model.WorkerProfile
		s.DB.Take(&raw, u.ID)
		if raw.NameCipher == "王建国" || raw.IDNumberCipher == modeltest.IDNumber("19700315", 1) || raw.HomeLatCoarse != 31.86 {
			t.Fatalf("stored: %+v", raw)
		}
		other := signIn(t, s, "w2")
		_, err = s.SaveWorker(ctx, other.ID, model.WorkerInput{Name: "张三", IDNumber: modeltest.IDNumber("19700315", 1), SkillIDs: []uint64{1}})
		if !errors.Is(err, model.ErrIDNumberTaken) {
			t.Fatalf("same ID number on a second account: %v", err)
		}
		_, err = s.SaveWorker(ctx, other.ID, model.WorkerInput{Name: "", IDNumber: "340104197003151230", SkillIDs: []uint64{999}})
		var inv *model.InvalidInput
		if !errors.As(err, &inv) || len(inv.Fields) != 3 {
			t.Fatalf("every bad field at once: %v", err)
		}
		if _, err := s.Worker(ctx, other.ID); !errors.Is(err, model.ErrProfileMissing) {
			t.Fatalf("missing profile: %v", err)
		}
	})
}

// 200 workers race for 5 spots of a first-come gig: exactly 5 are confirmed.
func TestFirstComeNeverOverfills(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		emp := newEmployer(t, s, "boss", "340104")
		g := publishedGig(t, s, emp, 5, model.HireFirstCome)
		const n = 200
		workers := make([]*model.User, n)
		for i := range workers {
			workers[i] = newWorker(t, s, fmt.Sprintf("racer-%d", i), i)
		}
		var confirmed, full atomic.Int32
		var wg sync.WaitGroup
		start := make(chan struct{})
		for _, w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				app, err := s.Apply(ctx, w.ID, g.ID)
				switch {
				case err == nil && app.Status == model.AppConfirmed:
					confirmed.Add(1)
				case errors.Is(err, model.ErrGigFull):
					full.Add(1)
				default:
					t.Errorf("apply: %v %+v", err, app)
				}
			}()
		}
		close(start)
		wg.Wait()
		if confirmed.Load() != 5 || full.Load() != n-5 {
			t.Fatalf("confirmed %d, full %d", confirmed.Load(), full.Load())
		}
		var after model.Gig
		s.DB.Take(&after, g.ID)
		var rows int64
		s.DB.Model(&model.Application{}).Where("gig_id = ? AND status = ?", g.ID, model.AppConfirmed).Count(&rows)
		if after.Confirmed != 5 || after.Status != model.GigFilled || rows != 5 {
			t.Fatalf("gig %+v, confirmed rows %d", after, rows)
		}

		// A withdrawal reopens the gig; the next worker gets the spot.
		var app model.Application
		s.DB.Where("gig_id = ? AND status = ?", g.ID, model.AppConfirmed).First(&app)
		if _, err := s.Withdraw(ctx, app.WorkerID, app.ID); err != nil {
			t.Fatal(err)
		}
		s.DB.Take(&after, g.ID)
		if after.Status != model.GigPublished || after.Confirmed != 4 {
			t.Fatalf("after withdrawal: %+v", after)
		}
		late := newWorker(t, s, "late", 777)
		if a, err := s.Apply(ctx, late.ID, g.ID); err != nil || a.Status != model.AppConfirmed {
			t.Fatalf("late worker: %v", err)
		}
		if _, err := s.Apply(ctx, late.ID, g.ID); !errors.Is(err, model.ErrAlreadyApplied) {
			t.Fatalf("second application: %v", err)
		}
	})
}

// The employer accepting applicants of a select-mode gig from many requests at once never overfills it.
func TestAcceptNeverOverfills(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		emp := newEmployer(t, s, "boss", "340104")
		g := publishedGig(t, s, emp, 3, model.HireSelect)
		var apps []*model.Application
		for i := range 30 {
			w := newWorker(t, s, fmt.Sprintf("sel-%d", i), i)
			a, err := s.Apply(ctx, w.ID, g.ID)
			if err != nil || a.Status != model.AppPending {
				t.Fatalf("apply: %v", err)
			}
			apps = append(apps, a)
		}
		var ok atomic.Int32
		var wg sync.WaitGroup
		for _, a := range apps {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := s.Accept(ctx, emp.ID, a.ID); err == nil {
					ok.Add(1)
				} else if !errors.Is(err, model.ErrGigFull) && !errors.Is(err, model.ErrGigNotOpen) {
					t.Errorf("accept: %v", err)
				}
			}()
		}
		wg.Wait()
		var after model.Gig
		s.DB.Take(&after, g.ID)
		if ok.Load() != 3 || after.Confirmed != 3 || after.Status != model.GigFilled {
			t.Fatalf("accepted %d, gig %+v", ok.Load(), after)
		}
	})
}

func TestWorkPayAndRatings(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		emp := newEmployer(t, s, "boss", "340104")
		g := publishedGig(t, s, emp, 2, model.HireSelect)
		w := newWorker(t, s, "worker", 1)
		app, err := s.Apply(ctx, w.ID, g.ID)
		if err != nil {
			t.Fatal(err)
		}
		stranger := newEmployer(t, s, "other-boss", "340104")
		if _, err := s.Accept(ctx, stranger.ID, app.ID); !errors.Is(err, model.ErrNotFound) {
			t.Fatalf("another employer accepted: %v", err)
		}
		applicants, err := s.GigApplicants(ctx, emp.ID, g.ID)
		if err != nil || len(applicants) != 1 || applicants[0].Phone != "" || applicants[0].MaskedName != "王**" {
			t.Fatalf("before accepting: %+v %v", applicants, err)
		}
		s.BindPhone(ctx, w.ID, "13711112222")
		if _, err := s.Accept(ctx, emp.ID, app.ID); err != nil {
			t.Fatal(err)
		}
		applicants, _ = s.GigApplicants(ctx, emp.ID, g.ID)
		if applicants[0].Phone != "13711112222" {
			t.Fatalf("after accepting the employer sees the phone: %+v", applicants[0])
		}
		if _, err := s.GigApplicants(ctx, stranger.ID, g.ID); !errors.Is(err, model.ErrNotFound) {
			t.Fatalf("another employer listed applicants: %v", err)
		}
		if _, err := s.Rate(ctx, w.ID, app.ID, 5, ""); !errors.Is(err, model.ErrWrongState) {
			t.Fatalf("rating before the work: %v", err)
		}
		if _, err := s.Complete(ctx, emp.ID, app.ID, 250_00); err != nil {
			t.Fatal(err)
		}
		if _, err := s.ConfirmPay(ctx, emp.ID, app.ID); !errors.Is(err, model.ErrNotFound) {
			t.Fatalf("the employer confirmed the worker's pay: %v", err)
		}
		if a, err := s.ConfirmPay(ctx, w.ID, app.ID); err != nil || a.Status != model.AppPaid {
			t.Fatalf("confirm pay: %v", err)
		}
		if _, err := s.Rate(ctx, w.ID, app.ID, 4, "老板人好"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Rate(ctx, w.ID, app.ID, 5, ""); !errors.Is(err, model.ErrAlreadyRated) {
			t.Fatalf("second rating: %v", err)
		}
		if _, err := s.Rate(ctx, emp.ID, app.ID, 5, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Rate(ctx, stranger.ID, app.ID, 1, ""); !errors.Is(err, model.ErrNotFound) {
			t.Fatalf("stranger rated: %v", err)
		}
		d, _ := s.GigForViewer(ctx, w.ID, g.ID)
		if d.EmployerRating != 4 || d.EmployerRated != 1 {
			t.Fatalf("employer rating: %+v", d)
		}
		if !d.UpdatedAt.After(g.UpdatedAt) {
			t.Fatal("a new rating must touch the employer's open gigs, so that the list shows it")
		}
		wk, _ := s.Worker(ctx, w.ID)
		if wk.Rating != 5 {
			t.Fatalf("worker rating: %v", wk.Rating)
		}
	})
}

func TestGigReviewRules(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		emp := newEmployer(t, s, "boss", "340104")
		in := gigInput(s, 2, model.HireSelect)
		in.Description = "限男性，45岁以下"
		g, err := s.CreateGig(ctx, emp.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		if len(g.Checks.Discrimination) != 2 || g.Status != model.GigPendingReview {
			t.Fatalf("checks: %+v", g.Checks)
		}
		if _, err := s.DecideGig(ctx, admin, g.ID, true, ""); !errors.Is(err, model.ErrDiscriminatory) {
			t.Fatalf("approving discrimination: %v", err)
		}
		huainan := model.Scope{Prefix: "3404", UserID: 99}
		if _, err := s.DecideGig(ctx, huainan, g.ID, false, "x"); !errors.Is(err, model.ErrNotFound) {
			t.Fatalf("staff of 淮南 decided a 合肥 gig: %v", err)
		}
		if _, err := s.DecideGig(ctx, admin, g.ID, false, ""); !errors.Is(err, model.ErrReasonRequired) {
			t.Fatalf("rejection without reason: %v", err)
		}
		in.Description = "搬家具"
		if g, err = s.UpdateGig(ctx, emp.ID, g.ID, in); err != nil || len(g.Checks.Discrimination) != 0 {
			t.Fatalf("edit: %v %+v", err, g)
		}
		if _, err := s.DecideGig(ctx, admin, g.ID, true, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := s.DecideGig(ctx, admin, g.ID, true, ""); !errors.Is(err, model.ErrAlreadyDecided) {
			t.Fatalf("second decision: %v", err)
		}
		var decisions int64
		s.DB.Model(&model.ReviewDecision{}).Where("kind = ? AND target_id = ?", "gig", g.ID).Count(&decisions)
		if decisions != 1 {
			t.Fatalf("decisions recorded: %d", decisions)
		}
		// An unverified employer cannot post.
		pending := signIn(t, s, "new-boss")
		if _, err := s.SaveEmployer(ctx, pending.ID, model.EmployerInput{Kind: model.EmployerPerson, LegalName: "赵四",
			IDNumber: modeltest.IDNumber("19810101", 5), ContactName: "赵", ContactPhone: "13900002222", AreaCode: "340104"}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.CreateGig(ctx, pending.ID, in); !errors.Is(err, model.ErrEmployerNotVerified) {
			t.Fatalf("unverified employer posted: %v", err)
		}
	})
}

func TestWageGuideWarning(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		if _, err := s.PublishWageGuide(ctx, admin, model.WageGuideInput{CategoryID: 1, AreaCode: "340100", Period: "2026",
			LowCents: 180_00, MedianCents: 220_00, HighCents: 300_00}); err != nil {
			t.Fatal(err)
		}
		in := gigInput(s, 1, model.HireSelect)
		in.WageCents = 150_00
		checks, err := s.CheckGig(ctx, in)
		if err != nil || checks.BelowGuide == nil || checks.BelowGuide.LowCents != 180_00 || checks.BelowGuide.AreaCode != "340100" {
			t.Fatalf("the city's guide applies to its county: %+v %v", checks, err)
		}
		in.WageCents = 200_00
		if checks, _ := s.CheckGig(ctx, in); checks.BelowGuide != nil {
			t.Fatalf("above the low guide: %+v", checks)
		}
		in.WageUnit, in.WageCents = model.WageHour, 20_00 // 160 a day
		if checks, _ := s.CheckGig(ctx, in); checks.BelowGuide == nil {
			t.Fatal("an hourly wage is compared as eight hours")
		}
	})
}

// A limit written into the address or the hours is found as well as one in the title or description.
func TestEveryEmployerTextIsChecked(t *testing.T) {
	s := modeltest.SQLite(t)
	for _, change := range []func(*model.GigInput){
		func(in *model.GigInput) { in.Address = "合肥市蜀山区长江西路100号（限男性）" },
		func(in *model.GigInput) { in.WorkHours = "08:00-17:00，限男性" },
	} {
		in := gigInput(s, 1, model.HireSelect)
		change(&in)
		checks, err := s.CheckGig(ctx, in)
		if err != nil || len(checks.Discrimination) != 1 || checks.Discrimination[0].Phrase != "限男性" {
			t.Errorf("%+v: %+v %v", in, checks, err)
		}
	}
}

// Workers applying while the employer closes the gig leave no waiting application on the closed gig (each is
// refused or cancelled with the others), and one refused is told the gig closed, not that it is full.
func TestApplyingWhileTheGigCloses(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		emp := newEmployer(t, s, "boss", "340104")
		workers := make([]*model.User, 5)
		for i := range workers {
			workers[i] = newWorker(t, s, fmt.Sprintf("closer-%d", i), i)
		}
		for round := range 20 {
			mode := []string{model.HireSelect, model.HireFirstCome}[round%2]
			g := publishedGig(t, s, emp, 5, mode) // a spot for everyone: only the close refuses
			var wg sync.WaitGroup
			start := make(chan struct{})
			for _, w := range workers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					if _, err := s.Apply(ctx, w.ID, g.ID); err != nil && !errors.Is(err, model.ErrGigNotOpen) {
						t.Errorf("apply to a %s gig as it closes: %v", mode, err)
					}
				}()
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				if _, err := s.CloseGig(ctx, emp.ID, g.ID); err != nil {
					t.Errorf("close: %v", err)
				}
			}()
			close(start)
			wg.Wait()
			var waiting int64
			s.DB.Model(&model.Application{}).Where("gig_id = ? AND status IN ?", g.ID, []string{model.AppPending, model.AppConfirmed}).Count(&waiting)
			if waiting != 0 {
				t.Fatalf("round %d (%s): %d applications still stand on a closed gig", round, mode, waiting)
			}
		}
	})
}
