package domain

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"
)

// rowErrs indexes row errors by "line/field/code".
func rowErrs(errs []RowError) map[string]bool {
	m := map[string]bool{}
	for _, e := range errs {
		m[fmt.Sprintf("%02d/%s/%s", e.Row, e.Field, e.Code)] = true
	}
	return m
}

func TestParsePeopleCSV(t *testing.T) {
	file := "\xEF\xBB\xBFSTT;Họ và tên;Ngày sinh;Giới tính;Mã xã;Thôn;CCCD;Số điện thoại;E-mail;Chức vụ hội\r\n" +
		"1;Nguyễn Thị Ánh;05/09/1980;Nữ;12001;Bản Nậm;012180012345;+84 912 345 678;Anh@Example.vn;Chủ tịch\r\n" +
		"2;\"Lò Văn Tài\";1975;nam;12001;\"Tổ 3; Nà Khum\";;0381234567;;\r\n" +
		"\r\n" +
		"3;Lò Văn Hai;;;12002;;;0212345678;;\r\n" +
		"4;;;;12001;;;;;\r\n" +
		"5;Lò Văn Năm;31/02/1990;;12001;;;;;\r\n" +
		"6;Lò Văn Sáu;;;12001;;0121;;;\r\n" +
		"7;Lò Văn Bảy;;;;;;;;\r\n" +
		"8;Lò Thị Tám;;;12001;;;0912 345 678;;\r\n" +
		"9;Lò Văn Chín;;;12001;;;;;giám đốc\r\n" +
		"10;Lò Văn Mười;;;12001;;;;;\r\n" +
		"11;lò văn  mười;;;12001;;;;;\r\n"
	f, err := ParsePeopleCSV([]byte(file), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if !f.CommuneColumn || len(f.Warnings) != 1 || f.Warnings[0].Code != "csv_unknown_column" || f.Warnings[0].Params["column"] != "STT" ||
		!strings.Contains(f.Warnings[0].Message, "STT") {
		t.Fatalf("warnings %+v, want one naming STT", f.Warnings)
	}
	f.PlaceRows(nil)
	if f.TotalRows != 11 {
		t.Fatalf("total rows %d, want 11", f.TotalRows)
	}
	got := rowErrs(f.Errors)
	for _, want := range []string{"05/phone/phone_prefix", "06/full_name/name_required", "07/birth_date/birth_date_nonexistent",
		"08/cccd/cccd_length", "09/commune_code/commune_required", "10/phone/duplicate_in_file", "11/staff_position/staff_position_invalid",
		"13/full_name/duplicate_in_file"} {
		if !got[want] {
			t.Errorf("missing row error %s in %v", want, f.Errors)
		}
	}
	if len(f.Errors) != 8 {
		t.Errorf("%d row errors, want 8: %v", len(f.Errors), f.Errors)
	}
	if FailedRows(f.Errors) != 8 || len(f.Rows) != 3 {
		t.Fatalf("failed %d, valid %d", FailedRows(f.Errors), len(f.Rows))
	}
	r := f.Rows[0]
	if r.Line != 2 || r.CommuneCode != "12001" || r.Person.FullName != "Nguyễn Thị Ánh" || r.Person.Phone != "0912345678" ||
		r.Person.Email != "anh@example.vn" || r.Person.StaffPosition != StaffChair || r.Person.BirthDate.Format("2006-01-02") != "1980-09-05" ||
		r.Person.Sex != SexFemale || r.Person.Village != "Bản Nậm" {
		t.Fatalf("row 1 parsed as %+v", r)
	}
	if *r.Changes.Phone != "0912345678" || r.Changes.Ethnicity != nil {
		t.Fatal("changes must hold normalised given cells only")
	}
	r = f.Rows[1]
	if r.Line != 3 || r.Person.FullName != "Lò Văn Tài" || r.Person.Village != "Tổ 3; Nà Khum" || r.Person.BirthYear != 1975 || r.Person.BirthDate != nil || r.Changes.CCCD != nil {
		t.Fatalf("row 2 parsed as %+v", r)
	}
}

func TestParsePeopleCSVFileErrors(t *testing.T) {
	for name, data := range map[string][]byte{
		"utf-16":         append([]byte{0xFF, 0xFE}, []byte("h\x00o\x00")...),
		"windows-1258":   []byte("ho_ten,ma_xa\nNguy\xean V\xe3n A,12001\n"),
		"empty":          nil,
		"no name column": []byte("ma_xa,cccd\n12001,\n"),
		"duplicate col":  []byte("ho_ten,full_name,ma_xa\n"),
	} {
		if _, err := ParsePeopleCSV(data, time.Now()); ErrorCode(err) != CodeInvalid || AsError(err).Message == "" {
			t.Errorf("%s: %v, want an invalid error with a message", name, err)
		}
	}
	// English headers, commas, LF, and a header only.
	f, err := ParsePeopleCSV([]byte("full_name,commune_code,phone,birth_year\nLo Van A,12001,0912345678,1990\n"), time.Now())
	if err != nil || len(f.Rows) != 1 || f.Rows[0].Person.BirthYear != 1990 || f.Rows[0].Person.FullName != "Lo Van A" {
		t.Fatalf("english file: %+v %v", f, err)
	}
	f, err = ParsePeopleCSV([]byte("full_name,commune_code\n"), time.Now())
	if err != nil || f.TotalRows != 0 {
		t.Fatalf("header only: %+v %v", f, err)
	}
}

func TestImportWithoutCommuneColumn(t *testing.T) {
	data := []byte("Họ và tên;Bản/Tổ dân phố;Ghi chú;;Số điện thoại\nLò Văn A;Bản Nậm Tăm;x;;0912345678\nLò Văn B;Tổ 2;;;\n")
	area := Area{CommuneID: 7, ProvinceID: 1}
	cases := []struct {
		name    string
		commune *Area
		rows    int
		errs    []string
	}{
		{name: "a commune chosen", commune: &area, rows: 2},
		{name: "none chosen", rows: 0, errs: []string{"02/commune_code/commune_required", "03/commune_code/commune_required"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f, err := ParsePeopleCSV(data, time.Now())
			if err != nil {
				t.Fatal(err)
			}
			if f.CommuneColumn || len(f.Warnings) != 1 || f.Warnings[0].Params["column"] != "Ghi chú" {
				t.Fatalf("column %v, warnings %+v: want no commune column and one warning for Ghi chú", f.CommuneColumn, f.Warnings)
			}
			f.PlaceRows(tc.commune)
			if len(f.Rows) != tc.rows || len(f.Errors) != len(tc.errs) || f.Commune != tc.commune {
				t.Fatalf("rows %d errors %v, want %d rows and %v", len(f.Rows), f.Errors, tc.rows, tc.errs)
			}
			got := rowErrs(f.Errors)
			for _, want := range tc.errs {
				if !got[want] {
					t.Errorf("missing %s in %v", want, f.Errors)
				}
			}
			if tc.rows > 0 && (f.Rows[0].Person.Village != "Bản Nậm Tăm" || f.Rows[1].Person.Village != "Tổ 2" || f.Rows[0].CommuneCode != "") {
				t.Fatalf("rows %+v: the village column must be read", f.Rows)
			}
		})
	}
}

func TestImportCommuneCode(t *testing.T) {
	f, err := ParsePeopleCSV([]byte("ho_ten,ma_xa\nLò Văn A,4\nLò Văn B, 00004 \nLò Văn C,12001\nLò Văn D,P-1\nLò Văn E,"+strings.Repeat("9", 30)+"\n"), time.Now())
	if err != nil || len(f.Rows) != 4 || len(f.Errors) != 1 || f.Errors[0].Code != "commune_code_invalid" {
		t.Fatal(f, err)
	}
	for i, want := range []string{"00004", "00004", "12001", "P-1"} {
		if f.Rows[i].CommuneCode != want {
			t.Errorf("row %d code %q, want %q", i, f.Rows[i].CommuneCode, want)
		}
	}
}

func TestImportRowChangesFor(t *testing.T) {
	f, err := ParsePeopleCSV([]byte("ho_ten,ma_xa,nam_sinh\nLò Văn A,1,1980\n"), time.Now())
	if err != nil || len(f.Rows) != 1 {
		t.Fatal(f, err)
	}
	d, _, _ := ParseBirth("05/09/1980", time.Now())
	existing := Person{FullName: "Lò Văn A", CommuneID: 1, BirthDate: d, BirthYear: 1980}
	c := f.Rows[0].ChangesFor(existing)
	c.CommuneID = &existing.CommuneID
	changed, err := c.Apply(&existing, time.Now())
	if err != nil || len(changed) != 0 || existing.BirthDate == nil {
		t.Fatalf("a bare year erased the birth date: %v %v", changed, err)
	}
}

// FuzzParsePeopleCSV checks that no file makes the parser panic, and that
// every row number it reports is a line of the file.
func FuzzParsePeopleCSV(f *testing.F) {
	f.Add([]byte("ho_ten;ma_xa;so_dien_thoai\r\nLò Văn A;12001;0912345678\r\n"))
	f.Add([]byte("\xEF\xBB\xBFfull_name,commune_code,cccd,birth_date\n\"Nguyễn \"\"Ánh\"\"\",1,012180012345,05/09/1980\n\n,,,\n"))
	f.Add([]byte("ho_ten,ma_xa\n\"unterminated,1\nLò Văn B,2\n"))
	f.Add([]byte("ho_ten,ma_xa,email\nA,1,a@b.vn\nB,1,a@b.vn\nA,1,\n"))
	f.Add([]byte("ho_ten,ma_xa,thon\nA\x00,1,x\nB,1\x00,\x00\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := ParsePeopleCSV(data, time.Now())
		if err != nil {
			if ErrorCode(err) != CodeInvalid || AsError(err).Message == "" {
				t.Fatalf("file error %v", err)
			}
			return
		}
		lines := bytes.Count(data, []byte("\n")) + 1
		// Rows without a commune code wait for the commune chosen for the
		// import; with none chosen they become commune_required errors.
		file.PlaceRows(nil)
		for _, r := range file.Rows {
			if r.Line < 2 || r.Line > lines {
				t.Fatalf("row line %d outside 2..%d", r.Line, lines)
			}
			if r.Person.FullName == "" || r.CommuneCode == "" {
				t.Fatalf("valid row without name or commune: %+v", r)
			}
			for _, v := range []string{r.CommuneCode, r.Person.FullName, r.Person.Ethnicity, r.Person.Village, r.Person.CCCD, r.Person.Phone, r.Person.Email} {
				if !ValidText(v) {
					t.Fatalf("valid row holds bytes PostgreSQL refuses: %q in %+v", v, r)
				}
			}
		}
		for _, e := range file.Errors {
			if e.Row < 1 || e.Row > lines || e.Message == "" {
				t.Fatalf("row error %+v outside 1..%d", e, lines)
			}
		}
		if len(file.Rows)+FailedRows(file.Errors) > file.TotalRows {
			t.Fatalf("%d valid + %d failed > %d rows", len(file.Rows), FailedRows(file.Errors), file.TotalRows)
		}
	})
}

// TestParseTemplate reads the web app's template (frontend/src/lib/csv.ts,
// TEMPLATE_CSV): BOM, semicolons, Vietnamese headings, the example row.
func TestParseTemplate(t *testing.T) {
	tpl := "\ufeffHọ và tên;Ngày sinh;Giới tính;Dân tộc;Mã xã;Bản/Tổ dân phố;Số CCCD;Số điện thoại;Email;Chức vụ hội\r\n" +
		"Nguyễn Thị Ánh;05/09/1980;Nữ;Kinh;12001;Tổ 3;012180012345;0912345678;anh@example.vn;\r\n"
	f, err := ParsePeopleCSV([]byte(tpl), time.Now())
	if err != nil || len(f.Rows) != 1 || len(f.Warnings) != 0 || len(f.Errors) != 0 || !f.CommuneColumn {
		t.Fatalf("template: %+v %v", f, err)
	}
	if p := f.Rows[0].Person; p.Village != "Tổ 3" || p.CCCD != "012180012345" || p.Sex != SexFemale || p.Ethnicity != "Kinh" {
		t.Fatalf("template row parsed as %+v", p)
	}
}

// TestImportReadsNeutralisedCells: a row downloaded from an import's errors
// (cells a spreadsheet could run as formulas prefixed with an apostrophe)
// imports as it was first written; an apostrophe elsewhere is kept.
func TestImportReadsNeutralisedCells(t *testing.T) {
	data := []byte("Họ và tên;Số điện thoại;Bản/Tổ dân phố\nLò Văn A;'+84912345678;'Bản Nà\n")
	f, err := ParsePeopleCSV(data, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	f.PlaceRows(&Area{CommuneID: 7, ProvinceID: 1})
	if len(f.Rows) != 1 || len(f.Errors) != 0 {
		t.Fatalf("rows %+v errors %v: want one valid row", f.Rows, f.Errors)
	}
	p := f.Rows[0].Person
	if p.Phone != "0912345678" || p.Village != "'Bản Nà" {
		t.Fatalf("phone %v village %q: want 0912345678 (the apostrophe before + undone) and the village as written", p.Phone, p.Village)
	}
}

func TestUnneutralised(t *testing.T) {
	for in, want := range map[string]string{"'=1+1": "=1+1", "'+84": "+84", "'-x": "-x", "'@a": "@a", "'a": "'a", "=x": "=x", "": "", "'": "'"} {
		if got := unneutralised(in); got != want {
			t.Errorf("unneutralised(%q) = %q, want %q", in, got, want)
		}
	}
}
