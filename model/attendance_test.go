package model_test

import (
	"errors"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"lingong/model"
	"lingong/model/modeltest"
)

// checkInDay is a Monday 08:00 in Shanghai, on a 30-second boundary, so steps are easy to count.
var checkInDay = time.Date(2026, 11, 30, 8, 0, 0, 0, model.Shanghai)

// checkInGig makes the clock checkInDay and a two-day first-come gig starting that day with one worker
// taken on.
func checkInGig(t *testing.T, s *model.Store, clock *time.Time) (emp, worker *model.User, g *model.Gig) {
	t.Helper()
	*clock = checkInDay
	s.Now = func() time.Time { return *clock }
	emp = newEmployer(t, s, "boss", "340104")
	in := gigInput(s, 5, model.HireFirstCome)
	in.EndDate = checkInDay.AddDate(0, 0, 1).Format("2006-01-02")
	g, err := s.CreateGig(ctx, emp.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	if g, err = s.DecideGig(ctx, admin, g.ID, true, ""); err != nil {
		t.Fatal(err)
	}
	worker = newWorker(t, s, "w1", 1)
	if _, err := s.Apply(ctx, worker.ID, g.ID); err != nil {
		t.Fatal(err)
	}
	return emp, worker, g
}

func currentCode(t *testing.T, s *model.Store, emp *model.User, gigID uint64) string {
	t.Helper()
	code, err := s.AttendanceCode(ctx, emp.ID, gigID)
	if err != nil {
		t.Fatal(err)
	}
	return code.Token
}

// A code works for 30 to 60 seconds, once per worker and direction; codes of another gig or day, and forged
// ones, are refused.
func TestCheckInCodeExpiryAndReplay(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		var clock time.Time
		emp, w, g := checkInGig(t, s, &clock)
		code, err := s.AttendanceCode(ctx, emp.ID, g.ID)
		if err != nil {
			t.Fatal(err)
		}
		if want := checkInDay.Add(model.AttendanceStep); !code.ChangesAt.Equal(want) || code.Day != "2026-11-30" {
			t.Fatalf("code: %+v", code)
		}
		if _, err := s.AttendanceCode(ctx, w.ID, g.ID); !errors.Is(err, model.ErrNotFound) {
			t.Fatalf("a worker asked for the employer's code: %v", err)
		}

		// Forged: a changed signature, a signature moved to another gig, nonsense.
		last := "0"
		if strings.HasSuffix(code.Token, "0") {
			last = "1"
		}
		forged := code.Token[:len(code.Token)-1] + last
		other := strings.Replace(code.Token, "LGA1."+strconv.FormatUint(g.ID, 10)+".", "LGA1."+strconv.FormatUint(g.ID+1, 10)+".", 1)
		for _, tok := range []string{forged, other, "", "LGA1.1.20261130.1.x", "hello"} {
			if _, err := s.ScanAttendance(ctx, w.ID, g.ID, tok, nil); !errors.Is(err, model.ErrCodeInvalid) {
				t.Fatalf("forged %q: %v", tok, err)
			}
		}
		// Another gig's genuine code.
		g2 := publishedGig(t, s, emp, 2, model.HireFirstCome)
		if _, err := s.ScanAttendance(ctx, w.ID, g.ID, currentCode(t, s, emp, g2.ID), nil); !errors.Is(err, model.ErrCodeInvalid) {
			t.Fatalf("another gig's code: %v", err)
		}
		// Genuine codes of another day, with the current step: tomorrow's, yesterday's.
		step := model.AttendanceStepOf(clock)
		for _, day := range []string{"2026-12-01", "2026-11-29"} {
			if _, err := s.ScanAttendance(ctx, w.ID, g.ID, s.AttendanceTokenFor(g.ID, day, step), nil); !errors.Is(err, model.ErrCodeExpired) {
				t.Fatalf("code of %s: %v", day, err)
			}
		}

		// Expiry: still good 59 s later, expired at 60 s.
		clock = checkInDay.Add(60 * time.Second)
		if _, err := s.ScanAttendance(ctx, w.ID, g.ID, code.Token, nil); !errors.Is(err, model.ErrCodeExpired) {
			t.Fatalf("60 s later: %v", err)
		}
		clock = checkInDay.Add(59 * time.Second)
		got, err := s.ScanAttendance(ctx, w.ID, g.ID, code.Token, &model.Place{Lat: 31.8613, Lng: 117.2831})
		if err != nil || got.Left || got.Method != model.AttendScan || !got.ArrivedAt.Equal(clock) {
			t.Fatalf("arrival: %+v, %v", got, err)
		}
		// Replay: the same code again, and a fresh one soon after, record nothing.
		if _, err := s.ScanAttendance(ctx, w.ID, g.ID, code.Token, nil); !errors.Is(err, model.ErrAlreadyArrived) {
			t.Fatalf("same code twice: %v", err)
		}
		clock = checkInDay.Add(10 * time.Minute)
		if _, err := s.ScanAttendance(ctx, w.ID, g.ID, currentCode(t, s, emp, g.ID), nil); !errors.Is(err, model.ErrAlreadyArrived) {
			t.Fatalf("scanned again soon after: %v", err)
		}
		// Leaving, with a fresh code, once.
		clock = checkInDay.Add(9 * time.Hour)
		leave := currentCode(t, s, emp, g.ID)
		got, err = s.ScanAttendance(ctx, w.ID, g.ID, leave, nil)
		if err != nil || !got.Left || got.LeftAt == nil || !got.LeftAt.Equal(clock) {
			t.Fatalf("leaving: %+v, %v", got, err)
		}
		if _, err := s.ScanAttendance(ctx, w.ID, g.ID, leave, nil); !errors.Is(err, model.ErrAlreadyLeft) {
			t.Fatalf("leaving twice: %v", err)
		}
		// The location is sealed at rest and shown to the employer of the gig for the day.
		var raw model.Attendance
		s.DB.Where("worker_id = ?", w.ID).Take(&raw)
		if raw.ArriveGeoCipher == "" || strings.Contains(raw.ArriveGeoCipher, "31.86") {
			t.Fatalf("stored location: %q", raw.ArriveGeoCipher)
		}
		list, err := s.GigAttendance(ctx, emp.ID, g.ID, "2026-11-30")
		if err != nil || len(list) != 1 || list[0].Attendance == nil || list[0].ArriveAt == nil || list[0].ArriveAt.Lat != 31.8613 || list[0].LeaveAt != nil {
			t.Fatalf("day list: %+v, %v", list, err)
		}
		if _, err := s.GigAttendance(ctx, w.ID, g.ID, "2026-11-30"); !errors.Is(err, model.ErrNotFound) {
			t.Fatalf("the worker read the employer's list: %v", err)
		}
	})
}

// Only workers the employer took on check in, and only on the gig's work days.
func TestCheckInOnlyTakenOnWorkersOnWorkDays(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		var clock time.Time
		emp, w, g := checkInGig(t, s, &clock)
		stranger := newWorker(t, s, "w2", 2)
		code := currentCode(t, s, emp, g.ID)
		if _, err := s.ScanAttendance(ctx, stranger.ID, g.ID, code, nil); !errors.Is(err, model.ErrNotTakenOn) {
			t.Fatalf("a worker who never applied: %v", err)
		}
		// Applied to a gig that selects, but not accepted.
		sel := publishedGig(t, s, emp, 2, model.HireSelect)
		if _, err := s.Apply(ctx, stranger.ID, sel.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.ScanAttendance(ctx, stranger.ID, sel.ID, currentCode(t, s, emp, sel.ID), nil); !errors.Is(err, model.ErrNotTakenOn) {
			t.Fatalf("a pending applicant: %v", err)
		}
		// A worker who withdrew.
		app, _ := s.ApplicationOf(ctx, w.ID, g.ID)
		if _, err := s.Withdraw(ctx, w.ID, app.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.ScanAttendance(ctx, w.ID, g.ID, code, nil); !errors.Is(err, model.ErrNotTakenOn) {
			t.Fatalf("withdrawn: %v", err)
		}
		if _, err := s.Apply(ctx, w.ID, g.ID); err != nil {
			t.Fatal(err)
		}
		// The day after the last work day: no code, and a genuine code for that day is refused.
		clock = checkInDay.AddDate(0, 0, 2)
		if _, err := s.AttendanceCode(ctx, emp.ID, g.ID); !errors.Is(err, model.ErrNotWorkDay) {
			t.Fatalf("code after the gig: %v", err)
		}
		tok := s.AttendanceTokenFor(g.ID, "2026-12-02", model.AttendanceStepOf(clock))
		if _, err := s.ScanAttendance(ctx, w.ID, g.ID, tok, nil); !errors.Is(err, model.ErrNotWorkDay) {
			t.Fatalf("scan after the gig: %v", err)
		}
		// Its second day is one: 23:59 Shanghai on the Tuesday is still that day.
		clock = time.Date(2026, 12, 1, 23, 59, 0, 0, model.Shanghai)
		if _, err := s.ScanAttendance(ctx, w.ID, g.ID, currentCode(t, s, emp, g.ID), nil); err != nil {
			t.Fatalf("second day: %v", err)
		}
	})
}

// Many phones scanning at once for the same worker (a double tap, a retry) record one arrival and then one
// leaving: the unique key and the conditional update decide, in every instance.
func TestCheckInConcurrentScansDecidedByTheDatabase(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		var clock time.Time
		emp, w, g := checkInGig(t, s, &clock)
		race := func(wantErr error) (won int) {
			code := currentCode(t, s, emp, g.ID)
			var wg sync.WaitGroup
			var mu sync.Mutex
			for i := range 16 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					// Each phone somewhere else, so that no two writes are alike.
					_, err := s.ScanAttendance(ctx, w.ID, g.ID, code, &model.Place{Lat: 31 + float64(i)/100, Lng: 117})
					mu.Lock()
					defer mu.Unlock()
					switch {
					case err == nil:
						won++
					case !errors.Is(err, wantErr):
						t.Errorf("a losing scan: %v", err)
					}
				}()
			}
			wg.Wait()
			return won
		}
		if n := race(model.ErrAlreadyArrived); n != 1 {
			t.Fatalf("%d arrivals recorded", n)
		}
		clock = clock.Add(8 * time.Hour)
		if n := race(model.ErrAlreadyLeft); n != 1 {
			t.Fatalf("%d leavings recorded", n)
		}
		var rows int64
		s.DB.Model(&model.Attendance{}).Where("worker_id = ?", w.ID).Count(&rows)
		if rows != 1 {
			t.Fatalf("%d rows", rows)
		}
	})
}

// An employer's mark is answered once, by the worker or their family delegate and nobody else; only marks
// are answered.
func TestMarkedArrivalAnsweredByWorkerOrDelegate(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		var clock time.Time
		emp, w, g := checkInGig(t, s, &clock)
		clock = checkInDay.Add(2 * time.Hour)
		at := checkInDay.Add(-10 * time.Minute)
		other := newEmployer(t, s, "boss2", "340104")
		if _, err := s.MarkArrival(ctx, other.ID, g.ID, w.ID, "2026-11-30", at); !errors.Is(err, model.ErrNotFound) {
			t.Fatalf("another employer marked: %v", err)
		}
		for _, bad := range []time.Time{clock.Add(time.Minute), checkInDay.Add(-9 * time.Hour)} {
			if _, err := s.MarkArrival(ctx, emp.ID, g.ID, w.ID, "2026-11-30", bad); !errors.Is(err, model.ErrMarkTimeInvalid) {
				t.Fatalf("marked at %v: %v", bad, err)
			}
		}
		if _, err := s.MarkArrival(ctx, emp.ID, g.ID, w.ID, "2026-12-01", checkInDay.AddDate(0, 0, 1)); !errors.Is(err, model.ErrMarkTimeInvalid) {
			t.Fatalf("marked tomorrow: %v", err)
		}
		stranger := newWorker(t, s, "w2", 2)
		if _, err := s.MarkArrival(ctx, emp.ID, g.ID, stranger.ID, "2026-11-30", at); !errors.Is(err, model.ErrNotTakenOn) {
			t.Fatalf("marked a worker not taken on: %v", err)
		}
		mark, err := s.MarkArrival(ctx, emp.ID, g.ID, w.ID, "2026-11-30", at)
		if err != nil || mark.Method != model.AttendMarked || mark.Answer != "" {
			t.Fatalf("mark: %+v, %v", mark, err)
		}
		if _, err := s.MarkArrival(ctx, emp.ID, g.ID, w.ID, "2026-11-30", at); !errors.Is(err, model.ErrAlreadyArrived) {
			t.Fatalf("marked twice: %v", err)
		}
		// Neither the employer nor another worker answers for the worker.
		for _, who := range []*model.User{emp, stranger} {
			if _, err := s.AnswerMark(ctx, who.ID, mark.ID, model.MarkConfirmed, ""); !errors.Is(err, model.ErrNotFound) {
				t.Fatalf("user %d confirmed: %v", who.ID, err)
			}
		}
		// The family delegate does, and it is recorded as done on the worker's behalf.
		family := signIn(t, s, "family")
		code, _, err := s.InviteDelegate(ctx, w.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.AcceptDelegation(ctx, family.ID, code); err != nil {
			t.Fatal(err)
		}
		got, err := s.AnswerMark(ctx, family.ID, mark.ID, model.MarkContested, "  那天七点五十没到，八点半才到  ")
		if err != nil || got.Answer != model.MarkContested || got.AnswerNote != "那天七点五十没到，八点半才到" || *got.AnsweredBy != family.ID {
			t.Fatalf("contested: %+v, %v", got, err)
		}
		var acts int64
		s.DB.Model(&model.OnBehalfAction{}).Where("actor_id = ? AND action = ?", family.ID, "attendance_contested").Count(&acts)
		if acts != 1 {
			t.Fatalf("%d actions on behalf recorded", acts)
		}
		// Once only.
		if _, err := s.AnswerMark(ctx, w.ID, mark.ID, model.MarkConfirmed, ""); !errors.Is(err, model.ErrWrongState) {
			t.Fatalf("answered twice: %v", err)
		}
		// A scan is not answered.
		clock = checkInDay.AddDate(0, 0, 1).Add(time.Hour)
		scan, err := s.ScanAttendance(ctx, w.ID, g.ID, currentCode(t, s, emp, g.ID), nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.AnswerMark(ctx, w.ID, scan.ID, model.MarkConfirmed, ""); !errors.Is(err, model.ErrWrongState) {
			t.Fatalf("confirmed a scan: %v", err)
		}
		days, err := s.WorkerAttendance(ctx, w.ID, 10)
		if err != nil || len(days) != 2 || days[0].Day != "2026-12-01" || days[1].GigTitle != g.Title {
			t.Fatalf("worker's days: %+v, %v", days, err)
		}
		if _, err := s.AttendanceFor(ctx, stranger.ID, w.ID); !errors.Is(err, model.ErrNotFound) {
			t.Fatalf("a stranger read the worker's days: %v", err)
		}
	})
}

// Locations go once the dispute window is over; the record of the day stays.
func TestCheckInLocationsPurgedAfterTheDisputeWindow(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		var clock time.Time
		emp, w, g := checkInGig(t, s, &clock)
		if _, err := s.ScanAttendance(ctx, w.ID, g.ID, currentCode(t, s, emp, g.ID), &model.Place{Lat: 31.86, Lng: 117.28}); err != nil {
			t.Fatal(err)
		}
		located := func() (n int64) {
			s.DB.Model(&model.Attendance{}).Where("arrive_geo_cipher <> ''").Count(&n)
			return n
		}
		clock = checkInDay.Add(model.AttendanceGeoKeep)
		if _, err := s.PurgeFinished(ctx); err != nil || located() != 1 {
			t.Fatalf("purged inside the window: %v", err)
		}
		clock = checkInDay.Add(model.AttendanceGeoKeep + 24*time.Hour)
		if _, err := s.PurgeFinished(ctx); err != nil || located() != 0 {
			t.Fatalf("kept after the window: %v", err)
		}
		var rows int64
		s.DB.Model(&model.Attendance{}).Count(&rows)
		if rows != 1 {
			t.Fatalf("the day's record went too: %d rows", rows)
		}
	})
}

// The worker's own scan over an employer's unanswered mark is the arrival (at the scan's time), not the
// leaving; the day then ends with the next scan.
func TestScanOverAnUnansweredMarkIsTheArrival(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		var clock time.Time
		emp, w, g := checkInGig(t, s, &clock)
		if _, err := s.MarkArrival(ctx, emp.ID, g.ID, w.ID, "2026-11-30", checkInDay.Add(-2*time.Hour)); err != nil {
			t.Fatal(err)
		}
		r, err := s.ScanAttendance(ctx, w.ID, g.ID, currentCode(t, s, emp, g.ID), nil)
		if err != nil {
			t.Fatal(err)
		}
		if r.Left || r.Method != model.AttendScan || !r.ArrivedAt.Equal(checkInDay) {
			t.Fatalf("the scan over a mark: left %v, method %q, arrived %v", r.Left, r.Method, r.ArrivedAt)
		}
		clock = checkInDay.Add(9 * time.Hour)
		r, err = s.ScanAttendance(ctx, w.ID, g.ID, currentCode(t, s, emp, g.ID), nil)
		if err != nil || !r.Left {
			t.Fatalf("the evening scan: %+v, %v", r, err)
		}
	})
}

// An employer who is also the worker's family delegate cannot answer their own mark for the worker.
func TestEmployerCannotAnswerTheirOwnMarkAsFamily(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		var clock time.Time
		emp, w, g := checkInGig(t, s, &clock)
		code, _, err := s.InviteDelegate(ctx, w.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.AcceptDelegation(ctx, emp.ID, code); err != nil {
			t.Fatal(err)
		}
		mark, err := s.MarkArrival(ctx, emp.ID, g.ID, w.ID, "2026-11-30", checkInDay.Add(-time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.AnswerMark(ctx, emp.ID, mark.ID, model.MarkConfirmed, ""); !errors.Is(err, model.ErrOwnMark) {
			t.Fatalf("the employer confirmed their own mark as family: %v", err)
		}
		if _, err := s.AnswerMark(ctx, w.ID, mark.ID, model.MarkConfirmed, ""); err != nil {
			t.Fatalf("the worker: %v", err)
		}
	})
}
