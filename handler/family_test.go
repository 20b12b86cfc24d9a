package handler_test

import (
	"fmt"
	"strings"
	"testing"

	"lingong/model"
	"lingong/model/modeltest"
)

func TestFamilyDelegates(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		e := newEnv(t, s)
		elder := e.worker("elder")
		elderID := int(e.do("GET", "/api/v1/me", elder, nil).Body["id"].(float64))
		r := e.do("POST", "/api/v1/me/delegates", elder, nil)
		code := r.str("code")
		if r.Status != 201 || len(code) != 8 {
			t.Fatalf("invite: %s", r.Raw)
		}
		wantError(t, e.do("POST", "/api/v1/me/delegations", elder, map[string]any{"code": code}), 400, "self_delegate")
		son, _ := e.login("son")
		r = e.do("POST", "/api/v1/me/delegations", son, map[string]any{"code": strings.ToLower(code)})
		if r.Status != 201 || r.str("name") != "王**" {
			t.Fatalf("accept: %d %s", r.Status, r.Raw)
		}
		stranger, _ := e.login("stranger")
		wantError(t, e.do("POST", "/api/v1/me/delegations", stranger, map[string]any{"code": code}), 400, "invite_invalid")

		boss := e.employer("emp")
		gig := e.publish(boss, nil)
		path := fmt.Sprintf("/api/v1/elders/%d/applications", elderID)
		wantError(t, e.do("POST", path, stranger, map[string]any{"gig_id": gig}), 404, "not_found")
		r = e.do("POST", path, son, map[string]any{"gig_id": gig})
		if r.Status != 201 {
			t.Fatalf("apply for the elder: %s", r.Raw)
		}
		list := e.do("GET", path, son, nil)
		if !strings.Contains(list.Raw, "小区搬家工") {
			t.Fatalf("the elder's applications: %s", list.Raw)
		}
		// The family member sees no ID number anywhere.
		for _, raw := range []string{list.Raw, e.do("GET", "/api/v1/me/elders", son, nil).Raw} {
			if strings.Contains(raw, "340104") {
				t.Fatalf("an ID number reached the family member: %s", raw)
			}
		}
		wantError(t, e.do("GET", "/api/v1/me/worker", son, nil), 404, "profile_missing")

		// The elder sees who did what, and revokes.
		acts := e.do("GET", "/api/v1/me/on-behalf", elder, nil)
		sonID := int(e.do("GET", "/api/v1/me", son, nil).Body["id"].(float64))
		if !strings.Contains(acts.Raw, fmt.Sprintf(`"actor_id":%d,"action":"apply"`, sonID)) {
			t.Fatalf("on-behalf: %s", acts.Raw)
		}
		delegates := e.do("GET", "/api/v1/me/delegates", elder, nil)
		if !strings.Contains(delegates.Raw, `"status":"active"`) {
			t.Fatalf("delegates: %s", delegates.Raw)
		}
		id := int(delegates.Body["items"].([]any)[0].(map[string]any)["id"].(float64))
		wantError(t, e.do("DELETE", fmt.Sprintf("/api/v1/me/delegates/%d", id), son, nil), 404, "not_found")
		if r := e.do("DELETE", fmt.Sprintf("/api/v1/me/delegates/%d", id), elder, nil); r.Status != 204 {
			t.Fatalf("revoke: %d", r.Status)
		}
		wantError(t, e.do("GET", path, son, nil), 404, "not_found")
	})
}

// Secret codes cannot be guessed by trying: ten tries in ten minutes per account, then 429.
func TestCodeGuessingIsLimited(t *testing.T) {
	e := newEnv(t, modeltest.SQLite(t))
	guesser, _ := e.login("guesser")
	for i := range 10 {
		wantError(t, e.do("POST", "/api/v1/me/delegations", guesser, map[string]any{"code": fmt.Sprintf("ZZZZZZ%02d", i)}), 400, "invite_invalid")
	}
	r := e.do("POST", "/api/v1/me/delegations", guesser, map[string]any{"code": "ZZZZZZ99"})
	wantError(t, r, 429, "rate_limited")
	if r.Header.Get("Retry-After") == "" {
		t.Fatal("no Retry-After")
	}
	for range 10 {
		wantError(t, e.do("POST", "/api/v1/me/claim", guesser, map[string]any{"ticket": "12345678", "code": "123456"}), 400, "binding_code_wrong")
	}
	wantError(t, e.do("POST", "/api/v1/me/claim", guesser, map[string]any{"ticket": "12345678", "code": "123456"}), 429, "rate_limited")
	// Someone else is not held up by the guesser's account.
	other, _ := e.login("other")
	wantError(t, e.do("POST", "/api/v1/me/delegations", other, map[string]any{"code": "ZZZZZZ00"}), 400, "invite_invalid")
}
