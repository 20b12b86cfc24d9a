package main

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
	"time"
)

func envOf(kv map[string]string) func(string) string {
	return func(k string) string { return kv[k] }
}

const (
	prodKeyA = "cHJvZC1kYXRhLWtleS0wMTIzNDU2Nzg5YWJjZGVmZ2g=" // 32 bytes
	prodKeyB = "cHJvZC1sb29rdXAta2V5LTAxMjM0NTY3ODlhYmNkZWY="
)

func prodEnv() map[string]string {
	return map[string]string{
		"LINGONG_ENV": "production", "LINGONG_JWT_KEY": "a-production-jwt-key-of-enough-length-0001",
		"LINGONG_DATA_KEY": prodKeyA, "LINGONG_LOOKUP_KEY": prodKeyB,
		"LINGONG_WECHAT_APPID": "wx123", "LINGONG_WECHAT_SECRET": "the-app-secret",
		"LINGONG_DB_DSN": "lingong:db-password@tcp(db:3306)/lingong",
	}
}

func TestProductionRefusesDevelopmentDefaults(t *testing.T) {
	if _, err := loadConfig(envOf(prodEnv())); err != nil {
		t.Fatalf("a complete production config: %v", err)
	}
	tests := map[string]struct {
		drop []string
		set  map[string]string
		want string
	}{
		"no env set means production": {drop: []string{"LINGONG_ENV", "LINGONG_WECHAT_APPID", "LINGONG_WECHAT_SECRET"}, want: "dev WeChat"},
		"dev WeChat":                  {drop: []string{"LINGONG_WECHAT_APPID", "LINGONG_WECHAT_SECRET"}, want: "LINGONG_WECHAT_APPID"},
		"default jwt key":             {drop: []string{"LINGONG_JWT_KEY"}, want: "LINGONG_JWT_KEY"},
		"default data key":            {drop: []string{"LINGONG_DATA_KEY"}, want: "LINGONG_DATA_KEY"},
		"default lookup key":          {drop: []string{"LINGONG_LOOKUP_KEY"}, want: "LINGONG_LOOKUP_KEY"},
		"demo data":                   {set: map[string]string{"LINGONG_DEMO_DATA": "true"}, want: "LINGONG_DEMO_DATA"},
		"appid without secret":        {drop: []string{"LINGONG_WECHAT_SECRET"}, want: "go together"},
		"short data key":              {set: map[string]string{"LINGONG_DATA_KEY": "c2hvcnQ="}, want: "32 bytes"},
		"bad duration":                {set: map[string]string{"LINGONG_ACCESS_TTL": "forever"}, want: "LINGONG_ACCESS_TTL"},
		"unknown env":                 {set: map[string]string{"LINGONG_ENV": "staging"}, want: "LINGONG_ENV"},
		"bad trusted proxy":           {set: map[string]string{"LINGONG_TRUSTED_PROXIES": "nginx"}, want: "LINGONG_TRUSTED_PROXIES"},
		"half an SMS configuration":   {set: map[string]string{"LINGONG_SMS_SECRET_ID": "AKID1", "LINGONG_SMS_SECRET_KEY": "k"}, want: "LINGONG_SMS_SDK_APP_ID"},
		"short SMS reply token":       {set: map[string]string{"LINGONG_SMS_REPLY_TOKEN": "abc"}, want: "LINGONG_SMS_REPLY_TOKEN"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			env := prodEnv()
			for _, k := range tc.drop {
				delete(env, k)
			}
			for k, v := range tc.set {
				env[k] = v
			}
			_, err := loadConfig(envOf(env))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to mention %q", err, tc.want)
			}
		})
	}
}

func TestDevelopmentRunsWithNothingSet(t *testing.T) {
	cfg, err := loadConfig(envOf(map[string]string{"LINGONG_ENV": "development"}))
	if err != nil {
		t.Fatal(err)
	}
	if !cfg.DevWeChat() || !cfg.DemoData || string(cfg.DBDSN) != defaultDSN || cfg.AdminOpenIDs[0] != "dev-admin" {
		t.Fatalf("development defaults: %+v", cfg)
	}
	if cfg.WeChatDeadline != 6*time.Second {
		t.Fatalf("a user waits for WeChat %v by default, want 6s", cfg.WeChatDeadline)
	}
	cfg, err = loadConfig(envOf(map[string]string{"LINGONG_ENV": "development", "LINGONG_WECHAT_DEADLINE": "300ms"}))
	if err != nil || cfg.WeChatDeadline != 300*time.Millisecond {
		t.Fatalf("LINGONG_WECHAT_DEADLINE=300ms: %v, %v", cfg.WeChatDeadline, err)
	}
}

func TestConfigLogShowsNoSecret(t *testing.T) {
	env := prodEnv()
	env["LINGONG_REDIS_PASSWORD"] = "redis-pass"
	for k, v := range smsEnv() {
		env[k] = v
	}
	cfg, err := loadConfig(envOf(env))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	slog.New(slog.NewJSONHandler(&out, nil)).Info("start", slog.Any("config", cfg))
	for _, s := range []string{"a-production-jwt-key", prodKeyA, prodKeyB, "the-app-secret", "db-password", "redis-pass", "sms-secret-key-value", "sms-reply-token-value"} {
		if strings.Contains(out.String(), s) {
			t.Fatalf("config log shows %q: %s", s, out.String())
		}
	}
	if !strings.Contains(out.String(), "wx123") || !strings.Contains(out.String(), "lingong:***@tcp(db:3306)") {
		t.Fatalf("config log lacks plain fields: %s", out.String())
	}
}

func smsEnv() map[string]string {
	return map[string]string{"LINGONG_SMS_SECRET_ID": "AKIDsms", "LINGONG_SMS_SECRET_KEY": "sms-secret-key-value",
		"LINGONG_SMS_SDK_APP_ID": "1400000001", "LINGONG_SMS_SIGN_NAME": "合肥零工市场", "LINGONG_SMS_TEMPLATE_ID": "2000001",
		"LINGONG_SMS_REPLY_TOKEN": "sms-reply-token-value"}
}

// Alert SMS go through Tencent when configured, are logged in development, and are off (said at start) in a
// production without SMS configuration.
func TestSMSMode(t *testing.T) {
	cfg, err := loadConfig(envOf(prodEnv()))
	if err != nil || cfg.SMSMode() != "off" {
		t.Fatalf("production without SMS: %q, %v", cfg.SMSMode(), err)
	}
	env := prodEnv()
	for k, v := range smsEnv() {
		env[k] = v
	}
	if cfg, err = loadConfig(envOf(env)); err != nil || cfg.SMSMode() != "tencent" || cfg.SMSRegion != "ap-guangzhou" {
		t.Fatalf("production with SMS: %q, %v", cfg.SMSMode(), err)
	}
	if cfg, err = loadConfig(envOf(map[string]string{"LINGONG_ENV": "development"})); err != nil || cfg.SMSMode() != "dev" {
		t.Fatalf("development: %q, %v", cfg.SMSMode(), err)
	}
}
