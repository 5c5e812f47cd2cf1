package api

import (
	"github.com/gofiber/fiber/v2"

	"densach/domain"
	"densach/domain/auth"
)

type refreshRequest struct {
	RefreshToken string `json:"refresh_token"`
}

// refresh exchanges a refresh token for a new pair. Grants are read again,
// so role changes apply from the next refresh. A token presented in the
// body (a client that keeps it itself) is answered in the body too; one
// presented by cookie only in the cookie.
func (s *Server) refresh(c *fiber.Ctx) error {
	var req refreshRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	raw, fromBody := presentedRefreshToken(c, req.RefreshToken)
	sess, err := s.Auth.Refresh(c.UserContext(), domain.Principal{}, raw)
	if domain.ErrorCode(err) == domain.CodeUnauthorized {
		// The cookie is dead: drop it so the browser stops sending it.
		s.clearRefreshCookie(c)
	}
	if err != nil {
		return err
	}
	return s.sendTokens(c, sess, fromBody)
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
	raw, _ := presentedRefreshToken(c, req.RefreshToken)
	if err := s.Auth.Logout(c.UserContext(), domain.Principal{}, raw); err != nil {
		return err
	}
	if req.Everywhere {
		// Signing out everywhere needs proof of the account: a refresh
		// cookie alone may be the very thing that was stolen, but then the
		// thief's sign-in is revoked above anyway.
		p, err := s.bearer(c)
		if err != nil {
			return err
		}
		if err := s.Auth.LogoutEverywhere(c.UserContext(), p); err != nil {
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
	var req passwordRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	err := s.Auth.ChangePassword(c.UserContext(), principal(c), auth.PasswordChange{Current: req.CurrentPassword, New: req.NewPassword, RequestID: requestID(c)})
	if err != nil {
		return retryAfter(c, err)
	}
	s.clearRefreshCookie(c)
	return c.SendStatus(fiber.StatusNoContent)
}
