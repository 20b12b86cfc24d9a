package model_test

import (
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"lingong/model"
	"lingong/model/modeltest"
)

// The hourly push limit holds when a staff member's pushes arrive all at once, on every database.
func TestPushLimitUnderConcurrency(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		w := newWorker(t, s, "w", 1)
		staff := model.Scope{All: true, UserID: 4242}
		push := func() error {
			_, err := s.CreatePush(ctx, staff, "", model.MsgApplicationResult, "pages/index/index",
				map[string]string{"gig": "搬家", "result": "已录用"}, model.Audience{UserIDs: []uint64{w.ID}})
			return err
		}
		var wg sync.WaitGroup
		var mu sync.Mutex
		sent, limited := 0, 0
		for range 30 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				err := push()
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					sent++
				case errors.Is(err, model.ErrPushRateLimited):
					limited++
				default:
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		if sent != model.PushesPerHour || limited != 30-model.PushesPerHour {
			t.Fatalf("sent %d, limited %d; want %d and %d", sent, limited, model.PushesPerHour, 30-model.PushesPerHour)
		}
		// An hour later the window starts again: a full hour's pushes, then the limit again.
		now := s.Now
		s.Now = func() time.Time { return now().Add(61 * time.Minute) }
		defer func() { s.Now = now }()
		for i := range model.PushesPerHour {
			if err := push(); err != nil {
				t.Fatalf("push %d an hour later: %v", i+1, err)
			}
		}
		if err := push(); !errors.Is(err, model.ErrPushRateLimited) {
			t.Fatalf("the 11th push of the new hour: %v", err)
		}
	})
}

// A push's audience is counted before it is sent, within the scope, and staff list their area's pushes
// (a colleague's too) newest first with their messages counted by state (an admin lists every push).
func TestCountAudienceAndRecentPushes(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		w1, w2 := newWorker(t, s, "w1", 1), newWorker(t, s, "w2", 2)
		if err := s.DB.Model(&model.WorkerProfile{}).Where("user_id IN ?", []uint64{w1.ID, w2.ID}).Update("area_code", "340104").Error; err != nil {
			t.Fatal(err)
		}
		mine := model.Scope{Prefix: "3401", UserID: 5001}
		colleague := model.Scope{Prefix: "3401", UserID: 5002}
		elsewhere := model.Scope{Prefix: "3499", UserID: 5003}
		both := model.Audience{UserIDs: []uint64{w1.ID, w2.ID, w2.ID}}
		if n, err := s.CountAudience(ctx, mine, both); err != nil || n != 2 {
			t.Fatalf("counted %d, %v; want the two workers once each", n, err)
		}
		var invalid *model.InvalidInput
		if _, err := s.CountAudience(ctx, elsewhere, both); !errors.As(err, &invalid) || invalid.Fields[0].Field != "audience" {
			t.Fatalf("workers of another area counted: %v", err)
		}
		fields := map[string]string{"gig": "搬家"}
		first, err := s.CreatePush(ctx, mine, "", model.MsgApplicationResult, "", fields, both)
		if err != nil {
			t.Fatal(err)
		}
		second, err := s.CreatePush(ctx, mine, "", model.MsgGigCancelled, "", fields, model.Audience{UserIDs: []uint64{w1.ID}})
		if err != nil {
			t.Fatal(err)
		}
		third, err := s.CreatePush(ctx, colleague, "", model.MsgGigCancelled, "", fields, both)
		if err != nil {
			t.Fatal(err)
		}
		var msgs []model.OutboxMessage
		s.DB.Where("push_id = ?", first.ID).Order("id").Find(&msgs)
		if err := s.MarkSent(ctx, &msgs[0], "m-1"); err != nil {
			t.Fatal(err)
		}
		if err := s.MarkNoGrant(ctx, &msgs[1]); err != nil {
			t.Fatal(err)
		}
		list, err := s.RecentPushes(ctx, mine, 20)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 3 || list[0].ID != third.ID || list[1].ID != second.ID || list[2].ID != first.ID {
			t.Fatalf("my area's pushes: %+v", list)
		}
		if r := list[2]; r.Recipients != 2 || r.Sent != 1 || r.NoGrant != 1 || r.Pending != 0 || r.Failed != 0 {
			t.Fatalf("the first push's counts: %+v", r)
		}
		if r := list[1]; r.Pending != 1 || r.Sent != 0 {
			t.Fatalf("the second push's counts: %+v", r)
		}
		if all, err := s.RecentPushes(ctx, admin, 2); err != nil || len(all) != 2 || all[0].StaffID != colleague.UserID {
			t.Fatalf("an admin's newest two: %+v %v", all, err)
		}
	})
}

// Pushes belong to the area they were made for, not to their sender: colleagues of the area read each
// other's, a staff member moved to another area no longer reads the old area's (its report is not found),
// a county's push is read by its city, and an admin's own list push by admins only.
func TestPushesFollowTheArea(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		w := newWorker(t, s, "w1", 1)
		if err := s.DB.Model(&model.WorkerProfile{}).Where("user_id = ?", w.ID).Update("area_code", "340104").Error; err != nil {
			t.Fatal(err)
		}
		boss := newEmployer(t, s, "boss", "340104")
		gig := publishedGig(t, s, boss, 2, model.HireFirstCome)
		if _, err := s.Apply(ctx, w.ID, gig.ID); err != nil {
			t.Fatal(err)
		}
		sender := model.Scope{Prefix: "3401", UserID: 5001}
		colleague := model.Scope{Prefix: "3401", UserID: 5002}
		county := model.Scope{Prefix: "340104", UserID: 5003}
		fields := map[string]string{"gig": "搬家"}
		push := func(sc model.Scope, aud model.Audience) *model.Push {
			t.Helper()
			p, err := s.CreatePush(ctx, sc, "", model.MsgGigCancelled, "", fields, aud)
			if err != nil {
				t.Fatal(err)
			}
			return p
		}
		list := push(sender, model.Audience{UserIDs: []uint64{w.ID}})
		byGig := push(county, model.Audience{Segment: model.SegmentGigConfirmed, GigID: gig.ID})
		own := push(admin, model.Audience{UserIDs: []uint64{w.ID}})
		if list.AreaCode != "340100" || byGig.AreaCode != "340104" || own.AreaCode != "" {
			t.Fatalf("areas: list %q, gig %q, admin's %q", list.AreaCode, byGig.AreaCode, own.AreaCode)
		}
		ids := func(sc model.Scope) []uint64 {
			t.Helper()
			got, err := s.RecentPushes(ctx, sc, 20)
			if err != nil {
				t.Fatal(err)
			}
			var out []uint64
			for _, r := range got {
				out = append(out, r.ID)
			}
			return out
		}
		reads := func(sc model.Scope, p *model.Push) bool {
			t.Helper()
			_, err := s.PushReport(ctx, sc, p.ID)
			if err != nil && !errors.Is(err, model.ErrNotFound) {
				t.Fatal(err)
			}
			return err == nil
		}
		for _, sc := range []model.Scope{sender, colleague} {
			if got := ids(sc); !slices.Equal(got, []uint64{byGig.ID, list.ID}) || !reads(sc, list) || !reads(sc, byGig) || reads(sc, own) {
				t.Fatalf("staff %d of 合肥市 list %v; want the city's and the county's pushes, not the admin's", sc.UserID, got)
			}
		}
		if got := ids(county); !slices.Equal(got, []uint64{byGig.ID}) || reads(county, list) {
			t.Fatalf("蜀山区 lists %v; want its own push only", got)
		}
		moved := model.Scope{Prefix: "3404", UserID: sender.UserID}
		if got := ids(moved); len(got) != 0 || reads(moved, list) {
			t.Fatalf("the sender, moved to 淮南市, lists %v and reads their old push", got)
		}
		if got := ids(admin); !slices.Equal(got, []uint64{own.ID, byGig.ID, list.ID}) || !reads(admin, own) {
			t.Fatalf("the admin lists %v", got)
		}
	})
}

// The same confirmed push sent many times at once (a double click, a reload) is one push: one row, one message
// per person, one use of the hour's limit; another staff member's key is theirs.
func TestPushSentOnceBySendKey(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		w1, w2 := newWorker(t, s, "w1", 1), newWorker(t, s, "w2", 2)
		if err := s.DB.Model(&model.WorkerProfile{}).Where("user_id IN ?", []uint64{w1.ID, w2.ID}).Update("area_code", "340104").Error; err != nil {
			t.Fatal(err)
		}
		mine := model.Scope{Prefix: "3401", UserID: 5001}
		both := model.Audience{UserIDs: []uint64{w1.ID, w2.ID}}
		const key = "0123456789abcdef0123456789abcdef"
		ids := make([]uint64, 8)
		var wg sync.WaitGroup
		for i := range ids {
			wg.Add(1)
			go func() {
				defer wg.Done()
				p, err := s.CreatePush(ctx, mine, key, model.MsgGigCancelled, "", map[string]string{"gig": "搬家"}, both)
				if err != nil {
					t.Error(err)
					return
				}
				ids[i] = p.ID
			}()
		}
		wg.Wait()
		var pushes, msgs int64
		s.DB.Model(&model.Push{}).Count(&pushes)
		s.DB.Model(&model.OutboxMessage{}).Count(&msgs)
		var window model.PushWindow
		s.DB.Take(&window, "staff_id = ?", mine.UserID)
		if pushes != 1 || msgs != 2 || window.Used != 1 || slices.Min(ids) != slices.Max(ids) {
			t.Fatalf("%d pushes, %d messages, %d of the hour used, answers %v; want 1, 2, 1, one push", pushes, msgs, window.Used, ids)
		}
	})
}
