package api

import (
	"io"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestSecurityHeadersOnEveryResponse(t *testing.T) {
	e := newTestEnv(t)
	for _, path := range []string{"/healthz", "/api/v1/units", "/api/v1/nothing-here", "/nguoi"} {
		resp, err := e.srv.App().Test(httptest.NewRequest("GET", path, nil), -1)
		if err != nil {
			t.Fatal(err)
		}
		for header, want := range map[string]string{
			"X-Content-Type-Options":  "nosniff",
			"X-Frame-Options":         "DENY",
			"Referrer-Policy":         "no-referrer",
			"Content-Security-Policy": "default-src 'self'",
		} {
			if got := resp.Header.Get(header); !strings.Contains(got, want) {
				t.Errorf("%s: %s = %q, want %q", path, header, got, want)
			}
		}
		if strings.HasPrefix(path, "/api/") && resp.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("%s: Cache-Control = %q, want no-store", path, resp.Header.Get("Cache-Control"))
		}
	}
}

func TestRequestIDEchoedOrMade(t *testing.T) {
	e := newTestEnv(t)
	req := httptest.NewRequest("GET", "/api/v1/units", nil)
	req.Header.Set("X-Request-ID", "lb-1234.abc")
	resp, _ := e.srv.App().Test(req, -1)
	if got := resp.Header.Get("X-Request-ID"); got != "lb-1234.abc" {
		t.Errorf("a sane incoming id is not echoed: %q", got)
	}
	req = httptest.NewRequest("GET", "/api/v1/units", nil)
	req.Header.Set("X-Request-ID", "<script>alert(1)</script>")
	resp, _ = e.srv.App().Test(req, -1)
	if got := resp.Header.Get("X-Request-ID"); got == "" || strings.Contains(got, "<") {
		t.Errorf("an unsafe incoming id was echoed or none made: %q", got)
	}
	status, body := e.call("GET", "/api/v1/units", "", nil)
	if status != 401 || body["request_id"] == "" || body["request_id"] == nil {
		t.Errorf("error bodies carry the request id: %d %v", status, body)
	}
}

func TestCORSOnlyForAllowedOrigins(t *testing.T) {
	e := newTestEnv(t)
	e.srv = New(Config{Development: true, AllowedOrigins: []string{"https://khuyenhoc.example.vn"}}, e.srv.Deps)
	preflight := func(origin string) string {
		req := httptest.NewRequest("OPTIONS", "/api/v1/people", nil)
		req.Header.Set("Origin", origin)
		req.Header.Set("Access-Control-Request-Method", "POST")
		resp, err := e.srv.App().Test(req, -1)
		if err != nil {
			t.Fatal(err)
		}
		return resp.Header.Get("Access-Control-Allow-Origin")
	}
	if got := preflight("https://khuyenhoc.example.vn"); got != "https://khuyenhoc.example.vn" {
		t.Errorf("allowed origin: Access-Control-Allow-Origin = %q", got)
	}
	if got := preflight("https://evil.example"); got != "" {
		t.Errorf("foreign origin: Access-Control-Allow-Origin = %q, want none", got)
	}
}

func TestBodyLimitsAndMalformedJSON(t *testing.T) {
	e := newTestEnv(t)
	tok := e.token(e.w.Admin)
	big := `{"full_name":"` + strings.Repeat("a", 70<<10) + `"}`
	cases := []struct {
		name, body string
		status     int
		code       string
	}{
		{"body over 64 KB", big, 413, "too_large"},
		{"malformed JSON", `{"full_name":`, 422, "invalid"},
		{"trailing data", `{"full_name":"A B","commune_id":1} {}`, 422, "invalid"},
		{"wrong type", `{"full_name":12}`, 422, "invalid"},
	}
	for _, c := range cases {
		status, body := e.call("POST", "/api/v1/people", tok, c.body)
		if status != c.status || body["code"] != c.code || body["message"] == "" {
			t.Errorf("%s: %d %v, want %d %s", c.name, status, body, c.status, c.code)
		}
	}
	req := httptest.NewRequest("POST", "/api/v1/people", strings.NewReader(`full_name=A`))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, _ := e.srv.App().Test(req, -1)
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 422 || !strings.Contains(string(raw), "JSON") {
		t.Errorf("a form body: %d %s", resp.StatusCode, raw)
	}
}

// The object store's origin (where browsers post uploads and load videos
// and images by presigned URL) is added to connect-src, media-src and
// img-src, and nothing else of the policy changes; without one, or with
// something that is not an origin, the policy is the app's own.
func TestContentSecurityPolicyNamesTheObjectStore(t *testing.T) {
	const own = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'; manifest-src 'self'; worker-src 'self'"
	directives := func(policy string) map[string]string {
		out := map[string]string{}
		for _, d := range strings.Split(policy, ";") {
			name, value, _ := strings.Cut(strings.TrimSpace(d), " ")
			if _, dup := out[name]; dup {
				t.Errorf("directive %s twice in %q", name, policy)
			}
			out[name] = value
		}
		return out
	}
	e := newTestEnv(t)
	policy := func(origin string) string {
		srv := New(Config{Development: true, ObjectStoreOrigin: origin}, e.srv.Deps)
		resp, err := srv.App().Test(httptest.NewRequest("GET", "/healthz", nil), -1)
		if err != nil {
			t.Fatal(err)
		}
		return resp.Header.Get("Content-Security-Policy")
	}
	for _, origin := range []string{"", "http://x; script-src *", "javascript:alert(1)", "https://*", "http://tep.densach.vn/path"} {
		if got := policy(origin); got != own {
			t.Errorf("origin %q: policy %q, want the app's own %q", origin, got, own)
		}
	}
	for _, origin := range []string{"http://127.0.0.1:19000", "https://tep.densach.vn", "http://[::1]:9000"} {
		want := directives(own)
		want["img-src"] += " " + origin
		want["connect-src"] += " " + origin
		want["media-src"] = "'self' " + origin
		got := directives(policy(origin))
		if len(got) != len(want) {
			t.Errorf("origin %s: %d directives, want %d: %v", origin, len(got), len(want), got)
		}
		for name, v := range want {
			if got[name] != v {
				t.Errorf("origin %s: %s %q, want %q", origin, name, got[name], v)
			}
		}
	}
}
