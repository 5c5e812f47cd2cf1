package units

import (
	"strings"
	"time"

	"densach/domain"
)

// Entry is one unit of an official list: a province, a current
// commune-level unit, or a former unit with the units that succeeded it.
type Entry struct {
	Line         int
	Code         string
	Name         string
	Kind         domain.UnitKind
	ProvinceCode string
	ValidFrom    *time.Time
	ValidTo      *time.Time
	SucceededBy  []string
	// Unconfirmed marks a code the list's authors could not confirm from a
	// public source; it is imported all the same and counted.
	Unconfirmed bool
}

// The columns of the statistics office's list (danhmuchanhchinh.nso.gov.vn,
// Decision 19/2025/QĐ-TTg): "Mã", "Tên", "Cấp", "Mã TP", "Tỉnh / Thành
// Phố" (older exports: "Mã PX", "Phường Xã", "Tỉnh Thành Phố"), and the
// project's optional history columns. Headers are matched without case or
// diacritics.
var columnNames = map[string][]string{
	"code":      {"ma", "ma px", "ma xa", "ma dvhc", "ma don vi"},
	"name":      {"ten", "phuong xa", "ten don vi", "ten dvhc"},
	"level":     {"cap"},
	"prov_code": {"ma tp", "ma tinh"},
	"prov_name": {"tinh / thanh pho", "tinh thanh pho", "tinh/thanh pho", "tinh"},
	"from":      {"hieu luc tu"},
	"to":        {"hieu luc den"},
	"succ":      {"sap nhap vao"},
	"confirmed": {"ma da xac nhan"},
}

// maxListRows bounds an official list (the whole country has about 3,400
// current units and ten thousand former ones).
const maxListRows = 50000

// ParseOfficialList reads the rows of an official list (a CSV file or the
// first sheet of an XLSX file, header first). Provinces named only in the
// "Mã TP" and "Tỉnh / Thành Phố" columns are added as entries of their own.
func ParseOfficialList(rows [][]string) ([]Entry, error) {
	if len(rows) > maxListRows {
		return nil, domain.Invalid(domain.FieldOf("file", "file_too_long", domain.Params{"max": maxListRows}))
	}
	head, col := -1, map[string]int{}
	for i, r := range rows {
		col = headerColumns(r)
		if _, ok := col["code"]; ok {
			if _, ok := col["name"]; ok {
				head = i
				break
			}
		}
	}
	if head < 0 {
		return nil, domain.Invalid(domain.FieldOf("file", "header_missing", nil))
	}
	if _, ok := col["level"]; !ok {
		return nil, domain.Invalid(domain.FieldOf("file", "level_column_missing", nil))
	}
	var out []Entry
	var f domain.Fields
	seenProv := map[string]bool{}
	provNames := map[string]string{}
	for i := head + 1; i < len(rows); i++ {
		r := rows[i]
		cell := func(k string) string {
			if j, ok := col[k]; ok && j < len(r) {
				return strings.TrimSpace(r[j])
			}
			return ""
		}
		if strings.Join(r, "") == "" {
			continue
		}
		e, err := parseEntry(i+1, cell)
		if err != nil {
			if len(f) < 20 {
				f.AddErr("file", err) // a keyed error naming its row: unit_row_*
			}
			continue
		}
		if e.Kind == domain.UnitProvince {
			seenProv[e.Code] = true
		} else if e.ProvinceCode != "" && cell("prov_name") != "" {
			provNames[e.ProvinceCode] = cell("prov_name")
		}
		out = append(out, e)
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	for code, name := range provNames {
		if !seenProv[code] {
			out = append(out, Entry{Code: code, Name: stripLevel(name), Kind: domain.UnitProvince})
		}
	}
	return out, nil
}

func headerColumns(r []string) map[string]int {
	col := map[string]int{}
	for j, h := range r {
		h = domain.FoldForSearch(h)
		for k, names := range columnNames {
			for _, n := range names {
				if h == n {
					if _, dup := col[k]; !dup {
						col[k] = j
					}
				}
			}
		}
	}
	return col
}

func parseEntry(line int, cell func(string) string) (Entry, error) {
	e := Entry{Line: line, ProvinceCode: cell("prov_code")}
	kind, width, ok := levelKind(cell("level"), e.ProvinceCode != "")
	if !ok {
		return e, domain.Fail(domain.CodeInvalid, "unit_row_level_unknown", domain.Params{"row": line, "level": cell("level")})
	}
	e.Kind = kind
	e.Code = padCode(cell("code"), width)
	if e.Code == "" || len(e.Code) > 20 {
		return e, domain.Fail(domain.CodeInvalid, "unit_row_code_missing", domain.Params{"row": line})
	}
	e.ProvinceCode = padCode(e.ProvinceCode, 2)
	if kind != domain.UnitProvince && e.ProvinceCode == "" {
		return e, domain.Fail(domain.CodeInvalid, "unit_row_province_missing", domain.Params{"row": line})
	}
	if kind == domain.UnitProvince {
		e.ProvinceCode = ""
	}
	name, err := domain.NormalizeText(stripLevel(cell("name")), 200)
	if err != nil || name == "" {
		return e, domain.Fail(domain.CodeInvalid, "unit_row_name_missing", domain.Params{"row": line})
	}
	e.Name = name
	for _, d := range []struct {
		key string
		to  **time.Time
	}{{"from", &e.ValidFrom}, {"to", &e.ValidTo}} {
		if v := cell(d.key); v != "" {
			t, err := time.Parse(time.DateOnly, v)
			if err != nil {
				return e, domain.Fail(domain.CodeInvalid, "unit_row_date_invalid", domain.Params{"row": line, "value": v})
			}
			*d.to = &t
		}
	}
	for _, c := range strings.FieldsFunc(cell("succ"), func(r rune) bool { return r == ';' || r == ',' || r == ' ' }) {
		e.SucceededBy = append(e.SucceededBy, padCode(c, 5))
	}
	if len(e.SucceededBy) > 0 && e.ValidTo == nil {
		return e, domain.Fail(domain.CodeInvalid, "unit_row_end_missing", domain.Params{"row": line})
	}
	switch domain.FoldForSearch(cell("confirmed")) {
	case "khong", "no", "false":
		e.Unconfirmed = true
	}
	return e, nil
}

// levelKind maps the list's "Cấp" to a kind and the width of its code.
// "Thành phố" is a province-level city when the row names no province,
// otherwise a (former) district-level city.
func levelKind(level string, inProvince bool) (domain.UnitKind, int, bool) {
	switch domain.FoldForSearch(level) {
	case "tinh", "thanh pho trung uong":
		return domain.UnitProvince, 2, true
	case "thanh pho":
		if !inProvince {
			return domain.UnitProvince, 2, true
		}
		return domain.UnitCity, 3, true
	case "xa":
		return domain.UnitCommune, 5, true
	case "phuong":
		return domain.UnitWard, 5, true
	case "dac khu":
		return domain.UnitSpecialZone, 5, true
	case "thi tran":
		return domain.UnitTown, 5, true
	case "huyen", "quan", "thi xa":
		return domain.UnitDistrict, 3, true
	}
	return "", 0, false
}

// levelPrefixes are the words the list puts before a unit's name; the
// project keeps the kind apart and the name bare ("Tân Phong").
var levelPrefixes = []string{"Thành phố ", "Thị trấn ", "Thị xã ", "Đặc khu ", "Phường ", "Huyện ", "Quận ", "Tỉnh ", "Xã "}

func stripLevel(name string) string {
	name = strings.TrimSpace(name)
	for _, p := range levelPrefixes {
		if rest, ok := strings.CutPrefix(name, p); ok && rest != "" {
			return rest
		}
	}
	return name
}

// padCode restores the leading zeros a spreadsheet drops from numeric codes.
func padCode(code string, width int) string {
	code = strings.TrimSpace(code)
	code = strings.TrimSuffix(code, ".0")
	for _, r := range code {
		if r < '0' || r > '9' {
			return code
		}
	}
	if code != "" && len(code) < width {
		code = strings.Repeat("0", width-len(code)) + code
	}
	return code
}
