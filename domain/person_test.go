package domain

import (
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// fieldCode is one expected field error: the field and its code ("" accepts
// any code, for rules tested with their own function elsewhere).
type fieldCode struct{ field, code string }

// wantFieldErrors fails unless err is CodeInvalid carrying exactly the
// expected field errors, in any order.
func wantFieldErrors(t *testing.T, name string, err error, want ...fieldCode) {
	t.Helper()
	if err == nil {
		t.Errorf("%s: no error, want %v", name, want)
		return
	}
	e := AsError(err)
	if e.Code != CodeInvalid || len(e.Fields) != len(want) {
		t.Errorf("%s: got %s %+v, want invalid %v", name, e.Code, e.Fields, want)
		return
	}
	for _, w := range want {
		if !slices.ContainsFunc(e.Fields, func(f FieldError) bool {
			return f.Field == w.field && (w.code == "" || f.Code == w.code)
		}) {
			t.Errorf("%s: got %+v, want a field error %v", name, e.Fields, w)
		}
	}
}

// testNow is the injected clock of these tests: the birth rules depend on
// today, so the tables hold on any day the suite runs.
var testNow = time.Date(2026, time.June, 15, 9, 0, 0, 0, time.UTC)

// TestBirthRulesFollowTheClock shows the rules read the injected time, not
// the machine's: a year or date in the future of now is refused, the same
// value accepted once now has passed it.
func TestBirthRulesFollowTheClock(t *testing.T) {
	later := time.Date(2028, time.January, 2, 0, 0, 0, 0, time.UTC)
	for _, in := range []string{"2027", "01/01/2027"} {
		if _, _, err := ParseBirth(in, testNow); ErrorCode(err) != CodeInvalid {
			t.Errorf("ParseBirth(%q) at %s = %v, want refused", in, testNow.Format(time.DateOnly), err)
		}
		if _, y, err := ParseBirth(in, later); err != nil || y != 2027 {
			t.Errorf("ParseBirth(%q) at %s = %d, %v, want 2027", in, later.Format(time.DateOnly), y, err)
		}
	}
	y := 2027
	p := Person{FullName: "Lò Văn A", CommuneID: 1}
	if _, err := (PersonChanges{BirthYear: &y}).Apply(&p, testNow); ErrorCode(err) != CodeInvalid {
		t.Errorf("Apply(birth_year 2027) at %s = %v, want refused", testNow.Format(time.DateOnly), err)
	}
	if _, err := (PersonChanges{BirthYear: &y}).Apply(&p, later); err != nil || p.BirthYear != 2027 {
		t.Errorf("Apply(birth_year 2027) at %s = %v, year %d", later.Format(time.DateOnly), err, p.BirthYear)
	}
}

func date(y int, m time.Month, d int) *time.Time {
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return &t
}

func ptr[T any](v T) *T { return &v }

// basePerson has every field set, so that each can be set, cleared, left
// unchanged or refused.
func basePerson() Person {
	return Person{
		ID: 7, FullName: "Nguyễn Văn An", BirthDate: date(1980, 5, 2), BirthYear: 1980, Sex: SexMale,
		Ethnicity: "Kinh", CommuneID: 11, CommuneName: "Tân Phong", ProvinceID: 1, Village: "Tổ 1",
		CCCD: "001203012345", Phone: "0912345678", Email: "an@example.vn", StaffPosition: StaffMember,
		HasAccount: true, Grants: []Grant{{ID: 3, Role: RoleLearner, Kind: ScopeSelf}},
	}
}

// TestPersonChangesApply sets, clears, repeats and refuses every field: the
// person that results and the changed list it returns (in diffPerson's
// order), and on a refusal the person left as it was.
func TestPersonChangesApply(t *testing.T) {
	nextYear := testNow.Year() + 1
	cases := []struct {
		name    string
		c       PersonChanges
		want    func(p *Person) // the expected person, from the base
		changed []string
		errs    []fieldCode // a refusal
	}{
		{name: "nothing", c: PersonChanges{}, want: func(*Person) {}},

		{name: "full_name set (spaces collapsed)", c: PersonChanges{FullName: ptr("  Lò  Thị   Bình ")},
			want: func(p *Person) { p.FullName = "Lò Thị Bình" }, changed: []string{"full_name"}},
		{name: "full_name unchanged", c: PersonChanges{FullName: ptr(" Nguyễn Văn An")}, want: func(*Person) {}},
		{name: "full_name cleared", c: PersonChanges{FullName: ptr("  ")}, errs: []fieldCode{{"full_name", codeNameRequired}}},
		{name: "full_name invalid", c: PersonChanges{FullName: ptr("An 123")}, errs: []fieldCode{{"full_name", codeNameInvalidChars}}},

		{name: "birth_date set", c: PersonChanges{BirthDate: ptr("03/06/1981")},
			want:    func(p *Person) { p.BirthDate, p.BirthYear = date(1981, 6, 3), 1981 },
			changed: []string{"birth_date", "birth_year"}},
		{name: "birth_date same day, other layout", c: PersonChanges{BirthDate: ptr("1980-05-02")}, want: func(*Person) {}},
		{name: "birth_date as a bare year drops the day", c: PersonChanges{BirthDate: ptr("1980")},
			want: func(p *Person) { p.BirthDate = nil }, changed: []string{"birth_date"}},
		{name: "birth_date cleared clears the year", c: PersonChanges{BirthDate: ptr("")},
			want: func(p *Person) { p.BirthDate, p.BirthYear = nil, 0 }, changed: []string{"birth_date", "birth_year"}},
		{name: "birth_date nonexistent", c: PersonChanges{BirthDate: ptr("31/02/1980")}, errs: []fieldCode{{"birth_date", "birth_date_nonexistent"}}},
		{name: "birth_date invalid", c: PersonChanges{BirthDate: ptr("31.02.1980")}, errs: []fieldCode{{"birth_date", "birth_date_format"}}},
		{name: "birth_date before 1900", c: PersonChanges{BirthDate: ptr("31/12/1899")}, errs: []fieldCode{{"birth_date", "birth_year_range"}}},
		{name: "birth_date wins over birth_year", c: PersonChanges{BirthDate: ptr("03/06/1981"), BirthYear: ptr(1975)},
			want:    func(p *Person) { p.BirthDate, p.BirthYear = date(1981, 6, 3), 1981 },
			changed: []string{"birth_date", "birth_year"}},

		{name: "birth_year set drops the date", c: PersonChanges{BirthYear: ptr(1975)},
			want: func(p *Person) { p.BirthDate, p.BirthYear = nil, 1975 }, changed: []string{"birth_date", "birth_year"}},
		{name: "birth_year same drops only the date", c: PersonChanges{BirthYear: ptr(1980)},
			want: func(p *Person) { p.BirthDate = nil }, changed: []string{"birth_date"}},
		{name: "birth_year cleared", c: PersonChanges{BirthYear: ptr(0)},
			want: func(p *Person) { p.BirthDate, p.BirthYear = nil, 0 }, changed: []string{"birth_date", "birth_year"}},
		{name: "birth_year 1900 is the first", c: PersonChanges{BirthYear: ptr(1900)},
			want: func(p *Person) { p.BirthDate, p.BirthYear = nil, 1900 }, changed: []string{"birth_date", "birth_year"}},
		{name: "birth_year before 1900", c: PersonChanges{BirthYear: ptr(1899)}, errs: []fieldCode{{"birth_year", "birth_year_range"}}},
		{name: "birth_year in the future", c: PersonChanges{BirthYear: ptr(nextYear)}, errs: []fieldCode{{"birth_year", "birth_year_range"}}},

		{name: "sex set", c: PersonChanges{Sex: ptr("Nữ")}, want: func(p *Person) { p.Sex = SexFemale }, changed: []string{"sex"}},
		{name: "sex unchanged", c: PersonChanges{Sex: ptr("nam")}, want: func(*Person) {}},
		{name: "sex cleared", c: PersonChanges{Sex: ptr("")}, want: func(p *Person) { p.Sex = "" }, changed: []string{"sex"}},
		{name: "sex invalid", c: PersonChanges{Sex: ptr("x")}, errs: []fieldCode{{"sex", "sex_invalid"}}},

		{name: "ethnicity set", c: PersonChanges{Ethnicity: ptr(" Thái ")}, want: func(p *Person) { p.Ethnicity = "Thái" }, changed: []string{"ethnicity"}},
		{name: "ethnicity unchanged", c: PersonChanges{Ethnicity: ptr("Kinh")}, want: func(*Person) {}},
		{name: "ethnicity cleared", c: PersonChanges{Ethnicity: ptr("")}, want: func(p *Person) { p.Ethnicity = "" }, changed: []string{"ethnicity"}},
		{name: "ethnicity too long", c: PersonChanges{Ethnicity: ptr(strings.Repeat("a", 51))}, errs: []fieldCode{{"ethnicity", codeTextTooLong}}},

		{name: "commune_id set forgets the old names", c: PersonChanges{CommuneID: ptr[int64](12)},
			want: func(p *Person) { p.CommuneID, p.CommuneName, p.ProvinceID = 12, "", 0 }, changed: []string{"commune_id"}},
		{name: "commune_id unchanged keeps the names", c: PersonChanges{CommuneID: ptr[int64](11)}, want: func(*Person) {}},
		{name: "commune_id cleared", c: PersonChanges{CommuneID: ptr[int64](0)}, errs: []fieldCode{{"commune_id", "commune_required"}}},
		{name: "commune_id negative", c: PersonChanges{CommuneID: ptr[int64](-1)}, errs: []fieldCode{{"commune_id", "commune_required"}}},

		{name: "village set", c: PersonChanges{Village: ptr("Bản Nà Luồng")}, want: func(p *Person) { p.Village = "Bản Nà Luồng" }, changed: []string{"village"}},
		{name: "village unchanged", c: PersonChanges{Village: ptr("Tổ  1")}, want: func(*Person) {}},
		{name: "village cleared", c: PersonChanges{Village: ptr("")}, want: func(p *Person) { p.Village = "" }, changed: []string{"village"}},
		{name: "village too long", c: PersonChanges{Village: ptr(strings.Repeat("a", 101))}, errs: []fieldCode{{"village", codeTextTooLong}}},
		{name: "village control character", c: PersonChanges{Village: ptr("Tổ\x001")}, errs: []fieldCode{{"village", codeTextInvalidChars}}},

		{name: "cccd set", c: PersonChanges{CCCD: ptr("079 099 001 234")}, want: func(p *Person) { p.CCCD = "079099001234" }, changed: []string{"cccd"}},
		{name: "cccd unchanged", c: PersonChanges{CCCD: ptr("001 203 012 345")}, want: func(*Person) {}},
		{name: "cccd cleared", c: PersonChanges{CCCD: ptr("")}, want: func(p *Person) { p.CCCD = "" }, changed: []string{"cccd"}},
		{name: "cccd invalid", c: PersonChanges{CCCD: ptr("12345")}, errs: []fieldCode{{"cccd", codeCCCDLength}}},

		{name: "phone set", c: PersonChanges{Phone: ptr("+84 987 654 321")}, want: func(p *Person) { p.Phone = "0987654321" }, changed: []string{"phone"}},
		{name: "phone unchanged", c: PersonChanges{Phone: ptr("0912 345 678")}, want: func(*Person) {}},
		{name: "phone cleared", c: PersonChanges{Phone: ptr("")}, want: func(p *Person) { p.Phone = "" }, changed: []string{"phone"}},
		{name: "phone invalid", c: PersonChanges{Phone: ptr("12345")}, errs: []fieldCode{{"phone", ""}}},

		{name: "email set (lower case)", c: PersonChanges{Email: ptr(" Binh@Example.VN ")}, want: func(p *Person) { p.Email = "binh@example.vn" }, changed: []string{"email"}},
		{name: "email unchanged", c: PersonChanges{Email: ptr("AN@example.vn")}, want: func(*Person) {}},
		{name: "email cleared", c: PersonChanges{Email: ptr("")}, want: func(p *Person) { p.Email = "" }, changed: []string{"email"}},
		{name: "email invalid", c: PersonChanges{Email: ptr("an.example.vn")}, errs: []fieldCode{{"email", "email_invalid"}}},

		{name: "staff_position set", c: PersonChanges{StaffPosition: ptr("Chủ tịch")}, want: func(p *Person) { p.StaffPosition = StaffChair }, changed: []string{"staff_position"}},
		{name: "staff_position unchanged", c: PersonChanges{StaffPosition: ptr("uỷ viên")}, want: func(*Person) {}},
		{name: "staff_position cleared", c: PersonChanges{StaffPosition: ptr("")}, want: func(p *Person) { p.StaffPosition = "" }, changed: []string{"staff_position"}},
		{name: "staff_position invalid", c: PersonChanges{StaffPosition: ptr("giám đốc")}, errs: []fieldCode{{"staff_position", "staff_position_invalid"}}},

		{name: "several fields at once", c: PersonChanges{FullName: ptr("Lò Thị Bình"), Sex: ptr("nữ"), Phone: ptr("0987654321")},
			want:    func(p *Person) { p.FullName, p.Sex, p.Phone = "Lò Thị Bình", SexFemale, "0987654321" },
			changed: []string{"full_name", "sex", "phone"}},
		{name: "every error reported, nothing applied", c: PersonChanges{FullName: ptr("Lò Thị Bình"), Sex: ptr("x"), Email: ptr("@"), CommuneID: ptr[int64](0)},
			errs: []fieldCode{{"sex", "sex_invalid"}, {"email", "email_invalid"}, {"commune_id", "commune_required"}}},
	}
	for _, tc := range cases {
		p := basePerson()
		changed, err := tc.c.Apply(&p, testNow)
		if tc.errs != nil {
			wantFieldErrors(t, tc.name, err, tc.errs...)
			if !reflect.DeepEqual(p, basePerson()) || changed != nil {
				t.Errorf("%s: a refused change altered the person (%+v) or reported %v", tc.name, p, changed)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		want := basePerson()
		tc.want(&want)
		if !reflect.DeepEqual(p, want) {
			t.Errorf("%s: got\n%+v\nwant\n%+v", tc.name, p, want)
		}
		if !slices.Equal(changed, tc.changed) {
			t.Errorf("%s: changed %v, want %v", tc.name, changed, tc.changed)
		}
	}
}

// TestPersonChangesApplyRequired: a new person (the zero Person) needs a
// name and a commune, whatever else is set.
func TestPersonChangesApplyRequired(t *testing.T) {
	var p Person
	_, err := PersonChanges{Phone: ptr("0912345678")}.Apply(&p, testNow)
	wantFieldErrors(t, "empty person", err, fieldCode{"full_name", "name_required"}, fieldCode{"commune_id", "commune_required"})
	changed, err := PersonChanges{FullName: ptr("Lò Văn Ơn"), CommuneID: ptr[int64](11)}.Apply(&p, testNow)
	if err != nil || !slices.Equal(changed, []string{"full_name", "commune_id"}) || p.FullName != "Lò Văn Ơn" || p.CommuneID != 11 {
		t.Fatalf("name and commune: %+v, %v, %v", p, changed, err)
	}
}

// TestParseBirth reads every accepted layout and refuses dates before 1900,
// in the future or that do not exist.
func TestParseBirth(t *testing.T) {
	now := testNow
	cases := []struct {
		in   string
		date *time.Time
		year int
		code string // a refusal
	}{
		{in: "", year: 0},
		{in: "   ", year: 0},
		{in: "1980", year: 1980},
		{in: "1900", year: 1900},
		{in: strconv.Itoa(now.Year()), year: now.Year()},
		{in: "02/05/1980", date: date(1980, 5, 2), year: 1980},
		{in: " 2/5/1980 ", date: date(1980, 5, 2), year: 1980},
		{in: "1980-05-02", date: date(1980, 5, 2), year: 1980},
		{in: "02-05-1980", date: date(1980, 5, 2), year: 1980},
		{in: "29/02/2000", date: date(2000, 2, 29), year: 2000},
		{in: "01/01/1900", date: date(1900, 1, 1), year: 1900},
		{in: "1899", code: "birth_year_range"},
		{in: strconv.Itoa(now.Year() + 1), code: "birth_year_range"},
		{in: "31/12/1899", code: "birth_year_range"},
		{in: now.AddDate(0, 0, 2).Format("02/01/2006"), code: "birth_year_range"},
		{in: "29/02/2001", code: "birth_date_nonexistent"},
		{in: "31/04/1980", code: "birth_date_nonexistent"},
		{in: "31/02/1990", code: "birth_date_nonexistent"},
		{in: "31-02-1990", code: "birth_date_nonexistent"},
		{in: "1990-02-30", code: "birth_date_nonexistent"},
		{in: "32/01/1990", code: "birth_date_format"},
		{in: "31/13/1990", code: "birth_date_format"},
		{in: "00/01/1990", code: "birth_date_format"},
		{in: "31/02/90", code: "birth_date_format"},
		{in: "1990/02/31", code: "birth_date_format"},
		{in: "31/02-1990/1", code: "birth_date_format"},
		{in: "1980/05/02", code: "birth_date_format"},
		{in: "05/1980", code: "birth_date_format"},
		{in: "abcd", code: "birth_date_format"},
		{in: "80", code: "birth_date_format"},
	}
	for _, tc := range cases {
		d, y, err := ParseBirth(tc.in, testNow)
		if tc.code != "" {
			wantFieldErrors(t, "ParseBirth("+tc.in+")", err, fieldCode{"birth_date", tc.code})
			continue
		}
		if err != nil || y != tc.year || !sameDate(d, tc.date) {
			t.Errorf("ParseBirth(%q) = %v, %d, %v; want %v, %d", tc.in, d, y, err, tc.date, tc.year)
		}
	}
}

// TestParseSex accepts the stored values and the register's words, with or
// without diacritics and in any case.
func TestParseSex(t *testing.T) {
	cases := map[string]Sex{
		"": "", "  ": "", "male": SexMale, "Nam": SexMale, " NAM ": SexMale, "m": SexMale,
		"female": SexFemale, "Nữ": SexFemale, "nu": SexFemale, "NỮ": SexFemale, "F": SexFemale,
	}
	for in, want := range cases {
		if got, err := ParseSex(in); err != nil || got != want {
			t.Errorf("ParseSex(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"x", "nam nữ", "khác", "0", "males"} {
		_, err := ParseSex(in)
		wantFieldErrors(t, "ParseSex("+in+")", err, fieldCode{"sex", "sex_invalid"})
	}
}

// TestParseStaffPosition accepts the stored values and the Vietnamese
// titles; "không" and empty mean not staff.
func TestParseStaffPosition(t *testing.T) {
	cases := map[string]StaffPosition{
		"": "", "Không": "", "none": "",
		"chair": StaffChair, "Chủ tịch": StaffChair, "chu tich": StaffChair,
		"vice_chair": StaffViceChair, "Phó Chủ tịch": StaffViceChair, "phó-chủ-tịch": StaffViceChair,
		"member": StaffMember, "Ủy viên": StaffMember, "uỷ viên": StaffMember, "cán bộ": StaffMember, "hội viên": StaffMember,
	}
	for in, want := range cases {
		if got, err := ParseStaffPosition(in); err != nil || got != want {
			t.Errorf("ParseStaffPosition(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"giám đốc", "chairman", "vice chair", "x"} {
		_, err := ParseStaffPosition(in)
		wantFieldErrors(t, "ParseStaffPosition("+in+")", err, fieldCode{"staff_position", "staff_position_invalid"})
	}
}

// TestNormalizeEmail lower-cases and trims, keeps empty as "not given" and
// refuses anything that is not one bare address of at most 254 bytes.
func TestNormalizeEmail(t *testing.T) {
	long := strings.Repeat("a", 64) + "@" + strings.Repeat("b", 63) + "." + strings.Repeat("c", 63) + "." + strings.Repeat("d", 58) + ".vn"
	if len(long) != 254 {
		t.Fatalf("the longest address is %d bytes, want 254", len(long))
	}
	cases := map[string]string{
		"": "", "   ": "", "an@example.vn": "an@example.vn", " Co.Giao@Example.VN\t": "co.giao@example.vn",
		"a+tag@sub.example.vn": "a+tag@sub.example.vn", long: long,
	}
	for in, want := range cases {
		if got, err := NormalizeEmail(in); err != nil || got != want {
			t.Errorf("NormalizeEmail(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"an", "an@", "@example.vn", "an example@vn", "An <an@example.vn>", "an@example.vn, b@example.vn", long + "x", "a@@b.vn"} {
		_, err := NormalizeEmail(in)
		wantFieldErrors(t, "NormalizeEmail("+in+")", err, fieldCode{"email", "email_invalid"})
	}
}

// TestGrantRequestValidate: each role names exactly the scope it needs.
func TestGrantRequestValidate(t *testing.T) {
	cases := []struct {
		name string
		g    GrantRequest
		err  *fieldCode
	}{
		{"admin over the system", GrantRequest{Role: RoleAdmin}, nil},
		{"admin with a unit", GrantRequest{Role: RoleAdmin, UnitID: 1}, &fieldCode{"role", "admin_scope_not_allowed"}},
		{"admin with a centre", GrantRequest{Role: RoleAdmin, CentreID: 1}, &fieldCode{"role", "admin_scope_not_allowed"}},
		{"officer of a unit", GrantRequest{Role: RoleOfficer, UnitID: 1}, nil},
		{"officer without a unit", GrantRequest{Role: RoleOfficer}, &fieldCode{"unit_id", "unit_required"}},
		{"officer of a centre", GrantRequest{Role: RoleOfficer, CentreID: 1}, &fieldCode{"unit_id", "unit_required"}},
		{"officer of a unit and a centre", GrantRequest{Role: RoleOfficer, UnitID: 1, CentreID: 1}, &fieldCode{"unit_id", "unit_required"}},
		{"manager of a centre", GrantRequest{Role: RoleManager, CentreID: 1}, nil},
		{"manager without a centre", GrantRequest{Role: RoleManager}, &fieldCode{"centre_id", "centre_required"}},
		{"manager of a unit", GrantRequest{Role: RoleManager, UnitID: 1}, &fieldCode{"centre_id", "centre_required"}},
		{"manager of a centre and a unit", GrantRequest{Role: RoleManager, UnitID: 1, CentreID: 1}, &fieldCode{"centre_id", "centre_required"}},
		{"teacher of a centre", GrantRequest{Role: RoleTeacher, CentreID: 1}, nil},
		{"teacher without a centre", GrantRequest{Role: RoleTeacher}, &fieldCode{"centre_id", "centre_required"}},
		{"learner anywhere", GrantRequest{Role: RoleLearner}, nil},
		{"learner of a centre", GrantRequest{Role: RoleLearner, CentreID: 1}, nil},
		{"learner of a unit", GrantRequest{Role: RoleLearner, UnitID: 1}, &fieldCode{"unit_id", "learner_scope_not_allowed"}},
		{"unknown role", GrantRequest{Role: "root"}, &fieldCode{"role", "role_invalid"}},
		{"no role", GrantRequest{}, &fieldCode{"role", "role_invalid"}},
	}
	for _, tc := range cases {
		err := tc.g.Validate()
		if tc.err == nil {
			if err != nil {
				t.Errorf("%s: %v", tc.name, err)
			}
			continue
		}
		wantFieldErrors(t, tc.name, err, *tc.err)
	}
}

// TestRoleValid knows the five roles and nothing else.
func TestRoleValid(t *testing.T) {
	for _, r := range []Role{RoleAdmin, RoleOfficer, RoleManager, RoleTeacher, RoleLearner} {
		if !r.Valid() {
			t.Errorf("%s is not valid", r)
		}
	}
	for _, r := range []Role{"", "root", "Admin", "officers"} {
		if r.Valid() {
			t.Errorf("%q is valid", r)
		}
	}
}
