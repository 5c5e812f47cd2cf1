package api

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"densach/domain"
)

// similarPeople answers the people the caller may read who look like a
// person about to be created (GET /people/similar).
func (s *Server) similarPeople(c *fiber.Ctx) error {
	var f domain.Fields
	name := c.Query("full_name")
	if len([]rune(name)) > maxSearchLen {
		f.AddOf("full_name", "text_too_long", domain.Params{"max": maxSearchLen})
	}
	year := 0
	if v := strings.TrimSpace(c.Query("birth_year")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			f.AddOf("birth_year", "birth_year_range", nil)
		}
		year = n
	}
	commune, err := queryID(c, "commune_id")
	f.AddErr("commune_id", err)
	if err := f.Err(); err != nil {
		return err
	}
	views, err := s.PeopleService.Similar(c.UserContext(), principal(c), name, year, commune)
	if err != nil {
		return err
	}
	out := make([]personJSON, len(views))
	for i, v := range views {
		out[i] = personOut(v)
	}
	return c.JSON(fiber.Map{"items": out})
}

// deactivatePerson marks a person inactive and answers the person.
func (s *Server) deactivatePerson(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	v, err := s.PeopleService.Deactivate(c.UserContext(), principal(c), id)
	if err != nil {
		return err
	}
	return c.JSON(personOut(v))
}

// activatePerson reactivates a person and answers the person.
func (s *Server) activatePerson(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	v, err := s.PeopleService.Activate(c.UserContext(), principal(c), id)
	if err != nil {
		return err
	}
	return c.JSON(personOut(v))
}

// mergeBody names the duplicate record merged into the person of the path.
type mergeBody struct {
	FromID int64 `json:"from_id"`
}

// mergePerson merges the duplicate from_id into the person of the path and
// answers the kept person.
func (s *Server) mergePerson(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var in mergeBody
	if err := decode(c, &in); err != nil {
		return err
	}
	v, err := s.PeopleService.Merge(c.UserContext(), principal(c), id, in.FromID)
	if err != nil {
		return err
	}
	return c.JSON(personOut(v))
}
