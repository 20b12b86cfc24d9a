package handler_test

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"mime/multipart"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"lingong/handler/wechat/wechattest"
	"lingong/model/modeltest"
)

func (e *env) trainingBody(seats int) map[string]any {
	day := e.store.Now().AddDate(0, 0, 3).Format(time.DateOnly)
	return map[string]any{"title": "家政服务员培训", "category_id": 3, "kind": "menu", "provider": "合肥市职业技能培训中心",
		"subsidised": true, "address": "合肥市蜀山区黄山路100号", "location": map[string]any{"lat": 31.84, "lng": 117.25},
		"area_code": "340104", "signup_deadline": e.store.Now().Add(48 * time.Hour).Format(time.RFC3339),
		"sessions": []map[string]any{{"date": day, "start_time": "09:00", "end_time": "11:30", "seats": seats},
			{"date": day, "start_time": "14:00", "end_time": "16:30", "seats": 20}}}
}

func TestTrainingOverHTTP(t *testing.T) {
	e := newEnv(t, modeltest.SQLite(t))
	admin := e.admin()
	w := e.worker("w")
	wantError(t, e.do("POST", "/api/v1/admin/trainings", w, e.trainingBody(1)), 404, "not_found")
	bad := e.trainingBody(1)
	bad["kind"], bad["sessions"] = "order", []map[string]any{{"date": "明天", "start_time": "9点", "end_time": "11:30", "seats": 1}}
	r := e.do("POST", "/api/v1/admin/trainings", admin, bad)
	wantError(t, r, 400, "invalid_input")
	if !strings.Contains(fieldNames(r), "sessions") {
		t.Fatalf("fields: %s", r.Raw)
	}
	r = e.do("POST", "/api/v1/admin/trainings", admin, e.trainingBody(1))
	if r.Status != 201 || !r.Body["signup_open"].(bool) {
		t.Fatalf("create: %d %s", r.Status, r.Raw)
	}
	id := int(r.Body["id"].(float64))
	first := int(r.Body["sessions"].([]any)[0].(map[string]any)["id"].(float64))

	if list := e.do("GET", "/api/v1/trainings?upcoming=true&occupation=3&lat=31.84&lng=117.25", "", nil); !strings.Contains(list.Raw, "家政服务员培训") {
		t.Fatalf("list: %s", list.Raw)
	}
	wantError(t, e.do("GET", "/api/v1/trainings?kind=weekly", "", nil), 400, "invalid_input")
	path := fmt.Sprintf("/api/v1/trainings/%d/enrollments", id)
	wantError(t, e.do("POST", path, w, map[string]any{}), 400, "invalid_input")
	r = e.do("POST", path, w, map[string]any{"session_id": first})
	if r.Status != 201 {
		t.Fatalf("enroll: %s", r.Raw)
	}
	enrollment := int(r.Body["id"].(float64))
	wantError(t, e.do("POST", path, e.worker("w2"), map[string]any{"session_id": first}), 409, "session_full")
	wantError(t, e.do("POST", path, w, map[string]any{"session_id": first}), 409, "already_enrolled")
	if d := e.do("GET", fmt.Sprintf("/api/v1/trainings/%d", id), "", nil); !strings.Contains(d.Raw, `"seats_left":0`) {
		t.Fatalf("seats left: %s", d.Raw)
	}
	wantError(t, e.do("DELETE", fmt.Sprintf("/api/v1/enrollments/%d", enrollment), e.worker("w3"), nil), 404, "not_found")
	if r := e.do("GET", "/api/v1/me/enrollments", w, nil); !strings.Contains(r.Raw, `"start_time":"09:00"`) {
		t.Fatalf("my enrollments: %s", r.Raw)
	}
	if r := e.do("GET", fmt.Sprintf("/api/v1/admin/trainings/%d/enrollments?session_id=%d", id, first), admin, nil); !strings.Contains(r.Raw, "王建国") {
		t.Fatalf("roster: %s", r.Raw)
	}
	if r := e.do("POST", fmt.Sprintf("/api/v1/admin/enrollments/%d/mark", enrollment), admin, map[string]any{"status": "completed"}); r.str("status") != "completed" {
		t.Fatalf("mark: %s", r.Raw)
	}
}

func TestInsuranceOverHTTP(t *testing.T) {
	e := newEnv(t, modeltest.SQLite(t))
	admin := e.admin()
	r := e.do("POST", "/api/v1/admin/insurance/plans", admin, map[string]any{"name": "零工日保", "insurer": "某某保险",
		"death_disability_cents": 50000000, "medical_cents": 500000, "term": "day", "premium_cents": 200, "payer": "employer",
		"min_age": 18, "max_age": 65, "active": true})
	if r.Status != 201 {
		t.Fatalf("plan: %s", r.Raw)
	}
	plan := int(r.Body["id"].(float64))
	w := e.worker("w")
	tomorrow := e.store.Now().AddDate(0, 0, 1).Format(time.DateOnly)
	wantError(t, e.do("POST", "/api/v1/insurance/enrollments", w, map[string]any{"plan_id": plan, "start_date": "2020-01-01"}), 400, "invalid_input")
	r = e.do("POST", "/api/v1/insurance/enrollments", w, map[string]any{"plan_id": plan, "start_date": tomorrow})
	if r.Status != 201 || r.str("status") != "pending" {
		t.Fatalf("enrol: %s", r.Raw)
	}
	policy := int(r.Body["id"].(float64))
	wantError(t, e.do("POST", "/api/v1/insurance/enrollments", w, map[string]any{"plan_id": plan, "start_date": tomorrow}), 409, "already_insured")
	noProfile, _ := e.login("np")
	wantError(t, e.do("POST", "/api/v1/insurance/enrollments", noProfile, map[string]any{"plan_id": plan, "start_date": tomorrow}), 409, "identity_required")
	if r := e.do("POST", fmt.Sprintf("/api/v1/admin/insurance/enrollments/%d/confirm", policy), admin, map[string]any{"policy_number": "P-1"}); r.str("status") != "active" {
		t.Fatalf("confirm: %s", r.Raw)
	}
	if r := e.do("GET", "/api/v1/me/insurance", w, nil); r.Body["covered_today"] != false || !strings.Contains(r.Raw, `"policy_number":"P-1"`) {
		t.Fatalf("my insurance: %s", r.Raw)
	}
	wantError(t, e.do("POST", fmt.Sprintf("/api/v1/insurance/enrollments/%d/incidents", policy), e.worker("w2"),
		map[string]any{"happened_at": time.Now().Format(time.RFC3339), "place": "工地", "description": "摔伤"}), 404, "not_found")
	if r := e.do("DELETE", fmt.Sprintf("/api/v1/insurance/enrollments/%d", policy), w, nil); r.str("status") != "cancelled" {
		t.Fatalf("cancel before start: %s", r.Raw)
	}
}

func pngBytes(t *testing.T) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 2, 2))
	img.Set(0, 0, color.RGBA{255, 0, 0, 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func (e *env) uploadFile(token, filename string, content []byte) response {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", filename)
	fw.Write(content)
	mw.Close()
	req := httptest.NewRequest("POST", "/api/v1/uploads", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	return e.serve(req)
}

func TestComplaintsOverHTTP(t *testing.T) {
	e := newEnv(t, modeltest.SQLite(t))
	boss := e.employer("emp")
	gig := e.publish(boss, nil)
	w := e.worker("w")

	wantError(t, e.uploadFile(w, "evil.png", []byte("<?php echo 'not a photo'; ?>")), 400, "not_a_photo")
	wantError(t, e.uploadFile(w, "big.jpg", append([]byte{0xFF, 0xD8, 0xFF}, make([]byte, 6<<20)...)), 413, "photo_too_large")
	photoBytes := pngBytes(t)
	up := e.uploadFile(w, "../../etc/passwd.png", photoBytes)
	if up.Status != 201 || up.str("content_type") != "image/png" {
		t.Fatalf("upload: %s", up.Raw)
	}
	photo := int(up.Body["id"].(float64))
	if got := e.do("GET", fmt.Sprintf("/api/v1/uploads/%d", photo), w, nil); got.Status != 200 || got.Header.Get("Content-Type") != "image/png" ||
		got.Raw != string(photoBytes) {
		t.Fatalf("download own photo: %d, %d bytes (sent %d)", got.Status, len(got.Raw), len(photoBytes))
	}
	wantError(t, e.do("GET", fmt.Sprintf("/api/v1/uploads/%d", photo), boss, nil), 404, "not_found")

	r := e.do("POST", "/api/v1/complaints", w, map[string]any{"category": "pay", "description": "短"})
	wantError(t, r, 400, "invalid_input")
	if fieldNames(r) != "category" {
		t.Fatalf("fields: %s", r.Raw)
	}
	// WeChat's content check runs from its queue afterwards (server/checks_test.go): filing answers at once.
	if r := e.do("POST", "/api/v1/complaints", w, map[string]any{"category": "other", "description": "this is risky content"}); r.Status != 201 ||
		r.str("sec_check") != "checking" || e.fake.Calls(wechattest.APIMsgSecCheck) != 0 {
		t.Fatalf("a complaint waiting for its check: %d %s", r.Status, r.Raw)
	}
	r = e.do("POST", "/api/v1/complaints", w, map[string]any{"category": "false_posting", "gig_id": gig,
		"description": "到了现场活不一样，工钱也少", "photos": []int{photo}, "show_identity_to_employer": false})
	if r.Status != 201 || r.str("status") != "submitted" || len(r.Body["timeline"].([]any)) != 1 {
		t.Fatalf("file: %d %s", r.Status, r.Raw)
	}
	id := int(r.Body["id"].(float64))
	other := e.worker("w2")
	wantError(t, e.do("GET", fmt.Sprintf("/api/v1/complaints/%d", id), other, nil), 404, "not_found")
	wantError(t, e.do("POST", "/api/v1/complaints", other, map[string]any{"category": "other", "description": "用别人的照片",
		"photos": []int{photo}}), 400, "invalid_input")

	admin := e.admin()
	if r := e.do("GET", "/api/v1/admin/complaints?status=submitted", admin, nil); !strings.Contains(r.Raw, `"overdue":false`) {
		t.Fatalf("queue: %s", r.Raw)
	}
	if got := e.do("GET", fmt.Sprintf("/api/v1/uploads/%d", photo), admin, nil); got.Status != 200 {
		t.Fatalf("staff reading the complaint's photo: %d", got.Status)
	}
	wantError(t, e.do("POST", fmt.Sprintf("/api/v1/admin/complaints/%d/status", id), admin, map[string]any{"to": "rejected"}), 400, "invalid_input")
	e.do("POST", fmt.Sprintf("/api/v1/admin/complaints/%d/status", id), admin, map[string]any{"to": "accepted", "note": "已受理"})
	wantError(t, e.do("GET", fmt.Sprintf("/api/v1/me/employer/complaints/%d", id), boss, nil), 404, "not_found")
	e.do("POST", fmt.Sprintf("/api/v1/admin/complaints/%d/share", id), admin, nil)
	seen := e.do("GET", fmt.Sprintf("/api/v1/me/employer/complaints/%d", id), boss, nil)
	if seen.Status != 200 || strings.Contains(seen.Raw, "complainant_id") {
		t.Fatalf("the employer must not see an anonymous complainant: %s", seen.Raw)
	}
	r = e.do("POST", fmt.Sprintf("/api/v1/admin/complaints/%d/status", id), admin, map[string]any{"to": "resolved", "note": "已核实并处理"})
	if r.str("status") != "resolved" {
		t.Fatalf("resolve: %s", r.Raw)
	}
	mine := e.do("GET", fmt.Sprintf("/api/v1/complaints/%d", id), w, nil)
	if !strings.Contains(mine.Raw, "已核实并处理") || !strings.Contains(mine.Raw, `"by":"staff"`) {
		t.Fatalf("the worker's timeline: %s", mine.Raw)
	}
	if r := e.do("POST", fmt.Sprintf("/api/v1/complaints/%d/satisfaction", id), w, map[string]any{"score": 5}); r.Body["satisfaction"].(float64) != 5 {
		t.Fatalf("satisfaction: %s", r.Raw)
	}
	wantError(t, e.do("POST", fmt.Sprintf("/api/v1/complaints/%d/satisfaction", id), w, map[string]any{"score": 1}), 409, "already_rated")
}
