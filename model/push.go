package model

import (
	"context"
	"encoding/json"
	"errors"
	"gorm.io/gorm/clause"
	"math"
	"time"

	"gorm.io/gorm"
)

// Push is a subscribe message staff send to many people at once.
type Push struct {
	ID      uint64 `gorm:"primaryKey"`
	StaffID uint64
	// AreaCode is the area the push was made for (its gig's, session's or market's, else the sender's):
	// the staff of that area read it, as they read the area's other cases; "" for an admin's own, admins only.
	AreaCode string
	// SendKey, when the sender gave one, makes a second send of the same confirmed form the first one (a
	// double click, a reload): a unique key decides. Nil for the API's pushes without one.
	SendKey     *string
	TemplateKey string
	Audience    string
	Recipients  int
	CreatedAt   time.Time
}

// PushWindow counts one staff member's pushes in their current hour. The limit is decided by one conditional
// UPDATE of this row, so that concurrent pushes queue on the row lock instead of all reading "fewer than ten"
// (a count-then-insert lets every one of them through on MariaDB).
type PushWindow struct {
	StaffID uint64 `gorm:"primaryKey;autoIncrement:false"`
	Started time.Time
	Used    int
}

// takePush spends one push of the staff member's hour, or answers ErrPushRateLimited.
func takePush(tx *gorm.DB, staffID uint64, now time.Time) error {
	if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&PushWindow{StaffID: staffID, Started: now}).Error; err != nil {
		return dbErr(err)
	}
	expired := now.Add(-time.Hour)
	// A window an hour old starts again at now with this push. MySQL, MariaDB and TiDB apply SET assignments
	// left to right, each seeing the ones before it, so used (which reads started) must come first; a map
	// would be sorted by GORM and put started first.
	res := tx.Exec("UPDATE push_windows SET used = CASE WHEN started <= ? THEN 1 ELSE used + 1 END, "+
		"started = CASE WHEN started <= ? THEN ? ELSE started END WHERE staff_id = ? AND (started <= ? OR used < ?)",
		expired, expired, now, staffID, expired, PushesPerHour)
	if res.Error != nil {
		return dbErr(res.Error)
	}
	if res.RowsAffected == 0 {
		return ErrPushRateLimited
	}
	return nil
}

// Audience segments.
const (
	SegmentTrainingSession = "training_session"
	SegmentGigConfirmed    = "gig_confirmed"
	SegmentOpenComplaints  = "open_complaints"
	SegmentNearMarket      = "near_market"
)

// Audience says who receives a push: a list of users, or a segment.
type Audience struct {
	UserIDs   []uint64 `json:"user_ids,omitempty"`
	Segment   string   `json:"segment,omitempty"`
	SessionID uint64   `json:"session_id,omitempty"`
	GigID     uint64   `json:"gig_id,omitempty"`
	MarketID  uint64   `json:"market_id,omitempty"`
	RadiusM   int      `json:"radius_m,omitempty"`
}

// Push limits: how many a staff member may send an hour, and to how many people at once.
const (
	PushesPerHour    = 10
	MaxPushAudience  = 20_000
	DefaultPushRange = 5_000
)

// CreatePush resolves the audience within the staff member's scope and queues one message per person, all
// in one transaction.
func (s *Store) CreatePush(ctx context.Context, scope Scope, sendKey, kind, page string, fields map[string]string, aud Audience) (*Push, error) {
	if sendKey != "" {
		if p, err := s.pushSentAs(ctx, scope, sendKey); p != nil || err != nil {
			return p, err
		}
	}
	known := false
	for _, k := range MessageKinds {
		known = known || k == kind
	}
	if !known {
		return nil, &InvalidInput{Fields: []FieldError{{"template_id", "没有这种消息模板"}}}
	}
	users, area, err := s.resolveAudience(ctx, scope, aud)
	if err != nil {
		return nil, err
	}
	if len(users) == 0 {
		return nil, &InvalidInput{Fields: []FieldError{{"audience", "没有找到要通知的人"}}}
	}
	if len(users) > MaxPushAudience {
		return nil, &InvalidInput{Fields: []FieldError{{"audience", "一次最多通知两万人，请缩小范围"}}}
	}
	audience, _ := json.Marshal(aud)
	var p Push
	err = s.tx(ctx, func(tx *gorm.DB) error {
		now := s.Now()
		if err := takePush(tx, scope.UserID, now); err != nil {
			return err
		}
		p = Push{StaffID: scope.UserID, AreaCode: area, TemplateKey: kind, Audience: string(audience), Recipients: len(users), CreatedAt: now}
		if sendKey != "" {
			p.SendKey = &sendKey
		}
		if err := tx.Create(&p).Error; err != nil {
			return dbErr(err)
		}
		data, _ := json.Marshal(fields)
		msgs := make([]OutboxMessage, len(users))
		for i, u := range users {
			msgs[i] = OutboxMessage{UserID: u, TemplateKey: kind, Data: string(data), Page: page, PushID: &p.ID,
				Status: OutboxPending, NextAttemptAt: now, CreatedAt: now}
		}
		return dbErr(tx.CreateInBatches(msgs, 500).Error)
	})
	if errors.Is(err, ErrConflict) && sendKey != "" {
		// The same form sent at the same moment: the other send won the key, and nothing of this one stays.
		return s.pushSentAs(ctx, scope, sendKey)
	}
	return &p, err
}

// pushSentAs is the push this staff member already sent with the key, or nil.
func (s *Store) pushSentAs(ctx context.Context, scope Scope, sendKey string) (*Push, error) {
	var p Push
	err := s.DB.WithContext(ctx).Where("send_key = ? AND staff_id = ?", sendKey, scope.UserID).Take(&p).Error
	if errors.Is(dbErr(err), ErrNotFound) {
		return nil, nil
	}
	return &p, dbErr(err)
}

// resolveAudience finds who a push reaches and the area it is made for: the segment's gig, session or market,
// else (a list, the open complaints) the sender's own area.
func (s *Store) resolveAudience(ctx context.Context, scope Scope, aud Audience) ([]uint64, string, error) {
	db := s.DB.WithContext(ctx)
	var ids []uint64
	area := scope.areaCode()
	switch {
	case len(aud.UserIDs) > 0 && aud.Segment == "":
		q := db.Model(&WorkerProfile{}).Where("user_id IN ?", uniqueIDs(aud.UserIDs))
		if err := scope.where(q, "area_code").Pluck("user_id", &ids).Error; err != nil {
			return nil, "", dbErr(err)
		}
	case aud.Segment == SegmentTrainingSession:
		var t Training
		if err := db.Joins("JOIN training_sessions ON training_sessions.training_id = trainings.id").
			Where("training_sessions.id = ?", aud.SessionID).Take(&t).Error; err != nil {
			return nil, "", notFoundAs(err, "audience", "没有这个上课时间")
		}
		if !scope.Covers(t.AreaCode) {
			return nil, "", ErrNotFound
		}
		area = t.AreaCode
		if err := db.Model(&Enrollment{}).Where("session_id = ? AND status IN ?", aud.SessionID,
			[]string{EnrollActive, EnrollAttended}).Pluck("worker_id", &ids).Error; err != nil {
			return nil, "", dbErr(err)
		}
	case aud.Segment == SegmentGigConfirmed:
		var g Gig
		if err := db.Take(&g, aud.GigID).Error; err != nil {
			return nil, "", notFoundAs(err, "audience", "没有这个招工")
		}
		if !scope.Covers(g.AreaCode) {
			return nil, "", ErrNotFound
		}
		area = g.AreaCode
		if err := db.Model(&Application{}).Where("gig_id = ? AND status = ?", g.ID, AppConfirmed).
			Pluck("worker_id", &ids).Error; err != nil {
			return nil, "", dbErr(err)
		}
	case aud.Segment == SegmentOpenComplaints:
		q := db.Model(&Complaint{}).Distinct("complainant_id").
			Where("status IN ?", []string{CaseSubmitted, CaseAccepted, CaseProcessing})
		if err := scope.where(q, "area_code").Pluck("complainant_id", &ids).Error; err != nil {
			return nil, "", dbErr(err)
		}
	case aud.Segment == SegmentNearMarket:
		m, err := s.Market(ctx, aud.MarketID)
		if err != nil {
			return nil, "", notFoundAs(err, "audience", "没有这个零工市场")
		}
		if !scope.Covers(m.AreaCode) {
			return nil, "", ErrNotFound
		}
		area = m.AreaCode
		radius := float64(aud.RadiusM)
		if radius <= 0 || radius > 50_000 {
			radius = DefaultPushRange
		}
		// The coarse home (about a kilometre) is enough to choose who is near; no address is decrypted.
		dLat := radius/metresPerDegree + 0.01
		dLng := radius/(metresPerDegree*math.Cos(m.Lat*math.Pi/180)) + 0.01
		var homes []WorkerProfile
		if err := db.Select("user_id, home_lat_coarse, home_lng_coarse").
			Where("home_lat_coarse BETWEEN ? AND ? AND home_lng_coarse BETWEEN ? AND ?", m.Lat-dLat, m.Lat+dLat, m.Lng-dLng, m.Lng+dLng).
			Find(&homes).Error; err != nil {
			return nil, "", dbErr(err)
		}
		for _, h := range homes {
			if distanceM(m.Lat, m.Lng, h.HomeLatCoarse, h.HomeLngCoarse) <= radius+800 {
				ids = append(ids, h.UserID)
			}
		}
	default:
		return nil, "", &InvalidInput{Fields: []FieldError{{"audience", "请选择要通知的人：名单或一个范围"}}}
	}
	return uniqueIDs(ids), area, nil
}

// PushReport counts a push's messages by state.
type PushReport struct {
	Push
	Pending, Sent, NoGrant, Failed int
}

// PushReport reports on a push, for the staff of its area (whoever sent it) or an admin.
func (s *Store) PushReport(ctx context.Context, scope Scope, id uint64) (*PushReport, error) {
	var p Push
	if err := s.DB.WithContext(ctx).Take(&p, id).Error; err != nil {
		return nil, dbErr(err)
	}
	if !scope.Covers(p.AreaCode) {
		return nil, ErrNotFound
	}
	var rows []struct {
		Status string
		N      int
	}
	if err := s.DB.WithContext(ctx).Model(&OutboxMessage{}).Select("status, COUNT(*) AS n").Where("push_id = ?", id).
		Group("status").Scan(&rows).Error; err != nil {
		return nil, dbErr(err)
	}
	r := &PushReport{Push: p}
	for _, row := range rows {
		r.count(row.Status, row.N)
	}
	return r, nil
}

// CountAudience says how many people a push to aud would reach, with the refusals CreatePush would give, so
// that staff confirm a number before anything is queued.
func (s *Store) CountAudience(ctx context.Context, scope Scope, aud Audience) (int, error) {
	users, _, err := s.resolveAudience(ctx, scope, aud)
	switch {
	case err != nil:
		return 0, err
	case len(users) == 0:
		return 0, &InvalidInput{Fields: []FieldError{{"audience", "没有找到要通知的人"}}}
	case len(users) > MaxPushAudience:
		return 0, &InvalidInput{Fields: []FieldError{{"audience", "一次最多通知两万人，请缩小范围"}}}
	}
	return len(users), nil
}

// RecentPushes lists the newest pushes of the staff member's area, whoever sent them (every push, to an
// admin), with their counts, as PushReport reports one: whoever may read a report sees it listed.
func (s *Store) RecentPushes(ctx context.Context, scope Scope, limit int) ([]PushReport, error) {
	db := s.DB.WithContext(ctx)
	var pushes []Push
	q := scope.where(db.Order("id DESC").Limit(limit), "area_code")
	if err := q.Find(&pushes).Error; err != nil {
		return nil, dbErr(err)
	}
	if len(pushes) == 0 {
		return nil, nil
	}
	ids := make([]uint64, len(pushes))
	for i, p := range pushes {
		ids[i] = p.ID
	}
	var rows []struct {
		PushID uint64
		Status string
		N      int
	}
	if err := db.Model(&OutboxMessage{}).Select("push_id, status, COUNT(*) AS n").Where("push_id IN ?", ids).
		Group("push_id, status").Scan(&rows).Error; err != nil {
		return nil, dbErr(err)
	}
	out := make([]PushReport, len(pushes))
	at := map[uint64]*PushReport{}
	for i, p := range pushes {
		out[i] = PushReport{Push: p}
		at[p.ID] = &out[i]
	}
	for _, row := range rows {
		at[row.PushID].count(row.Status, row.N)
	}
	return out, nil
}

func (r *PushReport) count(status string, n int) {
	switch status {
	case OutboxPending:
		r.Pending = n
	case OutboxSent:
		r.Sent = n
	case OutboxNoGrant:
		r.NoGrant = n
	case OutboxFailed:
		r.Failed = n
	}
}
