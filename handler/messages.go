package handler

import (
	"net/http"
	"slices"
	"sort"
	"time"

	"github.com/gin-gonic/gin"

	"lingong/handler/wechat"
	"lingong/model"
)

func (a *API) routesMessages() {
	a.handle(http.MethodGet, "/api/v1/subscriptions/templates", routeDoc{Summary: "可订阅的消息模板（给 wx.requestSubscribeMessage 用）",
		Tag: "messages", Response: []templateResponse{}}, a.templates)
	a.handle(http.MethodPost, "/api/v1/me/subscriptions", routeDoc{Summary: "记下用户在 wx.requestSubscribeMessage 里同意的模板：{模板id: accept|reject|ban|filter}，每次同意可发一条",
		Tag: "messages", Auth: true, Request: map[string]string{}, Response: grantsResponse{}}, a.subscribe)
	a.handle(http.MethodGet, "/api/v1/me/subscriptions", routeDoc{Summary: "我还能收到几条各类消息", Tag: "messages",
		Auth: true, Response: grantsResponse{}}, a.myGrants)
	staff := func(method, path string, doc routeDoc, h gin.HandlerFunc) {
		doc.Auth, doc.Tag = true, "admin"
		a.handle(method, path, doc, a.staffOnly, h)
	}
	staff(http.MethodPost, "/api/v1/admin/pushes", routeDoc{Summary: "给一批人推送订阅消息（名单或范围，本辖区；每小时最多10次）",
		Request: pushRequest{}, Response: pushResponse{}, Status: http.StatusCreated}, a.push)
	staff(http.MethodGet, "/api/v1/admin/pushes/:id", routeDoc{Summary: "推送结果：已发送、没有订阅、失败、待发送",
		Response: pushResponse{}}, a.pushReport)
}

type templateResponse struct {
	Kind       string `json:"kind" label:"application_result / gig_cancelled / review_result / training_reminder / insurance_active / complaint_progress"`
	TemplateID string `json:"template_id"`
}

func (a *API) templates(c *gin.Context) {
	out := []templateResponse{}
	for kind, t := range a.opts.Templates {
		out = append(out, templateResponse{Kind: kind, TemplateID: t.ID})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Kind < out[j].Kind })
	c.JSON(http.StatusOK, out)
}

type grantsResponse struct {
	Remaining map[string]int `json:"remaining" label:"每类消息还能发几条"`
}

var subscribeResults = map[string]bool{"accept": true, "reject": true, "ban": true, "filter": true}

// subscribe takes the result object of wx.requestSubscribeMessage as it is ({templateId: "accept", …,
// errMsg: "…"}) and counts one send for each accepted template.
func (a *API) subscribe(c *gin.Context) {
	var req map[string]string
	if err := bindJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	var accepted []string
	var bad []fieldError
	for id, result := range req {
		if id == "errMsg" {
			continue
		}
		kind, known := a.opts.Templates.KindOf(id)
		switch {
		case !known:
			bad = append(bad, fieldError{Field: id, Message: "不认识这个消息模板"})
		case !subscribeResults[result]:
			bad = append(bad, fieldError{Field: id, Message: "只能是 accept、reject、ban 或 filter"})
		case result == "accept":
			accepted = append(accepted, kind)
		}
	}
	if len(bad) > 0 {
		sort.Slice(bad, func(i, j int) bool { return bad[i].Field < bad[j].Field })
		fail(c, invalidFields(bad...))
		return
	}
	user := currentUser(c)
	if err := a.opts.Store.GrantSubscriptions(c.Request.Context(), user.ID, accepted); err != nil {
		fail(c, err)
		return
	}
	a.myGrants(c)
}

func (a *API) myGrants(c *gin.Context) {
	grants, err := a.opts.Store.Grants(c.Request.Context(), currentUser(c).ID)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, grantsResponse{Remaining: grants})
}

type audienceRequest struct {
	UserIDs   []uint64 `json:"user_ids" validate:"max=20000" label:"名单（本辖区登记的求职者）"`
	Segment   string   `json:"segment" validate:"omitempty,oneof=training_session gig_confirmed open_complaints near_market" label:"或者一个范围"`
	SessionID uint64   `json:"session_id" label:"training_session：这个上课时间报名的人"`
	GigID     uint64   `json:"gig_id" label:"gig_confirmed：这个活已录用的人"`
	MarketID  uint64   `json:"market_id" label:"near_market：住在这个零工市场附近的求职者"`
	RadiusM   int      `json:"radius_m" validate:"omitempty,min=500,max=50000" label:"near_market 的半径（米），默认5000"`
}

type pushRequest struct {
	TemplateID string            `json:"template_id" validate:"required,max=32" label:"消息类型（kind）"`
	Data       map[string]string `json:"data" validate:"required,max=10,dive,keys,max=32,endkeys,max=200" label:"模板各项的内容，按 kind 的字段名；最多10项，每项最多200字"`
	Page       string            `json:"page" validate:"max=255" label:"点开后进入的页面"`
	Audience   audienceRequest   `json:"audience"`
}

type pushResponse struct {
	ID         uint64    `json:"id"`
	TemplateID string    `json:"template_id"`
	Recipients int       `json:"recipients"`
	Sent       int       `json:"sent"`
	NoGrant    int       `json:"no_grant" label:"没有订阅，没发"`
	Failed     int       `json:"failed"`
	Pending    int       `json:"pending"`
	CreatedAt  time.Time `json:"created_at"`
}

var errPushRateLimited = newError(http.StatusTooManyRequests, "push_rate_limited", "推送太频繁了，一小时最多10次，请稍后再发")

func (a *API) push(c *gin.Context) {
	var req pushRequest
	if err := bindJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	if _, err := checkPush(a.opts.Templates, req.TemplateID, req.Page, req.Data); err != nil {
		fail(c, err)
		return
	}
	aud := model.Audience{UserIDs: req.Audience.UserIDs, Segment: req.Audience.Segment, SessionID: req.Audience.SessionID,
		GigID: req.Audience.GigID, MarketID: req.Audience.MarketID, RadiusM: req.Audience.RadiusM}
	p, err := a.opts.Store.CreatePush(c.Request.Context(), staffScope(c), "", req.TemplateID, req.Page, req.Data, aud)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, pushResponse{ID: p.ID, TemplateID: p.TemplateKey, Recipients: p.Recipients,
		Pending: p.Recipients, CreatedAt: p.CreatedAt})
}

func (a *API) pushReport(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		fail(c, err)
		return
	}
	r, err := a.opts.Store.PushReport(c.Request.Context(), staffScope(c), id)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, pushResponse{ID: r.ID, TemplateID: r.TemplateKey, Recipients: r.Recipients, Sent: r.Sent,
		NoGrant: r.NoGrant, Failed: r.Failed, Pending: r.Pending, CreatedAt: r.CreatedAt})
}

// checkPush refuses now, not at sending, what WeChat would refuse: a page the mini-program does not have, and
// a template's keyword left empty or in a form its type does not take. It answers each field as the phone
// will show it (free text over 20 characters cut with "…"; fields the template does not carry left out), for
// the console's preview; a kind with no template configured is shown as typed.
func checkPush(templates wechat.Templates, kind, page string, data map[string]string) (map[string]string, error) {
	if page != "" && !model.ValidPage(page) {
		return nil, fieldsError("page", "小程序里没有这个页面")
	}
	tmpl, ok := templates[kind]
	if !ok {
		return data, nil
	}
	if problems := tmpl.Check(data); len(problems) > 0 {
		names := make([]string, 0, len(problems))
		for name := range problems {
			names = append(names, name)
		}
		slices.Sort(names)
		bad := make([]fieldError, len(names))
		for i, name := range names {
			bad[i] = fieldError{Field: "data." + name, Message: problems[name]}
		}
		return nil, invalidFields(bad...)
	}
	items, err := tmpl.Data(data)
	if err != nil {
		return nil, err
	}
	shown := map[string]string{}
	for name, keyword := range tmpl.Fields {
		shown[name], _ = items[keyword].Value.(string)
	}
	return shown, nil
}
