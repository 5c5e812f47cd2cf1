package api

import (
	"strconv"
	"strings"

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

// intQuery reads an optional integer query parameter.
func intQuery(c *fiber.Ctx, name string) (int, error) {
	raw := c.Query(name)
	if raw == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil {
		return 0, domain.Invalid(domain.Field(name, "int_invalid", "Tham số "+name+" phải là một số nguyên."))
	}
	return n, nil
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
	return false, domain.Invalid(domain.Field(name, "bool_invalid", "Tham số "+name+" là true hoặc false."))
}

func (s *Server) listPeople(c *fiber.Ctx) error {
	var q domain.PeopleQuery
	var f domain.Fields
	var err error
	q.Search = strings.TrimSpace(c.Query("q"))
	if len([]rune(q.Search)) > 100 {
		f.Add("q", "text_too_long", "Từ khóa tìm kiếm không được dài quá 100 ký tự.")
	}
	q.CommuneID, err = queryID(c, "commune_id")
	f.AddErr("commune_id", err)
	q.CentreID, err = queryID(c, "centre_id")
	f.AddErr("centre_id", err)
	if r := domain.Role(c.Query("role")); r != "" {
		if !r.Valid() {
			f.Add("role", "role_invalid", "Vai trò không hợp lệ.")
		}
		q.Role = r
	}
	q.StaffOnly, err = boolQuery(c, "staff")
	f.AddErr("staff", err)
	q.Page, err = intQuery(c, "page")
	f.AddErr("page", err)
	q.PageSize, err = intQuery(c, "page_size")
	f.AddErr("page_size", err)
	if err := f.Err(); err != nil {
		return err
	}
	q.Normalize()
	people, total, err := s.PeopleService.List(c.UserContext(), principal(c), q)
	if err != nil {
		return err
	}
	items := make([]personJSON, len(people))
	for i, p := range people {
		items[i] = personOut(p)
	}
	return c.JSON(fiber.Map{"items": items, "total": total, "page": q.Page, "page_size": q.PageSize})
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
