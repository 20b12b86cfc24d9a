package model

import (
	"context"
	"encoding/json"
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
	{Version: 2, Name: "workers, employers, gigs, applications, reviews, wage guides, staff", Up: func(tx *gorm.DB) error {
		type Category struct {
			ID   uint64 `gorm:"primaryKey"`
			Code string `gorm:"size:32;not null;uniqueIndex"`
			Name string `gorm:"size:32;not null"`
			Icon string `gorm:"size:16;not null;default:''"`
			Sort int    `gorm:"not null;default:0"`
		}
		type WorkerProfile struct {
			UserID            uint64    `gorm:"primaryKey;autoIncrement:false"`
			NameCipher        string    `gorm:"size:255;not null"`
			IDNumberCipher    string    `gorm:"size:255;not null"`
			IDNumberHash      string    `gorm:"size:64;not null;uniqueIndex"`
			BirthDate         string    `gorm:"size:10;not null"`
			Male              bool      `gorm:"not null"`
			ExpectedWageCents int64     `gorm:"not null;default:0"`
			AvailableDays     uint8     `gorm:"not null;default:0"`
			HomeCipher        string    `gorm:"size:512;not null;default:''"`
			HomeLatCoarse     float64   `gorm:"not null;default:0;index:idx_worker_home_coarse,priority:1"`
			HomeLngCoarse     float64   `gorm:"not null;default:0;index:idx_worker_home_coarse,priority:2"`
			AreaCode          string    `gorm:"size:6;not null;default:'';index"`
			WantsRegistration bool      `gorm:"not null;default:false"`
			DifficultyStatus  string    `gorm:"size:16;not null;default:'none'"`
			RatingSum         int       `gorm:"not null;default:0"`
			RatingCount       int       `gorm:"not null;default:0"`
			CreatedAt         time.Time `gorm:"not null"`
			UpdatedAt         time.Time `gorm:"not null"`
		}
		type WorkerSkill struct {
			UserID     uint64 `gorm:"primaryKey;autoIncrement:false"`
			CategoryID uint64 `gorm:"primaryKey;autoIncrement:false;index"`
		}
		type Employer struct {
			ID                 uint64  `gorm:"primaryKey"`
			UserID             uint64  `gorm:"not null;uniqueIndex"`
			Kind               string  `gorm:"size:16;not null"`
			DisplayName        string  `gorm:"size:128;not null"`
			CreditCode         string  `gorm:"size:18;not null;default:'';index"`
			LegalNameCipher    string  `gorm:"size:255;not null;default:''"`
			IDNumberCipher     string  `gorm:"size:255;not null;default:''"`
			IDNumberHash       *string `gorm:"size:64;index"`
			ContactNameCipher  string  `gorm:"size:255;not null;default:''"`
			ContactPhoneCipher string  `gorm:"size:255;not null;default:''"`
			AreaCode           string  `gorm:"size:6;not null;index:idx_employer_review,priority:2"`
			Address            string  `gorm:"size:255;not null;default:''"`
			Status             string  `gorm:"size:16;not null;index:idx_employer_review,priority:1"`
			RejectReason       string  `gorm:"size:255;not null;default:''"`
			ReviewedBy         *uint64
			ReviewedAt         *time.Time
			RatingSum          int       `gorm:"not null;default:0"`
			RatingCount        int       `gorm:"not null;default:0"`
			CreatedAt          time.Time `gorm:"not null"`
			UpdatedAt          time.Time `gorm:"not null"`
		}
		type Gig struct {
			ID                 uint64  `gorm:"primaryKey"`
			EmployerID         uint64  `gorm:"not null;index"`
			Title              string  `gorm:"size:64;not null"`
			CategoryID         uint64  `gorm:"not null"`
			Description        string  `gorm:"type:text;not null"`
			Headcount          int     `gorm:"not null"`
			Confirmed          int     `gorm:"not null;default:0"`
			WageCents          int64   `gorm:"not null"`
			WageUnit           string  `gorm:"size:8;not null"`
			Settlement         string  `gorm:"size:16;not null"`
			StartDate          string  `gorm:"size:10;not null"`
			EndDate            string  `gorm:"size:10;not null;index:idx_gig_status_end,priority:2"`
			WorkHours          string  `gorm:"size:32;not null;default:''"`
			Address            string  `gorm:"size:255;not null"`
			Lat                float64 `gorm:"not null"`
			Lng                float64 `gorm:"not null"`
			AreaCode           string  `gorm:"size:6;not null;index:idx_gig_review,priority:2"`
			ContactPhoneCipher string  `gorm:"size:255;not null"`
			HiringMode         string  `gorm:"size:16;not null"`
			Status             string  `gorm:"size:16;not null;index:idx_gig_status_end,priority:1;index:idx_gig_review,priority:1"`
			Checks             string  `gorm:"type:text;not null"`
			RejectReason       string  `gorm:"size:255;not null;default:''"`
			ReviewedBy         *uint64
			ReviewedAt         *time.Time
			PublishedAt        *time.Time
			CreatedAt          time.Time `gorm:"not null"`
			UpdatedAt          time.Time `gorm:"not null;index"`
		}
		type Application struct {
			ID              uint64 `gorm:"primaryKey"`
			GigID           uint64 `gorm:"not null;uniqueIndex:uq_application_gig_worker,priority:1"`
			WorkerID        uint64 `gorm:"not null;uniqueIndex:uq_application_gig_worker,priority:2;index"`
			Status          string `gorm:"size:16;not null"`
			AmountPaidCents *int64
			DecidedAt       *time.Time
			CompletedAt     *time.Time
			PayConfirmedAt  *time.Time
			DisputedAt      *time.Time
			CreatedAt       time.Time `gorm:"not null"`
			UpdatedAt       time.Time `gorm:"not null"`
		}
		type Rating struct {
			ID            uint64    `gorm:"primaryKey"`
			ApplicationID uint64    `gorm:"not null;uniqueIndex:uq_rating_application_by,priority:1"`
			ByRole        string    `gorm:"size:16;not null;uniqueIndex:uq_rating_application_by,priority:2"`
			Score         int       `gorm:"not null"`
			Comment       string    `gorm:"size:255;not null;default:''"`
			RaterID       uint64    `gorm:"not null"`
			CreatedAt     time.Time `gorm:"not null"`
		}
		type ReviewDecision struct {
			ID        uint64    `gorm:"primaryKey"`
			Kind      string    `gorm:"size:16;not null;index:idx_review_target,priority:1"`
			TargetID  uint64    `gorm:"not null;index:idx_review_target,priority:2"`
			Decision  string    `gorm:"size:16;not null"`
			Reason    string    `gorm:"size:255;not null;default:''"`
			StaffID   uint64    `gorm:"not null"`
			CreatedAt time.Time `gorm:"not null"`
		}
		type WageGuide struct {
			ID          uint64    `gorm:"primaryKey"`
			CategoryID  uint64    `gorm:"not null;uniqueIndex:uq_wage_guide,priority:1"`
			AreaCode    string    `gorm:"size:6;not null;uniqueIndex:uq_wage_guide,priority:2"`
			Period      string    `gorm:"size:16;not null;uniqueIndex:uq_wage_guide,priority:3"`
			LowCents    int64     `gorm:"not null"`
			MedianCents int64     `gorm:"not null"`
			HighCents   int64     `gorm:"not null"`
			PublishedBy uint64    `gorm:"not null"`
			CreatedAt   time.Time `gorm:"not null"`
			UpdatedAt   time.Time `gorm:"not null"`
		}
		type StaffMember struct {
			UserID     uint64    `gorm:"primaryKey;autoIncrement:false"`
			AreaCode   string    `gorm:"size:6;not null"`
			CreatedBy  uint64    `gorm:"not null"`
			CreatedAt  time.Time `gorm:"not null"`
			DisabledAt *time.Time
		}
		if err := createTables(tx, &Category{}, &WorkerProfile{}, &WorkerSkill{}, &Employer{}, &Gig{},
			&Application{}, &Rating{}, &ReviewDecision{}, &WageGuide{}, &StaffMember{}); err != nil {
			return err
		}
		categories := []Category{
			{Code: "moving", Name: "搬运装卸", Icon: "🚚"}, {Code: "cleaning", Name: "保洁清洁", Icon: "🧹"},
			{Code: "housekeeping", Name: "家政服务", Icon: "🏠"}, {Code: "construction", Name: "建筑小工", Icon: "🧱"},
			{Code: "masonry", Name: "泥瓦工", Icon: "🏗️"}, {Code: "plumbing_electric", Name: "水电工", Icon: "🔧"},
			{Code: "carpentry", Name: "木工", Icon: "🪚"}, {Code: "painting", Name: "油漆工", Icon: "🖌️"},
			{Code: "kitchen", Name: "餐饮帮厨", Icon: "🍳"}, {Code: "waiter", Name: "服务员", Icon: "🍽️"},
			{Code: "security", Name: "保安门卫", Icon: "🛡️"}, {Code: "gardening", Name: "绿化园林", Icon: "🌳"},
			{Code: "farming", Name: "农业采摘", Icon: "🌾"}, {Code: "sorting", Name: "快递分拣", Icon: "📦"},
			{Code: "warehouse", Name: "仓储理货", Icon: "🏬"}, {Code: "caregiving", Name: "护工陪护", Icon: "🩺"},
			{Code: "repair", Name: "维修安装", Icon: "🛠️"}, {Code: "other", Name: "其他", Icon: "➕"},
		}
		for i := range categories {
			categories[i].Sort = (i + 1) * 10
		}
		return tx.Create(&categories).Error
	}},
	{Version: 3, Name: "index open gigs by id for loading the live index", Up: func(tx *gorm.DB) error {
		// Loading walks the open gigs in id order; without this it sorts all of them for every batch.
		return tx.Exec("CREATE INDEX idx_gig_status_id ON gigs (status, id)").Error
	}},
	{Version: 4, Name: "training, injury insurance, complaints and uploads", Up: func(tx *gorm.DB) error {
		type Training struct {
			ID             uint64    `gorm:"primaryKey"`
			Title          string    `gorm:"size:64;not null"`
			CategoryID     uint64    `gorm:"not null;index"`
			Kind           string    `gorm:"size:8;not null"`
			Provider       string    `gorm:"size:64;not null"`
			Subsidised     bool      `gorm:"not null"`
			Description    string    `gorm:"type:text;not null"`
			Address        string    `gorm:"size:255;not null"`
			Lat            float64   `gorm:"not null"`
			Lng            float64   `gorm:"not null"`
			AreaCode       string    `gorm:"size:6;not null;index"`
			EmployerID     *uint64   `gorm:"index"`
			SignupDeadline time.Time `gorm:"not null"`
			Status         string    `gorm:"size:16;not null"`
			CreatedBy      uint64    `gorm:"not null"`
			CreatedAt      time.Time `gorm:"not null"`
			UpdatedAt      time.Time `gorm:"not null"`
		}
		type TrainingSession struct {
			ID         uint64    `gorm:"primaryKey"`
			TrainingID uint64    `gorm:"not null;index"`
			Date       string    `gorm:"size:10;not null"`
			StartTime  string    `gorm:"size:5;not null"`
			EndTime    string    `gorm:"size:5;not null"`
			Seats      int       `gorm:"not null"`
			Taken      int       `gorm:"not null;default:0"`
			CreatedAt  time.Time `gorm:"not null"`
		}
		type Enrollment struct {
			ID         uint64 `gorm:"primaryKey"`
			TrainingID uint64 `gorm:"not null;uniqueIndex:uq_enrollment_training_worker,priority:1"`
			WorkerID   uint64 `gorm:"not null;uniqueIndex:uq_enrollment_training_worker,priority:2;index"`
			SessionID  uint64 `gorm:"not null;index"`
			Status     string `gorm:"size:16;not null"`
			MarkedBy   *uint64
			CreatedAt  time.Time `gorm:"not null"`
			UpdatedAt  time.Time `gorm:"not null"`
		}
		type InsurancePlan struct {
			ID                   uint64    `gorm:"primaryKey"`
			Name                 string    `gorm:"size:64;not null"`
			Insurer              string    `gorm:"size:64;not null"`
			DeathDisabilityCents int64     `gorm:"not null"`
			MedicalCents         int64     `gorm:"not null"`
			Term                 string    `gorm:"size:8;not null"`
			PremiumCents         int64     `gorm:"not null"`
			Payer                string    `gorm:"size:16;not null"`
			MinAge               int       `gorm:"not null"`
			MaxAge               int       `gorm:"not null"`
			Active               bool      `gorm:"not null"`
			CreatedBy            uint64    `gorm:"not null"`
			CreatedAt            time.Time `gorm:"not null"`
			UpdatedAt            time.Time `gorm:"not null"`
		}
		type InsurancePolicy struct {
			ID           uint64  `gorm:"primaryKey"`
			PlanID       uint64  `gorm:"not null;index"`
			WorkerID     uint64  `gorm:"not null;index"`
			GigID        *uint64 `gorm:"index"`
			StartDate    string  `gorm:"size:10;not null"`
			EndDate      string  `gorm:"size:10;not null;index:idx_policy_status_end,priority:2"`
			Status       string  `gorm:"size:16;not null;index:idx_policy_status_end,priority:1"`
			PolicyNumber string  `gorm:"size:64;not null;default:''"`
			EnrolledBy   uint64  `gorm:"not null"`
			ConfirmedBy  *uint64
			AreaCode     string    `gorm:"size:6;not null;index"`
			CreatedAt    time.Time `gorm:"not null"`
			UpdatedAt    time.Time `gorm:"not null"`
		}
		type InsuranceCoverDay struct {
			WorkerID uint64 `gorm:"primaryKey;autoIncrement:false"`
			PlanID   uint64 `gorm:"primaryKey;autoIncrement:false"`
			Day      string `gorm:"primaryKey;size:10"`
			PolicyID uint64 `gorm:"not null;index"`
		}
		type InsuranceIncident struct {
			ID          uint64    `gorm:"primaryKey"`
			PolicyID    uint64    `gorm:"not null;index"`
			WorkerID    uint64    `gorm:"not null;index"`
			HappenedAt  time.Time `gorm:"not null"`
			Place       string    `gorm:"size:255;not null"`
			Description string    `gorm:"type:text;not null"`
			Status      string    `gorm:"size:16;not null"`
			Note        string    `gorm:"size:500;not null;default:''"`
			AreaCode    string    `gorm:"size:6;not null;index"`
			CreatedAt   time.Time `gorm:"not null"`
			UpdatedAt   time.Time `gorm:"not null"`
		}
		type Upload struct {
			ID          uint64    `gorm:"primaryKey"`
			OwnerID     uint64    `gorm:"not null;index"`
			Name        string    `gorm:"size:64;not null;uniqueIndex"`
			ContentType string    `gorm:"size:32;not null"`
			Size        int64     `gorm:"not null"`
			CreatedAt   time.Time `gorm:"not null"`
		}
		type Complaint struct {
			ID                 uint64    `gorm:"primaryKey"`
			ComplainantID      uint64    `gorm:"not null;index"`
			Category           string    `gorm:"size:24;not null"`
			GigID              *uint64   `gorm:"index"`
			EmployerID         *uint64   `gorm:"index"`
			ApplicationID      *uint64   `gorm:"index"`
			Description        string    `gorm:"type:text;not null"`
			ShowIdentity       bool      `gorm:"not null"`
			SharedWithEmployer bool      `gorm:"not null;default:false"`
			Status             string    `gorm:"size:16;not null;index:idx_complaint_scope,priority:1"`
			AreaCode           string    `gorm:"size:6;not null;index:idx_complaint_scope,priority:2"`
			RejectReason       string    `gorm:"size:255;not null;default:''"`
			AcceptDue          time.Time `gorm:"not null"`
			AcceptedAt         *time.Time
			ResolvedAt         *time.Time
			Satisfaction       *int
			SatisfactionNote   string    `gorm:"size:255;not null;default:''"`
			CreatedAt          time.Time `gorm:"not null"`
			UpdatedAt          time.Time `gorm:"not null"`
		}
		type ComplaintEvent struct {
			ID          uint64    `gorm:"primaryKey"`
			ComplaintID uint64    `gorm:"not null;index"`
			Status      string    `gorm:"size:16;not null"`
			Note        string    `gorm:"size:500;not null;default:''"`
			ActorID     uint64    `gorm:"not null"`
			ActorRole   string    `gorm:"size:16;not null"`
			CreatedAt   time.Time `gorm:"not null"`
		}
		type ComplaintPhoto struct {
			ComplaintID uint64 `gorm:"primaryKey;autoIncrement:false"`
			UploadID    uint64 `gorm:"primaryKey;autoIncrement:false"`
		}
		return createTables(tx, &Training{}, &TrainingSession{}, &Enrollment{}, &InsurancePlan{}, &InsurancePolicy{},
			&InsuranceCoverDay{}, &InsuranceIncident{}, &Upload{}, &Complaint{}, &ComplaintEvent{}, &ComplaintPhoto{})
	}},
	{Version: 5, Name: "markets, public information, audit log, subscribe messages, job leases", Up: func(tx *gorm.DB) error {
		type Market struct {
			ID             uint64    `gorm:"primaryKey"`
			Kind           string    `gorm:"size:16;not null"`
			Name           string    `gorm:"size:64;not null;uniqueIndex"`
			AreaCode       string    `gorm:"size:6;not null;index"`
			Address        string    `gorm:"size:255;not null"`
			Lat            float64   `gorm:"not null"`
			Lng            float64   `gorm:"not null"`
			OpeningHours   string    `gorm:"size:64;not null"`
			Services       string    `gorm:"size:500;not null"`
			Hotline        string    `gorm:"size:20;not null"`
			ComplaintPhone string    `gorm:"size:20;not null"`
			CreatedAt      time.Time `gorm:"not null"`
			UpdatedAt      time.Time `gorm:"not null"`
		}
		type ShortageOccupation struct {
			ID          uint64    `gorm:"primaryKey"`
			CategoryID  uint64    `gorm:"not null;uniqueIndex:uq_shortage,priority:1"`
			AreaCode    string    `gorm:"size:6;not null;uniqueIndex:uq_shortage,priority:2"`
			Period      string    `gorm:"size:16;not null;uniqueIndex:uq_shortage,priority:3"`
			Note        string    `gorm:"size:255;not null;default:''"`
			PublishedBy uint64    `gorm:"not null"`
			CreatedAt   time.Time `gorm:"not null"`
		}
		type JobFair struct {
			ID          uint64    `gorm:"primaryKey"`
			MarketID    uint64    `gorm:"not null;index"`
			Title       string    `gorm:"size:64;not null"`
			Date        string    `gorm:"size:10;not null;index"`
			StartTime   string    `gorm:"size:5;not null"`
			EndTime     string    `gorm:"size:5;not null"`
			Description string    `gorm:"type:text;not null"`
			AreaCode    string    `gorm:"size:6;not null;index"`
			CreatedBy   uint64    `gorm:"not null"`
			CreatedAt   time.Time `gorm:"not null"`
		}
		type Notice struct {
			ID          uint64    `gorm:"primaryKey"`
			Title       string    `gorm:"size:64;not null"`
			Body        string    `gorm:"type:text;not null"`
			AreaCode    string    `gorm:"size:6;not null;index"`
			PublishedBy uint64    `gorm:"not null"`
			CreatedAt   time.Time `gorm:"not null;index"`
		}
		type AuditLog struct {
			ID         uint64    `gorm:"primaryKey"`
			ActorID    uint64    `gorm:"not null;index"`
			Action     string    `gorm:"size:128;not null"`
			TargetKind string    `gorm:"size:32;not null;default:''"`
			TargetID   string    `gorm:"size:32;not null;default:''"`
			Detail     string    `gorm:"size:500;not null;default:''"`
			IP         string    `gorm:"size:64;not null;default:''"`
			RequestID  string    `gorm:"size:64;not null;default:''"`
			CreatedAt  time.Time `gorm:"not null;index"`
		}
		type SubscriptionGrant struct {
			UserID      uint64    `gorm:"primaryKey;autoIncrement:false"`
			TemplateKey string    `gorm:"primaryKey;size:32"`
			Remaining   int       `gorm:"not null"`
			UpdatedAt   time.Time `gorm:"not null"`
		}
		type OutboxMessage struct {
			ID            uint64    `gorm:"primaryKey"`
			UserID        uint64    `gorm:"not null;index"`
			TemplateKey   string    `gorm:"size:32;not null"`
			Data          string    `gorm:"type:text;not null"`
			Page          string    `gorm:"size:255;not null;default:''"`
			PushID        *uint64   `gorm:"index"`
			Status        string    `gorm:"size:16;not null;index:idx_outbox_due,priority:1"`
			Attempts      int       `gorm:"not null;default:0"`
			NextAttemptAt time.Time `gorm:"not null;index:idx_outbox_due,priority:2"`
			MsgID         string    `gorm:"size:32;not null;default:''"`
			LastError     string    `gorm:"size:255;not null;default:''"`
			CreatedAt     time.Time `gorm:"not null"`
			SentAt        *time.Time
		}
		type Push struct {
			ID          uint64    `gorm:"primaryKey"`
			StaffID     uint64    `gorm:"not null;index"`
			TemplateKey string    `gorm:"size:32;not null"`
			Audience    string    `gorm:"type:text;not null"`
			Recipients  int       `gorm:"not null"`
			CreatedAt   time.Time `gorm:"not null"`
		}
		type JobLease struct {
			Name      string    `gorm:"primaryKey;size:64"`
			Holder    string    `gorm:"size:64;not null"`
			ExpiresAt time.Time `gorm:"not null"`
		}
		if err := createTables(tx, &Market{}, &ShortageOccupation{}, &JobFair{}, &Notice{}, &AuditLog{},
			&SubscriptionGrant{}, &OutboxMessage{}, &Push{}, &JobLease{}); err != nil {
			return err
		}
		// Staff may belong to a market; their scope is then the market's county.
		return tx.Exec("ALTER TABLE staff_members ADD COLUMN market_id BIGINT UNSIGNED NULL").Error
	}},
	{Version: 6, Name: "remember which enrolments were reminded", Up: func(tx *gorm.DB) error {
		return tx.Exec("ALTER TABLE enrollments ADD COLUMN reminded_at DATETIME(3) NULL").Error
	}},
	{Version: 7, Name: "window service: consents, actions on behalf, binding codes", Up: func(tx *gorm.DB) error {
		type Consent struct {
			ID        uint64 `gorm:"primaryKey"`
			UserID    uint64 `gorm:"not null;index"`
			StaffID   uint64 `gorm:"not null"`
			Method    string `gorm:"size:16;not null"`
			Note      string `gorm:"size:255;not null;default:''"`
			UploadID  *uint64
			CreatedAt time.Time `gorm:"not null"`
		}
		type OnBehalfAction struct {
			ID         uint64    `gorm:"primaryKey"`
			ActorID    uint64    `gorm:"not null;index"`
			SubjectID  uint64    `gorm:"not null;index"`
			Action     string    `gorm:"size:32;not null"`
			TargetKind string    `gorm:"size:32;not null;default:''"`
			TargetID   uint64    `gorm:"not null;default:0"`
			Note       string    `gorm:"size:255;not null;default:''"`
			CreatedAt  time.Time `gorm:"not null"`
		}
		type BindingCode struct {
			UserID    uint64    `gorm:"primaryKey;autoIncrement:false"`
			CodeHash  string    `gorm:"size:64;not null"`
			ExpiresAt time.Time `gorm:"not null"`
			TriesLeft int       `gorm:"not null"`
			IssuedBy  uint64    `gorm:"not null"`
			CreatedAt time.Time `gorm:"not null"`
			UsedAt    *time.Time
		}
		return createTables(tx, &Consent{}, &OnBehalfAction{}, &BindingCode{})
	}},
	{Version: 8, Name: "family delegates", Up: func(tx *gorm.DB) error {
		type Delegation struct {
			ID            uint64    `gorm:"primaryKey"`
			ElderID       uint64    `gorm:"not null;index"`
			DelegateID    *uint64   `gorm:"index"`
			InviteHash    string    `gorm:"size:64;not null;uniqueIndex"`
			InviteExpires time.Time `gorm:"not null"`
			AcceptedAt    *time.Time
			RevokedAt     *time.Time
			CreatedAt     time.Time `gorm:"not null"`
		}
		return createTables(tx, &Delegation{})
	}},
	{Version: 9, Name: "staff push limit decided by a row per staff member", Up: func(tx *gorm.DB) error {
		type PushWindow struct {
			StaffID uint64    `gorm:"primaryKey;autoIncrement:false"`
			Started time.Time `gorm:"not null"`
			Used    int       `gorm:"not null;default:0"`
		}
		return createTables(tx, &PushWindow{})
	}},
	{Version: 10, Name: "contact phone reads; daily quotas per person (phones, uploads)", Up: func(tx *gorm.DB) error {
		type PhoneRead struct {
			UserID    uint64    `gorm:"primaryKey;autoIncrement:false"`
			GigID     uint64    `gorm:"primaryKey;autoIncrement:false;index"`
			CreatedAt time.Time `gorm:"not null;index"`
		}
		type DailyQuota struct {
			UserID uint64 `gorm:"primaryKey;autoIncrement:false"`
			Kind   string `gorm:"primaryKey;size:16"`
			Day    string `gorm:"primaryKey;size:10"`
			Count  int    `gorm:"not null;default:0"`
			Bytes  int64  `gorm:"not null;default:0"`
		}
		return createTables(tx, &PhoneRead{}, &DailyQuota{})
	}},
	{Version: 11, Name: "employers' last verified name, shown while a rename waits for review", Up: func(tx *gorm.DB) error {
		type Employer struct {
			VerifiedName string `gorm:"size:128;not null;default:''"`
		}
		if err := tx.Migrator().AddColumn(&Employer{}, "VerifiedName"); err != nil {
			return err
		}
		return tx.Exec("UPDATE employers SET verified_name = display_name WHERE status = ?", "verified").Error
	}},
	{Version: 12, Name: "walk-in slips claimed by a random ticket, not the sequential worker number", Up: func(tx *gorm.DB) error {
		type BindingCode struct {
			TicketHash *string `gorm:"size:64;uniqueIndex"`
		}
		if err := tx.Migrator().AddColumn(&BindingCode{}, "TicketHash"); err != nil {
			return err
		}
		return tx.Migrator().CreateIndex(&BindingCode{}, "TicketHash")
	}},
	{Version: 13, Name: "identity claims: an ID number registered twice waits for staff", Up: func(tx *gorm.DB) error {
		type IdentityClaim struct {
			ID           uint64    `gorm:"primaryKey"`
			UserID       uint64    `gorm:"not null;index"`
			HolderID     uint64    `gorm:"not null"`
			IDNumberHash string    `gorm:"size:64;not null"`
			AreaCode     string    `gorm:"size:6;not null;default:'';index"`
			HolderArea   string    `gorm:"size:6;not null;default:''"`
			CreatedAt    time.Time `gorm:"not null"`
			ResolvedAt   *time.Time
			ResolvedBy   *uint64
			Outcome      string `gorm:"size:16;not null;default:''"`
		}
		return createTables(tx, &IdentityClaim{})
	}},
	{Version: 14, Name: "complaints keep WeChat's content check verdict", Up: func(tx *gorm.DB) error {
		type Complaint struct {
			SecCheck string `gorm:"size:16;not null;default:''"`
		}
		return tx.Migrator().AddColumn(&Complaint{}, "SecCheck")
	}},
	{Version: 15, Name: "work calendar: statutory holidays and make-up working days, 2026 seeded", Up: func(tx *gorm.DB) error {
		// The date is a 'YYYY-MM-DD' string, as elsewhere: the same type and comparisons on MySQL, MariaDB,
		// TiDB and SQLite, and no time zone to convert.
		type WorkCalendarDay struct {
			Date      string    `gorm:"primaryKey;size:10"`
			Kind      string    `gorm:"size:8;not null"`
			Name      string    `gorm:"size:32;not null;default:''"`
			ChangedBy uint64    `gorm:"not null;default:0"`
			ChangedAt time.Time `gorm:"not null"`
		}
		if err := createTables(tx, &WorkCalendarDay{}); err != nil {
			return err
		}
		// 国务院办公厅关于2026年部分节假日安排的通知 (4 November 2025). Weekend days inside a break are listed
		// too, so that the table reads like the notice.
		var days []WorkCalendarDay
		now := tx.NowFunc()
		holiday := func(name, from, to string) {
			first, _ := time.Parse("2006-01-02", from)
			last, _ := time.Parse("2006-01-02", to)
			for d := first; !d.After(last); d = d.AddDate(0, 0, 1) {
				days = append(days, WorkCalendarDay{Date: d.Format("2006-01-02"), Kind: "holiday", Name: name, ChangedAt: now})
			}
		}
		workday := func(name string, dates ...string) {
			for _, d := range dates {
				days = append(days, WorkCalendarDay{Date: d, Kind: "workday", Name: name, ChangedAt: now})
			}
		}
		holiday("元旦", "2026-01-01", "2026-01-03")
		workday("元旦", "2026-01-04")
		holiday("春节", "2026-02-15", "2026-02-23")
		workday("春节", "2026-02-14", "2026-02-28")
		holiday("清明节", "2026-04-04", "2026-04-06")
		holiday("劳动节", "2026-05-01", "2026-05-05")
		workday("劳动节", "2026-05-09")
		holiday("端午节", "2026-06-19", "2026-06-21")
		holiday("中秋节", "2026-09-25", "2026-09-27")
		holiday("国庆节", "2026-10-01", "2026-10-07")
		workday("国庆节", "2026-09-20", "2026-10-10")
		return tx.Create(&days).Error
	}},
	{Version: 16, Name: "content checks: WeChat's check of a gig's or complaint's text, queued", Up: func(tx *gorm.DB) error {
		type ContentCheck struct {
			ID            uint64    `gorm:"primaryKey"`
			Kind          string    `gorm:"size:16;not null;uniqueIndex:idx_content_checks_target,priority:1"`
			TargetID      uint64    `gorm:"not null;uniqueIndex:idx_content_checks_target,priority:2"`
			Revision      int       `gorm:"not null;default:1"`
			Status        string    `gorm:"size:16;not null;index:idx_content_checks_due,priority:1"`
			Attempts      int       `gorm:"not null;default:0"`
			NextAttemptAt time.Time `gorm:"not null;index:idx_content_checks_due,priority:2"`
			Verdict       string    `gorm:"size:16;not null;default:''"`
			LastError     string    `gorm:"size:255;not null;default:''"`
			CreatedAt     time.Time `gorm:"not null"`
			UpdatedAt     time.Time `gorm:"not null"`
		}
		return createTables(tx, &ContentCheck{})
	}},
	{Version: 17, Name: "the change feed every instance follows (gig index, session cache)", Up: func(tx *gorm.DB) error {
		type Change struct {
			ID        uint64    `gorm:"primaryKey"`
			Kind      string    `gorm:"size:8;not null"`
			RefID     uint64    `gorm:"not null"`
			CreatedAt time.Time `gorm:"not null;index"`
		}
		if tx.Dialector.Name() == "mysql" {
			// TiDB hands out ids from a cache per server unless told otherwise, so they would not follow the
			// order of inserts; MySQL and MariaDB read this as a comment.
			tx = tx.Set("gorm:table_options", "/*T![auto_id_cache] AUTO_ID_CACHE=1 */")
		}
		return createTables(tx, &Change{})
	}},
	{Version: 18, Name: "the staff console: scan sign-in tickets, console sessions, console session of audit entries", Up: func(tx *gorm.DB) error {
		type ConsoleTicket struct {
			ID             uint64    `gorm:"primaryKey"`
			SceneHash      string    `gorm:"size:64;not null;uniqueIndex"`
			BrowserHash    string    `gorm:"size:64;not null"`
			IP             string    `gorm:"size:64;not null;default:''"`
			UserAgent      string    `gorm:"size:255;not null;default:''"`
			CreatedAt      time.Time `gorm:"not null;index"`
			ExpiresAt      time.Time `gorm:"not null"`
			ConfirmedBy    *uint64
			ConfirmedAt    *time.Time
			PhoneSessionID *uint64
			ClaimedAt      *time.Time
		}
		type ConsoleSession struct {
			ID             uint64 `gorm:"primaryKey"`
			TokenHash      string `gorm:"size:64;not null;uniqueIndex"`
			UserID         uint64 `gorm:"not null;index"`
			PhoneSessionID *uint64
			IP             string    `gorm:"size:64;not null;default:''"`
			UserAgent      string    `gorm:"size:255;not null;default:''"`
			CreatedAt      time.Time `gorm:"not null"`
			ExpiresAt      time.Time `gorm:"not null"`
			LastSeenAt     time.Time `gorm:"not null"`
			EndedAt        *time.Time
			EndReason      string `gorm:"size:16;not null;default:''"`
		}
		if err := createTables(tx, &ConsoleTicket{}, &ConsoleSession{}); err != nil {
			return err
		}
		// 0: the entry came from the API, not from a console session.
		type AuditLog struct {
			ConsoleSessionID uint64 `gorm:"not null;default:0"`
		}
		return tx.Migrator().AddColumn(&AuditLog{}, "ConsoleSessionID")
	}},
	{Version: 19, Name: "check-in on site: one attendance row per gig, worker and work day", Up: func(tx *gorm.DB) error {
		type Attendance struct {
			ID              uint64    `gorm:"primaryKey"`
			GigID           uint64    `gorm:"not null;uniqueIndex:idx_attendance_day,priority:1"`
			WorkerID        uint64    `gorm:"not null;uniqueIndex:idx_attendance_day,priority:2;index"`
			Day             string    `gorm:"size:10;not null;uniqueIndex:idx_attendance_day,priority:3;index"`
			Method          string    `gorm:"size:8;not null"`
			ArrivedAt       time.Time `gorm:"not null"`
			LeftAt          *time.Time
			ArriveGeoCipher string `gorm:"size:255;not null;default:''"`
			LeaveGeoCipher  string `gorm:"size:255;not null;default:''"`
			Answer          string `gorm:"size:10;not null;default:''"`
			AnswerNote      string `gorm:"size:800;not null;default:''"`
			AnsweredBy      *uint64
			AnsweredAt      *time.Time
			CreatedAt       time.Time `gorm:"not null"`
			UpdatedAt       time.Time `gorm:"not null"`
		}
		return createTables(tx, &Attendance{})
	}},
	{Version: 20, Name: "job alerts: each worker's settings, approved gigs waiting to be matched, one delivery per worker and gig", Up: func(tx *gorm.DB) error {
		type AlertSubscription struct {
			UserID       uint64     `gorm:"primaryKey;autoIncrement:false"`
			CategoryIDs  string     `gorm:"size:255;not null"`
			Place        string     `gorm:"size:8;not null"`
			MarketID     uint64     `gorm:"not null;default:0"`
			Lat          float64    `gorm:"not null"`
			Lng          float64    `gorm:"not null"`
			RadiusM      int        `gorm:"not null"`
			DailyPay     bool       `gorm:"not null;default:false"`
			EarliestAt   string     `gorm:"size:5;not null;default:''"`
			Enabled      bool       `gorm:"not null;default:false"`
			SMSConsent   bool       `gorm:"column:sms_consent;not null;default:false"`
			SMSConsentAt *time.Time `gorm:"column:sms_consent_at"`
			SMSStoppedAt *time.Time `gorm:"column:sms_stopped_at"`
			CreatedAt    time.Time  `gorm:"not null"`
			UpdatedAt    time.Time  `gorm:"not null"`
		}
		// An approved gig waits here until the matcher has queued its alerts: written in the approval's own
		// transaction, so that no approval goes unmatched and the approval itself does no matching.
		type AlertGig struct {
			GigID     uint64     `gorm:"primaryKey;autoIncrement:false;index:idx_alert_gigs_due,priority:2"`
			QueuedAt  time.Time  `gorm:"not null"`
			MatchedAt *time.Time `gorm:"index:idx_alert_gigs_due,priority:1"`
			Matched   int        `gorm:"not null;default:0"`
		}
		// An approval queues thousands of these at once, and each index is paid on every insert: none on gig_id
		// alone (the figures go from a delivery to its gig, never back).
		type AlertDelivery struct {
			ID            uint64    `gorm:"primaryKey"`
			WorkerID      uint64    `gorm:"not null;uniqueIndex:idx_alert_deliveries_once,priority:1"`
			GigID         uint64    `gorm:"not null;uniqueIndex:idx_alert_deliveries_once,priority:2"`
			Status        string    `gorm:"size:12;not null;index:idx_alert_deliveries_due,priority:1"`
			NextAttemptAt time.Time `gorm:"not null;index:idx_alert_deliveries_due,priority:2"`
			ClaimToken    string    `gorm:"size:64;not null;default:''"`
			Attempts      int       `gorm:"not null;default:0"`
			Channel       string    `gorm:"size:8;not null;default:''"`
			Reason        string    `gorm:"size:255;not null;default:''"`
			SentDay       string    `gorm:"size:10;not null;default:'';index"`
			CreatedAt     time.Time `gorm:"not null"`
			SentAt        *time.Time
			OpenedAt      *time.Time
			AppliedAt     *time.Time
		}
		return createTables(tx, &AlertSubscription{}, &AlertGig{}, &AlertDelivery{})
	}},
	{Version: 21, Name: "no-shows and late cancellations, once each per gig, worker and day", Up: func(tx *gorm.DB) error {
		type ReliabilityEvent struct {
			ID         uint64    `gorm:"primaryKey"`
			Kind       string    `gorm:"size:12;not null;uniqueIndex:idx_reliability_event,priority:1"`
			GigID      uint64    `gorm:"not null;uniqueIndex:idx_reliability_event,priority:2"`
			WorkerID   uint64    `gorm:"not null;uniqueIndex:idx_reliability_event,priority:3;index"`
			Day        string    `gorm:"size:10;not null;uniqueIndex:idx_reliability_event,priority:4"`
			EmployerID uint64    `gorm:"not null;index"`
			CreatedAt  time.Time `gorm:"not null"`
		}
		return createTables(tx, &ReliabilityEvent{})
	}},
	{Version: 23, Name: "reliability records: an entry corrected by staff, one open correction request per entry", Up: func(tx *gorm.DB) error {
		// Set when staff accepted a correction: the entry stays (the unique key keeps the no-show job from
		// recording it again) but no count includes it.
		type ReliabilityEvent struct {
			CorrectedAt *time.Time
		}
		if err := tx.Migrator().AddColumn(&ReliabilityEvent{}, "CorrectedAt"); err != nil {
			return err
		}
		// OpenEventID is the entry while the request is open and NULL once decided: the unique key allows one
		// open request per entry (every supported database lets NULLs repeat in a unique index).
		type RecordCorrection struct {
			ID          uint64  `gorm:"primaryKey"`
			EventID     uint64  `gorm:"not null;index"`
			OpenEventID *uint64 `gorm:"uniqueIndex"`
			RequesterID uint64  `gorm:"not null;index"`
			AreaCode    string  `gorm:"size:6;not null;index"`
			Reason      string  `gorm:"size:800;not null"`
			Status      string  `gorm:"size:10;not null"`
			Note        string  `gorm:"size:800;not null;default:''"`
			DecidedBy   *uint64
			DecidedAt   *time.Time
			CreatedAt   time.Time `gorm:"not null"`
			UpdatedAt   time.Time `gorm:"not null"`
		}
		return createTables(tx, &RecordCorrection{})
	}},
	{Version: 24, Name: "index reliability events by kind and day for staff's figures", Up: func(tx *gorm.DB) error {
		// The stats read a period's no-shows of every employer; the unique key leads with the gig, not the day.
		return tx.Exec("CREATE INDEX idx_reliability_kind_day ON reliability_events (kind, day)").Error
	}},
	{Version: 27, Name: "staff members' names, shown on 人员 and beside their entries in the audit log", Up: func(tx *gorm.DB) error {
		type StaffMember struct {
			Name string `gorm:"size:32;not null;default:''"`
		}
		return tx.Migrator().AddColumn(&StaffMember{}, "Name")
	}},
	{Version: 28, Name: "job alerts: applied is counted from the applications, not written on each", Up: func(tx *gorm.DB) error {
		// Plain SQL: every supported database drops a column in place, while GORM's SQLite migrator rebuilds
		// the table and loses its unique key.
		return tx.Exec("ALTER TABLE alert_deliveries DROP COLUMN applied_at").Error
	}},
	{Version: 29, Name: "pushes: the confirmed form's send key, so that sending it twice sends once", Up: func(tx *gorm.DB) error {
		type Push struct {
			SendKey *string `gorm:"size:32;uniqueIndex"`
		}
		if err := tx.Migrator().AddColumn(&Push{}, "SendKey"); err != nil {
			return err
		}
		return tx.Migrator().CreateIndex(&Push{}, "SendKey")
	}},
	{Version: 30, Name: "phone reads take the day's next slot under a unique key (one write, not a count and a read)", Up: func(tx *gorm.DB) error {
		// Reads from before keep no slot (NULL passes a unique key), so on the day of the upgrade a worker
		// may see up to one day's reads more.
		type PhoneRead struct {
			UserID uint64 `gorm:"primaryKey;autoIncrement:false;uniqueIndex:idx_phone_read_day_slot,priority:1"`
			Day    string `gorm:"size:10;not null;default:'';uniqueIndex:idx_phone_read_day_slot,priority:2"`
			Slot   *int   `gorm:"uniqueIndex:idx_phone_read_day_slot,priority:3"`
		}
		for _, column := range []string{"Day", "Slot"} {
			if err := tx.Migrator().AddColumn(&PhoneRead{}, column); err != nil {
				return err
			}
		}
		return tx.Migrator().CreateIndex(&PhoneRead{}, "idx_phone_read_day_slot")
	}},
	{Version: 31, Name: "pushes belong to an area, so that staff read their area's pushes, not their own", Up: func(tx *gorm.DB) error {
		type Push struct {
			AreaCode string `gorm:"size:6;not null;default:'';index"`
		}
		if err := tx.Migrator().AddColumn(&Push{}, "AreaCode"); err != nil {
			return err
		}
		if err := tx.Migrator().CreateIndex(&Push{}, "AreaCode"); err != nil {
			return err
		}
		// Earlier pushes: the area of their segment's gig, session or market, else the sender's staff area
		// now (the nearest record of where a list was sent from); an admin's stays "", for admins only.
		var rows []struct {
			ID       uint64
			StaffID  uint64
			Audience string
		}
		if err := tx.Table("pushes").Select("id, staff_id, audience").Scan(&rows).Error; err != nil {
			return err
		}
		for _, r := range rows {
			var aud struct {
				Segment   string `json:"segment"`
				SessionID uint64 `json:"session_id"`
				GigID     uint64 `json:"gig_id"`
				MarketID  uint64 `json:"market_id"`
			}
			_ = json.Unmarshal([]byte(r.Audience), &aud)
			q, column := tx.Table("staff_members").Where("user_id = ?", r.StaffID), "area_code"
			switch aud.Segment {
			case "training_session":
				q, column = tx.Table("trainings").Joins("JOIN training_sessions ON training_sessions.training_id = trainings.id").
					Where("training_sessions.id = ?", aud.SessionID), "trainings.area_code"
			case "gig_confirmed":
				q = tx.Table("gigs").Where("id = ?", aud.GigID)
			case "near_market":
				q = tx.Table("markets").Where("id = ?", aud.MarketID)
			}
			var area []string
			if err := q.Limit(1).Pluck(column, &area).Error; err != nil {
				return err
			}
			if len(area) == 1 && area[0] != "" {
				if err := tx.Table("pushes").Where("id = ?", r.ID).Update("area_code", area[0]).Error; err != nil {
					return err
				}
			}
		}
		return nil
	}},
}

// AllModels lists every model, for the test that holds models and migrations together.
func AllModels() []any {
	return []any{&User{}, &Session{}, &RefreshToken{}, &Category{}, &WorkerProfile{}, &WorkerSkill{}, &Employer{},
		&Gig{}, &Application{}, &Rating{}, &ReviewDecision{}, &WageGuide{}, &StaffMember{}, &Training{}, &TrainingSession{},
		&Enrollment{}, &InsurancePlan{}, &InsurancePolicy{}, &InsuranceCoverDay{}, &InsuranceIncident{}, &Upload{},
		&Complaint{}, &ComplaintEvent{}, &ComplaintPhoto{}, &Market{}, &ShortageOccupation{}, &JobFair{}, &Notice{},
		&AuditLog{}, &SubscriptionGrant{}, &OutboxMessage{}, &Push{}, &JobLease{}, &Consent{}, &OnBehalfAction{}, &BindingCode{},
		&Delegation{}, &PushWindow{}, &PhoneRead{}, &DailyQuota{}, &IdentityClaim{}, &WorkCalendarDay{}, &ContentCheck{}, &Change{},
		&ConsoleTicket{}, &ConsoleSession{}, &Attendance{}, &ReliabilityEvent{}, &RecordCorrection{},
		&AlertSubscription{}, &AlertGig{}, &AlertDelivery{}}
}
