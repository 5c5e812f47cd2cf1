package api

import (
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// inert reports why rendered HTML could run script, or "" when it cannot:
// it parses the HTML as a browser would and refuses any element that runs
// or embeds content (script, style, iframe, object, embed, svg, math, form,
// base, meta, link), any event or style attribute, and any URL attribute
// whose scheme is not http, https or mailto (relative URLs are ours). A
// link opened in a new tab must carry rel="noopener".
//
// The tree builder refuses documents nested more than 512 elements deep
// (Markdown such as 600 '>' makes 600 nested blockquotes; browsers flatten
// what is deeper). Such output is checked token by token instead: every
// start tag with its attributes, by the same rules.
func inert(rendered string) string {
	doc, err := html.Parse(strings.NewReader(rendered))
	if err != nil {
		if !strings.Contains(err.Error(), "open stack of elements") {
			return "unparseable: " + err.Error()
		}
		return inertTokens(rendered)
	}
	var why string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if why != "" {
			return
		}
		if n.Type == html.ElementNode {
			if why = inertElement(n.Data, n.Attr); why != "" {
				return
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return why
}

// inertTokens applies inertElement to every start tag of the HTML.
func inertTokens(rendered string) string {
	z := html.NewTokenizer(strings.NewReader(rendered))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return ""
		case html.StartTagToken, html.SelfClosingTagToken:
			tok := z.Token()
			if why := inertElement(tok.Data, tok.Attr); why != "" {
				return why
			}
		}
	}
}

// inertElement reports why one element could run script, or "".
func inertElement(name string, attrs []html.Attribute) string {
	switch name {
	case "script", "style", "iframe", "frame", "object", "embed", "svg", "math", "form", "base", "meta", "link", "noscript", "template":
		return "element <" + name + ">"
	}
	target, rel := "", ""
	for _, a := range attrs {
		key := strings.ToLower(a.Key)
		switch {
		case strings.HasPrefix(key, "on"), key == "style", key == "srcdoc", key == "formaction":
			return "attribute " + key + " on <" + name + ">"
		case key == "href" || key == "src" || key == "action" || key == "cite" || key == "poster" || key == "xlink:href":
			u, err := url.Parse(strings.TrimSpace(a.Val))
			if err != nil {
				return "unparseable URL " + a.Val
			}
			switch strings.ToLower(u.Scheme) {
			case "", "http", "https", "mailto":
			default:
				return "URL scheme " + u.Scheme + " in " + key
			}
		case key == "target":
			target = a.Val
		case key == "rel":
			rel = a.Val
		}
	}
	if target == "_blank" && !strings.Contains(rel, "noopener") {
		return "target=_blank without rel=noopener"
	}
	return ""
}

// TestRenderMarkdownInert renders hostile Markdown: every answer runs no
// script, and what is harmless (the text, safe links) survives.
func TestRenderMarkdownInert(t *testing.T) {
	cases := []struct {
		name, md string
		keep     []string // substrings the output must still hold
		drop     []string // substrings it must not hold (lower-cased output)
	}{
		{"script tag", "Trước <script>alert(1)</script> sau", []string{"Trước", "sau"}, []string{"<script"}},
		{"script block", "<script>\nalert(1)\n</script>", nil, []string{"<script"}},
		{"javascript link", "[bấm](javascript:alert(1))", []string{"bấm"}, []string{"javascript:", "href"}},
		{"javascript mixed case", "[bấm](JaVaScRiPt:alert(1))", []string{"bấm"}, []string{"javascript:", "href"}},
		{"javascript entity-encoded", "[bấm](&#106;&#97;vascript:alert(1))", []string{"bấm"}, []string{"href"}},
		{"javascript hex entities", "[bấm](&#x6A;avascript&#x3A;alert(1))", []string{"bấm"}, []string{"href"}},
		{"javascript with tab", "[bấm](java\tscript:alert(1))", []string{"bấm"}, []string{"javascript", "href=\"java"}},
		{"javascript autolink", "<javascript:alert(1)>", nil, []string{"href"}},
		{"javascript reference link", "[bấm][x]\n\n[x]: javascript:alert(1)", []string{"bấm"}, []string{"href"}},
		{"vbscript link", "[bấm](vbscript:msgbox(1))", []string{"bấm"}, []string{"href"}},
		{"raw anchor", `<a href="javascript:alert(1)">bấm</a>`, nil, []string{"javascript:"}},
		{"event attribute", `<p onclick="alert(1)">đoạn</p>`, nil, []string{"onclick"}},
		{"event attribute in link title", `[a](https://vi.wikipedia.org "x\" onmouseover=\"alert(1)")`, []string{"https://vi.wikipedia.org"}, nil},
		{"img onerror", `<img src=x onerror=alert(1)>`, nil, []string{"onerror", "<img"}},
		{"markdown image with event", `![a" onerror="alert(1)](https://example.org/a.png)`, []string{"https://example.org/a.png"}, nil},
		{"data URI image", "![ảnh](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)", nil, []string{"data:"}},
		{"data URI link", "[tải](data:text/html,<script>alert(1)</script>)", []string{"tải"}, []string{"data:"}},
		{"svg", `<svg onload=alert(1)><circle r=1 /></svg>`, nil, []string{"<svg", "onload"}},
		{"svg markdown image", "![x](https://example.org/x.svg)", nil, nil},
		{"iframe", `<iframe src="https://evil.example"></iframe>`, nil, []string{"<iframe"}},
		{"style", `<style>body{display:none}</style><div style="position:fixed">x</div>`, nil, []string{"<style", "style="}},
		{"form", `<form action="https://evil.example"><input name=p></form>`, nil, []string{"<form", "<input"}},
		{"html comment trick", "<!-- --><script>alert(1)</script>", nil, []string{"<script"}},
		{"nesting deeper than the HTML parser's 512", strings.Repeat(">", 600) + " [x](javascript:alert(1)) sâu", []string{"sâu"}, []string{"href"}},
		{"deep list", strings.Repeat("- ", 300) + "[x](https://a.vn)", []string{`href="https://a.vn"`}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out := renderMarkdown(tc.md)
			if why := inert(out); why != "" {
				t.Fatalf("%q renders %q: %s", tc.md, out, why)
			}
			lower := strings.ToLower(out)
			for _, s := range tc.drop {
				if strings.Contains(lower, s) {
					t.Errorf("%q renders %q, which holds %q", tc.md, out, s)
				}
			}
			for _, s := range tc.keep {
				if !strings.Contains(out, s) {
					t.Errorf("%q renders %q, which lost %q", tc.md, out, s)
				}
			}
		})
	}
}

// TestRenderMarkdownFormats checks that ordinary Markdown renders as
// expected: headings, emphasis, lists, tables (GFM), safe links with rel
// and target.
func TestRenderMarkdownFormats(t *testing.T) {
	cases := []struct{ md, want string }{
		{"# Kỹ năng số", "<h1>Kỹ năng số</h1>"},
		{"**đậm** và *nghiêng* ~~gạch~~", "<p><strong>đậm</strong> và <em>nghiêng</em> <del>gạch</del></p>"},
		{"- một\n- hai", "<ul>\n<li>một</li>\n<li>hai</li>\n</ul>"},
		{"| a | b |\n|---|---|\n| 1 | 2 |", "<td>1</td>"},
		{"[Cổng dịch vụ công](https://dichvucong.gov.vn)", `<a href="https://dichvucong.gov.vn" rel="nofollow noopener" target="_blank">Cổng dịch vụ công</a>`},
		{"https://dichvucong.gov.vn", `<a href="https://dichvucong.gov.vn" rel="nofollow noopener" target="_blank">`},
		{"[thư](mailto:hotro@example.org)", `<a href="mailto:hotro@example.org" rel="nofollow">thư</a>`},
		{"[bài 2](/khoa-hoc/2)", `<a href="/khoa-hoc/2" rel="nofollow">bài 2</a>`},
		{"a < b & c", "<p>a &lt; b &amp; c</p>"},
	}
	for _, tc := range cases {
		out := renderMarkdown(tc.md)
		if !strings.Contains(out, tc.want) {
			t.Errorf("%q renders %q; want it to contain %q", tc.md, out, tc.want)
		}
		if why := inert(out); why != "" {
			t.Errorf("%q: %s", tc.md, why)
		}
	}
	if got := renderMarkdown(""); got != "" {
		t.Errorf("empty Markdown renders %q", got)
	}
}

// TestInertRefuses: the oracle itself finds script, in shallow output and in
// output nested deeper than the tree builder takes.
func TestInertRefuses(t *testing.T) {
	deep := strings.Repeat("<blockquote>", 600)
	for _, h := range []string{`<script>1</script>`, `<a href="javascript:1">x</a>`, `<img src=x onerror=1>`,
		`<a href="https://a.vn" target="_blank">x</a>`, deep + `<script>1</script>`, deep + `<a href="java&#x09;script:1">x</a>`,
		deep + `<p onclick=1>x</p>`} {
		if inert(h) == "" {
			t.Errorf("inert(%.80q…) found nothing", h[max(0, len(h)-60):])
		}
	}
	if why := inert(deep + `<a href="https://a.vn" rel="nofollow noopener" target="_blank">x</a>`); why != "" {
		t.Errorf("a safe deep link: %s", why)
	}
}

// FuzzRenderMarkdown: whatever the input, the output runs no script.
func FuzzRenderMarkdown(f *testing.F) {
	for _, s := range []string{"<script>alert(1)</script>", "[x](javascript:alert(1))", "<img src=x onerror=alert(1)>",
		"![x](data:text/html,x)", "<svg onload=alert(1)>", "[x](&#106;avascript:1)", "<a href='jav&#x09;ascript:1'>x</a>",
		"**a** [b](https://c.d) <https://e.f>", strings.Repeat(">", 520) + " [x](javascript:1)"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, md string) {
		out := renderMarkdown(md)
		if why := inert(out); why != "" {
			t.Fatalf("%q renders %q: %s", md, out, why)
		}
	})
}
