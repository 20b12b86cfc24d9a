package tencentsms

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The signer gives the signature of Tencent's own worked example (签名方法 v3: CVM DescribeInstances, 2019-02-25).
func TestAuthorizationMatchesTencentsExample(t *testing.T) {
	body := []byte(`{"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]}`)
	got := authorization("AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE", "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE", "cvm", "cvm.tencentcloudapi.com", body, 1551113065)
	want := "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, " +
		"SignedHeaders=content-type;host, Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168"
	if got != want {
		t.Fatalf("authorization\n got %s\nwant %s", got, want)
	}
}

const (
	testID  = "AKIDtestsecretid"
	testKey = "test-secret-key-never-logged"
)

// fakeTencent answers SendSms as Tencent documents it, after checking the request's signature the way Tencent's
// gateway does (recomputed here from the headers it received, step by step) and its common parameters.
func fakeTencent(t *testing.T, answer func(req sendRequest) (int, string)) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		ts, _ := strconv.ParseInt(r.Header.Get("X-TC-Timestamp"), 10, 64)
		date := time.Unix(ts, 0).UTC().Format("2006-01-02")
		sum := sha256.Sum256(body)
		canonical := "POST\n/\n\ncontent-type:" + r.Header.Get("Content-Type") + "\nhost:" + r.Host + "\n\ncontent-type;host\n" + hex.EncodeToString(sum[:])
		csum := sha256.Sum256([]byte(canonical))
		toSign := "TC3-HMAC-SHA256\n" + r.Header.Get("X-TC-Timestamp") + "\n" + date + "/sms/tc3_request\n" + hex.EncodeToString(csum[:])
		mac := func(key []byte, s string) []byte {
			h := hmac.New(sha256.New, key)
			h.Write([]byte(s))
			return h.Sum(nil)
		}
		k := mac(mac(mac([]byte("TC3"+testKey), date), "sms"), "tc3_request")
		want := "TC3-HMAC-SHA256 Credential=" + testID + "/" + date + "/sms/tc3_request, SignedHeaders=content-type;host, Signature=" + hex.EncodeToString(mac(k, toSign))
		w.Header().Set("Content-Type", "application/json")
		if r.Header.Get("Authorization") != want {
			_, _ = io.WriteString(w, `{"Response":{"Error":{"Code":"AuthFailure.SignatureFailure","Message":"The provided credentials could not be validated."},"RequestId":"r-sig"}}`)
			return
		}
		if r.Header.Get("X-TC-Action") != "SendSms" || r.Header.Get("X-TC-Version") != "2021-01-11" || r.Header.Get("X-TC-Region") == "" {
			_, _ = io.WriteString(w, `{"Response":{"Error":{"Code":"InvalidAction","Message":"bad action"},"RequestId":"r-act"}}`)
			return
		}
		var req sendRequest
		if err := json.Unmarshal(body, &req); err != nil {
			t.Errorf("body: %v", err)
		}
		status, out := answer(req)
		w.WriteHeader(status)
		_, _ = io.WriteString(w, out)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func okStatus(code string) string {
	return `{"Response":{"SendStatusSet":[{"SerialNo":"5000:104571066915","PhoneNumber":"+8613812345678","Fee":1,"SessionContext":"a-1","Code":"` +
		code + `","Message":"` + code + `","IsoCode":"CN"}],"RequestId":"r-1"}}`
}

func TestSendAgainstFakeTencent(t *testing.T) {
	var got sendRequest
	reply := okStatus("Ok")
	status := 200
	srv := fakeTencent(t, func(req sendRequest) (int, string) { got = req; return status, reply })
	c, err := New(Config{SecretID: testID, SecretKey: testKey, SDKAppID: "1400000001", SignName: "合肥零工市场", TemplateID: "2000001", Endpoint: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	serial, err := c.Send(context.Background(), "13812345678", []string{"搬运", "250元/天"}, "a-1")
	if err != nil || serial != "5000:104571066915" {
		t.Fatalf("send: %q %v", serial, err)
	}
	if got.PhoneNumberSet[0] != "+8613812345678" || got.SmsSdkAppId != "1400000001" || got.SignName != "合肥零工市场" ||
		got.TemplateId != "2000001" || strings.Join(got.TemplateParamSet, "|") != "搬运|250元/天" {
		t.Fatalf("request: %+v", got)
	}
	for _, c2 := range []struct {
		status int
		reply  string
		want   error
	}{
		{200, okStatus("LimitExceeded.PhoneNumberDailyLimit"), ErrPhoneLimit},
		{200, okStatus("LimitExceeded.PhoneNumberThirtySecondLimit"), ErrPhoneLimit},
		{200, okStatus("FailedOperation.PhoneNumberInBlacklist"), ErrRefused},
		{200, okStatus("FailedOperation.TemplateIncorrectOrUnapproved"), ErrConfig},
		{200, `{"Response":{"Error":{"Code":"FailedOperation.SignatureIncorrectOrUnapproved","Message":"签名未审批"},"RequestId":"r-2"}}`, ErrConfig},
		{200, `{"Response":{"Error":{"Code":"InternalError.Timeout","Message":"timeout"},"RequestId":"r-3"}}`, ErrUnavailable},
		{200, `{"Response":{"Error":{"Code":"RequestLimitExceeded","Message":"slow down"},"RequestId":"r-4"}}`, ErrUnavailable},
		{502, `<html>bad gateway</html>`, ErrUnavailable},
	} {
		status, reply = c2.status, c2.reply
		_, err := c.Send(context.Background(), "13812345678", []string{"x"}, "")
		if !errors.Is(err, c2.want) {
			t.Errorf("%s: %v, want %v", c2.reply, err, c2.want)
		}
		// The 30-second limit is a wait, the daily one is not.
		if wait, busy := PhoneBusyFor(err); busy != strings.Contains(c2.reply, "ThirtySecond") || (busy && wait != 30*time.Second) {
			t.Errorf("%s: busy %v for %s", c2.reply, busy, wait)
		}
		if err != nil && strings.Contains(err.Error(), testKey) {
			t.Errorf("the error shows the secret key: %v", err)
		}
	}

	// A wrong key is refused by the signature check, and reads as configuration to fix.
	bad, _ := New(Config{SecretID: testID, SecretKey: "wrong", SDKAppID: "1", SignName: "s", TemplateID: "t", Endpoint: srv.URL})
	status, reply = 200, okStatus("Ok")
	if _, err := bad.Send(context.Background(), "13812345678", nil, ""); !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), "AuthFailure.SignatureFailure") {
		t.Fatalf("wrong key: %v", err)
	}
	if _, err := New(Config{SecretID: testID}); err == nil || !strings.Contains(err.Error(), "secret key") {
		t.Fatalf("missing configuration: %v", err)
	}
}
