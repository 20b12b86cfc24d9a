package handler

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"lingong/model"
)

func (a *API) routesAuth() {
	perIP := rateLimit(a.opts.Limiter, "login", a.opts.LoginPerMinute, time.Minute, func(c *gin.Context) string { return c.ClientIP() })
	a.handle(http.MethodPost, "/api/v1/auth/login", routeDoc{Summary: "用 wx.login 的 code 登录", Tag: "auth",
		Request: loginRequest{}, Response: loginResponse{}}, perIP, a.login)
	a.handle(http.MethodPost, "/api/v1/auth/refresh", routeDoc{Summary: "用 refresh_token 换一对新令牌", Tag: "auth",
		Request: refreshRequest{}, Response: loginResponse{}}, perIP, a.refresh)
	a.handle(http.MethodPost, "/api/v1/auth/logout", routeDoc{Summary: "退出登录，作废这次登录的所有令牌", Tag: "auth",
		Auth: true, Status: http.StatusNoContent}, a.logout)
}

type loginRequest struct {
	Code string `json:"code" validate:"required,max=128" label:"wx.login 返回的 code"`
}

type refreshRequest struct {
	RefreshToken string `json:"refresh_token" validate:"required,max=128"`
}

type loginResponse struct {
	AccessToken  string       `json:"access_token"`
	RefreshToken string       `json:"refresh_token"`
	ExpiresIn    int          `json:"expires_in" label:"access_token 的有效秒数"`
	User         userResponse `json:"user"`
}

func (a *API) login(c *gin.Context) {
	var req loginRequest
	if err := bindJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	wctx, cancel := a.wechatContext(c)
	sess, err := a.opts.WeChat.Code2Session(wctx, req.Code)
	cancel()
	if err != nil {
		fail(c, err)
		return
	}
	ctx := c.Request.Context()
	login, err := a.opts.Store.SignIn(ctx, model.WeChatLogin{
		OpenID: sess.OpenID, UnionID: sess.UnionID, SessionKey: sess.SessionKey,
		Admin: a.opts.AdminOpenIDs[sess.OpenID],
	}, a.opts.RefreshTTL)
	if err != nil {
		fail(c, err)
		return
	}
	a.respondLogin(c, login)
}

func (a *API) refresh(c *gin.Context) {
	var req refreshRequest
	if err := bindJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	login, err := a.opts.Store.Refresh(c.Request.Context(), req.RefreshToken, a.opts.RefreshTTL)
	if err != nil {
		fail(c, err)
		return
	}
	a.respondLogin(c, login)
}

func (a *API) respondLogin(c *gin.Context, login *model.Login) {
	access, exp, err := a.opts.Tokens.Issue(login.User.ID, login.SessionID)
	if err != nil {
		fail(c, err)
		return
	}
	user, err := a.userResponse(c, login.User)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, loginResponse{
		AccessToken: access, RefreshToken: login.RefreshToken,
		ExpiresIn: int(exp.Sub(a.opts.Store.Now()).Seconds()), User: user,
	})
}

func (a *API) logout(c *gin.Context) {
	if err := a.opts.Store.RevokeSession(c.Request.Context(), currentSession(c), "logout"); err != nil {
		fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
