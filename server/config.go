package main

import (
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"lingong/handler"
	"lingong/handler/wechat"
	"lingong/model"
)

// Config is everything the server reads, all from environment variables (see README). Secrets are kept
// as secret so that printing the config never shows them.
type Config struct {
	Env             string // "production" (the default) or "development"
	Addr            string
	DBDSN           secret
	JWTKey          secret
	DataKey         secret
	DataOldKeys     secret
	LookupKey       secret
	WeChatAppID     string
	WeChatSecret    secret
	WeChatAPIBase   string
	WeChatTimeout   time.Duration
	WeChatDeadline  time.Duration
	RedisAddr       string
	RedisPassword   secret
	RedisDB         int
	AdminOpenIDs    []string
	AccessTTL       time.Duration
	RefreshTTL      time.Duration
	TrustedProxies  []string
	ConsoleNetworks []string
	DemoData        bool
	LogFormat       string
	ShutdownTimeout time.Duration
	LoginPerMinute  int
	DBMaxConns      int
	UploadDir       string
	Templates       wechat.Templates
	PosterFont      string
	PosterLatinFont string
	// Tencent Cloud SMS for job alerts (all five, or none: then the dev SMS in development, no SMS in production).
	SMSSecretID   string
	SMSSecretKey  secret
	SMSSDKAppID   string
	SMSSignName   string
	SMSTemplateID string
	SMSRegion     string
	SMSEndpoint   string
	// SMSReplyToken guards Tencent's SMS reply callback (退订).
	SMSReplyToken secret
}

// secret is a config value that prints as "***".
type secret string

func (s secret) String() string {
	if s == "" {
		return ""
	}
	return "***"
}

// LogValue keeps the value out of structured logs too.
func (s secret) LogValue() slog.Value { return slog.StringValue(s.String()) }

// Values that make `make run` work out of the box and that production refuses.
const (
	devJWTKey    = "lingong-development-jwt-key-do-not-use-in-production"
	devDataKey   = "ZGV2LWRhdGEta2V5LWRvLW5vdC11c2UtMzItYnl0ZXM=" // "dev-data-key-do-not-use-32-bytes"
	devLookupKey = "ZGV2LWxvb2t1cC1rZXktbm90LWZvci1wcm9kdWN0biE=" // "dev-lookup-key-not-for-productn!"
	defaultDSN   = "sqlite:./data/lingong.db"
)

// loadConfig reads the environment and checks it. In production it refuses the development defaults and
// the dev WeChat, so that a forgotten variable stops the start instead of opening a hole.
func loadConfig(getenv func(string) string) (Config, error) {
	var errs []error
	str := func(key, def string) string {
		if v := strings.TrimSpace(getenv(key)); v != "" {
			return v
		}
		return def
	}
	dur := func(key string, def time.Duration) time.Duration {
		v := str(key, "")
		if v == "" {
			return def
		}
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			errs = append(errs, fmt.Errorf("%s: %q is not a duration like 30s or 2h", key, v))
			return def
		}
		return d
	}
	num := func(key string, def int) int {
		v := str(key, "")
		if v == "" {
			return def
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			errs = append(errs, fmt.Errorf("%s: %q is not a whole number", key, v))
			return def
		}
		return n
	}
	list := func(key string) []string {
		var out []string
		for _, v := range strings.Split(str(key, ""), ",") {
			if v = strings.TrimSpace(v); v != "" {
				out = append(out, v)
			}
		}
		return out
	}

	cfg := Config{
		Env:             str("LINGONG_ENV", "production"),
		Addr:            str("LINGONG_ADDR", ":8080"),
		DBDSN:           secret(str("LINGONG_DB_DSN", defaultDSN)),
		JWTKey:          secret(str("LINGONG_JWT_KEY", devJWTKey)),
		DataKey:         secret(str("LINGONG_DATA_KEY", devDataKey)),
		DataOldKeys:     secret(str("LINGONG_DATA_OLD_KEYS", "")),
		LookupKey:       secret(str("LINGONG_LOOKUP_KEY", devLookupKey)),
		WeChatAppID:     str("LINGONG_WECHAT_APPID", ""),
		WeChatSecret:    secret(str("LINGONG_WECHAT_SECRET", "")),
		WeChatAPIBase:   str("LINGONG_WECHAT_API_BASE", "https://api.weixin.qq.com"),
		WeChatTimeout:   dur("LINGONG_WECHAT_TIMEOUT", 5*time.Second),
		WeChatDeadline:  dur("LINGONG_WECHAT_DEADLINE", handler.DefaultWeChatDeadline),
		RedisAddr:       str("LINGONG_REDIS_ADDR", ""),
		RedisPassword:   secret(str("LINGONG_REDIS_PASSWORD", "")),
		RedisDB:         num("LINGONG_REDIS_DB", 0),
		AdminOpenIDs:    list("LINGONG_ADMIN_OPENIDS"),
		AccessTTL:       dur("LINGONG_ACCESS_TTL", 2*time.Hour),
		RefreshTTL:      dur("LINGONG_REFRESH_TTL", 30*24*time.Hour),
		TrustedProxies:  list("LINGONG_TRUSTED_PROXIES"),
		ConsoleNetworks: list("LINGONG_CONSOLE_NETWORKS"),
		LogFormat:       str("LINGONG_LOG_FORMAT", "json"),
		ShutdownTimeout: dur("LINGONG_SHUTDOWN_TIMEOUT", 20*time.Second),
		LoginPerMinute:  num("LINGONG_LOGIN_PER_MINUTE", 20),
		DBMaxConns:      num("LINGONG_DB_MAX_CONNS", model.DefaultMaxConns),
		UploadDir:       str("LINGONG_UPLOAD_DIR", "./data/uploads"),
		PosterFont:      str("LINGONG_POSTER_FONT", ""),
		PosterLatinFont: str("LINGONG_POSTER_LATIN_FONT", ""),
		SMSSecretID:     str("LINGONG_SMS_SECRET_ID", ""),
		SMSSecretKey:    secret(str("LINGONG_SMS_SECRET_KEY", "")),
		SMSSDKAppID:     str("LINGONG_SMS_SDK_APP_ID", ""),
		SMSSignName:     str("LINGONG_SMS_SIGN_NAME", ""),
		SMSTemplateID:   str("LINGONG_SMS_TEMPLATE_ID", ""),
		SMSRegion:       str("LINGONG_SMS_REGION", "ap-guangzhou"),
		SMSEndpoint:     str("LINGONG_SMS_ENDPOINT", "https://sms.tencentcloudapi.com"),
		SMSReplyToken:   secret(str("LINGONG_SMS_REPLY_TOKEN", "")),
	}
	if raw := str("LINGONG_SUBSCRIBE_TEMPLATES", ""); raw != "" {
		t, err := wechat.ParseTemplates(raw)
		if err != nil {
			errs = append(errs, fmt.Errorf("LINGONG_SUBSCRIBE_TEMPLATES: %w", err))
		}
		cfg.Templates = t
	}
	dev := cfg.Env == "development"
	if cfg.Env != "production" && !dev {
		errs = append(errs, fmt.Errorf("LINGONG_ENV: %q must be production or development", cfg.Env))
	}
	switch demo := str("LINGONG_DEMO_DATA", ""); demo {
	case "":
		cfg.DemoData = dev
	case "true", "1":
		cfg.DemoData = true
	case "false", "0":
	default:
		errs = append(errs, fmt.Errorf("LINGONG_DEMO_DATA: %q must be true or false", demo))
	}
	if dev && len(cfg.AdminOpenIDs) == 0 {
		cfg.AdminOpenIDs = []string{"dev-admin"}
	}
	if cfg.LogFormat != "json" && cfg.LogFormat != "text" {
		errs = append(errs, fmt.Errorf("LINGONG_LOG_FORMAT: %q must be json or text", cfg.LogFormat))
	}
	if (cfg.WeChatAppID == "") != (cfg.WeChatSecret == "") {
		errs = append(errs, errors.New("LINGONG_WECHAT_APPID and LINGONG_WECHAT_SECRET go together"))
	}
	smsSet := 0
	for _, v := range []string{cfg.SMSSecretID, string(cfg.SMSSecretKey), cfg.SMSSDKAppID, cfg.SMSSignName, cfg.SMSTemplateID} {
		if v != "" {
			smsSet++
		}
	}
	if smsSet != 0 && smsSet != 5 {
		errs = append(errs, errors.New("LINGONG_SMS_SECRET_ID, LINGONG_SMS_SECRET_KEY, LINGONG_SMS_SDK_APP_ID, LINGONG_SMS_SIGN_NAME and "+
			"LINGONG_SMS_TEMPLATE_ID go together: set all five for alert SMS, or none (no SMS in production)"))
	}
	if cfg.SMSReplyToken != "" && len(cfg.SMSReplyToken) < 16 {
		errs = append(errs, errors.New("LINGONG_SMS_REPLY_TOKEN must be at least 16 characters: it alone stops anyone's SMS"))
	}
	if len(cfg.JWTKey) < 32 {
		errs = append(errs, errors.New("LINGONG_JWT_KEY must be at least 32 characters"))
	}
	for _, key := range []struct {
		name  string
		value secret
	}{{"LINGONG_DATA_KEY", cfg.DataKey}, {"LINGONG_LOOKUP_KEY", cfg.LookupKey}} {
		if _, err := decodeKey(string(key.value)); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", key.name, err))
		}
	}
	for _, p := range cfg.TrustedProxies {
		if net.ParseIP(p) == nil {
			if _, _, err := net.ParseCIDR(p); err != nil {
				errs = append(errs, fmt.Errorf("LINGONG_TRUSTED_PROXIES: %q is not an IP or CIDR", p))
			}
		}
	}
	for _, n := range cfg.ConsoleNetworks {
		if _, err := netip.ParsePrefix(n); err != nil {
			errs = append(errs, fmt.Errorf("LINGONG_CONSOLE_NETWORKS: %q is not a network such as 10.20.0.0/16", n))
		}
	}
	if !dev {
		if cfg.WeChatAppID == "" {
			errs = append(errs, errors.New("production needs LINGONG_WECHAT_APPID and LINGONG_WECHAT_SECRET: the dev WeChat lets anyone sign in as anyone"))
		}
		for _, d := range []struct {
			name       string
			value, def secret
		}{{"LINGONG_JWT_KEY", cfg.JWTKey, devJWTKey}, {"LINGONG_DATA_KEY", cfg.DataKey, devDataKey}, {"LINGONG_LOOKUP_KEY", cfg.LookupKey, devLookupKey}} {
			if d.value == d.def {
				errs = append(errs, fmt.Errorf("production needs its own %s, not the development default", d.name))
			}
		}
		if cfg.DemoData {
			errs = append(errs, errors.New("LINGONG_DEMO_DATA is for development only"))
		}
	}
	if len(errs) > 0 {
		return cfg, fmt.Errorf("configuration: %w (for a local run use `make run`, which sets LINGONG_ENV=development)", errors.Join(errs...))
	}
	return cfg, nil
}

// SMSMode says how alert SMS go: "tencent" (configured), "dev" (logged with a masked phone, development
// only) or "off" (production without SMS configuration: alerts go by WeChat only).
func (c Config) SMSMode() string {
	switch {
	case c.SMSSecretID != "":
		return "tencent"
	case c.Env == "development":
		return "dev"
	}
	return "off"
}

// DevWeChat tells whether the dev WeChat stands in for the real one.
func (c Config) DevWeChat() bool { return c.WeChatAppID == "" }

// decodeKey reads a 32-byte key given in standard base64.
func decodeKey(s string) ([]byte, error) {
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return nil, errors.New("must be 32 bytes in base64 (openssl rand -base64 32)")
	}
	if len(b) != 32 {
		return nil, fmt.Errorf("must be 32 bytes in base64, got %d bytes", len(b))
	}
	return b, nil
}

// LogValue is the config as the start-up log shows it, secrets masked.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("env", c.Env),
		slog.String("addr", c.Addr),
		slog.String("db", redactDSN(string(c.DBDSN))),
		slog.Any("jwt_key", c.JWTKey),
		slog.Any("data_key", c.DataKey),
		slog.Any("data_old_keys", c.DataOldKeys),
		slog.Any("lookup_key", c.LookupKey),
		slog.String("wechat_appid", c.WeChatAppID),
		slog.Any("wechat_secret", c.WeChatSecret),
		slog.String("wechat_api_base", c.WeChatAPIBase),
		slog.Duration("wechat_timeout", c.WeChatTimeout),
		slog.Duration("wechat_deadline", c.WeChatDeadline),
		slog.String("redis", c.RedisAddr),
		slog.Any("redis_password", c.RedisPassword),
		slog.String("admin_openids", strings.Join(c.AdminOpenIDs, ",")),
		slog.Duration("access_ttl", c.AccessTTL),
		slog.Duration("refresh_ttl", c.RefreshTTL),
		slog.String("trusted_proxies", strings.Join(c.TrustedProxies, ",")),
		slog.String("console_networks", strings.Join(c.ConsoleNetworks, ",")),
		slog.Bool("demo_data", c.DemoData),
		slog.String("upload_dir", c.UploadDir),
		slog.Int("subscribe_templates", len(c.Templates)),
		slog.String("poster_font", c.PosterFont),
		slog.String("poster_latin_font", c.PosterLatinFont),
	)
}

// redactDSN hides the password of a MySQL DSN (user:password@tcp(...)/db).
func redactDSN(dsn string) string {
	if strings.HasPrefix(dsn, "sqlite:") {
		return dsn
	}
	at := strings.LastIndex(dsn, "@")
	if at < 0 {
		return dsn
	}
	creds := dsn[:at]
	if user, _, ok := strings.Cut(creds, ":"); ok {
		return user + ":***" + dsn[at:]
	}
	return dsn
}
