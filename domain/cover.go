package domain

// ScopeArea is the area a grant applies to, the one CanGrant is asked about:
// the system for an administrator, the unit of an officer, the centre of a
// manager or teacher (or of a learner enrolled there), and for a learner
// without a centre where the person lives (home).
func (g Grant) ScopeArea(home Area) Area {
	if g.CentreID != 0 {
		return Area{CommuneID: g.CommuneID, ProvinceID: g.ProvinceID, CentreIDs: []int64{g.CentreID}}
	}
	switch g.Kind {
	case ScopeSystem:
		return Area{}
	case ScopeProvince:
		return Area{ProvinceID: g.ProvinceID}
	case ScopeCommune:
		return Area{CommuneID: g.CommuneID, ProvinceID: g.ProvinceID}
	}
	return Area{CommuneID: home.CommuneID, ProvinceID: home.ProvinceID}
}

// Covers reports whether the principal's authority covers the person, the
// condition for changing their profile, sign-in identifiers, password,
// account or roles: the principal manages where the person lives (or a
// centre where they hold a role), and could grant every role the person
// holds that carries authority over others, over its whole scope. So a
// manager never acts on an officer or an administrator, a commune officer
// never on a province officer, a province officer never on an
// administrator. A learner role carries no authority over anyone and asks
// nothing beyond managing the person.
func (p Principal) Covers(t Person) bool {
	home := t.Area()
	if !p.PeopleFilter(ActManage).Matches(home) {
		return false
	}
	for _, g := range t.Grants {
		if g.Role == RoleLearner {
			continue
		}
		if !p.CanGrant(g.Role, g.ScopeArea(home), home) {
			return false
		}
	}
	return true
}

// SeesContact reports whether the principal sees the person's CCCD, phone
// and e-mail unmasked: their own, and those of the people they cover. Who
// may not change a person's sign-in identifiers has no need to read them.
func (p Principal) SeesContact(t Person) bool {
	return t.ID == p.PersonID || p.Covers(t)
}

// CanEditProfile reports whether the principal may change the person's
// profile: a person they cover, or themselves where they manage where they
// live (a centre manager keeps their own details up to date, though they
// could not have granted their own role). Password, account and roles of
// oneself go through Covers and the password change.
func (p Principal) CanEditProfile(t Person) bool {
	if p.Covers(t) {
		return true
	}
	return t.ID == p.PersonID && p.PeopleFilter(ActManage).Matches(t.Area())
}
