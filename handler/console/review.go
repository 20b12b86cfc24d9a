package console

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"lingong/model"
)

// ReviewStore is what the 审核 page's queues and decisions need from the model; the API's review routes call
// the same functions.
type ReviewStore interface {
	PendingGigs(ctx context.Context, scope model.Scope, limit int) ([]model.GigDetail, error)
	PendingEmployers(ctx context.Context, scope model.Scope, limit int) ([]model.EmployerView, error)
	DecideGig(ctx context.Context, scope model.Scope, gigID uint64, approve bool, reason string) (*model.Gig, error)
	DecideEmployer(ctx context.Context, scope model.Scope, employerID uint64, approve bool, reason string) (*model.EmployerView, error)
	LiveGigs(ctx context.Context, scope model.Scope, limit int) ([]model.GigDetail, error)
	SuspendedEmployers(ctx context.Context, scope model.Scope, limit int) ([]model.EmployerView, error)
}

// queueLimit is how much of each queue one page shows, as the API's review route does.
const queueLimit = 100

// reviewBody is the 审核 page: both queues of the staff member's area, and, after a refused decision, the
// refusal shown in the card it concerns with what was typed kept.
type reviewBody struct {
	// Kind is the tab shown: gig and employer (the queues), live (gigs on the market, to take down or suspend
	// their employer), suspended (employers to lift).
	Kind      string
	Gigs      []model.GigDetail
	Employers []model.EmployerView
	Live      []model.GigDetail
	Suspended []model.EmployerView
	Done      string
	Refused   refusal
	// Identity is the one employer whose full identity the staff member asked to see, or nil.
	Identity *shownIdentity
}

// identityBlock is what a card's identity block needs: the identity if shown, else the button's form.
type identityBlock struct {
	EmployerID  uint64
	Shown       *shownIdentity
	Token, Kind string
}

// identityArgs builds a card's identity block (templates pass one value to a sub-template).
func identityArgs(b reviewBody, employerID uint64, token, kind string) identityBlock {
	out := identityBlock{EmployerID: employerID, Token: token, Kind: kind}
	if b.Identity != nil && b.Identity.EmployerID == employerID {
		out.Shown = b.Identity
	}
	return out
}

// refusal is a decision the model refused; the zero value is none.
type refusal struct {
	Kind    string
	ID      uint64
	Problem Problem
	Reason  string
	// Shown: the card it concerns is on the page (else the refusal shows above the queue).
	Shown bool
}

// For reports whether the refusal concerns this card.
func (r refusal) For(kind string, id uint64) bool { return r.Kind == kind && r.ID == id }

// Field is the refusal's message for one field of this card's forms.
func (r refusal) Field(kind string, id uint64, field string) string {
	if !r.For(kind, id) {
		return ""
	}
	return r.Problem.Fields[field]
}

// doneNotes are what the page says after a decision went through (redirected after the post, so that a
// reload does not post again).
var doneNotes = map[string]string{
	"gig-approved":        "已通过，招工已发布，工人现在能看到。",
	"gig-rejected":        "已驳回，雇主会收到驳回原因。",
	"employer-approved":   "雇主已通过审核，可以发布招工了。",
	"employer-rejected":   "已驳回，雇主会收到原因。",
	"gig-taken-down":      "已撤下，雇主会收到原因，报了名的工人会收到通知。",
	"employer-suspended":  "雇主已暂停，在招的活都已暂停，雇主会收到原因。",
	"employer-reinstated": "雇主已恢复，暂停的活重新上架。",
}

func (con *Console) reviewPage(c *gin.Context) {
	con.showReview(c, http.StatusOK, c.Query("kind"), refusal{})
}

func (con *Console) showReview(c *gin.Context, status int, kind string, refused refusal) {
	con.showReviewWith(c, status, kind, refused, nil)
}

func (con *Console) showReviewWith(c *gin.Context, status int, kind string, refused refusal, identity *shownIdentity) {
	ctx, sc := c.Request.Context(), scope(c)
	switch kind {
	case "employer", "live", "suspended":
	default:
		kind = "gig"
	}
	gigs, err := con.opts.Review.PendingGigs(ctx, sc, queueLimit)
	if err != nil {
		con.fail(c, err)
		return
	}
	emps, err := con.opts.Review.PendingEmployers(ctx, sc, queueLimit)
	if err != nil {
		con.fail(c, err)
		return
	}
	live, err := con.opts.Review.LiveGigs(ctx, sc, queueLimit)
	if err != nil {
		con.fail(c, err)
		return
	}
	suspended, err := con.opts.Review.SuspendedEmployers(ctx, sc, queueLimit)
	if err != nil {
		con.fail(c, err)
		return
	}
	for _, g := range gigs {
		refused.Shown = refused.Shown || refused.For("gig", g.ID)
	}
	for _, e := range emps {
		refused.Shown = refused.Shown || refused.For("employer", e.ID)
	}
	con.render(c, status, "review", pageData{Title: "审核", Nav: "review",
		Body: reviewBody{Kind: kind, Gigs: gigs, Employers: emps, Live: live, Suspended: suspended, Done: doneNotes[c.Query("done")],
			Refused: refused, Identity: identity}})
}

// decideGig approves or rejects a gig of the staff member's area with model.DecideGig, as the API's admin
// route does: a flagged gig is approved only with an override reason, which goes on the record.
func (con *Console) decideGig(approve bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		id, reason := pathID(c), decisionReason(c, approve)
		g, err := con.opts.Review.DecideGig(c.Request.Context(), scope(c), id, approve, reason)
		if err != nil {
			con.refused(c, "gig", id, reason, err)
			return
		}
		if err := con.opts.Index.Refresh(c.Request.Context(), g.ID); err != nil {
			con.opts.Logger(c).Warn("refreshing the gig index", slog.Uint64("gig_id", g.ID), slog.Any("err", err))
		}
		con.audit(c, session(c), c.Request.Method+" "+c.FullPath(), "gigs", c.Param("id"), reason)
		if approve && reason != "" && len(g.Checks.Discrimination) > 0 {
			con.audit(c, session(c), "approved over flagged phrases", "gigs", c.Param("id"), reason)
		}
		c.Redirect(http.StatusSeeOther, "/console/review?kind=gig&done=gig-"+verb(approve))
	}
}

func (con *Console) decideEmployer(approve bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		id, reason := pathID(c), decisionReason(c, approve)
		if _, err := con.opts.Review.DecideEmployer(c.Request.Context(), scope(c), id, approve, reason); err != nil {
			con.refused(c, "employer", id, reason, err)
			return
		}
		con.audit(c, session(c), c.Request.Method+" "+c.FullPath(), "employers", c.Param("id"), reason)
		c.Redirect(http.StatusSeeOther, "/console/review?kind=employer&done=employer-"+verb(approve))
	}
}

// decisionReason is what the reviewer wrote: why a flag is wrong (approving), or why not (rejecting).
func decisionReason(c *gin.Context, approve bool) string {
	if approve {
		return strings.TrimSpace(c.PostForm("override_reason"))
	}
	return strings.TrimSpace(c.PostForm("reason"))
}

// refused shows the queue again with the refusal in the card it concerns; a server fault is a plain 5xx.
// A decision refused as the staff member's own business goes on the record, as in the API.
func (con *Console) refused(c *gin.Context, kind string, id uint64, reason string, err error) {
	p := con.opts.Explain(err)
	if p.Status >= 500 {
		con.fail(c, err)
		return
	}
	if errors.Is(err, model.ErrConflictOfInterest) {
		con.audit(c, session(c), "refused (conflict of interest) "+c.Request.Method+" "+c.FullPath(), kind+"s", c.Param("id"), "")
	}
	con.showReview(c, p.Status, kind, refusal{Kind: kind, ID: id, Problem: p, Reason: reason})
}

func verb(approve bool) string {
	if approve {
		return "approved"
	}
	return "rejected"
}

// pathID is the :id of a route; anything but a number finds nothing (0 is no row).
func pathID(c *gin.Context) uint64 {
	id, _ := strconv.ParseUint(c.Param("id"), 10, 64)
	return id
}

// Formatting for the templates.

func yuan(cents int64) string {
	if cents%100 == 0 {
		return strconv.FormatInt(cents/100, 10)
	}
	return fmt.Sprintf("%d.%02d", cents/100, cents%100)
}

func areaName(code string) string {
	if a, ok := model.LookupArea(code); ok {
		return a.FullName()
	}
	return code
}

func wageUnit(unit string) string {
	switch unit {
	case model.WageDay:
		return "元/天"
	case model.WageHour:
		return "元/小时"
	case model.WagePiece:
		return "元/件"
	}
	return "元"
}

// flagKind names the kind of a discriminatory phrase the checks found.
func flagKind(kind string) string {
	if name, ok := map[string]string{"age": "年龄", "sex": "性别", "region": "地域", "ethnicity": "民族", "marriage": "婚育",
		"pregnancy": "孕期", "hukou": "户籍", "health": "健康"}[kind]; ok {
		return name + "歧视"
	}
	return "歧视"
}

// secCheckLabel is WeChat's content check of the text as reviewers read it.
func secCheckLabel(verdict string) string {
	switch verdict {
	case model.SecPass:
		return "微信内容检测：通过"
	case model.SecReview:
		return "微信内容检测：要人工看"
	case model.SecUnchecked:
		return "微信内容检测：未检测，请仔细看"
	}
	return "微信内容检测：还在检测"
}

func clock(t time.Time) string { return t.In(model.Shanghai).Format("1月2日 15:04") }
