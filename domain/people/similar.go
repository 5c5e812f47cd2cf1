package people

import (
	"context"

	"densach/domain"
)

// Similar returns the people the caller may read who look like a person
// about to be created: the same name (as searched) and birth year (0 for
// unknown) in the same commune. Only a caller who may create people may ask;
// the answer is masked like any read.
func (s *Service) Similar(ctx context.Context, pr domain.Principal, fullName string, birthYear int, communeID int64) ([]View, error) {
	if pr.PeopleFilter(domain.ActManage).Empty() {
		return nil, domain.Fail(domain.CodeForbidden, "person_create_forbidden", nil)
	}
	name, err := domain.NormalizeName(fullName)
	var f domain.Fields
	if err != nil {
		f = append(f, domain.AsError(err).Fields...)
	}
	if birthYear != 0 && (birthYear < 1900 || birthYear > 2100) {
		f = append(f, domain.FieldOf("birth_year", "birth_year_range", nil))
	}
	if communeID <= 0 {
		f = append(f, domain.FieldOf("commune_id", "commune_unknown", nil))
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	found, err := s.People.SimilarPeople(ctx, pr.PeopleFilter(domain.ActRead), domain.Person{FullName: name, BirthYear: birthYear, CommuneID: communeID})
	if err != nil {
		return nil, err
	}
	out := make([]View, len(found))
	for i, p := range found {
		out[i] = ViewOf(pr, p)
	}
	return out, nil
}
