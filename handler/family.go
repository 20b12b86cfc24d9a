package handler

import (
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"lingong/model"
)

func (a *API) routesFamily() {
	doc := func(summary string, req, resp any, status int) routeDoc {
		return routeDoc{Summary: summary, Tag: "family", Auth: true, Request: req, Response: resp, Status: status}
	}
	a.handle(http.MethodPost, "/api/v1/me/delegates", doc("亲情代办：生成邀请码给家人（48小时内有效）", nil, inviteResponse{}, http.StatusCreated), a.inviteDelegate)
	a.handle(http.MethodGet, "/api/v1/me/delegates", doc("替我办事的家人", nil, []delegationResponse{}, 0), a.myDelegates)
	a.handle(http.MethodDelete, "/api/v1/me/delegates/:id", doc("收回家人的代办权限（立即生效）", nil, nil, http.StatusNoContent), a.revokeDelegate)
	a.handle(http.MethodPost, "/api/v1/me/delegations", doc("家人输入邀请码，成为代办人（每人10分钟最多试10次）", acceptRequest{}, elderResponse{}, http.StatusCreated),
		append(a.codeGuessLimits("invite"), a.acceptDelegation)...)
	a.handle(http.MethodGet, "/api/v1/me/elders", doc("我可以替他们办事的家人", nil, []elderResponse{}, 0), a.myElders)
	a.handle(http.MethodPost, "/api/v1/elders/:id/applications", doc("替家人报名", onBehalfApplyRequest{}, applicationResponse{}, http.StatusCreated), a.applyForElder)
	a.handle(http.MethodGet, "/api/v1/elders/:id/applications", doc("家人的报名", nil, []myApplicationResponse{}, 0), a.elderApplications)
	a.handle(http.MethodDelete, "/api/v1/elders/:id/applications/:app", doc("替家人取消报名", nil, applicationResponse{}, 0), a.withdrawForElder)
}

type inviteResponse struct {
	Code      string    `json:"code" label:"8位邀请码，给家人在他的微信里输入"`
	ExpiresAt time.Time `json:"expires_at"`
}

type delegationResponse struct {
	ID         uint64     `json:"id"`
	DelegateID *uint64    `json:"delegate_id"`
	Status     string     `json:"status" label:"invited 等家人接受 / active 在代办 / revoked 已收回 / expired 邀请过期"`
	AcceptedAt *time.Time `json:"accepted_at"`
	CreatedAt  time.Time  `json:"created_at"`
}

type acceptRequest struct {
	Code string `json:"code" validate:"required,len=8" label:"家人给的8位邀请码"`
}

type elderResponse struct {
	ElderID uint64 `json:"elder_id"`
	Name    string `json:"name" label:"打码的姓名"`
}

func (a *API) inviteDelegate(c *gin.Context) {
	code, d, err := a.opts.Store.InviteDelegate(c.Request.Context(), currentUser(c).ID)
	if err != nil {
		fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusCreated, inviteResponse{Code: code, ExpiresAt: d.InviteExpires})
}

func (a *API) myDelegates(c *gin.Context) {
	list, err := a.opts.Store.Delegations(c.Request.Context(), currentUser(c).ID)
	if err != nil {
		fail(c, err)
		return
	}
	now := a.opts.Store.Now()
	out := make([]delegationResponse, len(list))
	for i, d := range list {
		status := "invited"
		switch {
		case d.RevokedAt != nil:
			status = "revoked"
		case d.AcceptedAt != nil:
			status = "active"
		case now.After(d.InviteExpires):
			status = "expired"
		}
		out[i] = delegationResponse{ID: d.ID, DelegateID: d.DelegateID, Status: status, AcceptedAt: d.AcceptedAt, CreatedAt: d.CreatedAt}
	}
	c.JSON(http.StatusOK, out)
}

func (a *API) revokeDelegate(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		fail(c, err)
		return
	}
	if err := a.opts.Store.RevokeDelegation(c.Request.Context(), currentUser(c).ID, id); err != nil {
		fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

func (a *API) acceptDelegation(c *gin.Context) {
	var req acceptRequest
	if err := bindJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	ctx, me := c.Request.Context(), currentUser(c).ID
	d, err := a.opts.Store.AcceptDelegation(ctx, me, req.Code)
	if err != nil {
		fail(c, err)
		return
	}
	name, err := a.opts.Store.ElderName(ctx, me, d.ElderID)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, elderResponse{ElderID: d.ElderID, Name: name})
}

func (a *API) myElders(c *gin.Context) {
	ctx, me := c.Request.Context(), currentUser(c).ID
	list, err := a.opts.Store.Elders(ctx, me)
	if err != nil {
		fail(c, err)
		return
	}
	out := make([]elderResponse, 0, len(list))
	for _, d := range list {
		name, err := a.opts.Store.ElderName(ctx, me, d.ElderID)
		if err != nil {
			fail(c, err)
			return
		}
		out = append(out, elderResponse{ElderID: d.ElderID, Name: name})
	}
	c.JSON(http.StatusOK, out)
}

func (a *API) applyForElder(c *gin.Context) {
	elder, err := pathID(c)
	if err != nil {
		fail(c, err)
		return
	}
	var req onBehalfApplyRequest
	if err := bindJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	app, err := a.opts.Store.ApplyFor(c.Request.Context(), currentUser(c).ID, elder, req.GigID)
	if err != nil {
		fail(c, err)
		return
	}
	a.refreshLive(c, req.GigID)
	c.JSON(http.StatusCreated, applicationJSON(app))
}

func (a *API) elderApplications(c *gin.Context) {
	elder, err := pathID(c)
	if err != nil {
		fail(c, err)
		return
	}
	apps, err := a.opts.Store.ApplicationsFor(c.Request.Context(), currentUser(c).ID, elder)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, myApplicationsJSON(apps))
}

func (a *API) withdrawForElder(c *gin.Context) {
	elder, err := pathID(c)
	if err != nil {
		fail(c, err)
		return
	}
	appID, err := strconv.ParseUint(c.Param("app"), 10, 64)
	if err != nil {
		fail(c, model.ErrNotFound)
		return
	}
	app, err := a.opts.Store.WithdrawFor(c.Request.Context(), currentUser(c).ID, elder, appID)
	if err != nil {
		fail(c, err)
		return
	}
	a.refreshLive(c, app.GigID)
	c.JSON(http.StatusOK, applicationJSON(app))
}
