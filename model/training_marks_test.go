package model_test

import (
	"errors"
	"testing"
	"time"

	"lingong/model"
	"lingong/model/modeltest"
)

// A whole session marked at once: as the form says, or nothing of it; within the staff member's area only;
// a mark equal to the state changes nothing.
func TestMarkSession(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		tr := course(t, s, 5, s.Now().Add(48*time.Hour))
		first, second := tr.Sessions[0].ID, tr.Sessions[1].ID
		var ids []uint64
		for i, name := range []string{"mark-a", "mark-b", "mark-c"} {
			session := first
			if i == 2 {
				session = second
			}
			e, err := s.Enroll(ctx, newWorker(t, s, name, 40+i).ID, tr.ID, session)
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, e.ID)
		}
		a, b, other := ids[0], ids[1], ids[2]
		status := func(id uint64) string {
			var e model.Enrollment
			if err := s.DB.Take(&e, id).Error; err != nil {
				t.Fatal(err)
			}
			return e.Status
		}
		huainan := model.Scope{Prefix: "3404", UserID: 999_998}
		if _, err := s.TrainingForStaff(ctx, huainan, tr.ID); !errors.Is(err, model.ErrNotFound) {
			t.Fatalf("another area's course: %v", err)
		}
		if _, err := s.MarkSession(ctx, huainan, tr.ID, first, map[uint64]string{a: model.EnrollAttended}); !errors.Is(err, model.ErrNotFound) {
			t.Fatalf("another area's session: %v", err)
		}
		// A sign-up of another session in the marks: refused, naming it, and a is not marked.
		_, err := s.MarkSession(ctx, admin, tr.ID, first, map[uint64]string{a: model.EnrollAttended, other: model.EnrollAttended})
		var refused *model.MarkRefused
		if !errors.As(err, &refused) || refused.EnrollmentID != other || !errors.Is(err, model.ErrNotFound) || status(a) != model.EnrollActive {
			t.Fatalf("another session's sign-up: %v, a is %s", err, status(a))
		}
		if n, err := s.MarkSession(ctx, admin, tr.ID, first, map[uint64]string{b: model.EnrollCompleted}); err != nil || n != 1 {
			t.Fatalf("completing b: %d %v", n, err)
		}
		// b's completion is final: the whole form is refused, a stays as it was.
		_, err = s.MarkSession(ctx, admin, tr.ID, first, map[uint64]string{a: model.EnrollAttended, b: model.EnrollAbsent})
		if !errors.As(err, &refused) || refused.EnrollmentID != b || !errors.Is(err, model.ErrWrongState) || status(a) != model.EnrollActive {
			t.Fatalf("un-completing b: %v, a is %s", err, status(a))
		}
		if n, err := s.MarkSession(ctx, admin, tr.ID, first, map[uint64]string{a: model.EnrollAttended, b: model.EnrollCompleted}); err != nil || n != 1 {
			t.Fatalf("marking a, b as it is: %d %v", n, err)
		}
		if _, err := s.MarkSession(ctx, admin, tr.ID, first, map[uint64]string{a: "passed"}); !errors.As(err, new(*model.InvalidInput)) {
			t.Fatalf("an unknown mark: %v", err)
		}
		if status(a) != model.EnrollAttended || status(b) != model.EnrollCompleted || status(other) != model.EnrollActive {
			t.Fatalf("after: %s %s %s", status(a), status(b), status(other))
		}
	})
}
