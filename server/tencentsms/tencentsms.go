// Package tencentsms sends SMS through Tencent Cloud's SMS API (SendSms, version 2021-01-11) with plain signed
// HTTP: one POST signed TC3-HMAC-SHA256 as Tencent documents it, so that no SDK and its dependencies are
// needed for one call. It turns Tencent's error codes into a few errors the sender can act on, and never puts
// the secret key (or a whole phone number) into an error.
package tencentsms

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Errors callers act on; every error from Send wraps one of them.
var (
	// ErrPhoneLimit: Tencent's own per-number limit for the day is reached: try this number no more today. Its
	// 30-second and one-hour limits wrap it too, and PhoneBusyFor says how long to wait instead.
	ErrPhoneLimit = errors.New("tencent sms: the number's sending limit is reached")
	// ErrRefused: this number cannot be sent to (wrong number, the person blocked the sign at the carrier).
	ErrRefused = errors.New("tencent sms: the number is refused")
	// ErrUnavailable: Tencent is busy, unreachable, asks to slow down, or the SMS package is empty: try again later.
	ErrUnavailable = errors.New("tencent sms: unavailable")
	// ErrConfig: the credentials, app, sign or template are wrong or not approved: nothing sends until they are fixed.
	ErrConfig = errors.New("tencent sms: configuration rejected")
)

// Config is what sending needs; all but Region, Endpoint and Timeout are required.
type Config struct {
	SecretID   string
	SecretKey  string
	SDKAppID   string // SmsSdkAppId, 1400…
	SignName   string // the approved 签名, e.g. 合肥零工市场
	TemplateID string // the approved template the parameters fill
	Region     string // ap-guangzhou when empty
	Endpoint   string // https://sms.tencentcloudapi.com when empty; tests point it at a fake
	Timeout    time.Duration
	Now        func() time.Time
}

const (
	service = "sms"
	action  = "SendSms"
	version = "2021-01-11"
	// contentType is signed as sent, byte for byte: a client that added a charset itself would break the signature.
	contentType = "application/json; charset=utf-8"
)

// Client sends SMS.
type Client struct {
	cfg  Config
	host string
	http *http.Client
}

// New checks the configuration and makes a client.
func New(cfg Config) (*Client, error) {
	var missing []string
	for _, f := range []struct{ name, value string }{{"secret id", cfg.SecretID}, {"secret key", cfg.SecretKey},
		{"SDK app id", cfg.SDKAppID}, {"sign name", cfg.SignName}, {"template id", cfg.TemplateID}} {
		if f.value == "" {
			missing = append(missing, f.name)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("tencent sms: missing %s", strings.Join(missing, ", "))
	}
	if cfg.Region == "" {
		cfg.Region = "ap-guangzhou"
	}
	if cfg.Endpoint == "" {
		cfg.Endpoint = "https://sms.tencentcloudapi.com"
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 10 * time.Second
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	u, err := url.Parse(cfg.Endpoint)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("tencent sms: endpoint %q is not a URL", cfg.Endpoint)
	}
	return &Client{cfg: cfg, host: u.Host, http: &http.Client{Timeout: cfg.Timeout}}, nil
}

type sendRequest struct {
	PhoneNumberSet   []string
	SmsSdkAppId      string
	SignName         string
	TemplateId       string
	TemplateParamSet []string
	SessionContext   string `json:",omitempty"`
}

type apiError struct {
	Code    string
	Message string
}

type sendResponse struct {
	Response struct {
		Error         *apiError
		RequestId     string
		SendStatusSet []struct {
			SerialNo    string
			PhoneNumber string
			Code        string
			Message     string
		}
	}
}

// Send sends the template filled with params to one mainland number (11 digits) and answers Tencent's serial
// number for it. session is echoed back in Tencent's status reports (the alert's id).
func (c *Client) Send(ctx context.Context, phone string, params []string, session string) (string, error) {
	body, err := json.Marshal(sendRequest{PhoneNumberSet: []string{"+86" + phone}, SmsSdkAppId: c.cfg.SDKAppID,
		SignName: c.cfg.SignName, TemplateId: c.cfg.TemplateID, TemplateParamSet: params, SessionContext: session})
	if err != nil {
		return "", err
	}
	now := c.cfg.Now()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.cfg.Endpoint, bytes.NewReader(body))
	if err != nil {
		return "", err
	}
	req.Header.Set("Authorization", authorization(c.cfg.SecretID, c.cfg.SecretKey, service, c.host, body, now.Unix()))
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("X-TC-Action", action)
	req.Header.Set("X-TC-Version", version)
	req.Header.Set("X-TC-Timestamp", strconv.FormatInt(now.Unix(), 10))
	req.Header.Set("X-TC-Region", c.cfg.Region)
	resp, err := c.http.Do(req)
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrUnavailable, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return "", fmt.Errorf("%w: reading the answer: %v", ErrUnavailable, err)
	}
	if resp.StatusCode >= 500 {
		return "", fmt.Errorf("%w: HTTP %d", ErrUnavailable, resp.StatusCode)
	}
	var out sendResponse
	if err := json.Unmarshal(raw, &out); err != nil {
		return "", fmt.Errorf("%w: HTTP %d, not JSON", ErrUnavailable, resp.StatusCode)
	}
	if e := out.Response.Error; e != nil {
		return "", fmt.Errorf("%w: %s: %s (request %s)", classify(e.Code), e.Code, e.Message, out.Response.RequestId)
	}
	if len(out.Response.SendStatusSet) != 1 {
		return "", fmt.Errorf("%w: %d send statuses for one number", ErrUnavailable, len(out.Response.SendStatusSet))
	}
	st := out.Response.SendStatusSet[0]
	if st.Code != "Ok" {
		return "", fmt.Errorf("%w: %s: %s (request %s)", classify(st.Code), st.Code, st.Message, out.Response.RequestId)
	}
	return st.SerialNo, nil
}

// phoneBusy is one of Tencent's short per-number limits: the number may be sent to again after wait.
type phoneBusy struct{ wait time.Duration }

func (phoneBusy) Error() string        { return "tencent sms: the number's short sending limit is reached" }
func (phoneBusy) Is(target error) bool { return target == ErrPhoneLimit }

// PhoneBusyFor tells whether err is Tencent's 30-second or one-hour limit for a number, and how long to wait.
func PhoneBusyFor(err error) (time.Duration, bool) {
	var b phoneBusy
	if errors.As(err, &b) {
		return b.wait, true
	}
	return 0, false
}

// classify maps Tencent's error codes (SendSms's error code list and the common ones) to what the caller does.
func classify(code string) error {
	switch {
	case code == "LimitExceeded.PhoneNumberThirtySecondLimit":
		return phoneBusy{30 * time.Second}
	case code == "LimitExceeded.PhoneNumberOneHourLimit":
		return phoneBusy{time.Hour}
	case strings.HasPrefix(code, "LimitExceeded.PhoneNumber"):
		return ErrPhoneLimit
	case code == "FailedOperation.PhoneNumberInBlacklist", code == "FailedOperation.PhoneNumberOnBlacklist",
		code == "InvalidParameterValue.IncorrectPhoneNumber", code == "UnsupportedOperation.ContainDomesticAndInternationalPhoneNumber":
		return ErrRefused
	case strings.HasPrefix(code, "InternalError"), code == "RequestLimitExceeded", code == "LimitExceeded.DeliveryFrequencyLimit",
		code == "FailedOperation.InsufficientBalanceInSmsPackage", code == "ResourceUnavailable", code == "AuthFailure.SignatureExpire":
		return ErrUnavailable
	}
	// AuthFailure.*, FailedOperation.SignatureIncorrectOrUnapproved, FailedOperation.TemplateIncorrectOrUnapproved,
	// UnauthorizedOperation.*, InvalidParameterValue.TemplateParameterFormatError …: sending again cannot help.
	return ErrConfig
}

// authorization signs a POST of body to host with TC3-HMAC-SHA256, signing the content-type and host headers:
// Tencent Cloud API 3.0's 签名方法 v3.
func authorization(secretID, secretKey, service, host string, body []byte, timestamp int64) string {
	date := time.Unix(timestamp, 0).UTC().Format("2006-01-02")
	const signedHeaders = "content-type;host"
	canonical := strings.Join([]string{"POST", "/", "", "content-type:" + contentType + "\nhost:" + host + "\n",
		signedHeaders, sha256Hex(body)}, "\n")
	scope := date + "/" + service + "/tc3_request"
	toSign := strings.Join([]string{"TC3-HMAC-SHA256", strconv.FormatInt(timestamp, 10), scope, sha256Hex([]byte(canonical))}, "\n")
	key := hmacSHA256([]byte("TC3"+secretKey), date)
	key = hmacSHA256(key, service)
	key = hmacSHA256(key, "tc3_request")
	signature := hex.EncodeToString(hmacSHA256(key, toSign))
	return "TC3-HMAC-SHA256 Credential=" + secretID + "/" + scope + ", SignedHeaders=" + signedHeaders + ", Signature=" + signature
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func hmacSHA256(key []byte, msg string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(msg))
	return m.Sum(nil)
}
