package model_test

import (
	"errors"
	"testing"
	"time"

	"lingong/model"
	"lingong/model/modeltest"
)

// A day's cover the employer bought and the insurer has not confirmed yet covers the worker from their
// check-in at that gig: the policy shows covering today and an injury that day can be reported; without a
// check-in it does not. Staff following the case read the day's attendance: arrival, leaving, how recorded.
func TestInsuranceReadsAttendance(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		var clock time.Time
		emp, w, g := checkInGig(t, s, &clock)
		plan := dayPlan(t, s, 18, 65)
		res, err := s.InsureGigWorkers(ctx, emp.ID, g.ID, plan.ID)
		if err != nil || len(res.Created) != 2 {
			t.Fatalf("the gig's cover: %+v, %v", res, err)
		}
		today := res.Created[0]
		covers := func() bool {
			t.Helper()
			policies, err := s.WorkerPolicies(ctx, w.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range policies {
				if p.ID == today.ID {
					return p.CoversToday(clock.Format(time.DateOnly))
				}
			}
			t.Fatal("the policy is not listed")
			return false
		}
		if covers() {
			t.Fatal("a pending policy covers a worker who has not checked in")
		}
		if _, err := s.ReportIncident(ctx, w.ID, today.ID, clock, "工地", "搬砖时砸伤脚"); !errors.As(err, new(*model.InvalidInput)) {
			t.Fatalf("an injury before the check-in: %v", err)
		}
		if _, err := s.ScanAttendance(ctx, w.ID, g.ID, currentCode(t, s, emp, g.ID), nil); err != nil {
			t.Fatal(err)
		}
		clock = clock.Add(time.Hour)
		if !covers() {
			t.Fatal("the checked-in worker is not covered by the day's pending policy")
		}
		inc, err := s.ReportIncident(ctx, w.ID, today.ID, clock, "蜀山区工地", "搬砖时砸伤脚")
		if err != nil {
			t.Fatalf("an injury after the check-in: %v", err)
		}
		days, err := s.IncidentDays(ctx, []model.InsuranceIncident{*inc})
		if err != nil {
			t.Fatal(err)
		}
		if d := days[inc.ID]; len(d) != 1 || d[0].Method != model.AttendScan || !d[0].ArrivedAt.Equal(checkInDay) ||
			d[0].GigTitle != "小区搬家工" || d[0].EmployerName == "" || d[0].AnsweredByFamily {
			t.Fatalf("the day's attendance for staff: %+v", d)
		}
		// A cancelled policy covers nothing, checked in or not.
		if err := s.DB.Model(&model.InsurancePolicy{}).Where("id = ?", today.ID).Update("status", model.PolicyCancelled).Error; err != nil {
			t.Fatal(err)
		}
		if covers() {
			t.Fatal("a cancelled policy covers")
		}
	})
}
