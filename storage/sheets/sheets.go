// Package sheets reads spreadsheet workbooks (XLSX) with excelize, for the
// imports that accept them: the domain declares what it needs
// (units.WorkbookReader) and cmd wires this in, so that the domain does not
// build on a file-format library.
package sheets

import (
	"bytes"

	"github.com/xuri/excelize/v2"

	"densach/domain"
)

// FirstSheet reads the rows of an XLSX workbook's first sheet. A file that
// is not a readable workbook is a field error on "file" (list_unreadable).
func FirstSheet(data []byte) ([][]string, error) {
	unreadable := domain.Invalid(domain.FieldOf("file", "list_unreadable", nil))
	wb, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		return nil, unreadable
	}
	defer wb.Close()
	sheets := wb.GetSheetList()
	if len(sheets) == 0 {
		return nil, unreadable
	}
	rows, err := wb.GetRows(sheets[0])
	if err != nil {
		return nil, unreadable
	}
	return rows, nil
}
