package api

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http/httptest"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"densach/domain"
)

// The OpenAPI tests need no database: routes are registered without
// touching the dependencies, and every request they send is answered before
// a handler would reach storage.

// bareServer builds the server with no storage behind it.
func bareServer(t *testing.T) *Server {
	t.Helper()
	return New(Config{Development: true}, Deps{Log: slog.New(slog.DiscardHandler)})
}

// openAPIDoc is the part of the document the tests read.
type openAPIDoc struct {
	OpenAPI    string                                 `json:"openapi"`
	Paths      map[string]map[string]openAPIOperation `json:"paths"`
	Components struct {
		Schemas map[string]struct {
			Properties map[string]json.RawMessage `json:"properties"`
		} `json:"schemas"`
	} `json:"components"`
}

type openAPIOperation struct {
	Summary   string                     `json:"summary"`
	Security  *[]map[string][]string     `json:"security"`
	Responses map[string]json.RawMessage `json:"responses"`
}

var httpMethods = []string{"get", "put", "post", "delete", "patch", "options", "head", "trace"}

func parseOpenAPI(t *testing.T) openAPIDoc {
	t.Helper()
	var doc openAPIDoc
	if err := json.Unmarshal(openAPIDocument, &doc); err != nil {
		t.Fatalf("api/openapi.json is not valid JSON: %v", err)
	}
	return doc
}

var pathParam = regexp.MustCompile(`\{([^}/]+)\}`)

// TestOpenAPICoversRoutes compares the routes the server registers with the
// operations the document describes, in both directions.
func TestOpenAPICoversRoutes(t *testing.T) {
	doc := parseOpenAPI(t)
	if doc.OpenAPI != "3.1.0" {
		t.Errorf("openapi is %q, want 3.1.0", doc.OpenAPI)
	}

	documented := map[string]bool{}
	for path, item := range doc.Paths {
		for method, op := range item {
			if !slices.Contains(httpMethods, method) {
				continue // parameters, summary, servers of the path item
			}
			key := strings.ToUpper(method) + " " + pathParam.ReplaceAllString(path, ":$1")
			documented[key] = true
			if len(op.Responses) == 0 {
				t.Errorf("%s %s has no responses", method, path)
			}
			if op.Summary == "" {
				t.Errorf("%s %s has no summary", method, path)
			}
		}
	}

	registered := map[string]bool{}
	for _, r := range bareServer(t).App().GetRoutes(true) { // true: leave out Use middleware
		switch {
		case r.Method == "HEAD": // Fiber adds HEAD to every GET
		case r.Path == "/*" || r.Path == "/api/v1/*": // the web app and the API's 404
		default:
			registered[r.Method+" "+r.Path] = true
		}
	}
	if len(registered) < 10 {
		t.Fatalf("only %d routes registered: %v", len(registered), registered)
	}

	var undocumented, unregistered []string
	for k := range registered {
		if !documented[k] {
			undocumented = append(undocumented, k)
		}
	}
	for k := range documented {
		if !registered[k] {
			unregistered = append(unregistered, k)
		}
	}
	sort.Strings(undocumented)
	sort.Strings(unregistered)
	if len(undocumented) > 0 {
		t.Errorf("routes missing from api/openapi.json:\n  %s", strings.Join(undocumented, "\n  "))
	}
	if len(unregistered) > 0 {
		t.Errorf("operations in api/openapi.json that the server does not register:\n  %s", strings.Join(unregistered, "\n  "))
	}
}

// TestOpenAPIRefsResolve checks that every local $ref points at something.
func TestOpenAPIRefsResolve(t *testing.T) {
	var root any
	if err := json.Unmarshal(openAPIDocument, &root); err != nil {
		t.Fatal(err)
	}
	var walk func(v any)
	n := 0
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if ref, ok := x["$ref"].(string); ok {
				n++
				if !resolves(root, ref) {
					t.Errorf("$ref %q does not resolve", ref)
				}
			}
			for _, c := range x {
				walk(c)
			}
		case []any:
			for _, c := range x {
				walk(c)
			}
		}
	}
	walk(root)
	if n == 0 {
		t.Fatal("the document has no $ref at all")
	}
}

func resolves(root any, ref string) bool {
	p, ok := strings.CutPrefix(ref, "#/")
	if !ok {
		return false
	}
	cur := root
	for _, part := range strings.Split(p, "/") {
		m, ok := cur.(map[string]any)
		if !ok {
			return false
		}
		if cur, ok = m[strings.ReplaceAll(strings.ReplaceAll(part, "~1", "/"), "~0", "~")]; !ok {
			return false
		}
	}
	return true
}

// TestOpenAPISchemasMatchJSON checks that the properties of each schema are
// exactly the JSON names of the Go type the handlers read or write.
func TestOpenAPISchemasMatchJSON(t *testing.T) {
	doc := parseOpenAPI(t)
	types := map[string]any{
		"Error": ErrorBody{}, "FieldError": domain.FieldError{}, "Readiness": readyBody{},
		"LoginRequest": loginRequest{}, "RefreshRequest": refreshRequest{}, "LogoutRequest": logoutRequest{},
		"PasswordChange": passwordRequest{}, "TokenResponse": tokenResponse{},
		"Person": personJSON{}, "PersonPage": peoplePage{}, "PersonPatch": personPatch{}, "PersonCreate": personCreate{}, "AccountPassword": passwordBody{}, "SignInSlip": slipJSON{}, "SignInLogin": loginJSON{},
		"Grant": grantJSON{}, "GrantCreate": grantCreate{},
		"ImportResult": importJSON{}, "ImportRowError": rowErrorJSON{}, "AuditEntry": auditJSON{},
		"Unit": unitJSON{}, "UnitCreate": createUnitRequest{}, "Centre": centreJSON{}, "CentreCreate": createCentreRequest{},
		"Branch": branchJSON{}, "BranchCreate": createBranchRequest{}, "Summary": summaryJSON{},
		"Material": materialJSON{}, "UploadRequest": uploadRequest{}, "PresignedUpload": domain.PresignedUpload{},
		"CompetenceFrameworks": competencesJSON{}, "CompetenceFramework": frameworkJSON{}, "CompetenceArea": areaJSON{},
		"Competence": competenceJSON{}, "CompetenceLevel": levelJSON{}, "CourseCategory": categoryJSON{},
		"CourseCategoryCreate": categoryCreate{}, "CourseCategoryPatch": categoryPatch{}, "CataloguePage": cataloguePage{},
		"CatalogueItem": catalogueItemJSON{}, "CatalogueOwner": catalogueOwnerJSON{}, "CatalogueTag": catalogueTagJSON{},
	}
	for name, v := range types {
		s, ok := doc.Components.Schemas[name]
		if !ok {
			t.Errorf("schema %s is missing", name)
			continue
		}
		var inDoc []string
		for p := range s.Properties {
			inDoc = append(inDoc, p)
		}
		inGo := jsonNames(reflect.TypeOf(v))
		sort.Strings(inDoc)
		sort.Strings(inGo)
		if !slices.Equal(inDoc, inGo) {
			t.Errorf("schema %s has properties %v; the Go type %T has JSON fields %v", name, inDoc, v, inGo)
		}
	}
}

// jsonNames lists the JSON field names of a struct type, following
// embedded structs as encoding/json does.
func jsonNames(t reflect.Type) []string {
	var out []string
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" || (!f.IsExported() && !f.Anonymous) {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
			out = append(out, jsonNames(f.Type)...)
			continue
		}
		if name == "" {
			name = f.Name
		}
		out = append(out, name)
	}
	return out
}

// TestOpenAPISecuredOperationsNeedToken sends every operation that requires
// a bearer token without one, and expects the error shape with 401.
func TestOpenAPISecuredOperationsNeedToken(t *testing.T) {
	doc := parseOpenAPI(t)
	app := bareServer(t).App()
	for path, item := range doc.Paths {
		for method, op := range item {
			if !slices.Contains(httpMethods, method) || op.Security == nil || !requiresBearer(*op.Security) {
				continue
			}
			target := pathParam.ReplaceAllString(path, "1")
			t.Run(strings.ToUpper(method)+" "+path, func(t *testing.T) {
				resp, err := app.Test(httptest.NewRequest(strings.ToUpper(method), target, nil), -1)
				if err != nil {
					t.Fatal(err)
				}
				defer resp.Body.Close()
				var body ErrorBody
				raw, _ := io.ReadAll(resp.Body)
				_ = json.Unmarshal(raw, &body)
				if resp.StatusCode != 401 || body.Code != domain.CodeUnauthorized {
					t.Fatalf("without a token: %d %s", resp.StatusCode, raw)
				}
				if _, ok := op.Responses["401"]; !ok {
					t.Errorf("the document does not list 401")
				}
			})
		}
	}
}

// TestOpenAPIServed fetches the document from the running server, without
// signing in.
func TestOpenAPIServed(t *testing.T) {
	resp, err := bareServer(t).App().Test(httptest.NewRequest("GET", "/api/v1/openapi.json", nil), -1)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("status %d: %s", resp.StatusCode, body)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type %q", ct)
	}
	if !bytes.Equal(body, openAPIDocument) {
		t.Errorf("the served document (%d bytes) differs from api/openapi.json (%d bytes)", len(body), len(openAPIDocument))
	}
	var doc map[string]any
	if err := json.Unmarshal(body, &doc); err != nil || doc["openapi"] != "3.1.0" {
		t.Errorf("served document: openapi %v, error %v", doc["openapi"], err)
	}
}
