package handler_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"lingong/model"
	"lingong/model/modeltest"
)

// recordRoutesScene: a worker taken on and checked in today, a no-show of theirs yesterday and a late
// cancellation of the employer's, written as the no-show job and the cancellation write them.
type recordRoutesScene struct {
	e                      *env
	boss, worker, letGo    string
	gig                    int
	employerID, workerID   uint64
	noShowID, lateCancelID uint64
}

func newRecordRoutesScene(t *testing.T, s *model.Store) *recordRoutesScene {
	t.Helper()
	e := newEnv(t, s)
	sc := &recordRoutesScene{e: e, boss: e.employer("emp"), worker: e.worker("w1"), letGo: e.worker("w2")}
	sc.gig = e.publish(sc.boss, map[string]any{"hiring_mode": "first_come"})
	if r := e.do("POST", fmt.Sprintf("/api/v1/gigs/%d/applications", sc.gig), sc.worker, nil); r.Status != 201 {
		t.Fatalf("apply: %s", r.Raw)
	}
	base := fmt.Sprintf("/api/v1/gigs/%d/attendance", sc.gig)
	if r := e.do("POST", base+"/scan", sc.worker, map[string]any{"token": e.do("GET", base+"/code", sc.boss, nil).str("token")}); r.Status != 200 {
		t.Fatalf("scan: %s", r.Raw)
	}
	sc.workerID = uint64(e.do("GET", "/api/v1/me", sc.worker, nil).Body["id"].(float64))
	letGoID := uint64(e.do("GET", "/api/v1/me", sc.letGo, nil).Body["id"].(float64))
	var g model.Gig
	if err := s.DB.Take(&g, sc.gig).Error; err != nil { // not the gig page: it would keep the record for minutes
		t.Fatal(err)
	}
	sc.employerID = g.EmployerID
	yesterday := s.Now().In(model.Shanghai).AddDate(0, 0, -1).Format(time.DateOnly)
	noShow := model.ReliabilityEvent{Kind: model.EventNoShow, GigID: uint64(sc.gig), WorkerID: sc.workerID,
		EmployerID: sc.employerID, Day: yesterday, CreatedAt: s.Now()}
	lateCancel := model.ReliabilityEvent{Kind: model.EventLateCancel, GigID: uint64(sc.gig), WorkerID: letGoID,
		EmployerID: sc.employerID, Day: yesterday, CreatedAt: s.Now()}
	for _, ev := range []*model.ReliabilityEvent{&noShow, &lateCancel} {
		if err := s.DB.Create(ev).Error; err != nil {
			t.Fatal(err)
		}
	}
	sc.noShowID, sc.lateCancelID = noShow.ID, lateCancel.ID
	return sc
}

func decodeList(t *testing.T, r response) []map[string]any {
	t.Helper()
	var out []map[string]any
	if r.Status != 200 || json.Unmarshal([]byte(r.Raw), &out) != nil {
		t.Fatalf("list: %d %s", r.Status, r.Raw)
	}
	return out
}

// Who sees which record: a worker's in the applicant list of the employer's own gig, the employer's on the gig
// page and its record page; each their own with entries; corrections asked only of one's own entries, once at
// a time, decided by staff of the gig's area (audited), and an accepted one stops counting.
func TestRecordRoutes(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		sc := newRecordRoutesScene(t, s)
		e := sc.e
		mine := e.do("GET", "/api/v1/me/record", sc.worker, nil)
		if mine.Status != 200 || !strings.Contains(mine.Raw, `"record":{"days_worked":1,"no_shows":1,"rating":0,"rating_count":0}`) ||
			!strings.Contains(mine.Raw, `"label":"没到岗","value":"1次"`) ||
			!strings.Contains(mine.Raw, fmt.Sprintf(`"kind":"no_show","id":%d`, sc.noShowID)) || !strings.Contains(mine.Raw, `"correctable":true`) {
			t.Fatalf("my record: %d %s", mine.Status, mine.Raw)
		}
		applicants := e.do("GET", fmt.Sprintf("/api/v1/gigs/%d/applications", sc.gig), sc.boss, nil)
		if !strings.Contains(applicants.Raw, `"record":{"days_worked":1,"no_shows":1,`) {
			t.Fatalf("applicants: %s", applicants.Raw)
		}
		page := e.do("GET", fmt.Sprintf("/api/v1/gigs/%d", sc.gig), sc.letGo, nil)
		if page.Body["employer_id"] != float64(sc.employerID) {
			t.Fatalf("gig page's employer: %s", page.Raw)
		}
		const empRecord = `{"gigs_completed":0,"paid_due":0,"paid_on_time":0,"upheld_complaints":0,"late_cancels":1}`
		if !strings.Contains(page.Raw, `"employer_record":`+empRecord) {
			t.Fatalf("gig page: %s", page.Raw)
		}
		if r := e.do("GET", fmt.Sprintf("/api/v1/employers/%d/record", sc.employerID), sc.letGo, nil); r.Status != 200 ||
			!strings.Contains(r.Raw, `"record":`+empRecord) {
			t.Fatalf("the employer's record page: %s", r.Raw)
		}
		wantError(t, e.do("GET", "/api/v1/employers/999/record", sc.letGo, nil), 404, "not_found")
		wantError(t, e.do("GET", "/api/v1/me/employer/record", sc.worker, nil), 404, "profile_missing")
		wantError(t, e.do("GET", "/api/v1/me/record", sc.boss, nil), 404, "profile_missing")

		// The worker's family reads the record; nobody else does.
		code := e.do("POST", "/api/v1/me/delegates", sc.worker, nil).str("code")
		daughter, _ := e.login("daughter")
		if r := e.do("POST", "/api/v1/me/delegations", daughter, map[string]any{"code": code}); r.Status >= 300 {
			t.Fatalf("delegation: %s", r.Raw)
		}
		elder := fmt.Sprintf("/api/v1/elders/%d/record", sc.workerID)
		if r := e.do("GET", elder, daughter, nil); r.Status != 200 || !strings.Contains(r.Raw, `"no_shows":1`) {
			t.Fatalf("the family's view: %s", r.Raw)
		}
		wantError(t, e.do("GET", elder, sc.letGo, nil), 404, "not_found")

		corrections := "/api/v1/me/record/corrections"
		wantError(t, e.do("POST", corrections, sc.boss, map[string]any{"entry_id": sc.noShowID, "reason": "他来了"}), 404, "not_found")
		wantError(t, e.do("POST", corrections, sc.letGo, map[string]any{"entry_id": sc.lateCancelID, "reason": "我同意的"}), 404, "not_found")
		if r := e.do("POST", corrections, sc.worker, map[string]any{"entry_id": sc.noShowID, "reason": "x"}); r.Status != 400 || fieldNames(r) != "reason" {
			t.Fatalf("a one-letter reason: %s", r.Raw)
		}
		if r := e.do("POST", corrections, sc.worker, map[string]any{"entry_id": sc.noShowID, "reason": "雇主打电话说不用去"}); r.Status != 201 || r.str("status") != "open" {
			t.Fatalf("asked: %s", r.Raw)
		}
		wantError(t, e.do("POST", corrections, sc.worker, map[string]any{"entry_id": sc.noShowID, "reason": "再问一次"}), 409, "correction_open")
		own := e.do("GET", "/api/v1/me/employer/record", sc.boss, nil)
		if own.Status != 200 || !strings.Contains(own.Raw, `"label":"当天取消","value":"1次"`) {
			t.Fatalf("the employer's own record: %s", own.Raw)
		}
		if r := e.do("POST", corrections, sc.boss, map[string]any{"entry_id": sc.lateCancelID, "reason": "工人自己说不干了"}); r.Status != 201 {
			t.Fatalf("the employer asked: %s", r.Raw)
		}

		huainan, _ := e.staffOf("hn", "340400")
		if list := decodeList(t, e.do("GET", "/api/v1/admin/corrections", huainan, nil)); len(list) != 0 {
			t.Fatalf("淮南's staff see 合肥's: %v", list)
		}
		wantError(t, e.do("GET", "/api/v1/admin/corrections", sc.worker, nil), 404, "not_found")
		hefei, _ := e.staffOf("hf", "340100")
		list := decodeList(t, e.do("GET", "/api/v1/admin/corrections", hefei, nil))
		if len(list) != 2 || list[0]["kind"] != "no_show" || list[0]["worker_name"] != "王**" || list[1]["kind"] != "late_cancel" {
			t.Fatalf("合肥's list: %v", list)
		}
		first := fmt.Sprintf("/api/v1/admin/corrections/%v", list[0]["id"])
		wantError(t, e.do("POST", first+"/accept", huainan, nil), 404, "not_found")
		if r := e.do("POST", first+"/refuse", hefei, map[string]any{"note": ""}); r.Status != 400 || fieldNames(r) != "note" {
			t.Fatalf("refused without a note: %s", r.Raw)
		}
		if r := e.do("POST", first+"/accept", hefei, nil); r.Status != 200 || r.str("status") != "accepted" {
			t.Fatalf("accepted: %s", r.Raw)
		}
		wantError(t, e.do("POST", first+"/refuse", hefei, map[string]any{"note": "看错了"}), 409, "already_decided")
		audit, err := s.AuditLogs(t.Context(), model.AuditQuery{TargetKind: "corrections", Limit: 10})
		if err != nil || len(audit) != 1 || audit[0].Action != "POST /api/v1/admin/corrections/:id/accept" ||
			audit[0].TargetID != strconv.FormatFloat(list[0]["id"].(float64), 'f', -1, 64) {
			t.Fatalf("audit: %+v, %v", audit, err)
		}
		if r := e.do("GET", "/api/v1/me/record", sc.worker, nil); !strings.Contains(r.Raw, `"no_shows":0`) ||
			!strings.Contains(r.Raw, `"counted":false,"correctable":false,"correction":{`) {
			t.Fatalf("my record after the correction: %s", r.Raw)
		}
	})
}

// No-shows and unpaid days per employer and per county with its markets, in the stats and the monthly report;
// staff of another area see none of them.
func TestStatsReliabilityFigures(t *testing.T) {
	modeltest.ForEach(t, func(t *testing.T, s *model.Store) {
		sc := newRecordRoutesScene(t, s)
		e := sc.e
		hefei, _ := e.staffOf("hf", "340100")
		if r := e.do("POST", "/api/v1/admin/markets", hefei, map[string]any{"kind": "market", "name": "合肥市蜀山区零工市场",
			"area_code": "340104", "address": "合肥市蜀山区黄山路 459 号", "location": map[string]any{"lat": 31.8440, "lng": 117.2510},
			"opening_hours": "周一至周日 6:00-18:00", "services": "招工登记", "hotline": "0551-12333", "complaint_phone": "12333"}); r.Status != 201 {
			t.Fatalf("market: %s", r.Raw)
		}
		// The worker also worked yesterday, and nothing is recorded as paid; today's day is not unpaid yet.
		now := s.Now()
		yesterday := now.In(model.Shanghai).AddDate(0, 0, -1).Format(time.DateOnly)
		if err := s.DB.Create(&model.Attendance{GigID: uint64(sc.gig), WorkerID: sc.workerID, Day: yesterday,
			Method: model.AttendScan, ArrivedAt: now.AddDate(0, 0, -1), CreatedAt: now, UpdatedAt: now}).Error; err != nil {
			t.Fatal(err)
		}
		today := now.In(model.Shanghai).Format(time.DateOnly)
		r := e.do("GET", "/api/v1/admin/stats?from="+yesterday+"&to="+today, hefei, nil)
		if r.Status != 200 || !strings.Contains(r.Raw, fmt.Sprintf(`"by_employer":[{"employer_id":%d,"employer_name":"李**（个人）","no_shows":1,"unpaid_days":1}]`, sc.employerID)) ||
			!strings.Contains(r.Raw, `"by_market":[{"area":"340104","area_name":"合肥市蜀山区","markets":["合肥市蜀山区零工市场"],"no_shows":1,"unpaid_days":1}]`) {
			t.Fatalf("stats: %s", r.Raw)
		}
		huainan, _ := e.staffOf("hn", "340400")
		if r := e.do("GET", "/api/v1/admin/stats?from="+yesterday+"&to="+today, huainan, nil); !strings.Contains(r.Raw, `"by_employer":[],"by_market":[]`) {
			t.Fatalf("淮南's stats: %s", r.Raw)
		}

		xl := e.do("GET", "/api/v1/admin/reports/monthly.xlsx?month="+yesterday[:7], hefei, nil)
		f, err := excelize.OpenReader(bytes.NewReader([]byte(xl.Raw)))
		if err != nil {
			t.Fatalf("report: %d %v", xl.Status, err)
		}
		defer f.Close()
		want := map[string][]string{"未到岗欠薪-雇主": {"李**（个人）", "1", "1"}, "未到岗欠薪-市场": {"合肥市蜀山区", "合肥市蜀山区零工市场", "1", "1"}}
		for sheet, cells := range want {
			rows, err := f.GetRows(sheet)
			if err != nil || len(rows) != 2 || strings.Join(rows[1], "|") != strings.Join(cells, "|") {
				t.Errorf("sheet %s: %q, %v", sheet, rows, err)
			}
		}
	})
}
