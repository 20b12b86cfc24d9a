package console

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"lingong/model"
)

// CorrectionStore is what the 记录更正 page needs from the model.
type CorrectionStore interface {
	Corrections(ctx context.Context, scope model.Scope, limit int) ([]model.CorrectionCase, error)
	DecideCorrection(ctx context.Context, scope model.Scope, id uint64, accept bool, note string) (*model.CorrectionCase, error)
}

// 记录更正: the requests of the staff member's area to correct an entry of a record — a no-show that was not
// one, a late cancellation the worker agreed to — open ones first (model.Corrections, as GET
// /api/v1/admin/corrections), each with the day's attendance; staff accept or refuse with a note the person
// reads (model.DecideCorrection, as POST …/:id/accept|refuse), audited.

type correctionsBody struct {
	Cases []model.CorrectionCase
	Done  string
	// Refused is the refusal shown beside the request it concerns, with the note typed.
	RefusedID uint64
	Problem   *Problem
	Note      string
}

var correctionsDone = map[string]string{
	"accepted": "已同意更正：这条记录不再计数，对方会收到通知。",
	"refused":  "已答复不同意，对方会看到您写的原因。",
}

func (con *Console) correctionsPage(c *gin.Context) {
	con.showCorrections(c, http.StatusOK, correctionsBody{Done: correctionsDone[c.Query("done")]})
}

func (con *Console) showCorrections(c *gin.Context, status int, body correctionsBody) {
	cases, err := con.opts.Corrections.Corrections(c.Request.Context(), scope(c), queueLimit)
	if err != nil {
		con.fail(c, err)
		return
	}
	body.Cases = cases
	con.render(c, status, "corrections", pageData{Title: "记录更正", Nav: "corrections", Body: body})
}

// decideCorrection accepts or refuses a request; a refusal needs a note, shown beside the request if missing.
func (con *Console) decideCorrection(accept bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		note := strings.TrimSpace(c.PostForm("note"))
		cc, err := con.opts.Corrections.DecideCorrection(c.Request.Context(), scope(c), pathID(c), accept, note)
		if err != nil {
			p := con.opts.Explain(err)
			if p.Status >= 500 || errors.Is(err, model.ErrNotFound) {
				con.fail(c, err)
				return
			}
			if errors.Is(err, model.ErrConflictOfInterest) {
				con.audit(c, session(c), "refused (conflict of interest) "+c.Request.Method+" "+c.FullPath(), "record_corrections", c.Param("id"), "")
			}
			con.showCorrections(c, p.Status, correctionsBody{RefusedID: pathID(c), Problem: &p, Note: note})
			return
		}
		done := "refused"
		if accept {
			done = "accepted"
		}
		con.audit(c, session(c), c.Request.Method+" "+c.FullPath(), "record_corrections", c.Param("id"), cc.Kind+" "+cc.Day+" "+note)
		c.Redirect(http.StatusSeeOther, "/console/corrections?done="+done)
	}
}

// Words for the template.

func correctionKind(kind string) string {
	if kind == model.EventLateCancel {
		return "雇主当天取消"
	}
	return "没到岗"
}

func correctionState(status string) string {
	if w, ok := map[string]string{model.CorrectionOpen: "待处理", model.CorrectionAccepted: "已同意更正", model.CorrectionRefused: "不同意"}[status]; ok {
		return w
	}
	return status
}
