package handler

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"lingong/model"
)

func (a *API) routesMe() {
	a.handle(http.MethodGet, "/api/v1/me", routeDoc{Summary: "当前用户", Tag: "me", Auth: true,
		Response: userResponse{}}, a.me)
	a.handle(http.MethodPost, "/api/v1/me/phone", routeDoc{Summary: "用 getPhoneNumber 的 code 绑定手机号", Tag: "me",
		Auth: true, Request: phoneRequest{}, Response: userResponse{}}, a.bindPhone)
}

// userResponse is the caller as the mini-program sees them: the phone only masked.
type userResponse struct {
	ID           uint64       `json:"id"`
	Roles        []model.Role `json:"roles"`
	Phone        string       `json:"phone" label:"打码的手机号，如 138****1234；未绑定时为空"`
	Completeness completeness `json:"completeness"`
}

// completeness tells the mini-program what the user has still to fill in, in the order to ask for it.
type completeness struct {
	Percent int      `json:"percent"`
	Missing []string `json:"missing" label:"还缺的项，按该问的顺序：phone 手机号 / profile 求职或招工登记"`
}

func (a *API) userResponse(_ *gin.Context, u *model.User) (userResponse, error) {
	phone, err := a.opts.Store.Phone(u)
	if err != nil {
		return userResponse{}, err
	}
	steps := []struct {
		name string
		done bool
	}{
		{"phone", phone != ""},
		{"profile", u.Roles.Has(model.RoleWorker) || u.Roles.Has(model.RoleEmployer)},
	}
	done, missing := 0, []string{}
	for _, s := range steps {
		if s.done {
			done++
		} else {
			missing = append(missing, s.name)
		}
	}
	return userResponse{
		ID: u.ID, Roles: u.Roles.List(), Phone: model.MaskPhone(phone),
		Completeness: completeness{Percent: done * 100 / len(steps), Missing: missing},
	}, nil
}

func (a *API) me(c *gin.Context) {
	// Fresh, not the session check's copy: a phone just bound or a role just gained shows at once.
	u, err := a.opts.Store.UserByID(c.Request.Context(), currentUser(c).ID)
	if errors.Is(err, model.ErrNotFound) {
		err = errTokenInvalid // the account behind the token is gone
	}
	if err != nil {
		fail(c, err)
		return
	}
	resp, err := a.userResponse(c, u)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, resp)
}

type phoneRequest struct {
	Code string `json:"code" validate:"required,max=128" label:"getPhoneNumber 返回的 code"`
}

func (a *API) bindPhone(c *gin.Context) {
	var req phoneRequest
	if err := bindJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	wctx, cancel := a.wechatContext(c)
	phone, err := a.opts.WeChat.PhoneNumber(wctx, req.Code)
	cancel()
	if err != nil {
		fail(c, err)
		return
	}
	if phone.CountryCode != "" && phone.CountryCode != "86" {
		fail(c, newError(http.StatusBadRequest, "phone_unsupported", "暂时只支持中国大陆手机号"))
		return
	}
	user, err := a.opts.Store.BindPhone(c.Request.Context(), currentUser(c).ID, phone.Number)
	if err != nil {
		fail(c, err)
		return
	}
	resp, err := a.userResponse(c, user)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, resp)
}
