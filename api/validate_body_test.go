package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"
)

// bodyOps returns the contract's operations with a JSON body, in a stable
// order, and their names.
func bodyOps(t testing.TB) ([]*contractOp, []string) {
	t.Helper()
	k, err := loadContract()
	if err != nil {
		t.Fatal(err)
	}
	var ops []*contractOp
	var names []string
	for _, name := range slices.Sorted(maps.Keys(k.ops)) {
		if o := k.ops[name]; o.jsonBody {
			ops = append(ops, o)
			names = append(names, name)
		}
	}
	return ops, names
}

// kinBody runs kin-openapi's validation of body, as validateRequest does.
func kinBody(o *contractOp, body []byte) error {
	req := &http.Request{
		Method: o.route.Method, URL: &url.URL{Path: "/"},
		Header: http.Header{fiber.HeaderContentType: {fiber.MIMEApplicationJSON}},
		Body:   io.NopCloser(bytes.NewReader(body)), ContentLength: int64(len(body)),
	}
	return openapi3filter.ValidateRequestBody(context.Background(),
		&openapi3filter.RequestValidationInput{Request: req, Route: o.route, Options: validationOptions},
		o.route.Operation.RequestBody.Value)
}

// sameAsKin fails when the fast check accepts a body kin-openapi refuses,
// and reports whether it accepted.
func sameAsKin(t testing.TB, name string, o *contractOp, body []byte) bool {
	if o.body == nil || !json.Valid(body) || !o.body.accepts(body) {
		return false
	}
	if err := kinBody(o, body); err != nil {
		t.Errorf("%s: the fast check accepts %s, kin-openapi refuses it: %v", name, body, err)
	}
	return true
}

// exampleOf builds a value the schema accepts, as far as a table of
// strings can meet its patterns.
func exampleOf(s *openapi3.Schema, depth int) any {
	switch {
	case s.Type.Permits(openapi3.TypeObject) && (s.Properties != nil || s.AdditionalProperties.Schema != nil):
		m := map[string]any{}
		if depth > 4 {
			return m
		}
		for name, p := range s.Properties {
			m[name] = exampleOf(p.Value, depth+1)
		}
		if ap := s.AdditionalProperties.Schema; ap != nil {
			m["extra_key"] = exampleOf(ap.Value, depth+1)
		}
		return m
	case s.Type.Permits(openapi3.TypeArray) && s.Items != nil:
		n := max(2, int(s.MinItems))
		if s.MaxItems != nil {
			n = min(n, int(*s.MaxItems))
		}
		out := make([]any, n)
		for i := range out {
			out[i] = exampleOf(s.Items.Value, depth+1)
		}
		return out
	case s.Type.Permits(openapi3.TypeString):
		for _, v := range s.Enum {
			if v != nil {
				return v
			}
		}
		switch s.Format {
		case "date":
			return "2026-12-01"
		case "date-time":
			return "2026-12-01T08:00:00+07:00"
		}
		for _, v := range []string{"Lò Văn A", "draft", "12", "ABCDEFGH", strings.Repeat("A", 43), "key-1", "a_b"} {
			if (s.Pattern == "" || regexp.MustCompile(s.Pattern).MatchString(v)) &&
				uint64(len([]rune(v))) >= s.MinLength && (s.MaxLength == nil || uint64(len([]rune(v))) <= *s.MaxLength) {
				return v
			}
		}
		return strings.Repeat("a", int(s.MinLength))
	case s.Type.Permits(openapi3.TypeInteger) || s.Type.Permits(openapi3.TypeNumber):
		v := 1.0
		if s.Min != nil {
			v = max(v, *s.Min)
		}
		if s.Max != nil {
			v = min(v, *s.Max)
		}
		return v
	case s.Type.Permits(openapi3.TypeBoolean):
		return true
	}
	return nil
}

// variants are the values put in place of each value of a valid body.
var variants = []any{nil, "x", "", true, false, json.Number("0"), json.Number("-1"), json.Number("1.5"),
	json.Number("1.0"), json.Number("1e2"), json.Number("-0"), json.Number("1e400"), json.Number("1e-400"),
	json.Number("2147483648"), json.Number("9223372036854775807"), json.Number("9223372036854775808"),
	json.Number("99999999999999999999"), json.Number("1000001"), []any{}, []any{json.Number("1")}, map[string]any{},
	strings.Repeat("a", 2001), strings.Repeat("ạ", 501), strings.Repeat("😀", 100), "a<b>\n\"c\"", "2026-02-30",
	"2026-13-01", "2026-12-01T25:00:00Z", "2026-12-01T08:00:00Z", "present", "absent", "PRESENT", "draft", "0",
	"1000000", "ABCDEFGI", "abc_def", "A_b", "https://x.example/y", "00000000-0000-0000-0000-000000000000"}

// mutations returns bodies derived from v: each value replaced by each
// variant, each property removed, an unknown property added, each array
// emptied and grown past any limit.
func mutations(v any) []any {
	var out []any
	var walk func(cur any, put func(any))
	walk = func(cur any, put func(any)) {
		for _, x := range variants {
			put(x)
			out = append(out, deepCopy(v))
		}
		put(cur)
		switch c := cur.(type) {
		case map[string]any:
			for _, k := range slices.Sorted(maps.Keys(c)) {
				was := c[k]
				delete(c, k)
				out = append(out, deepCopy(v))
				c[k] = was
				walk(was, func(x any) { c[k] = x })
				c[k] = was
			}
			c["unknown_field"] = json.Number("1")
			out = append(out, deepCopy(v))
			delete(c, "unknown_field")
		case []any:
			if len(c) > 0 {
				big := make([]any, 600)
				for i := range big {
					big[i] = c[0]
				}
				put(big)
				out = append(out, deepCopy(v))
				put(cur)
				walk(c[0], func(x any) { c[0] = x })
			}
		}
	}
	walk(v, func(x any) { v = x })
	return out
}

func deepCopy(v any) any {
	raw, _ := json.Marshal(v)
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var out any
	_ = dec.Decode(&out)
	return out
}

// bodiesOf returns the valid example of o's body (every property), the
// same with only the required properties, and their mutations.
func bodiesOf(o *contractOp) [][]byte {
	s := o.route.Operation.RequestBody.Value.Content.Get(fiber.MIMEApplicationJSON).Schema.Value
	full := deepCopy(exampleOf(s, 0))
	bases := []any{full}
	if m, ok := full.(map[string]any); ok {
		req := map[string]any{}
		for _, k := range s.Required {
			req[k] = m[k]
		}
		bases = append(bases, deepCopy(req))
	}
	var out [][]byte
	for _, b := range bases {
		for _, v := range append([]any{b}, mutations(b)...) {
			raw, _ := json.Marshal(v)
			out = append(out, raw)
		}
	}
	return append(out, []byte(`{}`), []byte(`[]`), []byte(`null`), []byte(`"x"`), []byte(`1`),
		[]byte(` { "marks" : [ { "person_id" : 1 , "status" : "late" } ] , "device" : "a\u00e9" } `))
}

// TestFastBodyNeverMoreLenient is the differential test: for every
// operation with a JSON body, a valid body and many mutations of it; each
// body the fast check accepts must be accepted by kin-openapi.
func TestFastBodyNeverMoreLenient(t *testing.T) {
	ops, names := bodyOps(t)
	total, accepted, compiled := 0, 0, 0
	for i, o := range ops {
		if o.body != nil {
			compiled++
		}
		valid := 0
		for j, body := range bodiesOf(o) {
			total++
			if sameAsKin(t, names[i], o, body) {
				accepted++
				valid++
			} else if j == 0 && o.body != nil && kinBody(o, body) == nil {
				t.Errorf("%s: the fast check is not sure of the valid example %s", names[i], body)
			}
		}
		if o.body != nil && valid == 0 {
			t.Errorf("%s: the fast check accepted none of its bodies", names[i])
		}
	}
	t.Logf("%d operations with a JSON body, %d compiled; %d bodies, %d accepted by the fast check", len(ops), compiled, total, accepted)
	if compiled < len(ops)*3/4 || accepted < 2000 {
		t.Fatalf("the fast path is barely exercised: %d of %d operations compiled, %d bodies accepted", compiled, len(ops), accepted)
	}
}

// FuzzFastBody checks the same on arbitrary bodies for each operation.
func FuzzFastBody(f *testing.F) {
	ops, names := bodyOps(f)
	for i, o := range ops {
		for j, body := range bodiesOf(o) {
			if j%211 == 0 {
				f.Add(uint8(i), body)
			}
		}
	}
	f.Fuzz(func(t *testing.T, op uint8, body []byte) {
		i := int(op) % len(ops)
		sameAsKin(t, names[i], ops[i], body)
	})
}

// attendanceBody is a valid batch of 40 marks, as the benchmark sends.
func attendanceBody() []byte {
	var b strings.Builder
	b.WriteString(`{"marks":[`)
	for i := range 40 {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"person_id":%d,"status":"present","note":"","version":%d}`, 1000+i, 3)
	}
	b.WriteString(`],"device":"bench"}`)
	return []byte(b.String())
}

// TestFastBodyAttendance checks that the valid 40-row batch takes the fast
// path (no kin-openapi at all), and that every answer, a refusal field by
// field, is byte for byte the one kin-openapi alone gives.
func TestFastBodyAttendance(t *testing.T) {
	k, err := loadContract()
	if err != nil {
		t.Fatal(err)
	}
	o := k.op("POST", "/api/v1/sessions/:id/attendance")
	body := attendanceBody()
	if o.body == nil || !o.body.accepts(body) || o.ids == nil || !o.ids.valid("/api/v1/sessions/7/attendance") {
		t.Fatal("the valid 40-row batch does not take the fast path")
	}
	app, tok := validatingApp(t)
	send := func(path string, body []byte) (int, []byte) {
		req := httptest.NewRequest("POST", path, bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := app.Test(req, -1)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, raw
	}
	bad := bytes.Replace(body, []byte(`"person_id":1003,"status":"present"`), []byte(`"person_id":0,"status":"here"`), 1)
	bad = bytes.Replace(bad, []byte(`"version":3}]`), []byte(`"version":-1,"x":1}]`), 1)
	for _, c := range []struct {
		path   string
		body   []byte
		status int
		fields []string
	}{
		{"/api/v1/sessions/7/attendance", body, 204, nil},
		{"/api/v1/sessions/0/attendance", body, 404, nil},
		{"/api/v1/sessions/7/attendance?x=1", body, 204, nil},
		{"/api/v1/sessions/7/attendance", bad, 422, []string{"marks.3.person_id/out_of_range", "marks.3.status/status_invalid",
			"marks.39.version/out_of_range", "marks.39.x/unknown_field"}},
		{"/api/v1/sessions/0/attendance", bad, 404, nil},
	} {
		status, raw := send(c.path, c.body)
		fast := o.body
		o.body = nil
		kinStatus, kinRaw := send(c.path, c.body)
		o.body = fast
		if status != c.status || kinStatus != status || !bytes.Equal(raw, kinRaw) {
			t.Fatalf("%s: status %d %s, want %d, kin-openapi alone %d %s", c.path, status, raw, c.status, kinStatus, kinRaw)
		}
		if c.status != 422 {
			continue
		}
		if got := fieldCodes(t, raw); !slices.Equal(got, c.fields) {
			t.Fatalf("fields %v, want %v", got, c.fields)
		}
	}
}

// BenchmarkContractCheckAttendanceBody measures the contract check of the
// 40-row attendance batch: through kin-openapi (the body check removed) and
// through the fast check.
func BenchmarkContractCheckAttendanceBody(b *testing.B) {
	k, err := loadContract()
	if err != nil {
		b.Fatal(err)
	}
	fast := k.op("POST", "/api/v1/sessions/:id/attendance")
	kin := *fast
	kin.body = nil
	app := fiber.New()
	fc := &fasthttp.RequestCtx{}
	fc.Request.Header.SetMethod("POST")
	fc.Request.SetRequestURI("/api/v1/sessions/7/attendance")
	fc.Request.Header.SetContentType(fiber.MIMEApplicationJSON)
	fc.Request.SetBody(attendanceBody())
	ctx := app.AcquireCtx(fc)
	defer app.ReleaseCtx(ctx)
	for name, o := range map[string]*contractOp{"kin": &kin, "fast": fast} {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := checkStrings(ctx.Body()); err != nil {
					b.Fatal(err)
				}
				if err := o.validateRequest(ctx); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestFastBodyScan checks the scanner on what the contract's schemas rarely
// give it: open objects whose unknown members are skipped, escapes, spaces,
// and keywords it does not mirror.
func TestFastBodyScan(t *testing.T) {
	var s openapi3.Schema
	compile := func(schema string) *bodyCheck {
		s = openapi3.Schema{}
		if err := json.Unmarshal([]byte(schema), &s); err != nil {
			t.Fatal(err)
		}
		c, ok := compileBody(&s, map[*openapi3.Schema]*bodyCheck{})
		if !ok {
			return nil
		}
		return c
	}
	open := compile(`{"type":"object","properties":{"a":{"type":"integer","maximum":5},"s":{"type":"string","maxLength":2}},"required":["a","b"]}`)
	for body, want := range map[string]bool{
		`{"a":1,"b":null}`: true,
		` { "b" : { "x" : [ 1 , "]}" , { } , [ ] , true , false , null , -1.5e3 ] } , "a" : 5 } `: true,
		`{"b":[1,2],"a":1,"c":"\"}"}`:       true,
		`{"a":1,"b":0,"s":"\u00e9\u00e9"}`:  true,
		`{"a":1,"b":0,"s":"\u00e9\u00e9x"}`: false,
		`{"a":1}`:                           false,
		`{"a":6,"b":0}`:                     false,
		`{"a":1.5,"b":0}`:                   false,
		`{"a":"1","b":0}`:                   false,
		`{"\u0061":1,"b":0}`:                true,
		`[{"a":1,"b":0}]`:                   false,
	} {
		if got := open.accepts([]byte(body)); got != want {
			t.Errorf("%s: accepts %v, want %v", body, got, want)
		}
		if err := s.VisitJSON(deepCopy(json.RawMessage(body)), openapi3.VisitAsRequest(), openapi3.MultiErrors()); want && err != nil {
			t.Errorf("%s: kin-openapi refuses it: %v", body, err)
		}
	}
	for _, schema := range []string{`{"type":"string","minLength":1,"readOnly":true}`, `{"allOf":[{"type":"string"}]}`,
		`{"type":"number","multipleOf":2}`, `{"type":"array","uniqueItems":true}`, `{"enum":[1,2]}`,
		`{"type":"object","properties":{"a":{"not":{}}}}`} {
		if compile(schema) != nil {
			t.Errorf("%s compiles: the check does not mirror it", schema)
		}
	}
}
