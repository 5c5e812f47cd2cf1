package openapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
)

// Adopt moves edits made to an assembled document (built, typically
// api/openapi.json after a merge of a branch that still edited it) into the
// source files in dir: a path or schema that differs replaces the one in the
// file that defines it, and a new path goes to the aggregate file that
// declares its first tag, with the new schemas it references. It returns
// what it moved, one line each; what it cannot place is an error, and then
// no file is written.
func Adopt(dir string, built []byte) ([]string, error) {
	doc, err := decodeObject(built)
	if err != nil {
		return nil, fmt.Errorf("the assembled document: %w", err)
	}
	files := map[string]*object{}
	names := append([]string{"root"}, Aggregates...)
	for _, n := range names {
		if files[n], err = readObject(os.DirFS(dir), n+".json"); err != nil {
			return nil, err
		}
	}
	owner := func(section, key string) string { // the file defining key, or ""
		for _, n := range names {
			if obj, err := section2(files[n], section); err == nil && obj.has(key) {
				return n
			}
		}
		return ""
	}
	tagFile := map[string]string{}
	for _, n := range Aggregates {
		var tags []struct {
			Name string `json:"name"`
		}
		if v, ok := files[n].get("tags"); ok {
			_ = json.Unmarshal(v, &tags)
		}
		for _, t := range tags {
			tagFile[t.Name] = n
		}
	}
	var moved []string
	changed := map[string]bool{}
	place := func(section, key string, v json.RawMessage, file string) error {
		obj, err := section2(files[file], section)
		if err != nil {
			return err
		}
		if old, ok := obj.get(key); ok && sameJSON(old, v) {
			return nil
		}
		obj.put(key, v)
		changed[file] = true
		moved = append(moved, fmt.Sprintf("%s %s -> api/openapi/%s.json", section, key, file))
		return setSection(files[file], section, obj)
	}
	paths, err := doc.child("paths")
	if err != nil {
		return nil, err
	}
	newSchemaFile := map[string]string{}
	for _, m := range paths.members {
		file := owner("paths", m.key)
		if file == "" {
			if file, err = fileOfTag(m.value, tagFile); err != nil {
				return nil, fmt.Errorf("path %s: %w", m.key, err)
			}
			for _, ref := range schemaRefs(m.value) {
				newSchemaFile[ref] = file
			}
		}
		if err := place("paths", m.key, m.value, file); err != nil {
			return nil, err
		}
	}
	comps, err := doc.child("components")
	if err != nil {
		return nil, err
	}
	for _, c := range comps.members {
		sec, err := decodeObject(c.value)
		if err != nil {
			return nil, err
		}
		for _, m := range sec.members {
			file := owner("components."+c.key, m.key)
			if file == "" && c.key == "schemas" {
				file = newSchemaFile[m.key]
			}
			if file == "" {
				return nil, fmt.Errorf("components.%s.%s is new and no new path references it: add it to its aggregate file by hand", c.key, m.key)
			}
			if err := place("components."+c.key, m.key, m.value, file); err != nil {
				return nil, err
			}
		}
	}
	for _, n := range names {
		if !changed[n] {
			continue
		}
		b, err := files[n].marshal()
		if err != nil {
			return nil, err
		}
		var out bytes.Buffer
		if err := json.Indent(&out, b, "", "  "); err != nil {
			return nil, err
		}
		out.WriteByte('\n')
		if err := os.WriteFile(filepath.Join(dir, n+".json"), out.Bytes(), 0o644); err != nil {
			return nil, err
		}
	}
	return moved, nil
}

// section2 is the object at "paths" or "components.<kind>" of a file.
func section2(file *object, section string) (*object, error) {
	if section == "paths" {
		return file.child("paths")
	}
	comps, err := file.child("components")
	if err != nil {
		return nil, err
	}
	return comps.child(section[len("components."):])
}

func setSection(file *object, section string, obj *object) error {
	if section == "paths" {
		return file.set("paths", obj)
	}
	comps, err := file.child("components")
	if err != nil {
		return err
	}
	if err := comps.set(section[len("components."):], obj); err != nil {
		return err
	}
	return file.set("components", comps)
}

// fileOfTag is the aggregate file that declares the first tag of a path
// item's first operation.
func fileOfTag(item json.RawMessage, tagFile map[string]string) (string, error) {
	var ops map[string]struct {
		Tags []string `json:"tags"`
	}
	if err := json.Unmarshal(item, &ops); err != nil {
		return "", err
	}
	for _, m := range []string{"get", "post", "put", "patch", "delete"} {
		if op, ok := ops[m]; ok && len(op.Tags) > 0 {
			if f, ok := tagFile[op.Tags[0]]; ok {
				return f, nil
			}
			return "", fmt.Errorf("tag %q is declared by no aggregate file", op.Tags[0])
		}
	}
	return "", fmt.Errorf("no operation with a tag")
}

// schemaRefs lists the component schemas that v references.
func schemaRefs(v json.RawMessage) []string {
	var out []string
	var walk func(any)
	walk = func(x any) {
		switch t := x.(type) {
		case map[string]any:
			if ref, ok := t["$ref"].(string); ok {
				if name, ok := cutPrefix(ref, "#/components/schemas/"); ok && !slices.Contains(out, name) {
					out = append(out, name)
				}
			}
			for _, c := range t {
				walk(c)
			}
		case []any:
			for _, c := range t {
				walk(c)
			}
		}
	}
	var x any
	_ = json.Unmarshal(v, &x)
	walk(x)
	return out
}

func cutPrefix(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && s[:len(prefix)] == prefix {
		return s[len(prefix):], true
	}
	return s, false
}

// sameJSON reports whether a and b hold the same value, whatever the order
// of their members.
func sameJSON(a, b json.RawMessage) bool {
	var x, y any
	return json.Unmarshal(a, &x) == nil && json.Unmarshal(b, &y) == nil && reflect.DeepEqual(x, y)
}
