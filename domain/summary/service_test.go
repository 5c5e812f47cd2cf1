package summary_test

import (
	"context"
	"reflect"
	"testing"

	"densach/domain"
	"densach/domain/summary"
)

// spyStore records the filters the use case counts with.
type spyStore struct{ area, people domain.Filter }

func (s *spyStore) Summary(_ context.Context, area, people domain.Filter) (domain.Summary, error) {
	s.area, s.people = area, people
	return domain.Summary{}, nil
}

// TestGetCountsInsideTheCallersScope is the use case's authorization table:
// each role counts places only where it manages them and people only where
// it may read them (the HTTP table TestAuthzSummary checks the counts).
func TestGetCountsInsideTheCallersScope(t *testing.T) {
	const self, prov, comm, centre = 7, 1, 11, 5
	grant := func(r domain.Role, k domain.ScopeKind) domain.Principal {
		g := domain.Grant{Role: r, Kind: k}
		switch k {
		case domain.ScopeProvince:
			g.UnitID, g.ProvinceID = prov, prov
		case domain.ScopeCommune:
			g.UnitID, g.CommuneID, g.ProvinceID = comm, comm, prov
		case domain.ScopeCentre, domain.ScopeSelf:
			g.CentreID, g.CommuneID, g.ProvinceID = centre, comm, prov
		}
		return domain.Principal{PersonID: self, Grants: []domain.Grant{g}}
	}
	for _, tc := range []struct {
		name         string
		pr           domain.Principal
		area, people domain.Filter
	}{
		{"admin", grant(domain.RoleAdmin, domain.ScopeSystem), domain.Filter{All: true}, domain.Filter{All: true}},
		{"province officer", grant(domain.RoleOfficer, domain.ScopeProvince),
			domain.Filter{ProvinceIDs: []int64{prov}}, domain.Filter{ProvinceIDs: []int64{prov}, SelfID: self}},
		{"commune officer", grant(domain.RoleOfficer, domain.ScopeCommune),
			domain.Filter{CommuneIDs: []int64{comm}}, domain.Filter{CommuneIDs: []int64{comm}, SelfID: self}},
		{"manager", grant(domain.RoleManager, domain.ScopeCentre),
			domain.Filter{CentreIDs: []int64{centre}}, domain.Filter{CommuneIDs: []int64{comm}, CentreIDs: []int64{centre}, SelfID: self}},
		{"teacher", grant(domain.RoleTeacher, domain.ScopeCentre),
			domain.Filter{}, domain.Filter{CommuneIDs: []int64{comm}, CentreIDs: []int64{centre}, SelfID: self}},
		{"learner", grant(domain.RoleLearner, domain.ScopeSelf), domain.Filter{}, domain.Filter{SelfID: self}},
		{"no role", domain.Principal{PersonID: self}, domain.Filter{}, domain.Filter{SelfID: self}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			store := &spyStore{}
			if _, err := (&summary.Service{Store: store}).Get(context.Background(), tc.pr); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(store.area, tc.area) || !reflect.DeepEqual(store.people, tc.people) {
				t.Errorf("counted places in %+v and people in %+v; want %+v and %+v", store.area, store.people, tc.area, tc.people)
			}
		})
	}
}
