package people

import (
	"context"

	"densach/domain"
)

// Merge merges the person fromID, a duplicate record, into keepID: the
// caller must cover both. Everything that refers to the duplicate moves to
// the kept person (their account only when the kept person has none), the
// kept person's empty fields are filled from the duplicate, and the
// duplicate is deactivated, naming the kept person; one audit entry names
// both. Nobody merges themselves away.
func (s *Service) Merge(ctx context.Context, pr domain.Principal, keepID, fromID int64) (View, error) {
	if fromID <= 0 {
		return View{}, domain.Invalid(domain.FieldOf("from_id", "id_invalid", domain.Params{"name": "from_id"}))
	}
	if fromID == keepID {
		return View{}, domain.Invalid(domain.FieldOf("from_id", "merge_same_person", nil))
	}
	if _, err := s.covered(ctx, pr, keepID); err != nil {
		return View{}, err
	}
	if _, err := s.covered(ctx, pr, fromID); err != nil {
		return View{}, err
	}
	if fromID == pr.PersonID {
		return View{}, domain.Fail(domain.CodeForbidden, "person_merge_self", nil)
	}
	if err := s.People.MergePeople(ctx, domain.ActorOf(ctx, pr), keepID, fromID); err != nil {
		return View{}, err
	}
	p, err := s.People.GetPerson(ctx, keepID)
	if err != nil {
		return View{}, err
	}
	return ViewOf(pr, p), nil
}
