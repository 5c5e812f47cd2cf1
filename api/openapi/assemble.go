// Package openapi holds the sources of the API contract, one JSON file per
// aggregate, and assembles them into the one OpenAPI document that the
// server serves and validates requests against and from which the web app's
// types are generated (api/openapi.json, written by `go generate ./api`).
//
// root.json has the document's frame: version, info, servers, the security
// scheme, the shared error schemas, responses and parameters. Every other
// file is an aggregate's part, with up to three keys: "tags" (appended),
// "paths" and "components" (merged key by key; a path, schema, response or
// parameter defined twice is an error). The aggregates are read in the order
// of Aggregates, so the assembled document keeps a stable order.
package openapi

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"slices"
	"strings"
)

// Aggregates lists the aggregate files (without .json) in the order their
// paths and schemas appear in the assembled document. A new aggregate adds
// its file here; a file that is not listed is an error, not silently left out.
var Aggregates = []string{"meta", "auth", "people", "audit", "units", "jobs", "courses", "materials", "refdata", "catalogue", "enrolments", "quizzes", "classes", "rosters", "feeds", "attendance", "classwizard", "registers", "checkin", "onlinemarks"}

//go:embed *.json
var sources embed.FS

// Assemble builds the OpenAPI document from the embedded sources.
func Assemble() ([]byte, error) { return AssembleFS(sources) }

// AssembleFS builds the OpenAPI document from root.json and the aggregate
// files in fsys, indented by two spaces and ending in a newline.
func AssembleFS(fsys fs.FS) ([]byte, error) {
	names, err := fs.Glob(fsys, "*.json")
	if err != nil {
		return nil, err
	}
	for _, n := range names {
		if base := strings.TrimSuffix(n, ".json"); base != "root" && !slices.Contains(Aggregates, base) {
			return nil, fmt.Errorf("api/openapi/%s is not listed in openapi.Aggregates", n)
		}
	}
	root, err := readObject(fsys, "root.json")
	if err != nil {
		return nil, err
	}
	for _, agg := range Aggregates {
		part, err := readObject(fsys, agg+".json")
		if err != nil {
			return nil, err
		}
		if err := mergePart(root, part, agg+".json"); err != nil {
			return nil, err
		}
	}
	compact, err := root.marshal()
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	if err := json.Indent(&out, compact, "", "  "); err != nil {
		return nil, err
	}
	out.WriteByte('\n')
	return out.Bytes(), nil
}

// mergePart adds one aggregate's tags, paths and components to root.
func mergePart(root, part *object, file string) error {
	for _, m := range part.members {
		switch m.key {
		case "tags":
			if err := appendArray(root, "tags", m.value); err != nil {
				return fmt.Errorf("%s: tags: %w", file, err)
			}
		case "paths":
			if err := mergeObject(root, "paths", m.value, file+": path"); err != nil {
				return err
			}
		case "components":
			comps, err := decodeObject(m.value)
			if err != nil {
				return fmt.Errorf("%s: components: %w", file, err)
			}
			for _, c := range comps.members {
				rc, err := root.child("components")
				if err != nil {
					return err
				}
				if err := mergeObject(rc, c.key, c.value, file+": components."+c.key); err != nil {
					return err
				}
				if err := root.set("components", rc); err != nil {
					return err
				}
			}
		default:
			return fmt.Errorf("%s: key %q; an aggregate file has only tags, paths and components", file, m.key)
		}
	}
	return nil
}

// mergeObject adds the members of the JSON object raw to parent[key],
// refusing any name that is already there.
func mergeObject(parent *object, key string, raw json.RawMessage, what string) error {
	add, err := decodeObject(raw)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	dst, err := parent.child(key)
	if err != nil {
		return err
	}
	for _, m := range add.members {
		if dst.has(m.key) {
			return fmt.Errorf("%s %q is defined twice", what, m.key)
		}
		dst.members = append(dst.members, m)
	}
	return parent.set(key, dst)
}

// appendArray appends the elements of the JSON array raw to parent[key].
func appendArray(parent *object, key string, raw json.RawMessage) error {
	var add, have []json.RawMessage
	if err := json.Unmarshal(raw, &add); err != nil {
		return err
	}
	if v, ok := parent.get(key); ok {
		if err := json.Unmarshal(v, &have); err != nil {
			return err
		}
	}
	b, err := json.Marshal(append(have, add...))
	if err != nil {
		return err
	}
	parent.put(key, b)
	return nil
}
