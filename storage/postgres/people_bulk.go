package postgres

// The bulk writers of an import: one statement per kind of write, whatever
// the number of rows. Each column of personRecord is passed as one text[]
// parameter and cast back to its type, so that the statements are derived
// from the record's fields rather than from arrays matched by position.

import (
	"encoding/json"
	"strings"

	"gorm.io/gorm"

	"densach/domain"
)

// bulkColumns are the columns the bulk statements write: every column but
// those the database or GORM sets (the id is taken from the sequence first).
func bulkColumns() []personField {
	var out []personField
	for _, f := range personFields() {
		if !f.auto || f.column == "id" {
			out = append(out, f)
		}
	}
	return out
}

// unnestPeople returns "unnest(?::text[], …) AS v(id, …)", the typed select
// list of v's columns, and one text[] argument per column of the records.
func unnestPeople(recs []personRecord) (from string, sel []string, args []any) {
	var params, names []string
	for _, f := range bulkColumns() {
		col := make([]*string, len(recs))
		for i := range recs {
			col[i] = f.text(&recs[i])
		}
		params, names = append(params, "?::text[]"), append(names, f.column)
		sel, args = append(sel, "v."+f.column+"::"+f.sqlType), append(args, pgArray(col))
	}
	return "unnest(" + strings.Join(params, ", ") + ") AS v(" + strings.Join(names, ", ") + ")", sel, args
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
	recs := make([]personRecord, len(ps))
	for i := range ps {
		ps[i].ID = ids[i]
		recs[i] = recordOf(ps[i]).withNames()
	}
	from, sel, args := unnestPeople(recs)
	var cols []string
	for _, f := range bulkColumns() {
		cols = append(cols, f.column)
	}
	return ids, tx.Exec(`INSERT INTO people (`+strings.Join(cols, ", ")+`) SELECT `+strings.Join(sel, ", ")+` FROM `+from, args...).Error
}

// updatePeople writes every column of the updated people in one statement.
func updatePeople(tx *gorm.DB, ups []personUpdate) error {
	if len(ups) == 0 {
		return nil
	}
	recs := make([]personRecord, len(ups))
	for i, u := range ups {
		recs[i] = recordOf(u.after).withNames()
	}
	from, sel, args := unnestPeople(recs)
	var set []string
	for i, f := range bulkColumns() {
		if f.column != "id" {
			set = append(set, f.column+" = "+sel[i])
		}
	}
	return tx.Exec(`UPDATE people p SET `+strings.Join(set, ", ")+`, updated_at = now() FROM `+from+` WHERE p.id = v.id::bigint`, args...).Error
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
		c := createdChanges(recordOf(p))
		c["import"] = true
		if err := add("person_created", createdIDs[i], c); err != nil {
			return err
		}
	}
	for _, u := range pl.updates {
		c := auditChanges(recordOf(u.before), recordOf(u.after), u.changed)
		c["import"] = true
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
