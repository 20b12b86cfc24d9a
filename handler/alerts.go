package handler

import (
	"bytes"
	"crypto/subtle"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"lingong/model"
)

func (a *API) routesAlerts() {
	doc := func(summary string, req, resp any) routeDoc {
		return routeDoc{Summary: summary, Tag: "alerts", Auth: true, Request: req, Response: resp}
	}
	a.handle(http.MethodGet, "/api/v1/me/alerts", doc("有活就告诉我：我的提醒设置（没存过时是建议的设置）", nil, alertsResponse{}), a.myAlerts)
	a.handle(http.MethodPut, "/api/v1/me/alerts", doc("设置有活提醒：工种、地点和范围、只要日结、最早上工时间、收不收短信、开关", alertsRequest{}, alertsResponse{}), a.saveMyAlerts)
	a.handle(http.MethodGet, "/api/v1/me/alerts/recent", doc("最近告诉我的活（最多20个，新的在前）；点开走 /me/alerts/:id/open", nil, []sentAlertResponse{}), a.recentAlerts)
	a.handle(http.MethodPost, "/api/v1/me/alerts/:id/open", doc("从提醒里点开了活（计入“打开”），回答是哪个活", nil, alertOpenResponse{}), a.openAlert)
	a.handle(http.MethodGet, "/api/v1/elders/:id/alerts", doc("家人的有活提醒设置", nil, alertsResponse{}), a.elderAlerts)
	a.handle(http.MethodPut, "/api/v1/elders/:id/alerts", doc("替家人设置有活提醒（短信要老人自己同意，家人只能关掉）", alertsRequest{}, alertsResponse{}), a.saveElderAlerts)
	a.handle(http.MethodPost, "/api/v1/sms/replies", routeDoc{Summary: "腾讯云短信回复回调：回复“退订”“TD”等就不再发提醒短信（要带配置的 token 参数）",
		Tag: "alerts", Request: smsReply{}, Response: smsReplyAnswer{}}, a.smsReplies)
}

type alertsRequest struct {
	CategoryIDs []uint64 `json:"category_ids" label:"工种，最多10个；不选就是所有工种"`
	Place       string   `json:"place" label:"地点：home 家附近 / market 一个零工市场附近"`
	MarketID    uint64   `json:"market_id" label:"place 为 market 时的零工市场"`
	RadiusM     int      `json:"radius_m" label:"范围（米），1000到20000"`
	DailyPay    bool     `json:"daily_pay" label:"只要日结的活"`
	EarliestAt  string   `json:"earliest_at" label:"最早几点能上工，如 07:00；空着就是不限"`
	SMSConsent  bool     `json:"sms_consent" label:"同意收短信：没订微信消息时用短信告诉我（每天最多3条，晚9点到早6点不发）；要先绑定手机号"`
	Enabled     bool     `json:"enabled" label:"提醒开关"`
	SMSToken    string   `json:"sms_consent_token" label:"读设置时拿到的 sms_consent_token，原样带回：打开短信要靠它（之后回复过退订或换过手机号就是旧的，回答409）"`
}

type alertsResponse struct {
	CategoryIDs []uint64 `json:"category_ids"`
	Place       string   `json:"place"`
	MarketID    uint64   `json:"market_id"`
	RadiusM     int      `json:"radius_m"`
	DailyPay    bool     `json:"daily_pay"`
	EarliestAt  string   `json:"earliest_at"`
	Enabled     bool     `json:"enabled"`
	SMSConsent  bool     `json:"sms_consent"`
	SMSStopped  bool     `json:"sms_stopped" label:"回复过退订，短信已停"`
	Saved       bool     `json:"saved" label:"false：还没设置过，这是建议的设置"`
	HasHome     bool     `json:"has_home" label:"登记了住址，可以选“家附近”"`
	PhoneBound  bool     `json:"phone_bound" label:"绑定了手机号，可以收短信"`
	SMSPerDay   int      `json:"sms_per_day"`
	SMSToken    string   `json:"sms_consent_token" label:"保存时原样带回"`
}

func alertsOut(s *model.AlertSettings) alertsResponse {
	return alertsResponse{CategoryIDs: s.CategoryIDs, Place: s.Place, MarketID: s.MarketID, RadiusM: s.RadiusM,
		DailyPay: s.DailyPay, EarliestAt: s.EarliestAt, Enabled: s.Enabled, SMSConsent: s.SMSConsent,
		SMSStopped: s.SMSStoppedAt != nil && !s.SMSConsent, Saved: s.Saved, HasHome: s.HasHome, PhoneBound: s.HasPhone,
		SMSPerDay: model.AlertSMSPerDay, SMSToken: s.SMSToken}
}

func (r alertsRequest) input() model.AlertInput {
	return model.AlertInput{CategoryIDs: r.CategoryIDs, Place: r.Place, MarketID: r.MarketID, RadiusM: r.RadiusM,
		DailyPay: r.DailyPay, EarliestAt: r.EarliestAt, SMSConsent: r.SMSConsent, Enabled: r.Enabled, SMSToken: r.SMSToken}
}

func (a *API) myAlerts(c *gin.Context) {
	s, err := a.opts.Store.Alerts(c.Request.Context(), currentUser(c).ID)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, alertsOut(s))
}

func (a *API) saveMyAlerts(c *gin.Context) {
	var req alertsRequest
	if err := bindJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	s, err := a.opts.Store.SaveAlerts(c.Request.Context(), currentUser(c).ID, req.input())
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, alertsOut(s))
}

func (a *API) elderAlerts(c *gin.Context) {
	elder, err := pathID(c)
	if err != nil {
		fail(c, err)
		return
	}
	s, err := a.opts.Store.AlertsFor(c.Request.Context(), currentUser(c).ID, elder)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, alertsOut(s))
}

func (a *API) saveElderAlerts(c *gin.Context) {
	elder, err := pathID(c)
	if err != nil {
		fail(c, err)
		return
	}
	var req alertsRequest
	if err := bindJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	s, err := a.opts.Store.SaveAlertsFor(c.Request.Context(), currentUser(c).ID, elder, req.input())
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, alertsOut(s))
}

type sentAlertResponse struct {
	ID        uint64    `json:"id"`
	GigID     uint64    `json:"gig_id"`
	Title     string    `json:"title"`
	WageCents int64     `json:"wage_cents"`
	WageUnit  string    `json:"wage_unit"`
	StartDate string    `json:"start_date"`
	Channel   string    `json:"channel" label:"wechat 微信消息 / sms 短信"`
	SentAt    time.Time `json:"sent_at"`
	Opened    bool      `json:"opened"`
}

func (a *API) recentAlerts(c *gin.Context) {
	list, err := a.opts.Store.RecentAlerts(c.Request.Context(), currentUser(c).ID, 20)
	if err != nil {
		fail(c, err)
		return
	}
	out := make([]sentAlertResponse, len(list))
	for i, s := range list {
		out[i] = sentAlertResponse{ID: s.ID, GigID: s.GigID, Title: s.Title, WageCents: s.WageCents, WageUnit: s.WageUnit,
			StartDate: s.StartDate, Channel: s.Channel, SentAt: s.SentAt, Opened: s.Opened}
	}
	c.JSON(http.StatusOK, out)
}

type alertOpenResponse struct {
	GigID uint64 `json:"gig_id"`
}

func (a *API) openAlert(c *gin.Context) {
	id, err := pathID(c)
	if err != nil {
		fail(c, err)
		return
	}
	gig, err := a.opts.Store.OpenAlert(c.Request.Context(), currentUser(c).ID, id)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, alertOpenResponse{GigID: gig})
}

// smsReply is one reply as Tencent Cloud's SMS reply callback (短信回复回调) posts it.
type smsReply struct {
	Extend     string `json:"extend"`
	Mobile     string `json:"mobile" label:"回复的手机号"`
	NationCode string `json:"nationcode"`
	Sign       string `json:"sign"`
	Text       string `json:"text" label:"回复的内容"`
	Time       int64  `json:"time"`
}

// smsReplyAnswer is what Tencent expects back: result 0 means taken.
type smsReplyAnswer struct {
	Result int    `json:"result"`
	ErrMsg string `json:"errmsg"`
}

var errSMSReplyToken = newError(http.StatusForbidden, "sms_reply_forbidden", "这个地址只给短信平台回调用")

// smsReplies takes Tencent's reply callback: a 退订 (or TD, T, N) stops alert SMS to that phone. The callback
// URL carries a secret token set in LINGONG_SMS_REPLY_TOKEN; without one configured the route answers 404,
// so that nobody can stop someone else's SMS by posting their number.
func (a *API) smsReplies(c *gin.Context) {
	want := a.opts.SMSReplyToken
	if want == "" {
		fail(c, errUnknownRoute)
		return
	}
	if subtle.ConstantTimeCompare([]byte(c.Query("token")), []byte(want)) != 1 {
		fail(c, errSMSReplyToken)
		return
	}
	body, err := io.ReadAll(c.Request.Body)
	if err != nil {
		fail(c, errBodyTooLarge)
		return
	}
	// Tencent may send one reply or a list, and may add fields: unknown fields are ignored here.
	var replies []smsReply
	if body = bytes.TrimSpace(body); len(body) > 0 && body[0] == '[' {
		err = json.Unmarshal(body, &replies)
	} else {
		var one smsReply
		err = json.Unmarshal(body, &one)
		replies = []smsReply{one}
	}
	if err != nil {
		fail(c, errInvalidJSON)
		return
	}
	for _, r := range replies {
		if (r.NationCode != "" && r.NationCode != "86") || !model.IsUnsubscribe(r.Text) {
			continue
		}
		if _, err := a.opts.Store.StopAlertSMS(c.Request.Context(), r.Mobile); err != nil {
			fail(c, err)
			return
		}
		logger(c).Info("alert SMS stopped by reply", slog.String("phone", model.MaskPhone(r.Mobile)),
			slog.Time("replied_at", time.Unix(r.Time, 0)))
	}
	c.JSON(http.StatusOK, smsReplyAnswer{Result: 0, ErrMsg: "OK"})
}
