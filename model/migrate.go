package model

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// migration is one numbered, reviewed schema step. Steps declare the tables they create with types frozen
// inside the step, so that a later change to a model never changes what an old step does; they run in
// order, once, and are recorded in schema_migrations.
type migration struct {
	Version int
	Name    string
	Up      func(tx *gorm.DB) error
}

type schemaMigration struct {
	Version   int       `gorm:"primaryKey;autoIncrement:false"`
	Name      string    `gorm:"size:128;not null"`
	AppliedAt time.Time `gorm:"not null"`
}

// migrateLockName is the MySQL user lock that keeps two starting instances from migrating at once.
const migrateLockName = "lingong_schema_migrate"

// Migrate brings the schema up to date. It is safe to call from several instances at once: on MySQL a
// named lock serialises them, and each step is recorded before the next runs. It returns the versions it
// applied.
func (s *Store) Migrate(ctx context.Context) ([]int, error) {
	var applied []int
	err := s.DB.WithContext(ctx).Connection(func(conn *gorm.DB) error {
		// A fresh session, so that each chained call below starts from a clean statement.
		conn = conn.Session(&gorm.Session{})
		if s.Dialect == "mysql" {
			var got *int
			if err := conn.Raw("SELECT GET_LOCK(?, 120)", migrateLockName).Scan(&got).Error; err != nil {
				return fmt.Errorf("take migration lock: %w", err)
			}
			if got == nil || *got != 1 {
				return errors.New("take migration lock: another instance held it for 120 s")
			}
			defer conn.Exec("SELECT RELEASE_LOCK(?)", migrateLockName)
		}
		if err := conn.Migrator().AutoMigrate(&schemaMigration{}); err != nil {
			return fmt.Errorf("create schema_migrations: %w", err)
		}
		var done []int
		if err := conn.Model(&schemaMigration{}).Pluck("version", &done).Error; err != nil {
			return err
		}
		have := map[int]bool{}
		for _, v := range done {
			have[v] = true
		}
		for _, m := range migrations {
			if have[m.Version] {
				continue
			}
			// MySQL commits DDL implicitly, so a step is not atomic there; steps are small and a failed one
			// stops the start-up before it is recorded, to be mended by hand and rerun.
			if err := m.Up(conn); err != nil {
				return fmt.Errorf("migration %d (%s): %w", m.Version, m.Name, err)
			}
			rec := schemaMigration{Version: m.Version, Name: m.Name, AppliedAt: s.Now()}
			if err := conn.Create(&rec).Error; err != nil {
				return fmt.Errorf("record migration %d: %w", m.Version, err)
			}
			applied = append(applied, m.Version)
		}
		return nil
	})
	return applied, err
}

// SchemaVersion is the newest version the code knows; the database is up to date when it has it.
func SchemaVersion() int { return migrations[len(migrations)-1].Version }

// createTables makes each table that a step declares, with its indexes.
func createTables(tx *gorm.DB, tables ...any) error {
	for _, t := range tables {
		if err := tx.Migrator().CreateTable(t); err != nil {
			return err
		}
	}
	return nil
}

var migrations = []migration{
	{Version: 1, Name: "users and logins", Up: func(tx *gorm.DB) error {
		type User struct {
			ID          uint64  `gorm:"primaryKey"`
			OpenID      string  `gorm:"size:64;not null;uniqueIndex"`
			UnionID     string  `gorm:"size:64;not null;default:''"`
			Roles       uint8   `gorm:"not null;default:0"`
			PhoneCipher string  `gorm:"size:255;not null;default:''"`
			PhoneHash   *string `gorm:"size:64;uniqueIndex"`
			DisabledAt  *time.Time
			CreatedAt   time.Time      `gorm:"not null"`
			UpdatedAt   time.Time      `gorm:"not null"`
			DeletedAt   gorm.DeletedAt `gorm:"index"`
		}
		type Session struct {
			ID               uint64    `gorm:"primaryKey"`
			UserID           uint64    `gorm:"not null;index"`
			SessionKeyCipher string    `gorm:"size:255;not null;default:''"`
			CreatedAt        time.Time `gorm:"not null"`
			RevokedAt        *time.Time
			RevokeReason     string `gorm:"size:32;not null;default:''"`
		}
		type RefreshToken struct {
			ID        uint64    `gorm:"primaryKey"`
			SessionID uint64    `gorm:"not null;index"`
			TokenHash string    `gorm:"size:64;not null;uniqueIndex"`
			ExpiresAt time.Time `gorm:"not null"`
			UsedAt    *time.Time
			CreatedAt time.Time `gorm:"not null"`
		}
		return createTables(tx, &User{}, &Session{}, &RefreshToken{})
	}},
}

// AllModels lists every model, for the test that holds models and migrations together.
func AllModels() []any {
	return []any{&User{}, &Session{}, &RefreshToken{}}
}
