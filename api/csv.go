package api

import (
	"bytes"
	"encoding/csv"
	"strings"
)

// csvBOM makes Excel on Vietnamese Windows read a file as UTF-8; with the
// semicolon separator it opens in columns (as the people import template).
const csvBOM = "\ufeff"

// csvSafe neutralises a cell a spreadsheet would run as a formula: one
// starting with = + - @, a tab or a carriage return gets a leading
// apostrophe, which spreadsheets show as text.
func csvSafe(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}

// csvFile writes rows as a spreadsheet-friendly CSV: BOM, semicolons, CRLF,
// quoted where needed, every cell formula-safe.
func csvFile(rows [][]string) []byte {
	var b bytes.Buffer
	b.WriteString(csvBOM)
	w := csv.NewWriter(&b)
	w.Comma, w.UseCRLF = ';', true
	for _, r := range rows {
		safe := make([]string, len(r))
		for i, v := range r {
			safe[i] = csvSafe(v)
		}
		_ = w.Write(safe) // writes to a buffer: no error
	}
	w.Flush()
	return b.Bytes()
}
