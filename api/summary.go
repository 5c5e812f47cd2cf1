package api

import (
	"github.com/gofiber/fiber/v2"

	"densach/domain"
)

// mountSummary registers the home pages' counts: every signed-in person
// reads them, each inside their own scope.
func (s *Server) mountSummary(r fiber.Router) {
	r.Get("/summary", s.getSummary)
}

type provinceCountJSON struct {
	ID       int64  `json:"id"`
	Code     string `json:"code"`
	Name     string `json:"name"`
	Communes int    `json:"communes"`
}

type summaryJSON struct {
	Provinces []provinceCountJSON `json:"provinces"`
	Communes  int                 `json:"communes"`
	Centres   int                 `json:"centres"`
	Branches  int                 `json:"branches"`
	People    int                 `json:"people"`
	Accounts  int                 `json:"accounts"`
	Roles     map[string]int      `json:"roles"`
}

func (s *Server) getSummary(c *fiber.Ctx) error {
	sum, err := s.Summary.Get(c.UserContext(), principal(c))
	if err != nil {
		return err
	}
	out := summaryJSON{Provinces: make([]provinceCountJSON, len(sum.Provinces)), Communes: sum.Communes, Centres: sum.Centres,
		Branches: sum.Branches, People: sum.People, Accounts: sum.Accounts, Roles: map[string]int{}}
	for i, p := range sum.Provinces {
		out.Provinces[i] = provinceCountJSON{ID: p.ID, Code: p.Code, Name: p.Name, Communes: p.Communes}
	}
	for _, r := range []domain.Role{domain.RoleAdmin, domain.RoleOfficer, domain.RoleManager, domain.RoleTeacher, domain.RoleLearner} {
		out.Roles[string(r)] = sum.Roles[r]
	}
	return c.JSON(out)
}
