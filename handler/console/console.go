// Package console is the staff console at /console/: pages rendered on the server with html/template (which
// escapes everything it prints), plain forms that post back, and one small embedded script for the sign-in
// page's waiting. There is no JavaScript build, so `make run` needs only Go, and every asset is in the binary.
//
// Safety, on every route: a strict Content-Security-Policy (no inline script or style), no framing, no
// caching of pages. On every change: the request must come from a console page (its Origin is this host), and
// a signed-in change must carry the form token derived from the session's cookie, which is HttpOnly and
// SameSite=Strict. Every change is written to the audit log with the staff member, the console session and
// the IP.
package console

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"embed"
	"encoding/hex"
	"errors"
	"html/template"
	"io/fs"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"lingong/model"
)

// SessionStore is what signing in and every signed-in page need: tickets, console sessions, the staff
// member's scope, and the audit log. Each page declares its own store beside it.
type SessionStore interface {
	NewConsoleTicket(ctx context.Context, ip, userAgent string) (scene, browserSecret string, err error)
	ClaimConsoleTicket(ctx context.Context, scene, browserSecret string) (string, *model.ConsoleSession, error)
	OpenDemoConsoleSession(ctx context.Context, openID, ip, userAgent string) (string, *model.ConsoleSession, error)
	ConsoleSessionOf(ctx context.Context, token string) (*model.ConsoleSession, error)
	EndConsoleSession(ctx context.Context, id uint64, reason string) error
	StaffScope(ctx context.Context, userID uint64) (model.Scope, error)
	Audit(ctx context.Context, e model.AuditLog) error
}

// GigIndex is the in-memory index of live gigs; a gig approved here is searchable at once on this instance.
type GigIndex interface {
	Refresh(ctx context.Context, gigIDs ...uint64) error
}

// CodeMaker makes the mini-program code the staff member scans.
type CodeMaker interface {
	MiniProgramCode(ctx context.Context, page, scene string) ([]byte, error)
}

// Problem is an error as the API answers it: status, stable code, a Chinese message, and per-field messages.
type Problem struct {
	Status  int
	Code    string
	Message string
	Fields  map[string]string
}

// Options are what the console is built from; the handler package wires them.
type Options struct {
	Sessions    SessionStore
	Review      ReviewStore
	Enforcement EnforcementStore
	Complaints  ComplaintStore
	Training    TrainingStore
	Insurance   InsuranceStore
	Staff       StaffStore
	Audit       AuditStore
	Calendar    CalendarStore
	Corrections CorrectionStore
	// Limiter counts sign-in codes made per address (the API's limiter, shared through Redis when configured).
	Limiter RateLimiter
	// Networks, when set, are the only networks the console opens from: the market offices'.
	Networks []netip.Prefix
	Publish  PublishStore
	Window   WindowStore
	// SavePhoto keeps an uploaded photo for its owner as the API's uploads do (sniffed type, size, daily quota).
	SavePhoto func(ctx context.Context, ownerID uint64, fh *multipart.FileHeader) (*model.Upload, error)
	Push      PushStore
	Stats     StatsStore
	Index     GigIndex
	WeChat    CodeMaker
	// Development leaves the Secure flag off the cookies (http://localhost) and offers the demo accounts.
	Development bool
	// UploadDir is where uploaded photos are kept (the API's).
	UploadDir string
	// Now is the store's clock, which decides what is overdue.
	Now func() time.Time
	// WeChatDeadline bounds the wait for a mini-program code.
	WeChatDeadline time.Duration
	// Explain turns any error into what the user is told: the API's one table of errors.
	Explain   func(error) Problem
	RequestID func(*gin.Context) string
	Logger    func(*gin.Context) *slog.Logger
}

// Route is one console route, registered by the handler package the way it registers every route.
type Route struct {
	Method, Path, Summary string
	Handlers              []gin.HandlerFunc
}

// MaxBody caps the route's request body: a form carrying a photo takes more than the API's limit, which
// applies when this is zero.
func (r Route) MaxBody() int64 { return photoForms[r.Method+" "+r.Path] }

// Errors the console answers itself; the handler's error table gives each its code and message.
var (
	// ErrCrossSite: a change whose Origin (or Referer) is not this host, or that names none.
	ErrCrossSite = errors.New("console change from another site")
	// ErrFormExpired: a signed-in change without the form token of its session.
	ErrFormExpired = errors.New("console form token missing or wrong")
	// ErrOutsideOffice: the console opened from an address outside the configured office networks.
	ErrOutsideOffice = errors.New("console opened from outside the office networks")
	// ErrTooManyCodes: this address asked for too many sign-in codes lately.
	ErrTooManyCodes = errors.New("too many console sign-in codes from one address")
)

// The page the mini-program opens from the code: it must be in the mini-program's app.json.
const confirmPage = "pages/console/login"

const (
	sessionCookie = "lingong_console"
	ticketCookie  = "lingong_console_ticket"
	cookiePath    = "/console/"
	// formField carries the form token in every signed-in form.
	formField = "form_token"

	ctxSession = "console.session"
	ctxScope   = "console.scope"
	ctxToken   = "console.token"
)

//go:embed templates assets
var files embed.FS

// Console is the built console.
type Console struct {
	opts  Options
	pages map[string]*template.Template
}

// New parses the templates once; a broken template stops the start.
func New(opts Options) (*Console, error) {
	if opts.WeChatDeadline <= 0 {
		opts.WeChatDeadline = 6 * time.Second
	}
	con := &Console{opts: opts, pages: map[string]*template.Template{}}
	funcs := template.FuncMap{"yuan": yuan, "areaName": areaName, "wageUnit": wageUnit, "flagKind": flagKind,
		"secCheck": secCheckLabel, "maskID": model.MaskIDNumber, "maskPhone": model.MaskPhone, "clock": clock, "identityArgs": identityArgs,
		"caseWord": caseWord, "stepWord": stepWord, "complaintCategory": complaintCategory, "actorWord": actorWord, "day": day,
		"kindWord": kindWord, "enrollWord": enrollWord, "markable": markable,
		"incidentWord": incidentWord, "correctionKind": correctionKind, "correctionState": correctionState, "termWord": termWord, "payerWord": payerWord,
		"marketKindWord": marketKindWord, "weekday": weekdayWord, "slipExpiry": slipExpiry, "windowDone": windowDoneWord}
	for _, more := range []template.FuncMap{pushFuncs, statsFuncs} {
		for k, f := range more {
			funcs[k] = f
		}
	}
	for _, name := range []string{"login", "review", "confirm", "complaints", "complaint", "problem",
		"trainings", "training-new", "training", "insurance", "plan", "calendar", "corrections", "audit", "staff",
		"publish", "publish-form", "market", "window", "slip", "push", "push-preview", "push-report", "stats"} {
		t, err := template.New(name).Funcs(funcs).ParseFS(files, "templates/layout.html", "templates/"+name+".html")
		if err != nil {
			return nil, err
		}
		con.pages[name] = t
	}
	return con, nil
}

// Routes lists the console's routes. Every page is under /console/, so the cookies (Path=/console/) never
// travel with API requests.
func (con *Console) Routes() []Route {
	assets, _ := fs.Sub(files, "assets")
	static := http.StripPrefix("/console/assets/", http.FileServer(http.FS(assets)))
	page := []gin.HandlerFunc{con.secure, con.fromOffice}
	change := []gin.HandlerFunc{con.secure, con.fromOffice, con.sameOrigin}
	signedIn := []gin.HandlerFunc{con.secure, con.fromOffice, con.signedIn}
	signedInChange := []gin.HandlerFunc{con.secure, con.fromOffice, con.sameOrigin, con.signedIn, con.formToken}
	admin := []gin.HandlerFunc{con.secure, con.fromOffice, con.signedIn, con.adminOnly}
	adminChange := []gin.HandlerFunc{con.secure, con.fromOffice, con.sameOrigin, con.signedIn, con.formToken, con.adminOnly}
	with := func(chain []gin.HandlerFunc, h gin.HandlerFunc) []gin.HandlerFunc {
		return append(append([]gin.HandlerFunc{}, chain...), h)
	}
	routes := []Route{
		{http.MethodGet, "/console/", "工作台首页（转到审核）", with(signedIn, func(c *gin.Context) { c.Redirect(http.StatusSeeOther, "/console/review") })},
		{http.MethodGet, "/console/assets/*file", "工作台的样式和脚本", []gin.HandlerFunc{con.secure, con.fromOffice, gin.WrapH(static)}},
		{http.MethodGet, "/console/login", "工作台扫码登录页", with(page, con.loginPage)},
		{http.MethodPost, "/console/login/wait", "登录页等待手机确认（轮询）", with(change, con.waitForScan)},
		{http.MethodPost, "/console/logout", "退出工作台", with(signedInChange, con.logout)},
		{http.MethodGet, "/console/review", "审核：招工和雇主的待审核队列（本辖区）", with(signedIn, con.reviewPage)},
		{http.MethodPost, "/console/review/gigs/:id/approve", "审核通过并发布招工", with(signedInChange, con.decideGig(true))},
		{http.MethodPost, "/console/review/gigs/:id/reject", "驳回招工", with(signedInChange, con.decideGig(false))},
		{http.MethodPost, "/console/review/employers/:id/approve", "雇主审核通过", with(signedInChange, con.decideEmployer(true))},
		{http.MethodPost, "/console/review/employers/:id/reject", "雇主审核不通过", with(signedInChange, con.decideEmployer(false))},
		{http.MethodPost, "/console/review/employers/:id/identity", "查看雇主完整身份（记入审计日志）", with(signedInChange, con.revealEmployer)},
		{http.MethodGet, "/console/review/gigs/:id/take-down", "撤下在招的招工：确认页", with(signedIn, con.takeDownPage)},
		{http.MethodPost, "/console/review/gigs/:id/take-down", "撤下在招的招工（写明原因）", with(signedInChange, con.takeDown)},
		{http.MethodGet, "/console/review/employers/:id/suspend", "暂停雇主：确认页", with(signedIn, con.suspendPage)},
		{http.MethodPost, "/console/review/employers/:id/suspend", "暂停雇主的招工资格（写明原因）", with(signedInChange, con.moveEmployer(true))},
		{http.MethodGet, "/console/review/employers/:id/reinstate", "恢复雇主：确认页", with(signedIn, con.reinstatePage)},
		{http.MethodPost, "/console/review/employers/:id/reinstate", "恢复被暂停的雇主", with(signedInChange, con.moveEmployer(false))},
		{http.MethodGet, "/console/complaints", "投诉：本辖区的投诉，逾期未受理的在前", with(signedIn, con.complaintsPage)},
		{http.MethodGet, "/console/complaints/:id", "投诉详情：照片、办理记录、下一步", with(signedIn, con.complaintPage)},
		{http.MethodGet, "/console/complaints/:id/photos/:photo", "投诉的照片（凭工作台登录查看）", with(signedIn, con.complaintPhoto)},
		{http.MethodPost, "/console/complaints/:id/status", "办理投诉：受理、办理中、办结、不予受理、结束，附说明", with(signedInChange, con.moveComplaint)},
		{http.MethodPost, "/console/complaints/:id/share", "把投诉转给涉及的雇主查看", with(signedInChange, con.shareComplaint)},
		{http.MethodGet, "/console/trainings", "培训：本辖区的课程和上课时间", with(signedIn, con.trainingsPage)},
		{http.MethodGet, "/console/trainings/new", "发布培训：填写课程和上课时间", with(signedIn, con.newTrainingPage)},
		{http.MethodPost, "/console/trainings", "发布培训（订单式或菜单式，附上课时间）", with(signedInChange, con.publishTraining)},
		{http.MethodGet, "/console/trainings/:id", "培训详情：每个上课时间的报名名单", with(signedIn, con.trainingPage)},
		{http.MethodGet, "/console/trainings/:id/edit", "修改培训：课程和上课时间（已有人报名的时间不能删）", with(signedIn, con.editTrainingPage)},
		{http.MethodPost, "/console/trainings/:id", "保存培训的修改", with(signedInChange, con.publishTraining)},
		{http.MethodPost, "/console/trainings/:id/sessions/:session/marks", "一次登记一整场的出勤和结业", with(signedInChange, con.markSession)},
		{http.MethodGet, "/console/insurance", "保险：待确认的保单、报案和跟进、保险方案（本辖区）", with(signedIn, con.insurancePage)},
		{http.MethodGet, "/console/insurance/plans/new", "新增保险方案（省级）", with(signedIn, con.newPlanPage)},
		{http.MethodPost, "/console/insurance/plans", "保存新的保险方案（省级）", with(signedInChange, con.savePlan)},
		{http.MethodGet, "/console/insurance/plans/:id/edit", "修改保险方案（省级）", with(signedIn, con.editPlanPage)},
		{http.MethodPost, "/console/insurance/plans/:id", "保存保险方案的修改（省级）：停售后不能再投保，已投的保单不受影响", with(signedInChange, con.savePlan)},
		{http.MethodPost, "/console/insurance/policies/:id/identity", "查看待确认保单的工人姓名、身份证号和手机号（投保要用；记入审计日志）", with(signedInChange, con.revealInsured)},
		{http.MethodPost, "/console/insurance/policies/:id/confirm", "填写保险公司的保单号，保单生效", with(signedInChange, con.confirmPolicy)},
		{http.MethodPost, "/console/insurance/incidents/:id/follow", "跟进报案：跟进中或结案，附工人能看到的说明", with(signedInChange, con.followIncident)},
		{http.MethodGet, "/console/corrections", "记录更正：本辖区工人和雇主申请更正的记录，待处理的在前", with(signedIn, con.correctionsPage)},
		{http.MethodPost, "/console/corrections/:id/accept", "同意更正：这条记录不再计数（记入审计日志）", with(signedInChange, con.decideCorrection(true))},
		{http.MethodPost, "/console/corrections/:id/refuse", "不同意更正，写明原因（记入审计日志）", with(signedInChange, con.decideCorrection(false))},
		{http.MethodGet, "/console/calendar", "工作日历：法定节假日和调休上班日（投诉受理期限按它算）", with(signedIn, con.calendarPage)},
		{http.MethodPost, "/console/calendar/:year", "管理员按国务院放假通知替换一年的安排（记入审计日志）", with(signedInChange, con.replaceCalendar)},
		{http.MethodGet, "/console/staff", "人员（管理员）：工作人员名单", with(admin, con.staffPage)},
		{http.MethodGet, "/console/staff/add", "设为工作人员：确认页", with(admin, con.confirmAdd)},
		{http.MethodPost, "/console/staff/add", "把用户设为一个辖区或零工市场的工作人员", with(adminChange, con.addStaff)},
		{http.MethodGet, "/console/staff/:id/disable", "停用工作人员：确认页", with(admin, con.confirmDisable)},
		{http.MethodPost, "/console/staff/:id/disable", "停用工作人员（其工作台随之退出）", with(adminChange, con.disableStaff)},
		{http.MethodGet, "/console/audit", "审计（管理员）：审计日志，按操作人、操作、对象、日期筛选，新的在前", with(admin, con.auditPage)},
	}
	routes = append(routes, con.publishRoutes(signedIn, signedInChange)...)
	routes = append(routes, con.windowRoutes(signedIn, signedInChange)...)
	routes = append(routes, con.pushRoutes(signedIn, signedInChange)...)
	routes = append(routes, con.statsRoutes(signedIn)...)
	if con.opts.Development {
		routes = append(routes, Route{http.MethodPost, "/console/login/demo", "开发环境：用演示账号登录工作台", with(change, con.demoSignIn)})
	}
	return routes
}

// secure sets the headers every console answer carries. The policy allows scripts, styles and images from
// this origin only (the code is a data: image), forms that post here only, and no framing.
func (con *Console) secure(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "+
		"connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	h.Set("X-Frame-Options", "DENY")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	if !strings.HasPrefix(c.Request.URL.Path, "/console/assets/") {
		h.Set("Cache-Control", "no-store")
	}
	c.Next()
}

// fromOffice refuses the console to an address outside the configured office networks: staff work at the
// market's desks, and a stolen cookie used from elsewhere gets nothing.
func (con *Console) fromOffice(c *gin.Context) {
	if len(con.opts.Networks) == 0 {
		c.Next()
		return
	}
	if ip, err := netip.ParseAddr(c.ClientIP()); err == nil {
		ip = ip.Unmap()
		for _, n := range con.opts.Networks {
			if n.Contains(ip) {
				c.Next()
				return
			}
		}
	}
	con.fail(c, ErrOutsideOffice)
}

// sameOrigin refuses a change that did not come from a page of this host. Browsers send Origin with every
// POST; an older one may send only a Referer, which is checked the same way. Neither means refused.
func (con *Console) sameOrigin(c *gin.Context) {
	from := c.GetHeader("Origin")
	if from == "" || from == "null" {
		from = c.GetHeader("Referer")
	}
	u, err := url.Parse(from)
	if from == "" || err != nil || u.Host == "" || !strings.EqualFold(u.Host, c.Request.Host) {
		con.fail(c, ErrCrossSite)
		return
	}
	c.Next()
}

// signedIn lets a request through with its live console session and the staff member's scope, read afresh:
// a session that ended, or whose staff member is no longer staff, goes back to the sign-in page saying why.
func (con *Console) signedIn(c *gin.Context) {
	ctx := c.Request.Context()
	token, _ := c.Cookie(sessionCookie)
	if token == "" {
		con.toLogin(c, "")
		return
	}
	sess, err := con.opts.Sessions.ConsoleSessionOf(ctx, token)
	var ended *model.ConsoleEnded
	if errors.As(err, &ended) {
		con.toLogin(c, ended.Reason)
		return
	}
	if err != nil {
		con.fail(c, err)
		return
	}
	scope, err := con.opts.Sessions.StaffScope(ctx, sess.UserID)
	if errors.Is(err, model.ErrNotStaff) {
		if err := con.opts.Sessions.EndConsoleSession(ctx, sess.ID, model.ConsoleEndStaffDisabled); err != nil {
			con.fail(c, err)
			return
		}
		con.toLogin(c, model.ConsoleEndStaffDisabled)
		return
	}
	if err != nil {
		con.fail(c, err)
		return
	}
	c.Set(ctxSession, sess)
	c.Set(ctxScope, scope)
	c.Set(ctxToken, token)
	c.Next()
}

// formToken refuses a signed-in change without its session's form token: a page of another origin on the
// same site would pass SameSite, but cannot read the token.
func (con *Console) formToken(c *gin.Context) {
	want := formTokenOf(c.GetString(ctxToken))
	if subtle.ConstantTimeCompare([]byte(c.PostForm(formField)), []byte(want)) != 1 {
		con.fail(c, ErrFormExpired)
		return
	}
	c.Next()
}

// formTokenOf derives a session's form token from its cookie: whoever can read the token could read the
// cookie anyway, and nothing more needs storing.
func formTokenOf(sessionToken string) string {
	sum := sha256.Sum256([]byte("lingong console form\x00" + sessionToken))
	return hex.EncodeToString(sum[:16])
}

func session(c *gin.Context) *model.ConsoleSession {
	return c.MustGet(ctxSession).(*model.ConsoleSession)
}
func scope(c *gin.Context) model.Scope { return c.MustGet(ctxScope).(model.Scope) }

// toLogin sends a signed-out browser to the sign-in page, forgetting its cookie, with why the session ended.
func (con *Console) toLogin(c *gin.Context, reason string) {
	con.setCookie(c, sessionCookie, "", -1)
	target := "/console/login"
	if reason != "" {
		target += "?ended=" + url.QueryEscape(reason)
	}
	c.Redirect(http.StatusSeeOther, target)
	c.Abort()
}

// setCookie writes a console cookie: HttpOnly, SameSite=Strict, Secure outside development.
func (con *Console) setCookie(c *gin.Context, name, value string, maxAge int) {
	http.SetCookie(c.Writer, &http.Cookie{Name: name, Value: value, Path: cookiePath, MaxAge: maxAge,
		HttpOnly: true, Secure: !con.opts.Development, SameSite: http.SameSiteStrictMode})
}

// audit writes a console action to the audit log with the staff member, the console session and the IP. The
// change is committed already: a failed write is logged loudly for an operator, as the API does.
func (con *Console) audit(c *gin.Context, sess *model.ConsoleSession, action, kind, target, detail string) {
	if err := con.auditRead(c, sess, action, kind, target, detail); err != nil {
		con.opts.Logger(c).Error("AUDIT LOG WRITE FAILED", slog.String("action", action), slog.Any("err", err))
	}
}

// auditRead writes the entry of a read of someone's full identity, which is shown only once it is on the
// record: its caller answers the error instead of the identity.
func (con *Console) auditRead(c *gin.Context, sess *model.ConsoleSession, action, kind, target, detail string) error {
	return con.opts.Sessions.Audit(c.Request.Context(), model.AuditLog{ActorID: sess.UserID, Action: action, TargetKind: kind,
		TargetID: target, Detail: detail, IP: c.ClientIP(), RequestID: con.opts.RequestID(c), ConsoleSessionID: sess.ID})
}

// fail answers a request the console cannot serve: JSON to the sign-in page's script, a page to a person.
// A 5xx says only the generic message and the request id; the details go to the log.
func (con *Console) fail(c *gin.Context, err error) {
	p := con.opts.Explain(err)
	if p.Status >= 500 {
		con.opts.Logger(c).Error("console request failed", slog.String("route", c.FullPath()), slog.Any("err", err))
	}
	_ = c.Error(err)
	if strings.Contains(c.GetHeader("Accept"), "application/json") {
		c.AbortWithStatusJSON(p.Status, gin.H{"code": p.Code, "message": p.Message, "request_id": con.opts.RequestID(c)})
		return
	}
	con.render(c, p.Status, "problem", pageData{Title: "没有办成", Problem: &p, RequestID: con.opts.RequestID(c)})
	c.Abort()
}

// pageData is what every page template receives.
type pageData struct {
	Title string
	// Nav is the page's key in the menu; empty on the sign-in page, which has no menu.
	Nav string
	Who string
	// Admin shows the admins' pages in the menu.
	Admin     bool
	FormToken string
	Problem   *Problem
	RequestID string
	Body      any
}

// render fills the page's template; data for the menu comes from the session when there is one.
func (con *Console) render(c *gin.Context, status int, name string, data pageData) {
	if v, ok := c.Get(ctxSession); ok {
		data.FormToken = formTokenOf(c.GetString(ctxToken))
		data.Who = who(v.(*model.ConsoleSession), scope(c))
		data.Admin = scope(c).All
	}
	var buf strings.Builder
	if err := con.pages[name].ExecuteTemplate(&buf, "layout", data); err != nil {
		con.opts.Logger(c).Error("console template", slog.String("page", name), slog.Any("err", err))
		c.String(http.StatusInternalServerError, "服务器出了点问题，请稍后再试")
		return
	}
	c.Data(status, "text/html; charset=utf-8", []byte(buf.String()))
}

// who is the staff member as the menu names them: role, number and area.
func who(sess *model.ConsoleSession, sc model.Scope) string {
	if sc.All {
		return "管理员（编号 " + strconv.FormatUint(sess.UserID, 10) + "）· 全省"
	}
	return "工作人员（编号 " + strconv.FormatUint(sess.UserID, 10) + "）· " + areaName(sc.Prefix+strings.Repeat("0", max(0, 6-len(sc.Prefix))))
}
