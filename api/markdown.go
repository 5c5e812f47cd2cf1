package api

import "html"

// renderMarkdown turns Markdown into safe HTML. This stand-in escapes the
// text and keeps its line breaks as paragraphs' text; the catalogue work
// replaces it with a real renderer and sanitizer (goldmark + bluemonday).
func renderMarkdown(md string) string {
	if md == "" {
		return ""
	}
	return "<p>" + html.EscapeString(md) + "</p>"
}
