package model_test

import (
	"errors"
	"sync"
	"testing"

	"lingong/model"
	"lingong/model/modeltest"
)

// A burst of guesses at a walk-in's binding code gets its five tries and no more, on every database.
func TestBindingCodeTriesUnderConcurrency(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		staff := model.Scope{All: true, UserID: 999_998}
		w, err := s.RegisterWalkIn(ctx, staff, model.WalkIn{Worker: model.WorkerInput{Name: "李老汉", IDNumber: modeltest.IDNumber("19550505", 7),
			SkillIDs: []uint64{1}, AreaCode: "340104"}, ConsentMethod: "spoken", ConsentNote: "本人在窗口口头同意"})
		if err != nil {
			t.Fatal(err)
		}
		slip, err := s.IssueBindingCode(ctx, staff, w.UserID)
		if err != nil {
			t.Fatal(err)
		}
		code := slip.Code
		wrongCode := "000000"
		if code == wrongCode {
			wrongCode = "111111"
		}
		guesser := signIn(t, s, "guesser")
		var mu sync.Mutex
		got := map[string]int{}
		var wg sync.WaitGroup
		for range 30 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := s.ClaimWalkIn(ctx, guesser.ID, slip.Ticket, wrongCode)
				mu.Lock()
				defer mu.Unlock()
				switch {
				case errors.Is(err, model.ErrBindingCodeWrong):
					got["wrong"]++
				case errors.Is(err, model.ErrBindingCodeLocked):
					got["locked"]++
				default:
					t.Errorf("unexpected: %v", err)
				}
			}()
		}
		wg.Wait()
		if got["wrong"] != model.BindingCodeTries || got["locked"] != 30-model.BindingCodeTries {
			t.Fatalf("compared %d codes, locked %d; want %d and %d", got["wrong"], got["locked"], model.BindingCodeTries, 30-model.BindingCodeTries)
		}
		if _, err := s.ClaimWalkIn(ctx, guesser.ID, slip.Ticket, code); !errors.Is(err, model.ErrBindingCodeLocked) {
			t.Fatalf("the right code after the tries ran out: %v", err)
		}
	})
}
