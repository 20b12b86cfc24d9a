package console

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"lingong/model"
)

// EnforcementStore is what taking a gig down, suspending and reinstating an employer, and the identity reveal
// need from the model.
type EnforcementStore interface {
	GigForStaff(ctx context.Context, scope model.Scope, gigID uint64) (*model.GigDetail, error)
	EmployerIdentity(ctx context.Context, scope model.Scope, employerID uint64) (*model.EmployerView, error)
	EmployerInArea(ctx context.Context, scope model.Scope, employerID uint64) (*model.Employer, error)
	TakeDownGig(ctx context.Context, scope model.Scope, gigID uint64, reason string) (*model.Gig, error)
	SuspendEmployer(ctx context.Context, scope model.Scope, employerID uint64, reason string) (*model.EmployerView, error)
	ReinstateEmployer(ctx context.Context, scope model.Scope, employerID uint64) (*model.EmployerView, error)
}

// Taking a live gig down, suspending an employer and lifting it: each button on the 审核 page opens a page
// that shows what will happen and asks for the reason (a confirm step without script, which the CSP forbids
// inline), and its form posts back to the same address. The model functions are the API's admin routes'.

// confirmBody is a confirm page: what is acted on, what will follow, and the form.
type confirmBody struct {
	Heading string
	Facts   [][2]string
	// Consequence says, before the click, what the employer and the workers will see.
	Consequence string
	Action      string
	// Hidden are the fields the confirmed form posts again (name, value).
	Hidden [][2]string
	// ReasonLabel asks for the reason the employer reads; empty when the action takes none.
	ReasonLabel string
	Reason      string
	Button      string
	Back        string
	Problem     *Problem
}

func (con *Console) takeDownPage(c *gin.Context) { con.confirmTakeDown(c, http.StatusOK, "", nil) }

func (con *Console) confirmTakeDown(c *gin.Context, status int, reason string, p *Problem) {
	g, err := con.opts.Enforcement.GigForStaff(c.Request.Context(), scope(c), pathID(c))
	if err != nil {
		con.fail(c, err)
		return
	}
	con.render(c, status, "confirm", pageData{Title: "撤下招工", Nav: "review", Body: confirmBody{
		Heading: "撤下这条招工？",
		Facts: [][2]string{{"招工", g.Title}, {"编号", fmt.Sprint(g.ID)}, {"雇主", g.EmployerName},
			{"地点", areaName(g.AreaCode) + " · " + g.Address}, {"已录用", fmt.Sprintf("%d / %d 人", g.Confirmed, g.Headcount)}},
		Consequence: "撤下后工人看不到这条招工；报了名和已录用的工人会收到“已撤下”的通知，报名作废。雇主在小程序里看到下面写的原因，改好后可以重新提交审核。",
		Action:      c.Request.URL.Path, ReasonLabel: "撤下的原因（雇主会看到，200字以内）", Reason: reason,
		Button: "确认撤下", Back: "/console/review?kind=live", Problem: p}})
}

func (con *Console) takeDown(c *gin.Context) {
	reason := strings.TrimSpace(c.PostForm("reason"))
	g, err := con.opts.Enforcement.TakeDownGig(c.Request.Context(), scope(c), pathID(c), reason)
	if err != nil {
		con.refusedConfirm(c, "gigs", err, func(status int, p *Problem) { con.confirmTakeDown(c, status, reason, p) })
		return
	}
	if err := con.opts.Index.Refresh(c.Request.Context(), g.ID); err != nil {
		con.opts.Logger(c).Warn("refreshing the gig index", slog.Uint64("gig_id", g.ID), slog.Any("err", err))
	}
	con.audit(c, session(c), c.Request.Method+" "+c.FullPath(), "gigs", c.Param("id"), reason)
	c.Redirect(http.StatusSeeOther, "/console/review?kind=live&done=gig-taken-down")
}

func (con *Console) suspendPage(c *gin.Context) { con.confirmEmployer(c, http.StatusOK, true, "", nil) }
func (con *Console) reinstatePage(c *gin.Context) {
	con.confirmEmployer(c, http.StatusOK, false, "", nil)
}

func (con *Console) confirmEmployer(c *gin.Context, status int, suspend bool, reason string, p *Problem) {
	// The page shows the public name only, and reads no more: the identity stays sealed, so it is not an
	// audited read.
	e, err := con.opts.Enforcement.EmployerInArea(c.Request.Context(), scope(c), pathID(c))
	if err != nil {
		con.fail(c, err)
		return
	}
	facts := [][2]string{{"雇主", e.DisplayName}, {"编号", fmt.Sprint(e.ID)}, {"地点", areaName(e.AreaCode) + " · " + e.Address}}
	body := confirmBody{Facts: facts, Action: c.Request.URL.Path, Reason: reason, Problem: p}
	if suspend {
		body.Heading, body.Button, body.Back = "暂停这个雇主的招工资格？", "确认暂停", "/console/review?kind=live"
		body.Consequence = "暂停后，这个雇主在招的活全部暂停（工人看不到，报了名的工人会收到通知），雇主不能发布、修改招工，也不能改登记信息，直到工作人员恢复。雇主在小程序里看到下面写的原因。"
		body.ReasonLabel = "暂停的原因（雇主会看到，200字以内）"
		con.render(c, status, "confirm", pageData{Title: "暂停雇主", Nav: "review", Body: body})
		return
	}
	body.Heading, body.Button, body.Back = "恢复这个雇主的招工资格？", "确认恢复", "/console/review?kind=suspended"
	body.Consequence = "恢复后，暂停的活重新上架（已过结束日期的就此结束），报了名的工人会收到恢复的通知，雇主可以重新发布招工。原来的暂停原因：" + e.RejectReason
	con.render(c, status, "confirm", pageData{Title: "恢复雇主", Nav: "review", Body: body})
}

func (con *Console) moveEmployer(suspend bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		ctx, reason := c.Request.Context(), strings.TrimSpace(c.PostForm("reason"))
		var err error
		done := "employer-suspended"
		if suspend {
			_, err = con.opts.Enforcement.SuspendEmployer(ctx, scope(c), pathID(c), reason)
		} else {
			done, reason = "employer-reinstated", ""
			_, err = con.opts.Enforcement.ReinstateEmployer(ctx, scope(c), pathID(c))
		}
		if err != nil {
			con.refusedConfirm(c, "employers", err, func(status int, p *Problem) { con.confirmEmployer(c, status, suspend, reason, p) })
			return
		}
		// The employer's gigs leave (or come back to) every index with the change feed, within its second.
		con.audit(c, session(c), c.Request.Method+" "+c.FullPath(), "employers", c.Param("id"), reason)
		back := "live"
		if !suspend {
			back = "suspended"
		}
		c.Redirect(http.StatusSeeOther, "/console/review?kind="+back+"&done="+done)
	}
}

// refusedConfirm shows the confirm page again with why the model refused, what was typed kept; a server
// fault is a plain 5xx. A refusal as the staff member's own business goes on the record, as in the API.
func (con *Console) refusedConfirm(c *gin.Context, kind string, err error, again func(int, *Problem)) {
	p := con.opts.Explain(err)
	if p.Status >= 500 || errors.Is(err, model.ErrNotFound) {
		con.fail(c, err)
		return
	}
	if errors.Is(err, model.ErrConflictOfInterest) {
		con.audit(c, session(c), "refused (conflict of interest) "+c.Request.Method+" "+c.FullPath(), kind, c.Param("id"), "")
	}
	again(p.Status, &p)
}

// shownIdentity is an employer's full identity, opened on an explicit click and audited.
type shownIdentity struct {
	EmployerID              uint64
	Name, IDNumber, Phone   string
	CreditCode, ContactName string
}

// revealEmployer shows the 审核 page again with one employer's full identity in its card. It is a POST with
// the form token, never a link: a read of personal data is an act the audit log names, not a prefetch.
func (con *Console) revealEmployer(c *gin.Context) {
	e, err := con.opts.Enforcement.EmployerIdentity(c.Request.Context(), scope(c), pathID(c))
	if err != nil {
		con.fail(c, err)
		return
	}
	if err := con.auditRead(c, session(c), "read employer identity", "employers", c.Param("id"), "full name, ID number and contact phone"); err != nil {
		con.fail(c, err)
		return
	}
	name := e.LegalName
	if name == "" {
		name = e.DisplayName
	}
	c.Header("Cache-Control", "no-store")
	con.showReviewWith(c, http.StatusOK, c.PostForm("kind"), refusal{},
		&shownIdentity{EmployerID: e.ID, Name: name, IDNumber: e.IDNumber, Phone: e.ContactPhone, CreditCode: e.CreditCode, ContactName: e.ContactName})
}
