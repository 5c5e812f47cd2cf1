package domain

import "time"

// Role is what a person may do in Đèn Sách; a person may hold several.
type Role string

// The roles.
const (
	RoleAdmin   Role = "admin"
	RoleOfficer Role = "officer"
	RoleManager Role = "manager"
	RoleTeacher Role = "teacher"
	RoleLearner Role = "learner"
)

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	switch r {
	case RoleAdmin, RoleOfficer, RoleManager, RoleTeacher, RoleLearner:
		return true
	}
	return false
}

// ScopeKind names the kind of area a grant covers.
type ScopeKind string

// The scope kinds.
const (
	ScopeSystem   ScopeKind = "system"
	ScopeProvince ScopeKind = "province"
	ScopeCommune  ScopeKind = "commune"
	ScopeCentre   ScopeKind = "centre"
	ScopeSelf     ScopeKind = "self"
)

// Grant is one role held by a person over one scope. The IDs of the unit or
// centre and the area they lie in are resolved by storage.
type Grant struct {
	ID         int64
	PersonID   int64
	Role       Role
	Kind       ScopeKind
	UnitID     int64 // officer: the province or commune
	UnitName   string
	CentreID   int64 // manager, teacher; learner's home centre when known
	CentreName string
	CommuneID  int64 // resolved: the commune of the centre or unit
	ProvinceID int64 // resolved: the province of the centre or unit
	GrantedAt  time.Time
}

// GrantRequest asks to give a person a role over a unit or centre.
type GrantRequest struct {
	PersonID int64
	Role     Role
	UnitID   int64
	CentreID int64
}

// Validate checks that the request names exactly the scope the role needs.
func (g GrantRequest) Validate() error {
	var f Fields
	switch g.Role {
	case RoleAdmin:
		if g.UnitID != 0 || g.CentreID != 0 {
			f.AddOf("role", "admin_scope_not_allowed", nil)
		}
	case RoleOfficer:
		if g.UnitID == 0 || g.CentreID != 0 {
			f.AddOf("unit_id", "unit_required", nil)
		}
	case RoleManager, RoleTeacher:
		if g.CentreID == 0 || g.UnitID != 0 {
			f.AddOf("centre_id", "centre_required", nil)
		}
	case RoleLearner:
		if g.UnitID != 0 {
			f.AddOf("unit_id", "learner_scope_not_allowed", nil)
		}
	default:
		f.AddOf("role", "role_invalid", nil)
	}
	return f.Err()
}
