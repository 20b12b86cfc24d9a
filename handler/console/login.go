package console

import (
	"context"
	"encoding/base64"
	"errors"
	"html/template"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"lingong/model"
)

// endedNotes tell a staff member why they are back at the sign-in page.
var endedNotes = map[string]string{
	model.ConsoleEndLogout:        "您已退出工作台。",
	model.ConsoleEndPhone:         "已在手机上退出，工作台也随之退出。",
	model.ConsoleEndExpired:       "登录已满8小时，请重新扫码登录。",
	model.ConsoleEndIdle:          "超过30分钟没有操作，为了安全已退出，请重新扫码登录。",
	model.ConsoleEndStaffDisabled: "您的工作人员身份已停用，已退出工作台。如有疑问请联系管理员。",
	model.ConsoleEndUnknown:       "登录已失效，请重新扫码登录。",
}

type loginBody struct {
	Ticket string
	// Code is the mini-program code as a data: URL; empty when WeChat could not make it (CodeProblem says why).
	Code        template.URL
	CodeProblem string
	Ended       string
	Demo        bool
	TicketMins  int
}

// loginPage starts a scan sign-in: a fresh ticket, its mini-program code, and the browser's half of the
// ticket in a cookie that only this browser holds.
func (con *Console) loginPage(c *gin.Context) {
	ctx := c.Request.Context()
	if token, _ := c.Cookie(sessionCookie); token != "" {
		if sess, err := con.opts.Sessions.ConsoleSessionOf(ctx, token); err == nil {
			if _, err := con.opts.Sessions.StaffScope(ctx, sess.UserID); err == nil {
				c.Redirect(http.StatusSeeOther, "/console/review")
				return
			}
		}
	}
	if !con.allowCode(c) {
		p := con.opts.Explain(ErrTooManyCodes)
		c.Header("Retry-After", strconv.Itoa(int(codeWindow.Seconds())))
		con.render(c, p.Status, "login", pageData{Title: "扫码登录", Body: loginBody{CodeProblem: p.Message,
			Demo: con.opts.Development, TicketMins: int(model.ConsoleTicketTTL.Minutes())}})
		return
	}
	scene, secret, err := con.opts.Sessions.NewConsoleTicket(ctx, c.ClientIP(), c.Request.UserAgent())
	if err != nil {
		con.fail(c, err)
		return
	}
	con.setCookie(c, ticketCookie, secret, int(model.ConsoleTicketTTL.Seconds())*2)
	body := loginBody{Ticket: scene, Ended: endedNotes[c.Query("ended")], Demo: con.opts.Development,
		TicketMins: int(model.ConsoleTicketTTL.Minutes())}
	wctx, cancel := context.WithTimeout(ctx, con.opts.WeChatDeadline)
	img, err := con.opts.WeChat.MiniProgramCode(wctx, confirmPage, scene)
	cancel()
	if err != nil {
		// The page still opens: the demo accounts work in development, and a reload tries WeChat again.
		con.opts.Logger(c).Warn("console sign-in code", "err", err)
		body.CodeProblem = con.opts.Explain(err).Message
	} else {
		body.Code = dataURL(http.DetectContentType(img), img)
	}
	con.render(c, http.StatusOK, "login", pageData{Title: "扫码登录", Body: body})
}

// RateLimiter counts events per key within a window.
type RateLimiter interface {
	Allow(ctx context.Context, key string, limit int, window time.Duration) (bool, error)
}

// Each sign-in page makes a ticket and asks WeChat for a code (a daily quota of the mini-program's): enough for
// an office of staff behind one address reloading now and then, too few to spend the quota from outside.
const (
	codesPerAddress = 30
	codeWindow      = 10 * time.Minute
)

// allowCode counts a sign-in code for the browser's address. A broken limiter store lets the page through,
// as the API's limits do: staff must not be locked out by a Redis outage.
func (con *Console) allowCode(c *gin.Context) bool {
	if con.opts.Limiter == nil {
		return true
	}
	ok, err := con.opts.Limiter.Allow(c.Request.Context(), "console-code:"+c.ClientIP(), codesPerAddress, codeWindow)
	if err != nil {
		con.opts.Logger(c).Warn("rate limiter unavailable; allowing", "limit", "console-code", "err", err)
		return true
	}
	return ok
}

// waitForScan is the sign-in page asking, every two seconds, whether the phone confirmed. The first ask
// after the confirmation gets the session cookie.
func (con *Console) waitForScan(c *gin.Context) {
	secret, _ := c.Cookie(ticketCookie)
	token, sess, err := con.opts.Sessions.ClaimConsoleTicket(c.Request.Context(), c.PostForm("ticket"), secret)
	if errors.Is(err, model.ErrTicketPending) {
		c.JSON(http.StatusOK, gin.H{"status": "waiting"})
		return
	}
	if err != nil {
		con.fail(c, err)
		return
	}
	con.signIn(c, token, sess, "scan")
	c.JSON(http.StatusOK, gin.H{"status": "signed_in", "next": "/console/review"})
}

// demoSignIn is development's shortcut: the demo staff member or admin, without a phone.
func (con *Console) demoSignIn(c *gin.Context) {
	openID := map[string]string{"staff": model.DemoStaffOpenID, "admin": model.DemoAdminOpenID}[c.PostForm("account")]
	token, sess, err := con.opts.Sessions.OpenDemoConsoleSession(c.Request.Context(), openID, c.ClientIP(), c.Request.UserAgent())
	if err != nil {
		con.fail(c, err)
		return
	}
	con.signIn(c, token, sess, "demo account (development)")
	c.Redirect(http.StatusSeeOther, "/console/review")
}

func (con *Console) signIn(c *gin.Context, token string, sess *model.ConsoleSession, how string) {
	con.setCookie(c, ticketCookie, "", -1)
	con.setCookie(c, sessionCookie, token, int(model.ConsoleSessionTTL.Seconds()))
	con.audit(c, sess, "console sign-in", "console", strconv.FormatUint(sess.ID, 10), how)
}

func (con *Console) logout(c *gin.Context) {
	sess := session(c)
	if err := con.opts.Sessions.EndConsoleSession(c.Request.Context(), sess.ID, model.ConsoleEndLogout); err != nil {
		con.fail(c, err)
		return
	}
	con.audit(c, sess, "console sign-out", "console", strconv.FormatUint(sess.ID, 10), "")
	con.toLogin(c, model.ConsoleEndLogout)
}

func dataURL(contentType string, b []byte) template.URL {
	// The image is WeChat's (or the dev QR's) bytes, base64-encoded: nothing in it can break out of the URL.
	return template.URL("data:" + contentType + ";base64," + base64.StdEncoding.EncodeToString(b))
}
