package postgres

import (
	"context"
	"strings"

	"densach/domain"
)

// Summary counts what the home pages show. It implements domain.SummaryStore.
type Summary struct{ db *DB }

// NewSummary returns the summary store over the pool.
func NewSummary(db *DB) *Summary { return &Summary{db: db} }

// areaSQL turns an area filter into a condition on current units aliased u
// (provinces and commune-level units) and the centres aliased c that stand
// in them: the areas a caller manages.
func areaSQL(f domain.Filter) (units string, unitArgs []any, centres string, centreArgs []any) {
	if f.All {
		return "TRUE", nil, "TRUE", nil
	}
	var up, cp []string
	if len(f.ProvinceIDs) > 0 {
		up = append(up, "(u.id IN ? OR u.parent_id IN ?)")
		unitArgs = append(unitArgs, f.ProvinceIDs, f.ProvinceIDs)
	}
	if len(f.CommuneIDs) > 0 {
		up = append(up, "u.id IN ?")
		unitArgs = append(unitArgs, f.CommuneIDs)
	}
	cp, centreArgs = append(cp, up...), append(centreArgs, unitArgs...)
	if len(f.CentreIDs) > 0 {
		cp = append(cp, "c.id IN ?")
		centreArgs = append(centreArgs, f.CentreIDs)
	}
	or := func(parts []string) string {
		if len(parts) == 0 {
			return "FALSE"
		}
		return "(" + strings.Join(parts, " OR ") + ")"
	}
	return or(up), unitArgs, or(cp), centreArgs
}

// Summary counts current provinces (with their commune-level units),
// centres and branches inside area, and the people inside people with their
// accounts and active roles.
func (s *Summary) Summary(ctx context.Context, area, people domain.Filter) (domain.Summary, error) {
	const op = "postgres.Summary"
	out := domain.Summary{Provinces: []domain.ProvinceCount{}, Roles: map[domain.Role]int{}}
	unitWhere, unitArgs, placeWhere, placeArgs := areaSQL(area)
	q := s.db.q(ctx)
	// A province is listed when the caller manages it or a unit in it.
	var provs []struct {
		ID       int64
		Code     string
		Name     string
		Communes int
	}
	err := q.Raw(`SELECT pr.id, pr.code, pr.name, count(u.id) AS communes
		FROM units pr LEFT JOIN units u ON u.parent_id = pr.id AND unit_commune_level(u.kind) AND u.valid_to IS NULL AND `+unitWhere+`
		WHERE pr.kind = 'province' AND pr.valid_to IS NULL
		GROUP BY pr.id HAVING count(u.id) > 0 OR `+strings.ReplaceAll(unitWhere, "u.", "pr.")+`
		ORDER BY pr.code`, append(unitArgs, unitArgs...)...).Scan(&provs).Error
	if err != nil {
		return out, translate(op, err)
	}
	for _, p := range provs {
		out.Provinces = append(out.Provinces, domain.ProvinceCount{ID: p.ID, Code: p.Code, Name: p.Name, Communes: p.Communes})
		out.Communes += p.Communes
	}
	// A manager's area is their centre: it counts, its commune's branches
	// do not.
	for _, t := range []struct {
		table, open, where string
		args               []any
		n                  *int
	}{
		{"centres", "c.closed_on IS NULL", placeWhere, placeArgs, &out.Centres},
		{"branches", "TRUE", unitWhere, unitArgs, &out.Branches},
	} {
		err := q.Raw(`SELECT count(*) FROM `+t.table+` c JOIN units u ON u.id = c.unit_id WHERE `+t.open+` AND `+t.where, t.args...).Scan(t.n).Error
		if err != nil {
			return out, translate(op, err)
		}
	}
	where, args := scopeSQL(people)
	// Deactivated and merged-away records are no one's figures: every count
	// of people below reads this one condition.
	where = "p.active AND (" + where + ")"
	var counts struct{ People, Accounts int }
	err = q.Raw(`SELECT count(*) AS people, count(*) FILTER (WHERE EXISTS (SELECT 1 FROM accounts a WHERE a.person_id = p.id)) AS accounts
		FROM people p WHERE `+where, args...).Scan(&counts).Error
	if err != nil {
		return out, translate(op, err)
	}
	out.People, out.Accounts = counts.People, counts.Accounts
	var roles []struct {
		Role string
		N    int
	}
	err = q.Raw(`SELECT g.role, count(DISTINCT g.person_id) AS n FROM role_grants g JOIN people p ON p.id = g.person_id
		WHERE g.revoked_at IS NULL AND `+where+` GROUP BY g.role`, args...).Scan(&roles).Error
	if err != nil {
		return out, translate(op, err)
	}
	for _, r := range roles {
		out.Roles[domain.Role(r.Role)] = r.N
	}
	if out.ByCommune, err = s.breakdown(ctx, `SELECT u.id, u.name, u.kind, count(p.id) AS people
		FROM units u LEFT JOIN people p ON p.commune_id = u.id AND `+where+`
		WHERE unit_commune_level(u.kind) AND u.valid_to IS NULL AND `+unitWhere+`
		GROUP BY u.id ORDER BY u.name, u.id`, append(append([]any{}, args...), unitArgs...)); err != nil {
		return out, translate(op, err)
	}
	if out.ByCentre, err = s.breakdown(ctx, `SELECT c.id, c.name, '' AS kind, count(DISTINCT p.id) AS people
		FROM centres c JOIN units u ON u.id = c.unit_id
		LEFT JOIN role_grants g ON g.centre_id = c.id AND g.revoked_at IS NULL
		LEFT JOIN people p ON p.id = g.person_id AND `+where+`
		WHERE c.closed_on IS NULL AND `+placeWhere+`
		GROUP BY c.id ORDER BY c.name, c.id`, append(append([]any{}, args...), placeArgs...)); err != nil {
		return out, translate(op, err)
	}
	return out, nil
}

// breakdown runs one per-place count (id, name, kind, people).
func (s *Summary) breakdown(ctx context.Context, query string, args []any) ([]domain.PlaceCount, error) {
	var rows []struct {
		ID     int64
		Name   string
		Kind   string
		People int
	}
	if err := s.db.q(ctx).Raw(query, args...).Scan(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]domain.PlaceCount, len(rows))
	for i, r := range rows {
		out[i] = domain.PlaceCount{ID: r.ID, Name: r.Name, Kind: r.Kind, People: r.People}
	}
	return out, nil
}
