package units

import (
	"context"

	"densach/domain"
)

// ListCentres lists the open centres by unit or province; every signed-in
// person reads them.
func (s *Service) ListCentres(ctx context.Context, pr domain.Principal, f domain.PlaceFilter) ([]domain.Centre, error) {
	return s.Units.ListCentres(ctx, f)
}

// GetCentre reads one centre.
func (s *Service) GetCentre(ctx context.Context, pr domain.Principal, id int64) (domain.Centre, error) {
	return s.Units.GetCentre(ctx, id)
}

// ListBranches lists association branches by unit or province.
func (s *Service) ListBranches(ctx context.Context, pr domain.Principal, f domain.PlaceFilter) ([]domain.Branch, error) {
	return s.Units.ListBranches(ctx, f)
}

// NewPlace is a centre or branch a caller asks to create, as sent.
type NewPlace struct {
	UnitID  int64
	Name    string
	Address string
}

// CreateCentre adds a centre to a current commune-level unit: administrators
// anywhere, officers inside their province or commune.
func (s *Service) CreateCentre(ctx context.Context, pr domain.Principal, in NewPlace) (domain.Centre, error) {
	unitName, err := s.placeInArea(ctx, pr, &in)
	if err != nil {
		return domain.Centre{}, err
	}
	c := domain.Centre{UnitID: in.UnitID, UnitName: unitName, Name: in.Name, Address: in.Address}
	if err := s.Units.CreateCentre(ctx, domain.ActorOf(ctx, pr), &c); err != nil {
		return domain.Centre{}, err
	}
	return c, nil
}

// CreateBranch adds an association branch to a current commune-level unit,
// with the same rule as centres.
func (s *Service) CreateBranch(ctx context.Context, pr domain.Principal, in NewPlace) (domain.Branch, error) {
	in.Address = ""
	unitName, err := s.placeInArea(ctx, pr, &in)
	if err != nil {
		return domain.Branch{}, err
	}
	b := domain.Branch{UnitID: in.UnitID, UnitName: unitName, Name: in.Name}
	if err := s.Units.CreateBranch(ctx, domain.ActorOf(ctx, pr), &b); err != nil {
		return domain.Branch{}, err
	}
	return b, nil
}

// placeInArea validates a centre or branch (normalising its name and
// address in place), checks that its unit is a current commune-level unit
// and that the caller manages it, and returns the unit's name.
func (s *Service) placeInArea(ctx context.Context, pr domain.Principal, in *NewPlace) (string, error) {
	var f domain.Fields
	name, err := domain.NormalizeText(in.Name, maxNameLen)
	if err != nil || name == "" {
		f.AddOf("name", "name_required", domain.Params{"max": maxNameLen})
	}
	address, err := domain.NormalizeText(in.Address, 300)
	f.AddErr("address", err)
	if in.UnitID <= 0 {
		f.AddOf("unit_id", "commune_unit_required", nil)
	}
	if err := f.Err(); err != nil {
		return "", err
	}
	in.Name, in.Address = name, address
	area, err := s.Units.UnitArea(ctx, in.UnitID, s.today())
	if domain.ErrorCode(err) == domain.CodeNotFound {
		return "", domain.Invalid(domain.FieldOf("unit_id", "unit_unknown", nil))
	}
	if err != nil {
		return "", err
	}
	if area.CommuneID == 0 {
		return "", domain.Invalid(domain.FieldOf("unit_id", "centre_unit_kind", nil))
	}
	if !canAddPlaces(pr) || !pr.AreaFilter().Matches(area) {
		return "", forbidden()
	}
	u, err := s.Units.GetUnit(ctx, in.UnitID)
	if err != nil {
		return "", err
	}
	return u.Name, nil
}

// canAddPlaces: administrators and officers add centres and branches;
// managers manage their own centre but do not create new ones.
func canAddPlaces(p domain.Principal) bool { return p.IsAdmin() || p.Has(domain.RoleOfficer) }
