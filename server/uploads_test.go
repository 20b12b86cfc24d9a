package main

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"lingong/model/modeltest"
)

// The hourly job removes a photo nothing refers to, file and row, a day after it came.
func TestPurgeStaleUploads(t *testing.T) {
	s := modeltest.SQLite(t)
	dir := t.TempDir()
	a := &app{cfg: Config{UploadDir: dir}, store: s}
	now := s.Now
	s.Now = func() time.Time { return now().Add(-48 * time.Hour) }
	old, err := s.RecordUpload(context.Background(), 1, "old.jpg", "image/jpeg", 3)
	s.Now = now
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, old.Name), []byte("jpg"), 0o600); err != nil {
		t.Fatal(err)
	}
	n, err := a.purgeStaleUploads(context.Background())
	if err != nil || n != 1 {
		t.Fatalf("purged %d: %v", n, err)
	}
	if _, err := os.Stat(filepath.Join(dir, old.Name)); !os.IsNotExist(err) {
		t.Fatalf("the file is still there: %v", err)
	}
	if again, _ := s.StaleUploads(context.Background(), time.Now(), 10); len(again) != 0 {
		t.Fatalf("rows left: %+v", again)
	}
}
