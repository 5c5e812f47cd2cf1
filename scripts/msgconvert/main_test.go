package main

import (
	"go/ast"
	"go/parser"
	"testing"
)

func TestMatchTemplateAgainstOldMessages(t *testing.T) {
	src := func(n ast.Node) string { return n.(*ast.Ident).Name }
	args := func(names ...string) []ast.Expr {
		var out []ast.Expr
		for _, n := range names {
			e, err := parser.ParseExpr(n)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, e)
		}
		return out
	}
	cases := []struct {
		name, template, format string
		args                   []ast.Expr
		want                   string
		ok                     bool
	}{
		{"plain", "Cần nhập mật khẩu.", "Cần nhập mật khẩu.", nil, "nil", true},
		{"other text", "Cần nhập mật khẩu.", "Cần nhập mật khẩu hiện tại.", nil, "", false},
		{"verb", "Tối đa {max} ký tự.", "Tối đa %d ký tự.", args("n"), `Params{"max": n}`, true},
		{"quoted", `Cột "{column}" trùng.`, "Cột %q trùng.", args("h"), `Params{"column": h}`, true},
		{"quote mismatch", `Cột "{column}" trùng.`, "Cột %s trùng.", args("h"), "", false},
		{"number written in", "Tối đa {max} ký tự.", "Tối đa 20 ký tự.", nil, `Params{"max": 20}`, true},
		{"text written in", `Mã "{code}" sai.`, `Mã "X1" sai.`, nil, `Params{"code": "X1"}`, true},
		{"missing placeholder", "Tối đa {max} ký tự.", "Tối đa nhiều ký tự.", nil, "", false},
		{"extra argument", "Sai.", "Sai %d.", args("n"), "", false},
		{"width verb", "Tối đa {max} ký tự.", "Tối đa %5d ký tự.", args("n"), "", false},
		{"percent", "100% {x}", "100%% %s", args("v"), `Params{"x": v}`, true},
	}
	for _, c := range cases {
		got, ok := match(c.template, c.format, c.args, src, "Params")
		if ok != c.ok || got != c.want {
			t.Errorf("%s: match = %q, %v; want %q, %v", c.name, got, ok, c.want, c.ok)
		}
	}
}
