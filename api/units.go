package api

import "github.com/gofiber/fiber/v2"

// mountUnits registers units, centres and branches. (Being written.)
func (s *Server) mountUnits(r fiber.Router) {}
