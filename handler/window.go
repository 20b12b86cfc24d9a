package handler

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"lingong/model"
)

func (a *API) routesWindow() {
	staff := func(method, path string, doc routeDoc, h gin.HandlerFunc) {
		doc.Auth, doc.Tag = true, "window"
		a.handle(method, path, doc, a.staffOnly, h)
	}
	staff(http.MethodPost, "/api/v1/admin/workers", routeDoc{Summary: "窗口代办：为没有智能手机的人登记（记录本人同意的方式）",
		Request: walkInRequest{}, Response: walkInResponse{}, Status: http.StatusCreated}, a.registerWalkIn)
	staff(http.MethodPost, "/api/v1/admin/workers/:id/applications", routeDoc{Summary: "代为报名（记录代办人和本人）",
		Request: onBehalfApplyRequest{}, Response: applicationResponse{}, Status: http.StatusCreated}, a.applyOnBehalf)
	staff(http.MethodPost, "/api/v1/admin/applications/:id/calls", routeDoc{Summary: "记录打电话告知报名结果",
		Request: callRequest{}, Status: http.StatusNoContent}, a.recordCall)
	staff(http.MethodPost, "/api/v1/admin/workers/:id/binding-code", routeDoc{Summary: "打印绑定码：6位，7天内有效，可试5次",
		Response: bindingCodeResponse{}, Status: http.StatusCreated}, a.bindingCode)
	a.handle(http.MethodPost, "/api/v1/me/claim", routeDoc{Summary: "用登记号和绑定码认领窗口代办的登记信息（本人或家人的微信；每人10分钟最多试10次）",
		Tag: "window", Auth: true, Request: claimRequest{}, Response: loginResponse{}}, append(a.codeGuessLimits("claim"), a.claim)...)
	a.handle(http.MethodGet, "/api/v1/me/on-behalf", routeDoc{Summary: "别人替我做过什么（工作人员、家人）", Tag: "window",
		Auth: true, Response: []onBehalfResponse{}}, a.myOnBehalf)
}

type consentRequest struct {
	Method  string  `json:"method" validate:"required,oneof=paper spoken" label:"paper 纸质签字（拍照）/ spoken 口头同意"`
	Note    string  `json:"note" validate:"max=255" label:"口头同意时写明时间、地点、在场的人"`
	PhotoID *uint64 `json:"photo_id" label:"签字同意书照片（先上传）"`
}

type walkInRequest struct {
	workerRequest
	Phone   string         `json:"phone" validate:"omitempty,len=11,numeric" label:"手机号（老人机也行，用来打电话告知）"`
	Consent consentRequest `json:"consent"`
}

type walkInResponse struct {
	WorkerNo uint64 `json:"worker_no" label:"登记号，印在给本人的纸条上"`
	Name     string `json:"name"`
	IDNumber string `json:"id_number"`
}

func (a *API) registerWalkIn(c *gin.Context) {
	var req walkInRequest
	if err := bindJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	in := model.WalkIn{Worker: model.WorkerInput{Name: req.Name, IDNumber: req.IDNumber, SkillIDs: req.Skills,
		ExpectedWageCents: req.ExpectedDailyWageCents, AvailableDays: daysToBits(req.AvailableDays), AreaCode: req.AreaCode,
		WantsRegistration: req.WantsRegistration, RequestDifficulty: req.RequestDifficulty},
		Phone: req.Phone, ConsentMethod: req.Consent.Method, ConsentNote: req.Consent.Note, ConsentPhoto: req.Consent.PhotoID}
	if req.Home != nil {
		in.Worker.Home = &model.Place{Lat: req.Home.Lat, Lng: req.Home.Lng, Address: req.Home.Address}
	}
	w, err := a.opts.Store.RegisterWalkIn(c.Request.Context(), staffScope(c), in)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, walkInResponse{WorkerNo: w.UserID, Name: w.Name, IDNumber: model.MaskIDNumber(w.IDNumber)})
}

type onBehalfApplyRequest struct {
	GigID uint64 `json:"gig_id" validate:"required"`
}

func (a *API) applyOnBehalf(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		fail(c, err)
		return
	}
	var req onBehalfApplyRequest
	if err := bindJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	app, err := a.opts.Store.ApplyOnBehalf(c.Request.Context(), staffScope(c), id, req.GigID)
	if err != nil {
		fail(c, err)
		return
	}
	a.refreshLive(c, req.GigID)
	c.JSON(http.StatusCreated, applicationJSON(app))
}

type callRequest struct {
	Note string `json:"note" validate:"required,max=200" label:"电话里说了什么"`
}

func (a *API) recordCall(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		fail(c, err)
		return
	}
	var req callRequest
	if err := bindJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	if err := a.opts.Store.RecordCall(c.Request.Context(), staffScope(c), id, req.Note); err != nil {
		fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

type bindingCodeResponse struct {
	WorkerNo  uint64    `json:"worker_no"`
	Ticket    string    `json:"ticket" label:"8位认领号，只显示这一次，和绑定码一起打印给本人"`
	Code      string    `json:"code" label:"6位绑定码，只显示这一次，请打印给本人"`
	ExpiresAt time.Time `json:"expires_at"`
}

func (a *API) bindingCode(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		fail(c, err)
		return
	}
	slip, err := a.opts.Store.IssueBindingCode(c.Request.Context(), staffScope(c), id)
	if err != nil {
		fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusCreated, bindingCodeResponse{WorkerNo: id, Ticket: slip.Ticket, Code: slip.Code, ExpiresAt: slip.ExpiresAt})
}

type claimRequest struct {
	Ticket string `json:"ticket" validate:"required,len=8,numeric" label:"纸条上的8位认领号"`
	Code   string `json:"code" validate:"required,len=6,numeric" label:"纸条上的6位绑定码"`
}

// claim moves the caller's WeChat identity onto the walk-in profile and signs them in as it.
func (a *API) claim(c *gin.Context) {
	var req claimRequest
	if err := bindJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	ctx := c.Request.Context()
	sessionKey, err := a.opts.Store.SessionKey(ctx, currentSession(c))
	if err != nil {
		fail(c, err)
		return
	}
	openID, err := a.opts.Store.ClaimWalkIn(ctx, currentUser(c).ID, req.Ticket, req.Code)
	if err != nil {
		fail(c, err)
		return
	}
	login, err := a.opts.Store.SignIn(ctx, model.WeChatLogin{OpenID: openID, SessionKey: sessionKey,
		Admin: a.opts.AdminOpenIDs[openID]}, a.opts.RefreshTTL)
	if err != nil {
		fail(c, err)
		return
	}
	a.respondLogin(c, login)
}

type onBehalfResponse struct {
	ActorID    uint64    `json:"actor_id"`
	Action     string    `json:"action" label:"register / apply / call / binding_code / claim"`
	TargetKind string    `json:"target_kind"`
	TargetID   uint64    `json:"target_id"`
	Note       string    `json:"note"`
	CreatedAt  time.Time `json:"created_at"`
}

func (a *API) myOnBehalf(c *gin.Context) {
	list, err := a.opts.Store.OnBehalfActions(c.Request.Context(), currentUser(c).ID)
	if err != nil {
		fail(c, err)
		return
	}
	out := make([]onBehalfResponse, len(list))
	for i, e := range list {
		out[i] = onBehalfResponse{ActorID: e.ActorID, Action: e.Action, TargetKind: e.TargetKind, TargetID: e.TargetID, Note: e.Note, CreatedAt: e.CreatedAt}
	}
	c.JSON(http.StatusOK, out)
}
