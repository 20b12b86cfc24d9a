package model_test

import (
	"errors"
	"testing"
	"time"

	"lingong/model"
	"lingong/model/modeltest"
)

// Saving what is already there changes no row, which MySQL reports as no row affected: a course saved with
// its sessions unchanged, and a staff member made staff again exactly as before, must still succeed; a
// session cut below its sign-ups must still be refused.
func TestSavingWhatIsAlreadyThere(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		tr := course(t, s, 5, s.Now().Add(48*time.Hour))
		for i := range 2 {
			w := newWorker(t, s, "w"+string(rune('a'+i)), i+1)
			if _, err := s.Enroll(ctx, w.ID, tr.ID, tr.Sessions[0].ID); err != nil {
				t.Fatal(err)
			}
		}
		in := model.TrainingInput{Title: "家政服务员培训（第二期）", CategoryID: tr.CategoryID, Kind: tr.Kind, Provider: tr.Provider,
			Subsidised: tr.Subsidised, Address: tr.Address, Lat: tr.Lat, Lng: tr.Lng, AreaCode: tr.AreaCode, SignupDeadline: tr.SignupDeadline}
		for _, ss := range tr.Sessions {
			in.Sessions = append(in.Sessions, model.SessionInput{ID: ss.ID, Date: ss.Date, StartTime: ss.StartTime, EndTime: ss.EndTime, Seats: ss.Seats})
		}
		if _, err := s.SaveTraining(ctx, admin, tr.ID, in); err != nil {
			t.Fatalf("a course saved with its sessions as they are: %v", err)
		}
		in.Sessions[0].Seats = 1
		if _, err := s.SaveTraining(ctx, admin, tr.ID, in); !errors.Is(err, model.ErrSeatsTaken) {
			t.Fatalf("a session cut below its sign-ups: %v", err)
		}

		u := signIn(t, s, "staff")
		for range 2 {
			if err := s.AddStaff(ctx, admin.UserID, u.ID, "张小红", "340100", nil); err != nil {
				t.Fatalf("made staff again as before: %v", err)
			}
		}
		if err := s.AddStaff(ctx, admin.UserID, 999999, "没有这人", "340100", nil); !errors.Is(err, model.ErrNotFound) {
			t.Fatalf("an unknown user: %v", err)
		}
	})
}
