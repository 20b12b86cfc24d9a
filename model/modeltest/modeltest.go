// Package modeltest gives tests real, freshly migrated databases: an SQLite file always, and a MariaDB/MySQL
// database when LINGONG_TEST_MYSQL_DSN names a server. Each database is made for one test and dropped after.
package modeltest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/go-sql-driver/mysql"
	gormmysql "gorm.io/driver/mysql"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"lingong/model"
	"lingong/model/fieldcrypt"
)

// MySQLDSNEnv names the server the MySQL suite runs against, e.g. root@tcp(127.0.0.1:3307)/
const MySQLDSNEnv = "LINGONG_TEST_MYSQL_DSN"

// Keyring is a fixed test keyring.
func Keyring(t testing.TB) *fieldcrypt.Keyring {
	k, err := fieldcrypt.New(bytes.Repeat([]byte{7}, 32), nil, bytes.Repeat([]byte{8}, 32))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// Logger discards what the store logs unless the test runs verbose.
func Logger() *slog.Logger {
	if testing.Verbose() {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	return slog.New(slog.DiscardHandler)
}

// SQLite opens a migrated SQLite database in the test's temp dir.
func SQLite(t testing.TB) *model.Store {
	t.Helper()
	return open(t, "sqlite:"+filepath.Join(t.TempDir(), "lingong.db"))
}

var skipNotice sync.Once

// MySQL opens a migrated database of its own on the server LINGONG_TEST_MYSQL_DSN names, and skips the test
// with a visible notice when none is named.
func MySQL(t testing.TB) *model.Store {
	t.Helper()
	dsn := MySQLDSN(t)
	if dsn == "" {
		if os.Getenv("LINGONG_REQUIRE_MYSQL") == "1" {
			t.Fatalf("LINGONG_REQUIRE_MYSQL=1 but %s is not set", MySQLDSNEnv)
		}
		skipNotice.Do(func() {
			Notice("%s is not set: MariaDB/MySQL tests are skipped (make test starts a MariaDB when mariadbd is installed)", MySQLDSNEnv)
		})
		t.Skipf("%s not set", MySQLDSNEnv)
	}
	return open(t, dsn)
}

// MySQLDSN makes a fresh database on the test server and returns its DSN ("" when no server is named); the
// database is dropped when the test ends.
func MySQLDSN(t testing.TB) string {
	t.Helper()
	base := os.Getenv(MySQLDSNEnv)
	if base == "" {
		return ""
	}
	cfg, err := mysql.ParseDSN(base)
	if err != nil {
		t.Fatalf("%s: %v", MySQLDSNEnv, err)
	}
	suffix := make([]byte, 6)
	_, _ = rand.Read(suffix)
	name := "lingong_t_" + hex.EncodeToString(suffix)

	admin, err := gorm.Open(gormmysql.Open(cfg.FormatDSN()), &gorm.Config{Logger: logger.Discard})
	if err != nil {
		t.Fatalf("connect to test MySQL: %v", err)
	}
	if err := admin.Exec("CREATE DATABASE " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci").Error; err != nil {
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		admin.Exec("DROP DATABASE IF EXISTS " + name)
		if db, err := admin.DB(); err == nil {
			db.Close()
		}
	})
	cfg.DBName = name
	return cfg.FormatDSN()
}

func open(t testing.TB, dsn string) *model.Store {
	t.Helper()
	s, err := model.Open(dsn, Keyring(t), Logger())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s
}

// ForEach runs the same test against SQLite and, when a server is named, MariaDB/MySQL: one suite, two stores.
func ForEach(t *testing.T, test func(t *testing.T, s *model.Store)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { test(t, SQLite(t)) })
	t.Run("mysql", func(t *testing.T) { test(t, MySQL(t)) })
}

// IDNumber makes a valid resident ID number (GB 11643 check character) issued in 蜀山区 for a birth date
// ("19700315"), with seq telling people apart.
func IDNumber(birth string, seq int) string {
	base := fmt.Sprintf("340104%s%03d", birth, seq%1000)
	weights := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i := range 17 {
		sum += int(base[i]-'0') * weights[i]
	}
	return base + string("10X98765432"[sum%11])
}
