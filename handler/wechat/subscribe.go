package wechat

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
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
		// A keyword is its type and a number (thing1, phrase2): a type WeChat does not have is a typo.
		for field, keyword := range tmpl.Fields {
			if _, ok := keywordLimits[strings.TrimRight(keyword, "0123456789")]; !ok || keyword == strings.TrimRight(keyword, "0123456789") {
				return nil, fmt.Errorf("subscribe template %q: field %q has keyword %q, not one of WeChat's types (thing1, phrase2, date3 …)", kind, field, keyword)
			}
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

// keywordFormats are WeChat's formats of the keyword types that are not free text (订阅消息参数值内容限制).
var keywordFormats = map[string]*regexp.Regexp{
	"phrase":           regexp.MustCompile(`^\p{Han}{1,5}$`),
	"character_string": regexp.MustCompile(`^[\x21-\x7e]{1,32}$`),
	"number":           regexp.MustCompile(`^\d+(\.\d+)?$`),
	"letter":           regexp.MustCompile(`^[A-Za-z]{1,32}$`),
	"amount":           regexp.MustCompile(`^[¥￥]?\d+(\.\d{1,2})?元?$`),
	"phone_number":     regexp.MustCompile(`^[+\d-]{1,17}$`),
	"date":             regexp.MustCompile(`^(\d{4}年\d{1,2}月\d{1,2}日|\d{4}-\d{2}-\d{2})( \d{1,2}:\d{2})?$`),
	"time":             regexp.MustCompile(`^((\d{4}年\d{1,2}月\d{1,2}日|\d{4}-\d{2}-\d{2}) )?\d{1,2}:\d{2}(~((\d{4}年\d{1,2}月\d{1,2}日|\d{4}-\d{2}-\d{2}) )?\d{1,2}:\d{2})?$`),
}

// checkValue says what WeChat would refuse in a value for a keyword ("" when it takes it). Free text ("thing")
// longer than 20 characters is cut with "…" rather than refused; an identifier is never cut.
func checkValue(keyword, value string) string {
	kind := strings.TrimRight(keyword, "0123456789")
	if strings.TrimSpace(value) == "" {
		return "不能为空"
	}
	if re, ok := keywordFormats[kind]; ok && !re.MatchString(value) {
		switch kind {
		case "phrase":
			return "只能是5个以内的汉字"
		case "date":
			return "日期要写成 2026年12月1日 或 2026-12-01"
		case "time":
			return "时间要写成 15:01，或 2026年12月1日 15:01"
		}
		return "格式不对"
	}
	if limit, ok := keywordLimits[kind]; ok && kind != "thing" && utf8.RuneCountInString(value) > limit {
		return fmt.Sprintf("最多%d个字", limit)
	}
	return ""
}

// Check lists, by lingong field name, what WeChat would refuse in fields for this template: a keyword with no
// value, or a value its type does not take.
func (tmpl Template) Check(fields map[string]string) map[string]string {
	out := map[string]string{}
	for name, keyword := range tmpl.Fields {
		if problem := checkValue(keyword, fields[name]); problem != "" {
			out[name] = problem
		}
	}
	return out
}

// ErrBadValue: a message's value is one WeChat would refuse; sending it would fail the same way every time.
var ErrBadValue = errors.New("wechat: a value does not fit its keyword")

// Data builds WeChat's data object from lingong's fields; fields the template does not carry are dropped. Free
// text is cut at 20 characters with "…" (the reader sees it was cut), an empty one says 无; any other value
// WeChat would refuse is an error, never cut.
func (tmpl Template) Data(fields map[string]string) (map[string]*subscribe.DataItem, error) {
	out := map[string]*subscribe.DataItem{}
	for name, keyword := range tmpl.Fields {
		v := fields[name]
		if strings.HasPrefix(keyword, "thing") {
			if strings.TrimSpace(v) == "" {
				v = "无"
			}
			if r := []rune(v); len(r) > keywordLimits["thing"] {
				v = string(r[:keywordLimits["thing"]-1]) + "…"
			}
		} else if problem := checkValue(keyword, v); problem != "" {
			return nil, fmt.Errorf("%w: %s (%s) %s", ErrBadValue, name, keyword, problem)
		}
		out[keyword] = &subscribe.DataItem{Value: v}
	}
	return out, nil
}

// SendSubscribe delivers one subscribe message and returns WeChat's msgid.
func (c *Client) SendSubscribe(ctx context.Context, openID string, tmpl Template, page string, fields map[string]string) (string, error) {
	if page == "" {
		page = tmpl.Page
	}
	data, err := tmpl.Data(fields)
	if err != nil {
		return "", err
	}
	msgID, err := callOnce(ctx, c, true, func() (int64, int64, error) {
		msgID, err := c.mp.GetSubscribe().SendGetMsgID(&subscribe.Message{ToUser: openID, TemplateID: tmpl.ID, Page: page,
			Data: data})
		return msgID, errCode(err), err
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

// SendSubscribe in the dev WeChat sends nothing anywhere and hands back a made-up msgid; a value WeChat would
// refuse fails here too.
func (Dev) SendSubscribe(_ context.Context, _ string, tmpl Template, _ string, fields map[string]string) (string, error) {
	if _, err := tmpl.Data(fields); err != nil {
		return "", err
	}
	buf := make([]byte, 6)
	_, _ = rand.Read(buf)
	return "dev-" + hex.EncodeToString(buf), nil
}
