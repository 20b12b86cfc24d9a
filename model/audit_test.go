package model_test

import (
	"context"
	"testing"
	"time"

	"lingong/model"
	"lingong/model/modeltest"
)

// The audit log's filters, on each database: the action's wildcards are matched as typed (LIKE's escape
// differs between MySQL and SQLite), the target exactly, the dates From included and To excluded.
func TestAuditLogFilters(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		ctx := context.Background()
		day := time.Date(2026, 11, 27, 0, 0, 0, 0, model.Shanghai)
		for i, e := range []model.AuditLog{
			{ActorID: 7, Action: "POST /console/staff", TargetKind: "users", TargetID: "12"},
			{ActorID: 7, Action: "POST /console/staff_x", TargetKind: "users", TargetID: "120"},
			{ActorID: 8, Action: "read 100% identity", TargetKind: "employers", TargetID: "12"},
			// What the wildcards would match if not escaped: "staff_" and "0%".
			{ActorID: 9, Action: "POST /console/staffs/10"},
		} {
			s.Now = func() time.Time { return day.Add(time.Duration(i) * 24 * time.Hour) }
			if err := s.Audit(ctx, e); err != nil {
				t.Fatal(err)
			}
		}
		count := func(q model.AuditQuery) int {
			t.Helper()
			q.Limit = 10
			list, err := s.AuditLogs(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			for i := 1; i < len(list); i++ {
				if list[i].ID > list[i-1].ID {
					t.Fatal("not newest first")
				}
			}
			return len(list)
		}
		for name, c := range map[string]struct {
			q    model.AuditQuery
			want int
		}{
			"all":                 {model.AuditQuery{}, 4},
			"actor":               {model.AuditQuery{ActorID: 7}, 2},
			"action contains":     {model.AuditQuery{Action: "/console/staff"}, 3},
			"underscore as typed": {model.AuditQuery{Action: "staff_"}, 1},
			"percent as typed":    {model.AuditQuery{Action: "0%"}, 1},
			"target exactly":      {model.AuditQuery{TargetKind: "users", TargetID: "12"}, 1},
			"from the second day": {model.AuditQuery{From: day.AddDate(0, 0, 1)}, 3},
			"to the second day":   {model.AuditQuery{To: day.AddDate(0, 0, 1)}, 1},
			"before":              {model.AuditQuery{BeforeID: 3}, 2},
		} {
			if got := count(c.q); got != c.want {
				t.Errorf("%s: %d entries, want %d", name, got, c.want)
			}
		}
	})
}
