// Package wechattest is a fake of WeChat's server API on a local port, answering as WeChat documents,
// error codes included. Tests point the real silenceper code at it through the API base URL, as the real
// server binary can be pointed at it from outside (LINGONG_WECHAT_API_BASE).
package wechattest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"image/jpeg"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"
)

// Fake is a running fake WeChat. Codes steer its answers:
//   - login code "bad" → 40029, "used" → 40163, "busy" → -1, "slow-down" → 45011, "risky-user" → 40226,
//     "empty" → {} (no errcode, no openid);
//     any other code X → openid "o-X".
//   - phone code "other-app" → a number watermarked for another appid; any other code → 13800138000.
//   - text holding "risky" or "review" → that msgSecCheck suggestion.
//
// FailNext scripts failures of the next calls to one API; SlowDown makes it slow, or hang.
type Fake struct {
	*httptest.Server
	AppID     string
	AppSecret string

	mu        sync.Mutex
	calls     map[string]int
	cancelled map[string]int
	failures  map[string][]int
	token     int
	delay     time.Duration
	Sent      []map[string]any // subscribe messages received
}

// SlowDown makes every answer wait d first, as WeChat does on a bad day; a long d is a WeChat that hangs. A
// request its caller gives up on meanwhile is counted by Cancelled, not by Calls.
func (f *Fake) SlowDown(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.delay = d
}

// API names used by Calls and FailNext.
const (
	APICode2Session = "/sns/jscode2session"
	APIStableToken  = "/cgi-bin/stable_token"
	APIPhoneNumber  = "/wxa/business/getuserphonenumber"
	APIMsgSecCheck  = "/wxa/msg_sec_check"
	APISubscribe    = "/cgi-bin/message/subscribe/send"
	APIWXACode      = "/wxa/getwxacodeunlimit"
)

// FakeCode is the image the fake hands out as a mini-program code: a small JPEG, as WeChat sends.
var FakeCode = func() []byte {
	img := image.NewGray(image.Rect(0, 0, 64, 64))
	for i := range img.Pix {
		img.Pix[i] = uint8(i % 255)
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		panic(err)
	}
	return b.Bytes()
}()

// Start runs a fake for appID/secret until the test ends.
func Start(t interface{ Cleanup(func()) }, appID, secret string) *Fake {
	f := &Fake{AppID: appID, AppSecret: secret, calls: map[string]int{}, cancelled: map[string]int{}, failures: map[string][]int{}}
	f.Server = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.Close)
	return f
}

// FailNext makes the next calls to api answer the given errcodes, one each, in order. An errcode of 0
// means "drop the connection" (a network failure).
func (f *Fake) FailNext(api string, errcodes ...int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.failures[api] = append(f.failures[api], errcodes...)
}

// Calls counts the requests an API received.
func (f *Fake) Calls(api string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[api]
}

// Cancelled counts the requests to an API that their caller gave up on while the fake was slow to answer.
func (f *Fake) Cancelled(api string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.cancelled[api]
}

// Delivered counts the subscribe messages WeChat accepted, per recipient openid (a call refused for a stale
// token delivers nothing).
func (f *Fake) Delivered() map[string]int {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := map[string]int{}
	for _, m := range f.Sent {
		to, _ := m["touser"].(string)
		out[to]++
	}
	return out
}

// Token is the access token the fake handed out last.
func (f *Fake) Token() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return fmt.Sprintf("fake-token-%d", f.token)
}

func (f *Fake) serve(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	delay := f.delay
	f.mu.Unlock()
	if delay > 0 {
		// The body is read first: until it is, the server does not watch the connection, and a caller that
		// hangs up would go unnoticed.
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		select {
		case <-time.After(delay):
		case <-r.Context().Done():
			f.mu.Lock()
			f.cancelled[r.URL.Path]++
			f.mu.Unlock()
			return
		}
	}
	f.mu.Lock()
	f.calls[r.URL.Path]++
	var scripted *int
	if q := f.failures[r.URL.Path]; len(q) > 0 {
		scripted = &q[0]
		f.failures[r.URL.Path] = q[1:]
	}
	f.mu.Unlock()

	if scripted != nil {
		if *scripted == 0 {
			hj, ok := w.(http.Hijacker)
			if ok {
				if conn, _, err := hj.Hijack(); err == nil {
					conn.Close()
					return
				}
			}
			w.WriteHeader(http.StatusBadGateway)
			return
		}
		writeErr(w, *scripted)
		return
	}

	switch r.URL.Path {
	case APICode2Session:
		f.code2Session(w, r)
	case APIStableToken:
		f.stableToken(w, r)
	case APIWXACode:
		if r.URL.Query().Get("access_token") != f.Token() {
			writeErr(w, 40001)
			return
		}
		w.Header().Set("Content-Type", "image/jpeg")
		w.Write(FakeCode)
	case APIPhoneNumber, APIMsgSecCheck, APISubscribe:
		if r.URL.Query().Get("access_token") != f.Token() {
			writeErr(w, 40001)
			return
		}
		var body map[string]any
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			writeErr(w, 47001)
			return
		}
		switch r.URL.Path {
		case APIPhoneNumber:
			f.phoneNumber(w, body)
		case APIMsgSecCheck:
			f.msgSecCheck(w, body)
		case APISubscribe:
			f.mu.Lock()
			f.Sent = append(f.Sent, body)
			n := len(f.Sent)
			f.mu.Unlock()
			writeJSON(w, map[string]any{"errcode": 0, "errmsg": "ok", "msgid": 1000 + n})
		}
	default:
		http.NotFound(w, r)
	}
}

func (f *Fake) code2Session(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("appid") != f.AppID || q.Get("secret") != f.AppSecret {
		writeErr(w, 40125)
		return
	}
	code := q.Get("js_code")
	switch code {
	case "bad":
		writeErr(w, 40029)
	case "used":
		writeErr(w, 40163)
	case "busy":
		writeErr(w, -1)
	case "slow-down":
		writeErr(w, 45011)
	case "risky-user":
		writeErr(w, 40226)
	case "empty":
		writeJSON(w, map[string]any{}) // what a misbehaving proxy or a WeChat hiccup answers: no error, no openid
	default:
		writeJSON(w, map[string]any{"openid": "o-" + code, "session_key": "sk-" + code, "unionid": ""})
	}
}

func (f *Fake) stableToken(w http.ResponseWriter, r *http.Request) {
	var body struct {
		AppID  string `json:"appid"`
		Secret string `json:"secret"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil || body.AppID != f.AppID || body.Secret != f.AppSecret {
		writeErr(w, 40013)
		return
	}
	f.mu.Lock()
	f.token++
	tok := fmt.Sprintf("fake-token-%d", f.token)
	f.mu.Unlock()
	writeJSON(w, map[string]any{"access_token": tok, "expires_in": 7200})
}

func (f *Fake) phoneNumber(w http.ResponseWriter, body map[string]any) {
	code, _ := body["code"].(string)
	appID := f.AppID
	if code == "other-app" {
		appID = "wx-someone-else"
	}
	if code == "" || code == "bad" {
		writeErr(w, 40029)
		return
	}
	writeJSON(w, map[string]any{"errcode": 0, "errmsg": "ok", "phone_info": map[string]any{
		"phoneNumber": "13800138000", "purePhoneNumber": "13800138000", "countryCode": "86",
		"watermark": map[string]any{"appid": appID, "timestamp": 1700000000},
	}})
}

func (f *Fake) msgSecCheck(w http.ResponseWriter, body map[string]any) {
	content, _ := body["content"].(string)
	suggest, label := "pass", 100
	switch {
	case strings.Contains(content, "risky"):
		suggest, label = "risky", 20001
	case strings.Contains(content, "review"):
		suggest, label = "review", 21000
	}
	writeJSON(w, map[string]any{"errcode": 0, "errmsg": "ok", "trace_id": "t",
		"result": map[string]any{"suggest": suggest, "label": label}})
}

var errMessages = map[int]string{
	-1: "system error", 40001: "invalid credential, access_token is invalid or not latest",
	40013: "invalid appid", 40029: "invalid code", 40125: "invalid appsecret", 40163: "code been used",
	43101: "user refuse to accept the msg", 40226: "invalid login, risky user", 45011: "api minute-quota reach limit", 47001: "data format error",
	47003: "argument invalid", 40037: "invalid template_id", 42001: "access_token expired",
}

func writeErr(w http.ResponseWriter, code int) {
	writeJSON(w, map[string]any{"errcode": code, "errmsg": errMessages[code]})
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}
