package postgres

// The one place where a person's columns are listed. personRecord is the
// row of the people table; GORM maps it for single inserts and updates (with
// Select of the changed columns), and everything written by hand in SQL — the
// select list, the bulk unnest statements of an import, the audit diff and
// the check of UpdatePerson's changed columns — is derived from its fields.
// Adding a column to people means adding one field here, with its line in
// recordOf and domain, and nothing else in this package.

import (
	"encoding/hex"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"

	"gorm.io/gorm/schema"

	"densach/domain"
)

// personRecord is one row of the people table. The person tag marks the
// columns that are not a person's own fields: "from=full_name" columns are
// derived from the name (ordering and search), "with=x" columns are written
// together with x (a CHECK ties birth date and year), "auto" columns are set
// by the database or GORM.
type personRecord struct {
	ID            int64      `gorm:"primaryKey" person:"auto"`
	FullName      string     ``
	GivenName     string     `person:"from=full_name"`
	SortKey       []byte     `person:"from=full_name"`
	SearchExact   string     `person:"from=full_name"`
	SearchFolded  string     `person:"from=full_name"`
	BirthDate     *time.Time `gorm:"type:date" person:"with=birth_year"`
	BirthYear     *int       `person:"with=birth_date"`
	Sex           *string    ``
	Ethnicity     string     ``
	CommuneID     *int64     ``
	Village       string     ``
	CCCD          *string    `gorm:"column:cccd"`
	Phone         *string    ``
	Email         *string    ``
	StaffPosition *string    ``
	CreatedAt     time.Time  `person:"auto"`
	UpdatedAt     time.Time  `person:"auto"`
}

// TableName is the table GORM writes personRecord to.
func (personRecord) TableName() string { return "people" }

// recordOf is the row of p, without the derived name columns (see
// withNames): the audit compares rows of thousands of people in an import,
// and the name columns are costly to compute.
func recordOf(p domain.Person) personRecord {
	r := personRecord{ID: p.ID, FullName: p.FullName, BirthYear: optional(p.BirthYear), Sex: optional(string(p.Sex)),
		Ethnicity: p.Ethnicity, CommuneID: optional(p.CommuneID), Village: p.Village, CCCD: optional(p.CCCD), Phone: optional(p.Phone),
		Email: optional(p.Email), StaffPosition: optional(string(p.StaffPosition)), CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt}
	if p.BirthDate != nil {
		d := time.Date(p.BirthDate.Year(), p.BirthDate.Month(), p.BirthDate.Day(), 0, 0, 0, 0, time.UTC)
		r.BirthDate = &d
	}
	return r
}

// withNames fills in the columns derived from the name.
func (r personRecord) withNames() personRecord {
	r.GivenName, r.SortKey = domain.GivenName(r.FullName), domain.NameSortKey(r.FullName)
	r.SearchExact, r.SearchFolded = domain.LowerForSearch(r.FullName), domain.FoldForSearch(r.FullName)
	return r
}

// person is the domain person stored in r (without what other tables hold).
func (r personRecord) person() domain.Person {
	p := domain.Person{ID: r.ID, FullName: r.FullName, BirthYear: deref(r.BirthYear), Sex: domain.Sex(deref(r.Sex)),
		Ethnicity: r.Ethnicity, CommuneID: deref(r.CommuneID), Village: r.Village, CCCD: deref(r.CCCD), Phone: deref(r.Phone),
		Email: deref(r.Email), StaffPosition: domain.StaffPosition(deref(r.StaffPosition)), CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
	if r.BirthDate != nil {
		d := time.Date(r.BirthDate.Year(), r.BirthDate.Month(), r.BirthDate.Day(), 0, 0, 0, 0, time.UTC)
		p.BirthDate = &d
	}
	return p
}

// optional stores an empty optional value as NULL, which the unique indexes
// on phone, CCCD and e-mail skip.
func optional[T comparable](v T) *T {
	var zero T
	if v == zero {
		return nil
	}
	return &v
}

// personField is one column of personRecord, as parsed from its tags.
type personField struct {
	column  string
	sqlType string // the column's type, for casts from the text of bulk arrays
	index   int    // the struct field's index in personRecord
	from    string // the field this column is derived from
	with    string // the field written together with this one
	auto    bool
}

// own reports whether the column is one of a person's own fields: what
// PersonChanges sets and the audit records.
func (f personField) own() bool { return !f.auto && f.from == "" }

var (
	personFieldsOnce sync.Once
	personFieldList  []personField
)

// personFields are personRecord's columns in declaration order, parsed once
// with GORM's own schema parser so that the names are those GORM writes.
func personFields() []personField {
	personFieldsOnce.Do(func() {
		s, err := schema.Parse(&personRecord{}, &sync.Map{}, schema.NamingStrategy{})
		if err != nil {
			panic(fmt.Sprintf("postgres: personRecord: %v", err))
		}
		for _, f := range s.Fields {
			pf := personField{column: f.DBName, index: f.StructField.Index[0], sqlType: sqlTypeOf(f)}
			for _, kv := range strings.Split(f.Tag.Get("person"), ",") {
				k, v, _ := strings.Cut(kv, "=")
				switch k {
				case "from":
					pf.from = v
				case "with":
					pf.with = v
				case "auto":
					pf.auto = true
				}
			}
			personFieldList = append(personFieldList, pf)
		}
	})
	return personFieldList
}

// sqlTypeOf is the PostgreSQL type of a personRecord column.
func sqlTypeOf(f *schema.Field) string {
	if f.DataType == "date" {
		return "date"
	}
	t := f.FieldType
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "text"
	case reflect.Int64:
		return "bigint"
	case reflect.Int:
		return "integer"
	case reflect.Slice:
		return "bytea"
	}
	if t == reflect.TypeOf(time.Time{}) {
		return "timestamptz"
	}
	panic(fmt.Sprintf("postgres: personRecord.%s: no column type for %s", f.Name, f.FieldType))
}

// personFieldNamed looks up a column by name.
func personFieldNamed(column string) (personField, bool) {
	for _, f := range personFields() {
		if f.column == column {
			return f, true
		}
	}
	return personField{}, false
}

// value is the column's Go value in r: nil for NULL, else the dereferenced
// field.
func (f personField) value(r *personRecord) any {
	v := reflect.ValueOf(r).Elem().Field(f.index)
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return nil
		}
		v = v.Elem()
	}
	return v.Interface()
}

// text is the column's value in r as PostgreSQL reads it from text (for the
// bulk statements, which pass every column as one text[] parameter).
func (f personField) text(r *personRecord) *string {
	var s string
	switch v := f.value(r).(type) {
	case nil:
		return nil
	case string:
		s = v
	case int64:
		s = strconv.FormatInt(v, 10)
	case int:
		s = strconv.Itoa(v)
	case []byte:
		s = `\x` + hex.EncodeToString(v)
	case time.Time:
		if f.sqlType == "date" {
			s = v.Format(time.DateOnly)
		} else {
			s = v.Format(time.RFC3339Nano)
		}
	default:
		panic(fmt.Sprintf("postgres: people.%s: no text form for %T", f.column, v))
	}
	return &s
}

// audit is the column's value in r as the audit log records it.
func (f personField) audit(r *personRecord) any {
	v := f.value(r)
	if t, ok := v.(time.Time); ok && f.sqlType == "date" {
		return t.Format(time.DateOnly)
	}
	return v
}

// writtenColumns expands the changed fields of a person into the columns an
// update writes: each field, the columns derived from it and the field it is
// written with. A name that is not a person's own field is an internal
// error: column names never reach SQL unchecked.
func writtenColumns(changed []string) ([]string, error) {
	set := map[string]bool{}
	for _, c := range changed {
		f, ok := personFieldNamed(c)
		if !ok || !f.own() {
			return nil, domain.Wrap("postgres.writtenColumns", domain.CodeInternal, fmt.Errorf("%q is not a field of a person", c))
		}
		set[c] = true
		if f.with != "" {
			set[f.with] = true
		}
	}
	var cols []string
	for _, f := range personFields() {
		if set[f.column] || (f.from != "" && set[f.from]) {
			cols = append(cols, f.column)
		}
	}
	return cols, nil
}

// auditChanges is the audit record of the changed fields, from before to after.
func auditChanges(before, after personRecord, changed []string) map[string]any {
	out := map[string]any{}
	for _, c := range changed {
		if f, ok := personFieldNamed(c); ok && f.own() {
			out[c] = change(f.audit(&before), f.audit(&after))
		}
	}
	return out
}

// createdChanges is the audit record of a new person: every own field with
// a value, as a change from nothing.
func createdChanges(r personRecord) map[string]any {
	changes := map[string]any{}
	for _, f := range personFields() {
		if !f.own() {
			continue
		}
		if v := f.audit(&r); v != nil && v != "" {
			changes[f.column] = change(nil, v)
		}
	}
	return changes
}

// personRow is a person as read, with what other tables hold.
type personRow struct {
	Record      personRecord `gorm:"embedded"`
	CommuneName string
	CommuneKind string
	ProvinceID  *int64
	HasAccount  bool
	// Active and MergedIntoID are set only by SetActive and MergePeople.
	Active       bool
	MergedIntoID *int64
}

// personSelect is the select list of personRow over people p left-joined
// with their commune u.
var personSelect = sync.OnceValue(func() string {
	var b strings.Builder
	for _, f := range personFields() {
		b.WriteString("p." + f.column + ", ")
	}
	// People are joined to their commune with LEFT JOIN: an administrator
	// may live in none.
	b.WriteString(`coalesce(u.name, '') AS commune_name, coalesce(u.kind, '') AS commune_kind, u.parent_id AS province_id,
	EXISTS (SELECT 1 FROM accounts a WHERE a.person_id = p.id) AS has_account, p.active, p.merged_into_id`)
	return b.String()
})

// domain is the person read in r.
func (r personRow) domain() domain.Person {
	p := r.Record.person()
	p.CommuneName, p.CommuneKind, p.ProvinceID, p.HasAccount = r.CommuneName, domain.UnitKind(r.CommuneKind), deref(r.ProvinceID), r.HasAccount
	p.Active, p.MergedIntoID = r.Active, deref(r.MergedIntoID)
	return p
}
