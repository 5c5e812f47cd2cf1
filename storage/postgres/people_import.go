package postgres

import (
	"context"
	"slices"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5/pgtype"
	"gorm.io/gorm"

	"densach/domain"
)

// importBatch bounds the identifiers sent in one matching query.
const importBatch = 10_000

// pgArray passes a Go slice as one PostgreSQL array parameter. GORM expands
// a plain slice into a list of parameters, which caps a statement at 65,535
// values; an array keeps a 100,000-row import to a handful of statements.
func pgArray[T any](xs []T) pgtype.Array[T] {
	return pgtype.Array[T]{Elements: xs, Dims: []pgtype.ArrayDimension{{Length: int32(len(xs)), LowerBound: 1}}, Valid: true}
}

// existingPeople are the stored people an import's rows may refer to.
type existingPeople struct {
	people                   map[int64]domain.Person
	byCCCD, byPhone, byEmail map[string]int64
	byKey                    map[string][]int64
}

func nameKey(communeID int64, p domain.Person) string {
	return strconv.FormatInt(communeID, 10) + "|" + domain.NameKey(p)
}

// personUpdate is one planned update of an existing person.
type personUpdate struct {
	before, after domain.Person
	changed       []string
	// row is the file's line, matchedBy the identifier that found them.
	row       int
	matchedBy string
}

// importPlan is what an import will write.
type importPlan struct {
	creates   []domain.Person
	updates   []personUpdate
	unchanged int
	errs      []domain.RowError
	// disclosed are the rows refused for the person they match.
	disclosed []domain.Disclosure
	// enrol are the existing people (updated or unchanged) to enrol.
	enrol []int64
	// createRows are the lines of creates (same order); matched the lines
	// and people of the updated and unchanged rows.
	createRows []int
	matched    []domain.ImportedPerson
}

// persons lists the applied rows in file order with their people, the
// created ones by createdIDs (none on a dry run).
func (pl importPlan) persons(createdIDs []int64) []domain.ImportedPerson {
	out := slices.Clone(pl.matched)
	for i, row := range pl.createRows {
		ip := domain.ImportedPerson{Row: row, Created: true}
		if i < len(createdIDs) {
			ip.PersonID = createdIDs[i]
		}
		out = append(out, ip)
	}
	slices.SortFunc(out, func(a, b domain.ImportedPerson) int { return a.Row - b.Row })
	return out
}

// ImportPeople plans the import against the stored people, under row locks,
// and writes it with a few multi-row statements in the same transaction.
func (s *People) ImportPeople(ctx context.Context, by domain.Actor, guard domain.ImportGuard, file domain.ImportFile, dryRun bool) (domain.ImportResult, error) {
	var res domain.ImportResult
	rows := file.Rows
	err := s.db.tx(ctx, "postgres.ImportPeople", func(tx *gorm.DB) error {
		// The matching statements are prepared and cached per connection;
		// after a few runs PostgreSQL may switch them to a generic plan,
		// which cannot hash "= ANY(array)" and compares every row with every
		// element (minutes for 100,000 rows). Custom plans see the arrays.
		if err := tx.Exec(`SET LOCAL plan_cache_mode = force_custom_plan`).Error; err != nil {
			return err
		}
		communes, err := importCommunes(tx, rows, domain.Today(file.ParsedAt))
		if err != nil {
			return err
		}
		if file.Commune != nil {
			// Rows without a commune code go to the commune chosen for the
			// import; PlaceRows left none such without it.
			communes[""] = *file.Commune
		}
		if !dryRun {
			if err := lockCommunes(tx, communes); err != nil {
				return err
			}
		}
		ex, err := matchExisting(tx, rows, communes)
		if err != nil {
			return err
		}
		pl := planImport(rows, communes, ex, guard, file.ParsedAt, file.EnrolCentreID != 0)
		if len(pl.disclosed) > 0 {
			if err := guard.Disclose(ctx, pl.disclosed); err != nil {
				return err
			}
		}
		res = domain.ImportResult{Created: len(pl.creates), Updated: len(pl.updates), Unchanged: pl.unchanged, Errors: pl.errs}
		for _, u := range pl.updates {
			if len(res.Updates) < domain.MaxImportErrors {
				res.Updates = append(res.Updates, domain.DescribeUpdate(u.row, u.matchedBy, u.before, u.after, u.changed))
			}
		}
		// Every row of the file that was not applied failed, in parsing or here.
		res.Failed = file.TotalRows - res.Created - res.Updated - res.Unchanged
		if dryRun {
			res.Persons = pl.persons(nil)
			if file.EnrolCentreID != 0 {
				n, err := unenrolled(tx, file.EnrolCentreID, pl.enrol)
				res.Enrolled = len(pl.creates) + n
				return err
			}
			return nil
		}
		createdIDs, err := insertPeople(tx, pl.creates)
		if err != nil {
			return err
		}
		if err := updatePeople(tx, pl.updates); err != nil {
			return err
		}
		res.Persons = pl.persons(createdIDs)
		if err := auditImport(tx, by, pl, createdIDs); err != nil {
			return err
		}
		if file.EnrolCentreID != 0 {
			if res.Enrolled, err = enrolLearners(tx, by, file.EnrolCentreID, append(createdIDs, pl.enrol...)); err != nil {
				return err
			}
		}
		return writeAudit(tx, by, "people_imported", "person_import", 0, map[string]any{
			"created": res.Created, "updated": res.Updated, "unchanged": res.Unchanged, "failed": res.Failed,
			"enrolled": res.Enrolled, "enrol_centre_id": nullable(file.EnrolCentreID)})
	})
	return res, err
}

// importCommunes resolves every commune code of the file in one query,
// against the units current on the day today (Vietnam's, from the clock
// the file was read by).
func importCommunes(tx *gorm.DB, rows []domain.ImportRow, today time.Time) (map[string]domain.Area, error) {
	seen := map[string]bool{}
	var codes []string
	for _, r := range rows {
		if r.CommuneCode != "" && !seen[r.CommuneCode] {
			seen[r.CommuneCode] = true
			codes = append(codes, r.CommuneCode)
		}
	}
	var found []struct {
		ID       int64
		Code     string
		ParentID int64
	}
	err := tx.Raw(`SELECT DISTINCT ON (code) id, code, parent_id FROM units
		WHERE code = ANY(?) AND kind IN ? AND (valid_to IS NULL OR valid_to >= ?::date)
		ORDER BY code, valid_to DESC NULLS FIRST`, pgArray(codes), communeLevelKinds(), today.Format(time.DateOnly)).Scan(&found).Error
	out := map[string]domain.Area{}
	for _, f := range found {
		out[f.Code] = domain.Area{CommuneID: f.ID, ProvinceID: f.ParentID}
	}
	return out, err
}

// importLockSpace sets the advisory locks of imports apart from any other
// use of pg_advisory_xact_lock (the key is this constant in the high bits and
// the commune id in the low ones).
const importLockSpace = int64(0x494d) << 48 // "IM"

// lockCommunes serialises imports that touch the same communes: each takes a
// transaction-level advisory lock per commune of its file, in ascending
// order so that two imports cannot deadlock, before it matches rows against
// the stored people. A concurrent import of the same file then waits, sees
// the people the first one created, and matches them instead of creating
// them again (the unique indexes already guard phone, CCCD and e-mail; the
// locks guard the rows that have neither phone nor CCCD).
func lockCommunes(tx *gorm.DB, communes map[string]domain.Area) error {
	keys := make([]int64, 0, len(communes))
	for _, a := range communes {
		keys = append(keys, importLockSpace|a.CommuneID)
	}
	slices.Sort(keys)
	keys = slices.Compact(keys)
	if len(keys) == 0 {
		return nil
	}
	return tx.Exec(`SELECT count(pg_advisory_xact_lock(k)) FROM (SELECT k FROM unnest(?::bigint[]) AS k ORDER BY k) AS s`, pgArray(keys)).Error
}

// matchExisting finds, in batches, the stored owners of every CCCD, phone
// and e-mail of the file and the people without them who share a row's
// name key, then reads and locks those people.
func matchExisting(tx *gorm.DB, rows []domain.ImportRow, communes map[string]domain.Area) (*existingPeople, error) {
	ex := &existingPeople{people: map[int64]domain.Person{}, byCCCD: map[string]int64{}, byPhone: map[string]int64{}, byEmail: map[string]int64{}, byKey: map[string][]int64{}}
	var ids []int64
	for start := 0; start < len(rows); start += importBatch {
		batch := rows[start:min(start+importBatch, len(rows))]
		var cccds, phones, emails, names []string
		var keyCommunes []int64
		wanted := map[string]bool{}
		for _, r := range batch {
			p := r.Person
			cccds, phones, emails = appendSet(cccds, p.CCCD), appendSet(phones, p.Phone), appendSet(emails, p.Email)
			if a, ok := communes[r.CommuneCode]; ok && p.CCCD == "" && p.Phone == "" {
				keyCommunes, names = append(keyCommunes, a.CommuneID), append(names, domain.LowerForSearch(p.FullName))
				wanted[nameKey(a.CommuneID, p)] = true
			}
		}
		var owners []struct {
			ID                 int64
			CCCD, Phone, Email *string
		}
		err := tx.Raw(`SELECT id, cccd, phone, email FROM people WHERE cccd = ANY(?) OR phone = ANY(?) OR email = ANY(?)`,
			pgArray(cccds), pgArray(phones), pgArray(emails)).Scan(&owners).Error
		if err != nil {
			return nil, err
		}
		for _, o := range owners {
			ids = append(ids, o.ID)
			setOwner(ex.byCCCD, o.CCCD, o.ID)
			setOwner(ex.byPhone, o.Phone, o.ID)
			setOwner(ex.byEmail, o.Email, o.ID)
		}
		if len(names) == 0 {
			continue
		}
		var keyed []struct {
			ID        int64
			CommuneID int64
			FullName  string
			BirthYear int
		}
		// Names are matched with two arrays rather than a join on the three
		// key columns: right after a bulk insert the planner has no
		// statistics and may turn a join into a scan per row, while this
		// form is at worst one scan; the key is then checked exactly below.
		err = tx.Raw(`SELECT id, commune_id, full_name, coalesce(birth_year, 0) AS birth_year FROM people
			WHERE commune_id = ANY(?) AND search_exact = ANY(?)`, pgArray(keyCommunes), pgArray(names)).Scan(&keyed).Error
		if err != nil {
			return nil, err
		}
		for _, k := range keyed {
			key := nameKey(k.CommuneID, domain.Person{FullName: k.FullName, BirthYear: k.BirthYear})
			if !wanted[key] || slices.Contains(ex.byKey[key], k.ID) {
				continue
			}
			ex.byKey[key] = append(ex.byKey[key], k.ID)
			ids = append(ids, k.ID)
		}
	}
	if len(ids) == 0 {
		return ex, nil
	}
	var people []personRow
	err := tx.Raw(`SELECT `+personSelect()+` FROM people p LEFT JOIN units u ON u.id = p.commune_id WHERE p.id = ANY(?) FOR UPDATE OF p`, pgArray(ids)).Scan(&people).Error
	if err != nil {
		return nil, err
	}
	// The whole grants, resolved to areas: the guard decides on every role a
	// matched person holds.
	var held []grantRow
	err = tx.Raw(grantQuery+` AND g.person_id = ANY(?) ORDER BY g.person_id, g.id`, pgArray(ids)).Scan(&held).Error
	if err != nil {
		return nil, err
	}
	for _, r := range people {
		ex.people[r.Record.ID] = r.domain()
	}
	for _, h := range held {
		p := ex.people[h.PersonID]
		g, _ := h.domain()
		p.Grants = append(p.Grants, g)
		ex.people[h.PersonID] = p
	}
	return ex, nil
}

func appendSet(xs []string, v string) []string {
	if v == "" {
		return xs
	}
	return append(xs, v)
}

func setOwner(m map[string]int64, v *string, id int64) {
	if v != nil {
		m[*v] = id
	}
}

// planImport decides, row by row, what the import does. It reads nothing:
// everything it needs was loaded in bulk.
// now is when the file was read: the rows' birth rules are checked as then.
// enrol says whether the rows' people are also made learners: a person the
// caller may not enrol fails the row.
func planImport(rows []domain.ImportRow, communes map[string]domain.Area, ex *existingPeople, guard domain.ImportGuard, now time.Time, enrol bool) importPlan {
	var pl importPlan
	claimed := map[int64]int{}
	for _, row := range rows {
		fail := func(field, code string, params domain.Params) {
			pl.errs = append(pl.errs, domain.RowError{Row: row.Line, Field: field, Code: code, Message: domain.Message(code, params), Params: params})
		}
		area, ok := communes[row.CommuneCode]
		if !ok {
			fail("commune_code", "commune_unknown", nil)
			continue
		}
		p := row.Person
		// A row that matches, by any identifier, a person the caller may not
		// change is refused before anything else is said about it: the
		// answer tells only that such a person exists, not who or where.
		if field, id := refusedMatch(row, area, ex, guard); id != 0 {
			fail(field, "person_not_editable", nil)
			pl.disclosed = append(pl.disclosed, domain.Disclosure{Row: row.Line, Field: field, PersonID: id})
			continue
		}
		ids := map[int64]bool{}
		matchedBy := "full_name"
		if id := ex.byPhone[p.Phone]; p.Phone != "" && id != 0 {
			ids[id], matchedBy = true, "phone"
		}
		if id := ex.byCCCD[p.CCCD]; p.CCCD != "" && id != 0 {
			ids[id], matchedBy = true, "cccd"
		}
		if p.CCCD == "" && p.Phone == "" {
			switch cands := ex.byKey[nameKey(area.CommuneID, p)]; len(cands) {
			case 0:
			case 1:
				ids[cands[0]] = true
			default:
				fail("full_name", "ambiguous", nil)
				continue
			}
		}
		if len(ids) > 1 {
			fail("", "identifiers_conflict", nil)
			continue
		}
		var id int64
		for k := range ids {
			id = k
		}
		if owner := ex.byEmail[p.Email]; p.Email != "" && owner != 0 && owner != id {
			fail("email", "email_taken", nil)
			continue
		}
		if id == 0 {
			if !guard.CanPlace(area) {
				fail("commune_code", "commune_out_of_scope", nil)
				continue
			}
			p.CommuneID, p.ProvinceID = area.CommuneID, area.ProvinceID
			if enrol && !guard.CanEnrol(p) {
				fail("", "enrol_forbidden", nil)
				continue
			}
			pl.creates, pl.createRows = append(pl.creates, p), append(pl.createRows, row.Line)
			continue
		}
		if first, dup := claimed[id]; dup {
			fail("", "duplicate_in_file", domain.Params{"first": first})
			continue
		}
		claimed[id] = row.Line
		before := ex.people[id]
		c := row.ChangesFor(before)
		c.CommuneID = &area.CommuneID
		after := before
		changed, err := c.Apply(&after, now)
		if err != nil {
			for _, fe := range domain.AsError(err).Fields {
				pl.errs = append(pl.errs, domain.RowError{Row: row.Line, Field: fe.Field, Code: fe.Code, Message: fe.Message, Params: fe.Params})
			}
			continue
		}
		if after.CommuneID != before.CommuneID && !guard.CanPlace(area) {
			fail("commune_code", "commune_out_of_scope", nil)
			continue
		}
		after.ProvinceID = area.ProvinceID
		if enrol && !guard.CanEnrol(after) {
			fail("", "enrol_forbidden", nil)
			continue
		}
		if enrol {
			pl.enrol = append(pl.enrol, id)
		}
		pl.matched = append(pl.matched, domain.ImportedPerson{Row: row.Line, PersonID: id})
		if len(changed) == 0 {
			pl.unchanged++
			continue
		}
		pl.updates = append(pl.updates, personUpdate{before: before, after: after, changed: changed, row: row.Line, matchedBy: matchedBy})
	}
	return pl
}

// refusedMatch returns the first identifier of the row (and its owner) that
// matches a stored person the guard does not let the caller change.
func refusedMatch(row domain.ImportRow, area domain.Area, ex *existingPeople, guard domain.ImportGuard) (string, int64) {
	p := row.Person
	check := []struct {
		field string
		id    int64
	}{{"cccd", ex.byCCCD[p.CCCD]}, {"phone", ex.byPhone[p.Phone]}, {"email", ex.byEmail[p.Email]}}
	if p.CCCD == "" && p.Phone == "" {
		for _, id := range ex.byKey[nameKey(area.CommuneID, p)] {
			check = append(check, struct {
				field string
				id    int64
			}{"full_name", id})
		}
	}
	for _, c := range check {
		if c.id != 0 && !guard.CanChange(ex.people[c.id]) {
			return c.field, c.id
		}
	}
	return "", 0
}
