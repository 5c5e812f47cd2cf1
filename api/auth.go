package api

import (
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"densach/domain"
	"densach/domain/auth"
)

// Sign-in, refresh, sign-out and password change: the handlers decode, call
// one method of the sign-in use case (domain/auth) and encode. Signing the
// access token stays here (tokens.go): it encodes the answer, as JSON does,
// and the middleware verifies it; the use case decides who the principal is.
//
// Access tokens are short JWTs (at most 15 minutes) checked without any
// database lookup, so that the auth middleware stays cheap. The price: an
// access token issued before a password change, a sign-out or a role change
// keeps working until it expires, at most 15 minutes later. Refresh tokens
// are opaque, stored only as hashes, rotated on every use and revoked at
// once, so no session outlives that window.
//
// Browsers get the refresh token only in an HttpOnly cookie, which scripts
// cannot read. A client without cookies (an app, a script) asks for it in
// the JSON with "include_refresh_token": true at sign-in, then presents it
// in the body of refresh and gets the next one in the body.

const (
	refreshCookieName = "densach_refresh"
	// refreshCookiePath keeps the refresh cookie away from every request but
	// the few that need it.
	refreshCookiePath = "/api/v1/auth"
	// maxRefreshTokenLen bounds a presented refresh token; real ones are 43
	// characters.
	maxRefreshTokenLen = 128
)

// mountAuth registers sign-in, refresh, sign-out and password change.
func (s *Server) mountAuth(r router) {
	r.Post("/auth/login", s.login)
	r.Post("/auth/refresh", s.refresh)
	r.Post("/auth/logout", s.logout)
	r.Post("/auth/password", s.requireAuth, s.changePassword)
}

type loginRequest struct {
	Login    string `json:"login"`
	Password string `json:"password"`
	// IncludeRefreshToken asks for the refresh token in the JSON answer,
	// for clients without cookies; browsers never need it.
	IncludeRefreshToken bool `json:"include_refresh_token"`
}

type tokenResponse struct {
	AccessToken      string `json:"access_token"`
	TokenType        string `json:"token_type"`
	ExpiresIn        int64  `json:"expires_in"`
	RefreshToken     string `json:"refresh_token,omitempty"`
	RefreshExpiresIn int64  `json:"refresh_expires_in"`
	// MustChangePassword says that someone else chose the password: until
	// it is changed, the access token reaches only GET /me, the password
	// change and sign-out.
	MustChangePassword bool `json:"must_change_password"`
}

// login checks a login and password and starts a sign-in.
func (s *Server) login(c *fiber.Ctx) error {
	var req loginRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	sess, err := s.Auth.Login(c.UserContext(), domain.Principal{}, auth.Credentials{Login: req.Login, Password: req.Password, Address: c.IP()})
	if err != nil {
		return retryAfter(c, err)
	}
	return s.sendTokens(c, sess, req.IncludeRefreshToken)
}

// retryAfter sets Retry-After on a throttled answer and returns err.
func retryAfter(c *fiber.Ctx, err error) error {
	if wait, ok := auth.RetryAfter(err); ok {
		c.Set(fiber.HeaderRetryAfter, strconv.Itoa(int(wait/time.Second)))
	}
	return err
}

// sendTokens answers a sign-in or refresh: a new access token for the
// session's principal, and the refresh token in an HttpOnly cookie (scripts
// never see it there) and, only when inBody, in the JSON.
func (s *Server) sendTokens(c *fiber.Ctx, sess auth.Session, inBody bool) error {
	access, err := s.Tokens.Issue(sess.Principal)
	if err != nil {
		return domain.Wrap("api.sendTokens", domain.CodeInternal, err)
	}
	s.setRefreshCookie(c, sess.RefreshToken, int(sess.RefreshTTL.Seconds()))
	res := tokenResponse{
		AccessToken:        access,
		TokenType:          "Bearer",
		ExpiresIn:          int64(s.Tokens.TTL().Seconds()),
		RefreshExpiresIn:   int64(sess.RefreshTTL.Seconds()),
		MustChangePassword: sess.Principal.MustChangePassword,
	}
	if inBody {
		res.RefreshToken = sess.RefreshToken
	}
	return c.JSON(res)
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
// empty when there is none or it is too long to be one of ours. fromBody
// says where it came from.
func presentedRefreshToken(c *fiber.Ctx, body string) (token string, fromBody bool) {
	raw, fromBody := body, body != ""
	if raw == "" {
		raw = c.Cookies(refreshCookieName)
	}
	if len(raw) > maxRefreshTokenLen {
		return "", fromBody
	}
	return raw, fromBody
}
