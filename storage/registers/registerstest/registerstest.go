// Package registerstest reads rendered registers back for tests: the text
// of a PDF with a real extractor (github.com/ledongthuc/pdf, which decodes
// the embedded font through its ToUnicode map) and the rows of an XLSX
// sheet with excelize.
package registerstest

import (
	"bytes"
	"strings"
	"testing"

	"github.com/ledongthuc/pdf"
	"github.com/xuri/excelize/v2"
)

// PDFText is the text of every page of a PDF, a line per row of text.
func PDFText(t testing.TB, data []byte) string {
	t.Helper()
	rd, err := pdf.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("the PDF does not open: %v", err)
	}
	var b strings.Builder
	for i := 1; i <= rd.NumPage(); i++ {
		p := rd.Page(i)
		if p.V.IsNull() {
			continue
		}
		rows, err := p.GetTextByRow()
		if err != nil {
			t.Fatalf("page %d: %v", i, err)
		}
		for _, row := range rows {
			for _, w := range row.Content {
				b.WriteString(w.S)
			}
			b.WriteString("\n")
		}
	}
	return b.String()
}

// Sheet opens a workbook, checks it has exactly the one sheet named, and
// returns its rows and whether any cell holds a formula.
func Sheet(t testing.TB, data []byte, sheet string) (rows [][]string, formulas []string) {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("excelize does not open the workbook: %v", err)
	}
	defer f.Close()
	if got := f.GetSheetList(); len(got) != 1 || got[0] != sheet {
		t.Fatalf("sheets = %q, want [%q]", got, sheet)
	}
	if rows, err = f.GetRows(sheet); err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		for j := range r {
			ref, _ := excelize.CoordinatesToCellName(j+1, i+1)
			if fm, _ := f.GetCellFormula(sheet, ref); fm != "" {
				formulas = append(formulas, ref+": "+fm)
			}
		}
	}
	return rows, formulas
}

// RowStarting is the index of the first row whose first cell is first, or -1.
func RowStarting(rows [][]string, first string) int {
	for i, r := range rows {
		if len(r) > 0 && r[0] == first {
			return i
		}
	}
	return -1
}
