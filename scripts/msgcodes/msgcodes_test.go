package msgcodes

import (
	"bytes"
	"encoding/json"
	"flag"
	"go/ast"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"densach/domain"
)

var update = flag.Bool("update", false, "rewrite frontend/src/lib/i18n/server-codes.json")

const codesFile = "frontend/src/lib/i18n/server-codes.json"

var placeholder = regexp.MustCompile(`\{(\w+)\}`)

// placeholders returns the sorted {names} of a template.
func placeholders(t string) []string {
	out := []string{}
	seen := map[string]bool{}
	for _, m := range placeholder.FindAllStringSubmatch(t, -1) {
		if !seen[m[1]] {
			seen[m[1]] = true
			out = append(out, m[1])
		}
	}
	sort.Strings(out)
	return out
}

func scanRepo(t *testing.T) (string, []Site) {
	t.Helper()
	root, err := ModuleRoot(".")
	if err != nil {
		t.Fatal(err)
	}
	sites, _, err := Scan(root)
	if err != nil {
		t.Fatal(err)
	}
	if len(sites) < 20 {
		t.Fatalf("found only %d error sites under %s: the scanner is broken", len(sites), root)
	}
	return root, sites
}

// TestEveryServerCodeIsCatalogued: each key and field code the Go source can
// put in an error body has a Vietnamese entry, and new-style sites pass
// exactly the parameters their template names.
func TestEveryServerCodeIsCatalogued(t *testing.T) {
	_, sites := scanRepo(t)
	for _, s := range sites {
		if s.Kind == KindMessage || s.Pos.Filename == "domain/errors.go" {
			continue // messages without a name yet; the constructors themselves
		}
		if s.Name == "" {
			t.Errorf("%s: the %s is not a string literal or constant, so it cannot be checked; pass a constant", s, s.Kind)
			continue
		}
		if !domain.HasMessage(s.Name) {
			t.Errorf("%s: no entry %q in domain/messages_vi.go", s, s.Name)
			continue
		}
		if !s.New || len(s.Call.Args) < 3 {
			continue
		}
		got, ok := paramKeys(s.Call.Args[2])
		if !ok {
			continue // params built elsewhere: checked at run time only
		}
		want := placeholders(domain.MessageNames()[s.Name])
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("%s: params %v, the template %q wants %v", s, got, s.Name, want)
		}
	}
}

// paramKeys reads the keys of a literal params argument (nil or
// domain.Params{"k": v}).
func paramKeys(e ast.Expr) ([]string, bool) {
	if id, ok := e.(*ast.Ident); ok && id.Name == "nil" {
		return []string{}, true
	}
	cl, ok := e.(*ast.CompositeLit)
	if !ok {
		return nil, false
	}
	keys := []string{}
	for _, el := range cl.Elts {
		kv, ok := el.(*ast.KeyValueExpr)
		if !ok {
			return nil, false
		}
		k, err := strconv.Unquote(lit(kv.Key))
		if err != nil {
			return nil, false
		}
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys, true
}

func lit(e ast.Expr) string {
	if b, ok := e.(*ast.BasicLit); ok {
		return b.Value
	}
	return ""
}

// entry is one catalogue name as the web app's test sees it.
type entry struct {
	Params []string `json:"params"`
	VI     string   `json:"vi"`
}

// TestServerCodesFile: the generated list the web app's test checks vi.ts
// and en.ts against is the Go catalogue, a superset of what the server sends
// (TestEveryServerCodeIsCatalogued). Regenerate with
// `go test ./scripts/msgcodes -run TestServerCodesFile -update`.
func TestServerCodesFile(t *testing.T) {
	root, _ := scanRepo(t)
	all := map[string]entry{}
	for name, tmpl := range domain.MessageNames() {
		all[name] = entry{Params: placeholders(tmpl), VI: tmpl}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(all); err != nil { // maps encode with sorted keys
		t.Fatal(err)
	}
	path := filepath.Join(root, codesFile)
	if *update {
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	have, err := os.ReadFile(path)
	if err != nil || !bytes.Equal(have, buf.Bytes()) {
		t.Fatalf("%s is out of date with domain/messages_vi.go; run: go test ./scripts/msgcodes -run TestServerCodesFile -update", codesFile)
	}
}

// TestScannerFindsEveryKind guards the scanner itself: a source with one
// site of each shape yields each name once.
func TestScannerFindsEveryKind(t *testing.T) {
	dir := t.TempDir()
	src := `package x
const codeA = "code_a"
func f() {
	_ = domain.Fail(domain.CodeInvalid, "key_b", nil)
	_ = domain.FieldOf("f", codeA, nil)
	fs.AddOf("f", "code_c", domain.Params{"max": 1})
	_ = domain.Field("f", "code_d", "Một.")
	fs.Add("f", "code_e", fmt.Sprintf("Hai %d.", 2))
	_ = domain.FieldError{Field: "f", Code: "code_f", Message: "Ba."}
	_ = domain.Errorf(domain.CodeNotFound, "Bốn.")
	_ = &domain.Error{Code: domain.CodeConflict, Message: "Năm."}
	fail("f", "code_g", "Sáu.")
	_ = fmt.Errorf("not %s", "this")
	wg.Add(1)
}
`
	if err := os.WriteFile(filepath.Join(dir, "x.go"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	sites, _, err := Scan(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range sites {
		got = append(got, string(s.Kind)+":"+s.Name+":"+s.Message)
	}
	want := []string{"key:key_b:", "field:code_a:", "field:code_c:", "field:code_d:Một.", "field:code_e:Hai %d.",
		"field:code_f:Ba.", "message::Bốn.", "message::Năm.", "field:code_g:Sáu."}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("sites\n got %q\nwant %q", got, want)
	}
}
