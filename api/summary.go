package api

import (
	"github.com/gofiber/fiber/v2"

	"densach/domain"
)

// mountSummary registers the home pages' counts: every signed-in person
// reads them, each inside their own scope.
func (s *Server) mountSummary(r router) {
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
	ByCommune []placeCountJSON    `json:"by_commune"`
	ByCentre  []placeCountJSON    `json:"by_centre"`
}

type placeCountJSON struct {
	ID     int64  `json:"id"`
	Name   string `json:"name"`
	Kind   string `json:"kind,omitempty"`
	People int    `json:"people"`
}

func placeCounts(in []domain.PlaceCount) []placeCountJSON {
	out := make([]placeCountJSON, len(in))
	for i, p := range in {
		out[i] = placeCountJSON{ID: p.ID, Name: p.Name, Kind: p.Kind, People: p.People}
	}
	return out
}

func (s *Server) getSummary(c *fiber.Ctx) error {
	sum, err := s.Summary.Get(c.UserContext(), principal(c))
	if err != nil {
		return err
	}
	out := summaryJSON{Provinces: make([]provinceCountJSON, len(sum.Provinces)), Communes: sum.Communes, Centres: sum.Centres,
		Branches: sum.Branches, People: sum.People, Accounts: sum.Accounts, Roles: map[string]int{},
		ByCommune: placeCounts(sum.ByCommune), ByCentre: placeCounts(sum.ByCentre)}
	for i, p := range sum.Provinces {
		out.Provinces[i] = provinceCountJSON{ID: p.ID, Code: p.Code, Name: p.Name, Communes: p.Communes}
	}
	for _, r := range []domain.Role{domain.RoleAdmin, domain.RoleOfficer, domain.RoleManager, domain.RoleTeacher, domain.RoleLearner} {
		out.Roles[string(r)] = sum.Roles[r]
	}
	return c.JSON(out)
}
