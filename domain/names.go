package domain

import (
	"bytes"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
	"golang.org/x/text/unicode/norm"
)

// Field codes of name and free-text validation, stable so that clients can
// translate them.
const (
	codeNameRequired     = "name_required"
	codeNameTooLong      = "name_too_long"
	codeNameInvalidChars = "name_invalid_chars"
	codeTextTooLong      = "text_too_long"
	codeTextInvalidChars = "text_invalid_chars"
)

// nameMaxRunes is the longest full name we store; real names, even long
// ethnic-minority ones, are far shorter, and lists must stay readable.
const nameMaxRunes = 100

// NormalizeName cleans a person's full name for storage: NFC, trimmed, inner
// whitespace collapsed to one space. It keeps the letter case as typed, since
// people write their names the way they want. Letters (with any diacritics),
// space, hyphen, apostrophe and the period of abbreviations are allowed;
// digits, control characters, invisible format characters and other
// punctuation are not. Errors are field errors on "full_name" with the codes
// name_required, name_too_long and name_invalid_chars.
func NormalizeName(s string) (string, error) {
	if !utf8.ValidString(s) {
		return "", Invalid(FieldOf("full_name", codeNameInvalidChars, nil))
	}
	s = norm.NFC.String(collapseSpaces(s))
	if s == "" {
		return "", Invalid(FieldOf("full_name", codeNameRequired, Params{"max": nameMaxRunes}))
	}
	letters := false
	prevLetter := false
	for _, r := range s {
		switch {
		case unicode.IsLetter(r):
			letters, prevLetter = true, true
		case unicode.IsMark(r):
			// A combining mark NFC could not fold into its letter is fine,
			// but one standing alone would render on a space or a hyphen.
			if !prevLetter {
				return "", Invalid(FieldOf("full_name", codeNameInvalidChars, nil))
			}
		case r == ' ' || r == '-' || r == '\'' || r == '’' || r == '.':
			prevLetter = false
		default:
			return "", Invalid(FieldOf("full_name", codeNameInvalidChars, nil))
		}
	}
	if !letters {
		return "", Invalid(FieldOf("full_name", codeNameInvalidChars, nil))
	}
	if utf8.RuneCountInString(s) > nameMaxRunes {
		return "", Invalid(FieldOf("full_name", codeNameTooLong, Params{"max": nameMaxRunes}))
	}
	return s, nil
}

// NormalizeText cleans one line of free text such as a village or an
// ethnicity: NFC, trimmed, whitespace collapsed to one space. It rejects
// control and invisible format characters (which make equal-looking values
// differ and can reorder text on screen) and, when max > 0, text longer than
// max runes. Empty input returns "", nil; whether a value is required is the
// caller's rule. The field of the error is left empty for the caller to set
// with Fields.AddErr; codes are text_too_long and text_invalid_chars.
func NormalizeText(s string, max int) (string, error) {
	if !utf8.ValidString(s) {
		return "", Invalid(FieldOf("", codeTextInvalidChars, nil))
	}
	s = norm.NFC.String(collapseSpaces(s))
	for _, r := range s {
		// U+FFFD marks text already damaged by a wrong encoding upstream.
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == utf8.RuneError {
			return "", Invalid(FieldOf("", codeTextInvalidChars, nil))
		}
	}
	if max > 0 && utf8.RuneCountInString(s) > max {
		return "", Invalid(FieldOf("", codeTextTooLong, Params{"max": max}))
	}
	return s, nil
}

// collapseSpaces trims s and turns each run of Unicode whitespace (tabs, line
// breaks, no-break spaces pasted from spreadsheets) into one space. It returns
// s itself when nothing needs to change, so the common case allocates nothing.
func collapseSpaces(s string) string {
	clean := true
	prevSpace := true // a leading space is not clean either
	for _, r := range s {
		sp := unicode.IsSpace(r)
		if sp && (prevSpace || r != ' ') {
			clean = false
			break
		}
		prevSpace = sp
	}
	if clean && !prevSpace || s == "" {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

// GivenName returns the last word of a full name, the given name by which
// Vietnamese registers are ordered ("Nguyễn Thị Ánh" → "Ánh").
func GivenName(full string) string {
	full = strings.TrimRightFunc(full, unicode.IsSpace)
	i := strings.LastIndexFunc(full, unicode.IsSpace)
	if i < 0 {
		return full
	}
	_, size := utf8.DecodeRuneInString(full[i:])
	return full[i+size:]
}

// nameSorter is a collator with its buffer; collate.Collator keeps state
// between calls and is not safe for concurrent use, hence the pool.
type nameSorter struct {
	c   *collate.Collator
	buf collate.Buffer
}

var nameSorters = sync.Pool{New: func() any {
	return &nameSorter{c: collate.New(language.Vietnamese)}
}}

// key appends the sort key of full to dst: the collation key of the given
// name, 0x00, then the key of the whole name. Equal given names thus fall
// through to the full names, and because the key ends in non-zero tertiary
// weights, 0x00 sorts below whatever could continue a longer given-name key:
// a given name whose key is a prefix of another's still sorts first.
func (s *nameSorter) key(dst []byte, full string) []byte {
	// The collator does not reorder combining marks that arrive in a
	// non-canonical order, so equivalent spellings would get different keys;
	// NFC first (free when the name is already NFC, as stored names are).
	full = norm.NFC.String(collapseSpaces(full))
	s.buf.Reset()
	g := s.c.KeyFromString(&s.buf, GivenName(full))
	f := s.c.KeyFromString(&s.buf, full)
	dst = slices.Grow(dst, len(g)+1+len(f))
	dst = append(dst, g...)
	dst = append(dst, 0)
	return append(dst, f...)
}

// NameSortKey returns a key such that bytes.Compare orders people as
// Vietnamese registers do: by given name, then by full name, with Vietnamese
// collation (a < ă < â < b … d < đ …, tones after the base letters). Storage
// can keep it in a bytea column to sort lists in the database.
func NameSortKey(full string) []byte {
	s := nameSorters.Get().(*nameSorter)
	defer nameSorters.Put(s)
	return s.key(nil, full)
}

// CompareNames orders two full names the way NameSortKey does, returning -1,
// 0 or +1.
func CompareNames(a, b string) int {
	s := nameSorters.Get().(*nameSorter)
	defer nameSorters.Put(s)
	ka := s.key(nil, a)
	return bytes.Compare(ka, s.key(nil, b))
}

// SortNames sorts full names in place in Vietnamese register order; names
// with equal keys keep their order. Each key is computed once.
func SortNames(names []string) {
	if len(names) < 2 {
		return
	}
	s := nameSorters.Get().(*nameSorter)
	type keyed struct {
		key  []byte
		name string
	}
	ks := make([]keyed, len(names))
	for i, n := range names {
		ks[i] = keyed{s.key(nil, n), n}
	}
	nameSorters.Put(s)
	slices.SortStableFunc(ks, func(a, b keyed) int { return bytes.Compare(a.key, b.key) })
	for i := range ks {
		names[i] = ks[i].name
	}
}

// FoldForSearch reduces text to the form searches compare without accents:
// lower case, diacritics removed, đ → d, whitespace collapsed. People often
// type without accents on phones, so "dang thi ngoc anh" must find
// "Đặng Thị Ngọc Ánh".
func FoldForSearch(s string) string {
	if isASCII(s) {
		return strings.ToLower(collapseSpaces(s))
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range norm.NFD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		r = unicode.ToLower(r)
		if r == 'đ' {
			r = 'd'
		}
		b.WriteRune(r)
	}
	// Recompose what the marks left (Hangul, for one, decomposes under NFD).
	return norm.NFC.String(collapseSpaces(b.String()))
}

// LowerForSearch lower-cases text in NFC and collapses whitespace, keeping
// diacritics, for searches where the user typed them (see HasDiacritics).
// The tone mark of oa, oe and uy is moved to the second vowel ("hòa" →
// "hoà", "thủy" → "thuỷ", "khỏe" → "khoẻ"): both placements are in use, and
// a search must find a name whichever one it was written with. Migration
// 00013 applies the same replacements to the stored keys; keep them equal.
func LowerForSearch(s string) string {
	if isASCII(s) {
		return strings.ToLower(collapseSpaces(s))
	}
	return tonePlacement.Replace(norm.NFC.String(strings.ToLower(collapseSpaces(s))))
}

// tonePlacement rewrites the old tone placement of oa, oe and uy (on the
// first vowel) to the new one (on the second), on lower-case NFC text.
var tonePlacement = strings.NewReplacer(
	"òa", "oà", "óa", "oá", "ỏa", "oả", "õa", "oã", "ọa", "oạ",
	"òe", "oè", "óe", "oé", "ỏe", "oẻ", "õe", "oẽ", "ọe", "oẹ",
	"ùy", "uỳ", "úy", "uý", "ủy", "uỷ", "ũy", "uỹ", "ụy", "uỵ",
)

// HasDiacritics reports whether s carries a diacritic or đ. A search typed
// with accents means the user knows them, so "Lân" should match only "Lân",
// while "Lan" matches Lan, Lân and Lán alike.
func HasDiacritics(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == 'đ' || r == 'Đ' || unicode.Is(unicode.Mn, r) {
			return true
		}
		for _, d := range string(norm.NFD.PropertiesString(s[i:]).Decomposition()) {
			if unicode.Is(unicode.Mn, d) {
				return true
			}
		}
		i += size
	}
	return false
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
