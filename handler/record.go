package handler

import (
	"fmt"
	"math"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"lingong/model"
)

// Reliability records (信用记录) both ways, each person's own with the entries behind its numbers, and the
// corrections staff decide.
func (a *API) routesRecord() {
	doc := func(summary string, req, resp any, status int) routeDoc {
		return routeDoc{Summary: summary, Tag: "record", Auth: true, Request: req, Response: resp, Status: status}
	}
	a.handle(http.MethodGet, "/api/v1/me/record", doc("我的记录（工人）：干了几天、最近90天没到几次、评分，每个数怎么算的", nil, ownWorkerRecordResponse{}, 0), a.myWorkerRecord)
	a.handle(http.MethodGet, "/api/v1/elders/:id/record", doc("家人的记录（替他看，没到岗记录不对可替他申请更正）", nil, ownWorkerRecordResponse{}, 0), a.elderRecord)
	a.handle(http.MethodGet, "/api/v1/me/employer/record", doc("我的记录（雇主）：完工几个活、按时付钱、属实投诉、当天取消，每个数怎么算的", nil, ownEmployerRecordResponse{}, 0), a.myEmployerRecord)
	a.handle(http.MethodPost, "/api/v1/me/record/corrections", doc("申请更正一条记录（工人或代办的家人：没到岗；雇主：当天取消）", correctionRequest{}, correctionResponse{}, http.StatusCreated), a.requestCorrection)
	a.handle(http.MethodGet, "/api/v1/employers/:id/record", doc("雇主的记录（工人报名前看）", nil, employerPageResponse{}, 0), a.employerRecord)

	staff := func(method, path string, d routeDoc, h gin.HandlerFunc) {
		d.Auth, d.Tag = true, "admin"
		a.handle(method, path, d, a.staffOnly, h)
	}
	staff(http.MethodGet, "/api/v1/admin/corrections", routeDoc{Summary: "本辖区的记录更正申请（待办的在前）",
		Response: []correctionCaseResponse{}}, a.staffCorrections)
	staff(http.MethodPost, "/api/v1/admin/corrections/:id/accept", routeDoc{Summary: "同意更正：这条记录不再计数（记入审计日志）",
		Request: decideCorrectionRequest{}, Response: correctionCaseResponse{}}, a.decideCorrection(true))
	staff(http.MethodPost, "/api/v1/admin/corrections/:id/refuse", routeDoc{Summary: "不同意更正，写明原因（记入审计日志）",
		Request: decideCorrectionRequest{}, Response: correctionCaseResponse{}}, a.decideCorrection(false))
}

type workerRecordResponse struct {
	DaysWorked  int64   `json:"days_worked" label:"签到干活的天数（所有活）"`
	NoShows     int64   `json:"no_shows" label:"最近90天录用了却没到的次数（已更正的不算）"`
	Rating      float64 `json:"rating"`
	RatingCount int     `json:"rating_count"`
}

func workerRecordJSON(r model.WorkerRecord) workerRecordResponse {
	return workerRecordResponse{DaysWorked: r.DaysWorked, NoShows: r.NoShows, Rating: math.Round(r.Rating*10) / 10,
		RatingCount: r.RatingCount}
}

type employerRecordResponse struct {
	GigsCompleted    int64 `json:"gigs_completed" label:"有工人完工的活"`
	PaidDue          int64 `json:"paid_due" label:"该付工钱的人次（干过活的工人）"`
	PaidOnTime       int64 `json:"paid_on_time" label:"其中活结束7天内记了付款、工人没有异议的"`
	UpheldComplaints int64 `json:"upheld_complaints" label:"工作人员核实属实的投诉"`
	LateCancels      int64 `json:"late_cancels" label:"开工当天取消已录用工人的次数（已更正的不算）"`
}

func employerRecordJSON(r model.EmployerRecord) employerRecordResponse {
	return employerRecordResponse{GigsCompleted: r.GigsCompleted, PaidDue: r.PaidDue, PaidOnTime: r.PaidOnTime,
		UpheldComplaints: r.UpheldComplaints, LateCancels: r.LateCancels}
}

type correctionResponse struct {
	ID        uint64     `json:"id"`
	EntryID   uint64     `json:"entry_id"`
	Reason    string     `json:"reason"`
	Status    string     `json:"status" label:"open 待处理 / accepted 已更正 / refused 没同意"`
	Note      string     `json:"note" label:"工作人员的答复"`
	CreatedAt time.Time  `json:"created_at"`
	DecidedAt *time.Time `json:"decided_at"`
}

func correctionJSON(c *model.RecordCorrection) *correctionResponse {
	if c == nil {
		return nil
	}
	return &correctionResponse{ID: c.ID, EntryID: c.EventID, Reason: c.Reason, Status: c.Status, Note: c.Note,
		CreatedAt: c.CreatedAt, DecidedAt: c.DecidedAt}
}

type recordEntryResponse struct {
	Kind        string              `json:"kind" label:"day / no_show / rating / gig / pay / complaint / late_cancel"`
	ID          uint64              `json:"id" label:"no_show 和 late_cancel 申请更正时填这个"`
	Day         string              `json:"day"`
	GigID       uint64              `json:"gig_id"`
	GigTitle    string              `json:"gig_title"`
	Text        string              `json:"text" label:"这一条是什么，直接给用户看"`
	Counted     bool                `json:"counted" label:"算进了上面的数"`
	Correctable bool                `json:"correctable" label:"可以申请更正（没有待处理的申请，也没更正过）"`
	Correction  *correctionResponse `json:"correction" label:"最近一次更正申请，没有为 null"`
}

func entriesJSON(list []model.RecordEntry) []recordEntryResponse {
	out := make([]recordEntryResponse, len(list))
	for i, e := range list {
		out[i] = recordEntryResponse{Kind: e.Kind, ID: e.ID, Day: e.Day, GigID: e.GigID, GigTitle: e.GigTitle, Text: e.Text,
			Counted: e.Counted, Correction: correctionJSON(e.Correction),
			Correctable: (e.Kind == model.EntryNoShow || e.Kind == model.EntryLateCancel) && e.Counted &&
				(e.Correction == nil || e.Correction.Status != model.CorrectionOpen)}
	}
	return out
}

// recordNumber is one number of a record with how it was counted and the entries behind it.
type recordNumber struct {
	Label   string                `json:"label"`
	Value   string                `json:"value"`
	How     string                `json:"how" label:"这个数是怎么算的"`
	Entries []recordEntryResponse `json:"entries"`
}

type ownWorkerRecordResponse struct {
	Record  workerRecordResponse `json:"record"`
	Numbers []recordNumber       `json:"numbers" label:"按顺序显示：干活天数、没到次数、评分"`
}

type ownEmployerRecordResponse struct {
	Record  employerRecordResponse `json:"record"`
	Numbers []recordNumber         `json:"numbers" label:"按顺序显示：完工的活、按时付钱、属实投诉、当天取消"`
}

func (a *API) myWorkerRecord(c *gin.Context) {
	r, err := a.opts.Store.WorkerOwnRecord(c.Request.Context(), currentUser(c).ID)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, ownWorkerRecordJSON(r))
}

func (a *API) elderRecord(c *gin.Context) {
	elder, err := pathID(c)
	if err != nil {
		fail(c, err)
		return
	}
	r, err := a.opts.Store.WorkerRecordFor(c.Request.Context(), currentUser(c).ID, elder)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, ownWorkerRecordJSON(r))
}

func ownWorkerRecordJSON(r *model.OwnWorkerRecord) ownWorkerRecordResponse {
	rec := workerRecordJSON(r.WorkerRecord)
	rating := "还没有人评分"
	if rec.RatingCount > 0 {
		rating = fmt.Sprintf("%.1f分（%d人评）", rec.Rating, rec.RatingCount)
	}
	return ownWorkerRecordResponse{Record: rec, Numbers: []recordNumber{
		{Label: "干活天数", Value: fmt.Sprintf("%d天", rec.DaysWorked), Entries: entriesJSON(r.DayEntries),
			How: "每个活每天签到一次算一天（扫码签到，或雇主代记到岗）。"},
		{Label: "没到岗", Value: fmt.Sprintf("%d次", rec.NoShows), Entries: entriesJSON(r.NoShowEntries),
			How: fmt.Sprintf("最近90天（%s以后）里，被录用了、那天却没有签到的次数。雇主取消的不算；工作人员核实更正的不算。觉得不对，可以点这一条申请更正。", chineseDate(r.NoShowSince))},
		{Label: "雇主评分", Value: rating, Entries: entriesJSON(r.RatingEntries),
			How: "干完活后雇主打的星，取平均。"},
	}}
}

func (a *API) myEmployerRecord(c *gin.Context) {
	r, err := a.opts.Store.EmployerOwnRecord(c.Request.Context(), currentUser(c).ID)
	if err != nil {
		fail(c, err)
		return
	}
	rec := employerRecordJSON(r.EmployerRecord)
	numbers := employerNumbers(rec)
	for i, entries := range [][]model.RecordEntry{r.GigEntries, r.PayEntries, r.ComplaintEntries, r.LateCancelEntries} {
		numbers[i].Entries = entriesJSON(entries)
	}
	numbers[3].How += "工人同意的，可以点这一条申请更正。"
	c.JSON(http.StatusOK, ownEmployerRecordResponse{Record: rec, Numbers: numbers})
}

// employerNumbers are an employer's numbers with how each was counted, in words that read the same to the
// employer and to workers; the entries are the employer's own to see.
func employerNumbers(rec employerRecordResponse) []recordNumber {
	return []recordNumber{
		{Label: "完工的活", Value: fmt.Sprintf("%d个", rec.GigsCompleted), Entries: []recordEntryResponse{},
			How: "至少有一个工人完工、雇主记了付款的活。"},
		{Label: "按时付钱", Value: fmt.Sprintf("%d/%d人次", rec.PaidOnTime, rec.PaidDue), Entries: []recordEntryResponse{},
			How: fmt.Sprintf("签到干过活的工人，每人每个活算一次：活结束后%d天内雇主记了付款、工人没说没收到，算按时。", model.PaidOnTimeDays)},
		{Label: "属实的投诉", Value: fmt.Sprintf("%d件", rec.UpheldComplaints), Entries: []recordEntryResponse{},
			How: "工人投诉、工作人员核实后办结的件数；没有核实的、驳回的不算。"},
		{Label: "当天取消", Value: fmt.Sprintf("%d次", rec.LateCancels), Entries: []recordEntryResponse{},
			How: "开工的日子里取消已录用工人（或关掉招工）的次数，工作人员核实更正的不算。"},
	}
}

type correctionRequest struct {
	EntryID uint64 `json:"entry_id" validate:"required" label:"要更正的那一条"`
	Reason  string `json:"reason" validate:"required,max=200" label:"哪里不对（2到200个字）"`
}

func (a *API) requestCorrection(c *gin.Context) {
	var req correctionRequest
	if err := bindJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	corr, err := a.opts.Store.RequestCorrection(c.Request.Context(), currentUser(c).ID, req.EntryID, req.Reason)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, correctionJSON(corr))
}

func (a *API) employerRecord(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		fail(c, err)
		return
	}
	name, err := a.opts.Store.PublicEmployerName(c.Request.Context(), id)
	if err != nil {
		fail(c, err)
		return
	}
	r, err := a.opts.Store.EmployerRecordOf(c.Request.Context(), id)
	if err != nil {
		fail(c, err)
		return
	}
	rec := employerRecordJSON(r)
	c.JSON(http.StatusOK, employerPageResponse{Name: name, Record: rec, Numbers: employerNumbers(rec)})
}

type employerPageResponse struct {
	Name    string                 `json:"name"`
	Record  employerRecordResponse `json:"record"`
	Numbers []recordNumber         `json:"numbers" label:"按顺序显示：完工的活、按时付钱、属实投诉、当天取消（没有明细）"`
}

type correctionCaseResponse struct {
	correctionResponse
	Kind         string              `json:"kind" label:"no_show 工人没到岗 / late_cancel 雇主当天取消"`
	Day          string              `json:"day"`
	GigID        uint64              `json:"gig_id"`
	GigTitle     string              `json:"gig_title"`
	EmployerName string              `json:"employer_name"`
	WorkerName   string              `json:"worker_name" label:"打码的姓名"`
	Attendance   *attendanceResponse `json:"attendance" label:"那天的签到记录，没有为 null"`
}

func correctionCaseJSON(c *model.CorrectionCase) correctionCaseResponse {
	out := correctionCaseResponse{correctionResponse: *correctionJSON(&c.RecordCorrection), Kind: c.Kind, Day: c.Day,
		GigID: c.GigID, GigTitle: c.GigTitle, EmployerName: c.EmployerName, WorkerName: c.WorkerName}
	if c.Attendance != nil {
		r := attendanceJSON(c.Attendance)
		out.Attendance = &r
	}
	return out
}

func (a *API) staffCorrections(c *gin.Context) {
	list, err := a.opts.Store.Corrections(c.Request.Context(), staffScope(c), 200)
	if err != nil {
		fail(c, err)
		return
	}
	out := make([]correctionCaseResponse, len(list))
	for i := range list {
		out[i] = correctionCaseJSON(&list[i])
	}
	c.JSON(http.StatusOK, out)
}

type decideCorrectionRequest struct {
	Note string `json:"note" validate:"max=200" label:"给申请人的答复（不同意时必填）"`
}

func (a *API) decideCorrection(accept bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		id, err := pathID(c)
		if err != nil {
			fail(c, err)
			return
		}
		var req decideCorrectionRequest
		if c.Request.ContentLength != 0 {
			if err := bindJSON(c, &req); err != nil {
				fail(c, err)
				return
			}
		}
		cc, err := a.opts.Store.DecideCorrection(c.Request.Context(), staffScope(c), id, accept, req.Note)
		if err != nil {
			fail(c, err)
			return
		}
		c.JSON(http.StatusOK, correctionCaseJSON(cc))
	}
}

// chineseDate writes 2026-08-30 as 2026年8月30日, as older readers write it.
func chineseDate(day string) string {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return day
	}
	return t.Format("2006年1月2日")
}
