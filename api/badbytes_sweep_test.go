package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http/httptest"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"densach/domain"
)

// badText is one value PostgreSQL refuses to store as text, in the forms a
// URL, a JSON string and a CSV cell carry it.
type badText struct {
	name, url, json, raw string
}

var badTexts = []badText{
	{"nul", "%00", `\u0000`, "\x00"},
	{"nul inside", "a%00b", `a\u0000b`, "a\x00b"},
	{"byte ff", "%FF", "\xff", "\xff"},
	{"truncated sequence", "L%C3%28", "L\xc3\x28", "L\xc3\x28"},
	{"utf-16 surrogate", "%ED%A0%80", "\xed\xa0\x80", "\xed\xa0\x80"},
}

// sweepDoc is the part of the served OpenAPI document the sweep reads.
type sweepDoc struct {
	Paths      map[string]map[string]json.RawMessage `json:"paths"`
	Components struct {
		Parameters map[string]sweepParam `json:"parameters"`
		Schemas    map[string]struct {
			Properties map[string]json.RawMessage `json:"properties"`
		} `json:"schemas"`
	} `json:"components"`
}

type sweepParam struct {
	Ref  string `json:"$ref"`
	Name string `json:"name"`
	In   string `json:"in"`
}

type sweepOp struct {
	Parameters  []sweepParam `json:"parameters"`
	RequestBody *struct {
		Content map[string]struct {
			Schema struct {
				Ref string `json:"$ref"`
			} `json:"schema"`
		} `json:"content"`
	} `json:"requestBody"`
}

// xlsxType is the content type of a workbook, which only the units import takes.
const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// TestBadBytesSweep reads the served OpenAPI document and sends bytes
// PostgreSQL refuses in every declared parameter, every property of every
// JSON body and a CSV cell of every import, signed in as administrator:
// nothing answers 5xx, and every value that reaches validation answers 422
// text_invalid_bytes naming its field.
func TestBadBytesSweep(t *testing.T) {
	e := newTestEnv(t)
	admin := e.token(e.w.Admin)
	status, _ := e.call("GET", "/api/v1/openapi.json", "", nil)
	req := httptest.NewRequest("GET", "/api/v1/openapi.json", nil)
	resp, err := e.srv.App().Test(req, -1)
	if err != nil || status != 200 {
		t.Fatalf("openapi.json: %d %v", status, err)
	}
	var doc sweepDoc
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	// Benign path values: the administrator's own person and grant, so that
	// a request reaches its handler's validation when the bad value is
	// elsewhere.
	benign := map[string]string{"id": strconv.FormatInt(e.w.Admin.PersonID, 10), "grant_id": strconv.FormatInt(e.w.Admin.Grants[0].ID, 10)}
	// A class's import reads its file only for a class that exists: there,
	// the id is an open class's.
	class := rosterSetup(t, e, e.w.CentreA1, e.w.CommA1, e.w.TeacherA1.PersonID, 30)
	benignAt := map[string]map[string]string{"/api/v1/classes/{id}/enrolments/import": {"id": strconv.FormatInt(class.class.ID, 10)}}

	send := func(t *testing.T, method, target string, header map[string]string, body []byte) (int, map[string]any) {
		t.Helper()
		req := httptest.NewRequest(method, "/", bytes.NewReader(body))
		req.URL.Path, req.URL.RawPath, req.RequestURI = "", "", target // sent as written, escapes and all
		req.Header.Set("Authorization", "Bearer "+admin)
		for k, v := range header {
			req.Header.Set(k, v)
		}
		return e.do(req)
	}
	check := func(t *testing.T, status int, body map[string]any, field string) {
		t.Helper()
		if status >= 500 {
			t.Fatalf("answered %d: %v", status, body)
		}
		if field == "" {
			return
		}
		if status != 422 || !hasFieldError(body, field, domain.FieldCodeInvalidBytes) {
			t.Fatalf("answered %d %v, want 422 %s on %q", status, body, domain.FieldCodeInvalidBytes, field)
		}
	}

	paths := make([]string, 0, len(doc.Paths))
	for p := range doc.Paths {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	n := 0
	for _, path := range paths {
		for method, raw := range doc.Paths[path] {
			if !slices.Contains(httpMethods, method) {
				continue
			}
			var op sweepOp
			if err := json.Unmarshal(raw, &op); err != nil {
				t.Fatalf("%s %s: %v", method, path, err)
			}
			method = strings.ToUpper(method)
			underAPI := strings.HasPrefix(path, "/api/v1/")
			params := []sweepParam{{Name: "undeclared", In: "query"}}
			for _, p := range op.Parameters {
				if name, ok := strings.CutPrefix(p.Ref, "#/components/parameters/"); ok {
					p = doc.Components.Parameters[name]
				}
				params = append(params, p)
			}
			fill := func(bad, value string) string {
				return pathParam.ReplaceAllStringFunc(path, func(m string) string {
					name := m[1 : len(m)-1]
					if name == bad {
						return value
					}
					if v, ok := benignAt[path][name]; ok {
						return v
					}
					if v, ok := benign[name]; ok {
						return v
					}
					return "1"
				})
			}
			for _, p := range params {
				for _, b := range badTexts {
					t.Run(fmt.Sprintf("%s %s/%s %s/%s", method, path, p.In, p.Name, b.name), func(t *testing.T) {
						n++
						switch p.In {
						case "query":
							status, body := send(t, method, fill("", "")+"?"+p.Name+"="+b.url, nil, nil)
							check(t, status, body, map[bool]string{true: p.Name}[underAPI])
						case "path":
							status, body := send(t, method, fill(p.Name, b.url), nil, nil)
							if !underAPI {
								// Outside /api/v1 (the public calendar feed), a
								// token that cannot be one is a bare 404, as an
								// unknown or revoked one is.
								if status != 404 {
									t.Fatalf("answered %d %v, want 404", status, body)
								}
								return
							}
							check(t, status, body, p.Name)
						case "header", "cookie":
							h := map[string]string{p.Name: b.raw}
							if p.In == "cookie" {
								h = map[string]string{"Cookie": p.Name + "=" + b.raw}
							}
							status, body := send(t, method, fill("", ""), h, nil)
							check(t, status, body, map[bool]string{true: p.Name}[p.In == "header"])
						default:
							t.Fatalf("parameter in %q", p.In)
						}
					})
				}
			}
			if op.RequestBody == nil {
				continue
			}
			for ctype, content := range op.RequestBody.Content {
				var fields []string
				if name, ok := strings.CutPrefix(content.Schema.Ref, "#/components/schemas/"); ok {
					for f := range doc.Components.Schemas[name].Properties {
						fields = append(fields, f)
					}
				}
				sort.Strings(fields)
				for _, b := range badTexts {
					switch ctype {
					case "application/json":
						for _, f := range fields {
							t.Run(fmt.Sprintf("%s %s/body %s/%s", method, path, f, b.name), func(t *testing.T) {
								n++
								body := []byte(`{"` + f + `":"` + b.json + `"}`)
								status, out := send(t, method, fill("", ""), map[string]string{"Content-Type": "application/json"}, body)
								check(t, status, out, f)
							})
						}
					case "text/csv", "multipart/form-data", xlsxType:
						if path == "/api/v1/units/import" {
							// An official list: a bad cell refuses the whole file.
							t.Run(fmt.Sprintf("%s %s/%s cell/%s", method, path, ctype, b.name), func(t *testing.T) {
								n++
								list := []byte("Mã,Tên,Cấp,Mã TP\n12001,Xã " + b.raw + ",Xã,12\n")
								h := map[string]string{"Content-Type": ctype}
								if ctype == "multipart/form-data" {
									list, h["Content-Type"] = multipartFile(t, list)
								}
								status, out := send(t, method, fill("", "")+"?dry_run=true", h, list)
								check(t, status, out, "file")
							})
							continue
						}
						if ctype == xlsxType {
							t.Errorf("%s %s: no sweep for request bodies of type %s", method, path, ctype)
							continue
						}
						t.Run(fmt.Sprintf("%s %s/%s cell/%s", method, path, ctype, b.name), func(t *testing.T) {
							n++
							csv := []byte("ho_ten,ma_xa,thon\nLò Văn A,12001," + b.raw + "\n")
							h := map[string]string{"Content-Type": ctype}
							if ctype != "text/csv" {
								csv, h["Content-Type"] = multipartFile(t, csv)
							}
							status, out := send(t, method, fill("", "")+"?dry_run=true", h, csv)
							check(t, status, out, "")
							if strings.ContainsRune(b.raw, 0) && (status != 200 || !hasRowError(out, "village", domain.FieldCodeInvalidBytes)) {
								t.Fatalf("a NUL cell answered %d %v, want the row refused with %s on village", status, out, domain.FieldCodeInvalidBytes)
							}
							if !strings.ContainsRune(b.raw, 0) && status != 422 {
								t.Fatalf("a file that is not UTF-8 answered %d %v, want 422", status, out)
							}
						})
					default:
						t.Errorf("%s %s: no sweep for request bodies of type %s", method, path, ctype)
					}
				}
			}
		}
	}
	if n < 100 {
		t.Fatalf("the sweep sent only %d requests", n)
	}
	if c := e.exec(`SELECT count(*) FROM people`); c != 10 {
		t.Fatalf("the sweep changed the people: %d", c)
	}
}

// multipartFile wraps data as the field "file" of a form.
func multipartFile(t *testing.T, data []byte) ([]byte, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, err := mw.CreateFormFile("file", "people.csv")
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(data)
	mw.Close()
	return buf.Bytes(), mw.FormDataContentType()
}

// hasFieldError reports whether an error body names field with code.
func hasFieldError(body map[string]any, field, code string) bool {
	fields, _ := body["fields"].([]any)
	for _, x := range fields {
		if m, _ := x.(map[string]any); m["field"] == field && m["code"] == code && m["message"] != "" {
			return true
		}
	}
	return false
}

// hasRowError reports whether an import answer has a row error on field.
func hasRowError(body map[string]any, field, code string) bool {
	rows, _ := body["errors"].([]any)
	for _, x := range rows {
		if m, _ := x.(map[string]any); m["field"] == field && m["code"] == code {
			return true
		}
	}
	return false
}
