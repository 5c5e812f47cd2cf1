package registers_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"densach/domain/attendance"
	"densach/domain/classes"
	"densach/storage/registers"
	"densach/storage/registers/registerstest"
)

var heading = attendance.Heading{CentreName: "TTHTCĐ xã Bình Lư", CommuneName: "Bình Lư", CommuneKind: "commune", ProvinceName: "Lai Châu",
	CourseTitle: "Kỹ thuật trồng chè Shan tuyết"}

// names are in Vietnamese order (as the store lists them), with every
// diacritic a register must keep, and one formula-looking name.
var names = []string{"Lò Thị Ánh", "Nguyễn Văn Đức", "Đặng Thị Ngọc Ửng", "Vàng A Sử", "=HYPERLINK(\"http://x\")"}

func fixture(sessions int) attendance.Register {
	c := classes.Class{ID: 7, Title: "Lớp chè khoá 3 – thôn Nà Ít", StartsOn: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC), EndsOn: time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC),
		CompletionPct: 80, Teachers: []classes.Teacher{{PersonID: 3, Name: "Trần Quốc Hưng"}}}
	r := attendance.Register{Heading: heading, Class: c, Weights: attendance.Weights{Present: 1, Late: 1, Excused: 0, Absent: 0},
		GeneratedAt: time.Date(2026, 3, 20, 12, 0, 0, 0, classes.Zone)}
	for i := range sessions {
		st := time.Date(2026, 3, 2+i, 8, 0, 0, 0, classes.Zone)
		s := classes.Session{ID: int64(100 + i), ClassID: 7, StartsAt: st, EndsAt: st.Add(2 * time.Hour), Sequence: i + 1, VenueName: "Nhà văn hoá bản Nà Ít", Status: classes.SessionScheduled}
		if i == 2 {
			s.Status = classes.SessionCancelled
		}
		r.Sessions = append(r.Sessions, s)
	}
	statuses := []attendance.Status{attendance.Present, attendance.Late, attendance.Excused, attendance.Absent}
	for i, n := range names {
		l := attendance.GridLearner{Learner: attendance.Learner{EnrolmentID: int64(i + 1), PersonID: int64(i + 10), Name: n}, Marks: map[int64]attendance.Mark{}}
		if sessions > 0 {
			l.Marks[100] = attendance.Mark{SessionID: 100, Status: statuses[i%4]}
			rate := 0.5
			l.Rate = attendance.Rate{Rate: &rate, AtRisk: attendance.RiskMissNext}
		}
		r.Learners = append(r.Learners, l)
	}
	return r
}

func blankFixture() attendance.Register {
	r := fixture(1)
	r.Session = &r.Sessions[0]
	r.Session.TeacherName = "Trần Quốc Hưng"
	return r
}

func TestPDFKeepsVietnameseText(t *testing.T) {
	for _, tt := range []struct {
		name string
		r    attendance.Register
		want []string
	}{
		{"blank", blankFixture(), []string{"DANH SÁCH ĐIỂM DANH HỌC VIÊN", "Chữ ký học viên", "buổi 1, ngày 02/03/2026, 08:00 – 10:00", "Nhà văn hoá bản Nà Ít"}},
		{"record", fixture(3), []string{"SỔ ĐIỂM DANH LỚP HỌC", "02/03", "50%", "Có nguy cơ", "02/03/2026 – 30/06/2026"}},
		{"record over pages", fixture(40), []string{"SỔ ĐIỂM DANH LỚP HỌC", "10/04", "Trang 2/2"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			data, err := registers.Renderer{}.PDF(tt.r)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.HasPrefix(data, []byte("%PDF-")) || !bytes.Contains(data, []byte("/FontFile2")) || !bytes.Contains(data, []byte("/ToUnicode")) {
				t.Fatalf("not a PDF with an embedded TrueType font and a ToUnicode map")
			}
			text := registerstest.PDFText(t, data)
			want := append([]string{"UBND XÃ BÌNH LƯ", "TTHTCĐ XÃ BÌNH LƯ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
				"Lớp chè khoá 3 – thôn Nà Ít", "Kỹ thuật trồng chè Shan tuyết", "Trần Quốc Hưng", "Bình Lư, ngày", "XÁC NHẬN CỦA TRUNG TÂM"}, tt.want...)
			want = append(want, names...)
			for _, w := range want {
				if !strings.Contains(text, w) {
					t.Errorf("the PDF's text lacks %q:\n%s", w, text)
				}
			}
			// the learners in the order given (Vietnamese order, the store's)
			last := -1
			for _, n := range names {
				at := strings.Index(text, n)
				if at < last {
					t.Errorf("%q printed out of order", n)
				}
				last = at
			}
		})
	}
}

// TestEmptyRegisters: a class without learners or sessions and a cancelled
// session still give whole files.
func TestEmptyRegisters(t *testing.T) {
	empty := fixture(0)
	empty.Learners = nil
	cancelled := blankFixture()
	cancelled.Session.Status, cancelled.Session.CancelReason = classes.SessionCancelled, "Mưa lũ"
	for name, r := range map[string]attendance.Register{"no sessions, no learners": empty, "cancelled session": cancelled} {
		data, err := registers.Renderer{}.PDF(r)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		text := registerstest.PDFText(t, data)
		if !strings.Contains(text, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") || !strings.Contains(text, "Trang 1/1") {
			t.Errorf("%s: %s", name, text)
		}
		if r.Blank() && !strings.Contains(text, "Lưu ý: buổi học đã huỷ (Mưa lũ)") {
			t.Errorf("%s: the sheet does not say the session is cancelled: %s", name, text)
		}
		if _, err := (registers.Renderer{}).XLSX(r); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
}

// BenchmarkRecordPDF renders a full class's record: 40 learners × 30
// sessions (three pages of columns).
func BenchmarkRecordPDF(b *testing.B) {
	r := fixture(30)
	for len(r.Learners) < 40 {
		l := r.Learners[len(r.Learners)%5]
		r.Learners = append(r.Learners, l)
	}
	for b.Loop() {
		if _, err := (registers.Renderer{}).PDF(r); err != nil {
			b.Fatal(err)
		}
	}
}

func TestXLSXCellsAndFormulaSafety(t *testing.T) {
	t.Run("blank", func(t *testing.T) {
		data, err := registers.Renderer{}.XLSX(blankFixture())
		if err != nil {
			t.Fatal(err)
		}
		rows, formulas := registerstest.Sheet(t, data, registers.SheetBlank)
		head := registerstest.RowStarting(rows, "STT")
		if got := strings.Join(rows[head], "|"); got != "STT|Họ và tên học viên|Có mặt|Ghi chú|Chữ ký học viên" {
			t.Errorf("table heading = %q", got)
		}
		for i, n := range names {
			row := rows[head+1+i]
			if row[0] != fmt.Sprint(i+1) || row[1] != registers.Safe(n) {
				t.Errorf("row %d = %q, want %d, %q", i+1, row, i+1, registers.Safe(n))
			}
		}
		if rows[0][0] != "UBND XÃ BÌNH LƯ" || rows[1][0] != "TTHTCĐ XÃ BÌNH LƯ" {
			t.Errorf("heading = %q", rows[:2])
		}
		if len(formulas) > 0 {
			t.Errorf("cells hold formulas: %q", formulas)
		}
	})
	t.Run("record", func(t *testing.T) {
		data, err := registers.Renderer{}.XLSX(fixture(3))
		if err != nil {
			t.Fatal(err)
		}
		wb, err := excelize.OpenReader(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		layout, err := wb.GetPageLayout(registers.SheetRecord)
		if err != nil || layout.Size == nil || *layout.Size != 9 || layout.Orientation == nil || *layout.Orientation != "landscape" || layout.FitToWidth == nil || *layout.FitToWidth != 1 {
			t.Errorf("the record does not print on A4 landscape one page wide: %+v %v", layout, err)
		}
		wb.Close()
		rows, formulas := registerstest.Sheet(t, data, registers.SheetRecord)
		head := registerstest.RowStarting(rows, "STT")
		if got := strings.Join(rows[head], "|"); got != "STT|Họ và tên học viên|02/03|03/03|04/03|Tỉ lệ|Ghi chú" {
			t.Errorf("table heading = %q", got)
		}
		want := [][]string{
			{"1", "Lò Thị Ánh", "x", "", "–", "50%", "Có nguy cơ"},
			{"2", "Nguyễn Văn Đức", "M", "", "–", "50%", "Có nguy cơ"},
			{"3", "Đặng Thị Ngọc Ửng", "P", "", "–", "50%", "Có nguy cơ"},
			{"4", "Vàng A Sử", "K", "", "–", "50%", "Có nguy cơ"},
			{"5", `'=HYPERLINK("http://x")`, "x", "", "–", "50%", "Có nguy cơ"},
		}
		for i, w := range want {
			if got := rows[head+1+i]; strings.Join(got, "|") != strings.Join(w, "|") {
				t.Errorf("row %d = %q, want %q", i+1, got, w)
			}
		}
		if len(formulas) > 0 {
			t.Errorf("cells hold formulas: %q", formulas)
		}
	})
}

func TestSafe(t *testing.T) {
	for in, want := range map[string]string{"=1+1": "'=1+1", "+84": "'+84", "-2": "'-2", "@SUM(A1)": "'@SUM(A1)", "\tx": "'\tx", "Lò Thị Ánh": "Lò Thị Ánh", "": ""} {
		if got := registers.Safe(in); got != want {
			t.Errorf("Safe(%q) = %q, want %q", in, got, want)
		}
	}
}
