package people

import (
	"context"

	"densach/domain"
)

// Deactivate marks a person the caller covers inactive: their records stay,
// they leave the default list, their account is signed out and cannot sign
// in. Nobody deactivates themselves.
func (s *Service) Deactivate(ctx context.Context, pr domain.Principal, id int64) (View, error) {
	return s.setActive(ctx, pr, id, false)
}

// Activate reactivates a deactivated person the caller covers; a person
// merged into another stays inactive (CodeConflict).
func (s *Service) Activate(ctx context.Context, pr domain.Principal, id int64) (View, error) {
	return s.setActive(ctx, pr, id, true)
}

func (s *Service) setActive(ctx context.Context, pr domain.Principal, id int64, active bool) (View, error) {
	p, err := s.covered(ctx, pr, id)
	if err != nil {
		return View{}, err
	}
	if !active && p.ID == pr.PersonID {
		return View{}, domain.Fail(domain.CodeForbidden, "person_deactivate_self", nil)
	}
	if err := s.People.SetActive(ctx, domain.ActorOf(ctx, pr), id, active); err != nil {
		return View{}, err
	}
	p, err = s.People.GetPerson(ctx, id)
	if err != nil {
		return View{}, err
	}
	return ViewOf(pr, p), nil
}
