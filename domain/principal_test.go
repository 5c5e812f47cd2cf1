package domain

import "testing"

// Two provinces (1, 2); communes 11, 12 in province 1 and 21 in province 2;
// centre 110 in commune 11 and centre 210 in commune 21.
var (
	inCommune11 = Area{PersonID: 100, CommuneID: 11, ProvinceID: 1}
	inCommune12 = Area{PersonID: 101, CommuneID: 12, ProvinceID: 1}
	inCommune21 = Area{PersonID: 102, CommuneID: 21, ProvinceID: 2}
	atCentre110 = Area{PersonID: 103, CommuneID: 21, ProvinceID: 2, CentreIDs: []int64{110}}
)

func principalWith(person int64, grants ...Grant) Principal {
	return Principal{PersonID: person, Grants: grants}
}

var (
	admin      = principalWith(1, Grant{Role: RoleAdmin, Kind: ScopeSystem})
	officerP1  = principalWith(2, Grant{Role: RoleOfficer, Kind: ScopeProvince, UnitID: 1, ProvinceID: 1})
	officerC11 = principalWith(3, Grant{Role: RoleOfficer, Kind: ScopeCommune, UnitID: 11, CommuneID: 11, ProvinceID: 1})
	manager110 = principalWith(4, Grant{Role: RoleManager, Kind: ScopeCentre, CentreID: 110, CommuneID: 11, ProvinceID: 1})
	teacher110 = principalWith(5, Grant{Role: RoleTeacher, Kind: ScopeCentre, CentreID: 110, CommuneID: 11, ProvinceID: 1})
	learner    = principalWith(100, Grant{Role: RoleLearner, Kind: ScopeSelf})
)

func TestPeopleFilter(t *testing.T) {
	cases := []struct {
		name string
		p    Principal
		act  Action
		area Area
		want bool
	}{
		{"admin reads anyone", admin, ActRead, inCommune21, true},
		{"admin manages anyone", admin, ActManage, inCommune21, true},
		{"province officer manages own province", officerP1, ActManage, inCommune12, true},
		{"province officer not another province", officerP1, ActRead, inCommune21, false},
		{"commune officer manages own commune", officerC11, ActManage, inCommune11, true},
		{"commune officer not a neighbour commune", officerC11, ActRead, inCommune12, false},
		{"manager manages the centre's commune", manager110, ActManage, inCommune11, true},
		{"manager manages people holding roles at the centre", manager110, ActManage, atCentre110, true},
		{"manager not another commune", manager110, ActRead, inCommune12, false},
		{"teacher reads the centre's commune", teacher110, ActRead, inCommune11, true},
		{"teacher manages no one", teacher110, ActManage, inCommune11, false},
		{"learner reads self", learner, ActRead, inCommune11, true},
		{"learner does not manage self", learner, ActManage, inCommune11, false},
		{"learner reads no neighbour", learner, ActRead, Area{PersonID: 999, CommuneID: 11, ProvinceID: 1}, false},
		{"no grants read nothing but self", Principal{PersonID: 7}, ActRead, inCommune11, false},
	}
	for _, c := range cases {
		if got := c.p.PeopleFilter(c.act).Matches(c.area); got != c.want {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
		}
	}
}

func TestCanGrant(t *testing.T) {
	centre110 := Area{CommuneID: 11, ProvinceID: 1, CentreIDs: []int64{110}}
	centre210 := Area{CommuneID: 21, ProvinceID: 2, CentreIDs: []int64{210}}
	province1 := Area{ProvinceID: 1}
	cases := []struct {
		name   string
		p      Principal
		role   Role
		scope  Area
		target Area
		want   bool
	}{
		{"admin grants admin", admin, RoleAdmin, Area{}, inCommune21, true},
		{"province officer grants a manager in the province", officerP1, RoleManager, centre110, inCommune12, true},
		{"province officer grants a province officer", officerP1, RoleOfficer, province1, inCommune11, true},
		{"province officer never grants admin", officerP1, RoleAdmin, Area{}, inCommune11, false},
		{"province officer not in another province", officerP1, RoleManager, centre210, inCommune21, false},
		{"commune officer cannot grant over the whole province", officerC11, RoleOfficer, province1, inCommune11, false},
		{"commune officer grants a teacher at a centre of the commune", officerC11, RoleTeacher, centre110, inCommune11, true},
		{"manager grants a teacher at own centre", manager110, RoleTeacher, centre110, inCommune11, true},
		{"manager grants a learner at own centre", manager110, RoleLearner, centre110, inCommune11, true},
		{"manager cannot grant a manager", manager110, RoleManager, centre110, inCommune11, false},
		{"manager cannot reach a person of another commune", manager110, RoleTeacher, centre110, inCommune12, false},
		{"manager cannot grant at another centre", manager110, RoleTeacher, centre210, inCommune11, false},
		{"teacher grants nothing", teacher110, RoleLearner, centre110, inCommune11, false},
		{"learner grants nothing", learner, RoleLearner, centre110, inCommune11, false},
	}
	for _, c := range cases {
		if got := c.p.CanGrant(c.role, c.scope, c.target); got != c.want {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
		}
	}
}
