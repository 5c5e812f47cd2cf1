package domain

import "testing"

// TestCovers is the rule that closes the account takeover: a caller covers a
// person only when their authority covers every role the person holds. All
// targets but the foreign ones live in commune 11, where every caller of
// the fixture has authority of some kind.
func TestCovers(t *testing.T) {
	live := func(id, commune, province int64, grants ...Grant) Person {
		return Person{ID: id, CommuneID: commune, ProvinceID: province, Grants: grants}
	}
	var (
		plain        = live(200, 11, 1)
		plainC12     = live(201, 12, 1)
		plainC21     = live(202, 21, 2)
		adminT       = live(203, 11, 1, Grant{Role: RoleAdmin, Kind: ScopeSystem})
		provOfficer  = live(204, 11, 1, Grant{Role: RoleOfficer, Kind: ScopeProvince, UnitID: 1, ProvinceID: 1})
		provOfficer2 = live(205, 11, 1, Grant{Role: RoleOfficer, Kind: ScopeProvince, UnitID: 2, ProvinceID: 2})
		commOfficer  = live(206, 11, 1, Grant{Role: RoleOfficer, Kind: ScopeCommune, UnitID: 11, CommuneID: 11, ProvinceID: 1})
		commOfficer2 = live(207, 11, 1, Grant{Role: RoleOfficer, Kind: ScopeCommune, UnitID: 12, CommuneID: 12, ProvinceID: 1})
		managerT     = live(208, 11, 1, Grant{Role: RoleManager, Kind: ScopeCentre, CentreID: 110, CommuneID: 11, ProvinceID: 1})
		teacherT     = live(209, 11, 1, Grant{Role: RoleTeacher, Kind: ScopeCentre, CentreID: 110, CommuneID: 11, ProvinceID: 1})
		teacherAway  = live(210, 21, 2, Grant{Role: RoleTeacher, Kind: ScopeCentre, CentreID: 110, CommuneID: 11, ProvinceID: 1})
		teacherElse  = live(211, 11, 1, Grant{Role: RoleTeacher, Kind: ScopeCentre, CentreID: 120, CommuneID: 12, ProvinceID: 1})
		learnerT     = live(212, 11, 1, Grant{Role: RoleLearner, Kind: ScopeSelf})
		learnerAt    = live(213, 11, 1, Grant{Role: RoleLearner, Kind: ScopeSelf, CentreID: 110, CommuneID: 11, ProvinceID: 1})
		historical   = live(214, 11, 1, Grant{Role: RoleOfficer, Kind: ScopeCommune, UnitID: 99})
		learnerSelf  = live(100, 11, 1, Grant{Role: RoleLearner, Kind: ScopeSelf})
	)
	callers := []struct {
		name string
		p    Principal
	}{{"admin", admin}, {"officer_p1", officerP1}, {"officer_c11", officerC11}, {"manager_110", manager110}, {"teacher_110", teacher110}, {"learner", learner}}
	cases := []struct {
		name   string
		target Person
		want   [6]bool // admin, province officer, commune officer, manager, teacher, learner
	}{
		{"no role, commune 11", plain, [6]bool{true, true, true, true, false, false}},
		{"no role, commune 12", plainC12, [6]bool{true, true, false, false, false, false}},
		{"no role, province 2", plainC21, [6]bool{true, false, false, false, false, false}},
		{"administrator", adminT, [6]bool{true, false, false, false, false, false}},
		{"officer of province 1", provOfficer, [6]bool{true, true, false, false, false, false}},
		{"officer of province 2 living in 11", provOfficer2, [6]bool{true, false, false, false, false, false}},
		{"officer of commune 11", commOfficer, [6]bool{true, true, true, false, false, false}},
		{"officer of commune 12 living in 11", commOfficer2, [6]bool{true, true, false, false, false, false}},
		{"manager of centre 110", managerT, [6]bool{true, true, true, false, false, false}},
		{"teacher at centre 110", teacherT, [6]bool{true, true, true, true, false, false}},
		{"teacher at centre 110 living in province 2", teacherAway, [6]bool{true, false, false, true, false, false}},
		{"teacher at centre 120 living in 11", teacherElse, [6]bool{true, true, false, false, false, false}},
		{"learner without centre", learnerT, [6]bool{true, true, true, true, false, false}},
		{"learner at centre 110", learnerAt, [6]bool{true, true, true, true, false, false}},
		{"officer of a historical unit", historical, [6]bool{true, false, false, false, false, false}},
		{"the learner caller themselves", learnerSelf, [6]bool{true, true, true, true, false, false}},
	}
	for _, c := range cases {
		for i, caller := range callers {
			if got := caller.p.Covers(c.target); got != c.want[i] {
				t.Errorf("%s covers %s: got %v, want %v", caller.name, c.name, got, c.want[i])
			}
		}
	}
}

// TestSeesContact: contact details are unmasked for oneself and the people
// one covers, never for an officer seen by a manager.
func TestSeesContact(t *testing.T) {
	officer := Person{ID: 300, CommuneID: 11, ProvinceID: 1, Grants: []Grant{{Role: RoleOfficer, Kind: ScopeProvince, UnitID: 1, ProvinceID: 1}}}
	self := Person{ID: manager110.PersonID, CommuneID: 11, ProvinceID: 1, Grants: manager110.Grants}
	cases := []struct {
		name string
		p    Principal
		t    Person
		want bool
	}{
		{"manager sees own contact", manager110, self, true},
		{"manager does not see the officer's", manager110, officer, false},
		{"province officer sees their own kind", officerP1, officer, true},
		{"teacher sees no one's", teacher110, Person{ID: 301, CommuneID: 11, ProvinceID: 1}, false},
	}
	for _, c := range cases {
		if got := c.p.SeesContact(c.t); got != c.want {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
		}
	}
	if manager110.Covers(self) {
		t.Error("a manager covers their own manager role: they could not have granted it")
	}
}

// TestGrantScopeArea locates each kind of grant.
func TestGrantScopeArea(t *testing.T) {
	home := Area{PersonID: 9, CommuneID: 11, ProvinceID: 1}
	cases := []struct {
		name string
		g    Grant
		want Area
	}{
		{"admin", Grant{Role: RoleAdmin, Kind: ScopeSystem}, Area{}},
		{"province officer", Grant{Role: RoleOfficer, Kind: ScopeProvince, UnitID: 2, ProvinceID: 2}, Area{ProvinceID: 2}},
		{"commune officer", Grant{Role: RoleOfficer, Kind: ScopeCommune, UnitID: 12, CommuneID: 12, ProvinceID: 1}, Area{CommuneID: 12, ProvinceID: 1}},
		{"teacher", Grant{Role: RoleTeacher, Kind: ScopeCentre, CentreID: 120, CommuneID: 12, ProvinceID: 1}, Area{CommuneID: 12, ProvinceID: 1, CentreIDs: []int64{120}}},
		{"learner without centre", Grant{Role: RoleLearner, Kind: ScopeSelf}, Area{CommuneID: 11, ProvinceID: 1}},
	}
	for _, c := range cases {
		got := c.g.ScopeArea(home)
		if got.CommuneID != c.want.CommuneID || got.ProvinceID != c.want.ProvinceID || len(got.CentreIDs) != len(c.want.CentreIDs) ||
			(len(got.CentreIDs) == 1 && got.CentreIDs[0] != c.want.CentreIDs[0]) || got.PersonID != 0 {
			t.Errorf("%s: got %+v, want %+v", c.name, got, c.want)
		}
	}
}
