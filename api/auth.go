package api

import "github.com/gofiber/fiber/v2"

// mountAuth registers sign-in, refresh, sign-out and password change.
// (Placeholder: the auth work fills it in.)
func (s *Server) mountAuth(r fiber.Router) {}
