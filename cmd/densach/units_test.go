package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"densach/domain/units"
	"densach/storage/postgres"
	"densach/storage/postgres/pgtest"
	"densach/storage/sheets"
)

// TestFirstAdminThenUnits starts a real deployment on an empty, migrated
// database: the first administrator needs no commune; then the official
// list is imported, in the statistics office's layout, as CSV and as XLSX,
// each twice: the second run of each changes nothing and says so.
func TestFirstAdminThenUnits(t *testing.T) {
	db, err := postgres.Open(pgtest.NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()

	var out bytes.Buffer
	if err := runUserCreate(ctx, db, []string{"--login", "quantri@example.vn", "--role", "admin"}, strings.NewReader("mật khẩu dài\n"), &out); err != nil {
		t.Fatalf("first administrator on an empty database: %v", err)
	}
	if n := userCount(t, db, `SELECT count(*) FROM people p JOIN role_grants g ON g.person_id = p.id WHERE p.commune_id IS NULL AND g.role = 'admin'`); n != 1 {
		t.Fatalf("%d administrators without commune, want 1", n)
	}
	// Anyone else still needs a commune.
	if err := runUserCreate(ctx, db, []string{"--login", "0912000009", "--role", "learner"}, strings.NewReader("mật khẩu dài\n"), &out); err == nil {
		t.Fatal("a learner was created with no commune")
	}

	dir := t.TempDir()
	csvPath := filepath.Join(dir, "lai_chau.csv")
	raw, err := builtinLists.ReadFile(builtinLaiChau)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(csvPath, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	xlsxPath := filepath.Join(dir, "lai_chau.xlsx")
	writeXLSX(t, raw, xlsxPath)

	run := func(path string) string {
		t.Helper()
		var out bytes.Buffer
		if err := runUnitsImport(ctx, db, []string{path}, &out); err != nil {
			t.Fatalf("import %s: %v", filepath.Base(path), err)
		}
		return out.String()
	}
	units := func() int { return userCount(t, db, `SELECT count(*) FROM units`) }
	links := func() int { return userCount(t, db, `SELECT count(*) FROM unit_successions`) }

	first := run(csvPath)
	if !strings.Contains(first, "144 created") || !strings.Contains(first, "106 successions linked") {
		t.Fatalf("first CSV import: %q", first)
	}
	nUnits, nLinks := units(), links()
	for _, tc := range []struct{ name, path string }{{"CSV again", csvPath}, {"XLSX", xlsxPath}, {"XLSX again", xlsxPath}} {
		got := run(tc.path)
		if !strings.Contains(got, "nothing changed") || units() != nUnits || links() != nLinks {
			t.Fatalf("%s: %q (units %d→%d, successions %d→%d)", tc.name, got, nUnits, units(), nLinks, links())
		}
	}

	// What the list says holds: 38 current units in province 12 (36
	// communes, 2 wards), Tân Phong succeeding five former units.
	if n := userCount(t, db, `SELECT count(*) FROM units u JOIN units p ON p.id = u.parent_id
		WHERE p.code = '12' AND u.valid_to IS NULL AND u.kind = 'commune'`); n != 36 {
		t.Errorf("%d current communes, want 36", n)
	}
	if n := userCount(t, db, `SELECT count(*) FROM units WHERE valid_to IS NULL AND kind = 'ward'`); n != 2 {
		t.Errorf("%d current wards, want 2", n)
	}
	if n := userCount(t, db, `SELECT count(*) FROM unit_successions s JOIN units u ON u.id = s.successor_id
		WHERE u.code = '03408' AND u.valid_to IS NULL`); n != 6 {
		t.Errorf("Tân Phong succeeds %d units, want 6 (five communes and the former city)", n)
	}

	// A new XLSX exported from the office's site without the history columns
	// and with codes as numbers adds only what is new.
	extra := filepath.Join(dir, "extra.xlsx")
	wb := excelize.NewFile()
	for i, r := range [][]any{
		{"Mã", "Tên", "Tên Tiếng Anh", "Cấp", "Mã TP", "Tỉnh / Thành Phố"},
		{3408, "Phường Tân Phong", "Tan Phong Ward", "Phường", 12, "Tỉnh Lai Châu"},
		{3157, "Phường Điện Biên Phủ", "", "Phường", 11, "Tỉnh Điện Biên"},
	} {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := wb.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	if err := wb.SaveAs(extra); err != nil {
		t.Fatal(err)
	}
	if got := run(extra); !strings.Contains(got, "2 created") || !strings.Contains(got, "2 already there") {
		t.Fatalf("import of a bare office export: %q", got)
	}
	if n := userCount(t, db, `SELECT count(*) FROM units WHERE code = '03157' AND kind = 'ward' AND valid_to IS NULL`); n != 1 {
		t.Fatal("the new ward with its zero-padded code is missing")
	}
}

// writeXLSX writes a CSV list as the first sheet of a workbook, as a
// spreadsheet saves the statistics office's export.
func writeXLSX(t *testing.T, csvData []byte, path string) {
	t.Helper()
	rows, err := units.ReadListFile(csvData, sheets.FirstSheet)
	if err != nil {
		t.Fatal(err)
	}
	wb := excelize.NewFile()
	for i, r := range rows {
		vals := make([]any, len(r))
		for j, v := range r {
			vals[j] = v
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := wb.SetSheetRow("Sheet1", cell, &vals); err != nil {
			t.Fatal(err)
		}
	}
	if err := wb.SaveAs(path); err != nil {
		t.Fatal(err)
	}
}
