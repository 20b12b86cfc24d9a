package model_test

import (
	"bytes"
	"testing"

	"lingong/model"
	"lingong/model/fieldcrypt"
	"lingong/model/modeltest"
)

// Rotating the data key: rows sealed with the old key stay readable, Reencrypt moves them to the new key,
// and then the old key can go.
func TestKeyRotation(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		w := newWorker(t, s, "w", 1)
		s.BindPhone(ctx, w.ID, "13700001111")
		emp := newEmployer(t, s, "boss", "340104")
		publishedGig(t, s, emp, 1, model.HireSelect)

		oldKey, lookup := bytes.Repeat([]byte{7}, 32), bytes.Repeat([]byte{8}, 32) // modeltest's keys
		newKey := bytes.Repeat([]byte{9}, 32)
		rotated, err := fieldcrypt.New(newKey, [][]byte{oldKey}, lookup)
		if err != nil {
			t.Fatal(err)
		}
		s.Crypt = rotated
		if got, err := s.Worker(ctx, w.ID); err != nil || got.Name != "王建国" {
			t.Fatalf("old rows readable during rotation: %v", err)
		}
		n, err := s.Reencrypt(ctx, nil)
		if err != nil || n == 0 {
			t.Fatalf("reencrypt: %d %v", n, err)
		}
		if again, _ := s.Reencrypt(ctx, nil); again != 0 {
			t.Fatalf("second pass rewrote %d values", again)
		}
		onlyNew, _ := fieldcrypt.New(newKey, nil, lookup)
		s.Crypt = onlyNew
		wk, err := s.Worker(ctx, w.ID)
		if err != nil || wk.Name != "王建国" {
			t.Fatalf("after dropping the old key: %v", err)
		}
		u, _ := s.UserByID(ctx, w.ID)
		if phone, err := s.Phone(u); err != nil || phone != "13700001111" {
			t.Fatalf("phone after rotation: %q %v", phone, err)
		}
		if _, err := s.EmployerOf(ctx, emp.ID); err != nil {
			t.Fatalf("employer after rotation: %v", err)
		}
	})
}
