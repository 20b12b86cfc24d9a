package console

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"lingong/model"
)

// AuditStore is what the 审计 page (admins) needs from the model.
type AuditStore interface {
	AuditLogs(ctx context.Context, q model.AuditQuery) ([]model.AuditLog, error)
}

// 审计 and 人员: the admins' pages. To staff they do not exist (the same 404 the API's admin routes give), so
// a staff member learns nothing by guessing the address.

// adminOnly narrows a signed-in console route to admins.
func (con *Console) adminOnly(c *gin.Context) {
	if !scope(c).All {
		con.fail(c, model.ErrNotFound)
		return
	}
	c.Next()
}

// auditPageSize entries a page; one more is read to know whether an older page exists.
const auditPageSize = 50

// auditFilter is the 审计 page's filter form as typed, kept to fill the form again.
type auditFilter struct {
	Actor, Action, TargetKind, TargetID, From, To string
}

type auditBody struct {
	Filter  auditFilter
	Entries []model.AuditLog
	// Older is the query of the next (older) page; empty on the last page.
	Older string
	// Fields are the refusals beside the filter's fields.
	Fields map[string]string
}

// query turns the typed filter into the model's query, or says beside which field what is wrong.
func (f auditFilter) query() (model.AuditQuery, map[string]string) {
	q, bad := model.AuditQuery{Action: f.Action, TargetKind: f.TargetKind, TargetID: f.TargetID}, map[string]string{}
	if f.Actor != "" {
		id, err := strconv.ParseUint(f.Actor, 10, 64)
		if err != nil || id == 0 {
			bad["actor"] = "操作人编号要填数字"
		}
		q.ActorID = id
	}
	day := func(field, s string) time.Time {
		if s == "" {
			return time.Time{}
		}
		t, err := time.ParseInLocation(time.DateOnly, s, model.Shanghai)
		if err != nil {
			bad[field] = "日期的格式是 2026-11-28"
		}
		return t
	}
	q.From = day("from", f.From)
	if to := day("to", f.To); !to.IsZero() {
		q.To = to.AddDate(0, 0, 1) // the day typed is included
	}
	if !q.From.IsZero() && !q.To.IsZero() && !q.From.Before(q.To) {
		bad["to"] = "结束日期不能早于开始日期"
	}
	for field, s := range map[string]string{"action": f.Action, "target_kind": f.TargetKind, "target_id": f.TargetID} {
		if len([]rune(s)) > 64 {
			bad[field] = "最多64个字"
		}
	}
	return q, bad
}

func (con *Console) auditPage(c *gin.Context) {
	f := auditFilter{Actor: strings.TrimSpace(c.Query("actor")), Action: strings.TrimSpace(c.Query("action")),
		TargetKind: strings.TrimSpace(c.Query("target_kind")), TargetID: strings.TrimSpace(c.Query("target_id")),
		From: strings.TrimSpace(c.Query("from")), To: strings.TrimSpace(c.Query("to"))}
	q, bad := f.query()
	body := auditBody{Filter: f, Fields: bad}
	if len(bad) > 0 {
		con.render(c, http.StatusBadRequest, "audit", pageData{Title: "审计", Nav: "audit", Body: body})
		return
	}
	q.BeforeID, _ = strconv.ParseUint(c.Query("before"), 10, 64)
	q.Limit = auditPageSize + 1
	list, err := con.opts.Audit.AuditLogs(c.Request.Context(), q)
	if err != nil {
		con.fail(c, err)
		return
	}
	if len(list) > auditPageSize {
		list = list[:auditPageSize]
		next := url.Values{"actor": {f.Actor}, "action": {f.Action}, "target_kind": {f.TargetKind}, "target_id": {f.TargetID},
			"from": {f.From}, "to": {f.To}, "before": {strconv.FormatUint(list[len(list)-1].ID, 10)}}
		body.Older = "/console/audit?" + next.Encode()
	}
	body.Entries = list
	con.render(c, http.StatusOK, "audit", pageData{Title: "审计", Nav: "audit", Body: body})
}
