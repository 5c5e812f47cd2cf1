package api

import (
	"github.com/gofiber/fiber/v2"

	"densach/domain"
)

func (s *Server) grantRole(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var in grantCreate
	if err := decode(c, &in); err != nil {
		return err
	}
	req := domain.GrantRequest{PersonID: id, Role: domain.Role(in.Role), UnitID: in.UnitID, CentreID: in.CentreID}
	g, err := s.PeopleService.GrantRole(c.UserContext(), principal(c), req)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(grantsOut([]domain.Grant{g})[0])
}

func (s *Server) revokeRole(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	grantID, err := pathID(c, "grant_id")
	if err != nil {
		return err
	}
	if err := s.PeopleService.RevokeRole(c.UserContext(), principal(c), id, grantID); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
