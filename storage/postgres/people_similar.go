package postgres

import (
	"context"

	"densach/domain"
)

// maxSimilar bounds the people a duplicate warning lists.
const maxSimilar = 10

// SimilarPeople reads the people matched by read who live in the commune and
// share the name key (name as searched, birth year, 0 for unknown) of p:
// people_commune_name serves the lookup.
func (s *People) SimilarPeople(ctx context.Context, read domain.Filter, p domain.Person) ([]domain.Person, error) {
	const op = "postgres.SimilarPeople"
	where, args := scopeSQL(read)
	var rows []personRow
	err := s.db.q(ctx).Table("people p").Joins("LEFT JOIN units u ON u.id = p.commune_id").Select(personSelect()).
		Where(where, args...).
		Where("p.commune_id = ? AND p.search_exact = ? AND coalesce(p.birth_year, 0) = ?", p.CommuneID, domain.LowerForSearch(p.FullName), p.BirthYear).
		Order("p.id").Limit(maxSimilar).Find(&rows).Error
	if err != nil {
		return nil, translate(op, err)
	}
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.Record.ID
	}
	grants, err := loadGrants(s.db.q(ctx), ids)
	if err != nil {
		return nil, translate(op, err)
	}
	out := make([]domain.Person, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
		out[i].Grants = grants[r.Record.ID]
	}
	return out, nil
}
