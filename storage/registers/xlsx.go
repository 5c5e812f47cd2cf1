package registers

import (
	"fmt"

	"github.com/xuri/excelize/v2"

	"densach/domain/attendance"
)

// Sheet names of the workbooks.
const (
	SheetBlank  = "Điểm danh"
	SheetRecord = "Sổ điểm danh"
)

type book struct {
	f   *excelize.File
	sh  string
	err error
	row int
	// styles
	bold, head, grid, gridC, pct int
}

// set writes a text cell, formula-safe.
func (b *book) set(col, row int, v string) {
	if b.err != nil {
		return
	}
	ref, err := excelize.CoordinatesToCellName(col, row)
	if err == nil {
		err = b.f.SetCellStr(b.sh, ref, Safe(v))
	}
	b.err = err
}

func (b *book) style(col1, row1, col2, row2, style int) {
	if b.err != nil {
		return
	}
	from, _ := excelize.CoordinatesToCellName(col1, row1)
	to, _ := excelize.CoordinatesToCellName(col2, row2)
	b.err = b.f.SetCellStyle(b.sh, from, to, style)
}

func (b *book) merge(col1, row1, col2, row2 int) {
	if b.err != nil || col2 <= col1 {
		return
	}
	from, _ := excelize.CoordinatesToCellName(col1, row1)
	to, _ := excelize.CoordinatesToCellName(col2, row2)
	b.err = b.f.MergeCell(b.sh, from, to)
}

func newBook(sheet string) (*book, error) {
	f := excelize.NewFile()
	b := &book{f: f, sh: sheet}
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return nil, err
	}
	border := []excelize.Border{{Type: "left", Color: "000000", Style: 1}, {Type: "right", Color: "000000", Style: 1},
		{Type: "top", Color: "000000", Style: 1}, {Type: "bottom", Color: "000000", Style: 1}}
	var err error
	for _, s := range []struct {
		to *int
		st *excelize.Style
	}{
		{&b.bold, &excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{Horizontal: "center"}}},
		{&b.head, &excelize.Style{Font: &excelize.Font{Bold: true}, Border: border, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"EBEBEB"}},
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}}},
		{&b.grid, &excelize.Style{Border: border, Alignment: &excelize.Alignment{Vertical: "center"}}},
		{&b.gridC, &excelize.Style{Border: border, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}}},
		{&b.pct, &excelize.Style{Border: border, NumFmt: 9, Alignment: &excelize.Alignment{Horizontal: "center"}}},
	} {
		if *s.to, err = f.NewStyle(s.st); err != nil {
			return nil, err
		}
	}
	return b, nil
}

// heading writes the administrative heading, the title and the facts over
// width columns; it leaves b.row on the first free row.
func (b *book) heading(r attendance.Register, width int) {
	left := max(2, width/2-1)
	b.set(1, 1, authority(r.Heading))
	b.set(1, 2, upper(r.Heading.CentreName))
	b.set(left+1, 1, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
	b.set(left+1, 2, "Độc lập - Tự do - Hạnh phúc")
	for row := 1; row <= 2; row++ {
		b.merge(1, row, left, row)
		b.merge(left+1, row, width, row)
	}
	b.style(1, 1, width, 2, b.bold)
	b.set(1, 4, title(r))
	b.merge(1, 4, width, 4)
	b.style(1, 4, width, 4, b.bold)
	b.row = 6
	for _, f := range facts(r) {
		b.set(1, b.row, f[0]+":")
		b.set(2, b.row, f[1])
		b.row++
	}
	b.row++
}

// printSetup prints the sheet on A4 (landscape for the record), as wide as
// one page, with the table's heading row repeated on every page.
func (b *book) printSetup(landscape bool, headRow int) {
	if b.err != nil {
		return
	}
	size, orient, wide, tall, fit := 9, "portrait", 1, 0, true
	if landscape {
		orient = "landscape"
	}
	b.err = b.f.SetPageLayout(b.sh, &excelize.PageLayoutOptions{Size: &size, Orientation: &orient, FitToWidth: &wide, FitToHeight: &tall})
	if b.err == nil {
		b.err = b.f.SetSheetProps(b.sh, &excelize.SheetPropsOptions{FitToPage: &fit})
	}
	if b.err == nil && headRow > 0 {
		b.err = b.f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", Scope: b.sh,
			RefersTo: fmt.Sprintf("'%s'!$%d:$%d", b.sh, headRow, headRow)})
	}
}

func (b *book) bytes() ([]byte, error) {
	if b.err != nil {
		return nil, b.err
	}
	buf, err := b.f.WriteToBuffer()
	if err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// XLSX implements attendance.RegisterRenderer: one sheet, the heading on
// top, then the table (STT, name, …) with a row per learner in Vietnamese
// order.
func (Renderer) XLSX(r attendance.Register) ([]byte, error) {
	sheet := SheetRecord
	if r.Blank() {
		sheet = SheetBlank
	}
	b, err := newBook(sheet)
	if err != nil {
		return nil, fmt.Errorf("registers.XLSX: %w", err)
	}
	defer b.f.Close()
	if r.Blank() {
		b.blank(r)
	} else {
		b.record(r)
	}
	out, err := b.bytes()
	if err != nil {
		return nil, fmt.Errorf("registers.XLSX: %w", err)
	}
	return out, nil
}

func (b *book) widths(ws ...float64) {
	for i, w := range ws {
		if b.err == nil {
			name, _ := excelize.ColumnNumberToName(i + 1)
			b.err = b.f.SetColWidth(b.sh, name, name, w)
		}
	}
}

func (b *book) blank(r attendance.Register) {
	heads := []string{"STT", "Họ và tên học viên", "Có mặt", "Ghi chú", "Chữ ký học viên"}
	b.widths(6, 34, 10, 24, 24)
	b.heading(r, len(heads))
	top := b.row
	for i, h := range heads {
		b.set(i+1, b.row, h)
	}
	b.style(1, b.row, len(heads), b.row, b.head)
	b.printSetup(false, top)
	for i, l := range r.Learners {
		b.row++
		b.set(1, b.row, fmt.Sprint(i+1))
		b.set(2, b.row, l.Name)
		if b.err == nil {
			b.err = b.f.SetRowHeight(b.sh, b.row, 24)
		}
	}
	if b.row > top {
		b.style(1, top+1, len(heads), b.row, b.grid)
		b.style(1, top+1, 1, b.row, b.gridC)
	}
	b.row += 2
	b.set(1, b.row, fmt.Sprintf("Tổng số học viên: %d", len(r.Learners)))
	b.signatures(r, len(heads))
}

func (b *book) record(r attendance.Register) {
	n := len(r.Sessions)
	width := 2 + n + 2
	ws := []float64{6, 32}
	for range n {
		ws = append(ws, 7)
	}
	b.widths(append(ws, 9, 14)...)
	b.heading(r, width)
	top := b.row
	b.set(1, b.row, "STT")
	b.set(2, b.row, "Họ và tên học viên")
	for j, s := range r.Sessions {
		b.set(3+j, b.row, sessionHead(s))
	}
	b.set(3+n, b.row, "Tỉ lệ")
	b.set(4+n, b.row, "Ghi chú")
	b.style(1, b.row, width, b.row, b.head)
	b.printSetup(true, top)
	for i, l := range r.Learners {
		b.row++
		b.set(1, b.row, fmt.Sprint(i+1))
		b.set(2, b.row, l.Name)
		for j, s := range r.Sessions {
			b.set(3+j, b.row, cell(l, s))
		}
		if l.Rate.Rate != nil && b.err == nil {
			ref, _ := excelize.CoordinatesToCellName(3+n, b.row)
			b.err = b.f.SetCellFloat(b.sh, ref, *l.Rate.Rate, 4, 64)
		}
		b.set(4+n, b.row, riskText[l.Rate.AtRisk])
	}
	if b.row > top {
		b.style(1, top+1, width, b.row, b.gridC)
		b.style(2, top+1, 2, b.row, b.grid)
		b.style(3+n, top+1, 3+n, b.row, b.pct)
	}
	b.row += 2
	b.set(1, b.row, legend)
	b.row++
	w := r.Weights
	b.set(1, b.row, fmt.Sprintf("Tỉ lệ tính trên các buổi đã diễn ra, không tính buổi đã huỷ; trọng số: có mặt %g, đến muộn %g, có phép %g, không phép %g.",
		w.Present, w.Late, w.Excused, w.Absent))
	b.signatures(r, width)
}

func (b *book) signatures(r attendance.Register, width int) {
	half := max(2, width/2)
	b.row += 2
	b.set(half+1, b.row, fmt.Sprintf("%s, ngày …… tháng …… năm 20……", place(r.Heading)))
	b.row++
	b.set(1, b.row, "GIÁO VIÊN")
	b.set(half+1, b.row, "XÁC NHẬN CỦA TRUNG TÂM")
	b.style(1, b.row, width, b.row, b.bold)
	b.row++
	b.set(1, b.row, "(Ký, ghi rõ họ tên)")
	b.set(half+1, b.row, "(Ký, ghi rõ họ tên)")
	for _, row := range []int{b.row - 1, b.row} {
		b.merge(1, row, half, row)
		b.merge(half+1, row, width, row)
	}
	b.style(1, b.row, width, b.row, b.bold)
	if t := teachers(r); t != "" {
		b.row += 4
		b.set(1, b.row, t)
		b.merge(1, b.row, half, b.row)
		b.style(1, b.row, half, b.row, b.bold)
	}
}
