package model_test

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"lingong/model"
	"lingong/model/modeltest"
)

func course(t *testing.T, s *model.Store, seats int, deadline time.Time) *model.TrainingWithSessions {
	t.Helper()
	day := s.Now().AddDate(0, 0, 3).Format("2006-01-02")
	tr, err := s.SaveTraining(ctx, admin, 0, model.TrainingInput{Title: "家政服务员培训", CategoryID: 3, Kind: model.TrainingMenu,
		Provider: "合肥市职业技能培训中心", Subsidised: true, Address: "合肥市蜀山区黄山路 100 号", Lat: 31.84, Lng: 117.25,
		AreaCode: "340104", SignupDeadline: deadline,
		Sessions: []model.SessionInput{{Date: day, StartTime: "09:00", EndTime: "11:30", Seats: seats},
			{Date: day, StartTime: "14:00", EndTime: "16:30", Seats: 30}}})
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

// Twenty workers race for the last seat: one gets it.
func TestLastSeatGoesToOne(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		tr := course(t, s, 1, s.Now().Add(48*time.Hour))
		session := tr.Sessions[0].ID
		var won, full atomic.Int32
		var wg sync.WaitGroup
		workers := make([]*model.User, 20)
		for i := range workers {
			workers[i] = newWorker(t, s, fmt.Sprintf("seat-%d", i), 300+i)
		}
		start := make(chan struct{})
		for _, w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				_, err := s.Enroll(ctx, w.ID, tr.ID, session)
				switch {
				case err == nil:
					won.Add(1)
				case errors.Is(err, model.ErrSessionFull):
					full.Add(1)
				default:
					t.Errorf("enroll: %v", err)
				}
			}()
		}
		close(start)
		wg.Wait()
		after, _ := s.Training(ctx, tr.ID)
		if won.Load() != 1 || full.Load() != 19 || after.Sessions[0].Taken != 1 {
			t.Fatalf("won %d, full %d, taken %d", won.Load(), full.Load(), after.Sessions[0].Taken)
		}
	})
}

func TestEnrollmentRules(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		tr := course(t, s, 5, s.Now().Add(48*time.Hour))
		w := newWorker(t, s, "learner", 1)
		e, err := s.Enroll(ctx, w.ID, tr.ID, tr.Sessions[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Enroll(ctx, w.ID, tr.ID, tr.Sessions[1].ID); !errors.Is(err, model.ErrAlreadyEnrolled) {
			t.Fatalf("second active enrolment: %v", err)
		}
		other := newWorker(t, s, "other", 2)
		if _, err := s.CancelEnrollment(ctx, other.ID, e.ID); !errors.Is(err, model.ErrNotFound) {
			t.Fatalf("cancel someone else's: %v", err)
		}
		if _, err := s.CancelEnrollment(ctx, w.ID, e.ID); err != nil {
			t.Fatal(err)
		}
		// Signing up again after cancelling picks another session; the seat of the first came back.
		if _, err := s.Enroll(ctx, w.ID, tr.ID, tr.Sessions[1].ID); err != nil {
			t.Fatal(err)
		}
		after, _ := s.Training(ctx, tr.ID)
		if after.Sessions[0].Taken != 0 || after.Sessions[1].Taken != 1 {
			t.Fatalf("seats: %+v", after.Sessions)
		}
		huainan := model.Scope{Prefix: "3404", UserID: 5}
		if _, err := s.MarkEnrollment(ctx, huainan, e.ID, model.EnrollCompleted); !errors.Is(err, model.ErrNotFound) {
			t.Fatalf("淮南 staff marked a 合肥 course: %v", err)
		}
		if _, err := s.MarkEnrollment(ctx, admin, e.ID, model.EnrollCompleted); err != nil {
			t.Fatal(err)
		}
		records, _ := s.SkillRecords(ctx, w.ID)
		if len(records) != 1 || records[0].Title != "家政服务员培训" {
			t.Fatalf("skill records: %+v", records)
		}

		closed := course(t, s, 5, s.Now().Add(-time.Minute))
		if _, err := s.Enroll(ctx, w.ID, closed.ID, closed.Sessions[0].ID); !errors.Is(err, model.ErrSignupClosed) {
			t.Fatalf("after the deadline: %v", err)
		}
		if _, err := s.Enroll(ctx, other.ID, tr.ID, closed.Sessions[0].ID); !errors.As(err, new(*model.InvalidInput)) {
			t.Fatalf("a session of another course: %v", err)
		}
	})
}

func dayPlan(t *testing.T, s *model.Store, minAge, maxAge int) *model.InsurancePlan {
	t.Helper()
	p, err := s.SavePlan(ctx, admin, 0, model.PlanInput{Name: "零工日保", Insurer: "某某财产保险安徽分公司",
		DeathDisabilityCents: 50_0000_00, MedicalCents: 5_0000_00, Term: model.TermDay, PremiumCents: 2_00,
		Payer: model.PayerEmployer, MinAge: minAge, MaxAge: maxAge, Active: true})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// The same cover for the same day is never bought twice, even by racing requests.
func TestInsuranceNeverTwiceForTheSameDay(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		plan := dayPlan(t, s, 18, 65)
		w := newWorker(t, s, "insured", 1)
		day := s.Now().AddDate(0, 0, 1).Format("2006-01-02")
		var ok, dup atomic.Int32
		var wg sync.WaitGroup
		for range 10 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := s.EnrollInsurance(ctx, w.ID, plan.ID, day)
				switch {
				case err == nil:
					ok.Add(1)
				case errors.Is(err, model.ErrAlreadyInsured):
					dup.Add(1)
				default:
					t.Errorf("insure: %v", err)
				}
			}()
		}
		wg.Wait()
		if ok.Load() != 1 || dup.Load() != 9 {
			t.Fatalf("policies %d, refused %d", ok.Load(), dup.Load())
		}

		old := signIn(t, s, "old")
		if _, err := s.SaveWorker(ctx, old.ID, model.WorkerInput{Name: "赵大爷", IDNumber: modeltest.IDNumber("19500101", 9),
			SkillIDs: []uint64{1}}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.EnrollInsurance(ctx, old.ID, plan.ID, day); !errors.Is(err, model.ErrAgeNotCovered) {
			t.Fatalf("76-year-old on an 18–65 plan: %v", err)
		}
		stranger := signIn(t, s, "no-profile")
		if _, err := s.EnrollInsurance(ctx, stranger.ID, plan.ID, day); !errors.Is(err, model.ErrNeedsIdentity) {
			t.Fatalf("no real name: %v", err)
		}
	})
}

func TestGigInsuranceAndIncidents(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		plan := dayPlan(t, s, 18, 65)
		emp := newEmployer(t, s, "boss", "340104")
		in := gigInput(s, 3, model.HireFirstCome)
		in.EndDate = s.Now().AddDate(0, 0, 1).Format("2006-01-02") // two work days
		g, _ := s.CreateGig(ctx, emp.ID, in)
		s.DecideGig(ctx, admin, g.ID, true, "")
		w1, w2 := newWorker(t, s, "a", 1), newWorker(t, s, "b", 2)
		s.Apply(ctx, w1.ID, g.ID)
		s.Apply(ctx, w2.ID, g.ID)
		// w1 already bought today's cover themselves.
		own, err := s.EnrollInsurance(ctx, w1.ID, plan.ID, s.Now().Format("2006-01-02"))
		if err != nil {
			t.Fatal(err)
		}
		res, err := s.InsureGigWorkers(ctx, emp.ID, g.ID, plan.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Created) != 3 || len(res.Skipped) != 1 || res.Skipped[0].Reason != "already_insured" {
			t.Fatalf("gig insurance: %+v", res)
		}
		if again, _ := s.InsureGigWorkers(ctx, emp.ID, g.ID, plan.ID); len(again.Created) != 0 {
			t.Fatalf("second run created %d", len(again.Created))
		}
		other := newEmployer(t, s, "other", "340104")
		if _, err := s.InsureGigWorkers(ctx, other.ID, g.ID, plan.ID); !errors.Is(err, model.ErrNotFound) {
			t.Fatalf("another employer insured this gig's workers: %v", err)
		}

		if _, err := s.ReportIncident(ctx, w1.ID, own.ID, s.Now(), "工地", "搬砖时砸伤脚"); !errors.As(err, new(*model.InvalidInput)) {
			t.Fatalf("incident on a pending policy: %v", err)
		}
		// A number WeChat could not carry to the worker (Chinese, too long) is refused, never cut.
		for _, bad := range []string{"人保2026第一号", strings.Repeat("9", 33)} {
			if _, err := s.ConfirmPolicy(ctx, admin, own.ID, bad); err == nil {
				t.Fatalf("policy number %q accepted", bad)
			}
		}
		if _, err := s.ConfirmPolicy(ctx, admin, own.ID, "PICC-2026-0001"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.ReportIncident(ctx, w2.ID, own.ID, s.Now(), "工地", "搬砖时砸伤脚"); !errors.Is(err, model.ErrNotFound) {
			t.Fatalf("incident on someone else's policy: %v", err)
		}
		inc, err := s.ReportIncident(ctx, w1.ID, own.ID, s.Now(), "蜀山区工地", "搬砖时砸伤脚")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.FollowIncident(ctx, admin, inc.ID, model.IncidentFollowing, "已联系保险公司"); err != nil {
			t.Fatal(err)
		}
		policies, _ := s.WorkerPolicies(ctx, w1.ID)
		today := s.Now().Format("2006-01-02")
		covered := false
		for _, p := range policies {
			covered = covered || p.CoversToday(today)
			if p.ID == own.ID && (len(p.Incidents) != 1 || p.Incidents[0].Note != "已联系保险公司") {
				t.Fatalf("incident progress: %+v", p.Incidents)
			}
		}
		if !covered {
			t.Fatal("the confirmed policy covers today")
		}
	})
}

func TestComplaintFlow(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		emp := newEmployer(t, s, "boss", "340104")
		g := publishedGig(t, s, emp, 1, model.HireFirstCome)
		w := newWorker(t, s, "w", 1)
		app, _ := s.Apply(ctx, w.ID, g.ID)
		s.Complete(ctx, emp.ID, app.ID, 100_00)
		if _, err := s.DisputePay(ctx, w.ID, app.ID, "说好250只给了100"); err != nil {
			t.Fatal(err)
		}
		mine, _ := s.MyComplaints(ctx, w.ID)
		if len(mine) != 1 || mine[0].Category != model.ComplaintWageArrears || *mine[0].ApplicationID != app.ID || mine[0].AreaCode != "340104" {
			t.Fatalf("the dispute's complaint: %+v", mine)
		}
		c := mine[0]
		if c.AcceptDue.Sub(c.CreatedAt) < 3*24*time.Hour {
			t.Fatalf("accept due %v after filing, want 3 working days", c.AcceptDue.Sub(c.CreatedAt))
		}
		if _, err := s.ComplaintForEmployer(ctx, emp.ID, c.ID); !errors.Is(err, model.ErrNotFound) {
			t.Fatalf("the employer saw an unshared complaint: %v", err)
		}
		huainan := model.Scope{Prefix: "3404", UserID: 7}
		if _, err := s.MoveComplaint(ctx, huainan, c.ID, model.CaseAccepted, ""); !errors.Is(err, model.ErrNotFound) {
			t.Fatalf("淮南 staff moved a 合肥 complaint: %v", err)
		}
		if _, err := s.MoveComplaint(ctx, admin, c.ID, model.CaseResolved, ""); !errors.Is(err, model.ErrWrongState) {
			t.Fatalf("resolve before accepting: %v", err)
		}
		for _, step := range []string{model.CaseAccepted, model.CaseProcessing} {
			if _, err := s.MoveComplaint(ctx, admin, c.ID, step, "正在联系雇主"); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.RateComplaint(ctx, w.ID, c.ID, 5, ""); !errors.Is(err, model.ErrWrongState) {
			t.Fatalf("rating before resolution: %v", err)
		}
		if _, err := s.ShareComplaint(ctx, admin, c.ID); err != nil {
			t.Fatal(err)
		}
		if v, err := s.ComplaintForEmployer(ctx, emp.ID, c.ID); err != nil || v.ShowIdentity {
			t.Fatalf("shared: %v", err)
		}
		v, err := s.MoveComplaint(ctx, admin, c.ID, model.CaseResolved, "雇主已补发150元")
		if err != nil {
			t.Fatal(err)
		}
		if len(v.Events) != 5 {
			t.Fatalf("timeline: %+v", v.Events)
		}
		if _, err := s.RateComplaint(ctx, w.ID, c.ID, 5, "很及时"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.RateComplaint(ctx, w.ID, c.ID, 4, ""); !errors.Is(err, model.ErrAlreadySurveyed) {
			t.Fatalf("second survey: %v", err)
		}
		other := newWorker(t, s, "other", 2)
		if _, err := s.ComplaintFor(ctx, other.ID, c.ID); !errors.Is(err, model.ErrNotFound) {
			t.Fatalf("another worker read the complaint: %v", err)
		}
		if _, err := s.FileComplaint(ctx, other.ID, model.ComplaintInput{Category: model.ComplaintWageArrears,
			ApplicationID: &app.ID, Description: "不是我的报名"}); !errors.As(err, new(*model.InvalidInput)) {
			t.Fatalf("a complaint about someone else's application: %v", err)
		}
	})
}
