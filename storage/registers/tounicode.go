package registers

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// fpdfToUnicode is the ToUnicode CMap fpdf (v0.9.0, utf8fontfile.go) writes
// for every UTF-8 font: its character codes are the Unicode code points, but
// it maps them with ONE bfrange <0000> <FFFF>, which the PDF specification
// does not allow (a bfrange may vary in its last byte only) and which strict
// readers decode wrongly ("Hưng" read back as "H°ng"): text copied from the
// register, searched or read aloud would lose its Vietnamese letters.
const fpdfToUnicode = "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo\n<</Registry (Adobe)\n/Ordering (UCS)\n/Supplement 0\n>> def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n1 beginbfrange\n<0000> <FFFF> <0000>\nendbfrange\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend"

// toUnicodeCMap is the same identity map written conformingly: one bfrange
// per high byte (surrogates left out), at most 100 entries per block.
var toUnicodeCMap = func() string {
	var b strings.Builder
	b.WriteString("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo\n<</Registry (Adobe)\n/Ordering (UCS)\n/Supplement 0\n>> def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n")
	var ranges []string
	for hi := 0; hi <= 0xFF; hi++ {
		if hi >= 0xD8 && hi <= 0xDF {
			continue
		}
		ranges = append(ranges, fmt.Sprintf("<%02X00> <%02XFF> <%02X00>\n", hi, hi, hi))
	}
	for len(ranges) > 0 {
		n := min(100, len(ranges))
		fmt.Fprintf(&b, "%d beginbfrange\n%sendbfrange\n", n, strings.Join(ranges[:n], ""))
		ranges = ranges[n:]
	}
	b.WriteString("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend")
	return b.String()
}()

var xrefEntry = regexp.MustCompile(`(?m)^(\d{10}) (\d{5}) n $`)

// conformToUnicode replaces fpdf's ToUnicode streams in a finished PDF with
// toUnicodeCMap, and shifts the cross-reference table's offsets and
// startxref by what the document grew before each object.
func conformToUnicode(pdf []byte) ([]byte, error) {
	old := []byte(fmt.Sprintf("<</Length %d>>\nstream\n%s\nendstream", len(fpdfToUnicode), fpdfToUnicode))
	neu := []byte(fmt.Sprintf("<</Length %d>>\nstream\n%s\nendstream", len(toUnicodeCMap), toUnicodeCMap))
	var at []int
	for i := 0; ; {
		j := bytes.Index(pdf[i:], old)
		if j < 0 {
			break
		}
		at = append(at, i+j)
		i += j + len(old)
	}
	if len(at) == 0 {
		return nil, fmt.Errorf("no fpdf ToUnicode map found: has fpdf changed?")
	}
	shift := func(off int) int {
		n := 0
		for _, a := range at {
			if a < off {
				n++
			}
		}
		return off + n*(len(neu)-len(old))
	}
	xref := bytes.LastIndex(pdf, []byte("\nxref\n"))
	start := bytes.LastIndex(pdf, []byte("\nstartxref\n"))
	if xref < 0 || start < xref || xref < at[len(at)-1] {
		return nil, fmt.Errorf("no cross-reference table after the ToUnicode maps")
	}
	var out bytes.Buffer
	out.Grow(len(pdf) + len(at)*(len(neu)-len(old)))
	prev := 0
	for _, a := range at {
		out.Write(pdf[prev:a])
		out.Write(neu)
		prev = a + len(old)
	}
	out.Write(pdf[prev : xref+1])
	table := xrefEntry.ReplaceAllFunc(pdf[xref+1:start+1], func(e []byte) []byte {
		off, _ := strconv.Atoi(string(e[:10]))
		return []byte(fmt.Sprintf("%010d%s", shift(off), e[10:]))
	})
	out.Write(table)
	tail := pdf[start+1:] // startxref\nN\n%%EOF
	lines := strings.SplitN(string(tail), "\n", 3)
	if len(lines) < 3 || lines[0] != "startxref" {
		return nil, fmt.Errorf("malformed startxref")
	}
	off, err := strconv.Atoi(strings.TrimSpace(lines[1]))
	if err != nil {
		return nil, fmt.Errorf("malformed startxref: %w", err)
	}
	fmt.Fprintf(&out, "startxref\n%d\n%s", shift(off), lines[2])
	return out.Bytes(), nil
}
