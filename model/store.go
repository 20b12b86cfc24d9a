// Package model holds lingong's data: GORM models, the rules that guard them, and the queries on them.
// It knows nothing of HTTP; handlers call a *Store and map its errors.
package model

import (
	"context"
	"errors"
	"fmt"
	gomysql "github.com/go-sql-driver/mysql"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/glebarez/sqlite"
	"gorm.io/driver/mysql"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
	"gorm.io/gorm/logger"

	"lingong/model/fieldcrypt"
)

// Store is the one way into the database. It carries the keyring because sensitive fields are encrypted
// before they reach a row, and a clock so that tests can move time.
type Store struct {
	DB    *gorm.DB
	Crypt *fieldcrypt.Keyring
	Now   func() time.Time
	// Dialect is "mysql" (MySQL, MariaDB, TiDB) or "sqlite".
	Dialect string

	sessions *sessionCache
	calendar *calendarCache
	records  *recordCache
	// pages, when set (UseLiveIndex), answers the gig page of a published gig from memory.
	pages *LiveGigs
}

// slowStatement is how long a statement runs before the log names it.
const slowStatement = 200 * time.Millisecond

// statementLog passes to GORM's slog logger only the statements worth writing down, failed or slow ones: that
// logger spells every statement out before it decides, a cost on each of the dawn rush's statements.
type statementLog struct{ logger.Interface }

func (l statementLog) LogMode(level logger.LogLevel) logger.Interface {
	if level >= logger.Info {
		return l.Interface.LogMode(level) // every statement wanted (db.Debug())
	}
	return statementLog{l.Interface.LogMode(level)}
}

func (l statementLog) Trace(ctx context.Context, begin time.Time, fc func() (string, int64), err error) {
	// A unique key turning a write away is how the store decides a race (ErrConflict), not a failure.
	if (err == nil || errors.Is(err, gorm.ErrDuplicatedKey)) && time.Since(begin) <= slowStatement {
		return
	}
	l.Interface.Trace(ctx, begin, fc, err)
}

// Shanghai is the market's time zone: "today", work dates and monthly reports are all in it.
var Shanghai = mustZone("Asia/Shanghai")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// DefaultMaxConns is how many connections an instance opens to MySQL at most. A few per database core keeps
// the database working rather than switching between statements: in the dawn rush on two cores, 16 served
// 256 clients at a steadier rate and tail than 64 (`make rush -db-conns`). LINGONG_DB_MAX_CONNS sets another.
const DefaultMaxConns = 16

// SetMaxConns sets how many connections the store opens to MySQL at most (all of them kept when idle).
func (s *Store) SetMaxConns(n int) {
	if sqlDB, err := s.DB.DB(); err == nil && s.Dialect == "mysql" && n > 0 {
		sqlDB.SetMaxOpenConns(n)
		sqlDB.SetMaxIdleConns(n)
	}
}

// Open connects to dsn: "sqlite:<path>" for the embedded database, anything else is a MySQL DSN
// (MySQL 8, MariaDB 10.11 or TiDB). The MySQL DSN gets the options lingong relies on if it lacks them.
func Open(dsn string, crypt *fieldcrypt.Keyring, log *slog.Logger) (*Store, error) {
	cfg := &gorm.Config{
		Logger: statementLog{Interface: logger.NewSlogLogger(log, logger.Config{
			SlowThreshold: slowStatement,
			LogLevel:      logger.Warn,
			// Values can be personal data; the statement shape is enough to find a slow query.
			ParameterizedQueries:      true,
			IgnoreRecordNotFoundError: true,
		})},
		NowFunc:                func() time.Time { return time.Now().In(Shanghai).Truncate(time.Millisecond) },
		TranslateError:         true,
		SkipDefaultTransaction: true,
	}
	var (
		db      *gorm.DB
		err     error
		dialect string
	)
	if path, ok := strings.CutPrefix(dsn, "sqlite:"); ok {
		dialect = "sqlite"
		if dir := filepath.Dir(path); dir != "." {
			if err := os.MkdirAll(dir, 0o700); err != nil {
				return nil, fmt.Errorf("create database folder: %w", err)
			}
		}
		// Immediate transactions take the write lock up front, so two writers wait for each other
		// (busy_timeout) instead of failing with SQLITE_BUSY halfway through.
		db, err = gorm.Open(sqlite.Open("file:"+path+
			"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_txlock=immediate"), cfg)
	} else {
		dialect = "mysql"
		// "Already there" must count as no row changed: the counted rules (first phone read, first use of the
		// day, one alert per gig) tell a new row from an old one by the rows changed.
		if cfg, err := gomysql.ParseDSN(withMySQLDefaults(dsn)); err != nil {
			return nil, fmt.Errorf("database: LINGONG_DB_DSN: %w", err)
		} else if cfg.ClientFoundRows {
			return nil, errors.New("database: clientFoundRows is not supported; remove it from LINGONG_DB_DSN")
		}
		db, err = gorm.Open(mysql.Open(withMySQLDefaults(dsn)), cfg)
	}
	if err != nil {
		return nil, fmt.Errorf("open %s database: %w", dialect, err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, err
	}
	if dialect == "sqlite" {
		sqlDB.SetMaxOpenConns(4)
	} else {
		sqlDB.SetMaxOpenConns(DefaultMaxConns)
		sqlDB.SetMaxIdleConns(DefaultMaxConns)
		sqlDB.SetConnMaxLifetime(30 * time.Minute)
		sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	}
	return &Store{DB: db, Crypt: crypt, Now: cfg.NowFunc, Dialect: dialect, sessions: newSessionCache(), calendar: &calendarCache{}, records: &recordCache{}}, nil
}

// withMySQLDefaults adds what lingong needs to a MySQL DSN unless the operator chose otherwise: real time
// values in Shanghai time, utf8mb4, MySQL 8's strict SQL mode so that MariaDB and TiDB reject what MySQL
// would, and parameters placed by the driver (safe with utf8mb4), so that a statement is one round trip
// rather than prepare, execute and close.
func withMySQLDefaults(dsn string) string {
	want := []struct{ key, value string }{
		{"parseTime", "true"},
		{"charset", "utf8mb4"},
		{"interpolateParams", "true"},
		{"loc", "Asia%2FShanghai"},
		{"time_zone", "%27%2B08%3A00%27"},
		{"sql_mode", "%27ONLY_FULL_GROUP_BY%2CSTRICT_TRANS_TABLES%2CNO_ZERO_IN_DATE%2CNO_ZERO_DATE%2CERROR_FOR_DIVISION_BY_ZERO%2CNO_ENGINE_SUBSTITUTION%27"},
		{"timeout", "5s"},
		{"readTimeout", "30s"},
		{"writeTimeout", "30s"},
	}
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	for _, w := range want {
		if !strings.Contains(dsn, w.key+"=") {
			dsn += sep + w.key + "=" + w.value
			sep = "&"
		}
	}
	return dsn
}

// Ping tells whether the database answers, for readiness checks.
func (s *Store) Ping(ctx context.Context) error {
	sqlDB, err := s.DB.DB()
	if err != nil {
		return err
	}
	return sqlDB.PingContext(ctx)
}

// Close releases the connection pool.
func (s *Store) Close() error {
	sqlDB, err := s.DB.DB()
	if err != nil {
		return err
	}
	return sqlDB.Close()
}

// locking makes q a locking read (FOR UPDATE) in a transaction on MySQL, MariaDB and TiDB; SQLite's
// transaction already holds the write lock.
func (s *Store) locking(q *gorm.DB) *gorm.DB {
	if s.Dialect == "mysql" {
		return q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	return q
}

// stillMatches tells, after an UPDATE in tx changed no row, whether a row nevertheless matches where: MySQL,
// MariaDB and TiDB count the rows an UPDATE changed, not those it found, so setting the values a row already
// has changes none. On them the read locks the rows, as the UPDATE's own read did, so it sees what the UPDATE
// saw; SQLite's transaction already holds the write lock.
func (s *Store) stillMatches(tx *gorm.DB, model any, where string, args ...any) (bool, error) {
	q := s.locking(tx.Model(model).Select("1").Where(where, args...).Limit(1))
	var found []int
	if err := q.Find(&found).Error; err != nil {
		return false, dbErr(err)
	}
	return len(found) == 1, nil
}

// tx runs fn in a transaction bound to ctx. InnoDB may pick it as a deadlock victim when it races another
// for the same rows; the whole transaction is then retried, as MySQL's manual advises, a few times.
func (s *Store) tx(ctx context.Context, fn func(tx *gorm.DB) error) error {
	var err error
	for attempt := range 4 {
		if attempt > 0 {
			time.Sleep(time.Duration(attempt*attempt) * 5 * time.Millisecond)
		}
		err = s.DB.WithContext(ctx).Transaction(fn)
		if isConnectionError(err) && !errors.Is(err, ErrDatabaseDown) {
			return errors.Join(ErrDatabaseDown, err) // BEGIN or COMMIT lost the database: not fn's own error
		}
		if !isDeadlock(err) {
			return err
		}
	}
	return err
}
