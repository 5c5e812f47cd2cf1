// Package summary is the use case of the home pages' counts: one answer
// instead of a list request per figure.
package summary

import (
	"context"

	"densach/domain"
)

// Service counts what a home page shows. Build it by field assignment in
// cmd/.
type Service struct {
	Store domain.SummaryStore
}

// Get counts, inside the caller's scope, the current provinces and
// commune-level units, centres and branches of the areas the caller manages
// (everything for administrators, the province or commune for officers, the
// centre for managers, nothing for teachers and learners), and the people the
// caller may read, with accounts and roles.
func (s *Service) Get(ctx context.Context, pr domain.Principal) (domain.Summary, error) {
	return s.Store.Summary(ctx, pr.AreaFilter(), pr.PeopleFilter(domain.ActRead))
}
