package model_test

import (
	"maps"
	"testing"
	"time"

	"lingong/model"
	"lingong/model/modeltest"
)

func TestPurgeKeepsWhatIsStillUseful(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		old := s.Now().Add(-model.OutboxKeep - time.Hour)
		for _, m := range []model.OutboxMessage{
			{UserID: 1, TemplateKey: "x", Data: "{}", Status: model.OutboxSent, NextAttemptAt: old, CreatedAt: old},
			{UserID: 1, TemplateKey: "x", Data: "{}", Status: model.OutboxPending, NextAttemptAt: old, CreatedAt: old},
			{UserID: 1, TemplateKey: "x", Data: "{}", Status: model.OutboxSent, NextAttemptAt: s.Now(), CreatedAt: s.Now()},
		} {
			s.DB.Create(&m)
		}
		n, err := s.PurgeFinished(ctx)
		if err != nil || n != 1 {
			t.Fatalf("purged %d, %v", n, err)
		}
		var left int64
		s.DB.Model(&model.OutboxMessage{}).Count(&left)
		if left != 2 {
			t.Fatalf("%d messages left, want the pending one and the recent one", left)
		}
	})
}

// The clean-up deletes only what is over: live refresh tokens, invites, delegations, binding codes and today's
// quotas stay, each beside an old one that goes.
func TestPurgeDeletesOnlyWhatIsOver(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		now := s.Now()
		long := now.Add(-model.CodeKeep - time.Hour)
		later := now.Add(time.Hour)
		used := long
		count := func(m any, where string, args ...any) int64 {
			var n int64
			s.DB.Model(m).Where(where, args...).Count(&n)
			return n
		}
		s.DB.Create(&[]model.RefreshToken{
			{SessionID: 1, TokenHash: "live", ExpiresAt: later, CreatedAt: now},
			{SessionID: 1, TokenHash: "expired", ExpiresAt: now.Add(-time.Hour), CreatedAt: long},
		})
		if n, err := s.PurgeRefreshTokens(ctx, 7*24*time.Hour); err != nil || n != 1 || count(&model.RefreshToken{}, "token_hash = ?", "live") != 1 {
			t.Fatalf("refresh tokens: purged %d, %v", n, err)
		}
		delegate := uint64(2)
		s.DB.Create(&[]model.Delegation{
			{ElderID: 1, InviteHash: "fresh-invite", InviteExpires: later, CreatedAt: now},
			{ElderID: 1, DelegateID: &delegate, InviteHash: "accepted", InviteExpires: long, AcceptedAt: &long, CreatedAt: long},
			{ElderID: 1, InviteHash: "dead-invite", InviteExpires: long, CreatedAt: long},
		})
		ticket := "t-live"
		s.DB.Create(&[]model.BindingCode{
			{UserID: 10, TicketHash: &ticket, CodeHash: "c", ExpiresAt: later, TriesLeft: 5, CreatedAt: now},
			{UserID: 11, CodeHash: "c", ExpiresAt: long, TriesLeft: 5, CreatedAt: long, UsedAt: &used},
		})
		s.DB.Create(&[]model.DailyQuota{
			{UserID: 1, Kind: model.QuotaUploads, Day: now.In(model.Shanghai).Format("2006-01-02"), Count: 3},
			{UserID: 1, Kind: model.QuotaUploads, Day: "2020-01-01", Count: 3},
		})
		if _, err := s.PurgeFinished(ctx); err != nil {
			t.Fatal(err)
		}
		if count(&model.Delegation{}, "invite_hash IN ?", []string{"fresh-invite", "accepted"}) != 2 ||
			count(&model.Delegation{}, "invite_hash = ?", "dead-invite") != 0 {
			t.Fatal("delegations: a live one went, or the dead invite stayed")
		}
		if count(&model.BindingCode{}, "user_id = ?", 10) != 1 || count(&model.BindingCode{}, "user_id = ?", 11) != 0 {
			t.Fatal("binding codes: the live one went, or the used one stayed")
		}
		if count(&model.DailyQuota{}, "day = ?", "2020-01-01") != 0 || count(&model.DailyQuota{}, "day <> ?", "2020-01-01") != 1 {
			t.Fatal("daily quotas: today's went, or an old day stayed")
		}
	})
}

// A check-in's locations outlive the dispute window while a case about that worker's day is open — a complaint
// about the gig (named by the gig, the application, or only the employer), a correction of that day's record,
// an injury case of that day — and go at the first clean-up after it is closed. Cases about another gig, day
// or worker, and closed ones, hold nothing.
func TestCheckInLocationsKeptWhileACaseIsOpen(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		var clock time.Time
		_, w, g := checkInGig(t, s, &clock)
		day, next := "2026-11-30", "2026-12-01"
		var appID uint64
		s.DB.Model(&model.Application{}).Select("id").Where("gig_id = ? AND worker_id = ?", g.ID, w.ID).Scan(&appID)
		located := map[string]model.Attendance{ // worker ids past w's are people only these rows know
			"complaint by application": {GigID: g.ID, WorkerID: w.ID, Day: day},
			"complaint by gig":         {GigID: g.ID, WorkerID: 9001, Day: day},
			"complaint by employer":    {GigID: g.ID, WorkerID: 9002, Day: day},
			"correction":               {GigID: g.ID, WorkerID: 9003, Day: day},
			"injury":                   {GigID: g.ID, WorkerID: 9004, Day: day},
			"another gig":              {GigID: g.ID + 1000, WorkerID: 9001, Day: day},
			"another day":              {GigID: g.ID, WorkerID: 9003, Day: next},
			"closed complaint":         {GigID: g.ID, WorkerID: 9005, Day: day},
			"resolved, never closed":   {GigID: g.ID, WorkerID: 9006, Day: day},
		}
		for name, a := range located {
			a.Method, a.ArrivedAt, a.ArriveGeoCipher, a.LeaveGeoCipher = "scan", checkInDay, "sealed:"+name, "sealed"
			if err := s.DB.Create(&a).Error; err != nil {
				t.Fatal(err)
			}
		}
		complaint := func(by uint64, gig, app, employer *uint64, status string) *model.Complaint {
			c := model.Complaint{ComplainantID: by, Category: model.ComplaintWageArrears, GigID: gig, ApplicationID: app, EmployerID: employer,
				Description: "工钱没给", Status: status, AreaCode: "340104", AcceptDue: clock, CreatedAt: clock, UpdatedAt: clock}
			if err := s.DB.Create(&c).Error; err != nil {
				t.Fatal(err)
			}
			return &c
		}
		open := []*model.Complaint{
			complaint(w.ID, nil, &appID, nil, model.CaseProcessing),
			complaint(9001, &g.ID, nil, nil, model.CaseSubmitted),
			complaint(9002, nil, nil, &g.EmployerID, model.CaseAccepted),
		}
		complaint(9005, &g.ID, nil, nil, model.CaseClosed)
		complaint(9006, &g.ID, nil, nil, model.CaseResolved) // decided: staff closing it or not, it holds nothing
		ev := model.ReliabilityEvent{Kind: model.EventNoShow, GigID: g.ID, WorkerID: 9003, EmployerID: g.EmployerID, Day: day, CreatedAt: clock}
		if err := s.DB.Create(&ev).Error; err != nil {
			t.Fatal(err)
		}
		corr := model.RecordCorrection{EventID: ev.ID, OpenEventID: &ev.ID, RequesterID: 9003, AreaCode: "340104", Reason: "那天到了",
			Status: model.CorrectionOpen, CreatedAt: clock, UpdatedAt: clock}
		injury := model.InsuranceIncident{PolicyID: 1, WorkerID: 9004, HappenedAt: checkInDay.Add(2 * time.Hour), Place: "工地",
			Description: "摔伤", Status: model.IncidentFollowing, AreaCode: "340104", CreatedAt: clock, UpdatedAt: clock}
		for _, row := range []any{&corr, &injury} {
			if err := s.DB.Create(row).Error; err != nil {
				t.Fatal(err)
			}
		}
		still := func() map[string]bool {
			var rows []model.Attendance
			s.DB.Where("arrive_geo_cipher <> '' OR leave_geo_cipher <> ''").Find(&rows)
			out := map[string]bool{}
			for _, a := range rows {
				out[a.ArriveGeoCipher[len("sealed:"):]] = true
			}
			return out
		}

		clock = checkInDay.Add(model.AttendanceGeoKeep + 48*time.Hour)
		if _, err := s.PurgeFinished(ctx); err != nil {
			t.Fatal(err)
		}
		want := map[string]bool{"complaint by application": true, "complaint by gig": true, "complaint by employer": true,
			"correction": true, "injury": true}
		if got := still(); !maps.Equal(got, want) {
			t.Fatalf("kept %v, want those with a case open: %v", got, want)
		}

		for _, c := range open {
			s.DB.Model(c).Update("status", model.CaseClosed)
		}
		s.DB.Model(&corr).Updates(map[string]any{"status": model.CorrectionRefused, "open_event_id": nil})
		s.DB.Model(&injury).Update("status", model.IncidentClosed)
		if _, err := s.PurgeFinished(ctx); err != nil {
			t.Fatal(err)
		}
		if got := still(); len(got) != 0 {
			t.Fatalf("kept after every case closed: %v", got)
		}
		var rows int64
		s.DB.Model(&model.Attendance{}).Count(&rows)
		if rows != int64(len(located)) {
			t.Fatalf("the days' records went too: %d rows", rows)
		}
	})
}
