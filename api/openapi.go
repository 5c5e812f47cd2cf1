package api

import (
	_ "embed"

	"github.com/gofiber/fiber/v2"
)

// openAPIDocument is the OpenAPI 3.1 description of the whole API. It is
// written by hand next to the handlers; TestOpenAPICoversRoutes keeps its
// paths and the registered routes in step.
//
//go:embed openapi.json
var openAPIDocument []byte

// openAPI serves the OpenAPI document; reading it needs no sign-in.
func (s *Server) openAPI(c *fiber.Ctx) error {
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	return c.Send(openAPIDocument)
}
