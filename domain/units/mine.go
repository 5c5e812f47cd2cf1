package units

import (
	"context"
	"slices"

	"densach/domain"
)

// MyCentre is a centre the caller belongs to, as their home page shows it:
// where it is, what the caller does there and whom to contact.
type MyCentre struct {
	domain.Centre
	Roles    []domain.Role
	Contacts []domain.CentreContact
}

// MyCentres lists the centres where the caller holds a role (learner,
// teacher or manager), in the order of their grants, each with its address
// and its managers (name and phone) as contacts. Everyone signed in may ask,
// and learns only about their own centres: the managers' phone numbers go to
// the people of their centre and to nobody else.
func (s *Service) MyCentres(ctx context.Context, pr domain.Principal) ([]MyCentre, error) {
	var ids []int64
	roles := map[int64][]domain.Role{}
	for _, g := range pr.Grants {
		if g.CentreID == 0 {
			continue
		}
		if _, seen := roles[g.CentreID]; !seen {
			ids = append(ids, g.CentreID)
		}
		if !slices.Contains(roles[g.CentreID], g.Role) {
			roles[g.CentreID] = append(roles[g.CentreID], g.Role)
		}
	}
	out := make([]MyCentre, 0, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	contacts, err := s.Units.CentreContacts(ctx, ids)
	if err != nil {
		return nil, err
	}
	for _, id := range ids {
		c, err := s.Units.GetCentre(ctx, id)
		if domain.ErrorCode(err) == domain.CodeNotFound {
			continue // gone since the token was issued
		}
		if err != nil {
			return nil, err
		}
		cs := contacts[id]
		if cs == nil {
			cs = []domain.CentreContact{}
		}
		out = append(out, MyCentre{Centre: c, Roles: roles[id], Contacts: cs})
	}
	return out, nil
}
