package openapi

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// copySources writes the embedded sources into a fresh folder.
func copySources(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	names, _ := fs.Glob(sources, "*.json")
	for _, n := range names {
		b, _ := fs.ReadFile(sources, n)
		if err := os.WriteFile(filepath.Join(dir, n), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// edited is the assembled document with the edits a branch makes to it.
func edited(t *testing.T, edit func(doc map[string]any)) []byte {
	t.Helper()
	b, err := Assemble()
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	edit(doc)
	out, _ := json.MarshalIndent(doc, "", "  ")
	return out
}

func TestAdopt(t *testing.T) {
	schemas := func(doc map[string]any) map[string]any {
		return doc["components"].(map[string]any)["schemas"].(map[string]any)
	}
	built := edited(t, func(doc map[string]any) {
		doc["paths"].(map[string]any)["/api/v1/units/{id}/history"] = map[string]any{"get": map[string]any{
			"summary": "x", "tags": []any{"geography"},
			"responses": map[string]any{"200": map[string]any{"description": "ok", "content": map[string]any{
				"application/json": map[string]any{"schema": map[string]any{"$ref": "#/components/schemas/UnitHistory"}}}}}}}
		schemas(doc)["UnitHistory"] = map[string]any{"type": "object"}
		schemas(doc)["Person"].(map[string]any)["properties"].(map[string]any)["nickname"] = map[string]any{"type": "string"}
	})
	dir := copySources(t)
	moved, err := Adopt(dir, built)
	if err != nil {
		t.Fatal(err)
	}
	if len(moved) != 3 {
		t.Errorf("moved %v, want the path, the new schema and the changed one", moved)
	}
	again, err := AssembleFS(os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	var want, got any
	_ = json.Unmarshal(built, &want)
	_ = json.Unmarshal(again, &got)
	if !reflect.DeepEqual(want, got) {
		t.Fatal("the sources after Adopt do not assemble to the edited document")
	}
	units, _ := os.ReadFile(filepath.Join(dir, "units.json"))
	if !json.Valid(units) || !contains(units, "/api/v1/units/{id}/history") || !contains(units, `"UnitHistory"`) {
		t.Error("the new path and its schema are not in units.json")
	}

	if _, err := Adopt(copySources(t), edited(t, func(doc map[string]any) {
		doc["paths"].(map[string]any)["/api/v1/x"] = map[string]any{"get": map[string]any{"tags": []any{"nobody"}}}
	})); err == nil {
		t.Error("a path whose tag no aggregate declares was placed")
	}
}

func contains(b []byte, s string) bool { return strings.Contains(string(b), s) }
