package people

import (
	"context"

	"densach/domain"
)

var errCannotGrant = domain.Fail(domain.CodeForbidden, "grant_forbidden", nil)

// scopeArea locates where a requested grant applies. An officer's unit must
// be a province or a current commune-level unit; the scope kind follows.
func (s *Service) scopeArea(ctx context.Context, req domain.GrantRequest, target domain.Person) (domain.Area, domain.ScopeKind, error) {
	switch {
	case req.Role == domain.RoleAdmin:
		return domain.Area{}, domain.ScopeSystem, nil
	case req.UnitID != 0:
		a, err := s.Units.UnitArea(ctx, req.UnitID, domain.Today(s.now()))
		if domain.ErrorCode(err) == domain.CodeNotFound {
			return a, "", domain.Invalid(domain.FieldOf("unit_id", "unit_unknown", nil))
		}
		if err != nil {
			return a, "", err
		}
		if a.CommuneID != 0 {
			return a, domain.ScopeCommune, nil
		}
		return a, domain.ScopeProvince, nil
	case req.CentreID != 0:
		a, err := s.Units.CentreArea(ctx, req.CentreID)
		if domain.ErrorCode(err) == domain.CodeNotFound {
			return a, "", domain.Invalid(domain.FieldOf("centre_id", "centre_unknown", nil))
		}
		if req.Role == domain.RoleLearner {
			return a, domain.ScopeSelf, err // a learner acts on themselves; the centre is where they enrol
		}
		return a, domain.ScopeCentre, err
	}
	// A learner without a centre belongs to where they live.
	return domain.Area{CommuneID: target.CommuneID, ProvinceID: target.ProvinceID}, domain.ScopeSelf, nil
}

// GrantRole gives a person a role over a unit or centre. The caller must
// cover the person (every role they already hold) and be able to grant the
// new role over its scope.
func (s *Service) GrantRole(ctx context.Context, pr domain.Principal, req domain.GrantRequest) (domain.Grant, error) {
	if err := req.Validate(); err != nil {
		return domain.Grant{}, err
	}
	target, err := s.covered(ctx, pr, req.PersonID)
	if err != nil {
		return domain.Grant{}, err
	}
	scope, kind, err := s.scopeArea(ctx, req, target)
	if err != nil {
		return domain.Grant{}, err
	}
	if req.Role == domain.RoleOfficer && kind != domain.ScopeProvince && kind != domain.ScopeCommune {
		return domain.Grant{}, domain.Invalid(domain.FieldOf("unit_id", "officer_unit_kind", nil))
	}
	if !pr.CanGrant(req.Role, scope, target.Area()) {
		return domain.Grant{}, errCannotGrant
	}
	g := domain.Grant{PersonID: req.PersonID, Role: req.Role, Kind: kind, UnitID: req.UnitID, CentreID: req.CentreID}
	if err := s.People.GrantRole(ctx, domain.ActorOf(ctx, pr), &g); err != nil {
		return domain.Grant{}, err
	}
	return g, nil
}

// RevokeRole takes an active grant back from a person the caller covers,
// when the caller could have given it.
func (s *Service) RevokeRole(ctx context.Context, pr domain.Principal, personID, grantID int64) error {
	target, err := s.readable(ctx, pr, personID)
	if err != nil {
		return err
	}
	var g domain.Grant
	for _, x := range target.Grants {
		if x.ID == grantID {
			g = x
		}
	}
	if g.ID == 0 {
		return domain.Fail(domain.CodeNotFound, "role_not_held", nil)
	}
	if !pr.Covers(target) {
		return errNotCovered
	}
	if !pr.CanGrant(g.Role, g.ScopeArea(target.Area()), target.Area()) {
		return errCannotGrant
	}
	return s.People.RevokeGrant(ctx, domain.ActorOf(ctx, pr), target.ID, g.ID)
}
