package api

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"densach/domain"
)

// decodeTarget has strings at several depths, as request bodies may.
type decodeTarget struct {
	Name  string            `json:"name"`
	Tags  []string          `json:"tags"`
	Inner *decodeTarget     `json:"inner"`
	Extra map[string]string `json:"extra"`
	Any   any               `json:"any"`
}

func TestDecodeJSONBadBytes(t *testing.T) {
	cases := []struct {
		body, field string
	}{
		{`{"name":"a\u0000b"}`, "name"},
		{"{\"name\":\"\xff\"}", "name"},
		{"{\"name\":\"L\xc3\x28\"}", "name"},
		{"{\"name\":\"\xed\xa0\x80\"}", "name"},
		{`{"tags":["ok","\u0000"]}`, "tags[1]"},
		{`{"inner":{"inner":{"name":"\u0000"}}}`, "inner.inner.name"},
		{`{"inner":{"tags":[],"name":"x"},"extra":{"k":"\u0000"}}`, "extra.k"},
		{`{"any":[{"a":1},{"b":[true,"\u0000"]}]}`, "any[1].b[1]"},
		{`{"extra":{"\u0000":"v"}}`, "extra.\uFFFD"},
		{`"\u0000"`, "body"},
	}
	for _, c := range cases {
		var v decodeTarget
		err := decodeJSON([]byte(c.body), &v)
		e := domain.AsError(err)
		if e.Code != domain.CodeInvalid || len(e.Fields) != 1 || e.Fields[0].Field != c.field || e.Fields[0].Code != domain.FieldCodeInvalidBytes || e.Fields[0].Message == "" {
			t.Errorf("%q: %v %+v, want %s on %q", c.body, err, e.Fields, domain.FieldCodeInvalidBytes, c.field)
		}
	}
	for _, body := range []string{`{"name":"Lò Văn \u00c1","tags":["\\u0000 is text"],"any":{"x":[1,"y",null]}}`, `{}`, ``} {
		var v decodeTarget
		if err := decodeJSON([]byte(body), &v); body != "" && err != nil {
			t.Errorf("%q: %v", body, err)
		}
	}
	long := `{"inner":{"name":"` + strings.Repeat("ấ", maxStringLen+1) + `"}}`
	if err := decodeJSON([]byte(long), &decodeTarget{}); domain.ErrorCode(err) != domain.CodeInvalid || !strings.Contains(err.Error(), "quá dài") {
		t.Errorf("overlong string: %v", err)
	}
}

// FuzzDecodeJSON checks that no body makes the decoder panic or answer
// anything but a validation error, that whatever it accepts holds only
// strings PostgreSQL can store, and that it blames bad bytes only when the
// body has them.
func FuzzDecodeJSON(f *testing.F) {
	f.Add([]byte(`{"name":"Lò","tags":["a","b"],"inner":{"name":"x"},"extra":{"k":"v"},"any":[1,{"a":"b"}]}`))
	f.Add([]byte(`{"name":"\u0000"}`))
	f.Add([]byte("{\"tags\":[\"\xff\"]}"))
	f.Add([]byte(`{"any":{"\u0000":1}}`))
	f.Add([]byte(`{"name":"a"} trailing`))
	f.Add([]byte(`{"nope":1}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var v decodeTarget
		err := decodeJSON(body, &v)
		if err != nil {
			e := domain.AsError(err)
			if e.Code != domain.CodeInvalid || e.Message == "" {
				t.Fatalf("error %v", err)
			}
			for _, fe := range e.Fields {
				if fe.Code == domain.FieldCodeInvalidBytes && utf8.Valid(body) && !strings.Contains(string(body), `\u0000`) {
					t.Fatalf("blamed bad bytes in a clean body: %+v", fe)
				}
			}
			return
		}
		out, _ := json.Marshal(v)
		var walk func(x any)
		walk = func(x any) {
			switch y := x.(type) {
			case string:
				if !domain.ValidText(y) {
					t.Fatalf("accepted %q from %q", y, body)
				}
			case []any:
				for _, z := range y {
					walk(z)
				}
			case map[string]any:
				for k, z := range y {
					walk(k)
					walk(z)
				}
			}
		}
		var back any
		_ = json.Unmarshal(out, &back)
		walk(back)
		if !utf8.Valid(body) {
			t.Fatalf("accepted a body with invalid UTF-8: %q", body)
		}
	})
}
