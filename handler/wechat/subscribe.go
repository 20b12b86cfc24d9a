package wechat

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/silenceper/wechat/v2/miniprogram/subscribe"
)

// Errors of subscribe messages that must not be retried.
var (
	// ErrNotSubscribed: the user has no grant left for the template (43101).
	ErrNotSubscribed = errors.New("wechat: user has not subscribed")
	// ErrBadMessage: the template id or a field is wrong (40037, 47003); ours to fix, not to retry.
	ErrBadMessage = errors.New("wechat: template or data invalid")
)

// Template is a subscribe-message template configured in the WeChat console: its id, the page it opens, and
// which of its keywords (thing1, phrase2, time3 …) carries each field lingong fills in.
type Template struct {
	ID     string            `json:"id"`
	Page   string            `json:"page"`
	Fields map[string]string `json:"fields"`
}

// Templates maps lingong's message kinds (application_result, review_result …) to templates.
type Templates map[string]Template

// ParseTemplates reads templates from JSON, e.g.
// {"application_result": {"id": "AbC…", "page": "pages/applications/index", "fields": {"gig": "thing1", "result": "phrase2"}}}.
func ParseTemplates(raw string) (Templates, error) {
	var t Templates
	if err := json.Unmarshal([]byte(raw), &t); err != nil {
		return nil, fmt.Errorf("subscribe templates: %w", err)
	}
	for kind, tmpl := range t {
		if tmpl.ID == "" || len(tmpl.Fields) == 0 {
			return nil, fmt.Errorf("subscribe template %q needs an id and fields", kind)
		}
	}
	return t, nil
}

// KindOf finds the message kind of a WeChat template id, as wx.requestSubscribeMessage reports grants by id.
func (t Templates) KindOf(templateID string) (string, bool) {
	for kind, tmpl := range t {
		if tmpl.ID == templateID {
			return kind, true
		}
	}
	return "", false
}

// keywordLimits are WeChat's length limits per keyword type, in characters.
var keywordLimits = map[string]int{
	"thing": 20, "phrase": 5, "name": 10, "character_string": 32, "number": 32, "letter": 32, "symbol": 5,
	"phone_number": 17, "car_number": 8, "amount": 32, "time": 32, "date": 32,
}

// fit cuts a value to its keyword's limit (a cut "thing" ends with "…" so that the reader sees it was cut).
func fit(keyword, value string) string {
	kind := strings.TrimRight(keyword, "0123456789")
	limit, ok := keywordLimits[kind]
	if !ok || utf8.RuneCountInString(value) <= limit {
		return value
	}
	r := []rune(value)
	if kind == "thing" {
		return string(r[:limit-1]) + "…"
	}
	return string(r[:limit])
}

// Data builds WeChat's data object from lingong's fields, cut to WeChat's limits; fields the template does
// not carry are dropped.
func (tmpl Template) Data(fields map[string]string) map[string]*subscribe.DataItem {
	out := map[string]*subscribe.DataItem{}
	for name, keyword := range tmpl.Fields {
		if v, ok := fields[name]; ok {
			out[keyword] = &subscribe.DataItem{Value: fit(keyword, v)}
		}
	}
	return out
}

// SendSubscribe delivers one subscribe message and returns WeChat's msgid.
func (c *Client) SendSubscribe(ctx context.Context, openID string, tmpl Template, page string, fields map[string]string) (string, error) {
	if page == "" {
		page = tmpl.Page
	}
	var msgID int64
	err := c.callOnce(ctx, true, func() (int64, error) {
		var err error
		msgID, err = c.mp.GetSubscribe().SendGetMsgID(&subscribe.Message{ToUser: openID, TemplateID: tmpl.ID, Page: page,
			Data: tmpl.Data(fields)})
		return errCode(err), err
	})
	if err != nil {
		return "", subscribeErr(err)
	}
	return strconv.FormatInt(msgID, 10), nil
}

func subscribeErr(err error) error {
	var we *Error
	if errors.As(err, &we) {
		switch we.Code {
		case 43101:
			return fmt.Errorf("%w: %w", ErrNotSubscribed, err)
		case 40037, 47003, 47001:
			return fmt.Errorf("%w: %w", ErrBadMessage, err)
		}
	}
	return err
}

// SendSubscribe in the dev WeChat sends nothing anywhere and hands back a made-up msgid.
func (Dev) SendSubscribe(context.Context, string, Template, string, map[string]string) (string, error) {
	buf := make([]byte, 6)
	_, _ = rand.Read(buf)
	return "dev-" + hex.EncodeToString(buf), nil
}
