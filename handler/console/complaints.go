package console

import (
	"context"
	"errors"
	"net/http"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"lingong/model"
)

// ComplaintStore is what the 投诉 pages need from the model.
type ComplaintStore interface {
	StaffComplaints(ctx context.Context, scope model.Scope, status string, overdueOnly bool) ([]model.Complaint, error)
	ComplaintForStaff(ctx context.Context, scope model.Scope, id uint64) (*model.ComplaintView, error)
	MoveComplaint(ctx context.Context, scope model.Scope, id uint64, to, note string) (*model.ComplaintView, error)
	ShareComplaint(ctx context.Context, scope model.Scope, id uint64) (*model.ComplaintView, error)
	UploadFor(ctx context.Context, u *model.User, id uint64) (*model.Upload, error)
}

// 投诉: the complaints of the staff member's area (model.StaffComplaints, as GET /api/v1/admin/complaints),
// each on its own page with its photos, its timeline, the next steps with a note (model.MoveComplaint, as
// POST /admin/complaints/:id/status) and sharing with the employer (model.ShareComplaint).

// complaintRow is one line of the list.
type complaintRow struct {
	model.Complaint
	Overdue bool
}

type complaintsBody struct {
	Rows []complaintRow
	// Filter is the status shown, "" for all, "overdue" for the overdue only.
	Filter string
}

// complaintBody is a complaint's page.
type complaintBody struct {
	View    *model.ComplaintView
	Overdue bool
	Steps   []string
	Done    string
	Problem *Problem
	// Note and To are what was typed before a refusal, kept.
	Note, To string
}

var complaintDone = map[string]string{
	"moved":  "已办理，投诉人会收到进度通知。",
	"shared": "已转给雇主，雇主在小程序“涉及我的投诉”里能看到。",
}

func (con *Console) complaintsPage(c *gin.Context) {
	filter := c.Query("status")
	status, overdueOnly := filter, false
	switch filter {
	case "overdue":
		status, overdueOnly = "", true
	case model.CaseSubmitted, model.CaseReturned, model.CaseAccepted, model.CaseProcessing, model.CaseResolved, model.CaseRejected, model.CaseClosed:
	default:
		filter, status = "", ""
	}
	list, err := con.opts.Complaints.StaffComplaints(c.Request.Context(), scope(c), status, overdueOnly)
	if err != nil {
		con.fail(c, err)
		return
	}
	now := con.opts.Now()
	rows := make([]complaintRow, len(list))
	for i := range list {
		rows[i] = complaintRow{Complaint: list[i], Overdue: list[i].Overdue(now)}
	}
	// Overdue first, then the cases still open, then the finished; within each, the model's order (deadline).
	rank := func(r complaintRow) int {
		switch {
		case r.Overdue:
			return 0
		case r.Status == model.CaseResolved || r.Status == model.CaseRejected || r.Status == model.CaseClosed:
			return 2
		}
		return 1
	}
	slices.SortStableFunc(rows, func(a, b complaintRow) int { return rank(a) - rank(b) })
	con.render(c, http.StatusOK, "complaints", pageData{Title: "投诉", Nav: "complaints", Body: complaintsBody{Rows: rows, Filter: filter}})
}

func (con *Console) complaintPage(c *gin.Context) {
	con.showComplaint(c, http.StatusOK, complaintBody{Done: complaintDone[c.Query("done")]})
}

func (con *Console) showComplaint(c *gin.Context, status int, body complaintBody) {
	v, err := con.opts.Complaints.ComplaintForStaff(c.Request.Context(), scope(c), pathID(c))
	if err != nil {
		con.fail(c, err)
		return
	}
	body.View, body.Overdue, body.Steps = v, v.Overdue(con.opts.Now()), model.ComplaintNextSteps(v.Status)
	con.render(c, status, "complaint", pageData{Title: "投诉 " + strconv.FormatUint(v.ID, 10), Nav: "complaints", Body: body})
}

// moveComplaint is a step with its note; a refusal shows on the complaint's page with what was typed.
func (con *Console) moveComplaint(c *gin.Context) {
	to, note := c.PostForm("to"), strings.TrimSpace(c.PostForm("note"))
	if _, err := con.opts.Complaints.MoveComplaint(c.Request.Context(), scope(c), pathID(c), to, note); err != nil {
		con.refusedComplaint(c, err, complaintBody{Note: note, To: to})
		return
	}
	con.audit(c, session(c), c.Request.Method+" "+c.FullPath(), "complaints", c.Param("id"), to)
	c.Redirect(http.StatusSeeOther, "/console/complaints/"+c.Param("id")+"?done=moved")
}

func (con *Console) shareComplaint(c *gin.Context) {
	if _, err := con.opts.Complaints.ShareComplaint(c.Request.Context(), scope(c), pathID(c)); err != nil {
		con.refusedComplaint(c, err, complaintBody{})
		return
	}
	con.audit(c, session(c), c.Request.Method+" "+c.FullPath(), "complaints", c.Param("id"), "")
	c.Redirect(http.StatusSeeOther, "/console/complaints/"+c.Param("id")+"?done=shared")
}

func (con *Console) refusedComplaint(c *gin.Context, err error, body complaintBody) {
	p := con.opts.Explain(err)
	if p.Status >= 500 || errors.Is(err, model.ErrNotFound) {
		con.fail(c, err)
		return
	}
	if errors.Is(err, model.ErrConflictOfInterest) {
		con.audit(c, session(c), "refused (conflict of interest) "+c.Request.Method+" "+c.FullPath(), "complaints", c.Param("id"), "")
	}
	body.Problem = &p
	con.showComplaint(c, p.Status, body)
}

// complaintPhoto serves a photo of a complaint to the console through its session: the photo must be one of
// this complaint's, and the complaint in the staff member's area (model.UploadFor decides that again, as for
// the API). The API's photo route takes the mini-program's token, which the console never holds.
func (con *Console) complaintPhoto(c *gin.Context) {
	ctx := c.Request.Context()
	v, err := con.opts.Complaints.ComplaintForStaff(ctx, scope(c), pathID(c))
	if err != nil {
		con.fail(c, err)
		return
	}
	photo, _ := strconv.ParseUint(c.Param("photo"), 10, 64)
	if !slices.Contains(v.PhotoIDs, photo) {
		con.fail(c, model.ErrNotFound)
		return
	}
	up, err := con.opts.Complaints.UploadFor(ctx, &model.User{ID: session(c).UserID}, photo)
	if err != nil {
		con.fail(c, err)
		return
	}
	c.Header("Content-Type", up.ContentType)
	c.File(filepath.Join(con.opts.UploadDir, filepath.Base(up.Name)))
}

// Words for the templates.

func caseWord(status string) string {
	if w, ok := map[string]string{model.CaseSubmitted: "待受理", model.CaseReturned: "退回修改", model.CaseAccepted: "已受理",
		model.CaseProcessing: "办理中", model.CaseResolved: "已解决", model.CaseRejected: "不予受理", model.CaseClosed: "已结束"}[status]; ok {
		return w
	}
	return status
}

// stepWord is the button of a step.
func stepWord(to string) string {
	if w, ok := map[string]string{model.CaseAccepted: "受理", model.CaseProcessing: "开始办理", model.CaseResolved: "办结（已解决）",
		model.CaseRejected: "不予受理", model.CaseClosed: "结束"}[to]; ok {
		return w
	}
	return to
}

func complaintCategory(cat string) string {
	if w, ok := map[string]string{model.ComplaintWageArrears: "欠薪", model.ComplaintDiscrimination: "就业歧视",
		model.ComplaintFalsePosting: "虚假招聘", model.ComplaintFees: "收费押金", model.ComplaintSafety: "安全", model.ComplaintOther: "其他"}[cat]; ok {
		return w
	}
	return cat
}

func actorWord(role string) string {
	switch role {
	case "complainant":
		return "投诉人"
	case "staff":
		return "工作人员"
	}
	return "系统"
}

func day(t time.Time) string { return t.In(model.Shanghai).Format("1月2日") }
