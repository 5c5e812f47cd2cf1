package main

import (
	"context"
	"embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"densach/domain"
	"densach/domain/units"
	"densach/storage/postgres"
	"densach/storage/sheets"
)

// builtinLists are the official lists shipped with the project: Lai Châu's
// province, its 38 commune-level units since 1 July 2025 and the 104 former
// units (and the former city) that merged into them, in the statistics
// office's layout with the project's history columns. The column "Mã đã xác
// nhận" says which codes a public source confirms; "Nguồn" names it.
//
//go:embed data/*.csv
var builtinLists embed.FS

// builtinLaiChau is the path of Lai Châu's list inside builtinLists.
const builtinLaiChau = "data/lai_chau.csv"

// maxListFile bounds the size of a list file read into memory.
const maxListFile = 64 << 20

// runUnitsImport implements `densach units import FILE|--builtin`: it loads
// an official list of administrative units (CSV or XLSX) through the units
// use case as the system, and says what changed. Running it again on the
// same list changes nothing.
func runUnitsImport(ctx context.Context, db *postgres.DB, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("densach units import", flag.ContinueOnError)
	fs.SetOutput(out)
	builtin := fs.Bool("builtin", false, "import the list shipped with the project (Lai Châu) instead of a file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var rows [][]string
	var err error
	switch {
	case *builtin && fs.NArg() == 0:
		rows, err = builtinRows()
	case !*builtin && fs.NArg() == 1:
		rows, err = readListFile(fs.Arg(0))
	default:
		return errors.New("usage: densach units import FILE.csv|FILE.xlsx, or densach units import --builtin")
	}
	if err != nil {
		return err
	}
	svc := &units.Service{Units: postgres.NewUnits(db), Workbook: sheets.FirstSheet}
	res, err := importRows(ctx, svc, rows)
	if err != nil {
		return err
	}
	printImport(out, res)
	return nil
}

// importRows parses an official list and imports it as the system.
func importRows(ctx context.Context, svc *units.Service, rows [][]string) (units.ImportResult, error) {
	entries, err := units.ParseOfficialList(rows)
	if err != nil {
		return units.ImportResult{}, errors.New(userErrText(err))
	}
	res, err := svc.Import(ctx, domain.System(), entries)
	if err != nil {
		return res, errors.New(userErrText(err))
	}
	return res, nil
}

func printImport(out io.Writer, res units.ImportResult) {
	if res.Changed() {
		fmt.Fprintf(out, "units: %d created, %d successions linked, %d already there\n", res.Created, res.Linked, res.Unchanged)
	} else {
		fmt.Fprintf(out, "units: nothing changed, all %d units and their successions are already there\n", res.Unchanged)
	}
	if res.Unconfirmed > 0 {
		fmt.Fprintf(out, "units: %d codes in the list are marked as not confirmed by a public source\n", res.Unconfirmed)
	}
	for _, c := range res.Conflicts {
		fmt.Fprintln(out, "units: left as is:", c)
	}
}

func builtinRows() ([][]string, error) {
	raw, err := builtinLists.ReadFile(builtinLaiChau)
	if err != nil {
		return nil, err
	}
	return units.ReadListFile(raw, sheets.FirstSheet)
}

// readListFile reads a list file, CSV (UTF-8, comma or semicolon separated)
// or the first sheet of an XLSX workbook, through the reader the API uses.
func readListFile(path string) ([][]string, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".csv", ".xlsx":
	default:
		return nil, fmt.Errorf("%s: the list must be a .csv or .xlsx file", path)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	raw, err := io.ReadAll(io.LimitReader(f, maxListFile))
	if err != nil {
		return nil, err
	}
	rows, err := units.ReadListFile(raw, sheets.FirstSheet)
	if err != nil {
		return nil, fmt.Errorf("%s: %s", path, userErrText(err))
	}
	return rows, nil
}
