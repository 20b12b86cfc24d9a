package console

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"lingong/model"
)

// AuditStore is what the 审计 page (admins) needs from the model.
type AuditStore interface {
	AuditLogs(ctx context.Context, q model.AuditQuery) ([]model.AuditEntry, error)
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

type auditBody struct {
	Filter  model.AuditFilter
	Entries []model.AuditEntry
	// Older is the query of the next (older) page; empty on the last page.
	Older string
	// Fields are the refusals beside the filter's fields.
	Fields map[string]string
}

func (con *Console) auditPage(c *gin.Context) {
	f := model.AuditFilter{Actor: strings.TrimSpace(c.Query("actor_id")), Action: strings.TrimSpace(c.Query("action")),
		TargetKind: strings.TrimSpace(c.Query("target_kind")), TargetID: strings.TrimSpace(c.Query("target_id")),
		From: strings.TrimSpace(c.Query("from")), To: strings.TrimSpace(c.Query("to"))}
	q, err := f.Query()
	body := auditBody{Filter: f}
	if err != nil {
		p := con.opts.Explain(err)
		if p.Fields == nil {
			con.fail(c, err)
			return
		}
		body.Fields = p.Fields
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
		next := url.Values{"actor_id": {f.Actor}, "action": {f.Action}, "target_kind": {f.TargetKind}, "target_id": {f.TargetID},
			"from": {f.From}, "to": {f.To}, "before": {strconv.FormatUint(list[len(list)-1].ID, 10)}}
		body.Older = "/console/audit?" + next.Encode()
	}
	body.Entries = list
	con.render(c, http.StatusOK, "audit", pageData{Title: "审计", Nav: "audit", Body: body})
}
