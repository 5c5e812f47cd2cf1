package api

import (
	"encoding/json"
	"math"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/getkin/kin-openapi/openapi3"
)

// bodyCheck is the fast accept check of a JSON request body, compiled once
// per operation from its schema: it walks the body's bytes once and answers
// only "certainly valid" (true) or "not sure" (false). Its true must never be
// more lenient than kin-openapi's 3.0 validator (VisitJSON, as
// validateRequest calls it); on false the body goes to kin-openapi, whose
// refusal is the answer. A schema using anything it does not mirror
// compiles to nil: always kin-openapi.
type bodyCheck struct {
	types     uint8 // the JSON types the schema's "type" permits (all when absent)
	null      bool  // nullable, or "null" among the types: null passes before any other keyword
	enum      map[string]bool
	format    string
	min, max  *float64
	minLength uint64
	maxLength *uint64
	pattern   *regexp.Regexp
	minItems  uint64
	maxItems  *uint64
	items     *bodyCheck
	props     map[string]bodyProp // properties and required names
	required  uint64              // bits of props that must be present
	hasProps  bool                // "properties" is present
	closed    bool                // additionalProperties: false
	extra     *bodyCheck          // additionalProperties as a schema
}

// bodyProp is a property or a required name: its schema (nil for a
// required name that is not a property) and its bit in bodyCheck.required.
type bodyProp struct {
	check *bodyCheck
	bit   uint64
}

const (
	typeBoolean uint8 = 1 << iota
	typeInteger
	typeNumber
	typeString
	typeArray
	typeObject
)

var typeBits = map[string]uint8{
	openapi3.TypeBoolean: typeBoolean, openapi3.TypeInteger: typeInteger, openapi3.TypeNumber: typeNumber,
	openapi3.TypeString: typeString, openapi3.TypeArray: typeArray, openapi3.TypeObject: typeObject,
}

// newBodyCheck compiles the JSON request body schema of op, or returns nil
// when op has none or its schema needs what the check does not mirror.
func newBodyCheck(op *openapi3.Operation) *bodyCheck {
	if op.RequestBody == nil || op.RequestBody.Value == nil {
		return nil
	}
	mt := op.RequestBody.Value.Content.Get("application/json")
	if mt == nil || mt.Schema == nil || mt.Schema.Value == nil || len(mt.Encoding) > 0 {
		return nil
	}
	s := mt.Schema.Value
	if s.Type.Is(openapi3.TypeString) && s.Format == "binary" {
		return nil // kin-openapi reads such a body as a file, not as JSON
	}
	check, ok := compileBody(s, map[*openapi3.Schema]*bodyCheck{})
	if !ok {
		return nil
	}
	return check
}

// mirrored clears the schema fields that compileBody mirrors or that the
// validator ignores; a schema with any other field set is not compiled.
func mirrored(s openapi3.Schema) openapi3.Schema {
	s.Extensions, s.Origin, s.Title, s.Description, s.Default, s.Example, s.Examples = nil, nil, "", "", nil, nil, nil
	s.ExternalDocs, s.Deprecated, s.XML, s.Comment, s.ContentMediaType = nil, false, nil, "", ""
	s.Type, s.Nullable, s.Enum, s.Format, s.Min, s.Max = nil, false, nil, "", nil, nil
	s.MinLength, s.MaxLength, s.Pattern, s.MinItems, s.MaxItems, s.Items = 0, nil, "", 0, nil, nil
	s.Required, s.Properties, s.AdditionalProperties = nil, nil, openapi3.AdditionalProperties{}
	return s
}

func compileBody(s *openapi3.Schema, done map[*openapi3.Schema]*bodyCheck) (*bodyCheck, bool) {
	if s == nil {
		return nil, false // an unresolved $ref
	}
	if c, ok := done[s]; ok {
		return c, true // a recursive schema
	}
	if !reflect.DeepEqual(mirrored(*s), openapi3.Schema{}) {
		return nil, false
	}
	c := &bodyCheck{types: math.MaxUint8, null: s.Nullable || s.Type.IncludesNull(), format: s.Format,
		min: s.Min, max: s.Max, minLength: s.MinLength, maxLength: s.MaxLength,
		minItems: s.MinItems, maxItems: s.MaxItems, hasProps: s.Properties != nil}
	done[s] = c
	if s.Type != nil {
		c.types = 0
		for _, t := range *s.Type {
			c.types |= typeBits[t]
		}
	}
	if len(s.Enum) > 0 {
		c.enum = map[string]bool{}
		for _, v := range s.Enum {
			str, ok := v.(string)
			if v == nil {
				continue // null passes or fails before the enum is read
			}
			if !ok {
				return nil, false
			}
			c.enum[str] = true
		}
	}
	if s.Pattern != "" {
		// kin-openapi's own compilation (schema_pattern.go: intoGoRegexp).
		re, err := regexp.Compile(kinCodepoints.ReplaceAllString(s.Pattern, `\x{${code}}`))
		if err != nil {
			return nil, false
		}
		c.pattern = re
	}
	var ok bool
	if s.Items != nil {
		if c.items, ok = compileBody(s.Items.Value, done); !ok {
			return nil, false
		}
	}
	if ap := s.AdditionalProperties; ap.Schema != nil {
		if c.extra, ok = compileBody(ap.Schema.Value, done); !ok {
			return nil, false
		}
	} else {
		c.closed = ap.Has != nil && !*ap.Has
	}
	c.props = map[string]bodyProp{}
	for name, ref := range s.Properties {
		p := bodyProp{bit: 1 << len(c.props)}
		if p.check, ok = compileBody(ref.Value, done); !ok {
			return nil, false
		}
		c.props[name] = p
	}
	for _, name := range s.Required {
		p, found := c.props[name]
		if !found {
			p = bodyProp{bit: 1 << len(c.props)}
			c.props[name] = p
		}
		c.required |= p.bit
	}
	if len(c.props) > 64 {
		return nil, false
	}
	return c, true
}

var kinCodepoints = regexp.MustCompile(`(?P<replaced_with_slash_x>\\u)(?P<code>[0-9A-F]{4})`)

// accepts reports whether body, syntactically valid JSON (json.Valid), is
// certainly valid.
func (c *bodyCheck) accepts(body []byte) bool {
	s := jsonScan{b: body}
	return c.value(&s)
}

// jsonScan walks a syntactically valid JSON text.
type jsonScan struct {
	b []byte
	i int
}

func (s *jsonScan) space() {
	for s.i < len(s.b) && (s.b[s.i] == ' ' || s.b[s.i] == '\t' || s.b[s.i] == '\n' || s.b[s.i] == '\r') {
		s.i++
	}
}

// str reads a string token and returns its decoded bytes; false when they
// are not valid UTF-8 (encoding/json would change them).
func (s *jsonScan) str() ([]byte, bool) {
	start := s.i
	s.i++
	escaped := false
	for ; s.b[s.i] != '"'; s.i++ {
		if s.b[s.i] == '\\' {
			escaped = true
			s.i++
		}
	}
	s.i++
	raw := s.b[start+1 : s.i-1]
	if escaped {
		var v string
		if json.Unmarshal(s.b[start:s.i], &v) != nil {
			return nil, false
		}
		raw = []byte(v)
	}
	return raw, utf8.Valid(raw)
}

// skip moves past one value.
func (s *jsonScan) skip() {
	depth := 0
	for {
		switch s.b[s.i] {
		case '"':
			s.str()
			if depth == 0 {
				return
			}
			continue
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth == 0 {
				s.i++
				return
			}
		case ',', ' ', '\t', '\n', '\r', ':':
		default:
			if depth == 0 {
				for s.i < len(s.b) && strings.IndexByte("-+.0123456789eEtruefalsn", s.b[s.i]) >= 0 {
					s.i++
				}
				return
			}
		}
		s.i++
	}
}

// value checks the value at the scanner and moves past it.
func (c *bodyCheck) value(s *jsonScan) bool {
	s.space()
	switch b := s.b[s.i]; b {
	case 'n':
		s.i += 4
		return c.null
	case 't', 'f':
		s.i += 4
		if b == 'f' {
			s.i++
		}
		return c.enum == nil && c.types&typeBoolean != 0
	case '"':
		v, ok := s.str()
		return ok && c.string(v)
	case '[':
		return c.enum == nil && c.array(s)
	case '{':
		return c.enum == nil && c.object(s)
	}
	start := s.i
	for s.i < len(s.b) && strings.IndexByte("-+.0123456789eE", s.b[s.i]) >= 0 {
		s.i++
	}
	return c.enum == nil && c.number(string(s.b[start:s.i]))
}

// number mirrors visitJSONNumber on json.Number's Float64.
func (c *bodyCheck) number(lit string) bool {
	v, err := strconv.ParseFloat(lit, 64)
	if err != nil {
		return false
	}
	integer := c.types&typeInteger != 0 && c.types&typeNumber == 0
	switch {
	case integer:
		if v != math.Trunc(v) {
			return false
		}
	case c.types&(typeInteger|typeNumber) == 0:
		return false
	}
	if c.format != "" {
		if integer {
			if f, ok := openapi3.SchemaIntegerFormats[c.format]; ok && !validInt64Format(f, v) {
				return false
			}
		} else if f, ok := openapi3.SchemaNumberFormats[c.format]; ok && f.Validate(v) != nil {
			return false
		}
	}
	return (c.min == nil || *c.min <= v) && (c.max == nil || *c.max >= v)
}

// validInt64Format mirrors kin-openapi's validateIntegerFormat.
func validInt64Format(f openapi3.IntegerFormatValidator, v float64) bool {
	switch {
	case v == math.MaxInt64: // 2^63, as float64(math.MaxInt64) rounds
		return f.Validate(math.MaxInt64) == nil
	case v >= math.MinInt64 && v < math.MaxInt64:
		return f.Validate(int64(v)) == nil
	}
	return false
}

// string mirrors visitEnumOperation and visitJSONString.
func (c *bodyCheck) string(v []byte) bool {
	if c.enum != nil && !c.enum[string(v)] || c.types&typeString == 0 {
		return false
	}
	if c.minLength != 0 || c.maxLength != nil {
		n := uint64(0) // counted as kin-openapi counts
		for _, r := range string(v) {
			if utf16.IsSurrogate(r) {
				n += 2
			} else {
				n++
			}
		}
		if n < c.minLength || c.maxLength != nil && n > *c.maxLength {
			return false
		}
	}
	if c.pattern != nil && !c.pattern.Match(v) {
		return false
	}
	if c.format != "" {
		if f, ok := openapi3.SchemaStringFormats[c.format]; ok && f.Validate(string(v)) != nil {
			return false
		}
	}
	return true
}

func (c *bodyCheck) array(s *jsonScan) bool {
	if c.types&typeArray == 0 {
		return false
	}
	s.i++
	n := uint64(0)
	for {
		s.space()
		if s.b[s.i] == ']' {
			s.i++
			break
		}
		if s.b[s.i] == ',' {
			s.i++
		}
		if c.items != nil {
			if !c.items.value(s) {
				return false
			}
		} else {
			s.skip()
		}
		n++
	}
	return n >= c.minItems && (c.maxItems == nil || n <= *c.maxItems)
}

// object mirrors visitJSONObject; a name given twice is checked each time,
// which is stricter than kin-openapi's decode (the last one wins).
func (c *bodyCheck) object(s *jsonScan) bool {
	if c.types&typeObject == 0 {
		return false
	}
	s.i++
	var seen uint64
	for {
		s.space()
		if s.b[s.i] == '}' {
			s.i++
			break
		}
		if s.b[s.i] == ',' {
			s.i++
			s.space()
		}
		key, ok := s.str()
		if !ok {
			return false
		}
		s.space()
		s.i++ // ':'
		p, found := c.props[string(key)]
		seen |= p.bit
		switch {
		case found && c.hasProps && p.check != nil:
			ok = p.check.value(s)
		case c.closed:
			return false
		case c.extra != nil:
			ok = c.extra.value(s)
		default:
			s.space()
			s.skip()
		}
		if !ok {
			return false
		}
	}
	return seen&c.required == c.required
}
