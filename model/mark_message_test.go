package model_test

import (
	"errors"
	"testing"
	"time"

	"lingong/model"
	"lingong/model/modeltest"
)

// The employer's mark asks the worker, and their family delegate, to confirm or contest it by subscribe
// message, each opening the page where they answer; the employer is not asked even when they act for the
// worker in the family, and a refused second mark tells nobody.
func TestMarkTellsTheWorkerAndFamily(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		var clock time.Time
		emp, w, g := checkInGig(t, s, &clock)
		family := signIn(t, s, "family")
		for _, d := range []*model.User{family, emp} {
			code, _, err := s.InviteDelegate(ctx, w.ID)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.AcceptDelegation(ctx, d.ID, code); err != nil {
				t.Fatal(err)
			}
		}
		clock = checkInDay.Add(2 * time.Hour)
		at := checkInDay.Add(-10 * time.Minute)
		if _, err := s.MarkArrival(ctx, emp.ID, g.ID, w.ID, "2026-11-30", at); err != nil {
			t.Fatal(err)
		}
		if _, err := s.MarkArrival(ctx, emp.ID, g.ID, w.ID, "2026-11-30", at); !errors.Is(err, model.ErrAlreadyArrived) {
			t.Fatalf("marked twice: %v", err)
		}
		var told []model.OutboxMessage
		if err := s.DB.Where("template_key = ?", model.MsgApplicationResult).Order("id").Find(&told).Error; err != nil {
			t.Fatal(err)
		}
		if len(told) != 2 {
			t.Fatalf("%d messages, want the worker's and the family member's: %+v", len(told), told)
		}
		worker, fam := told[0], told[1]
		if worker.UserID != w.ID || worker.Page != "pages/attendance/mine" || worker.Fields()["note"] != "雇主记您07:50到岗，对不对请点开说" ||
			worker.Fields()["date"] != "2026-11-30" || worker.Fields()["gig"] != g.Title {
			t.Fatalf("the worker's message: %+v %v", worker, worker.Fields())
		}
		if fam.UserID != family.ID || fam.Page != "pages/family/index" || fam.Fields()["note"] != "雇主记家人07:50到岗，请替他确认" {
			t.Fatalf("the family member's message: %+v %v", fam, fam.Fields())
		}
		for _, m := range told {
			if !model.ValidPage(m.Page) {
				t.Fatalf("page %q is not the mini-program's", m.Page)
			}
		}
	})
}
