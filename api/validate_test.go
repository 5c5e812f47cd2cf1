package api

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"maps"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"densach/domain"
)

// TestContractLoads checks that the document is a valid OpenAPI 3.1
// document that the validator loads, with an operation for every path.
func TestContractLoads(t *testing.T) {
	doc, err := openapi3.NewLoader().LoadFromData(openAPIDocument)
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("api/openapi.json is not a valid OpenAPI document: %v", err)
	}
	k, err := loadContract()
	if err != nil {
		t.Fatal(err)
	}
	n := len(k.ops)
	if want := len(parseOpenAPI(t).Paths); n < want {
		t.Fatalf("%d operations indexed for %d paths", n, want)
	}
}

// validatingApp mounts every documented operation as the server does, with
// its contract check in front of a handler that answers 204, so each case
// shows only what validation lets through.
func validatingApp(t *testing.T) (*fiber.App, string) {
	t.Helper()
	s := New(Config{Development: true}, Deps{Log: slog.New(slog.DiscardHandler), Tokens: testTokens(t)})
	app := fiber.New(fiber.Config{ErrorHandler: s.errorHandler, Immutable: true})
	noContent := func(c *fiber.Ctx) error { return c.SendStatus(fiber.StatusNoContent) }
	k, err := loadContract()
	if err != nil {
		t.Fatal(err)
	}
	ops := slices.Sorted(maps.Keys(k.ops))
	// A literal segment before a parameter (/people/import before
	// /people/{id}), as the server mounts them.
	slices.SortStableFunc(ops, func(a, b string) int { return strings.Count(a, "{") - strings.Count(b, "{") })
	r := router{s: s, group: app}
	for _, op := range ops {
		method, path, _ := strings.Cut(op, " ")
		r.add(method, pathParam.ReplaceAllString(path, ":$1"), noContent)
	}
	app.All("/*", noContent)
	tok, err := s.Tokens.Issue(domain.Principal{AccountID: 1, PersonID: 1})
	if err != nil {
		t.Fatal(err)
	}
	return app, tok
}

// TestValidateRequests sends requests that the contract allows or refuses
// and checks the status and the field errors (field/code) of each.
func TestValidateRequests(t *testing.T) {
	app, tok := validatingApp(t)
	long := strings.Repeat("a", 101)
	cases := []struct {
		name, method, path, body string
		noToken                  bool
		status                   int
		fields                   []string
	}{
		{"valid create", "POST", "/api/v1/people", `{"full_name":"Lò Văn A","commune_id":1,"phone":null}`, false, 204, nil},
		{"domain rules pass through", "POST", "/api/v1/people", `{"commune_id":0,"cccd":"1","phone":"09"}`, false, 204, nil},
		{"wrong type and unknown field", "POST", "/api/v1/people", `{"full_name":"A","commune_id":"x","id":5}`, false, 422, []string{"commune_id/type", "id/unknown_field"}},
		{"two unknown fields", "POST", "/api/v1/centres", `{"name":"x","a":1,"b":2}`, false, 422, []string{"a/unknown_field", "b/unknown_field"}},
		{"role outside the list", "POST", "/api/v1/people/1/roles", `{"role":"king"}`, false, 422, []string{"role/role_invalid"}},
		{"date format and too many", "POST", "/api/v1/units", `{"code":"x","name":"x","kind":"ward","valid_from":"2025-13-01","predecessor_ids":[` + strings.Repeat("1,", 50) + `1]}`, false, 422, []string{"predecessor_ids/too_many", "valid_from/date_invalid"}},
		{"query parameters", "GET", "/api/v1/people?role=king&page=x&staff=maybe&commune_id=0&q=" + long, "", false, 422,
			[]string{"commune_id/id_invalid", "page/int_invalid", "q/text_too_long", "role/role_invalid", "staff/bool_invalid"}},
		{"clamped paging passes", "GET", "/api/v1/people?page=-3&page_size=1000", "", false, 204, nil},
		{"audit entity", "GET", "/api/v1/audit?entity=nobody", "", false, 422, []string{"entity/entity_invalid"}},
		{"path id not a number", "GET", "/api/v1/people/abc", "", false, 404, nil},
		{"path id zero", "GET", "/api/v1/centres/0", "", false, 404, nil},
		{"path id fine", "GET", "/api/v1/centres/5", "", false, 204, nil},
		{"second path id", "DELETE", "/api/v1/people/1/roles/x", "", false, 404, nil},
		{"negative path id", "GET", "/api/v1/people/-1", "", false, 404, nil},
		{"path id too large", "GET", "/api/v1/units/99999999999999999999", "", false, 404, nil},
		{"path id without token: 401", "GET", "/api/v1/people/abc", "", true, 401, nil},
		{"path id and body", "PATCH", "/api/v1/people/abc", `{"full_name":"A"}`, false, 404, nil},
		{"trailing slash", "GET", "/api/v1/units/?kind=ward", "", false, 204, nil},
		{"HEAD is GET", "HEAD", "/api/v1/units?kind=x", "", false, 422, nil},
		{"empty body is {}", "POST", "/api/v1/auth/login", ``, true, 204, nil},
		{"malformed JSON is decode's", "POST", "/api/v1/auth/login", `{"login":`, true, 204, nil},
		{"not JSON is decode's", "POST", "/api/v1/auth/password", "login=a", false, 204, nil},
		{"CSV import is not JSON", "POST", "/api/v1/people/import?dry_run=true", "ho_ten,ma_xa\n", false, 204, nil},
		{"import query", "POST", "/api/v1/people/import?dry_run=perhaps", "ho_ten,ma_xa\n", false, 422, []string{"dry_run/bool_invalid"}},
		{"public operation refused", "POST", "/api/v1/auth/login", `{"login":"a","password":"b","role":"admin"}`, true, 422, []string{"role/unknown_field"}},
		{"no token: 401 before 422", "POST", "/api/v1/people", `{"id":5}`, true, 401, nil},
		{"no token, valid: on to requireAuth", "POST", "/api/v1/people", `{}`, true, 204, nil},
		{"undocumented route", "GET", "/api/v1/nowhere?x=1", "", false, 204, nil},
		{"a required property is named once", "POST", "/api/v1/classes/1/sessions", `{"starts_at":"2026-12-02T19:00:00+07:00"}`, false, 422, []string{"ends_at/required"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req := httptest.NewRequest(c.method, c.path, strings.NewReader(c.body))
			switch {
			case strings.HasPrefix(c.path, "/api/v1/people/import"):
				req.Header.Set("Content-Type", "text/csv")
			case strings.HasPrefix(c.body, "{"):
				req.Header.Set("Content-Type", "application/json")
			case c.body != "":
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			}
			if !c.noToken {
				req.Header.Set("Authorization", "Bearer "+tok)
			}
			resp, err := app.Test(req, -1)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			raw, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != c.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, c.status, raw)
			}
			if c.status != 422 || c.method == "HEAD" {
				return
			}
			if got := fieldCodes(t, raw); !slices.Equal(got, c.fields) {
				t.Fatalf("fields %v, want %v", got, c.fields)
			}
		})
	}
}

// fieldCodes reads a 422 invalid answer's field errors as sorted
// "field/code", failing when the answer is not one or a field error has no
// message.
func fieldCodes(t *testing.T, raw []byte) []string {
	t.Helper()
	var body ErrorBody
	if err := json.Unmarshal(raw, &body); err != nil || body.Code != domain.CodeInvalid {
		t.Fatalf("body %s (%v)", raw, err)
	}
	var got []string
	for _, f := range body.Fields {
		if f.Message == "" {
			t.Errorf("field error %s/%s has no message", f.Field, f.Code)
		}
		got = append(got, f.Field+"/"+f.Code)
	}
	slices.Sort(got)
	return got
}

// BenchmarkValidate measures the validation of the benchmarked read
// (GET /api/v1/centres/:id) and of a person's creation, without the handler.
func BenchmarkValidate(b *testing.B) {
	k, err := loadContract()
	if err != nil {
		b.Fatal(err)
	}
	app := fiber.New()
	for _, c := range []struct{ name, method, route, path, body string }{
		{"get-centre", "GET", "/api/v1/centres/:id", "/api/v1/centres/42", ""},
		{"list-people", "GET", "/api/v1/people", "/api/v1/people?q=an&commune_id=3&page=2", ""},
		{"create-person", "POST", "/api/v1/people", "/api/v1/people", `{"full_name":"Lò Văn A","commune_id":1,"phone":"0912345678","sex":"male"}`},
	} {
		b.Run(c.name, func(b *testing.B) {
			fc := &fasthttp.RequestCtx{}
			fc.Request.Header.SetMethod(c.method)
			fc.Request.SetRequestURI(c.path)
			if c.body != "" {
				fc.Request.Header.SetContentType(fiber.MIMEApplicationJSON)
				fc.Request.SetBodyString(c.body)
			}
			ctx := app.AcquireCtx(fc)
			defer app.ReleaseCtx(ctx)
			b.ReportAllocs()
			op := k.op(c.method, c.route) // once, when the route is mounted
			for b.Loop() {
				if op.ids != nil && !op.jsonBody {
					if !op.ids.valid(ctx.Path()) {
						b.Fatal("refused")
					}
					continue
				}
				if err := op.validateRequest(ctx); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// requestKeywords are the schema keywords kin-openapi's own validator,
// which validate uses, checks the way JSON Schema 2020-12 does; 3.1-only
// keywords (const, prefixItems, if/then, unevaluatedProperties, ...) would
// need the slower validator.
var requestKeywords = []string{"type", "properties", "additionalProperties", "required", "enum", "format",
	"minLength", "maxLength", "pattern", "minimum", "maximum", "items", "minItems", "maxItems",
	"description", "default", "$ref", "contentMediaType"}

// TestContractKeywords checks that every schema a request is validated
// against (parameters and JSON bodies) uses only requestKeywords.
func TestContractKeywords(t *testing.T) {
	var root map[string]any
	if err := json.Unmarshal(openAPIDocument, &root); err != nil {
		t.Fatal(err)
	}
	deref := func(v any) map[string]any {
		m, _ := v.(map[string]any)
		for m != nil {
			ref, ok := m["$ref"].(string)
			if !ok {
				break
			}
			cur := any(root)
			for _, part := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
				cur = cur.(map[string]any)[part]
			}
			m, _ = cur.(map[string]any)
		}
		return m
	}
	seen := map[string]bool{}
	var walk func(where string, s map[string]any)
	walk = func(where string, s map[string]any) {
		for k, v := range s {
			if !slices.Contains(requestKeywords, k) {
				t.Errorf("%s: keyword %q in a request schema", where, k)
			}
			switch k {
			case "properties":
				for name, p := range v.(map[string]any) {
					walk(where+"."+name, deref(p))
				}
			case "items", "additionalProperties":
				if m := deref(v); m != nil {
					walk(where+"."+k, m)
				}
			}
		}
	}
	for path, item := range root["paths"].(map[string]any) {
		for method, op := range item.(map[string]any) {
			o, ok := op.(map[string]any)
			if !ok || !slices.Contains(httpMethods, method) {
				continue
			}
			params, _ := o["parameters"].([]any)
			for _, p := range params {
				pm := deref(p)
				walk(method+" "+path+" "+pm["name"].(string), deref(pm["schema"]))
			}
			if body := deref(o["requestBody"]); body != nil {
				content, _ := body["content"].(map[string]any)
				for ct, mt := range content {
					seen[ct] = true
					walk(method+" "+path+" body", deref(mt.(map[string]any)["schema"]))
				}
			}
		}
	}
	if !seen[fiber.MIMEApplicationJSON] {
		t.Fatal("no JSON request body found")
	}
}
