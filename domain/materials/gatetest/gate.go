// Package gatetest is a stand-in for the courses use case in the materials
// tests: a CourseGate that answers from a table of courses with the rules
// of issue 9 (who reads, reads drafts of and edits the lessons of which
// course), so that the materials' authorization tables can run without
// the courses package.
package gatetest

import (
	"context"

	"densach/domain"
)

// Course is where a course lies: a centre (with its commune and province)
// or a province's library (ProvinceID only).
type Course struct {
	CentreID, CommuneID, ProvinceID int64
}

// Gate answers CourseAccess from Courses.
type Gate struct {
	Courses map[int64]Course
}

// CourseAccess applies issue 9's rules: administrators do everything;
// province officers curate their library and read (drafts too) the courses
// of their province's centres; commune officers read those of their
// commune's centres and their province's library; managers edit their
// centre's courses; teachers edit its lessons; learners read the published
// courses of their centre and their province's library. Unknown courses are
// not found.
func (g *Gate) CourseAccess(_ context.Context, p domain.Principal, id int64) (domain.CourseAccess, error) {
	c, ok := g.Courses[id]
	if !ok {
		return domain.CourseAccess{}, domain.Fail(domain.CodeNotFound, "not_found", nil)
	}
	a := domain.CourseAccess{CourseID: id, CentreID: c.CentreID}
	if c.CentreID == 0 {
		a.ProvinceID = c.ProvinceID
	}
	library := c.CentreID == 0
	for _, gr := range p.Grants {
		switch {
		case gr.Role == domain.RoleAdmin:
			a.Read, a.ReadDrafts, a.EditLessons = true, true, true
		case gr.Role == domain.RoleOfficer && gr.Kind == domain.ScopeProvince && gr.UnitID == c.ProvinceID:
			a.Read, a.ReadDrafts = true, true
			a.EditLessons = a.EditLessons || library
		case gr.Role == domain.RoleOfficer && gr.Kind == domain.ScopeCommune:
			if !library && gr.UnitID == c.CommuneID {
				a.Read, a.ReadDrafts = true, true
			}
			if library && gr.ProvinceID == c.ProvinceID {
				a.Read = true
			}
		case gr.Role == domain.RoleManager || gr.Role == domain.RoleTeacher:
			if !library && gr.CentreID == c.CentreID {
				a.Read, a.ReadDrafts, a.EditLessons = true, true, true
			}
			if library && gr.ProvinceID == c.ProvinceID {
				a.Read = true
			}
		case gr.Role == domain.RoleLearner:
			if (!library && gr.CentreID == c.CentreID) || (library && gr.ProvinceID == c.ProvinceID) {
				a.Read = true
			}
		}
	}
	return a, nil
}
