package api

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"densach/domain"
)

// Sign-in, refresh, sign-out and password change.
//
// Access tokens are short JWTs (at most 15 minutes) checked without any
// database lookup, so that the auth middleware stays cheap. The price: an
// access token issued before a password change, a sign-out or a role change
// keeps working until it expires, at most 15 minutes later. Refresh tokens
// are opaque, stored only as hashes, rotated on every use and revoked at
// once, so no session outlives that window.

const (
	refreshCookieName = "densach_refresh"
	// refreshCookiePath keeps the refresh cookie away from every request but
	// the few that need it.
	refreshCookiePath = "/api/v1/auth"
	// maxRefreshTokenLen bounds a presented refresh token; real ones are 43
	// characters.
	maxRefreshTokenLen = 128
)

// LoginLimits bounds sign-in attempts in a fixed window: per login, which
// stops guessing one person's password, and per client address, which
// stops trying one password against many logins. Zero fields take the
// defaults (5 and 30 per 15 minutes).
type LoginLimits struct {
	PerLogin   int
	PerAddress int
	Window     time.Duration
}

func (l LoginLimits) orDefaults() LoginLimits {
	if l.PerLogin <= 0 {
		l.PerLogin = 5
	}
	if l.PerAddress <= 0 {
		l.PerAddress = 30
	}
	if l.Window <= 0 {
		l.Window = 15 * time.Minute
	}
	return l
}

// mountAuth registers sign-in, refresh, sign-out and password change.
func (s *Server) mountAuth(r fiber.Router) {
	r.Post("/auth/login", s.login)
	r.Post("/auth/refresh", s.refresh)
	r.Post("/auth/logout", s.logout)
	r.Post("/auth/password", s.requireAuth, s.changePassword)
}

type loginRequest struct {
	Login    string `json:"login"`
	Password string `json:"password"`
}

type tokenResponse struct {
	AccessToken      string `json:"access_token"`
	TokenType        string `json:"token_type"`
	ExpiresIn        int64  `json:"expires_in"`
	RefreshToken     string `json:"refresh_token"`
	RefreshExpiresIn int64  `json:"refresh_expires_in"`
}

// loginFailed is the one answer to an unknown login, a wrong password and
// a disabled account, so that it does not tell who has an account.
func loginFailed(cause string) error {
	return &domain.Error{Code: domain.CodeUnauthorized, Message: "Số điện thoại, số CCCD, e-mail hoặc mật khẩu không đúng.", Op: "api.login", Err: errors.New(cause)}
}

// login checks a login and password and starts a sign-in.
func (s *Server) login(c *fiber.Ctx) error {
	var req loginRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	var f domain.Fields
	if strings.TrimSpace(req.Login) == "" {
		f.Add("login", "login_required", "Cần nhập số điện thoại, số CCCD hoặc e-mail.")
	}
	if req.Password == "" {
		f.Add("password", "password_required", "Cần nhập mật khẩu.")
	}
	if err := f.Err(); err != nil {
		return err
	}
	ctx := c.UserContext()
	login, parseErr := domain.ParseLogin(req.Login)
	// An unparseable login is throttled like any other, by what was typed.
	keyValue := strings.ToLower(strings.TrimSpace(req.Login))
	if parseErr == nil {
		keyValue = string(login.Kind) + ":" + login.Value
	}
	lim := s.cfg.LoginLimits.orDefaults()
	loginKey, addrKey := throttleKey("login", keyValue), throttleKey("addr", clientNetwork(c.IP()))
	wait, err := s.Auth.ThrottleAttempt(ctx,
		domain.ThrottleRule{Key: loginKey, Max: lim.PerLogin, Window: lim.Window},
		domain.ThrottleRule{Key: addrKey, Max: lim.PerAddress, Window: lim.Window})
	if err != nil {
		return err
	}
	if wait > 0 {
		return rateLimited(c, wait)
	}
	if parseErr != nil {
		return s.unknownLogin(ctx, req.Password, "unparseable login")
	}
	acct, err := s.authenticate(ctx, login, req.Password)
	if err != nil {
		return err
	}
	if err := s.Auth.ThrottleSuccess(ctx, []string{loginKey}, []string{addrKey}); err != nil {
		return err
	}
	s.upgradeHash(ctx, acct, req.Password)
	p, err := s.Auth.AccountPrincipal(ctx, acct.ID)
	if err != nil {
		return err
	}
	token, hash, err := domain.NewRefreshToken()
	if err != nil {
		return err
	}
	if err := s.Auth.StartRefreshFamily(ctx, acct.ID, hash, s.cfg.RefreshTTL); err != nil {
		return err
	}
	return s.sendTokens(c, p, token)
}

// authenticate returns the enabled account the login and password match.
func (s *Server) authenticate(ctx context.Context, login domain.Login, password string) (domain.Account, error) {
	acct, err := s.Auth.AccountByLogin(ctx, login)
	if domain.ErrorCode(err) == domain.CodeNotFound {
		return acct, s.unknownLogin(ctx, password, "unknown login")
	}
	if err != nil {
		return acct, err
	}
	ok, err := domain.CheckPassword(ctx, password, acct.PasswordHash)
	switch {
	case err != nil:
		return acct, err
	case !ok:
		return acct, loginFailed("wrong password")
	case acct.Disabled:
		return acct, loginFailed("account disabled")
	}
	return acct, nil
}

// unknownLogin spends the time of a password check before failing, so that
// an unknown login answers as slowly as a wrong password.
func (s *Server) unknownLogin(ctx context.Context, password, cause string) error {
	if err := domain.DummyCheckPassword(ctx, password); err != nil {
		return err
	}
	return loginFailed(cause)
}

// upgradeHash rehashes a correct password made with older parameters. It is
// best effort: the sign-in succeeds whether or not the upgrade does.
func (s *Server) upgradeHash(ctx context.Context, acct domain.Account, password string) {
	if !domain.PasswordNeedsRehash(acct.PasswordHash) {
		return
	}
	h, err := domain.HashPassword(ctx, password)
	if err == nil {
		err = s.Auth.UpgradePasswordHash(ctx, acct.ID, acct.PasswordHash, h)
	}
	if err != nil {
		s.log.Warn("password hash upgrade failed", "account_id", acct.ID, "error", err.Error())
	}
}

// throttleKey names a throttle counter. The value is hashed: the table
// then holds no phone numbers or addresses, and every key has one length
// however long the input.
func throttleKey(kind, value string) string {
	h := sha256.Sum256([]byte(value))
	return kind + ":" + hex.EncodeToString(h[:16])
}

// clientNetwork is the unit the per-address limit counts: the address
// itself for IPv4, its /64 for IPv6, since one subscriber usually holds a
// whole /64 and could otherwise take a fresh address for every guess.
func clientNetwork(ip string) string {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return ip
	}
	a = a.Unmap()
	if a.Is6() {
		if p, err := a.Prefix(64); err == nil {
			return p.String()
		}
	}
	return a.String()
}

// rateLimited answers 429 with the wait in Retry-After.
func rateLimited(c *fiber.Ctx, wait time.Duration) error {
	secs := int(math.Ceil(wait.Seconds()))
	c.Set(fiber.HeaderRetryAfter, strconv.Itoa(secs))
	return &domain.Error{Code: domain.CodeRateLimited,
		Message: fmt.Sprintf("Bạn đã thử quá nhiều lần. Vui lòng thử lại sau %d phút.", (secs+59)/60)}
}

// sendTokens answers a sign-in or refresh: a new access token for p and the
// refresh token, in the body for apps and in an HttpOnly cookie for the
// browser (scripts never see it there).
func (s *Server) sendTokens(c *fiber.Ctx, p domain.Principal, refresh string) error {
	access, err := s.Tokens.Issue(p)
	if err != nil {
		return domain.Wrap("api.sendTokens", domain.CodeInternal, err)
	}
	s.setRefreshCookie(c, refresh, int(s.cfg.RefreshTTL.Seconds()))
	return c.JSON(tokenResponse{
		AccessToken:      access,
		TokenType:        "Bearer",
		ExpiresIn:        int64(s.Tokens.TTL().Seconds()),
		RefreshToken:     refresh,
		RefreshExpiresIn: int64(s.cfg.RefreshTTL.Seconds()),
	})
}

// setRefreshCookie sets (maxAge > 0) or deletes (maxAge 0) the refresh
// cookie. SameSite=Strict keeps other sites from making the browser send it.
func (s *Server) setRefreshCookie(c *fiber.Ctx, value string, maxAge int) {
	ck := &fiber.Cookie{
		Name:     refreshCookieName,
		Value:    value,
		Path:     refreshCookiePath,
		MaxAge:   maxAge,
		Secure:   !s.cfg.Development,
		HTTPOnly: true,
		SameSite: fiber.CookieSameSiteStrictMode,
	}
	if maxAge <= 0 {
		ck.MaxAge, ck.Expires = -1, time.Unix(0, 0)
	}
	c.Cookie(ck)
}

func (s *Server) clearRefreshCookie(c *fiber.Ctx) { s.setRefreshCookie(c, "", 0) }

// presentedRefreshToken is the refresh token in the body, else the cookie;
// empty when there is none or it is too long to be one of ours.
func presentedRefreshToken(c *fiber.Ctx, body string) string {
	raw := body
	if raw == "" {
		raw = c.Cookies(refreshCookieName)
	}
	if len(raw) > maxRefreshTokenLen {
		return ""
	}
	return raw
}
