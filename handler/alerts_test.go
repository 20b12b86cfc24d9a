package handler_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"lingong/handler"
	"lingong/model"
	"lingong/model/modeltest"
)

// A worker sets alerts at /me/alerts (every bad field at once), only they or their family delegate read them,
// the alert's page opens the gig and counts as opened, and applying after it counts as applied.
func TestJobAlertsAPI(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		e := newEnv(t, s)
		tok, _ := e.login("unregistered")
		wantError(t, e.do("GET", "/api/v1/me/alerts", tok, nil), http.StatusNotFound, "profile_missing")

		w := e.worker("w-alerts")
		r := e.do("GET", "/api/v1/me/alerts", w, nil)
		if r.Status != 200 || r.Body["saved"] != false || r.str("place") != "home" || r.Body["radius_m"] != 5000.0 || r.Body["has_home"] != true {
			t.Fatalf("defaults: %d %s", r.Status, r.Raw)
		}
		r = e.do("PUT", "/api/v1/me/alerts", w, map[string]any{"category_ids": []int{1, 99999}, "place": "market", "radius_m": 100,
			"earliest_at": "早上", "sms_consent": true, "enabled": true})
		wantError(t, r, http.StatusBadRequest, "invalid_input")
		if fields := r.Body["fields"].([]any); len(fields) != 5 {
			t.Fatalf("every bad field at once: %s", r.Raw)
		}
		r = e.do("PUT", "/api/v1/me/alerts", w, map[string]any{"category_ids": []int{1}, "place": "home", "radius_m": 5000,
			"daily_pay": true, "earliest_at": "07:00", "enabled": true})
		if r.Status != 200 || r.Body["saved"] != true || r.Body["enabled"] != true || r.Body["sms_consent"] != false {
			t.Fatalf("save: %d %s", r.Status, r.Raw)
		}
		var me struct{ ID uint64 }
		if r := e.do("GET", "/api/v1/me", w, nil); r.Status == 200 {
			me.ID = uint64(r.Body["id"].(float64))
		}

		// Someone who is not the worker's family reads nothing; the family member reads and sets them.
		other := e.worker("w-other")
		wantError(t, e.do("GET", fmt.Sprintf("/api/v1/elders/%d/alerts", me.ID), other, nil), http.StatusNotFound, "not_found")
		code := e.do("POST", "/api/v1/me/delegates", w, nil).str("code")
		family, _ := e.login("family")
		if r := e.do("POST", "/api/v1/me/delegations", family, map[string]string{"code": code}); r.Status != 201 {
			t.Fatalf("accept: %d %s", r.Status, r.Raw)
		}
		if r := e.do("GET", fmt.Sprintf("/api/v1/elders/%d/alerts", me.ID), family, nil); r.Status != 200 || r.Body["daily_pay"] != true {
			t.Fatalf("family reads: %d %s", r.Status, r.Raw)
		}

		// A gig is approved; the matcher queues the alert; sent, opened from its page, applied to.
		boss := e.employer("boss-alerts")
		gig := e.publish(boss, nil)
		idx := model.NewAlertIndex(s)
		if err := idx.Load(context.Background()); err != nil {
			t.Fatal(err)
		}
		now := s.Now
		s.Now = func() time.Time { return now().Add(model.AlertSettle) } // the instances' indexes have followed the approval
		if _, n, err := s.MatchApprovedGigs(context.Background(), idx, 10, nil); err != nil || n != 1 {
			t.Fatalf("matched %d, %v; want the one worker with alerts", n, err)
		}
		var d model.AlertDelivery
		if err := s.DB.Take(&d, "worker_id = ? AND gig_id = ?", me.ID, gig).Error; err != nil {
			t.Fatal(err)
		}
		wantError(t, e.do("POST", fmt.Sprintf("/api/v1/me/alerts/%d/open", d.ID), w, nil), http.StatusNotFound, "not_found") // not sent yet
		claimed, err := s.ClaimAlerts(context.Background(), time.Time{}, 10)
		if err != nil || len(claimed) != 1 {
			t.Fatalf("claim: %v %v", claimed, err)
		}
		if err := s.AlertSent(context.Background(), &claimed[0], model.AlertByWeChat); err != nil {
			t.Fatal(err)
		}
		wantError(t, e.do("POST", fmt.Sprintf("/api/v1/me/alerts/%d/open", d.ID), other, nil), http.StatusNotFound, "not_found")
		if r := e.do("GET", "/api/v1/me/alerts/recent", w, nil); r.Status != 200 || len(r.Body["items"].([]any)) != 1 ||
			r.Body["items"].([]any)[0].(map[string]any)["title"] != "小区搬家工" || r.Body["items"].([]any)[0].(map[string]any)["opened"] != false {
			t.Fatalf("recent alerts: %d %s", r.Status, r.Raw)
		}
		if r := e.do("GET", "/api/v1/me/alerts/recent", other, nil); len(r.Body["items"].([]any)) != 0 {
			t.Fatalf("another worker sees the alerts: %s", r.Raw)
		}
		if r := e.do("POST", fmt.Sprintf("/api/v1/me/alerts/%d/open", d.ID), w, nil); r.Status != 200 || r.Body["gig_id"] != float64(gig) {
			t.Fatalf("open: %d %s", r.Status, r.Raw)
		}
		if r := e.do("POST", fmt.Sprintf("/api/v1/gigs/%d/applications", gig), w, nil); r.Status != 201 {
			t.Fatalf("apply: %d %s", r.Status, r.Raw)
		}
		s.DB.Take(&d, d.ID)
		if d.OpenedAt == nil || d.Channel != model.AlertByWeChat || d.SentDay == "" {
			t.Fatalf("delivery after open: %+v", d)
		}

		// The figures: sent, opened, applied per day and channel, for the staff of the gig's area only.
		day := e.store.Now().In(model.Shanghai).Format(time.DateOnly)
		query := fmt.Sprintf("/api/v1/admin/stats?from=%s&to=%s", day, day)
		hefei, _ := e.staffOf("hf-staff", "340100")
		r = e.do("GET", query, hefei, nil)
		want := fmt.Sprintf(`[{"applied":1,"channel":"wechat","day":"%s","opened":1,"sent":1}]`, day) // keys sorted
		if got, _ := json.Marshal(r.Body["alerts"]); r.Status != 200 || string(got) != want {
			t.Fatalf("stats alerts: %d %s", r.Status, r.Raw)
		}
		xlsx := e.do("GET", "/api/v1/admin/reports/monthly.xlsx?month="+day[:7], hefei, nil)
		book, err := excelize.OpenReader(strings.NewReader(xlsx.Raw))
		if err != nil {
			t.Fatalf("monthly report: %d %v", xlsx.Status, err)
		}
		if row, _ := book.GetRows("有活提醒"); len(row) != 2 || strings.Join(row[1], ",") != day+",微信消息,1,1,1" {
			t.Fatalf("the report's alerts: %v", row)
		}
		wuhu, _ := e.staffOf("wh-staff", "340200")
		if r = e.do("GET", query, wuhu, nil); r.Status != 200 || len(r.Body["alerts"].([]any)) != 0 {
			t.Fatalf("another area's staff see the alerts: %s", r.Raw)
		}
	})
}

// Tencent's reply callback stops alert SMS on 退订, only with the configured token.
func TestSMSReplyStopsAlertSMS(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		closed := newEnv(t, s)
		reply := map[string]any{"extend": "", "mobile": "13812345678", "nationcode": "86", "sign": "零工市场", "text": " 退订 ", "time": 1764300000}
		wantError(t, closed.do("POST", "/api/v1/sms/replies?token=x", "", reply), http.StatusNotFound, "not_found")

		e := newEnv(t, s, func(o *handler.Options) { o.SMSReplyToken = "reply-secret" })
		w := e.worker("w-sms")
		var uid uint64
		if r := e.do("GET", "/api/v1/me", w, nil); r.Status == 200 {
			uid = uint64(r.Body["id"].(float64))
		}
		if _, err := s.BindPhone(context.Background(), uid, "13812345678"); err != nil {
			t.Fatal(err)
		}
		shown := e.do("GET", "/api/v1/me/alerts", w, nil)
		if r := e.do("PUT", "/api/v1/me/alerts", w, map[string]any{"place": "home", "radius_m": 3000, "sms_consent": true, "enabled": true,
			"sms_consent_token": shown.str("sms_consent_token")}); r.Status != 200 || r.Body["sms_consent"] != true {
			t.Fatalf("consent: %d %s", r.Status, r.Raw)
		}
		wantError(t, e.do("POST", "/api/v1/sms/replies?token=wrong", "", reply), http.StatusForbidden, "sms_reply_forbidden")
		other := map[string]any{"mobile": "13812345678", "nationcode": "86", "text": "好的谢谢", "time": 1764300000}
		if r := e.do("POST", "/api/v1/sms/replies?token=reply-secret", "", other); r.Status != 200 || r.Body["result"] != 0.0 {
			t.Fatalf("other reply: %d %s", r.Status, r.Raw)
		}
		if r := e.do("GET", "/api/v1/me/alerts", w, nil); r.Body["sms_consent"] != true {
			t.Fatalf("a reply that is not 退订 stopped SMS: %s", r.Raw)
		}
		if r := e.do("POST", "/api/v1/sms/replies?token=reply-secret", "", reply); r.Status != 200 || r.Body["result"] != 0.0 {
			t.Fatalf("退订: %d %s", r.Status, r.Raw)
		}
		r := e.do("GET", "/api/v1/me/alerts", w, nil)
		if r.Body["sms_consent"] != false || r.Body["sms_stopped"] != true || r.Body["enabled"] != true {
			t.Fatalf("after 退订: %s", r.Raw)
		}
		// The page read before the 退订 still says yes: its save is refused and changes nothing; the worker sees
		// SMS off and says yes again on the page as it is now.
		stale := map[string]any{"place": "home", "radius_m": 8000, "sms_consent": true, "enabled": true,
			"sms_consent_token": shown.str("sms_consent_token")}
		wantError(t, e.do("PUT", "/api/v1/me/alerts", w, stale), http.StatusConflict, "sms_stopped_by_reply")
		if r := e.do("GET", "/api/v1/me/alerts", w, nil); r.Body["sms_consent"] != false || r.Body["radius_m"] != 3000.0 {
			t.Fatalf("the refused save changed the settings: %s", r.Raw)
		}
		delete(stale, "sms_consent_token")
		wantError(t, e.do("PUT", "/api/v1/me/alerts", w, stale), http.StatusConflict, "sms_stopped_by_reply")
		stale["sms_consent_token"] = r.str("sms_consent_token")
		if r := e.do("PUT", "/api/v1/me/alerts", w, stale); r.Status != 200 || r.Body["sms_consent"] != true || r.Body["sms_stopped"] != false {
			t.Fatalf("yes again from the page after the 退订: %d %s", r.Status, r.Raw)
		}
		// A new number never said yes: the settings show SMS off, and a page read before it cannot say yes for it.
		before := e.do("GET", "/api/v1/me/alerts", w, nil)
		if _, err := s.BindPhone(context.Background(), uid, "13912345678"); err != nil {
			t.Fatal(err)
		}
		if r := e.do("GET", "/api/v1/me/alerts", w, nil); r.Body["sms_consent"] != false || r.Body["sms_stopped"] != false || r.Body["enabled"] != true {
			t.Fatalf("after a new phone: %s", r.Raw)
		}
		stale["sms_consent_token"] = before.str("sms_consent_token")
		wantError(t, e.do("PUT", "/api/v1/me/alerts", w, stale), http.StatusConflict, "sms_consent_stale")
		if strings.Contains(e.logs.String(), "13812345678") {
			t.Fatalf("the log shows the whole phone number")
		}
	})
}
