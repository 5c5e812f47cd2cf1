package units

import (
	"bytes"
	"context"
	"encoding/csv"

	"densach/domain"
)

// WorkbookReader reads the rows of an XLSX workbook's first sheet (a file
// it cannot read is a field error on "file"). cmd wires storage/sheets in;
// nil refuses workbooks.
type WorkbookReader func(data []byte) ([][]string, error)

// MaxListBytes bounds an official list sent as one file (the whole country's
// list is about 2 MB as CSV).
const MaxListBytes = 10 << 20

// ReadListFile reads the rows of an official list file: the first sheet of an
// XLSX workbook (recognised by its ZIP signature) through workbook,
// otherwise CSV in UTF-8 (BOM allowed), comma or semicolon separated. A file
// it cannot read is a field error on "file", and so is a cell with bytes
// that cannot be stored as text (NUL, invalid UTF-8).
func ReadListFile(data []byte, workbook WorkbookReader) ([][]string, error) {
	read := readCSV
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		read = workbook
		if read == nil {
			read = func([]byte) ([][]string, error) {
				return nil, domain.Invalid(domain.FieldOf("file", "list_unreadable", nil))
			}
		}
	}
	rows, err := read(data)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		for _, c := range r {
			if !domain.ValidText(c) {
				return nil, domain.Invalid(domain.InvalidBytes("file"))
			}
		}
	}
	return rows, nil
}

func readCSV(raw []byte) ([][]string, error) {
	raw = bytes.TrimPrefix(raw, []byte("\xef\xbb\xbf"))
	cr := csv.NewReader(bytes.NewReader(raw))
	first, _, _ := bytes.Cut(raw, []byte("\n"))
	if bytes.Count(first, []byte(";")) > bytes.Count(first, []byte(",")) {
		cr.Comma = ';'
	}
	cr.FieldsPerRecord = -1
	rows, err := cr.ReadAll()
	if err != nil {
		return nil, domain.Invalid(domain.FieldOf("file", "list_unreadable", nil))
	}
	return rows, nil
}

// ImportFile reads, checks and imports an official list file as the caller
// (administrators only). With dryRun it writes nothing and says what an
// import would do, so that a screen can show a preview before applying.
func (s *Service) ImportFile(ctx context.Context, pr domain.Principal, data []byte, dryRun bool) (ImportResult, error) {
	if err := s.CanImport(pr); err != nil {
		return ImportResult{}, err
	}
	if len(data) > MaxListBytes {
		return ImportResult{}, domain.Fail(domain.CodeTooLarge, "import_too_large", domain.Params{"max_mb": MaxListBytes >> 20})
	}
	rows, err := ReadListFile(data, s.Workbook)
	if err != nil {
		return ImportResult{}, err
	}
	entries, err := ParseOfficialList(rows)
	if err != nil {
		return ImportResult{}, err
	}
	if dryRun {
		return s.Preview(ctx, pr, entries)
	}
	return s.Import(ctx, pr, entries)
}

// CanImport says whether the caller may import an official list: only
// administrators (and the system). The API asks before reading the file.
func (s *Service) CanImport(pr domain.Principal) error {
	if !pr.IsAdmin() {
		return forbidden()
	}
	return nil
}
