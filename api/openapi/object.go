package openapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
)

// object is a JSON object that keeps its members in the order written, so
// the assembled document reads like its sources.
type object struct{ members []member }

type member struct {
	key   string
	value json.RawMessage
}

func readObject(fsys fs.FS, name string) (*object, error) {
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, err
	}
	o, err := decodeObject(b)
	if err != nil {
		return nil, fmt.Errorf("api/openapi/%s: %w", name, err)
	}
	return o, nil
}

// decodeObject reads one JSON object's members in order; duplicate names
// are an error (encoding/json would silently keep the last).
func decodeObject(raw []byte) (*object, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, fmt.Errorf("want a JSON object (%v)", err)
	}
	o := &object{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		key := tok.(string)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, fmt.Errorf("%q: %w", key, err)
		}
		if o.has(key) {
			return nil, fmt.Errorf("%q appears twice", key)
		}
		o.members = append(o.members, member{key, v})
	}
	if _, err := dec.Token(); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err == nil {
		return nil, fmt.Errorf("data after the object")
	}
	return o, nil
}

func (o *object) get(key string) (json.RawMessage, bool) {
	for _, m := range o.members {
		if m.key == key {
			return m.value, true
		}
	}
	return nil, false
}

func (o *object) has(key string) bool { _, ok := o.get(key); return ok }

// put sets key to v, in place when it exists and at the end otherwise.
func (o *object) put(key string, v json.RawMessage) {
	for i := range o.members {
		if o.members[i].key == key {
			o.members[i].value = v
			return
		}
	}
	o.members = append(o.members, member{key, v})
}

// child decodes the object under key (an empty one when absent).
func (o *object) child(key string) (*object, error) {
	v, ok := o.get(key)
	if !ok {
		return &object{}, nil
	}
	c, err := decodeObject(v)
	if err != nil {
		return nil, fmt.Errorf("%q: %w", key, err)
	}
	return c, nil
}

// set stores c under key.
func (o *object) set(key string, c *object) error {
	b, err := c.marshal()
	if err != nil {
		return err
	}
	o.put(key, b)
	return nil
}

// marshal writes the object compactly, members in order.
func (o *object) marshal() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, m := range o.members {
		if i > 0 {
			b.WriteByte(',')
		}
		var k bytes.Buffer
		enc := json.NewEncoder(&k)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(m.key); err != nil {
			return nil, err
		}
		b.Write(bytes.TrimRight(k.Bytes(), "\n"))
		b.WriteByte(':')
		if err := json.Compact(&b, m.value); err != nil {
			return nil, fmt.Errorf("%q: %w", m.key, err)
		}
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}
