package registers

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"testing"
	"time"

	"densach/domain/attendance"
	"densach/domain/classes"
)

// TestToUnicodeConformant: the rendered PDF carries no bfrange crossing a
// byte boundary, and every cross-reference entry and startxref still point
// at what they name after the maps were rewritten.
func TestToUnicodeConformant(t *testing.T) {
	r := attendance.Register{Class: classes.Class{Title: "Lớp Hưng"}, GeneratedAt: time.Date(2026, 3, 20, 0, 0, 0, 0, time.UTC),
		Learners: []attendance.GridLearner{{Learner: attendance.Learner{Name: "Trần Quốc Hưng"}}}}
	pdf, err := Renderer{}.PDF(r)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(pdf, []byte("<0000> <FFFF> <0000>")) {
		t.Error("fpdf's whole-plane bfrange is still there")
	}
	if n := bytes.Count(pdf, []byte("<1E00> <1EFF> <1E00>")); n != 2 {
		t.Errorf("%d maps with the Vietnamese block's range, want 2 (regular and bold)", n)
	}
	xref := bytes.LastIndex(pdf, []byte("\nxref\n"))
	for i, m := range regexp.MustCompile(`(?m)^(\d{10}) 00000 n $`).FindAllSubmatch(pdf[xref:], -1) {
		off, _ := strconv.Atoi(string(m[1]))
		if want := fmt.Sprintf("%d 0 obj", i+1); !bytes.HasPrefix(pdf[off:], []byte(want)) {
			t.Errorf("xref entry %d points at %q, want %q", i+1, pdf[off:min(off+12, len(pdf))], want)
		}
	}
	m := regexp.MustCompile(`startxref\n(\d+)\n%%EOF`).FindSubmatch(pdf)
	if m == nil {
		t.Fatal("no startxref")
	}
	if off, _ := strconv.Atoi(string(m[1])); !bytes.HasPrefix(pdf[off:], []byte("xref\n")) {
		t.Errorf("startxref points at %q", pdf[off:min(off+8, len(pdf))])
	}
}
