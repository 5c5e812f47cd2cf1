package api

import (
	"github.com/gofiber/fiber/v2"

	"densach/domain"
)

// mountMe registers GET /me.
func (s *Server) mountMe(r router) {
	r.Get("/me", s.getMe)
}

// mountPeople registers the people administration API.
func (s *Server) mountPeople(r router) {
	r.Get("/people", s.listPeople)
	r.Post("/people", s.createPerson)
	r.Post("/people/import", s.importPeople)
	r.Get("/people/similar", s.similarPeople)
	r.Get("/people/:id", s.getPerson)
	r.Patch("/people/:id", s.patchPerson)
	r.Post("/people/:id/roles", s.grantRole)
	r.Delete("/people/:id/roles/:grant_id", s.revokeRole)
	r.Post("/people/:id/account", s.setAccount)
	r.Post("/people/:id/deactivate", s.deactivatePerson)
	r.Post("/people/:id/activate", s.activatePerson)
	r.Post("/people/:id/merge", s.mergePerson)
}

func (s *Server) getMe(c *fiber.Ctx) error {
	v, err := s.PeopleService.Me(c.UserContext(), principal(c))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"person": personOut(v), "roles": grantsOut(v.Grants)})
}

// boolQuery reads an optional true/false query parameter strictly: unlike
// Fiber's QueryBool, a typo is an error rather than false.
func boolQuery(c *fiber.Ctx, name string) (bool, error) {
	switch c.Query(name) {
	case "", "false":
		return false, nil
	case "true":
		return true, nil
	}
	return false, domain.Invalid(domain.FieldOf(name, "bool_invalid", domain.Params{"name": name}))
}

func (s *Server) getPerson(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	v, err := s.PeopleService.Get(c.UserContext(), principal(c), id)
	if err != nil {
		return err
	}
	return c.JSON(personOut(v))
}

func (s *Server) createPerson(c *fiber.Ctx) error {
	var in personCreate
	if err := decode(c, &in); err != nil {
		return err
	}
	v, err := s.PeopleService.Create(c.UserContext(), principal(c), in.changes(), in.Password.V)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(personOut(v))
}

func (s *Server) patchPerson(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var in personPatch
	if err := decode(c, &in); err != nil {
		return err
	}
	v, err := s.PeopleService.Update(c.UserContext(), principal(c), id, in.changes())
	if err != nil {
		return err
	}
	return c.JSON(personOut(v))
}

// setAccount sets the password given in the body (204), or, when the body
// names none, issues a one-time password and answers with the sign-in slip
// (201 for a new account, 200 for a reset).
func (s *Server) setAccount(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var in passwordBody
	if err := decode(c, &in); err != nil {
		return err
	}
	if in.Password != nil {
		if err := s.PeopleService.SetAccount(c.UserContext(), principal(c), id, *in.Password); err != nil {
			return err
		}
		return c.SendStatus(fiber.StatusNoContent)
	}
	slip, err := s.PeopleService.IssueOneTimePassword(c.UserContext(), principal(c), id)
	if err != nil {
		return err
	}
	// The one-time password is in this answer only: no cache (the API's
	// Cache-Control: no-store) and no idempotency record may keep it.
	secretAnswer(c)
	status := fiber.StatusOK
	if slip.Created {
		status = fiber.StatusCreated
	}
	return c.Status(status).JSON(slipOut(slip))
}
