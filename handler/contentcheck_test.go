package handler_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"lingong/handler/wechat/wechattest"
	"lingong/model"
	"lingong/model/modeltest"
)

// With WeChat hanging, posting and editing a gig and filing a complaint answer at once, saved as "checking" with
// their check queued; nothing is asked of WeChat while the user waits. Staff may approve a gig still being checked.
func TestSavingDoesNotWaitForWeChat(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		e := newEnv(t, s)
		boss, w, admin := e.employer("boss-hang"), e.worker("w-hang"), e.admin()
		e.fake.SlowDown(time.Hour)

		timed := func(what string, status int, method, path, tok string, body any) response {
			t.Helper()
			start := time.Now()
			r := e.do(method, path, tok, body)
			if took := time.Since(start); r.Status != status || took > time.Second {
				t.Fatalf("%s with WeChat hanging: %d after %v: %s", what, r.Status, took, r.Raw)
			}
			return r
		}
		r := timed("post", 201, "POST", "/api/v1/gigs", boss, e.gigBody(nil))
		id := int(r.Body["id"].(float64))
		if got := r.Body["checks"].(map[string]any)["sec_check"]; got != model.SecChecking {
			t.Fatalf("a new gig's check: %v", got)
		}
		r = timed("edit", 200, "PUT", fmt.Sprintf("/api/v1/gigs/%d", id), boss, e.gigBody(map[string]any{"description": "搬家具，包午饭和晚饭"}))
		if got := r.Body["checks"].(map[string]any)["sec_check"]; got != model.SecChecking {
			t.Fatalf("an edited gig's check: %v", got)
		}
		if r = timed("complaint", 201, "POST", "/api/v1/complaints", w, map[string]any{"category": "fees", "description": "介绍工作先收200元押金"}); r.str("sec_check") != model.SecChecking {
			t.Fatalf("a new complaint's check: %s", r.Raw)
		}
		if n := e.fake.Calls(wechattest.APIMsgSecCheck) + e.fake.Cancelled(wechattest.APIMsgSecCheck); n != 0 {
			t.Fatalf("WeChat was asked %d times while a user waited", n)
		}
		due, err := s.DueChecks(context.Background(), 10)
		if err != nil || len(due) != 2 {
			t.Fatalf("queued checks: %+v, %v", due, err)
		}

		// Staff see the gig in their queue as not yet checked, and may approve it: their review is the stronger
		// check (a later refusal still takes it down, server/checks_test.go).
		q := e.do("GET", "/api/v1/admin/reviews?kind=gig", admin, nil)
		if gigs, _ := q.Body["gigs"].([]any); q.Status != 200 || len(gigs) != 1 ||
			gigs[0].(map[string]any)["checks"].(map[string]any)["sec_check"] != model.SecChecking {
			t.Fatalf("review queue: %s", q.Raw)
		}
		if r := e.do("POST", fmt.Sprintf("/api/v1/admin/gigs/%d/approve", id), admin, nil); r.Status != 200 || r.str("status") != model.GigPublished {
			t.Fatalf("approving a gig still being checked: %d %s", r.Status, r.Raw)
		}
	})
}

// A complaint WeChat's check refused goes back to the worker, who sees why and rewrites it; it is then checked
// again. Nobody else can rewrite it, and only a returned complaint can be rewritten.
func TestReturnedComplaintIsRewritten(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		e := newEnv(t, s)
		w, other := e.worker("w-ret"), e.worker("w-other")
		ctx := context.Background()
		r := e.do("POST", "/api/v1/complaints", w, map[string]any{"category": "wage_arrears", "description": "老板欠钱不给，骂人的话写在这里"})
		if r.Status != 201 {
			t.Fatalf("file: %s", r.Raw)
		}
		id := int(r.Body["id"].(float64))
		path := fmt.Sprintf("/api/v1/complaints/%d", id)
		wantError(t, e.do("PUT", path, w, map[string]any{"description": "还没退回，不能改"}), 409, "wrong_state")

		due, err := s.DueChecks(ctx, 10)
		if err != nil || len(due) != 1 {
			t.Fatalf("queued: %+v %v", due, err)
		}
		if claimed, err := s.ClaimCheck(ctx, &due[0]); !claimed || err != nil {
			t.Fatalf("claim: %v %v", claimed, err)
		}
		if err := s.RecordVerdict(ctx, &due[0], model.SecRisky); err != nil {
			t.Fatal(err)
		}
		got := e.do("GET", path, w, nil)
		timeline := got.Body["timeline"].([]any)
		last := timeline[len(timeline)-1].(map[string]any)
		if got.str("status") != model.CaseReturned || got.str("reject_reason") != model.ComplaintContentRefused ||
			got.str("sec_check") != model.SecRisky || last["status"] != model.CaseReturned || last["by"] != "system" {
			t.Fatalf("returned: %s", got.Raw)
		}
		if q := e.do("GET", "/api/v1/admin/complaints?status=returned", e.admin(), nil); q.Status != 200 || len(q.Body["items"].([]any)) != 1 {
			t.Fatalf("staff list of returned complaints: %s", q.Raw)
		}

		wantError(t, e.do("PUT", path, other, map[string]any{"description": "别人的投诉我来改一改"}), 404, "not_found")
		wantError(t, e.do("PUT", path, w, map[string]any{"description": "短"}), 400, "invalid_input")
		r = e.do("PUT", path, w, map[string]any{"description": "老板欠了我三天工钱，一共六百元，一直不给"})
		timeline = r.Body["timeline"].([]any)
		last = timeline[len(timeline)-1].(map[string]any)
		if r.Status != 200 || r.str("status") != model.CaseSubmitted || r.str("sec_check") != model.SecChecking ||
			r.str("reject_reason") != "" || last["note"] != "已修改，重新提交" || last["by"] != "complainant" {
			t.Fatalf("rewritten: %d %s", r.Status, r.Raw)
		}
		if due, err := s.DueChecks(ctx, 10); err != nil || len(due) != 1 || due[0].Revision != 2 {
			t.Fatalf("the new text is queued for its own check: %+v %v", due, err)
		}
		wantError(t, e.do("PUT", path, w, map[string]any{"description": "再改一次，已经提交了的"}), 409, "wrong_state")
	})
}
