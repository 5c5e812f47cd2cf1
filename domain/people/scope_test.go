package people_test

import (
	"context"
	"testing"

	"densach/domain"
)

// TestGrantScopeKinds: GrantRole decides the kind of scope from the role and
// the unit or centre named (a province or a commune-level unit for an
// officer, a centre for a manager or teacher, the learner themselves), and
// storage reads the same kind back.
func TestGrantScopeKinds(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	admin := w.signIn(kAdmin)
	cases := []struct {
		name string
		req  domain.GrantRequest
		kind domain.ScopeKind
		err  string // the field code of a refusal
	}{
		{"administrator", domain.GrantRequest{Role: domain.RoleAdmin}, domain.ScopeSystem, ""},
		{"officer of a province", domain.GrantRequest{Role: domain.RoleOfficer, UnitID: w.ProvA}, domain.ScopeProvince, ""},
		{"officer of a commune", domain.GrantRequest{Role: domain.RoleOfficer, UnitID: w.CommA1}, domain.ScopeCommune, ""},
		{"manager of a centre", domain.GrantRequest{Role: domain.RoleManager, CentreID: w.CentreA1}, domain.ScopeCentre, ""},
		{"teacher of a centre", domain.GrantRequest{Role: domain.RoleTeacher, CentreID: w.CentreA2}, domain.ScopeCentre, ""},
		{"learner enrolled at a centre", domain.GrantRequest{Role: domain.RoleLearner, CentreID: w.CentreA1}, domain.ScopeSelf, ""},
		{"learner enrolled nowhere", domain.GrantRequest{Role: domain.RoleLearner}, domain.ScopeSelf, ""},
		{"officer of an unknown unit", domain.GrantRequest{Role: domain.RoleOfficer, UnitID: w.ProvA + 1000}, "", "unit_unknown"},
		{"manager of an unknown centre", domain.GrantRequest{Role: domain.RoleManager, CentreID: w.CentreB1 + 1000}, "", "centre_unknown"},
		{"officer of a centre", domain.GrantRequest{Role: domain.RoleOfficer, CentreID: w.CentreA1}, "", "unit_required"},
	}
	for _, tc := range cases {
		target := w.newPerson(kResident)
		tc.req.PersonID = target.ID
		g, err := w.svc.GrantRole(ctx, admin, tc.req)
		if tc.err != "" {
			e := domain.AsError(err)
			if e.Code != domain.CodeInvalid || len(e.Fields) != 1 || e.Fields[0].Code != tc.err {
				t.Errorf("%s: got %v %+v, want invalid %s", tc.name, err, e.Fields, tc.err)
			}
			continue
		}
		if err != nil || g.Kind != tc.kind || g.ID == 0 {
			t.Errorf("%s: got %+v, %v; want kind %s", tc.name, g, err, tc.kind)
			continue
		}
		v, err := w.svc.Get(ctx, admin, target.ID)
		if err != nil || len(v.Grants) != 1 || v.Grants[0].Kind != tc.kind || v.Grants[0].ID != g.ID {
			t.Errorf("%s: stored grants %+v, %v; want one of kind %s", tc.name, v.Grants, err, tc.kind)
		}
	}
}
