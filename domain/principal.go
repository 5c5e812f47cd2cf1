package domain

import "slices"

// Principal is the signed-in caller: who they are and the grants they hold.
// Every read and write is checked against it through Filter, the one shared
// scope mechanism: storage turns a Filter into SQL, and the same Filter
// checks single objects in memory.
type Principal struct {
	AccountID int64
	PersonID  int64
	Grants    []Grant
	// MustChangePassword restricts a sign-in whose password someone else
	// chose to the caller's profile, the password change and sign-out.
	MustChangePassword bool
}

// Action is what the caller wants to do with people's data.
type Action int

// The actions scopes are checked for.
const (
	// ActRead sees a person (with personal data masked unless ActManage holds too).
	ActRead Action = iota
	// ActManage creates, edits and imports people and sees their personal data unmasked.
	ActManage
)

// Filter is the set of areas a principal may act on. The zero Filter matches
// nothing.
type Filter struct {
	All         bool
	ProvinceIDs []int64
	CommuneIDs  []int64
	CentreIDs   []int64
	SelfID      int64
}

// Matches reports whether the area lies inside the filter.
func (f Filter) Matches(a Area) bool {
	if f.All {
		return true
	}
	if f.SelfID != 0 && a.PersonID == f.SelfID {
		return true
	}
	if a.ProvinceID != 0 && slices.Contains(f.ProvinceIDs, a.ProvinceID) {
		return true
	}
	if a.CommuneID != 0 && slices.Contains(f.CommuneIDs, a.CommuneID) {
		return true
	}
	for _, c := range a.CentreIDs {
		if slices.Contains(f.CentreIDs, c) {
			return true
		}
	}
	return false
}

// Empty reports whether the filter matches no area (it may still match the
// caller themselves): such callers are refused before their input is read.
func (f Filter) Empty() bool {
	return !f.All && len(f.ProvinceIDs) == 0 && len(f.CommuneIDs) == 0 && len(f.CentreIDs) == 0
}

// Has reports whether the principal holds role anywhere.
func (p Principal) Has(role Role) bool {
	for _, g := range p.Grants {
		if g.Role == role {
			return true
		}
	}
	return false
}

// IsAdmin reports whether the principal is a system administrator.
func (p Principal) IsAdmin() bool { return p.Has(RoleAdmin) }

// PeopleFilter returns the people the principal may read or manage.
// Officers act on their province or commune; managers on their centre's
// commune and the people who hold roles at their centre; teachers read the
// same people but manage no one; everyone reads themselves.
func (p Principal) PeopleFilter(act Action) Filter {
	f := Filter{}
	if act == ActRead {
		f.SelfID = p.PersonID
	}
	for _, g := range p.Grants {
		switch g.Role {
		case RoleAdmin:
			return Filter{All: true}
		case RoleOfficer:
			f.addOfficerArea(g)
		case RoleManager, RoleTeacher:
			if g.Role == RoleManager || act == ActRead {
				f.CommuneIDs = appendUnique(f.CommuneIDs, g.CommuneID)
				f.CentreIDs = appendUnique(f.CentreIDs, g.CentreID)
			}
		}
	}
	return f
}

// AreaFilter returns the areas (units, centres) the principal manages:
// administrators everything, officers their province or commune, managers
// their centre.
func (p Principal) AreaFilter() Filter {
	f := Filter{}
	for _, g := range p.Grants {
		switch g.Role {
		case RoleAdmin:
			return Filter{All: true}
		case RoleOfficer:
			f.addOfficerArea(g)
		case RoleManager:
			f.CentreIDs = appendUnique(f.CentreIDs, g.CentreID)
		}
	}
	return f
}

// CanGrant reports whether the principal may give (or take back) role over
// scope to a person living in target. Administrators grant anything;
// officers grant every role but administrator inside their area to people
// of their area; managers grant teacher and learner at their own centre.
func (p Principal) CanGrant(role Role, scope Area, target Area) bool {
	for _, g := range p.Grants {
		switch g.Role {
		case RoleAdmin:
			return true
		case RoleOfficer:
			if role == RoleAdmin {
				continue
			}
			var area Filter
			area.addOfficerArea(g)
			if area.Matches(scope) && area.Matches(target) {
				return true
			}
		case RoleManager:
			if role != RoleTeacher && role != RoleLearner {
				continue
			}
			if slices.Contains(scope.CentreIDs, g.CentreID) && (target.CommuneID == g.CommuneID || slices.Contains(target.CentreIDs, g.CentreID)) {
				return true
			}
		}
	}
	return false
}

// addOfficerArea widens f by an officer grant's province or commune.
func (f *Filter) addOfficerArea(g Grant) {
	if g.Kind == ScopeProvince {
		f.ProvinceIDs = appendUnique(f.ProvinceIDs, g.UnitID)
	} else {
		f.CommuneIDs = appendUnique(f.CommuneIDs, g.UnitID)
	}
}

func appendUnique(ids []int64, id int64) []int64 {
	if id == 0 || slices.Contains(ids, id) {
		return ids
	}
	return append(ids, id)
}
