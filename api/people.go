package api

import "github.com/gofiber/fiber/v2"

// mountMe registers GET /me. (Placeholder: the people work fills it in.)
func (s *Server) mountMe(r fiber.Router) {}

// mountPeople registers the people administration API.
// (Placeholder: the people work fills it in.)
func (s *Server) mountPeople(r fiber.Router) {}
