package postgres

import (
	"context"
	"maps"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"densach/domain"
)

// personRow is a person as read with their commune.
type personRow struct {
	ID            int64
	FullName      string
	BirthDate     *time.Time
	BirthYear     *int
	Sex           *string
	Ethnicity     string
	CommuneID     int64
	CommuneName   string
	ProvinceID    *int64
	Village       string
	CCCD          *string `gorm:"column:cccd"`
	Phone         *string
	Email         *string
	StaffPosition *string
	HasAccount    bool
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

const personColumns = `p.id, p.full_name, p.birth_date, p.birth_year, p.sex, p.ethnicity, coalesce(p.commune_id, 0) AS commune_id,
	coalesce(u.name, '') AS commune_name, u.parent_id AS province_id, p.village, p.cccd, p.phone, p.email, p.staff_position,
	EXISTS (SELECT 1 FROM accounts a WHERE a.person_id = p.id) AS has_account, p.created_at, p.updated_at`

func (r personRow) domain() domain.Person {
	p := domain.Person{ID: r.ID, FullName: r.FullName, BirthDate: r.BirthDate, Sex: domain.Sex(deref(r.Sex)), Ethnicity: r.Ethnicity,
		CommuneID: r.CommuneID, CommuneName: r.CommuneName, Village: r.Village, CCCD: deref(r.CCCD), Phone: deref(r.Phone),
		Email: deref(r.Email), StaffPosition: domain.StaffPosition(deref(r.StaffPosition)), HasAccount: r.HasAccount,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
	if r.BirthYear != nil {
		p.BirthYear = *r.BirthYear
	}
	if r.ProvinceID != nil {
		p.ProvinceID = *r.ProvinceID
	}
	if p.BirthDate != nil {
		d := time.Date(p.BirthDate.Year(), p.BirthDate.Month(), p.BirthDate.Day(), 0, 0, 0, 0, time.UTC)
		p.BirthDate = &d
	}
	return p
}

// deref reads an optional column, zero when NULL.
func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// nullable stores an empty optional value (an empty string, a zero id or
// year) as NULL, which the unique indexes on phone, CCCD and e-mail skip and
// foreign keys accept.
func nullable[T comparable](v T) any {
	var zero T
	if v == zero {
		return nil
	}
	return v
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

// GetPerson reads one person with their active grants.
func (db *DB) GetPerson(ctx context.Context, id int64) (domain.Person, error) {
	const op = "postgres.GetPerson"
	var r personRow
	err := db.q(ctx).Table("people p").Joins("LEFT JOIN units u ON u.id = p.commune_id").Select(personColumns).Where("p.id = ?", id).Take(&r).Error
	if err != nil {
		return domain.Person{}, translate(op, err)
	}
	p := r.domain()
	grants, err := loadGrants(db.q(ctx), []int64{id})
	if err != nil {
		return domain.Person{}, translate(op, err)
	}
	p.Grants = grants[id]
	return p, nil
}

// ListPeople reads one page of people in scope, in register order.
func (db *DB) ListPeople(ctx context.Context, read, manage domain.Filter, q domain.PeopleQuery) ([]domain.Person, int, error) {
	const op = "postgres.ListPeople"
	where, args := scopeSQL(read)
	base := db.q(ctx).Table("people p").Joins("LEFT JOIN units u ON u.id = p.commune_id").Where(where, args...)
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
			base = base.Where("p.search_exact ILIKE ?", "%"+escapeLike(domain.LowerForSearch(s))+"%")
		} else {
			base = base.Where("p.search_folded LIKE ?", "%"+escapeLike(domain.FoldForSearch(s))+"%")
		}
	}
	var total int64
	if err := base.Session(&gorm.Session{}).Count(&total).Error; err != nil {
		return nil, 0, translate(op, err)
	}
	var rows []personRow
	err := base.Session(&gorm.Session{}).Select(personColumns).Order("p.sort_key, p.id").
		Limit(q.PageSize).Offset((q.Page - 1) * q.PageSize).Find(&rows).Error
	if err != nil {
		return nil, 0, translate(op, err)
	}
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	grants, err := loadGrants(db.q(ctx), ids)
	if err != nil {
		return nil, 0, translate(op, err)
	}
	out := make([]domain.Person, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
		out[i].Grants = grants[r.ID]
	}
	return out, int(total), nil
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

// personValues are the stored columns of p, with the derived name columns
// that ordering and search use.
func personValues(p domain.Person) map[string]any {
	var birth any
	if p.BirthDate != nil {
		birth = p.BirthDate.Format(time.DateOnly)
	}
	return map[string]any{
		"full_name": p.FullName, "given_name": domain.GivenName(p.FullName), "sort_key": domain.NameSortKey(p.FullName),
		"search_exact": domain.LowerForSearch(p.FullName), "search_folded": domain.FoldForSearch(p.FullName),
		"birth_date": birth, "birth_year": nullable(p.BirthYear), "sex": nullable(string(p.Sex)), "ethnicity": p.Ethnicity,
		"commune_id": p.CommuneID, "village": p.Village, "cccd": nullable(p.CCCD), "phone": nullable(p.Phone),
		"email": nullable(p.Email), "staff_position": nullable(string(p.StaffPosition)),
	}
}

// auditValue is the value of one field as the audit log records it. It
// reads the one field only: an import audits thousands of people, and the
// derived name columns are costly to compute.
func auditValue(p domain.Person, field string) any {
	switch field {
	case "full_name":
		return p.FullName
	case "birth_date":
		if p.BirthDate == nil {
			return nil
		}
		return p.BirthDate.Format(time.DateOnly)
	case "birth_year":
		return nullable(p.BirthYear)
	case "sex":
		return nullable(string(p.Sex))
	case "ethnicity":
		return p.Ethnicity
	case "commune_id":
		return nullable(p.CommuneID)
	case "village":
		return p.Village
	case "cccd":
		return nullable(p.CCCD)
	case "phone":
		return nullable(p.Phone)
	case "email":
		return nullable(p.Email)
	case "staff_position":
		return nullable(string(p.StaffPosition))
	}
	return nil
}

// CreatePerson inserts a person, their account when a hash is given, and the
// audit row, in one transaction.
func (db *DB) CreatePerson(ctx context.Context, by domain.Actor, p *domain.Person, passwordHash string) error {
	return db.tx(ctx, "postgres.CreatePerson", func(tx *gorm.DB) error {
		vals := personValues(*p)
		args := make([]any, len(insertColumns))
		for i, c := range insertColumns {
			args[i] = vals[c]
		}
		var row struct {
			ID                   int64
			CreatedAt, UpdatedAt time.Time
			CommuneName          string
		}
		err := tx.Raw(`INSERT INTO people (`+strings.Join(insertColumns, ", ")+`) VALUES (?`+strings.Repeat(", ?", len(insertColumns)-1)+`)
			RETURNING id, created_at, updated_at, `+communeNameSQL, args...).Scan(&row).Error
		if err != nil {
			return err
		}
		p.ID, p.CreatedAt, p.UpdatedAt, p.CommuneName = row.ID, row.CreatedAt, row.UpdatedAt, row.CommuneName
		changes := createdChanges(*p)
		if passwordHash != "" {
			if err := tx.Exec(`INSERT INTO accounts (person_id, password_hash) VALUES (?, ?)`, p.ID, passwordHash).Error; err != nil {
				return err
			}
			p.HasAccount = true
			changes["account"] = "created"
		}
		return writeAudit(tx, by, "person_created", "person", p.ID, changes)
	})
}

// createdChanges is the audit record of a new person: every field with a
// value, as a change from nothing.
func createdChanges(p domain.Person) map[string]any {
	changes := map[string]any{}
	for _, f := range personFields {
		if v := auditValue(p, f); v != nil && v != "" {
			changes[f] = change(nil, v)
		}
	}
	return changes
}

// communeNameSQL returns a written person's commune name with RETURNING, so
// that a write answers with the stored person without reading it again.
const communeNameSQL = `(SELECT u.name FROM units u WHERE u.id = people.commune_id) AS commune_name`

// insertColumns are the columns a new person is written with.
var insertColumns = []string{"full_name", "given_name", "sort_key", "search_exact", "search_folded", "birth_date", "birth_year",
	"sex", "ethnicity", "commune_id", "village", "cccd", "phone", "email", "staff_position"}

// personFields are the fields PersonChanges can set, in the audit's order.
var personFields = []string{"full_name", "birth_date", "birth_year", "sex", "ethnicity", "commune_id", "village", "cccd", "phone", "email", "staff_position"}

// UpdatePerson writes the changed fields if the row is still as read.
func (db *DB) UpdatePerson(ctx context.Context, by domain.Actor, before domain.Person, p *domain.Person, changed []string) error {
	if len(changed) == 0 {
		return nil
	}
	return db.tx(ctx, "postgres.UpdatePerson", func(tx *gorm.DB) error {
		vals := personValues(*p)
		set := map[string]any{}
		changes := map[string]any{}
		for _, f := range changed {
			set[f] = vals[f]
			changes[f] = change(auditValue(before, f), auditValue(*p, f))
			switch f {
			case "full_name":
				for _, d := range []string{"given_name", "sort_key", "search_exact", "search_folded"} {
					set[d] = vals[d]
				}
			case "birth_date", "birth_year":
				// A CHECK ties the two together: write both.
				set["birth_date"], set["birth_year"] = vals["birth_date"], vals["birth_year"]
			}
		}
		cols := slices.Sorted(maps.Keys(set))
		args := make([]any, 0, len(cols)+2)
		for i, c := range cols {
			args = append(args, set[c])
			cols[i] = c + " = ?"
		}
		var row struct {
			UpdatedAt   time.Time
			CommuneName string
		}
		res := tx.Raw(`UPDATE people SET `+strings.Join(cols, ", ")+`, updated_at = now() WHERE id = ? AND updated_at = ?
			RETURNING updated_at, `+communeNameSQL, append(args, p.ID, before.UpdatedAt)...).Scan(&row)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			var n int64
			if err := tx.Table("people").Where("id = ?", p.ID).Count(&n).Error; err != nil {
				return err
			}
			if n == 0 {
				return domain.Errorf(domain.CodeNotFound, "Không tìm thấy người này.")
			}
			return domain.Errorf(domain.CodeConflict, "Thông tin người này vừa được người khác sửa; hãy tải lại rồi sửa lại.")
		}
		p.UpdatedAt, p.CommuneName = row.UpdatedAt, row.CommuneName
		return writeAudit(tx, by, "person_updated", "person", p.ID, changes)
	})
}

// SetPassword creates or resets the person's account and signs them out
// everywhere, so that an old password or a stolen session stops working.
func (db *DB) SetPassword(ctx context.Context, by domain.Actor, personID int64, passwordHash string) (bool, error) {
	var created bool
	err := db.tx(ctx, "postgres.SetPassword", func(tx *gorm.DB) error {
		var n int64
		if err := tx.Table("people").Where("id = ?", personID).Count(&n).Error; err != nil {
			return err
		}
		if n == 0 {
			return domain.Errorf(domain.CodeNotFound, "Không tìm thấy người này.")
		}
		var acct struct {
			ID      int64
			Created bool
		}
		err := tx.Raw(`INSERT INTO accounts (person_id, password_hash) VALUES (?, ?)
			ON CONFLICT (person_id) DO UPDATE SET password_hash = EXCLUDED.password_hash, password_changed_at = now()
			RETURNING id, (xmax = 0) AS created`, personID, passwordHash).Scan(&acct).Error
		if err != nil {
			return err
		}
		created = acct.Created
		if _, err := revokeAccountSessions(tx, acct.ID); err != nil {
			return err
		}
		action := "password_reset"
		if created {
			action = "account_created"
		}
		return writeAudit(tx, by, action, "person", personID, map[string]any{"account_id": acct.ID})
	})
	return created, err
}
