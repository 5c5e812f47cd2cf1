package postgres

// The bulk writers of an import: one statement per kind of write, whatever
// the number of rows, with each column passed as one array parameter.

import (
	"encoding/json"
	"strings"
	"time"

	"gorm.io/gorm"

	"densach/domain"
)

// importColumns are the columns the bulk statements write, each passed as
// one array parameter of the given type.
var importColumns = []struct{ name, array, cast string }{
	{"id", "bigint[]", ""}, {"full_name", "text[]", ""}, {"given_name", "text[]", ""}, {"sort_key", "bytea[]", ""},
	{"search_exact", "text[]", ""}, {"search_folded", "text[]", ""}, {"birth_date", "text[]", "::date"},
	{"birth_year", "int[]", ""}, {"sex", "text[]", ""}, {"ethnicity", "text[]", ""}, {"commune_id", "bigint[]", ""},
	{"village", "text[]", ""}, {"cccd", "text[]", ""}, {"phone", "text[]", ""}, {"email", "text[]", ""}, {"staff_position", "text[]", ""},
}

// personArrays lays people out as one array per column, in the order of
// importColumns.
func personArrays(ids []int64, ps []domain.Person) []any {
	n := len(ps)
	full, given, exact, folded, eth, village := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	keys, communes, years := make([][]byte, n), make([]int64, n), make([]*int64, n)
	birth, sex, cccd, phone, email, staff := make([]*string, n), make([]*string, n), make([]*string, n), make([]*string, n), make([]*string, n), make([]*string, n)
	opt := func(s string) *string {
		if s == "" {
			return nil
		}
		return &s
	}
	for i, p := range ps {
		full[i], given[i], keys[i] = p.FullName, domain.GivenName(p.FullName), domain.NameSortKey(p.FullName)
		exact[i], folded[i], eth[i], village[i], communes[i] = domain.LowerForSearch(p.FullName), domain.FoldForSearch(p.FullName), p.Ethnicity, p.Village, p.CommuneID
		if p.BirthDate != nil {
			birth[i] = opt(p.BirthDate.Format(time.DateOnly))
		}
		if p.BirthYear != 0 {
			y := int64(p.BirthYear)
			years[i] = &y
		}
		sex[i], cccd[i], phone[i], email[i], staff[i] = opt(string(p.Sex)), opt(p.CCCD), opt(p.Phone), opt(p.Email), opt(string(p.StaffPosition))
	}
	return []any{pgArray(ids), pgArray(full), pgArray(given), pgArray(keys), pgArray(exact), pgArray(folded), pgArray(birth),
		pgArray(years), pgArray(sex), pgArray(eth), pgArray(communes), pgArray(village), pgArray(cccd), pgArray(phone), pgArray(email), pgArray(staff)}
}

// unnestSQL returns "unnest(?::bigint[], …) AS v(id, …)" and the select list.
func unnestSQL() (from, cols, sel string) {
	var params, names, sels []string
	for _, c := range importColumns {
		params = append(params, "?::"+c.array)
		names = append(names, c.name)
		sels = append(sels, "v."+c.name+c.cast)
	}
	return "unnest(" + strings.Join(params, ", ") + ") AS v(" + strings.Join(names, ", ") + ")", strings.Join(names, ", "), strings.Join(sels, ", ")
}

// insertPeople takes ids from the sequence first, so that each row's id is
// known without relying on the order RETURNING yields them in.
func insertPeople(tx *gorm.DB, ps []domain.Person) ([]int64, error) {
	if len(ps) == 0 {
		return nil, nil
	}
	var ids []int64
	if err := tx.Raw(`SELECT nextval(pg_get_serial_sequence('people', 'id')) FROM generate_series(1, ?)`, len(ps)).Scan(&ids).Error; err != nil {
		return nil, err
	}
	from, cols, sel := unnestSQL()
	if err := tx.Exec(`INSERT INTO people (`+cols+`) SELECT `+sel+` FROM `+from, personArrays(ids, ps)...).Error; err != nil {
		return nil, err
	}
	for i := range ps {
		ps[i].ID = ids[i]
	}
	return ids, nil
}

// updatePeople writes every column of the updated people in one statement.
func updatePeople(tx *gorm.DB, ups []personUpdate) error {
	if len(ups) == 0 {
		return nil
	}
	ids := make([]int64, len(ups))
	ps := make([]domain.Person, len(ups))
	for i, u := range ups {
		ids[i], ps[i] = u.after.ID, u.after
	}
	from, _, _ := unnestSQL()
	var set []string
	for _, c := range importColumns[1:] {
		set = append(set, c.name+" = v."+c.name+c.cast)
	}
	return tx.Exec(`UPDATE people p SET `+strings.Join(set, ", ")+`, updated_at = now() FROM `+from+` WHERE p.id = v.id`, personArrays(ids, ps)...).Error
}

// auditImport writes one audit row per created or updated person in one
// statement, so that a person's history shows the import that touched them.
func auditImport(tx *gorm.DB, by domain.Actor, pl importPlan, createdIDs []int64) error {
	var actions, changes []string
	var ids []int64
	add := func(action string, id int64, c map[string]any) error {
		raw, err := json.Marshal(c)
		actions, ids, changes = append(actions, action), append(ids, id), append(changes, string(raw))
		return err
	}
	for i, p := range pl.creates {
		c := createdChanges(p)
		c["import"] = true
		if err := add("person_created", createdIDs[i], c); err != nil {
			return err
		}
	}
	for _, u := range pl.updates {
		c := map[string]any{"import": true}
		for _, f := range u.changed {
			c[f] = change(auditValue(u.before, f), auditValue(u.after, f))
		}
		if err := add("person_updated", u.after.ID, c); err != nil {
			return err
		}
	}
	if len(ids) == 0 {
		return nil
	}
	return tx.Exec(`INSERT INTO audit_log (actor_id, action, entity, entity_id, changes, request_id)
		SELECT ?, v.action, 'person', v.id, v.changes::jsonb, ? FROM unnest(?::text[], ?::bigint[], ?::text[]) AS v(action, id, changes)`,
		nullable(by.PersonID), by.RequestID, pgArray(actions), pgArray(ids), pgArray(changes)).Error
}
