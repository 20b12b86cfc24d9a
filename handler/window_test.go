package handler_test

import (
	"fmt"
	"strings"
	"testing"

	"lingong/model"
	"lingong/model/modeltest"
)

func TestWindowServiceAndBindingCode(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		e := newEnv(t, s)
		hefei, staffID := e.staffOf("hf", "340100")
		body := map[string]any{"name": "张桂兰", "id_number": modeltest.IDNumber("19580101", 42), "skills": []int{2},
			"area_code": "340104", "phone": "13866660000", "consent": map[string]any{"method": "spoken"}}
		r := e.do("POST", "/api/v1/admin/workers", hefei, body)
		wantError(t, r, 400, "invalid_input")
		if fieldNames(r) != "consent.note" {
			t.Fatalf("fields: %s", r.Raw)
		}
		// A paper consent takes a photo this staff member took: not another user's upload, not a made-up id.
		someone := e.worker("someone")
		theirs := int(e.uploadFile(someone, "a.png", pngBytes(t)).Body["id"].(float64))
		for _, id := range []int{theirs, 999999} {
			body["consent"] = map[string]any{"method": "paper", "photo_id": id}
			if r := e.do("POST", "/api/v1/admin/workers", hefei, body); r.Status != 400 || fieldNames(r) != "consent.photo" {
				t.Fatalf("consent photo %d: %d %s", id, r.Status, r.Raw)
			}
		}
		body["consent"] = map[string]any{"method": "spoken", "note": "2026-11-26 上午在蜀山区零工市场窗口，本人口头同意，王工作人员在场"}
		huainan, _ := e.staffOf("hn", "340400")
		wantError(t, e.do("POST", "/api/v1/admin/workers", huainan, body), 404, "not_found")
		r = e.do("POST", "/api/v1/admin/workers", hefei, body)
		if r.Status != 201 || r.str("name") != "张桂兰" {
			t.Fatalf("walk-in: %d %s", r.Status, r.Raw)
		}
		no := int(r.Body["worker_no"].(float64))

		boss := e.employer("emp")
		gig := e.publish(boss, nil)
		r = e.do("POST", fmt.Sprintf("/api/v1/admin/workers/%d/applications", no), hefei, map[string]any{"gig_id": gig})
		if r.Status != 201 {
			t.Fatalf("apply on behalf: %s", r.Raw)
		}
		app := int(r.Body["id"].(float64))
		wantError(t, e.do("POST", fmt.Sprintf("/api/v1/admin/workers/%d/applications", no), huainan, map[string]any{"gig_id": gig}), 404, "not_found")
		if r := e.do("POST", fmt.Sprintf("/api/v1/admin/applications/%d/calls", app), hefei, map[string]any{"note": "已电话告知明早7点到岗"}); r.Status != 204 {
			t.Fatalf("call: %s", r.Raw)
		}

		r = e.do("POST", fmt.Sprintf("/api/v1/admin/workers/%d/binding-code", no), hefei, nil)
		code, ticket := r.str("code"), r.str("ticket")
		if r.Status != 201 || len(code) != 6 || len(ticket) != 8 {
			t.Fatalf("binding code: %s", r.Raw)
		}
		wrong := "000000"
		if code == wrong {
			wrong = "111111"
		}
		// A family member's WeChat claims it: four wrong tries, then the right code.
		family, _ := e.login("family")
		for range 4 {
			wantError(t, e.do("POST", "/api/v1/me/claim", family, map[string]any{"ticket": ticket, "code": wrong}), 400, "binding_code_wrong")
		}
		r = e.do("POST", "/api/v1/me/claim", family, map[string]any{"ticket": ticket, "code": code})
		if r.Status != 200 || r.str("access_token") == "" {
			t.Fatalf("claim: %d %s", r.Status, r.Raw)
		}
		claimed := r.str("access_token")
		if me := e.do("GET", "/api/v1/me/worker", claimed, nil); me.str("name") != "张桂兰" {
			t.Fatalf("the claimed profile: %s", me.Raw)
		}
		if mine := e.do("GET", "/api/v1/me/applications", claimed, nil); !strings.Contains(mine.Raw, fmt.Sprintf(`"gig_id":%d`, gig)) {
			t.Fatalf("the application made at the window: %s", mine.Raw)
		}
		acts := e.do("GET", "/api/v1/me/on-behalf", claimed, nil)
		for _, want := range []string{`"action":"register"`, `"action":"apply"`, `"action":"call"`, `"action":"claim"`, fmt.Sprintf(`"actor_id":%d`, staffID)} {
			if !strings.Contains(acts.Raw, want) {
				t.Errorf("on-behalf record lacks %s: %s", want, acts.Raw)
			}
		}
		wantError(t, e.do("GET", "/api/v1/me", family, nil), 401, "token_invalid") // the old login ended
		// Signing in again with the same WeChat lands on the claimed profile.
		again, _ := e.login("family")
		if me := e.do("GET", "/api/v1/me/worker", again, nil); me.str("name") != "张桂兰" {
			t.Fatalf("signing in after the claim: %s", me.Raw)
		}
		// The code worked once.
		other, _ := e.login("other")
		wantError(t, e.do("POST", "/api/v1/me/claim", other, map[string]any{"ticket": ticket, "code": code}), 409, "binding_code_expired")
	})
}

func TestBindingCodeLocksAfterFiveTries(t *testing.T) {
	e := newEnv(t, modeltest.SQLite(t))
	hefei, _ := e.staffOf("hf", "340100")
	r := e.do("POST", "/api/v1/admin/workers", hefei, map[string]any{"name": "李老汉", "id_number": modeltest.IDNumber("19550505", 7),
		"skills": []int{1}, "area_code": "340104", "consent": map[string]any{"method": "spoken", "note": "本人口头同意"}})
	no := int(r.Body["worker_no"].(float64))
	slip := e.do("POST", fmt.Sprintf("/api/v1/admin/workers/%d/binding-code", no), hefei, nil)
	code, ticket := slip.str("code"), slip.str("ticket")
	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	guesser, _ := e.login("guesser")
	// The sequential 登记号 opens nothing, and wrong 认领号 spend nobody's tries.
	wantError(t, e.do("POST", "/api/v1/me/claim", guesser, map[string]any{"worker_no": no, "code": code}), 400, "invalid_input")
	other := "87654321"
	if ticket == other {
		other = "12345678"
	}
	wantError(t, e.do("POST", "/api/v1/me/claim", guesser, map[string]any{"ticket": other, "code": code}), 400, "binding_code_wrong")
	for range 5 {
		wantError(t, e.do("POST", "/api/v1/me/claim", guesser, map[string]any{"ticket": ticket, "code": wrong}), 400, "binding_code_wrong")
	}
	wantError(t, e.do("POST", "/api/v1/me/claim", guesser, map[string]any{"ticket": ticket, "code": code}), 409, "binding_code_locked")
	// Staff issue a new one; it works.
	slip = e.do("POST", fmt.Sprintf("/api/v1/admin/workers/%d/binding-code", no), hefei, nil)
	code, ticket = slip.str("code"), slip.str("ticket")
	if r := e.do("POST", "/api/v1/me/claim", guesser, map[string]any{"ticket": ticket, "code": code}); r.Status != 200 {
		t.Fatalf("a new code: %s", r.Raw)
	}
	// A registered worker cannot claim someone else's walk-in profile.
	self := e.worker("self")
	r = e.do("POST", "/api/v1/admin/workers", hefei, map[string]any{"name": "王大妈", "id_number": modeltest.IDNumber("19600606", 8),
		"skills": []int{1}, "area_code": "340104", "consent": map[string]any{"method": "spoken", "note": "本人口头同意"}})
	no = int(r.Body["worker_no"].(float64))
	slip = e.do("POST", fmt.Sprintf("/api/v1/admin/workers/%d/binding-code", no), hefei, nil)
	code, ticket = slip.str("code"), slip.str("ticket")
	wantError(t, e.do("POST", "/api/v1/me/claim", self, map[string]any{"ticket": ticket, "code": code}), 409, "already_registered")
	// A binding code only for walk-ins.
	selfID := int(e.do("GET", "/api/v1/me", self, nil).Body["id"].(float64))
	e.do("PUT", "/api/v1/me/worker", self, map[string]any{"name": "王建国", "id_number": modeltest.IDNumber("19680512", 500), "skills": []int{1}, "area_code": "340104"})
	wantError(t, e.do("POST", fmt.Sprintf("/api/v1/admin/workers/%d/binding-code", selfID), hefei, nil), 409, "not_walk_in")
}
