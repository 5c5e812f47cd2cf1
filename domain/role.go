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
			f.Add("role", "scope_not_allowed", "Quản trị hệ thống không gắn với đơn vị hay trung tâm.")
		}
	case RoleOfficer:
		if g.UnitID == 0 || g.CentreID != 0 {
			f.Add("unit_id", "unit_required", "Cán bộ khuyến học cần chọn tỉnh hoặc xã/phường.")
		}
	case RoleManager, RoleTeacher:
		if g.CentreID == 0 || g.UnitID != 0 {
			f.Add("centre_id", "centre_required", "Cần chọn trung tâm học tập cộng đồng.")
		}
	case RoleLearner:
		if g.UnitID != 0 {
			f.Add("unit_id", "scope_not_allowed", "Học viên chỉ gắn với trung tâm (không bắt buộc).")
		}
	default:
		f.Add("role", "role_invalid", "Vai trò không hợp lệ.")
	}
	return f.Err()
}
