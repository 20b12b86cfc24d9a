package model

import (
	"context"
	"strings"
	"time"
)

// AuditLog records a staff action that changed something, or a staff read of a full ID number or phone.
// Nothing in the API edits or deletes it.
type AuditLog struct {
	ID         uint64 `gorm:"primaryKey"`
	ActorID    uint64
	Action     string
	TargetKind string
	TargetID   string
	Detail     string
	IP         string
	RequestID  string
	// ConsoleSessionID is the console session the action came through; 0 for the API.
	ConsoleSessionID uint64
	CreatedAt        time.Time
}

// Audit appends an entry.
func (s *Store) Audit(ctx context.Context, e AuditLog) error {
	e.ID, e.CreatedAt = 0, s.Now()
	return dbErr(s.DB.WithContext(ctx).Create(&e).Error)
}

// AuditQuery filters the audit log; BeforeID pages backwards (keyset on the id, so a page never shifts when
// entries are added above it). The zero value of each filter means no filter.
type AuditQuery struct {
	ActorID  uint64
	BeforeID uint64
	Limit    int
	// Action matches entries whose action contains it (e.g. "/console/staff" or "identity").
	Action string
	// TargetKind and TargetID match exactly.
	TargetKind string
	TargetID   string
	// From and To bound the time: From included, To excluded.
	From, To time.Time
}

// AuditLogs lists entries newest first.
func (s *Store) AuditLogs(ctx context.Context, q AuditQuery) ([]AuditLog, error) {
	db := s.DB.WithContext(ctx).Order("id DESC").Limit(q.Limit)
	if q.ActorID != 0 {
		db = db.Where("actor_id = ?", q.ActorID)
	}
	if q.BeforeID != 0 {
		db = db.Where("id < ?", q.BeforeID)
	}
	if q.Action != "" {
		// An explicit escape character, because MySQL's default (backslash) is not SQLite's (none).
		esc := strings.NewReplacer("!", "!!", "%", "!%", "_", "!_").Replace(q.Action)
		db = db.Where("action LIKE ? ESCAPE '!'", "%"+esc+"%")
	}
	if q.TargetKind != "" {
		db = db.Where("target_kind = ?", q.TargetKind)
	}
	if q.TargetID != "" {
		db = db.Where("target_id = ?", q.TargetID)
	}
	if !q.From.IsZero() {
		db = db.Where("created_at >= ?", q.From)
	}
	if !q.To.IsZero() {
		db = db.Where("created_at < ?", q.To)
	}
	var out []AuditLog
	return out, dbErr(db.Find(&out).Error)
}

// Identity is a person's full identity, for staff checking it (真实性审核); every read is audited.
type Identity struct {
	Name     string
	IDNumber string
	Phone    string
	AreaCode string
}

// WorkerIdentity opens a worker's full identity for staff of their area.
func (s *Store) WorkerIdentity(ctx context.Context, scope Scope, workerID uint64) (*Identity, error) {
	var p WorkerProfile
	if err := s.DB.WithContext(ctx).Where("user_id = ?", workerID).Take(&p).Error; err != nil {
		return nil, dbErr(err)
	}
	if !scope.Covers(p.AreaCode) {
		return nil, ErrNotFound
	}
	u, err := s.UserByID(ctx, workerID)
	if err != nil {
		return nil, err
	}
	w, err := s.openWorker(&p, nil)
	if err != nil {
		return nil, err
	}
	phone, err := s.Phone(u)
	if err != nil {
		return nil, err
	}
	return &Identity{Name: w.Name, IDNumber: w.IDNumber, Phone: phone, AreaCode: p.AreaCode}, nil
}

// EmployerInArea finds an employer for staff of its area, its personal fields left sealed: for pages that
// show only the public name.
func (s *Store) EmployerInArea(ctx context.Context, scope Scope, employerID uint64) (*Employer, error) {
	var e Employer
	if err := s.DB.WithContext(ctx).Take(&e, employerID).Error; err != nil {
		return nil, dbErr(err)
	}
	if !scope.Covers(e.AreaCode) {
		return nil, ErrNotFound
	}
	return &e, nil
}

// EmployerIdentity opens an employer's full registration for staff of its area.
func (s *Store) EmployerIdentity(ctx context.Context, scope Scope, employerID uint64) (*EmployerView, error) {
	e, err := s.EmployerInArea(ctx, scope, employerID)
	if err != nil {
		return nil, err
	}
	return s.openEmployer(e)
}
