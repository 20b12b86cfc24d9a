package model_test

import (
	"errors"
	"sync"
	"testing"
	"time"

	"lingong/model"
	"lingong/model/modeltest"
)

// recordScene is the two-day gig of reliabilityGig with four workers: came checks in both days and is paid
// on the Wednesday and rated; absent never comes (two no-shows) and complains of the employer, which staff
// uphold; unpaid checks in on the Monday and is never paid; letGo is let go on the Monday (a late
// cancellation). The clock ends on Wednesday 2 December.
type recordScene struct {
	emp, came, absent, unpaid, letGo *model.User
	gig                              *model.Gig
	clock                            *time.Time
}

func newRecordScene(t *testing.T, s *model.Store) *recordScene {
	t.Helper()
	sc := &recordScene{clock: new(time.Time)}
	sc.emp, sc.gig = reliabilityGig(t, s, sc.clock)
	apps := map[*model.User]*model.Application{}
	for i, w := range []**model.User{&sc.came, &sc.absent, &sc.unpaid, &sc.letGo} {
		*w = newWorker(t, s, []string{"came", "absent", "unpaid", "letgo"}[i], i+1)
		app, err := s.Apply(ctx, (*w).ID, sc.gig.ID)
		if err != nil {
			t.Fatal(err)
		}
		apps[*w] = app
	}
	scan := func(w *model.User) {
		t.Helper()
		if _, err := s.ScanAttendance(ctx, w.ID, sc.gig.ID, currentCode(t, s, sc.emp, sc.gig.ID), nil); err != nil {
			t.Fatal(err)
		}
	}
	*sc.clock = time.Date(2026, 11, 30, 8, 0, 0, 0, model.Shanghai)
	scan(sc.came)
	scan(sc.unpaid)
	if _, err := s.Reject(ctx, sc.emp.ID, apps[sc.letGo].ID); err != nil {
		t.Fatal(err)
	}
	*sc.clock = time.Date(2026, 12, 1, 8, 0, 0, 0, model.Shanghai)
	scan(sc.came)
	*sc.clock = time.Date(2026, 12, 2, 9, 0, 0, 0, model.Shanghai)
	if _, err := s.RecordNoShows(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Complete(ctx, sc.emp.ID, apps[sc.came].ID, 500_00); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ConfirmPay(ctx, sc.came.ID, apps[sc.came].ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Rate(ctx, sc.emp.ID, apps[sc.came].ID, 5, "干活踏实"); err != nil {
		t.Fatal(err)
	}
	c, err := s.FileComplaint(ctx, sc.absent.ID, model.ComplaintInput{Category: model.ComplaintFees, GigID: &sc.gig.ID,
		EmployerID: &sc.gig.EmployerID, Description: "让我先交押金两百元"})
	if err != nil {
		t.Fatal(err)
	}
	for _, to := range []string{model.CaseAccepted, model.CaseResolved} {
		if _, err := s.MoveComplaint(ctx, admin, c.ID, to, "已核实"); err != nil {
			t.Fatal(err)
		}
	}
	return sc
}

// Each number of both records counts what it says: days from attendance, no-shows of the last 90 days, the
// employer's gigs completed, pay recorded within 7 days of the last day and not disputed (a worker who worked
// and is still unpaid 8 days on counts against), upheld complaints and late cancellations; each person's own
// record lists the entries behind the numbers.
func TestRecordsBothWays(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		sc := newRecordScene(t, s)
		recs, err := s.WorkerRecords(ctx, []uint64{sc.came.ID, sc.absent.ID, sc.came.ID})
		if err != nil {
			t.Fatal(err)
		}
		if r := recs[sc.came.ID]; r.DaysWorked != 2 || r.NoShows != 0 || r.Rating != 5 || r.RatingCount != 1 {
			t.Errorf("came: %+v", r)
		}
		if r := recs[sc.absent.ID]; r.DaysWorked != 0 || r.NoShows != 2 {
			t.Errorf("absent: %+v", r)
		}
		want := model.EmployerRecord{GigsCompleted: 1, PaidDue: 1, PaidOnTime: 1, UpheldComplaints: 1, LateCancels: 1}
		if r, err := s.EmployerRecordOf(ctx, sc.gig.EmployerID); err != nil || r != want {
			t.Fatalf("the employer on Wednesday: %+v, %v", r, err)
		}

		// Eight days after the last day, the worker who worked and was never paid is due, and late. 90 days
		// after the no-shows they no longer count.
		*sc.clock = time.Date(2026, 12, 9, 0, 0, 0, 0, model.Shanghai)
		own, err := s.EmployerOwnRecord(ctx, sc.emp.ID)
		if err != nil {
			t.Fatal(err)
		}
		want.PaidDue = 2
		if own.EmployerRecord != want {
			t.Fatalf("the employer on 9 December: %+v", own.EmployerRecord)
		}
		if len(own.GigEntries) != 1 || len(own.PayEntries) != 2 || len(own.ComplaintEntries) != 1 || len(own.LateCancelEntries) != 1 {
			t.Fatalf("the employer's entries: %+v", own)
		}
		if own.PayEntries[0].Text != "活结束7天后还没有记付款" || own.PayEntries[1].Text != "按时记了付款，工人没有异议" ||
			own.ComplaintEntries[0].Text != "工作人员核实属实的投诉：收费押金" || own.LateCancelEntries[0].Day != "2026-11-30" {
			t.Fatalf("the employer's entries say: %+v", own)
		}
		*sc.clock = time.Date(2026, 12, 8, 23, 59, 0, 0, model.Shanghai)
		if own, err := s.EmployerOwnRecord(ctx, sc.emp.ID); err != nil || own.PaidDue != 1 {
			t.Fatalf("the last on-time day: %+v, %v", own, err)
		}

		mine, err := s.WorkerOwnRecord(ctx, sc.absent.ID)
		if err != nil {
			t.Fatal(err)
		}
		if mine.WorkerRecord.NoShows != 2 || len(mine.NoShowEntries) != 2 || !mine.NoShowEntries[0].Counted || mine.NoShowEntries[0].Day != "2026-12-01" {
			t.Fatalf("absent's own record: %+v", mine)
		}
		if mine, err = s.WorkerOwnRecord(ctx, sc.came.ID); err != nil || len(mine.DayEntries) != 2 || len(mine.RatingEntries) != 1 ||
			mine.RatingEntries[0].Text != "雇主打了5颗星：干活踏实" {
			t.Fatalf("came's own record: %+v, %v", mine, err)
		}
		*sc.clock = time.Date(2027, 3, 2, 12, 0, 0, 0, model.Shanghai) // 91 days after 1 December
		if mine, err = s.WorkerOwnRecord(ctx, sc.absent.ID); err != nil || mine.WorkerRecord.NoShows != 0 || len(mine.NoShowEntries) != 0 {
			t.Fatalf("absent 90 days on: %+v, %v", mine, err)
		}
	})
}

// One open request per entry, decided by the database among many at once; only the entry's own person may
// ask; staff of the gig's area decide once, not on their own record, a refusal says why and lets the person
// ask again, an acceptance takes the entry out of the counts (the employer's record on the gig page at once
// in this instance) and tells the person.
func TestCorrections(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		sc := newRecordScene(t, s)
		mine, err := s.WorkerOwnRecord(ctx, sc.absent.ID)
		if err != nil {
			t.Fatal(err)
		}
		noShow := mine.NoShowEntries[0].ID // Tuesday's
		// The employer marks Tuesday's arrival after the job decided the day: staff see it beside the request.
		if _, err := s.MarkArrival(ctx, sc.emp.ID, sc.gig.ID, sc.absent.ID, "2026-12-01", time.Date(2026, 12, 1, 7, 30, 0, 0, model.Shanghai)); err != nil {
			t.Fatal(err)
		}
		if _, err := s.RequestCorrection(ctx, sc.emp.ID, noShow, "他来了"); !errors.Is(err, model.ErrNotFound) {
			t.Fatalf("the employer asking about a worker's no-show: %v", err)
		}
		if _, err := s.RequestCorrection(ctx, sc.came.ID, noShow, "他来了"); !errors.Is(err, model.ErrNotFound) {
			t.Fatalf("another worker asking: %v", err)
		}
		if _, err := s.RequestCorrection(ctx, sc.absent.ID, noShow, " "); !errors.Is(err, model.ErrCorrectionReason) {
			t.Fatalf("no reason: %v", err)
		}

		const tries = 12
		var wg sync.WaitGroup
		errs := make([]error, tries)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = s.RequestCorrection(ctx, sc.absent.ID, noShow, "那天雇主打电话说不用去了")
			}()
		}
		wg.Wait()
		opened := 0
		for _, err := range errs {
			switch {
			case err == nil:
				opened++
			case !errors.Is(err, model.ErrCorrectionOpen):
				t.Fatalf("a request: %v", err)
			}
		}
		if opened != 1 {
			t.Fatalf("%d requests opened at once, want 1", opened)
		}
		cases, err := s.Corrections(ctx, admin, 50)
		if err != nil || len(cases) != 1 || cases[0].Kind != model.EventNoShow || cases[0].GigTitle != "小区搬家工" ||
			cases[0].WorkerName != "王**" || cases[0].Status != model.CorrectionOpen ||
			cases[0].Attendance == nil || cases[0].Attendance.Method != model.AttendMarked {
			t.Fatalf("staff's list: %+v, %v", cases, err)
		}
		id := cases[0].ID
		huainan := model.Scope{Prefix: "3404", UserID: 999_998}
		if list, err := s.Corrections(ctx, huainan, 50); err != nil || len(list) != 0 {
			t.Fatalf("淮南's staff see 合肥's: %+v, %v", list, err)
		}
		if _, err := s.DecideCorrection(ctx, huainan, id, true, ""); !errors.Is(err, model.ErrNotFound) {
			t.Fatalf("淮南's staff decide: %v", err)
		}
		if _, err := s.DecideCorrection(ctx, model.Scope{All: true, UserID: sc.absent.ID}, id, true, ""); !errors.Is(err, model.ErrConflictOfInterest) {
			t.Fatalf("the worker as staff: %v", err)
		}
		if _, err := s.DecideCorrection(ctx, admin, id, false, ""); !errors.Is(err, model.ErrCorrectionNote) {
			t.Fatalf("refused without a note: %v", err)
		}
		if c, err := s.DecideCorrection(ctx, admin, id, false, "雇主说没有打过电话"); err != nil || c.Status != model.CorrectionRefused {
			t.Fatalf("refused: %+v, %v", c, err)
		}
		if _, err := s.DecideCorrection(ctx, admin, id, true, ""); !errors.Is(err, model.ErrAlreadyDecided) {
			t.Fatalf("decided twice: %v", err)
		}
		again, err := s.RequestCorrection(ctx, sc.absent.ID, noShow, "有通话记录，可以给工作人员看")
		if err != nil {
			t.Fatalf("asking again after a refusal: %v", err)
		}
		if _, err := s.DecideCorrection(ctx, admin, again.ID, true, "看了通话记录"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.RequestCorrection(ctx, sc.absent.ID, noShow, "再问一次"); !errors.Is(err, model.ErrAlreadyCorrected) {
			t.Fatalf("asking about a corrected entry: %v", err)
		}
		if mine, err = s.WorkerOwnRecord(ctx, sc.absent.ID); err != nil || mine.WorkerRecord.NoShows != 1 ||
			mine.NoShowEntries[0].Counted || mine.NoShowEntries[0].Correction.Status != model.CorrectionAccepted {
			t.Fatalf("after the correction: %+v, %v", mine, err)
		}

		// The employer's late cancellation, corrected: the gig page's record (reused for minutes) shows it at once.
		if r, err := s.EmployerRecordOf(ctx, sc.gig.EmployerID); err != nil || r.LateCancels != 1 {
			t.Fatalf("before: %+v, %v", r, err)
		}
		own, err := s.EmployerOwnRecord(ctx, sc.emp.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.RequestCorrection(ctx, sc.letGo.ID, own.LateCancelEntries[0].ID, "我同意的"); !errors.Is(err, model.ErrNotFound) {
			t.Fatalf("the worker asking about the employer's entry: %v", err)
		}
		c, err := s.RequestCorrection(ctx, sc.emp.ID, own.LateCancelEntries[0].ID, "工人自己说家里有事不干了")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.DecideCorrection(ctx, admin, c.ID, true, ""); err != nil {
			t.Fatal(err)
		}
		if r, err := s.EmployerRecordOf(ctx, sc.gig.EmployerID); err != nil || r.LateCancels != 0 {
			t.Fatalf("after: %+v, %v", r, err)
		}
		var told []model.OutboxMessage
		if err := s.DB.Where("template_key = ? AND page = ?", model.MsgReviewResult, model.RecordPage).Order("id").Find(&told).Error; err != nil {
			t.Fatal(err)
		}
		if len(told) != 3 || told[0].UserID != sc.absent.ID || told[2].UserID != sc.emp.ID || told[0].Fields()["result"] != "未通过" {
			t.Fatalf("told: %+v", told)
		}
	})
}

// A family delegate reads the elder's record and asks about the elder's no-show, recorded as done for them;
// nobody else does, and the family cannot ask about the employer's entries.
func TestFamilyAsksForACorrection(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		sc := newRecordScene(t, s)
		family, stranger := signIn(t, s, "family"), signIn(t, s, "stranger")
		code, _, err := s.InviteDelegate(ctx, sc.absent.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.AcceptDelegation(ctx, family.ID, code); err != nil {
			t.Fatal(err)
		}
		if _, err := s.WorkerRecordFor(ctx, stranger.ID, sc.absent.ID); !errors.Is(err, model.ErrNotFound) {
			t.Fatalf("a stranger read the record: %v", err)
		}
		theirs, err := s.WorkerRecordFor(ctx, family.ID, sc.absent.ID)
		if err != nil || theirs.WorkerRecord.NoShows != 2 {
			t.Fatalf("the family's view: %+v, %v", theirs, err)
		}
		noShow := theirs.NoShowEntries[0].ID
		if _, err := s.RequestCorrection(ctx, stranger.ID, noShow, "他那天病了"); !errors.Is(err, model.ErrNotFound) {
			t.Fatalf("a stranger asked: %v", err)
		}
		if _, err := s.RequestCorrection(ctx, family.ID, noShow, "他那天病了，给雇主打过电话"); err != nil {
			t.Fatalf("the family asked: %v", err)
		}
		var acts int64
		if err := s.DB.Model(&model.OnBehalfAction{}).Where("actor_id = ? AND subject_id = ? AND action = ?", family.ID, sc.absent.ID,
			"correction_requested").Count(&acts).Error; err != nil || acts != 1 {
			t.Fatalf("%d actions on behalf recorded, %v", acts, err)
		}
		own, err := s.EmployerOwnRecord(ctx, sc.emp.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.RequestCorrection(ctx, family.ID, own.LateCancelEntries[0].ID, "不算"); !errors.Is(err, model.ErrNotFound) {
			t.Fatalf("the family asked about the employer's entry: %v", err)
		}
	})
}

// An employer's mark the worker contested is not a day worked: not in the worker's record, not an unpaid day
// in staff's figures.
func TestContestedMarkIsNoDayWorked(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		sc := newRecordScene(t, s)
		mark, err := s.MarkArrival(ctx, sc.emp.ID, sc.gig.ID, sc.absent.ID, "2026-12-01", time.Date(2026, 12, 1, 7, 30, 0, 0, model.Shanghai))
		if err != nil {
			t.Fatal(err)
		}
		figures := func() (days, unpaid int) {
			t.Helper()
			rec, err := s.WorkerRecords(ctx, []uint64{sc.absent.ID})
			if err != nil {
				t.Fatal(err)
			}
			st, err := s.Stats(ctx, admin, time.Date(2026, 11, 30, 0, 0, 0, 0, model.Shanghai), time.Date(2026, 12, 2, 0, 0, 0, 0, model.Shanghai), "")
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range st.ByEmployer {
				unpaid += e.UnpaidDays
			}
			return int(rec[sc.absent.ID].DaysWorked), unpaid
		}
		days, unpaid := figures()
		if days != 1 {
			t.Fatalf("a marked day not yet answered: %d days", days)
		}
		if _, err := s.AnswerMark(ctx, sc.absent.ID, mark.ID, model.MarkContested, "那天我没去"); err != nil {
			t.Fatal(err)
		}
		if d, u := figures(); d != 0 || u != unpaid-1 {
			t.Fatalf("after contesting: %d days (want 0), %d unpaid days (want %d)", d, u, unpaid-1)
		}
		own, err := s.WorkerOwnRecord(ctx, sc.absent.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range own.DayEntries {
			if e.ID == mark.ID && e.Counted {
				t.Fatal("the contested day is shown as counted")
			}
		}
	})
}
