package attendance_test

import (
	"context"
	"strings"
	"testing"

	"densach/domain/attendance"
	"densach/storage/registers"
	"densach/storage/registers/registerstest"
)

// The learners of the register tests, as they were enrolled, and in the
// Vietnamese order (given name first: Ánh, Bích, Dũng, Đức, Sử, Ửng — Đ
// after D, Ư after U) the registers must print them.
var (
	enrolledNames = []string{"Nguyễn Văn Đức", "Đặng Thị Ngọc Ửng", "Lò Thị Ánh", "Vàng A Sử", "Hà Văn Dũng", "Trần Thị Bích"}
	orderedNames  = []string{"Lò Thị Ánh", "Trần Thị Bích", "Hà Văn Dũng", "Nguyễn Văn Đức", "Vàng A Sử", "Đặng Thị Ngọc Ửng"}
)

// registerClass is a class of centre A1 with sessions on 2, 5, 9 (cancelled),
// 19 and 25 March, the learners enrolled and the first two and the 19th
// marked by the class's teacher.
func registerClass(t *testing.T, w *world) *class {
	t.Helper()
	ctx := context.Background()
	c := w.class(w.CentreA1, []int{2, 5, 9, 19, 25}, enrolledNames...)
	if _, err := w.classes.CancelSession(ctx, w.admin, c.sessions[2].ID, "Mưa lũ"); err != nil {
		t.Fatal(err)
	}
	byName := map[string]int64{}
	for i, n := range enrolledNames {
		byName[n] = c.learners[i]
	}
	statuses := map[string][3]attendance.Status{
		"Lò Thị Ánh":        {attendance.Present, attendance.Present, attendance.Present},
		"Trần Thị Bích":     {attendance.Late, attendance.Present, attendance.Excused},
		"Hà Văn Dũng":       {attendance.Absent, attendance.Absent, attendance.Absent},
		"Nguyễn Văn Đức":    {attendance.Present, attendance.Late, attendance.Present},
		"Vàng A Sử":         {attendance.Excused, attendance.Present, attendance.Present},
		"Đặng Thị Ngọc Ửng": {attendance.Present, attendance.Absent, attendance.Present},
	}
	for k, si := range []int{0, 1, 3} {
		var in attendance.BatchInput
		for n, st := range statuses {
			in.Marks = append(in.Marks, attendance.MarkInput{PersonID: byName[n], Status: st[k]})
		}
		if _, err := w.svc.MarkSession(ctx, c.teacher, c.sessions[si].ID, in); err != nil {
			t.Fatal(err)
		}
	}
	return c
}

// inOrder checks that each name occurs in text, exactly as written, and in
// the given order.
func inOrder(t *testing.T, what, text string, names []string) {
	t.Helper()
	last := -1
	for _, n := range names {
		at := strings.Index(text, n)
		if at < 0 {
			t.Errorf("%s lacks %q:\n%s", what, n, text)
			continue
		}
		if at < last {
			t.Errorf("%s prints %q out of the Vietnamese order", what, n)
		}
		last = at
	}
}

func TestClassRegisterIsTheFilledRecord(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	c := registerClass(t, w)
	manager := w.signIn(kManagerA1)

	pdf, err := w.svc.ClassRegister(ctx, manager, c.ID, attendance.FormatPDF)
	if err != nil {
		t.Fatal(err)
	}
	if pdf.ContentType != "application/pdf" || pdf.Name != "Sổ điểm danh Lớp kỹ năng số.pdf" {
		t.Errorf("file = %q %q", pdf.ContentType, pdf.Name)
	}
	text := registerstest.PDFText(t, pdf.Data)
	inOrder(t, "the PDF", text, orderedNames)
	for _, want := range []string{"SỔ ĐIỂM DANH LỚP HỌC", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Kỹ năng số",
		"Lớp kỹ năng số", "01/03/2026 – 31/03/2026", "02/03", "05/03", "09/03", "19/03", "25/03", c.Teachers[0].Name} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF lacks %q:\n%s", want, text)
		}
	}

	x, err := w.svc.ClassRegister(ctx, manager, c.ID, attendance.FormatXLSX)
	if err != nil {
		t.Fatal(err)
	}
	if x.ContentType != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" || x.Name != "Sổ điểm danh Lớp kỹ năng số.xlsx" {
		t.Errorf("file = %q %q", x.ContentType, x.Name)
	}
	rows, formulas := registerstest.Sheet(t, x.Data, registers.SheetRecord)
	if len(formulas) > 0 {
		t.Errorf("formulas: %q", formulas)
	}
	head := registerstest.RowStarting(rows, "STT")
	if head < 0 {
		t.Fatalf("no table: %q", rows)
	}
	if got := strings.Join(rows[head], "|"); got != "STT|Họ và tên học viên|02/03|05/03|09/03|19/03|25/03|Tỉ lệ|Ghi chú" {
		t.Errorf("heading = %q", got)
	}
	// held: 2, 5, 19 March (9 cancelled, 25 to come); weights 1, 1, 0, 0;
	// the class needs 80 % of its 4 planned sessions (3.2): with 2 earned
	// it is out of reach, with 3 missing the 25th would put it out of reach.
	want := [][]string{
		{"1", "Lò Thị Ánh", "x", "x", "–", "x", "", "100%", "Có nguy cơ"},
		{"2", "Trần Thị Bích", "M", "x", "–", "P", "", "67%", "Không thể đạt"},
		{"3", "Hà Văn Dũng", "K", "K", "–", "K", "", "0%", "Không thể đạt"},
		{"4", "Nguyễn Văn Đức", "x", "M", "–", "x", "", "100%", "Có nguy cơ"},
		{"5", "Vàng A Sử", "P", "x", "–", "x", "", "67%", "Không thể đạt"},
		{"6", "Đặng Thị Ngọc Ửng", "x", "K", "–", "x", "", "67%", "Không thể đạt"},
	}
	for i, wr := range want {
		got := rows[head+1+i]
		for len(got) < len(wr) {
			got = append(got, "")
		}
		if strings.Join(got, "|") != strings.Join(wr, "|") {
			t.Errorf("row %d = %q, want %q", i+1, got, wr)
		}
	}
	grid, err := w.svc.ClassGrid(ctx, manager, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	for i, l := range grid.Learners {
		if l.Name != orderedNames[i] {
			t.Errorf("the grid's learner %d is %q, the register's %q", i, l.Name, orderedNames[i])
		}
	}
}

func TestSessionRegisterIsTheBlankSheet(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	c := registerClass(t, w)
	s := c.sessions[4] // 25 March, to come

	pdf, err := w.svc.SessionRegister(ctx, c.teacher, s.ID, attendance.FormatPDF)
	if err != nil {
		t.Fatal(err)
	}
	if pdf.Name != "Điểm danh Lớp kỹ năng số 2026-03-25.pdf" {
		t.Errorf("name = %q", pdf.Name)
	}
	text := registerstest.PDFText(t, pdf.Data)
	inOrder(t, "the PDF", text, orderedNames)
	for _, want := range []string{"DANH SÁCH ĐIỂM DANH HỌC VIÊN", "ngày 25/03/2026, 19:00 – 20:30", "Chữ ký học viên", "Tổng số học viên: 6"} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF lacks %q:\n%s", want, text)
		}
	}
	// a blank sheet: no marks printed even for a marked session
	marked, err := w.svc.SessionRegister(ctx, c.teacher, c.sessions[0].ID, attendance.FormatXLSX)
	if err != nil {
		t.Fatal(err)
	}
	rows, formulas := registerstest.Sheet(t, marked.Data, registers.SheetBlank)
	if len(formulas) > 0 {
		t.Errorf("formulas: %q", formulas)
	}
	head := registerstest.RowStarting(rows, "STT")
	if head < 0 {
		t.Fatalf("no table: %q", rows)
	}
	for i, n := range orderedNames {
		got := rows[head+1+i]
		if len(got) != 2 || got[0] != string(rune('1'+i)) || got[1] != n {
			t.Errorf("row %d = %q, want [%d %q] and empty columns", i+1, got, i+1, n)
		}
	}

	if _, err := w.svc.SessionRegister(ctx, c.teacher, s.ID, "docx"); keyOf(err) != "register_format_invalid" {
		t.Errorf("docx: %v", err)
	}
}

func TestRegisterFileName(t *testing.T) {
	for in, want := range map[string]string{
		"Sổ điểm danh Lớp A":                   "Sổ điểm danh Lớp A.pdf",
		"Sổ điểm danh ../../etc/passwd":        "Sổ điểm danh .. .. etc passwd.pdf",
		"Sổ \"điểm\" danh\tlớp\r\nB:C*?<>|":    "Sổ điểm danh lớp B C.pdf",
		"So\u0302\u0309 đie\u0302\u0309m danh": "Sổ điểm danh.pdf", // NFD in, NFC out
		"   ":                                  "so-diem-danh.pdf",
	} {
		if got := attendance.RegisterFileName(in, attendance.FormatPDF); got != want {
			t.Errorf("RegisterFileName(%q) = %q, want %q", in, got, want)
		}
	}
	if got := attendance.RegisterFileName(strings.Repeat("ạ", 300), attendance.FormatXLSX); len([]rune(got)) != 125 {
		t.Errorf("a long title gives %d letters", len([]rune(got)))
	}
}
