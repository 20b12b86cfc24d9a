package console

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html/template"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"lingong/model"
)

// 推送: a subscribe message composed for a list of workers or a segment of the staff member's area, previewed
// as the phone shows it (the API's own check: a value WeChat would refuse is a field error before anything
// is sent), confirmed with the number it reaches, sent (model.CreatePush, as POST /api/v1/admin/pushes, with
// its 10-an-hour limit), then its delivery report (model.PushReport, as GET /api/v1/admin/pushes/:id) and the
// recent pushes of the staff member's area, whoever sent them.

// PushStore is what 推送 needs: the model's pushes and the API's check of a message.
type PushStore interface {
	// CheckPush applies the API's rules to a message and answers each field as the phone will show it.
	CheckPush(kind, page string, data map[string]string) (map[string]string, error)
	CountAudience(ctx context.Context, scope model.Scope, aud model.Audience) (int, error)
	CreatePush(ctx context.Context, scope model.Scope, sendKey, kind, page string, fields map[string]string, aud model.Audience) (*model.Push, error)
	PushReport(ctx context.Context, scope model.Scope, id uint64) (*model.PushReport, error)
	RecentPushes(ctx context.Context, scope model.Scope, limit int) ([]model.PushReport, error)
}

func (con *Console) pushRoutes(signedIn, signedInChange []gin.HandlerFunc) []Route {
	with := func(chain []gin.HandlerFunc, h gin.HandlerFunc) []gin.HandlerFunc {
		return append(append([]gin.HandlerFunc{}, chain...), h)
	}
	return []Route{
		{http.MethodGet, "/console/push", "推送：写一条订阅消息，以及本辖区最近的推送", with(signedIn, con.pushPage)},
		{http.MethodGet, "/console/push/preview", "推送：手机上看到的样子和要发给几个人（确认页）", with(signedIn, con.pushPreview)},
		{http.MethodPost, "/console/pushes", "发送推送（本辖区；每小时最多10次）", with(signedInChange, con.sendPush)},
		{http.MethodGet, "/console/pushes/:id", "推送结果：已发送、没有订阅、失败、待发送", with(signedIn, con.pushReportPage)},
	}
}

// pushKind is a message staff may push, its fields named as the worker reads them in WeChat (the same
// words as the mini-program's 推送消息). The personal kinds (审核结果, 保险生效) are sent by the system only.
type pushKind struct {
	Key, Title string
	Fields     []pushField
}

type pushField struct{ Key, Name, Hint string }

const (
	dateHint = "如 2026-12-01"
	timeHint = "如 2026-12-01 08:30"
)

var pushKinds = []pushKind{
	{model.MsgApplicationResult, "报名结果", []pushField{{"gig", "哪个活", ""}, {"result", "结果", "5个字以内的汉字，如 已录用"},
		{"date", "哪天干", dateHint}, {"note", "要说的话", ""}}},
	{model.MsgGigCancelled, "活取消了", []pushField{{"gig", "哪个活", ""}, {"date", "原定哪天", dateHint}, {"note", "要说的话", ""}}},
	{model.MsgTrainingReminder, "培训提醒", []pushField{{"course", "哪门课", ""}, {"time", "上课时间", timeHint}, {"place", "上课地点", ""}}},
	{model.MsgComplaintProgress, "投诉进度", []pushField{{"case", "哪件投诉", ""}, {"status", "办到哪一步", "5个字以内的汉字，如 办理中"},
		{"note", "要说的话", ""}, {"time", "时间", timeHint}}},
}

func pushKindOf(key string) (pushKind, bool) {
	for _, k := range pushKinds {
		if k.Key == key {
			return k, true
		}
	}
	return pushKind{}, false
}

// pushSegments are who a push reaches: a list of workers, or one of the API's segments.
var pushSegments = []struct{ Key, Label string }{
	{"list", "名单：本辖区登记的求职者，按用户编号"},
	{model.SegmentGigConfirmed, "某个活已录用的人"},
	{model.SegmentTrainingSession, "某次培训报名的人"},
	{model.SegmentOpenComplaints, "投诉还在办理的人"},
	{model.SegmentNearMarket, "住在某个零工市场附近的求职者"},
}

// pushPages are the pages a message may open; the API checks any page against the mini-program's.
var pushPages = []struct{ Path, Label string }{
	{"pages/index/index", "首页（找活）"}, {"pages/applications/index", "我的报名"}, {"pages/training/index", "培训"},
	{"pages/complaints/index", "我的投诉"}, {"pages/markets/index", "零工市场"}, {"pages/info/index", "政策资讯"},
}

// pushForm is the form as typed, kept to fill it again and carried by the confirm page.
type pushForm struct {
	Kind, Page, Segment                         string
	Data                                        map[string]string
	UserIDs, GigID, SessionID, MarketID, Radius string
}

func pushFormOf(get func(string) string) pushForm {
	f := pushForm{Kind: get("template_id"), Page: get("page"), Segment: get("segment"), Data: map[string]string{},
		UserIDs: strings.TrimSpace(get("user_ids")), GigID: strings.TrimSpace(get("gig_id")),
		SessionID: strings.TrimSpace(get("session_id")), MarketID: strings.TrimSpace(get("market_id")), Radius: get("radius_m")}
	if _, ok := pushKindOf(f.Kind); !ok {
		f.Kind = pushKinds[0].Key
	}
	if f.Page == "" {
		f.Page = pushPages[0].Path
	}
	if f.Segment == "" {
		f.Segment = "list"
	}
	if f.Radius == "" {
		f.Radius = strconv.Itoa(model.DefaultPushRange)
	}
	kind, _ := pushKindOf(f.Kind)
	for _, field := range kind.Fields {
		f.Data[field.Key] = strings.TrimSpace(get("data." + field.Key))
	}
	return f
}

// Query is the form as the confirm page's 返回修改 link and hidden fields carry it.
func (f pushForm) Query() url.Values {
	q := url.Values{"template_id": {f.Kind}, "page": {f.Page}, "segment": {f.Segment}, "user_ids": {f.UserIDs},
		"gig_id": {f.GigID}, "session_id": {f.SessionID}, "market_id": {f.MarketID}, "radius_m": {f.Radius}}
	for k, v := range f.Data {
		q.Set("data."+k, v)
	}
	return q
}

// Back is the form again with what was typed, for 返回修改.
func (f pushForm) Back() template.URL { return template.URL("/console/push?" + f.Query().Encode()) }

// Hidden lists the form's fields for the confirm page to post again.
func (f pushForm) Hidden() [][2]string {
	q := f.Query()
	var out [][2]string
	for _, k := range slices.Sorted(maps.Keys(q)) {
		out = append(out, [2]string{k, q.Get(k)})
	}
	return out
}

// audience reads who the push goes to, or says beside which field what is wrong.
func (f pushForm) audience() (model.Audience, map[string]string) {
	bad := map[string]string{}
	number := func(field, value, ask string) uint64 {
		n, err := strconv.ParseUint(value, 10, 64)
		if err != nil || n == 0 {
			bad[field] = ask
		}
		return n
	}
	var aud model.Audience
	switch f.Segment {
	case "list":
		// Numbers as people type lists: commas (either width), 、, spaces or one a line.
		for _, s := range strings.FieldsFunc(f.UserIDs, func(r rune) bool { return strings.ContainsRune(",，、;； \t\r\n", r) }) {
			aud.UserIDs = append(aud.UserIDs, number("user_ids", s, "用户编号要填数字，多个用逗号或空格隔开（“"+s+"”不是编号）"))
		}
		if len(aud.UserIDs) == 0 {
			bad["user_ids"] = "请填用户编号，多个用逗号或空格隔开"
		} else if len(aud.UserIDs) > model.MaxPushAudience {
			bad["user_ids"] = "一次最多通知两万人"
		}
	case model.SegmentGigConfirmed:
		aud.Segment, aud.GigID = f.Segment, number("gig_id", f.GigID, "请填活的编号（数字）")
	case model.SegmentTrainingSession:
		aud.Segment, aud.SessionID = f.Segment, number("session_id", f.SessionID, "请填上课时间的编号（数字，在“培训”里能看到）")
	case model.SegmentOpenComplaints:
		aud.Segment = f.Segment
	case model.SegmentNearMarket:
		aud.Segment, aud.MarketID = f.Segment, number("market_id", f.MarketID, "请填零工市场的编号（数字）")
		aud.RadiusM, _ = strconv.Atoi(f.Radius)
		if aud.RadiusM < 500 || aud.RadiusM > 50_000 {
			aud.RadiusM = model.DefaultPushRange
		}
	default:
		bad["segment"] = "请选择要通知的人"
	}
	return aud, bad
}

type pushBody struct {
	Kinds    []pushKind
	Kind     pushKind
	Segments []struct{ Key, Label string }
	Pages    []struct{ Path, Label string }
	Form     pushForm
	// Fields and Message are the refusal beside the form.
	Fields  map[string]string
	Message string
	Recent  []model.PushReport
}

type pushPreviewBody struct {
	// SendKey names this confirmation, so that sending it twice sends once.
	SendKey string
	Kind    pushKind
	Shown   map[string]string
	Page    string
	Form    pushForm
	// Recipients is how many people the push reaches now.
	Recipients int
	Audience   string
}

type pushReportBody struct {
	Report   *model.PushReport
	Title    string
	Audience string
	Done     bool
}

func (con *Console) pushPage(c *gin.Context) {
	con.showPushForm(c, http.StatusOK, pushFormOf(c.Query), nil, "")
}

func (con *Console) showPushForm(c *gin.Context, status int, f pushForm, fields map[string]string, message string) {
	recent, err := con.opts.Push.RecentPushes(c.Request.Context(), scope(c), 20)
	if err != nil {
		con.fail(c, err)
		return
	}
	kind, _ := pushKindOf(f.Kind)
	con.render(c, status, "push", pageData{Title: "推送", Nav: "push", Body: pushBody{Kinds: pushKinds, Kind: kind,
		Segments: pushSegments, Pages: pushPages, Form: f, Fields: fields, Message: message, Recent: recent}})
}

// pushCheck is what the form's check found: the fields as the phone shows them, the audience and its size,
// or the refusals beside their fields with the status to answer them with.
type pushCheck struct {
	shown  map[string]string
	aud    model.Audience
	n      int
	bad    map[string]string
	status int
}

// check applies the API's rules to the form and counts who it reaches, listing every field's trouble at
// once; a server fault is a plain 5xx (false). Another area's gig, session or market is not found, as in the
// API: 404, said beside the audience.
func (con *Console) check(c *gin.Context, f pushForm) (pushCheck, bool) {
	var pc pushCheck
	pc.aud, pc.bad = f.audience()
	pc.status = http.StatusBadRequest
	audienceRead := len(pc.bad) == 0
	var err error
	if pc.shown, err = con.opts.Push.CheckPush(f.Kind, f.Page, f.Data); err != nil && !con.beside(c, err, &pc) {
		return pc, false
	}
	if audienceRead {
		if pc.n, err = con.opts.Push.CountAudience(c.Request.Context(), scope(c), pc.aud); err != nil && !con.beside(c, err, &pc) {
			return pc, false
		}
	}
	return pc, true
}

// beside adds a refusal to the form's field errors (one without a field goes beside the audience); a server
// fault is answered as such and reported false.
func (con *Console) beside(c *gin.Context, err error, pc *pushCheck) bool {
	p := con.opts.Explain(err)
	if p.Status >= 500 {
		con.fail(c, err)
		return false
	}
	for k, v := range p.Fields {
		pc.bad[k] = v
	}
	if len(p.Fields) == 0 {
		pc.bad["audience"] = p.Message
		pc.status = p.Status
	}
	return true
}

// checkedForm checks a push form for preview or sending; a value WeChat would refuse puts the form back with
// it beside its field, and ok is false once the page has answered.
func (con *Console) checkedForm(c *gin.Context, f pushForm) (pushForm, pushCheck, bool) {
	pc, ok := con.check(c, f)
	if !ok {
		return f, pc, false
	}
	if len(pc.bad) > 0 {
		con.showPushForm(c, pc.status, f, pc.bad, "")
		return f, pc, false
	}
	return f, pc, true
}

// pushPreview shows the message as the phone will show it and how many it reaches, with the button that
// sends it; a value WeChat would refuse sends the staff member back to the form with it beside its field.
func (con *Console) pushPreview(c *gin.Context) {
	f, pc, ok := con.checkedForm(c, pushFormOf(c.Query))
	if !ok {
		return
	}
	kind, _ := pushKindOf(f.Kind)
	var key [16]byte
	if _, err := rand.Read(key[:]); err != nil {
		con.fail(c, err)
		return
	}
	con.render(c, http.StatusOK, "push-preview", pageData{Title: "推送：确认", Nav: "push", Body: pushPreviewBody{Kind: kind, SendKey: hex.EncodeToString(key[:]),
		Shown: pc.shown, Page: pageLabel(f.Page), Form: f, Recipients: pc.n, Audience: audienceWords(pc.aud)}})
}

// sendPush sends what the confirm page showed; the model decides the hourly limit under concurrency.
func (con *Console) sendPush(c *gin.Context) {
	f, pc, ok := con.checkedForm(c, pushFormOf(c.PostForm))
	if !ok {
		return
	}
	// The confirm page's key: the same confirmed form sent twice (a double click, a reload) is one push.
	sendKey := c.PostForm("send_key")
	if len(sendKey) != 32 {
		sendKey = ""
	}
	p, err := con.opts.Push.CreatePush(c.Request.Context(), scope(c), sendKey, f.Kind, f.Page, f.Data, pc.aud)
	if err != nil {
		prob := con.opts.Explain(err)
		if prob.Status >= 500 {
			con.fail(c, err)
			return
		}
		con.showPushForm(c, prob.Status, f, prob.Fields, prob.Message)
		return
	}
	con.audit(c, session(c), c.Request.Method+" "+c.FullPath(), "pushes", strconv.FormatUint(p.ID, 10),
		fmt.Sprintf("%s to %d", f.Kind, p.Recipients))
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/console/pushes/%d?done=sent", p.ID))
}

func (con *Console) pushReportPage(c *gin.Context) {
	r, err := con.opts.Push.PushReport(c.Request.Context(), scope(c), pathID(c))
	if err != nil {
		con.fail(c, err)
		return
	}
	con.render(c, http.StatusOK, "push-report", pageData{Title: "推送结果", Nav: "push", Body: pushReportBody{Report: r,
		Title: pushTitle(r.TemplateKey), Audience: storedAudience(r.Audience), Done: c.Query("done") == "sent"}})
}

// Words for the templates.

var pushFuncs = template.FuncMap{"pushTitle": pushTitle, "radiusChoices": func() [][2]string {
	return [][2]string{{"1000", "1公里内"}, {"3000", "3公里内"}, {"5000", "5公里内"}, {"10000", "10公里内"}, {"20000", "20公里内"}}
}}

func pushTitle(kind string) string {
	if k, ok := pushKindOf(kind); ok {
		return k.Title
	}
	return kind
}

func pageLabel(path string) string {
	for _, p := range pushPages {
		if p.Path == path {
			return p.Label
		}
	}
	return path
}

func audienceWords(a model.Audience) string {
	switch a.Segment {
	case model.SegmentGigConfirmed:
		return fmt.Sprintf("第 %d 号活已录用的人", a.GigID)
	case model.SegmentTrainingSession:
		return fmt.Sprintf("第 %d 号上课时间报名的人", a.SessionID)
	case model.SegmentOpenComplaints:
		return "投诉还在办理的人"
	case model.SegmentNearMarket:
		return fmt.Sprintf("住在第 %d 号零工市场 %g 公里内的求职者", a.MarketID, float64(a.RadiusM)/1000)
	}
	return fmt.Sprintf("名单上的 %d 个用户编号", len(a.UserIDs))
}

// storedAudience describes a sent push's audience as the model stored it.
func storedAudience(raw string) string {
	var a model.Audience
	if json.Unmarshal([]byte(raw), &a) != nil {
		return ""
	}
	if a.Segment == model.SegmentNearMarket && a.RadiusM == 0 {
		a.RadiusM = model.DefaultPushRange
	}
	return audienceWords(a)
}
