package api

import (
	"bytes"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// Markdown written by course authors (descriptions, text lessons) is shown
// to learners as HTML. It is rendered by goldmark (CommonMark + GitHub
// tables, strikethrough, autolinks and task lists) with raw HTML left out,
// then the HTML is cleaned by bluemonday's user-generated-content policy:
// no script, no event attributes, no style, and links and images only to
// http, https and mailto addresses. Links get rel="nofollow noopener" and
// those to other sites open in a new tab. The sanitiser runs even though
// goldmark already drops raw HTML: it is the one guarantee, whatever the
// renderer lets through (a link's destination, an autolink, an extension).
var (
	markdown = goldmark.New(goldmark.WithExtensions(extension.GFM))
	// markdownPolicy is built once; a bluemonday policy is safe for
	// concurrent use once configured.
	markdownPolicy = func() *bluemonday.Policy {
		p := bluemonday.UGCPolicy()
		p.AllowURLSchemes("http", "https", "mailto")
		p.RequireNoFollowOnLinks(true)
		p.AddTargetBlankToFullyQualifiedLinks(true)
		p.RequireNoReferrerOnLinks(false)
		return p
	}()
)

// maxMarkdownLen bounds what is rendered (course descriptions hold 20,000
// characters, lessons 100,000): a longer text is cut, never rendered whole.
const maxMarkdownLen = 200_000

// renderMarkdown turns author Markdown into HTML that is safe to insert
// into our pages: whatever the input, the output runs no script.
func renderMarkdown(md string) string {
	if len(md) > maxMarkdownLen {
		md = md[:maxMarkdownLen]
	}
	var buf bytes.Buffer
	if err := markdown.Convert([]byte(md), &buf); err != nil {
		// goldmark fails only when writing to buf fails, which it does not;
		// show nothing rather than the unrendered text.
		return ""
	}
	return markdownPolicy.Sanitize(buf.String())
}
