package api

import (
	_ "embed"

	"github.com/gofiber/fiber/v2"
)

//go:generate go run ./openapi/gen -o openapi.json

// openAPIDocument is the OpenAPI 3.1 description of the whole API: the
// contract the requests are validated against and the web app's types are
// generated from. It is assembled from one source file per aggregate under
// api/openapi/ by `go generate ./api`; TestOpenAPIGenerated fails when it is
// out of date, and TestOpenAPICoversRoutes keeps its paths and the
// registered routes in step.
//
//go:embed openapi.json
var openAPIDocument []byte

// openAPI serves the OpenAPI document; reading it needs no sign-in.
func (s *Server) openAPI(c *fiber.Ctx) error {
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	return c.Send(openAPIDocument)
}
