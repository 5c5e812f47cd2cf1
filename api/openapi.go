package api

import "github.com/gofiber/fiber/v2"

// openAPI serves the OpenAPI 3.1 document. (Placeholder.)
func (s *Server) openAPI(c *fiber.Ctx) error { return c.JSON(fiber.Map{"openapi": "3.1.0"}) }
