package model

import (
	"context"
	"strconv"
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

// AuditFilter is the audit log's filter as a person typed it (the API's query, the console's form); Query
// checks it once for both.
type AuditFilter struct {
	Actor, Action, TargetKind, TargetID string
	// From and To are days (2026-11-28), both included.
	From, To string
}

// Query turns the typed filter into a query, or lists beside which field what is wrong.
func (f AuditFilter) Query() (AuditQuery, error) {
	var bad fieldErrors
	q := AuditQuery{Action: f.Action, TargetKind: f.TargetKind, TargetID: f.TargetID}
	if f.Actor != "" {
		id, err := strconv.ParseUint(f.Actor, 10, 64)
		if err != nil || id == 0 {
			bad.add("actor_id", "操作人编号要填数字")
		}
		q.ActorID = id
	}
	day := func(field, s string) time.Time {
		if s == "" {
			return time.Time{}
		}
		t, err := time.ParseInLocation(time.DateOnly, s, Shanghai)
		if err != nil {
			bad.add(field, "日期的格式是 2026-11-28")
		}
		return t
	}
	q.From = day("from", f.From)
	if to := day("to", f.To); !to.IsZero() {
		q.To = to.AddDate(0, 0, 1) // the day typed is included
	}
	if !q.From.IsZero() && !q.To.IsZero() && !q.From.Before(q.To) {
		bad.add("to", "结束日期不能早于开始日期")
	}
	for _, f := range []struct{ field, value string }{{"action", f.Action}, {"target_kind", f.TargetKind}, {"target_id", f.TargetID}} {
		if len([]rune(f.value)) > 64 {
			bad.add(f.field, "最多64个字")
		}
	}
	return q, bad.err()
}

// AuditEntry is an entry with the name of who did it: a staff member's name, empty for an admin who is not
// staff or for an action of the person themself.
type AuditEntry struct {
	AuditLog
	ActorName string
}

// AuditLogs lists entries newest first.
func (s *Store) AuditLogs(ctx context.Context, q AuditQuery) ([]AuditEntry, error) {
	db := s.DB.WithContext(ctx).Table("audit_logs").Select("audit_logs.*, COALESCE(staff_members.name, '') AS actor_name").
		Joins("LEFT JOIN staff_members ON staff_members.user_id = audit_logs.actor_id").Order("audit_logs.id DESC").Limit(q.Limit)
	if q.ActorID != 0 {
		db = db.Where("audit_logs.actor_id = ?", q.ActorID)
	}
	if q.BeforeID != 0 {
		db = db.Where("audit_logs.id < ?", q.BeforeID)
	}
	if q.Action != "" {
		// An explicit escape character, because MySQL's default (backslash) is not SQLite's (none).
		esc := strings.NewReplacer("!", "!!", "%", "!%", "_", "!_").Replace(q.Action)
		db = db.Where("audit_logs.action LIKE ? ESCAPE '!'", "%"+esc+"%")
	}
	if q.TargetKind != "" {
		db = db.Where("audit_logs.target_kind = ?", q.TargetKind)
	}
	if q.TargetID != "" {
		db = db.Where("audit_logs.target_id = ?", q.TargetID)
	}
	if !q.From.IsZero() {
		db = db.Where("audit_logs.created_at >= ?", q.From)
	}
	if !q.To.IsZero() {
		db = db.Where("audit_logs.created_at < ?", q.To)
	}
	var out []AuditEntry
	return out, dbErr(db.Scan(&out).Error)
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
	return s.openIdentity(ctx, &p)
}

// openIdentity decrypts a worker's name, ID number and phone; the caller has decided the staff may read them.
func (s *Store) openIdentity(ctx context.Context, p *WorkerProfile) (*Identity, error) {
	u, err := s.UserByID(ctx, p.UserID)
	if err != nil {
		return nil, err
	}
	w, err := s.openWorker(p, nil)
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
