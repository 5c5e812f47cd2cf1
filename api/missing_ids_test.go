package api

import (
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
)

// TestMissingIDsAreNotServerErrors calls every documented operation whose
// path names a record, with an id no record has, as the administrator (who
// passes every scope check and so reaches the lookups): a record that is not
// there is the caller's error (404, or a refusal of the body first), never a
// 500. Writes carry an empty JSON object; nothing exists to be changed.
// The object store is real, so the materials' routes reach their lookups.
func TestMissingIDsAreNotServerErrors(t *testing.T) {
	e := newTestEnvWith(t, envOptions{Objects: testObjects(t)})
	doc := parseOpenAPI(t)
	token := e.token(e.w.Admin)
	param := regexp.MustCompile(`\{[^}]+\}`)
	var paths []string
	for path := range doc.Paths {
		if strings.Contains(path, "{") {
			paths = append(paths, path)
		}
	}
	sort.Strings(paths)
	calls := 0
	for _, path := range paths {
		for method := range doc.Paths[path] {
			if !slices.Contains(httpMethods, method) {
				continue
			}
			url := param.ReplaceAllString(path, "987654321")
			var body any
			if method != "get" && method != "delete" {
				body = map[string]any{}
			}
			status, answer := e.call(strings.ToUpper(method), url, token, body)
			calls++
			if status >= 500 {
				t.Errorf("%s %s: %d %v", strings.ToUpper(method), url, status, answer)
			}
		}
	}
	if calls < 50 {
		t.Fatalf("only %d operations with an id in the document", calls)
	}
}
