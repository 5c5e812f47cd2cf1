package domain

import (
	"bytes"
	"errors"
	"math/rand"
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

func TestNormalizeName(t *testing.T) {
	nfd := norm.NFD.String("Nguyễn Thị Ánh")
	tests := []struct {
		in, want string
		code     string
	}{
		{"Nguyễn Văn An", "Nguyễn Văn An", ""},
		{nfd, "Nguyễn Thị Ánh", ""},
		{"  Trần \t Thị\n Ánh  ", "Trần Thị Ánh", ""},
		{"Lê\u00a0Bình", "Lê Bình", ""},
		{"nguyễn văn an", "nguyễn văn an", ""}, // case kept as typed
		{"NGUYỄN VĂN AN", "NGUYỄN VĂN AN", ""},
		{"Nguyễn Văn A.", "Nguyễn Văn A.", ""},
		{"H'Hen Niê", "H'Hen Niê", ""},
		{"H’Hen Niê", "H’Hen Niê", ""},
		{"Trần Mai-Anh", "Trần Mai-Anh", ""},
		{"Đinh Y Ksơr", "Đinh Y Ksơr", ""},
		{strings.Repeat("a", 100), strings.Repeat("a", 100), ""},
		// 100 letters each with a tone: 200+ runes in NFD, 100 in NFC.
		{strings.Repeat(norm.NFD.String("ộ"), 100), strings.Repeat("ộ", 100), ""},
		{"", "", codeNameRequired},
		{" \t\n ", "", codeNameRequired},
		{strings.Repeat("a", 101), "", codeNameTooLong},
		{"Nguyễn Văn 2", "", codeNameInvalidChars},
		{"Nguyễn Văn An!", "", codeNameInvalidChars},
		{"Nguyễn, An", "", codeNameInvalidChars},
		{"<script>", "", codeNameInvalidChars},
		{"An\x00", "", codeNameInvalidChars},
		{"An\u200bh", "", codeNameInvalidChars}, // zero-width space
		{"\u202eAn", "", codeNameInvalidChars},  // right-to-left override
		{"An \u0301", "", codeNameInvalidChars}, // a mark on nothing
		{"An\xffh", "", codeNameInvalidChars},   // broken UTF-8
		{"An\ufffdh", "", codeNameInvalidChars}, // the trace of broken UTF-8
		{"- . '", "", codeNameInvalidChars},     // no letter at all
		{"Nguyễn 😀", "", codeNameInvalidChars},  // emoji
	}
	for _, tt := range tests {
		got, err := NormalizeName(tt.in)
		if tt.code != "" {
			if got != "" {
				t.Errorf("NormalizeName(%q) = %q, want empty on error", tt.in, got)
			}
			checkFieldErr(t, err, "full_name", tt.code)
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("NormalizeName(%q) = %q, %v; want %q, nil", tt.in, got, err, tt.want)
		}
	}
}

func TestNormalizeText(t *testing.T) {
	tests := []struct {
		in   string
		max  int
		want string
		code string
	}{
		{"", 50, "", ""},
		{"   ", 50, "", ""},
		{"Thôn  Đông\tHòa ", 50, "Thôn Đông Hòa", ""},
		{norm.NFD.String("Bản Nà Hẩu"), 50, "Bản Nà Hẩu", ""},
		{"Tổ 5, khu phố 2 (cũ)", 50, "Tổ 5, khu phố 2 (cũ)", ""},
		{"Ê Đê", 4, "Ê Đê", ""},
		{strings.Repeat("x", 500), 0, strings.Repeat("x", 500), ""}, // max ≤ 0: no limit
		{"Ê Đê ", 3, "", codeTextTooLong},
		{"Thôn\x00Đông", 50, "", codeTextInvalidChars},
		{"Thôn\x1bĐông", 50, "", codeTextInvalidChars},
		{"Thôn\u200bĐông", 50, "", codeTextInvalidChars},
		{"\ufeffThôn", 50, "", codeTextInvalidChars},
		{"Th\xffôn", 50, "", codeTextInvalidChars},
	}
	for _, tt := range tests {
		got, err := NormalizeText(tt.in, tt.max)
		if tt.code != "" {
			checkFieldErr(t, err, "", tt.code)
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("NormalizeText(%q, %d) = %q, %v; want %q, nil", tt.in, tt.max, got, err, tt.want)
		}
	}

	// The caller names the field.
	_, err := NormalizeText("x\x00", 10)
	var f Fields
	f.AddErr("village", err)
	if len(f) != 1 || f[0].Field != "village" || f[0].Code != codeTextInvalidChars {
		t.Errorf("AddErr gave %+v, want one village/text_invalid_chars", f)
	}
}

func TestGivenName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Nguyễn Văn An", "An"},
		{"Trần Thị Ánh", "Ánh"},
		{"  Lê   Bình  ", "Bình"},
		{"Bình", "Bình"},
		{"Trần Mai-Anh", "Mai-Anh"},
		{"Nguyễn\tVăn\u00a0An", "An"},
		{"", ""},
		{"   ", ""},
	}
	for _, tt := range tests {
		if got := GivenName(tt.in); got != tt.want {
			t.Errorf("GivenName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// The expected orders below come from the Vietnamese alphabet
// (a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y), with tones
// ordered after the base letter as dictionaries do: none, huyền, hỏi, ngã,
// sắc, nặng. They are written by hand, not produced by the code under test.
func TestSortNames(t *testing.T) {
	tests := []struct {
		name string
		want []string
	}{
		{"given names by letter", []string{"An", "Anh", "Ánh", "Ân", "Bình", "Dũng", "Đức"}},
		{"register order", []string{"Nguyễn Văn An", "Trần Thị Ánh", "Lê Bình"}},
		{"same given name, then full name", []string{"Lê Văn An", "Nguyễn Thị An", "Nguyễn Văn An", "Trần An"}},
		{"given name beats family name", []string{"Trần Văn An", "Đặng Thị Bích", "Âu Văn Cường"}},
		{"tones", []string{"Lan", "Làn", "Lản", "Lãn", "Lán", "Lạn"}},
		{"o ô ơ", []string{"Phạm Văn To", "Nguyễn Văn Tô", "Bùi Văn Tơ"}},
		{"vowels with marks", []string{"Hoa", "Hoà", "Hô", "Hơ", "Hu", "Hư"}},
		{"e ê", []string{"Nguyễn Văn Em", "Lê Thị Êm"}},
		{"u ư", []string{"Lê Út", "Nguyễn Thị Ưng"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for seed := int64(0); seed < 5; seed++ {
				got := slices.Clone(tt.want)
				r := rand.New(rand.NewSource(seed))
				r.Shuffle(len(got), func(i, j int) { got[i], got[j] = got[j], got[i] })
				SortNames(got)
				if !slices.Equal(got, tt.want) {
					t.Fatalf("SortNames = %q, want %q", got, tt.want)
				}
			}
			for i := 0; i+1 < len(tt.want); i++ {
				a, b := tt.want[i], tt.want[i+1]
				if CompareNames(a, b) >= 0 || CompareNames(b, a) <= 0 {
					t.Errorf("CompareNames(%q, %q) = %d, want < 0", a, b, CompareNames(a, b))
				}
				if bytes.Compare(NameSortKey(a), NameSortKey(b)) >= 0 {
					t.Errorf("NameSortKey(%q) >= NameSortKey(%q)", a, b)
				}
			}
		})
	}
}

func TestNameSortKeyEquivalence(t *testing.T) {
	// A name typed in NFD, or with extra spaces, is the same person's name.
	for _, pair := range [][2]string{
		{"Nguyễn Thị Ánh", norm.NFD.String("Nguyễn Thị Ánh")},
		{"Nguyễn Thị Ánh", "  Nguyễn  Thị\tÁnh "},
		{"Trần Ậ", "Trần A\u0302\u0323"}, // marks out of canonical order
		{"Lê Ạ\u0300", "Lê A\u0300\u0323"},
	} {
		if c := CompareNames(pair[0], pair[1]); c != 0 {
			t.Errorf("CompareNames(%q, %q) = %d, want 0", pair[0], pair[1], c)
		}
	}
	if CompareNames("An", "An") != 0 {
		t.Error("identical names must compare equal")
	}
}

func TestNameSortKeyConcurrent(t *testing.T) {
	names := []string{"Nguyễn Văn An", "Trần Thị Ánh", "Lê Bình", "Đặng Đức", "Phạm Dũng"}
	want := make([][]byte, len(names))
	for i, n := range names {
		want[i] = NameSortKey(n)
	}
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := 0; k < 200; k++ {
				i := k % len(names)
				if !bytes.Equal(NameSortKey(names[i]), want[i]) {
					errs <- names[i]
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for n := range errs {
		t.Errorf("NameSortKey(%q) differed under concurrent use", n)
	}
}

func TestFoldForSearch(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Đặng Thị Ngọc Ánh", "dang thi ngoc anh"},
		{norm.NFD.String("Đặng Thị Ngọc Ánh"), "dang thi ngoc anh"},
		{"  NGUYỄN   Văn\tAN ", "nguyen van an"},
		{"Hợp tác xã Ưng Hoà", "hop tac xa ung hoa"},
		{"Lân Lán Lan", "lan lan lan"},
		{"đĐ", "dd"},
		{"Nguyen Van An", "nguyen van an"},
		{"", ""},
		{"한국", "한국"}, // recomposed after NFD
	}
	for _, tt := range tests {
		if got := FoldForSearch(tt.in); got != tt.want {
			t.Errorf("FoldForSearch(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestLowerForSearch(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Đặng Thị Ngọc Ánh", "đặng thị ngọc ánh"},
		{norm.NFD.String("LÂN"), "lân"},
		{"  Lê   Bình ", "lê bình"},
		{"ABC", "abc"},
		{"", ""},
		// Both tone placements give one key, the mark on the second vowel.
		{"Hòa", "hoà"}, {"Hoà", "hoà"}, {"HÒA", "hoà"},
		{"Thủy", "thuỷ"}, {"Thuỷ", "thuỷ"},
		{"khỏe", "khoẻ"}, {"khoẻ", "khoẻ"},
		{"óa ỏa õa ọa", "oá oả oã oạ"},
		{"òe óe õe ọe", "oè oé oẽ oẹ"},
		{"ùy úy ũy ụy", "uỳ uý uỹ uỵ"},
		{norm.NFD.String("Thủy"), "thuỷ"},
		// With a final consonant the mark is already on the second vowel.
		{"Hoàng Huỳnh Khoét", "hoàng huỳnh khoét"},
		{"Toản Thúy", "toản thuý"},
	}
	for _, tt := range tests {
		if got := LowerForSearch(tt.in); got != tt.want {
			t.Errorf("LowerForSearch(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestHasDiacritics(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"Lan", false},
		{"Nguyen Van An", false},
		{"", false},
		{"Lân", true},
		{"Lán", true},
		{"ư", true},
		{"Dung", false},
		{"Đ", true},
		{"đ", true},
		{norm.NFD.String("Lân"), true},
		{"中文", false},
	}
	for _, tt := range tests {
		if got := HasDiacritics(tt.in); got != tt.want {
			t.Errorf("HasDiacritics(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

// TestSearchMatching shows the intended use: a query without marks matches
// folded names; a query with marks matches only names with those marks.
func TestSearchMatching(t *testing.T) {
	names := []string{"Nguyễn Thị Lan", "Trần Thị Lân", "Lê Thị Lán"}
	match := func(q string) []string {
		var out []string
		for _, n := range names {
			if HasDiacritics(q) {
				if strings.Contains(LowerForSearch(n), LowerForSearch(q)) {
					out = append(out, n)
				}
			} else if strings.Contains(FoldForSearch(n), FoldForSearch(q)) {
				out = append(out, n)
			}
		}
		return out
	}
	if got := match("lan"); len(got) != 3 {
		t.Errorf(`"lan" matched %q, want all three`, got)
	}
	if got := match("Lân"); !slices.Equal(got, []string{"Trần Thị Lân"}) {
		t.Errorf(`"Lân" matched %q, want only Trần Thị Lân`, got)
	}
	names = []string{"Nguyễn Thị Hoà", "Lê Văn Thuỷ", "Trần Thị Hòa", "Phạm Thủy"}
	for _, tt := range []struct {
		q    string
		want []string
	}{
		{"Hòa", []string{"Nguyễn Thị Hoà", "Trần Thị Hòa"}},
		{"Hoà", []string{"Nguyễn Thị Hoà", "Trần Thị Hòa"}},
		{"Thủy", []string{"Lê Văn Thuỷ", "Phạm Thủy"}},
		{"thuỷ", []string{"Lê Văn Thuỷ", "Phạm Thủy"}},
	} {
		if got := match(tt.q); !slices.Equal(got, tt.want) {
			t.Errorf("%q matched %q, want %q", tt.q, got, tt.want)
		}
	}
}

func FuzzNormalizeName(f *testing.F) {
	for _, s := range []string{
		"Nguyễn Văn An", norm.NFD.String("Trần Thị Ánh"), "  Lê \t Bình ", "H'Hen Niê",
		"Nguyễn Văn A.", "", "An2", "\u0301", "a\u0301 \u0301", "\xff", "\u2000a\u2001b",
		strings.Repeat("ă", 101),
		"A\u0300\u0323", // marks out of canonical order once gave a different sort key
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := NormalizeName(s)
		if err != nil {
			var e *Error
			if got != "" || !errors.As(err, &e) || len(e.Fields) != 1 || e.Fields[0].Field != "full_name" {
				t.Fatalf("NormalizeName(%q) = %q, %#v", s, got, err)
			}
			return
		}
		if got == "" || !utf8.ValidString(got) || !norm.NFC.IsNormalString(got) {
			t.Fatalf("NormalizeName(%q) = %q, empty, invalid or not NFC", s, got)
		}
		if strings.TrimSpace(got) != got || strings.Contains(got, "  ") {
			t.Fatalf("NormalizeName(%q) = %q has stray spaces", s, got)
		}
		if utf8.RuneCountInString(got) > nameMaxRunes {
			t.Fatalf("NormalizeName(%q) = %q is too long", s, got)
		}
		again, err := NormalizeName(got)
		if err != nil || again != got {
			t.Fatalf("NormalizeName(%q) = %q, %v; not stable", got, again, err)
		}
		// Sort keys of an accepted name never panic and are deterministic.
		if !bytes.Equal(NameSortKey(got), NameSortKey(s)) {
			t.Fatalf("NameSortKey differs between %q and its normal form %q", s, got)
		}
	})
}

func BenchmarkNameSortKey(b *testing.B) {
	names := []string{"Nguyễn Văn An", "Trần Thị Ngọc Ánh", "Lê Bình", "Đặng Hữu Đức", "Phạm Thị Dũng"}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		NameSortKey(names[i%len(names)])
	}
}
