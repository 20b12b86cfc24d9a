package console

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"lingong/model"
)

// WindowStore is what the 窗口服务 pages need from the model; POST /api/v1/admin/workers, its binding-code,
// on-behalf application and call routes call the same functions.
type WindowStore interface {
	Categories(ctx context.Context) ([]model.Category, error)
	RegisterWalkIn(ctx context.Context, scope model.Scope, in model.WalkIn) (*model.Worker, error)
	IssueBindingCode(ctx context.Context, scope model.Scope, workerID uint64) (*model.Slip, error)
	WorkerIdentity(ctx context.Context, scope model.Scope, workerID uint64) (*model.Identity, error)
	Markets(ctx context.Context, near *model.Place, areaCode string) ([]model.Market, error)
	ApplyOnBehalf(ctx context.Context, scope model.Scope, workerID, gigID uint64) (*model.Application, error)
	RecordCall(ctx context.Context, scope model.Scope, applicationID uint64, note string) error
}

// 窗口服务: a person without a smartphone registered at the window with their consent on record (a photo of
// the signed form from the PC's camera or a file, or spoken consent with a note), then the slip printed with
// the 认领号 and 绑定码 with which they or their family claim the profile in the mini-program; and, for a
// walk-in, applying to a gig on their behalf and noting the call that told them the result.

// photoFormBytes is the largest registration form the console reads. It is well above the 5 MiB a photo may
// be, so that a phone's larger photo reaches SavePhoto and is refused beside the photo with the form kept,
// rather than by the body limit's bare answer.
const photoFormBytes = 16 << 20

// photoForms are the routes whose body may carry a photo (Route.MaxBody).
var photoForms = map[string]int64{http.MethodPost + " /console/window": photoFormBytes}

var walkInFields = []string{"name", "id_number", "phone", "area_code", "wage", "consent_method", "consent_note", "photo_id",
	"wants_registration", "request_difficulty"}

type windowBody struct {
	Form       map[string]string
	Skills     map[uint64]bool
	Days       map[int]bool
	Categories []model.Category
	Counties   []model.Area
	Problem    *Problem
	// Worker is the walk-in acted for (?worker=): the on-behalf forms are shown for them.
	Worker uint64
	// Done is what was just done (a key of windowDone), said at the top of the page.
	Done     string
	Weekdays []int
}

func windowDoneWord(key string) string { return windowDone[key] }

type slipBody struct {
	WorkerNo uint64
	Name     string
	IDNumber string
	Phone    string
	Slip     *model.Slip
	Market   *model.Market
	// Again: printed again for a lost slip, whose code no longer works.
	Again bool
}

var windowDone = map[string]string{
	"applied": "已代为报名。雇主录用或不录用后，请打电话告诉本人，再在下面记一笔。",
	"called":  "电话已记下，本人在小程序“别人替我做过什么”里也能看到。",
}

func (con *Console) windowRoutes(signedIn, signedInChange []gin.HandlerFunc) []Route {
	with := func(chain []gin.HandlerFunc, h gin.HandlerFunc) []gin.HandlerFunc {
		return append(append([]gin.HandlerFunc{}, chain...), h)
	}
	return []Route{
		{Method: http.MethodGet, Path: "/console/window", Summary: "窗口服务：为没有智能手机的人登记（本人同意，拍照或选文件），代为报名", Handlers: with(signedIn, con.windowPage)},
		{Method: http.MethodPost, Path: "/console/window", Summary: "窗口登记并打印绑定码纸条", Handlers: with(signedInChange, con.registerWalkIn)},
		{Method: http.MethodPost, Path: "/console/window/workers/:id/slip", Summary: "重新打印绑定码纸条（原来的作废）", Handlers: with(signedInChange, con.reprintSlip)},
		{Method: http.MethodPost, Path: "/console/window/workers/:id/applications", Summary: "代为报名一份零工", Handlers: with(signedInChange, con.applyForWalkIn)},
		{Method: http.MethodPost, Path: "/console/window/calls", Summary: "记录打电话告知报名结果", Handlers: with(signedInChange, con.recordCall)},
	}
}

func (con *Console) windowPage(c *gin.Context) {
	worker, _ := strconv.ParseUint(c.Query("worker"), 10, 64)
	form := map[string]string{"area_code": areaOf(scope(c)), "consent_method": "paper", "application": c.Query("application")}
	con.showWindow(c, http.StatusOK, windowBody{Form: form, Worker: worker, Done: c.Query("done")})
}

func (con *Console) showWindow(c *gin.Context, status int, body windowBody) {
	cats, err := con.opts.Window.Categories(c.Request.Context())
	if err != nil {
		con.fail(c, err)
		return
	}
	if _, ok := windowDone[body.Done]; !ok {
		body.Done = ""
	}
	body.Categories, body.Counties, body.Weekdays = cats, countiesOf(areaOf(scope(c))), []int{1, 2, 3, 4, 5, 6, 7}
	if body.Skills == nil {
		body.Skills, body.Days = map[uint64]bool{}, map[int]bool{}
	}
	con.render(c, status, "window", pageData{Title: "窗口服务", Nav: "window", Body: body})
}

// registerWalkIn keeps the photo first (so that a refusal of another field does not ask for it again: its id
// goes back in the form), registers the person through model.RegisterWalkIn and prints their slip at once:
// the code is shown this once and never stored.
func (con *Console) registerWalkIn(c *gin.Context) {
	ctx, sc := c.Request.Context(), scope(c)
	form := readForm(c, walkInFields)
	body := windowBody{Form: form, Skills: map[uint64]bool{}, Days: map[int]bool{}}
	in := model.WalkIn{Worker: model.WorkerInput{Name: form["name"], IDNumber: form["id_number"], AreaCode: form["area_code"],
		WantsRegistration: form["wants_registration"] == "1", RequestDifficulty: form["request_difficulty"] == "1"},
		Phone: form["phone"], ConsentMethod: form["consent_method"], ConsentNote: form["consent_note"]}
	for _, v := range c.PostFormArray("skill") {
		if id := number(v); id != 0 {
			in.Worker.SkillIDs = append(in.Worker.SkillIDs, id)
			body.Skills[id] = true
		}
	}
	for _, v := range c.PostFormArray("day") {
		if d, err := strconv.Atoi(v); err == nil && d >= 1 && d <= 7 {
			in.Worker.AvailableDays |= 1 << (d - 1)
			body.Days[d] = true
		}
	}
	unread := map[string]string{}
	if form["wage"] != "" {
		var ok bool
		if in.Worker.ExpectedWageCents, ok = parseYuan(form["wage"]); !ok {
			unread["expected_wage_cents"] = "期望日薪写元，如 200"
		}
	}
	if len(in.Worker.SkillIDs) == 0 {
		unread["skills"] = "请至少选一个会做的工种"
	}
	if fh, err := c.FormFile("photo"); err == nil && form["consent_method"] == "paper" {
		up, err := con.opts.SavePhoto(ctx, sc.UserID, fh)
		if err != nil {
			p := con.opts.Explain(err)
			if p.Status >= 500 {
				con.fail(c, err)
				return
			}
			unread["consent.photo"] = p.Message
		} else {
			form["photo_id"] = strconv.FormatUint(up.ID, 10)
			con.audit(c, session(c), "upload consent photo", "uploads", form["photo_id"], "")
		}
	}
	if id := number(form["photo_id"]); id != 0 && form["consent_method"] == "paper" {
		in.ConsentPhoto = &id
	}
	var w *model.Worker
	var err error
	if len(unread) == 0 {
		w, err = con.opts.Window.RegisterWalkIn(ctx, sc, in)
	}
	if err != nil || len(unread) > 0 {
		if p, ok := con.refusal(c, err, unread); ok {
			body.Problem = p
			con.showWindow(c, p.Status, body)
		}
		return
	}
	id := strconv.FormatUint(w.UserID, 10)
	con.audit(c, session(c), c.Request.Method+" "+c.FullPath(), "workers", id, in.ConsentMethod)
	con.showSlip(c, w.UserID, slipBody{Name: w.Name, IDNumber: model.MaskIDNumber(w.IDNumber), Phone: model.MaskPhone(in.Phone)}, w.AreaCode)
}

// reprintSlip makes a new slip for a walk-in whose slip was lost; the earlier code stops working. The slip
// names the person, so their identity is opened (for staff of their area only) and the read audited.
func (con *Console) reprintSlip(c *gin.Context) {
	id := pathID(c)
	who, err := con.opts.Window.WorkerIdentity(c.Request.Context(), scope(c), id)
	if err != nil {
		con.fail(c, err)
		return
	}
	if err := con.auditRead(c, session(c), "read worker identity (slip printed again)", "workers", c.Param("id"), ""); err != nil {
		con.fail(c, err)
		return
	}
	con.showSlip(c, id, slipBody{Name: who.Name, IDNumber: model.MaskIDNumber(who.IDNumber), Phone: model.MaskPhone(who.Phone), Again: true}, who.AreaCode)
}

// showSlip issues the binding code and draws the print-styled slip with the market's contact.
func (con *Console) showSlip(c *gin.Context, workerID uint64, body slipBody, areaCode string) {
	ctx := c.Request.Context()
	slip, err := con.opts.Window.IssueBindingCode(ctx, scope(c), workerID)
	if err != nil {
		con.fail(c, err)
		return
	}
	con.audit(c, session(c), "issue binding code (console)", "workers", strconv.FormatUint(workerID, 10), "")
	body.WorkerNo, body.Slip = workerID, slip
	markets, err := con.opts.Window.Markets(ctx, nil, areaCode)
	if err == nil && len(markets) == 0 {
		// No market in the person's county: the staff member's own area's.
		markets, err = con.opts.Window.Markets(ctx, nil, areaOf(scope(c)))
	}
	if err != nil {
		con.fail(c, err)
		return
	}
	for i := range markets {
		if body.Market == nil || markets[i].Kind == model.MarketKindMarket && body.Market.Kind != model.MarketKindMarket {
			body.Market = &markets[i]
		}
	}
	con.render(c, http.StatusOK, "slip", pageData{Title: "绑定码纸条", Nav: "window", Body: body})
}

func (con *Console) applyForWalkIn(c *gin.Context) {
	worker := pathID(c)
	gig := number(c.PostForm("gig_id"))
	app, err := con.opts.Window.ApplyOnBehalf(c.Request.Context(), scope(c), worker, gig)
	if err != nil {
		con.windowRefused(c, worker, err, map[string]string{"gig_id": c.PostForm("gig_id")})
		return
	}
	if err := con.opts.Index.Refresh(c.Request.Context(), gig); err != nil {
		con.opts.Logger(c).Warn("refreshing the gig index", slog.Uint64("gig_id", gig), slog.Any("err", err))
	}
	con.audit(c, session(c), c.Request.Method+" "+c.FullPath(), "applications", strconv.FormatUint(app.ID, 10),
		"worker "+c.Param("id")+" gig "+c.PostForm("gig_id"))
	c.Redirect(http.StatusSeeOther, "/console/window?worker="+c.Param("id")+"&application="+strconv.FormatUint(app.ID, 10)+"&done=applied#behalf")
}

func (con *Console) recordCall(c *gin.Context) {
	worker := number(c.PostForm("worker"))
	application := strings.TrimSpace(c.PostForm("application"))
	if err := con.opts.Window.RecordCall(c.Request.Context(), scope(c), number(application), c.PostForm("note")); err != nil {
		con.windowRefused(c, worker, err, map[string]string{"note": c.PostForm("note"), "application": application})
		return
	}
	con.audit(c, session(c), c.Request.Method+" "+c.FullPath(), "applications", application, c.PostForm("note"))
	c.Redirect(http.StatusSeeOther, "/console/window?worker="+strconv.FormatUint(worker, 10)+"&done=called#behalf")
}

// windowRefused shows an on-behalf refusal beside its form with what was typed kept.
func (con *Console) windowRefused(c *gin.Context, worker uint64, err error, typed map[string]string) {
	p := con.opts.Explain(err)
	if p.Status >= 500 || errors.Is(err, model.ErrNotFound) && len(p.Fields) == 0 {
		con.fail(c, err)
		return
	}
	form := map[string]string{"area_code": areaOf(scope(c)), "consent_method": "paper"}
	for k, v := range typed {
		form[k] = v
	}
	con.showWindow(c, p.Status, windowBody{Form: form, Worker: worker, Problem: &p})
}

func weekdayWord(d int) string {
	return [...]string{"", "一", "二", "三", "四", "五", "六", "日"}[d]
}

// slipExpiry is when a slip's code stops working, as printed.
func slipExpiry(t time.Time) string { return t.In(model.Shanghai).Format("2006年1月2日 15:04") }
