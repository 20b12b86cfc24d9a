package handler

import (
	"errors"
	"strconv"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Tokens issues and checks access tokens: short-lived HS256 JWTs naming the user and the login session.
// The session itself is checked on every request (the model's session cache, which forgets an ended one at
// once here and within a second elsewhere), so logging out ends a token on every instance.
type Tokens struct {
	key      []byte
	issuer   string
	audience string
	ttl      time.Duration
	now      func() time.Time
	parser   *jwt.Parser
	checked  checkedTokens
}

// checkedTokens remembers the tokens whose signature and claims passed, with whom they name, until they
// expire: a signed-in worker sends the same token with every tap, and checking it again each time cost a
// tenth of a gig page's own work. Only tokens that passed are kept, in two generations of at most
// checkedPerGeneration: when the newer fills, the older is dropped.
type checkedTokens struct {
	mu       sync.Mutex
	new, old map[string]checkedToken
}

type checkedToken struct {
	userID, sessionID uint64
	expires           time.Time
}

const checkedPerGeneration = 10_000

func (c *checkedTokens) get(raw string) (checkedToken, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if tok, ok := c.new[raw]; ok {
		return tok, true
	}
	tok, ok := c.old[raw]
	if ok {
		c.putLocked(raw, tok)
	}
	return tok, ok
}

func (c *checkedTokens) put(raw string, tok checkedToken) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.putLocked(raw, tok)
}

func (c *checkedTokens) putLocked(raw string, tok checkedToken) {
	if len(c.new) >= checkedPerGeneration || c.new == nil {
		c.old, c.new = c.new, make(map[string]checkedToken, checkedPerGeneration)
	}
	c.new[raw] = tok
}

// TokenConfig configures Tokens.
type TokenConfig struct {
	Key      []byte
	Issuer   string
	Audience string
	TTL      time.Duration
	Now      func() time.Time
}

// NewTokens builds the token issuer and its strict parser.
func NewTokens(cfg TokenConfig) (*Tokens, error) {
	if len(cfg.Key) < 32 {
		return nil, errors.New("jwt key must be at least 32 bytes")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Tokens{
		key: cfg.Key, issuer: cfg.Issuer, audience: cfg.Audience, ttl: cfg.TTL, now: cfg.Now,
		parser: jwt.NewParser(
			jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
			jwt.WithExpirationRequired(),
			jwt.WithIssuedAt(),
			jwt.WithIssuer(cfg.Issuer),
			jwt.WithAudience(cfg.Audience),
			jwt.WithLeeway(30*time.Second),
			jwt.WithTimeFunc(cfg.Now),
		),
	}, nil
}

type accessClaims struct {
	jwt.RegisteredClaims
	SessionID uint64 `json:"sid"`
}

// Issue signs an access token for a user's session.
func (t *Tokens) Issue(userID, sessionID uint64) (string, time.Time, error) {
	now := t.now()
	exp := now.Add(t.ttl)
	claims := accessClaims{
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    t.issuer,
			Subject:   strconv.FormatUint(userID, 10),
			Audience:  jwt.ClaimStrings{t.audience},
			IssuedAt:  jwt.NewNumericDate(now),
			ExpiresAt: jwt.NewNumericDate(exp),
		},
		SessionID: sessionID,
	}
	signed, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(t.key)
	return signed, exp, err
}

// Parse checks a token's signature, algorithm, issuer, audience and expiry and returns whom it names.
func (t *Tokens) Parse(raw string) (userID, sessionID uint64, err error) {
	if tok, ok := t.checked.get(raw); ok && t.now().Before(tok.expires) {
		return tok.userID, tok.sessionID, nil
	}
	var claims accessClaims
	_, err = t.parser.ParseWithClaims(raw, &claims, func(*jwt.Token) (any, error) { return t.key, nil })
	if errors.Is(err, jwt.ErrTokenExpired) {
		return 0, 0, errTokenExpired
	}
	if err != nil {
		return 0, 0, errTokenInvalid
	}
	userID, err = strconv.ParseUint(claims.Subject, 10, 64)
	if err != nil || userID == 0 || claims.SessionID == 0 {
		return 0, 0, errTokenInvalid
	}
	// Kept until the expiry itself, without the parser's leeway: past it the parser decides again.
	t.checked.put(raw, checkedToken{userID: userID, sessionID: claims.SessionID, expires: claims.ExpiresAt.Time})
	return userID, claims.SessionID, nil
}
