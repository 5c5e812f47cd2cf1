package api

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"unicode/utf8"

	"densach/domain"
)

// jsonFrame is one open object or array while walking a JSON body.
type jsonFrame struct {
	object  bool
	key     string
	index   int
	wantKey bool
}

// checkStrings walks every string of a JSON body, keys included and at any
// depth: one holding NUL or invalid UTF-8 is a field error named by its
// path ("a.b[2].c"), one longer than maxStringLen an error. encoding/json
// would silently turn invalid UTF-8 into U+FFFD, so the raw bytes of each
// token are checked, not only the decoded value. A syntax error ends the
// walk; the strict decode that follows reports it.
func checkStrings(body []byte) error {
	if len(body) <= maxStringLen && utf8.Valid(body) && !bytes.Contains(body, []byte(`\u0000`)) {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	var stack []jsonFrame
	var prev int64
	for {
		tok, err := dec.Token()
		if err != nil {
			return nil
		}
		end := dec.InputOffset()
		raw := body[prev:end]
		prev = end
		if d, ok := tok.(json.Delim); ok && (d == '}' || d == ']') {
			stack = stack[:len(stack)-1]
			valueDone(stack)
			continue
		}
		if n := len(stack); n > 0 && stack[n-1].object && stack[n-1].wantKey {
			key, _ := tok.(string)
			stack[n-1].key, stack[n-1].wantKey = key, false
			if !utf8.Valid(raw) || !domain.ValidText(key) {
				return domain.Invalid(domain.InvalidBytes(jsonPath(stack)))
			}
			continue
		}
		if n := len(stack); n > 0 && !stack[n-1].object {
			stack[n-1].index++
		}
		switch t := tok.(type) {
		case json.Delim:
			stack = append(stack, jsonFrame{object: t == '{', wantKey: t == '{', index: -1})
			continue
		case string:
			if !utf8.Valid(raw) || !domain.ValidText(t) {
				return domain.Invalid(domain.InvalidBytes(jsonPath(stack)))
			}
			if max := stringLimit(stack); utf8.RuneCountInString(t) > max {
				return domain.Fail(domain.CodeInvalid, "json_string_too_long", domain.Params{"max": max})
			}
		}
		valueDone(stack)
	}
}

// valueDone notes that the current value of the innermost object ended, so
// a key comes next.
func valueDone(stack []jsonFrame) {
	if n := len(stack); n > 0 && stack[n-1].object {
		stack[n-1].wantKey = true
	}
}

// jsonPath names the current value: object keys joined by dots, array
// indexes in brackets; "body" for the document itself.
func jsonPath(stack []jsonFrame) string {
	var b strings.Builder
	for _, f := range stack {
		switch {
		case f.object && b.Len() > 0:
			b.WriteString("." + f.key)
		case f.object:
			b.WriteString(f.key)
		default:
			b.WriteString("[" + strconv.Itoa(f.index) + "]")
		}
	}
	if b.Len() == 0 {
		return "body"
	}
	return b.String()
}

// longTextFields are the fields holding long Markdown, allowed past
// maxStringLen up to their own bound (the domain checks it exactly).
var longTextFields = map[string]int{"description_md": 20000, "body_md": 100000}

// stringLimit is the bound of the string at the top of the stack.
func stringLimit(stack []jsonFrame) int {
	if n := len(stack); n > 0 && stack[n-1].object {
		if max, ok := longTextFields[stack[n-1].key]; ok {
			return max
		}
	}
	return maxStringLen
}
