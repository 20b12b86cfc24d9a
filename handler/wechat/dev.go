package wechat

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
)

// Dev stands in for WeChat on a developer's machine: the login code "X" is the openid "dev-X", so
// `curl -d '{"code":"alice"}'` signs in as dev-alice. It must never run in production; the server refuses to.
type Dev struct{}

// DevOpenIDPrefix marks accounts made through the dev WeChat.
const DevOpenIDPrefix = "dev-"

// Code2Session makes openid "dev-<code>" and a session key derived from it.
func (Dev) Code2Session(_ context.Context, code string) (Session, error) {
	code = strings.TrimSpace(code)
	if code == "" || len(code) > 64 {
		return Session{}, ErrBadCode
	}
	sum := sha256.Sum256([]byte("dev-session-key:" + code))
	return Session{OpenID: DevOpenIDPrefix + code, SessionKey: hex.EncodeToString(sum[:16])}, nil
}

// PhoneNumber takes an 11-digit code as the number itself, and turns any other code into a stable fake
// mainland number, so that DevTools' getPhoneNumber (which gives a random code) works too.
func (Dev) PhoneNumber(_ context.Context, code string) (Phone, error) {
	if code == "" {
		return Phone{}, ErrBadCode
	}
	if len(code) == 11 && strings.Trim(code, "0123456789") == "" && code[0] == '1' {
		return Phone{Number: code, CountryCode: "86"}, nil
	}
	sum := sha256.Sum256([]byte(code))
	n := uint64(sum[0])<<24 | uint64(sum[1])<<16 | uint64(sum[2])<<8 | uint64(sum[3])
	return Phone{Number: fmt.Sprintf("139%08d", n%100000000), CountryCode: "86"}, nil
}

// CheckText passes every text but those holding the marker words, so that the flagged paths can be tried; it
// answers through the content-check queue, as WeChat does. "微信不通测试" is WeChat down: the text stays checking.
func (Dev) CheckText(_ context.Context, _, text string) (Verdict, error) {
	switch {
	case strings.Contains(text, "违规测试"):
		return VerdictRisky, nil
	case strings.Contains(text, "待审测试"):
		return VerdictReview, nil
	case strings.Contains(text, "微信不通测试"):
		return "", ErrUnavailable
	}
	return VerdictPass, nil
}
