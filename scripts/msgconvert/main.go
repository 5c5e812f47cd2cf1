// Command msgconvert rewrites old error sites to messages by code: it turns
//
//	domain.Field(f, "code", "literal")     into domain.FieldOf(f, "code", nil)
//	fields.Add(f, "code", "literal")       into fields.AddOf(f, "code", nil)
//	domain.Errorf(domain.CodeX, "literal") into domain.Fail(domain.CodeX, "key", nil)
//
// when the literal is the catalogue's template (domain/messages_vi.go) for
// the code, or for exactly one key. A fmt.Sprintf or Errorf format, or a
// string concatenation, converts too when its verbs stand where the template
// has placeholders ({name} for %d, %s or %v; "{name}" for %q): the arguments
// become domain.Params in order. Every other site is listed with the reason.
//
//	go run ./scripts/msgconvert            # report what would change
//	go run ./scripts/msgconvert -w         # rewrite the files (gofmt'd)
//	go run ./scripts/msgconvert -w api/    # only files under api/
//
// It is a development tool and is not part of the server binary.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"densach/domain"
	"densach/scripts/msgcodes"
)

func main() {
	write := flag.Bool("w", false, "rewrite the files instead of reporting")
	flag.Parse()
	root, err := msgcodes.ModuleRoot(".")
	if err != nil {
		fail(err)
	}
	sites, files, err := msgcodes.Scan(root)
	if err != nil {
		fail(err)
	}
	byPath := map[string]*msgcodes.File{}
	for _, f := range files {
		rel, _ := filepath.Rel(root, f.Path)
		byPath[filepath.ToSlash(rel)] = f
	}
	catalogue := domain.MessageNames()
	fieldCodes := map[string]bool{}
	for _, s := range sites {
		if s.Kind == msgcodes.KindField && s.Name != "" {
			fieldCodes[s.Name] = true
		}
	}
	edits := map[string][]edit{}
	used := map[string]bool{} // the names sent once the conversion is done
	var manual []string
	converted := 0
	for _, s := range sites {
		if s.New || byCode(s) || !wanted(s.Pos.Filename, flag.Args()) || s.Pos.Filename == "domain/errors.go" {
			used[s.Name] = true
			if c, ok := s.MsgExpr.(*ast.CallExpr); ok && len(c.Args) > 0 {
				if name, ok := byPath[s.Pos.Filename].Const(c.Args[0]); ok {
					used[name] = true // Message: domain.Message("key", …)
				}
			}
			continue
		}
		f := byPath[s.Pos.Filename]
		es, name, why := convert(f, s, catalogue, fieldCodes)
		if why != "" {
			if s.Kind == msgcodes.KindField {
				used[s.Name] = true // still sent as it is
			}
			manual = append(manual, fmt.Sprintf("%s:%d: %s", s.Pos.Filename, s.Pos.Line, why))
			continue
		}
		converted++
		used[name] = true
		edits[s.Pos.Filename] = append(edits[s.Pos.Filename], es...)
		if !*write {
			for _, e := range es {
				fmt.Printf("%s:%d: %s\n", s.Pos.Filename, s.Pos.Line, e.text)
			}
		}
	}
	if *write {
		for path, es := range edits {
			if err := apply(filepath.Join(root, path), es); err != nil {
				fail(err)
			}
		}
	}
	var unused []string
	for name := range catalogue {
		if !used[name] && !generic[name] {
			unused = append(unused, name)
		}
	}
	sort.Strings(unused)
	fmt.Printf("\ncatalogue names no site sends (after conversion they can go from domain/messages_vi.go, vi.ts and en.ts): %s\n", strings.Join(unused, " "))
	fmt.Printf("\n%d sites converted%s, %d left to convert by hand:\n", converted, map[bool]string{true: "", false: " (dry run; -w writes)"}[*write], len(manual))
	for _, m := range manual {
		fmt.Println("  " + m)
	}
}

// generic are the names of the error codes' own messages, always in use.
var generic = map[string]bool{"invalid": true, "unauthorized": true, "forbidden": true, "not_found": true, "conflict": true,
	"rate_limited": true, "too_large": true, "unavailable": true, "internal": true, domain.KeyInvalidFields: true,
	"route_not_found": true, "bad_request": true}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "msgconvert:", err)
	os.Exit(1)
}

func wanted(path string, prefixes []string) bool {
	if len(prefixes) == 0 {
		return true
	}
	for _, p := range prefixes {
		if strings.HasPrefix(path, filepath.ToSlash(filepath.Clean(p))) {
			return true
		}
	}
	return false
}

// edit replaces the bytes [start, end) of a file.
type edit struct {
	start, end int
	text       string
}

func apply(path string, es []edit) error {
	src, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	// Apply from the end so earlier offsets stay valid; nested sites (a
	// Field inside an Errorf) never occur, since Errorf takes no field.
	sort.Slice(es, func(i, j int) bool { return es[i].start > es[j].start })
	for _, e := range es {
		src = append(src[:e.start], append([]byte(e.text), src[e.end:]...)...)
	}
	src, err = dropUnusedFmt(src)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	out, err := format.Source(src)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return os.WriteFile(path, out, 0o644)
}

// dropUnusedFmt removes the "fmt" import when the rewrite took away its last
// use (a Sprintf that became params).
func dropUnusedFmt(src []byte) ([]byte, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "", src, parser.ParseComments)
	if err != nil {
		return nil, err
	}
	used := false
	ast.Inspect(f, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok && id.Name == "fmt" {
				used = true
			}
		}
		return !used
	})
	if used {
		return src, nil
	}
	for _, imp := range f.Imports {
		if imp.Path.Value == `"fmt"` && imp.Name == nil {
			start, end := fset.Position(imp.Pos()).Offset, fset.Position(imp.End()).Offset
			if len(f.Imports) == 1 {
				// import "fmt" alone: drop the whole declaration.
				for _, d := range f.Decls {
					if gd, ok := d.(*ast.GenDecl); ok && gd.Tok == token.IMPORT {
						start, end = fset.Position(gd.Pos()).Offset, fset.Position(gd.End()).Offset
					}
				}
			}
			// Take the whole line, so no blank line splits the import group.
			for start > 0 && src[start-1] != '\n' {
				start--
			}
			if end < len(src) && src[end] == '\n' {
				end++
			}
			return append(src[:start:start], src[end:]...), nil
		}
	}
	return src, nil
}

// byCode reports whether a site the scanner counts as old already renders
// its message from the catalogue: Message: domain.Message(code, params) in a
// literal, or the import planner's fail(field, code, params).
func byCode(s msgcodes.Site) bool {
	switch e := s.MsgExpr.(type) {
	case *ast.CallExpr:
		return funcNameOf(e) == "Message"
	case *ast.Ident:
		return e.Name == "nil"
	case *ast.CompositeLit:
		return true
	}
	return false
}

// convert returns the edits for one old site, or why it cannot be converted.
func convert(f *msgcodes.File, s msgcodes.Site, catalogue map[string]string, fieldCodes map[string]bool) (edits []edit, name, why string) {
	src := func(n ast.Node) string {
		var b bytes.Buffer
		_ = format.Node(&b, token.NewFileSet(), n)
		return b.String()
	}
	off := func(p token.Pos) int { return f.Fset.Position(p).Offset }
	q := "domain."
	if f.AST.Name.Name == "domain" {
		q = ""
	}
	if s.Lit != nil && isType(s.Lit.Type, "RowError") {
		return nil, "", fmt.Sprintf("RowError{%q}: RowError has no Params yet; give it one (json params, omitempty), then write Message: domain.Message(code, params)", s.Name)
	}
	if s.Call != nil && funcNameOf(s.Call) == "fail" {
		return nil, "", fmt.Sprintf("fail(%q): RowError has no Params yet; give it one, then let fail take params and use domain.Message", s.Name)
	}
	if s.MsgExpr == nil {
		return nil, "", "no message expression"
	}
	format, args, ok := formatOf(f, s.MsgExpr)
	if !ok {
		return nil, "", fmt.Sprintf("%s %q: the message is not a literal, a Sprintf or a concatenation", s.Kind, s.Name)
	}
	if s.Call != nil && s.Kind == msgcodes.KindMessage {
		args = append(args, s.Call.Args[2:]...)
	}
	// Find the name: the site's field code, or the one key whose template
	// renders as the message.
	name = s.Name
	params := ""
	if s.Kind == msgcodes.KindField {
		if d, ok := decided(name, format); ok {
			name = d.to
			if d.params != "" {
				params = strings.ReplaceAll(d.params, "Params", q+"Params")
			}
		}
		tmpl, ok := catalogue[name]
		if !ok {
			return nil, "", fmt.Sprintf("field %q: no catalogue entry; add one to domain/messages_vi.go, vi.ts and en.ts", name)
		}
		if params != "" {
			// A decided rewording: the catalogue's text replaces the literal.
		} else if params, ok = match(tmpl, format, args, src, q+"Params"); !ok {
			return nil, "", fmt.Sprintf("field %q: the message %q is not the catalogue's %q; pick one wording (edit the catalogue) or split the code", name, format, tmpl)
		}
	} else {
		var keys, texts []string
		for key, tmpl := range catalogue {
			if p, ok := match(tmpl, format, args, src, q+"Params"); ok {
				keys, texts = append(keys, key), append(texts, p)
			}
		}
		if len(keys) > 1 {
			// A top-level message prefers a name no site uses as a field code.
			var k2, t2 []string
			for i, k := range keys {
				if !fieldCodes[k] {
					k2, t2 = append(k2, keys[i]), append(t2, texts[i])
				}
			}
			if len(k2) > 0 {
				keys, texts = k2, t2
			}
		}
		switch len(keys) {
		case 0:
			return nil, "", fmt.Sprintf("message %q: no catalogue key has this text; add a key to domain/messages_vi.go, vi.ts and en.ts", format)
		case 1:
			name, params = keys[0], texts[0]
		default:
			sort.Strings(keys)
			return nil, "", fmt.Sprintf("message %q: several keys have this text (%s); convert by hand with the right one", format, strings.Join(keys, ", "))
		}
	}

	if s.Call != nil {
		qual := ""
		if sel, ok := s.Call.Fun.(*ast.SelectorExpr); ok {
			qual = src(sel.X) + "."
		}
		codeArg := ""
		if len(s.Call.Args) > 1 {
			codeArg = src(s.Call.Args[1])
		}
		if s.Kind == msgcodes.KindField && name != s.Name {
			codeArg = strconv.Quote(name) // a split code
		}
		var text string
		switch funcNameOf(s.Call) {
		case "Errorf":
			text = fmt.Sprintf("%sFail(%s, %q, %s)", qual, src(s.Call.Args[0]), name, params)
		case "Field":
			text = fmt.Sprintf("%sFieldOf(%s, %s, %s)", qual, src(s.Call.Args[0]), codeArg, params)
		case "Add":
			text = fmt.Sprintf("%sAddOf(%s, %s, %s)", qual, src(s.Call.Args[0]), codeArg, params)
		default:
			return nil, "", "unknown constructor " + funcNameOf(s.Call)
		}
		return []edit{{off(s.Call.Pos()), off(s.Call.End()), text}}, name, ""
	}

	// A composite literal: the Message value comes from the catalogue, and an
	// Error gains its Key; both gain Params when there are some.
	var kv, codeKV *ast.KeyValueExpr
	for _, el := range s.Lit.Elts {
		if e, ok := el.(*ast.KeyValueExpr); ok && e.Value == s.MsgExpr {
			kv = e
		} else if ok && isType(e.Key, "Code") {
			codeKV = e
		}
	}
	if s.Kind == msgcodes.KindField && name != s.Name && codeKV != nil {
		edits = append(edits, edit{off(codeKV.Value.Pos()), off(codeKV.Value.End()), strconv.Quote(name)})
	}
	text := fmt.Sprintf("Message: %sMessage(%q, %s)", q, name, params)
	if s.Kind == msgcodes.KindMessage {
		text = fmt.Sprintf("Key: %q, ", name) + text
	}
	if params != "nil" {
		text += ", Params: " + params
	}
	return append(edits, edit{off(kv.Pos()), off(kv.End()), text}), name, ""
}

// decision says what an old field site whose literal is not the catalogue's
// text becomes: where one code had several wordings, the code was split (to a
// new code whose template matches the old literal) or one wording was picked
// (params is then the params to pass, "nil" for none, and the site's text
// changes to the catalogue's).
type decision struct {
	code, old  string
	to, params string
}

var decisions = []decision{
	{"password_required", "Cần nhập mật khẩu hiện tại.", "password_required", "nil"},
	{"text_too_long", "Từ khóa tìm kiếm không được dài quá 100 ký tự.", "text_too_long", `Params{"max": 100}`},
	{"name_required", "Cần nhập tên đơn vị (tối đa 200 ký tự).", "name_required", `Params{"max": 200}`},
	{"unit_kind", "Cán bộ khuyến học gắn với một tỉnh hoặc một xã/phường.", "officer_unit_kind", ""},
	{"unit_kind", "Trung tâm và chi hội thuộc một xã/phường/đặc khu.", "centre_unit_kind", ""},
	{"unit_required", "Cần chọn xã/phường.", "commune_unit_required", ""},
	{"unit_required", "Cán bộ khuyến học cần chọn tỉnh hoặc xã/phường.", "unit_required", "nil"},
	{"unit_unknown", "Không có xã/phường này.", "unit_unknown", "nil"},
	{"unit_unknown", "Không có tỉnh hoặc xã/phường hiện hành mang mã %q.", "unit_code_unknown", ""},
	{"scope_not_allowed", "Quản trị hệ thống không gắn với đơn vị hay trung tâm.", "admin_scope_not_allowed", ""},
	{"scope_not_allowed", "Học viên chỉ gắn với trung tâm (không bắt buộc).", "learner_scope_not_allowed", ""},
	{"name_taken", "Xã/phường này đã có trung tâm cùng tên.", "centre_name_taken", ""},
	{"name_taken", "Xã/phường này đã có chi hội cùng tên.", "branch_name_taken", ""},
	{"commune_required", "Cần chọn xã/phường nơi người này sinh sống.", "commune_required", "nil"},
	{"unit_kind", "Trung tâm và chi hội thuộc một xã/phường/đặc khu còn hiệu lực.", "centre_unit_kind", "nil"},
	{"id_invalid", "Tham số before phải là một số dương.", "id_invalid", `Params{"name": "before"}`},
	{"header_missing", "Thiếu cột \"Cấp\" của danh mục.", "level_column_missing", ""},
	{"presign_expiry", "Thời hạn liên kết tải về không hợp lệ.", "download_expiry", ""},
	{"predecessor_invalid", "Đơn vị tiền thân không tồn tại hoặc trùng với đơn vị kế thừa.", "predecessor_unknown", ""},
	{"commune_unknown", "Không có xã/phường hiện hành mang mã %q.", "commune_code_unknown", ""},
	{"commune_unknown", "Chưa có xã/phường nào: hãy nạp danh mục đơn vị hành chính trước (densach units import).", "no_communes", ""},
}

func decided(code, format string) (decision, bool) {
	for _, d := range decisions {
		if d.code == code && d.old == format {
			return d, true
		}
	}
	return decision{}, false
}

func isType(e ast.Expr, name string) bool {
	switch e := e.(type) {
	case *ast.Ident:
		return e.Name == name
	case *ast.SelectorExpr:
		return e.Sel.Name == name
	}
	return false
}

func funcNameOf(call *ast.CallExpr) string {
	switch fn := call.Fun.(type) {
	case *ast.Ident:
		return fn.Name
	case *ast.SelectorExpr:
		return fn.Sel.Name
	}
	return ""
}

// formatOf reads a message argument as a format and its arguments: a string
// literal or constant, fmt.Sprintf(format, args...), or a concatenation of
// literals and expressions (each expression a %s).
func formatOf(f *msgcodes.File, e ast.Expr) (string, []ast.Expr, bool) {
	if s, ok := f.Const(e); ok {
		return s, nil, true
	}
	if call, ok := e.(*ast.CallExpr); ok && funcNameOf(call) == "Sprintf" && len(call.Args) > 0 {
		s, ok := f.Const(call.Args[0])
		return s, call.Args[1:], ok
	}
	if bin, ok := e.(*ast.BinaryExpr); ok && bin.Op == token.ADD {
		l, la, ok1 := formatOrVerb(f, bin.X)
		r, ra, ok2 := formatOrVerb(f, bin.Y)
		return l + r, append(la, ra...), ok1 && ok2
	}
	return "", nil, false
}

func formatOrVerb(f *msgcodes.File, e ast.Expr) (string, []ast.Expr, bool) {
	if s, ok := f.Const(e); ok {
		return strings.ReplaceAll(s, "%", "%%"), nil, true
	}
	if bin, ok := e.(*ast.BinaryExpr); ok && bin.Op == token.ADD {
		return formatOf(f, e)
	}
	return "%s", []ast.Expr{e}, true
}

// matchLiteral matches a message without verbs against a template whose
// bare placeholders stand for whole numbers and quoted ones for any text.
func matchLiteral(tt []tok, msg string, paramsType string) (string, bool) {
	var re strings.Builder
	re.WriteString("^")
	var names []string
	var quoted []bool
	for _, t := range tt {
		switch {
		case !t.hole:
			re.WriteString(regexp.QuoteMeta(t.lit))
		case t.quoted:
			re.WriteString(`"([^"]*)"`)
		default:
			re.WriteString(`(-?\d+)`)
		}
		if t.hole {
			names, quoted = append(names, t.name), append(quoted, t.quoted)
		}
	}
	re.WriteString("$")
	m := regexp.MustCompile(re.String()).FindStringSubmatch(msg)
	if m == nil {
		return "", false
	}
	if len(names) == 0 {
		return "nil", true
	}
	params := make([]string, len(names))
	for i, n := range names {
		v := m[i+1]
		if quoted[i] {
			v = strconv.Quote(v)
		}
		params[i] = strconv.Quote(n) + ": " + v
	}
	return paramsType + "{" + strings.Join(params, ", ") + "}", true
}

// token of a template or a format: literal text, or a hole (a placeholder
// or a verb).
type tok struct {
	lit    string
	name   string // placeholder name
	verb   byte   // format verb
	quoted bool   // "{name}" in a template, %q in a format
	hole   bool
}

var placeholderRe = regexp.MustCompile(`"\{(\w+)\}"|\{(\w+)\}`)

func templateToks(t string) []tok {
	var out []tok
	last := 0
	for _, m := range placeholderRe.FindAllStringSubmatchIndex(t, -1) {
		if m[0] > last {
			out = append(out, tok{lit: t[last:m[0]]})
		}
		if m[2] >= 0 {
			out = append(out, tok{hole: true, quoted: true, name: t[m[2]:m[3]]})
		} else {
			out = append(out, tok{hole: true, name: t[m[4]:m[5]]})
		}
		last = m[1]
	}
	if last < len(t) {
		out = append(out, tok{lit: t[last:]})
	}
	return out
}

func formatToks(f string) ([]tok, bool) {
	var out []tok
	var lit strings.Builder
	for i := 0; i < len(f); i++ {
		if f[i] != '%' {
			lit.WriteByte(f[i])
			continue
		}
		if i+1 >= len(f) {
			return nil, false
		}
		i++
		if f[i] == '%' {
			lit.WriteByte('%')
			continue
		}
		if !strings.ContainsRune("dsvq", rune(f[i])) {
			return nil, false // widths, flags and other verbs: by hand
		}
		if lit.Len() > 0 {
			out = append(out, tok{lit: lit.String()})
			lit.Reset()
		}
		out = append(out, tok{hole: true, verb: f[i], quoted: f[i] == 'q'})
	}
	if lit.Len() > 0 {
		out = append(out, tok{lit: lit.String()})
	}
	return out, true
}

// match reports whether format with args renders as template, and returns
// the params argument to write (nil or Params{...}).
func match(template, format string, args []ast.Expr, src func(ast.Node) string, paramsType string) (string, bool) {
	tt := templateToks(template)
	ft, ok := formatToks(format)
	if !ok {
		return "", false
	}
	if len(args) == 0 && len(ft) <= 1 {
		// A literal with the values written in: "tối đa 20 ký tự" matches
		// "tối đa {max} ký tự" with max 20.
		return matchLiteral(tt, format, paramsType)
	}
	if len(tt) != len(ft) {
		return "", false
	}
	var params []string
	arg := 0
	for i := range tt {
		a, b := tt[i], ft[i]
		if a.hole != b.hole {
			return "", false
		}
		if !a.hole {
			if a.lit != b.lit {
				return "", false
			}
			continue
		}
		if a.quoted != b.quoted || arg >= len(args) {
			return "", false
		}
		params = append(params, strconv.Quote(a.name)+": "+src(args[arg]))
		arg++
	}
	if arg != len(args) {
		return "", false
	}
	if len(params) == 0 {
		return "nil", true
	}
	return paramsType + "{" + strings.Join(params, ", ") + "}", true
}
