package api

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"densach/domain"
)

type refreshRequest struct {
	RefreshToken string `json:"refresh_token"`
}

// refresh exchanges a refresh token for a new pair. Grants are read again,
// so role changes apply from the next refresh.
func (s *Server) refresh(c *fiber.Ctx) error {
	var req refreshRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	raw := presentedRefreshToken(c, req.RefreshToken)
	if raw == "" {
		s.clearRefreshCookie(c)
		return &domain.Error{Code: domain.CodeUnauthorized, Message: "Bạn cần đăng nhập."}
	}
	ctx := c.UserContext()
	token, hash, err := domain.NewRefreshToken()
	if err != nil {
		return err
	}
	account, err := s.Auth.RotateRefreshToken(ctx, domain.HashRefreshToken(raw), hash, s.cfg.RefreshTTL)
	if err == nil {
		var p domain.Principal
		if p, err = s.Auth.AccountPrincipal(ctx, account); err == nil {
			return s.sendTokens(c, p, token)
		}
	}
	if domain.ErrorCode(err) == domain.CodeUnauthorized {
		// The cookie is dead: drop it so the browser stops sending it.
		s.clearRefreshCookie(c)
	}
	return err
}

type logoutRequest struct {
	Everywhere   bool   `json:"everywhere"`
	RefreshToken string `json:"refresh_token"`
}

// logout revokes the presented sign-in, or with everywhere every sign-in
// of the bearer's account, and always deletes the cookie. Access tokens
// already issued run out within their lifetime (at most 15 minutes).
func (s *Server) logout(c *fiber.Ctx) error {
	s.clearRefreshCookie(c)
	var req logoutRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	ctx := c.UserContext()
	if raw := presentedRefreshToken(c, req.RefreshToken); raw != "" {
		if err := s.Auth.RevokeRefreshFamily(ctx, domain.HashRefreshToken(raw)); err != nil {
			return err
		}
	}
	if req.Everywhere {
		// Signing out everywhere needs proof of the account: a refresh
		// cookie alone may be the very thing that was stolen, but then the
		// thief's family is revoked above anyway.
		p, err := s.bearer(c)
		if err != nil {
			return err
		}
		if err := s.Auth.RevokeAccountRefreshTokens(ctx, p.AccountID); err != nil {
			return err
		}
	}
	return c.SendStatus(fiber.StatusNoContent)
}

type passwordRequest struct {
	CurrentPassword string `json:"current_password"`
	NewPassword     string `json:"new_password"`
}

// changePassword replaces the caller's password after checking the current
// one, and signs out every session of the account: whoever knew the old
// password must not stay signed in. The caller signs in again.
func (s *Server) changePassword(c *fiber.Ctx) error {
	p := principal(c)
	var req passwordRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	var f domain.Fields
	if req.CurrentPassword == "" {
		f.Add("current_password", "password_required", "Cần nhập mật khẩu hiện tại.")
	}
	f.AddErr("new_password", domain.ValidatePassword("new_password", req.NewPassword))
	if req.NewPassword != "" && req.NewPassword == req.CurrentPassword {
		f.Add("new_password", "password_same", "Mật khẩu mới phải khác mật khẩu hiện tại.")
	}
	if err := f.Err(); err != nil {
		return err
	}
	ctx := c.UserContext()
	// A stolen access token must not become a password-guessing oracle.
	lim := s.cfg.LoginLimits.orDefaults()
	key := throttleKey("password", strconv.FormatInt(p.AccountID, 10))
	wait, err := s.Auth.ThrottleAttempt(ctx, domain.ThrottleRule{Key: key, Max: lim.PerLogin, Window: lim.Window})
	if err != nil {
		return err
	}
	if wait > 0 {
		return rateLimited(c, wait)
	}
	acct, err := s.Auth.Account(ctx, p.AccountID)
	if domain.ErrorCode(err) == domain.CodeNotFound || err == nil && acct.Disabled {
		return &domain.Error{Code: domain.CodeUnauthorized, Message: "Bạn cần đăng nhập lại.", Op: "api.changePassword", Err: err}
	}
	if err != nil {
		return err
	}
	ok, err := domain.CheckPassword(ctx, req.CurrentPassword, acct.PasswordHash)
	if err != nil {
		return err
	}
	if !ok {
		return domain.Invalid(domain.Field("current_password", "password_wrong", "Mật khẩu hiện tại không đúng."))
	}
	hash, err := domain.HashPassword(ctx, req.NewPassword)
	if err != nil {
		return err
	}
	if err := s.Auth.ChangePassword(ctx, actor(c), acct.ID, acct.PasswordHash, hash); err != nil {
		return err
	}
	if err := s.Auth.ThrottleSuccess(ctx, []string{key}, nil); err != nil {
		return err
	}
	s.clearRefreshCookie(c)
	return c.SendStatus(fiber.StatusNoContent)
}
