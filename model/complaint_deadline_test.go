package model_test

import (
	"testing"
	"time"

	"lingong/model"
	"lingong/model/modeltest"
)

// A complaint is to be accepted within 3 working days: filed on a Friday, it is overdue only after Wednesday's
// hour, it shows as overdue and is listed with ?overdue=true, and an accepted one is never overdue.
func TestComplaintAcceptanceDeadline(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		friday := time.Date(2026, 11, 27, 10, 0, 0, 0, model.Shanghai) // a Friday
		now := friday
		s.Now = func() time.Time { return now }
		w := newWorker(t, s, "w", 1)
		c, err := s.FileComplaint(ctx, w.ID, model.ComplaintInput{Category: model.ComplaintWageArrears, Description: "干了三天活，工钱一直没给"})
		if err != nil {
			t.Fatal(err)
		}
		if want := time.Date(2026, 12, 2, 10, 0, 0, 0, model.Shanghai); !c.AcceptDue.Equal(want) {
			t.Fatalf("due %v, want %v (Monday, Tuesday, Wednesday)", c.AcceptDue, want)
		}
		staff := model.Scope{All: true, UserID: 999_997}
		overdue := func() []model.Complaint {
			list, err := s.StaffComplaints(ctx, staff, "", true)
			if err != nil {
				t.Fatal(err)
			}
			return list
		}
		now = time.Date(2026, 12, 2, 9, 59, 0, 0, model.Shanghai)
		if c.Overdue(now) || len(overdue()) != 0 {
			t.Fatal("overdue before the deadline")
		}
		now = time.Date(2026, 12, 2, 10, 1, 0, 0, model.Shanghai)
		if !c.Overdue(now) || len(overdue()) != 1 {
			t.Fatal("not overdue after the deadline")
		}
		if _, err := s.MoveComplaint(ctx, staff, c.ID, model.CaseAccepted, ""); err != nil {
			t.Fatal(err)
		}
		if len(overdue()) != 0 {
			t.Fatal("an accepted complaint is still overdue")
		}
	})
}
