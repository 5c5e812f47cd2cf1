package api

import (
	"github.com/gofiber/fiber/v2"

	"densach/domain"
)

// mountMe registers GET /me.
func (s *Server) mountMe(r fiber.Router) {
	r.Get("/me", s.getMe)
}

// mountPeople registers the people administration API.
func (s *Server) mountPeople(r fiber.Router) {
	r.Get("/people", s.listPeople)
	r.Post("/people", s.createPerson)
	r.Post("/people/import", s.importPeople)
	r.Get("/people/:id", s.getPerson)
	r.Patch("/people/:id", s.patchPerson)
	r.Post("/people/:id/roles", s.grantRole)
	r.Delete("/people/:id/roles/:grant_id", s.revokeRole)
	r.Post("/people/:id/account", s.setAccount)
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

func (s *Server) setAccount(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var in passwordBody
	if err := decode(c, &in); err != nil {
		return err
	}
	if err := s.PeopleService.SetAccount(c.UserContext(), principal(c), id, in.Password); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
