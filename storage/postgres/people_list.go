package postgres

import (
	"context"
	"strings"

	"gorm.io/gorm"

	"densach/domain"
)

// ListPeople reads one page of people in scope, in register order. A page
// after a cursor starts with an index seek on (sort_key, id), so the last
// page costs what the first does; the total is counted only when asked.
func (s *People) ListPeople(ctx context.Context, read, manage domain.Filter, q domain.PeopleQuery) (domain.PeoplePage, error) {
	const op = "postgres.ListPeople"
	var page domain.PeoplePage
	if q.Count {
		// The conditions read people only: the count needs no join.
		var total int64
		if err := peopleWhere(s.db.q(ctx).Table("people p"), read, manage, q).Count(&total).Error; err != nil {
			return page, translate(op, err)
		}
		page.Total, page.Counted = int(total), true
	}
	list := peopleWhere(s.db.q(ctx).Table("people p").Joins("LEFT JOIN units u ON u.id = p.commune_id"), read, manage, q).
		Select(personSelect()).Order("p.sort_key, p.id").Limit(q.PageSize + 1)
	if q.After != nil {
		// A row comparison is one index range on (sort_key, id). The space
		// after "(" matters: GORM expands a slice (the bytea) that follows
		// "(" directly into a list of its bytes.
		list = list.Where("(p.sort_key, p.id) > ( ?::bytea, ?)", q.After.SortKey, q.After.ID)
	} else if q.Page > 1 {
		list = list.Offset((q.Page - 1) * q.PageSize)
	}
	var rows []personRow
	if err := list.Find(&rows).Error; err != nil {
		return page, translate(op, err)
	}
	if len(rows) > q.PageSize {
		rows = rows[:q.PageSize]
		last := rows[len(rows)-1]
		page.Next = &domain.PeopleCursor{SortKey: last.Record.SortKey, ID: last.Record.ID}
	}
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.Record.ID
	}
	grants, err := loadGrants(s.db.q(ctx), ids)
	if err != nil {
		return page, translate(op, err)
	}
	page.Items = make([]domain.Person, len(rows))
	for i, r := range rows {
		page.Items[i] = r.domain()
		page.Items[i].Grants = grants[r.Record.ID]
	}
	return page, nil
}

// peopleWhere adds the conditions of a people list to base.
func peopleWhere(base *gorm.DB, read, manage domain.Filter, q domain.PeopleQuery) *gorm.DB {
	where, args := scopeSQL(read)
	base = base.Where(where, args...).Where("p.active = ?", !q.Inactive)
	if q.CommuneID != 0 {
		base = base.Where("p.commune_id = ?", q.CommuneID)
	}
	// Centre and role together mean one grant of that role at that centre.
	switch {
	case q.CentreID != 0 && q.Role != "":
		base = base.Where("EXISTS (SELECT 1 FROM role_grants rg WHERE rg.person_id = p.id AND rg.revoked_at IS NULL AND rg.centre_id = ? AND rg.role = ?)", q.CentreID, string(q.Role))
	case q.CentreID != 0:
		base = base.Where("EXISTS (SELECT 1 FROM role_grants cg WHERE cg.person_id = p.id AND cg.revoked_at IS NULL AND cg.centre_id = ?)", q.CentreID)
	case q.Role != "":
		base = base.Where("EXISTS (SELECT 1 FROM role_grants rg WHERE rg.person_id = p.id AND rg.revoked_at IS NULL AND rg.role = ?)", string(q.Role))
	}
	if q.StaffOnly {
		base = base.Where("p.staff_position IS NOT NULL")
	}
	if s := strings.TrimSpace(q.Search); s != "" {
		if phone, cccd, ok := digitsSearch(s); ok {
			// Digits identify a person: only those the caller manages may be
			// found by them, or a teacher could learn who owns a number.
			mw, margs := scopeSQL(manage)
			base = base.Where(mw, margs...).Where("(p.phone LIKE ? OR p.cccd LIKE ?)", escapeLike(phone)+"%", escapeLike(cccd)+"%")
		} else if domain.HasDiacritics(s) {
			// people_search_exact (a trigram index) serves this ILIKE.
			base = base.Where("p.search_exact ILIKE ?", "%"+escapeLike(domain.LowerForSearch(s))+"%")
		} else {
			base = base.Where("p.search_folded LIKE ?", "%"+escapeLike(domain.FoldForSearch(s))+"%")
		}
	}
	return base
}

// scopeSQL turns a domain Filter into a condition on people aliased p: the
// one place where scopes become SQL, mirroring Filter.Matches. People of a
// province live in its communes; people of a centre hold an active grant
// there.
func scopeSQL(f domain.Filter) (string, []any) {
	if f.All {
		return "TRUE", nil
	}
	var parts []string
	var args []any
	if f.SelfID != 0 {
		parts = append(parts, "p.id = ?")
		args = append(args, f.SelfID)
	}
	if len(f.ProvinceIDs) > 0 {
		parts = append(parts, "p.commune_id IN (SELECT pu.id FROM units pu WHERE pu.parent_id IN ?)")
		args = append(args, f.ProvinceIDs)
	}
	if len(f.CommuneIDs) > 0 {
		parts = append(parts, "p.commune_id IN ?")
		args = append(args, f.CommuneIDs)
	}
	if len(f.CentreIDs) > 0 {
		parts = append(parts, "EXISTS (SELECT 1 FROM role_grants sg WHERE sg.person_id = p.id AND sg.revoked_at IS NULL AND sg.centre_id IN ?)")
		args = append(args, f.CentreIDs)
	}
	if len(parts) == 0 {
		return "FALSE", nil
	}
	return "(" + strings.Join(parts, " OR ") + ")", args
}

// digitsSearch reads a search made of digits (with the spaces, dots, dashes
// and + people type) as a phone prefix in stored form and a CCCD prefix.
func digitsSearch(s string) (phone, cccd string, ok bool) {
	var b strings.Builder
	plus := false
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '+' && i == 0:
			plus = true
		case r == ' ' || r == '.' || r == '-' || r == '(' || r == ')':
		default:
			return "", "", false
		}
	}
	d := b.String()
	if d == "" {
		return "", "", false
	}
	phone = d
	switch {
	case strings.HasPrefix(d, "0084"):
		phone = "0" + d[4:]
	case strings.HasPrefix(d, "84") && (plus || len(d) > 2):
		phone = "0" + d[2:]
	}
	return phone, d, true
}

// escapeLike makes user text literal inside a LIKE pattern.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
