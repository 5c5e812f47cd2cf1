package api

import (
	"github.com/gofiber/fiber/v2"
)

// mountAudit registers the audit log reader (administrators only).
func (s *Server) mountAudit(r router) {
	r.Get("/audit", s.listAudit)
}

func (s *Server) listAudit(c *fiber.Ctx) error {
	id, err := queryID(c, "entity_id")
	if err != nil {
		return err
	}
	if _, err := parsePaging(c, false); err != nil {
		return err
	}
	entries, err := s.Audit.List(c.UserContext(), principal(c), c.Query("entity", "person"), id)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"items": auditOut(entries)})
}
