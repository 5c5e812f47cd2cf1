package api

import (
	"bytes"
	"encoding/json"
	"maps"
	"reflect"
	"slices"
	"testing"
	"testing/fstest"

	"densach/api/openapi"
)

// TestOpenAPIGenerated fails when api/openapi.json is not what the sources
// under api/openapi/ assemble to, and names the paths and schemas that
// differ, so an edit made to the generated file (or a merge into it) is
// moved to the aggregate file it belongs in.
func TestOpenAPIGenerated(t *testing.T) {
	want, err := openapi.Assemble()
	if err != nil {
		t.Fatalf("assembling api/openapi/: %v", err)
	}
	if bytes.Equal(want, openAPIDocument) {
		return
	}
	var a, b struct {
		Paths      map[string]json.RawMessage `json:"paths"`
		Components struct {
			Schemas map[string]json.RawMessage `json:"schemas"`
		} `json:"components"`
	}
	_ = json.Unmarshal(want, &a)
	_ = json.Unmarshal(openAPIDocument, &b)
	t.Errorf("api/openapi.json is out of date with api/openapi/*.json: edit the aggregate file, then run `go generate ./api` " +
		"(after a merge that edited api/openapi.json: `cd api && go run ./openapi/gen -adopt` moves the edits into the aggregate files)")
	for _, d := range []struct {
		what       string
		src, built map[string]json.RawMessage
	}{{"path", a.Paths, b.Paths}, {"schema", a.Components.Schemas, b.Components.Schemas}} {
		for _, k := range slices.Sorted(maps.Keys(d.built)) {
			if s, ok := d.src[k]; !ok {
				t.Errorf("  %s %s is in api/openapi.json only", d.what, k)
			} else if !jsonEqual(s, d.built[k]) {
				t.Errorf("  %s %s differs", d.what, k)
			}
		}
		for _, k := range slices.Sorted(maps.Keys(d.src)) {
			if _, ok := d.built[k]; !ok {
				t.Errorf("  %s %s is in the sources only", d.what, k)
			}
		}
	}
}

// jsonEqual reports whether x and y hold the same value, whatever the
// order of their members.
func jsonEqual(x, y json.RawMessage) bool {
	var a, b any
	return json.Unmarshal(x, &a) == nil && json.Unmarshal(y, &b) == nil && reflect.DeepEqual(a, b)
}

// TestOpenAPIAssembleRefuses checks that the assembly refuses what would
// silently lose or shadow part of the contract.
func TestOpenAPIAssembleRefuses(t *testing.T) {
	root := `{"openapi":"3.1.0","paths":{},"components":{"schemas":{}}}`
	part := `{"paths":{"/a":{}},"components":{"schemas":{"A":{}}}}`
	files := func(extra map[string]string) fstest.MapFS {
		fsys := fstest.MapFS{"root.json": {Data: []byte(root)}}
		for _, n := range openapi.Aggregates {
			fsys[n+".json"] = &fstest.MapFile{Data: []byte(`{}`)}
		}
		for n, s := range extra {
			fsys[n] = &fstest.MapFile{Data: []byte(s)}
		}
		return fsys
	}
	first, second := openapi.Aggregates[0]+".json", openapi.Aggregates[1]+".json"
	cases := []struct {
		name  string
		files map[string]string
		ok    bool
	}{
		{"one part", map[string]string{first: part}, true},
		{"a path twice", map[string]string{first: part, second: `{"paths":{"/a":{}}}`}, false},
		{"a schema twice", map[string]string{first: part, second: `{"components":{"schemas":{"A":{}}}}`}, false},
		{"a duplicate key in one file", map[string]string{first: `{"paths":{"/a":{},"/a":{}}}`}, false},
		{"an unknown top-level key", map[string]string{first: `{"info":{}}`}, false},
		{"a file not listed", map[string]string{"stray.json": `{}`}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := openapi.AssembleFS(files(c.files))
			if (err == nil) != c.ok {
				t.Fatalf("err = %v, want ok=%v", err, c.ok)
			}
		})
	}
}
