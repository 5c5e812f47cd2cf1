// Package msgcodes finds, by reading the Go source with go/ast, every message
// key and field code the server can put in an error body, so that a test can
// check each one against the Vietnamese catalogue (domain/messages_vi.go) and
// the web app's catalogues, and msgconvert can rewrite old call sites.
package msgcodes

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// Kind says where a name travels in the error body.
type Kind string

// The kinds of site the scanner reports.
const (
	// KindKey is a top-level message key (domain.Fail).
	KindKey Kind = "key"
	// KindField is a field code (domain.FieldOf, Fields.AddOf, and the old
	// Field, Fields.Add, FieldError{...}, RowError{...} and the import
	// planner's fail(field, code, message)).
	KindField Kind = "field"
	// KindMessage is an old top-level message without a key (domain.Errorf or
	// &domain.Error{Message: ...}); it has no name yet.
	KindMessage Kind = "message"
)

// Site is one place in the source that makes a user-facing error.
type Site struct {
	Pos     token.Position
	Kind    Kind
	Name    string            // the key or field code; "" when not a constant
	Message string            // the old Vietnamese literal (a format for Errorf/Sprintf); "" for new constructors
	Format  bool              // Message is a fmt format with verbs still in it
	New     bool              // made by Fail, FieldOf or AddOf
	Call    *ast.CallExpr     // the call, for call sites
	Lit     *ast.CompositeLit // the literal, for Error{...}, FieldError{...} and RowError{...}
	MsgExpr ast.Expr          // the message argument or Message value of an old site
}

// String is the site as "file:line kind name".
func (s Site) String() string {
	return fmt.Sprintf("%s:%d %s %q", s.Pos.Filename, s.Pos.Line, s.Kind, s.Name)
}

// File is one parsed Go file with the string constants of its package.
type File struct {
	Path   string
	Fset   *token.FileSet
	AST    *ast.File
	consts map[string]string
}

// Scan parses every non-test Go file under root (skipping frontend, scripts,
// testdata and hidden directories) and returns the sites found, sorted by
// position, and the parsed files.
func Scan(root string) ([]Site, []*File, error) {
	byDir := map[string][]string{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			name := d.Name()
			if p != root && (strings.HasPrefix(name, ".") || name == "frontend" || name == "scripts" || name == "testdata" || name == "node_modules" || name == "vendor") {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(p, ".go") && !strings.HasSuffix(p, "_test.go") {
			byDir[filepath.Dir(p)] = append(byDir[filepath.Dir(p)], p)
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	var sites []Site
	var files []*File
	dirs := make([]string, 0, len(byDir))
	for d := range byDir {
		dirs = append(dirs, d)
	}
	sort.Strings(dirs)
	for _, dir := range dirs {
		fset := token.NewFileSet()
		consts := map[string]string{}
		var parsed []*File
		for _, p := range byDir[dir] {
			f, err := parser.ParseFile(fset, p, nil, parser.ParseComments)
			if err != nil {
				return nil, nil, err
			}
			collectConsts(f, consts)
			parsed = append(parsed, &File{Path: p, Fset: fset, AST: f, consts: consts})
		}
		for _, f := range parsed {
			sites = append(sites, f.sites(root)...)
		}
		files = append(files, parsed...)
	}
	sort.SliceStable(sites, func(i, j int) bool {
		a, b := sites[i].Pos, sites[j].Pos
		if a.Filename != b.Filename {
			return a.Filename < b.Filename
		}
		return a.Offset < b.Offset
	})
	return sites, files, nil
}

// collectConsts records every string constant of a file, package-level or
// local (a name shadowed in two functions keeps the last value; the scanner
// only needs the error codes, which are package-level).
func collectConsts(f *ast.File, into map[string]string) {
	ast.Inspect(f, func(n ast.Node) bool {
		gd, ok := n.(*ast.GenDecl)
		if !ok || gd.Tok != token.CONST {
			return true
		}
		for _, spec := range gd.Specs {
			vs := spec.(*ast.ValueSpec)
			for i, name := range vs.Names {
				if i < len(vs.Values) {
					if s, ok := stringLit(vs.Values[i]); ok {
						into[name.Name] = s
					}
				}
			}
		}
		return true
	})
}

func stringLit(e ast.Expr) (string, bool) {
	if call, ok := e.(*ast.CallExpr); ok && len(call.Args) == 1 {
		// A conversion such as Code("x") or string("x").
		e = call.Args[0]
	}
	lit, ok := e.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(lit.Value)
	return s, err == nil
}

// Const resolves a string literal or a string constant of the file's package.
func (f *File) Const(e ast.Expr) (string, bool) {
	if s, ok := stringLit(e); ok {
		return s, true
	}
	if id, ok := e.(*ast.Ident); ok {
		s, ok := f.consts[id.Name]
		return s, ok
	}
	return "", false
}

// message returns the literal of an old message argument, unwrapping
// fmt.Sprintf, and whether it is a format.
func (f *File) message(e ast.Expr) (string, bool) {
	if call, ok := e.(*ast.CallExpr); ok && funcName(call) == "Sprintf" && len(call.Args) > 0 {
		s, _ := f.Const(call.Args[0])
		return s, true
	}
	s, _ := f.Const(e)
	return s, false
}

func funcName(call *ast.CallExpr) string {
	switch fn := call.Fun.(type) {
	case *ast.Ident:
		return fn.Name
	case *ast.SelectorExpr:
		return fn.Sel.Name
	}
	return ""
}

func (f *File) sites(root string) []Site {
	var out []Site
	rel := func(p token.Pos) token.Position {
		pos := f.Fset.Position(p)
		if r, err := filepath.Rel(root, pos.Filename); err == nil {
			pos.Filename = filepath.ToSlash(r)
		}
		return pos
	}
	ast.Inspect(f.AST, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.CallExpr:
			name := funcName(n)
			switch {
			case name == "Fail" && len(n.Args) >= 2:
				key, _ := f.Const(n.Args[1])
				out = append(out, Site{Pos: rel(n.Pos()), Kind: KindKey, Name: key, New: true, Call: n})
			case (name == "FieldOf" || name == "AddOf") && len(n.Args) >= 2:
				code, _ := f.Const(n.Args[1])
				out = append(out, Site{Pos: rel(n.Pos()), Kind: KindField, Name: code, New: true, Call: n})
			case (name == "Field" || name == "Add" || name == "fail") && len(n.Args) == 3:
				code, ok := f.Const(n.Args[1])
				if !ok {
					return true // a variable: it passes on a code made elsewhere
				}
				msg, format := f.message(n.Args[2])
				out = append(out, Site{Pos: rel(n.Pos()), Kind: KindField, Name: code, Message: msg, Format: format, Call: n, MsgExpr: n.Args[2]})
			case name == "Errorf" && len(n.Args) >= 2 && isDomainCode(n.Args[0]):
				msg, _ := f.Const(n.Args[1])
				out = append(out, Site{Pos: rel(n.Pos()), Kind: KindMessage, Message: msg, Format: len(n.Args) > 2, Call: n, MsgExpr: n.Args[1]})
			}
		case *ast.CompositeLit:
			var code, msg string
			var hasCode, hasMsg, format bool
			var msgExpr ast.Expr
			for _, el := range n.Elts {
				kv, ok := el.(*ast.KeyValueExpr)
				if !ok {
					continue
				}
				k, _ := kv.Key.(*ast.Ident)
				if k == nil {
					continue
				}
				switch k.Name {
				case "Code":
					code, hasCode = f.Const(kv.Value)
				case "Message":
					msg, format = f.message(kv.Value)
					hasMsg, msgExpr = true, kv.Value
				}
			}
			if !hasMsg {
				return true
			}
			if isErrorType(n.Type) {
				out = append(out, Site{Pos: rel(n.Pos()), Kind: KindMessage, Message: msg, Format: format, Lit: n, MsgExpr: msgExpr})
			} else if hasCode {
				out = append(out, Site{Pos: rel(n.Pos()), Kind: KindField, Name: code, Message: msg, Format: format, Lit: n, MsgExpr: msgExpr})
			}
		}
		return true
	})
	return out
}

// isDomainCode reports whether e names one of the domain's error codes
// (CodeInvalid or domain.CodeInvalid), which tells domain.Errorf from
// fmt.Errorf and t.Errorf.
func isDomainCode(e ast.Expr) bool {
	switch e := e.(type) {
	case *ast.Ident:
		return strings.HasPrefix(e.Name, "Code")
	case *ast.SelectorExpr:
		return strings.HasPrefix(e.Sel.Name, "Code")
	}
	return false
}

func isErrorType(e ast.Expr) bool {
	switch e := e.(type) {
	case *ast.Ident:
		return e.Name == "Error"
	case *ast.SelectorExpr:
		return e.Sel.Name == "Error"
	}
	return false
}

// ModuleRoot walks up from dir to the directory holding go.mod.
func ModuleRoot(dir string) (string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod above %s", dir)
		}
		dir = parent
	}
}
