package api

import (
	"github.com/gofiber/fiber/v2"

	"densach/domain"
)

// scopeArea locates where a requested grant applies. An officer's unit must
// be a province or a current commune-level unit; the scope kind follows.
func (s *Server) scopeArea(c *fiber.Ctx, req domain.GrantRequest, target domain.Person) (domain.Area, domain.ScopeKind, error) {
	ctx := c.UserContext()
	switch {
	case req.Role == domain.RoleAdmin:
		return domain.Area{}, domain.ScopeSystem, nil
	case req.UnitID != 0:
		a, err := s.Units.UnitArea(ctx, req.UnitID)
		if domain.ErrorCode(err) == domain.CodeNotFound {
			return a, "", domain.Invalid(domain.Field("unit_id", "unit_unknown", "Không tìm thấy đơn vị này."))
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
			return a, "", domain.Invalid(domain.Field("centre_id", "centre_unknown", "Không tìm thấy trung tâm này."))
		}
		if req.Role == domain.RoleLearner {
			return a, domain.ScopeSelf, err // a learner acts on themselves; the centre is where they enrol
		}
		return a, domain.ScopeCentre, err
	}
	// A learner without a centre belongs to where they live.
	return domain.Area{CommuneID: target.CommuneID, ProvinceID: target.ProvinceID}, domain.ScopeSelf, nil
}

// grantArea locates an existing grant, for the same check on revocation.
func grantArea(g domain.Grant, target domain.Person) domain.Area {
	if g.CentreID != 0 {
		return domain.Area{CommuneID: g.CommuneID, ProvinceID: g.ProvinceID, CentreIDs: []int64{g.CentreID}}
	}
	switch g.Kind {
	case domain.ScopeSystem:
		return domain.Area{}
	case domain.ScopeProvince:
		return domain.Area{ProvinceID: g.ProvinceID}
	case domain.ScopeCommune:
		return domain.Area{CommuneID: g.CommuneID, ProvinceID: g.ProvinceID}
	}
	return domain.Area{CommuneID: target.CommuneID, ProvinceID: target.ProvinceID}
}

var errCannotGrant = domain.Errorf(domain.CodeForbidden, "Bạn không có quyền giao hoặc thu hồi vai trò này ở phạm vi này.")

func (s *Server) grantRole(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var in grantCreate
	if err := decode(c, &in); err != nil {
		return err
	}
	req := domain.GrantRequest{PersonID: id, Role: domain.Role(in.Role), UnitID: in.UnitID, CentreID: in.CentreID}
	if err := req.Validate(); err != nil {
		return err
	}
	target, err := s.readablePerson(c)
	if err != nil {
		return err
	}
	scope, kind, err := s.scopeArea(c, req, target)
	if err != nil {
		return err
	}
	if req.Role == domain.RoleOfficer && kind != domain.ScopeProvince && kind != domain.ScopeCommune {
		return domain.Invalid(domain.Field("unit_id", "unit_kind", "Cán bộ khuyến học gắn với một tỉnh hoặc một xã/phường."))
	}
	if !principal(c).CanGrant(req.Role, scope, target.Area()) {
		return errCannotGrant
	}
	g := domain.Grant{PersonID: id, Role: req.Role, Kind: kind, UnitID: req.UnitID, CentreID: req.CentreID}
	if err := s.People.GrantRole(c.UserContext(), actor(c), &g); err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(grantsOut([]domain.Grant{g})[0])
}

func (s *Server) revokeRole(c *fiber.Ctx) error {
	target, err := s.readablePerson(c)
	if err != nil {
		return err
	}
	grantID, err := pathID(c, "grant_id")
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
		return domain.Errorf(domain.CodeNotFound, "Người này không có vai trò này.")
	}
	if !principal(c).CanGrant(g.Role, grantArea(g, target), target.Area()) {
		return errCannotGrant
	}
	if err := s.People.RevokeGrant(c.UserContext(), actor(c), target.ID, g.ID); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
