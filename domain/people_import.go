package domain

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Limits of one import file: the API also bounds the body to MaxImportBytes.
const (
	MaxImportBytes = 10 << 20
	MaxImportRows  = 200_000
)

// ImportRow is one valid line of an import file, normalised. Changes holds
// only the cells that had a value: an import never erases what it was not
// told, so a sparse file does not wipe data entered by hand.
type ImportRow struct {
	Line        int
	CommuneCode string
	Changes     PersonChanges
	// Person is the row as a new person would be stored, without commune.
	Person Person
}

// RowError says what is wrong with one line of an import file: Code is a
// catalogue name (see messages_vi.go), Message its Vietnamese text with Params
// filled in.
type RowError struct {
	Row     int
	Field   string
	Code    string
	Message string
	Params  Params
}

// ImportFile is a parsed import file: the valid rows and the errors of the
// others. TotalRows counts every non-blank data line.
type ImportFile struct {
	// ParsedAt is the clock's time when the file was read: the rows'
	// birth rules are checked against it, here and when storage applies them.
	ParsedAt  time.Time
	TotalRows int
	Rows      []ImportRow
	Errors    []RowError
	// Warnings name what was read but not used, such as unknown columns.
	Warnings []ImportWarning
	// CommuneColumn says whether the header has a commune code column.
	CommuneColumn bool
	// Commune, when set, is where rows without a commune code go: the
	// commune chosen for the import, resolved by the use case.
	Commune *Area
	// EnrolCentreID, when set, is the centre where every created, updated
	// or unchanged person of the file becomes a learner (set by the use
	// case once the caller may grant that).
	EnrolCentreID int64
}

// ImportWarning is something about a whole import file the caller should
// know but that fails no row: Code is a catalogue name (messages_vi.go).
type ImportWarning struct {
	Code    string
	Message string
	Params  Params
}

// ImportResult is what applying an import did, or would do on a dry run.
type ImportResult struct {
	Created, Updated, Unchanged int
	Failed                      int // rows of the file not applied, for any reason
	// Updates describe the rows that update an existing person: what
	// changes, field by field (at most MaxImportErrors of them).
	Updates []RowUpdate
	// Enrolled counts the people who became (or would become) learners of
	// the file's EnrolCentreID; those already enrolled are not counted.
	Enrolled int
	Errors   []RowError
	// Persons are the rows applied (or, on a dry run, that would be), in
	// file order, with the person each created, updated or left unchanged
	// (PersonID 0 for a person a dry run would create): what a caller
	// building on the import (enrolment into a class) acts on.
	Persons []ImportedPerson
}

// ImportedPerson is one applied row of an import and its person.
type ImportedPerson struct {
	Row      int
	PersonID int64
	Created  bool
}

// RowUpdate is one row that updates an existing person the caller may
// change (and so may see in full).
type RowUpdate struct {
	Row      int
	PersonID int64
	// Name is the person's stored name, before the update.
	Name string
	// MatchedBy is the identifier that found the person: cccd, phone or
	// full_name (name, birth year and commune).
	MatchedBy string
	// OtherName flags a row whose CCCD or phone belongs to a person with
	// another name: perhaps a typo, perhaps the wrong person.
	OtherName bool
	Changes   []FieldChange
}

// FieldChange is one field's stored value and the value the import writes,
// as text ("" for none).
type FieldChange struct {
	Field, Old, New string
}

// DescribeUpdate lists what an import row changes on a person.
func DescribeUpdate(row int, matchedBy string, before, after Person, changed []string) RowUpdate {
	u := RowUpdate{Row: row, PersonID: before.ID, Name: before.FullName, MatchedBy: matchedBy,
		OtherName: matchedBy != "full_name" && LowerForSearch(before.FullName) != LowerForSearch(after.FullName)}
	for _, f := range changed {
		u.Changes = append(u.Changes, FieldChange{Field: f, Old: fieldText(before, f), New: fieldText(after, f)})
	}
	return u
}

// fieldText is a person's field as text for a preview.
func fieldText(p Person, f string) string {
	switch f {
	case "full_name":
		return p.FullName
	case "birth_date":
		if p.BirthDate == nil {
			return ""
		}
		return p.BirthDate.Format("02/01/2006")
	case "birth_year":
		if p.BirthYear == 0 {
			return ""
		}
		return strconv.Itoa(p.BirthYear)
	case "sex":
		return string(p.Sex)
	case "ethnicity":
		return p.Ethnicity
	case "commune_id":
		if p.CommuneName != "" {
			return p.CommuneName
		}
		return strconv.FormatInt(p.CommuneID, 10)
	case "village":
		return p.Village
	case "cccd":
		return p.CCCD
	case "phone":
		return p.Phone
	case "email":
		return p.Email
	case "staff_position":
		return string(p.StaffPosition)
	}
	return ""
}

// importColumns maps folded header names, Vietnamese or English, to fields.
var importColumns = map[string]string{
	"ho_ten": "full_name", "ho_va_ten": "full_name", "hoten": "full_name", "full_name": "full_name", "fullname": "full_name",
	"ngay_sinh": "birth_date", "birth_date": "birth_date", "ngay_thang_nam_sinh": "birth_date",
	"nam_sinh": "birth_year", "birth_year": "birth_year",
	"gioi_tinh": "sex", "sex": "sex", "gender": "sex",
	"dan_toc": "ethnicity", "ethnicity": "ethnicity",
	"ma_xa": "commune_code", "ma_xa_phuong": "commune_code", "commune_code": "commune_code",
	"thon": "village", "thon_ban": "village", "village": "village", "ban": "village", "to_dan_pho": "village",
	"ban_to_dan_pho": "village", "thon_ban_to_dan_pho": "village", "thon_to_dan_pho": "village", "thon_xom": "village", "xom": "village",
	"cccd": "cccd", "so_cccd": "cccd", "cccd_cmnd": "cccd",
	"so_dien_thoai": "phone", "dien_thoai": "phone", "sdt": "phone", "phone": "phone",
	"email": "email", "e_mail": "email",
	"chuc_vu_hoi": "staff_position", "chuc_vu": "staff_position", "staff_position": "staff_position",
}

// MaxImportErrors bounds the row errors kept and answered, so that a file of
// garbage does not produce a response larger than itself; failed counts
// still count every failed row.
const MaxImportErrors = 1000

// headerKey folds a header cell: "Họ và tên" → "ho_va_ten".
func headerKey(s string) string {
	s = FoldForSearch(strings.TrimSpace(s))
	var b strings.Builder
	under := false
	for _, r := range s {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
			under = false
		} else if !under && b.Len() > 0 {
			b.WriteByte('_')
			under = true
		}
	}
	return strings.TrimSuffix(b.String(), "_")
}

// delimiter guesses the separator from the header line: spreadsheets set to
// Vietnamese locale save with semicolons, others with commas.
func delimiter(data []byte) rune {
	commas, semis, quoted := 0, 0, false
	for _, c := range data {
		switch {
		case c == '"':
			quoted = !quoted
		case quoted:
		case c == '\n':
			if semis > commas {
				return ';'
			}
			return ','
		case c == ',':
			commas++
		case c == ';':
			semis++
		}
	}
	if semis > commas {
		return ';'
	}
	return ','
}

// checkEncoding rejects files that are not UTF-8, naming the usual cause.
func checkEncoding(data []byte) ([]byte, error) {
	if bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.HasPrefix(data, []byte{0xFE, 0xFF}) {
		return nil, Fail(CodeInvalid, "csv_utf16", nil)
	}
	data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
	if !utf8.Valid(data) {
		return nil, Fail(CodeInvalid, "csv_not_utf8", nil)
	}
	return data, nil
}

// ParsePeopleCSV reads an import file: UTF-8 with or without BOM, comma or
// semicolon separated, header names in Vietnamese or English. File-level
// problems (encoding, missing columns, too many rows) are one CodeInvalid
// error; problems of single lines are row errors, and the other lines stay
// valid. Duplicates within the file are reported on the later line.
func ParsePeopleCSV(data []byte, now time.Time) (ImportFile, error) {
	out := ImportFile{ParsedAt: now}
	data, err := checkEncoding(data)
	if err != nil {
		return out, err
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma = delimiter(data)
	r.FieldsPerRecord = -1
	r.TrimLeadingSpace = true
	header, err := r.Read()
	if err != nil {
		return out, Fail(CodeInvalid, "csv_empty", nil)
	}
	cols, warnings, err := mapHeader(header)
	if err != nil {
		return out, err
	}
	out.Warnings = warnings
	_, out.CommuneColumn = cols["commune_code"]
	seen := newImportSeen()
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			out.TotalRows++
			params := Params{"row": pe.StartLine}
			out.addErr(RowError{Row: pe.StartLine, Code: "csv_syntax", Message: Message("csv_syntax", params), Params: params})
			continue
		} else if err != nil {
			return out, Fail(CodeInvalid, "csv_unreadable", nil)
		}
		if blank(rec) {
			continue
		}
		out.TotalRows++
		if out.TotalRows > MaxImportRows {
			return ImportFile{}, Fail(CodeInvalid, "csv_too_many_rows", Params{"max": MaxImportRows})
		}
		line, _ := r.FieldPos(0)
		row, errs := parseRow(line, rec, cols, now)
		if len(errs) == 0 {
			errs = seen.check(row)
		}
		if len(errs) > 0 {
			for _, e := range errs {
				out.addErr(e)
			}
			continue
		}
		out.Rows = append(out.Rows, row)
	}
	return out, nil
}

func (f *ImportFile) addErr(e RowError) {
	if len(f.Errors) < MaxImportErrors {
		f.Errors = append(f.Errors, e)
	}
}

// PlaceRows settles the rows without a commune code: with a commune chosen
// for the import they go there, otherwise each is a commune_required error.
func (f *ImportFile) PlaceRows(commune *Area) {
	f.Commune = commune
	if commune != nil {
		return
	}
	kept := f.Rows[:0]
	for _, r := range f.Rows {
		if r.CommuneCode != "" {
			kept = append(kept, r)
			continue
		}
		f.addErr(RowError{Row: r.Line, Field: "commune_code", Code: "commune_required", Message: Message("commune_required", nil)})
	}
	f.Rows = kept
}

// FailedRows counts the distinct lines with errors, reported or not.
func FailedRows(errs []RowError) int {
	rows := map[int]bool{}
	for _, e := range errs {
		rows[e.Row] = true
	}
	return len(rows)
}

func blank(rec []string) bool {
	for _, c := range rec {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// mapHeader finds the column of every known field; unknown columns (a serial
// number, notes) are not read, and each is named in a warning. The commune
// column is optional: without it the rows go to the commune chosen for the
// import.
func mapHeader(header []string) (map[string]int, []ImportWarning, error) {
	cols := map[string]int{}
	var warnings []ImportWarning
	for i, h := range header {
		field, ok := importColumns[headerKey(h)]
		if !ok {
			if name := strings.TrimSpace(h); name != "" && len(warnings) < MaxImportWarnings {
				params := Params{"column": name}
				warnings = append(warnings, ImportWarning{Code: "csv_unknown_column", Message: Message("csv_unknown_column", params), Params: params})
			}
			continue
		}
		if _, dup := cols[field]; dup {
			return nil, nil, Fail(CodeInvalid, "csv_duplicate_column", Params{"column": strings.TrimSpace(h)})
		}
		cols[field] = i
	}
	if _, ok := cols["full_name"]; !ok {
		return nil, nil, Fail(CodeInvalid, "csv_missing_columns", Params{"columns": "ho_ten"})
	}
	return cols, warnings, nil
}

// unneutralised undoes what our own CSV exports do to a cell a spreadsheet
// could take for a formula (an apostrophe before = + - @ tab CR), so that
// the error rows downloaded from an import can be fixed and imported again.
func unneutralised(v string) string {
	t := strings.TrimLeft(v, " ")
	if len(t) >= 2 && t[0] == '\'' && strings.IndexByte("=+-@\t\r", t[1]) >= 0 {
		return t[1:]
	}
	return v
}

// MaxImportWarnings bounds the warnings of one file.
const MaxImportWarnings = 50

// parseRow validates one record through PersonChanges.Apply, the same rules
// as the form.
func parseRow(line int, rec []string, cols map[string]int, now time.Time) (ImportRow, []RowError) {
	cell := func(field string) *string {
		i, ok := cols[field]
		if !ok || i >= len(rec) || strings.TrimSpace(rec[i]) == "" {
			return nil
		}
		v := unneutralised(rec[i])
		return &v
	}
	row := ImportRow{Line: line}
	if errs := badCells(line, rec, cols); len(errs) > 0 {
		return row, errs
	}
	var errs []RowError
	c := PersonChanges{FullName: cell("full_name"), BirthDate: cell("birth_date"), Sex: cell("sex"), Ethnicity: cell("ethnicity"),
		Village: cell("village"), CCCD: cell("cccd"), Phone: cell("phone"), Email: cell("email"), StaffPosition: cell("staff_position")}
	if y := cell("birth_year"); y != nil && c.BirthDate == nil {
		n, err := strconv.Atoi(strings.TrimSpace(*y))
		if err != nil {
			errs = append(errs, RowError{Row: line, Field: "birth_year", Code: "birth_year_format", Message: Message("birth_year_format", nil)})
		} else {
			c.BirthYear = &n
		}
	}
	// An empty commune code is settled by the use case: the row goes to
	// the commune chosen for the import, or fails without one.
	if code := cell("commune_code"); code != nil {
		row.CommuneCode = communeCode(*code)
		if len(row.CommuneCode) > 20 {
			errs = append(errs, RowError{Row: line, Field: "commune_code", Code: "commune_code_invalid", Message: Message("commune_code_invalid", nil)})
		}
	}
	// The commune is resolved later from its code; a placeholder lets Apply
	// check everything else now.
	p := Person{CommuneID: -1}
	if _, err := c.Apply(&p, now); err != nil {
		for _, fe := range AsError(err).Fields {
			errs = append(errs, RowError{Row: line, Field: fe.Field, Code: fe.Code, Message: fe.Message, Params: fe.Params})
		}
	}
	if len(errs) > 0 {
		return row, errs
	}
	p.CommuneID = 0
	row.Person = p
	row.Changes = normalisedChanges(c, p)
	return row, nil
}

// badCells names the cells of the known columns that hold bytes PostgreSQL
// refuses (NUL; invalid UTF-8 is refused for the whole file before), in
// column order, so that such a row fails alone instead of the import.
func badCells(line int, rec []string, cols map[string]int) []RowError {
	var errs []RowError
	for i, v := range rec {
		if ValidText(v) {
			continue
		}
		for field, col := range cols {
			if col == i {
				fe := InvalidBytes(field)
				errs = append(errs, RowError{Row: line, Field: fe.Field, Code: fe.Code, Message: fe.Message, Params: fe.Params})
			}
		}
	}
	return errs
}

// communeCode cleans a commune code cell. Commune codes of the statistics
// office have 5 digits and many start with 0, which spreadsheets drop when
// they take the code for a number ("00004" → "4"); the zeros are put back.
func communeCode(s string) string {
	s = strings.TrimSpace(s)
	if s == "" || len(s) >= 5 || strings.Trim(s, "0123456789") != "" {
		return s
	}
	return strings.Repeat("0", 5-len(s)) + s
}

// normalisedChanges replaces the raw cells by their stored form, so that
// applying them to an existing person compares like with like.
func normalisedChanges(c PersonChanges, p Person) PersonChanges {
	set := func(given *string, v string) *string {
		if given == nil {
			return nil
		}
		return &v
	}
	out := PersonChanges{
		FullName: set(c.FullName, p.FullName), Sex: set(c.Sex, string(p.Sex)), Ethnicity: set(c.Ethnicity, p.Ethnicity),
		Village: set(c.Village, p.Village), CCCD: set(c.CCCD, p.CCCD), Phone: set(c.Phone, p.Phone), Email: set(c.Email, p.Email),
		StaffPosition: set(c.StaffPosition, string(p.StaffPosition)), BirthYear: c.BirthYear,
	}
	if c.BirthDate != nil {
		if p.BirthDate != nil {
			out.BirthDate = set(c.BirthDate, p.BirthDate.Format("2006-01-02"))
		} else {
			y := p.BirthYear
			out.BirthYear = &y
		}
	}
	return out
}

// importSeen remembers the identifiers of earlier lines of the same file.
type importSeen struct{ phone, cccd, email, key map[string]int }

func newImportSeen() *importSeen {
	return &importSeen{phone: map[string]int{}, cccd: map[string]int{}, email: map[string]int{}, key: map[string]int{}}
}

// NameKey identifies a person who has neither CCCD nor phone, within one
// commune: the lower-cased name and the birth year. Imports match such rows
// by it so that importing the same file twice creates no one twice.
func NameKey(p Person) string {
	return LowerForSearch(p.FullName) + "|" + strconv.Itoa(p.BirthYear)
}

func (s *importSeen) check(row ImportRow) []RowError {
	p := row.Person
	type ident struct {
		m     map[string]int
		v     string
		field string
	}
	ids := []ident{{s.cccd, p.CCCD, "cccd"}, {s.phone, p.Phone, "phone"}, {s.email, p.Email, "email"}}
	if p.CCCD == "" && p.Phone == "" {
		// A person without CCCD and phone: same name, birth and commune.
		ids = append(ids, ident{s.key, row.CommuneCode + "|" + NameKey(p), "full_name"})
	}
	var errs []RowError
	for _, id := range ids {
		if first, ok := id.m[id.v]; ok && id.v != "" {
			params := Params{"first": first}
			errs = append(errs, RowError{Row: row.Line, Field: id.field, Code: "duplicate_in_file", Message: Message("duplicate_in_file", params), Params: params})
		}
	}
	// Only a line that will be applied claims its identifiers, so a later
	// line is not blamed for repeating a line that failed.
	if len(errs) == 0 {
		for _, id := range ids {
			if id.v != "" {
				id.m[id.v] = row.Line
			}
		}
	}
	return errs
}

// ChangesFor adapts the row to an existing person: a bare birth year does not
// erase a full birth date of that same year.
func (r ImportRow) ChangesFor(existing Person) PersonChanges {
	c := r.Changes
	if c.BirthDate == nil && c.BirthYear != nil && existing.BirthDate != nil && existing.BirthYear == *c.BirthYear {
		c.BirthYear = nil
	}
	return c
}
