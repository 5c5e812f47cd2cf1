package api

import (
	"errors"
	"strconv"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"densach/domain"
)

// SigningKey is one HMAC key with its key id; the first configured key signs
// and every configured key verifies, so keys rotate without signing anyone out.
type SigningKey struct {
	ID     string
	Secret []byte
}

// TokenConfig configures access tokens.
type TokenConfig struct {
	Issuer   string
	Audience string
	TTL      time.Duration
	Keys     []SigningKey
}

// tokenTypeAccess marks access tokens; a refresh token is opaque and never a JWT.
const tokenTypeAccess = "access"

// maxAuthHeader bounds the Authorization header; longer ones are refused
// before any parsing.
const maxAuthHeader = 4096

// Tokens issues and verifies access tokens (JWT, HS256 only).
type Tokens struct {
	cfg    TokenConfig
	keys   map[string][]byte
	parser *jwt.Parser
	now    func() time.Time

	// verified caches tokens whose signature and claims were checked, until
	// they expire. Decoding a JWT (JSON by reflection) costs more than the
	// database query of a typical read; a token cannot be revoked before it
	// expires anyway, so the cache changes no answer. It is per process and
	// needs no sharing between instances.
	mu       sync.RWMutex
	verified map[string]verifiedToken
}

type verifiedToken struct {
	principal domain.Principal
	expires   time.Time
}

// maxVerifiedTokens bounds the cache; when full it starts again empty.
const maxVerifiedTokens = 20000

// NewTokens checks the configuration and builds the token service.
func NewTokens(cfg TokenConfig) (*Tokens, error) {
	if len(cfg.Keys) == 0 {
		return nil, errors.New("tokens: no signing key")
	}
	if cfg.TTL <= 0 || cfg.TTL > 15*time.Minute {
		return nil, errors.New("tokens: access token lifetime must be between 0 and 15 minutes")
	}
	keys := map[string][]byte{}
	for _, k := range cfg.Keys {
		if k.ID == "" || len(k.Secret) < 32 {
			return nil, errors.New("tokens: each key needs an id and at least 32 bytes of secret")
		}
		keys[k.ID] = k.Secret
	}
	t := &Tokens{cfg: cfg, keys: keys, now: time.Now, verified: map[string]verifiedToken{}}
	t.parser = jwt.NewParser(
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithIssuer(cfg.Issuer),
		jwt.WithAudience(cfg.Audience),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithLeeway(30*time.Second),
		jwt.WithTimeFunc(func() time.Time { return t.now() }),
	)
	return t, nil
}

// TTL is the lifetime of an access token.
func (t *Tokens) TTL() time.Duration { return t.cfg.TTL }

type grantClaim struct {
	ID       int64  `json:"id"`
	Role     string `json:"r"`
	Kind     string `json:"k"`
	Unit     int64  `json:"u,omitempty"`
	Centre   int64  `json:"c,omitempty"`
	Commune  int64  `json:"cm,omitempty"`
	Province int64  `json:"pv,omitempty"`
}

type accessClaims struct {
	jwt.RegisteredClaims
	Type     string       `json:"token_type"`
	PersonID int64        `json:"pid"`
	Grants   []grantClaim `json:"grants"`
	// MustChangePassword restricts the token until the password is changed.
	MustChangePassword bool `json:"pwc,omitempty"`
}

// Issue signs an access token carrying the principal's grants. Grants change
// at most TTL after a revocation, when the token is refreshed.
func (t *Tokens) Issue(p domain.Principal) (string, error) {
	now := t.now()
	c := accessClaims{
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    t.cfg.Issuer,
			Subject:   strconv.FormatInt(p.AccountID, 10),
			Audience:  jwt.ClaimStrings{t.cfg.Audience},
			IssuedAt:  jwt.NewNumericDate(now),
			ExpiresAt: jwt.NewNumericDate(now.Add(t.cfg.TTL)),
		},
		Type:               tokenTypeAccess,
		PersonID:           p.PersonID,
		MustChangePassword: p.MustChangePassword,
	}
	for _, g := range p.Grants {
		c.Grants = append(c.Grants, grantClaim{ID: g.ID, Role: string(g.Role), Kind: string(g.Kind), Unit: g.UnitID, Centre: g.CentreID, Commune: g.CommuneID, Province: g.ProvinceID})
	}
	tok := jwt.NewWithClaims(jwt.SigningMethodHS256, c)
	key := t.cfg.Keys[0]
	tok.Header["kid"] = key.ID
	return tok.SignedString(key.Secret)
}

// cached returns the principal of a token verified before and not yet
// expired. It looks up the token's bytes without copying them.
func (t *Tokens) cached(raw []byte) (domain.Principal, bool) {
	t.mu.RLock()
	v, ok := t.verified[string(raw)]
	t.mu.RUnlock()
	return t.fresh(v, ok)
}

// fresh returns a cached token's principal unless it has expired.
func (t *Tokens) fresh(v verifiedToken, ok bool) (domain.Principal, bool) {
	if ok && t.now().Before(v.expires) {
		return v.principal, true
	}
	return domain.Principal{}, false
}

// Verify checks an access token and returns its principal. Every failure is
// the same unauthorized error; the reason is kept for logs.
func (t *Tokens) Verify(raw string) (domain.Principal, error) {
	if len(raw) > maxAuthHeader {
		return domain.Principal{}, unauthorized(errors.New("token too long"))
	}
	t.mu.RLock()
	v, ok := t.verified[raw]
	t.mu.RUnlock()
	if p, ok := t.fresh(v, ok); ok {
		return p, nil
	}
	var c accessClaims
	_, err := t.parser.ParseWithClaims(raw, &c, func(tok *jwt.Token) (any, error) {
		kid, _ := tok.Header["kid"].(string)
		key, ok := t.keys[kid]
		if !ok {
			return nil, errors.New("unknown kid")
		}
		return key, nil
	})
	if err != nil {
		return domain.Principal{}, unauthorized(err)
	}
	if c.IssuedAt == nil || c.Type != tokenTypeAccess || c.PersonID <= 0 {
		return domain.Principal{}, unauthorized(errors.New("missing iat, wrong token type or person"))
	}
	account, err := strconv.ParseInt(c.Subject, 10, 64)
	if err != nil || account <= 0 {
		return domain.Principal{}, unauthorized(errors.New("bad subject"))
	}
	p := domain.Principal{AccountID: account, PersonID: c.PersonID, MustChangePassword: c.MustChangePassword}
	for _, g := range c.Grants {
		p.Grants = append(p.Grants, domain.Grant{ID: g.ID, PersonID: c.PersonID, Role: domain.Role(g.Role), Kind: domain.ScopeKind(g.Kind), UnitID: g.Unit, CentreID: g.Centre, CommuneID: g.Commune, ProvinceID: g.Province})
	}
	t.mu.Lock()
	if len(t.verified) >= maxVerifiedTokens {
		clear(t.verified)
	}
	t.verified[raw] = verifiedToken{principal: p, expires: c.ExpiresAt.Time}
	t.mu.Unlock()
	return p, nil
}

func unauthorized(cause error) error {
	return &domain.Error{Code: domain.CodeUnauthorized, Key: "token_invalid", Message: domain.Message("token_invalid", nil), Op: "tokens.Verify", Err: cause}
}
