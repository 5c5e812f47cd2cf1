package domain

import (
	"net/mail"
	"strconv"
	"strings"
	"time"
)

// Sex as recorded in civil registers.
type Sex string

// The values of Sex; empty means not recorded.
const (
	SexMale   Sex = "male"
	SexFemale Sex = "female"
)

// StaffPosition is a person's position in the commune association; empty
// means the person is not association staff.
type StaffPosition string

// The association positions.
const (
	StaffChair     StaffPosition = "chair"
	StaffViceChair StaffPosition = "vice_chair"
	StaffMember    StaffPosition = "member"
)

// Person is someone Đèn Sách knows: a learner, a teacher, an officer. A
// person may or may not have an account to sign in with.
type Person struct {
	ID            int64
	FullName      string
	BirthDate     *time.Time
	BirthYear     int
	Sex           Sex
	Ethnicity     string
	CommuneID     int64
	CommuneName   string
	CommuneKind   UnitKind // ward, commune or special_zone, shown before the name
	ProvinceID    int64
	Village       string
	CCCD          string
	Phone         string
	Email         string
	StaffPosition StaffPosition
	HasAccount    bool
	// Active is false for a deactivated person (and one merged into
	// MergedIntoID): kept with their records, hidden from the default list,
	// and unable to sign in.
	Active       bool
	MergedIntoID int64
	Grants       []Grant
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// GivenName is the last word of the full name, by which registers sort.
func (p Person) GivenName() string { return GivenName(p.FullName) }

// Area is where the person lives and the centres where they hold roles.
func (p Person) Area() Area {
	a := Area{PersonID: p.ID, CommuneID: p.CommuneID, ProvinceID: p.ProvinceID}
	for _, g := range p.Grants {
		if g.CentreID != 0 {
			a.CentreIDs = appendUnique(a.CentreIDs, g.CentreID)
		}
	}
	return a
}

// Masked returns a copy with CCCD, phone and e-mail masked, for callers who
// may see the person but do not manage them.
func (p Person) Masked() Person {
	p.CCCD = MaskCCCD(p.CCCD)
	p.Phone = MaskPhone(p.Phone)
	p.Email = MaskEmail(p.Email)
	return p
}

// PersonChanges carries the fields a caller set; nil means "leave as is" and
// an empty string clears an optional field.
type PersonChanges struct {
	FullName      *string
	BirthDate     *string
	BirthYear     *int
	Sex           *string
	Ethnicity     *string
	CommuneID     *int64
	Village       *string
	CCCD          *string
	Phone         *string
	Email         *string
	StaffPosition *string
}

// Apply validates and normalises the changes onto p and returns the names of
// the fields whose values changed. On a validation error p is unchanged.
//
// now is today for the birth rules (no birth in the future); callers pass
// their injected clock's time.
func (c PersonChanges) Apply(p *Person, now time.Time) ([]string, error) {
	next := *p
	var f Fields
	if c.FullName != nil {
		v, err := NormalizeName(*c.FullName)
		if !f.AddErr("full_name", err) {
			next.FullName = v
		}
	}
	if c.BirthDate != nil {
		d, y, err := ParseBirth(*c.BirthDate, now)
		if !f.AddErr("birth_date", err) {
			next.BirthDate, next.BirthYear = d, y
		}
	}
	if c.BirthYear != nil && c.BirthDate == nil {
		if y := *c.BirthYear; y != 0 && (y < 1900 || y > now.Year()) {
			f.AddOf("birth_year", "birth_year_range", nil)
		} else {
			next.BirthDate, next.BirthYear = nil, y
		}
	}
	if c.Sex != nil {
		s, err := ParseSex(*c.Sex)
		if !f.AddErr("sex", err) {
			next.Sex = s
		}
	}
	if c.Ethnicity != nil {
		v, err := NormalizeText(*c.Ethnicity, 50)
		if !f.AddErr("ethnicity", err) {
			next.Ethnicity = v
		}
	}
	if c.CommuneID != nil {
		if *c.CommuneID <= 0 {
			f.AddOf("commune_id", "commune_required", nil)
		} else if *c.CommuneID != next.CommuneID {
			next.CommuneID, next.CommuneName, next.CommuneKind, next.ProvinceID = *c.CommuneID, "", "", 0
		}
	}
	if c.Village != nil {
		v, err := NormalizeText(*c.Village, 100)
		if !f.AddErr("village", err) {
			next.Village = v
		}
	}
	if c.CCCD != nil {
		v, err := NormalizeCCCD(*c.CCCD)
		if !f.AddErr("cccd", err) {
			next.CCCD = v
		}
	}
	if c.Phone != nil {
		v, err := NormalizePhone(*c.Phone)
		if !f.AddErr("phone", err) {
			next.Phone = v
		}
	}
	if c.Email != nil {
		v, err := NormalizeEmail(*c.Email)
		if !f.AddErr("email", err) {
			next.Email = v
		}
	}
	if c.StaffPosition != nil {
		v, err := ParseStaffPosition(*c.StaffPosition)
		if !f.AddErr("staff_position", err) {
			next.StaffPosition = v
		}
	}
	if next.FullName == "" && !hasField(f, "full_name") {
		f.AddOf("full_name", "name_required", Params{"max": nameMaxRunes})
	}
	if next.CommuneID == 0 && !hasField(f, "commune_id") {
		f.AddOf("commune_id", "commune_required", nil)
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	changed := diffPerson(*p, next)
	*p = next
	return changed, nil
}

func hasField(f Fields, name string) bool {
	for _, e := range f {
		if e.Field == name {
			return true
		}
	}
	return false
}

func diffPerson(a, b Person) []string {
	var out []string
	add := func(name string, same bool) {
		if !same {
			out = append(out, name)
		}
	}
	add("full_name", a.FullName == b.FullName)
	add("birth_date", sameDate(a.BirthDate, b.BirthDate))
	add("birth_year", a.BirthYear == b.BirthYear)
	add("sex", a.Sex == b.Sex)
	add("ethnicity", a.Ethnicity == b.Ethnicity)
	add("commune_id", a.CommuneID == b.CommuneID)
	add("village", a.Village == b.Village)
	add("cccd", a.CCCD == b.CCCD)
	add("phone", a.Phone == b.Phone)
	add("email", a.Email == b.Email)
	add("staff_position", a.StaffPosition == b.StaffPosition)
	return out
}

func sameDate(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Equal(*b)
}

// ParseBirth reads a birth date as dd/mm/yyyy, yyyy-mm-dd or a bare year.
// Empty clears both date and year; a birth after now is refused.
func ParseBirth(s string, now time.Time) (*time.Time, int, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, 0, nil
	}
	bad := Invalid(FieldOf("birth_date", "birth_date_format", nil))
	if len(s) == 4 {
		y, err := strconv.Atoi(s)
		if err != nil {
			return nil, 0, bad
		}
		if y < 1900 || y > now.Year() {
			return nil, 0, Invalid(FieldOf("birth_date", "birth_year_range", nil))
		}
		return nil, y, nil
	}
	var t time.Time
	var err error
	for _, layout := range []string{"02/01/2006", "2/1/2006", "2006-01-02", "02-01-2006"} {
		if t, err = time.Parse(layout, s); err == nil {
			break
		}
	}
	if err != nil {
		if nonexistentDate(s) {
			return nil, 0, Invalid(FieldOf("birth_date", "birth_date_nonexistent", Params{"date": s}))
		}
		return nil, 0, bad
	}
	if t.Year() < 1900 || t.After(now) {
		return nil, 0, Invalid(FieldOf("birth_date", "birth_year_range", nil))
	}
	return &t, t.Year(), nil
}

// nonexistentDate says whether s is written in an accepted layout, with a
// month from 1 to 12 and a day from 1 to 31, yet names no day of the
// calendar ("31/02/1990", "29/02/2023"): a date that does not exist rather
// than one written wrongly.
func nonexistentDate(s string) bool {
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == '/' || r == '-' })
	if len(parts) != 3 || strings.Count(s, "/")+strings.Count(s, "-") != 2 {
		return false
	}
	n := make([]int, 3)
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || v < 0 {
			return false
		}
		n[i] = v
	}
	d, m, y := n[0], n[1], n[2]
	if len(parts[0]) == 4 { // yyyy-mm-dd
		if strings.Contains(s, "/") {
			return false
		}
		y, m, d = n[0], n[1], n[2]
	} else if len(parts[2]) != 4 {
		return false
	}
	if m < 1 || m > 12 || d < 1 || d > 31 {
		return false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	return t.Day() != d
}

// ParseSex accepts the stored values and the Vietnamese words registers use.
func ParseSex(s string) (Sex, error) {
	switch strings.ToLower(strings.TrimSpace(FoldForSearch(s))) {
	case "":
		return "", nil
	case "male", "nam", "m":
		return SexMale, nil
	case "female", "nu", "f":
		return SexFemale, nil
	}
	return "", Invalid(FieldOf("sex", "sex_invalid", nil))
}

// ParseStaffPosition accepts the stored values and the Vietnamese titles.
func ParseStaffPosition(s string) (StaffPosition, error) {
	switch strings.ReplaceAll(FoldForSearch(s), "-", " ") {
	case "", "khong", "none":
		return "", nil
	case "chair", "chu tich":
		return StaffChair, nil
	case "vice_chair", "pho chu tich":
		return StaffViceChair, nil
	case "member", "uy vien", "can bo", "hoi vien":
		return StaffMember, nil
	}
	return "", Invalid(FieldOf("staff_position", "staff_position_invalid", nil))
}

// NormalizeEmail lower-cases and checks an e-mail address; empty is allowed.
func NormalizeEmail(s string) (string, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" {
		return "", nil
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || len(s) > 254 {
		return "", Invalid(FieldOf("email", "email_invalid", nil))
	}
	return s, nil
}

// PeopleQuery selects and pages a list of people.
type PeopleQuery struct {
	Search    string
	CommuneID int64
	CentreID  int64
	Role      Role
	StaffOnly bool
	// Page is read by offset when After is nil (the web app asks for page 1
	// and then moves on by After).
	Page     int
	PageSize int
	// After, when set, starts the page after this position (keyset paging).
	After *PeopleCursor
	// Count asks for the total of the whole list (a full count).
	Count bool
	// Inactive lists the deactivated people instead of the active ones.
	Inactive bool
}

// MaxPageSize bounds every list.
const MaxPageSize = 100

// Normalize applies defaults and bounds to paging.
func (q *PeopleQuery) Normalize() {
	if q.Page < 1 {
		q.Page = 1
	}
	if q.PageSize < 1 {
		q.PageSize = 20
	}
	if q.PageSize > MaxPageSize {
		q.PageSize = MaxPageSize
	}
}
