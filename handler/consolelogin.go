package handler

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"lingong/handler/console"
	"lingong/model"
)

// errConsoleStaffOnly: someone who is not staff scanned the console's code. Unlike the staff routes (404, so
// that they do not show), the scanner is told plainly why nothing happens.
var errConsoleStaffOnly = newError(http.StatusForbidden, "console_staff_only",
	"只有零工市场的工作人员和管理员能登录工作台，这个微信不是工作人员账号")

// routesConsole mounts the staff console (handler/console) and the mini-program's side of its scan sign-in.
func (a *API) routesConsole() error {
	store := a.opts.Store
	con, err := console.New(console.Options{Sessions: store, Review: store, Enforcement: store, Complaints: store,
		Training: store, Insurance: store, Staff: store, Audit: store, Calendar: store, Corrections: store, Publish: store, Window: store, SavePhoto: a.storePhoto,
		Push: consolePush{store, a.opts.Templates}, Stats: consoleStats{store},
		Limiter: a.opts.Limiter, Networks: a.opts.ConsoleNetworks, Index: a.opts.Live, WeChat: a.opts.WeChat,
		Development: a.opts.Development, WeChatDeadline: a.opts.WeChatDeadline, Explain: explain, RequestID: requestID, Logger: logger,
		UploadDir: a.opts.UploadDir, Now: func() time.Time { return store.Now() }})
	if err != nil {
		return err
	}
	for _, r := range con.Routes() {
		doc := routeDoc{Summary: r.Summary, Tag: "console", MaxBody: r.MaxBody()}
		if doc.MaxBody > 0 {
			doc.TooLarge = errPhotoTooLarge
		}
		a.handle(r.Method, r.Path, doc, r.Handlers...)
	}
	a.handle(http.MethodGet, "/api/v1/console/tickets/:ticket", routeDoc{Summary: "扫了工作台的登录码：看是哪台电脑（IP、浏览器）要登录，只有工作人员能看",
		Tag: "console", Auth: true, Response: consoleTicketResponse{}}, a.consoleTicket)
	a.handle(http.MethodPost, "/api/v1/console/tickets/:ticket/confirm", routeDoc{Summary: "在手机上确认登录工作台（一次性，2分钟内有效）",
		Tag: "console", Auth: true, Status: http.StatusNoContent}, a.confirmConsoleTicket)
	a.handle(http.MethodDelete, "/api/v1/me/console-sessions", routeDoc{Summary: "从手机上退出电脑上的工作台（本人所有的）",
		Tag: "console", Auth: true, Response: consoleEndedResponse{}}, a.endConsoleSessions)
	return nil
}

// explain is the API's one error table, as the console shows it.
func explain(err error) console.Problem {
	ae := toAPIError(err)
	p := console.Problem{Status: ae.Status, Code: ae.Code, Message: ae.Message}
	if len(ae.Fields) > 0 {
		p.Fields = map[string]string{}
		for _, f := range ae.Fields {
			p.Fields[f.Field] = f.Message
		}
	}
	return p
}

type consoleTicketResponse struct {
	IP        string `json:"ip" label:"要登录的电脑的 IP"`
	Browser   string `json:"browser" label:"要登录的电脑的浏览器，如 Edge 120 · Windows"`
	ExpiresIn int    `json:"expires_in" label:"还有几秒过期"`
}

// staffTicketError tells a scanner who is not staff why, and the rest as the API's table says.
func staffTicketError(c *gin.Context, err error) {
	if errors.Is(err, model.ErrNotStaff) {
		err = errConsoleStaffOnly
	}
	fail(c, err)
}

func (a *API) consoleTicket(c *gin.Context) {
	t, err := a.opts.Store.ScannedConsoleTicket(c.Request.Context(), c.Param("ticket"), currentUser(c).ID)
	if err != nil {
		staffTicketError(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, consoleTicketResponse{IP: t.IP, Browser: consoleBrowser(t.UserAgent),
		ExpiresIn: int(t.ExpiresAt.Sub(a.opts.Store.Now()) / time.Second)})
}

func (a *API) confirmConsoleTicket(c *gin.Context) {
	user := currentUser(c)
	t, err := a.opts.Store.ConfirmConsoleTicket(c.Request.Context(), c.Param("ticket"), user.ID, currentSession(c))
	if err != nil {
		staffTicketError(c, err)
		return
	}
	err = a.opts.Store.Audit(c.Request.Context(), model.AuditLog{ActorID: user.ID, Action: "console sign-in confirmed on the phone",
		TargetKind: "console", TargetID: strconv.FormatUint(t.ID, 10), Detail: "console at " + t.IP + ", " + consoleBrowser(t.UserAgent),
		IP: c.ClientIP(), RequestID: requestID(c)})
	if err != nil {
		logger(c).Error("AUDIT LOG WRITE FAILED", "action", "console sign-in confirmed", "err", err)
	}
	c.Status(http.StatusNoContent)
}

type consoleEndedResponse struct {
	Ended int64 `json:"ended" label:"退出了几个工作台"`
}

func (a *API) endConsoleSessions(c *gin.Context) {
	user := currentUser(c)
	n, err := a.opts.Store.EndConsoleSessionsOf(c.Request.Context(), user.ID, model.ConsoleEndPhone)
	if err != nil {
		fail(c, err)
		return
	}
	if n > 0 {
		err = a.opts.Store.Audit(c.Request.Context(), model.AuditLog{ActorID: user.ID, Action: "console sessions ended from the phone",
			TargetKind: "console", Detail: strconv.FormatInt(n, 10) + " session(s)", IP: c.ClientIP(), RequestID: requestID(c)})
		if err != nil {
			logger(c).Error("AUDIT LOG WRITE FAILED", "action", "console sessions ended from the phone", "err", err)
		}
	}
	c.JSON(http.StatusOK, consoleEndedResponse{Ended: n})
}

// consoleBrowser names a browser for people from its User-Agent: "Edge 120 · Windows". Government PCs run
// several Chromium-based browsers; each names itself before the Chrome token it also carries.
func consoleBrowser(userAgent string) string {
	name := "未知浏览器"
	for _, b := range []struct {
		token, name string
		versioned   bool
	}{
		{"Edg/", "Edge", true}, {"QQBrowser/", "QQ浏览器", true}, {"360SE", "360安全浏览器", false}, {"360EE", "360极速浏览器", false},
		{"SE 2.X MetaSr", "搜狗浏览器", false}, {"Firefox/", "Firefox", true}, {"HeadlessChrome/", "Chrome", true},
		{"Chrome/", "Chrome", true}, {"Safari/", "Safari", false},
	} {
		if i := strings.Index(userAgent, b.token); i >= 0 {
			name = b.name
			if b.versioned {
				if version, _, _ := strings.Cut(userAgent[i+len(b.token):], "."); version != "" && len(version) <= 4 {
					name += " " + version
				}
			}
			break
		}
	}
	for _, o := range []struct{ token, name string }{{"Windows", "Windows"}, {"Mac OS X", "macOS"}, {"Android", "Android"}, {"Linux", "Linux"}} {
		if strings.Contains(userAgent, o.token) {
			return name + " · " + o.name
		}
	}
	return name
}
