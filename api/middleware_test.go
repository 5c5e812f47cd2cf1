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

func TestContentSecurityPolicyAllowsTheObjectStore(t *testing.T) {
	if got := contentSecurityPolicy(""); !strings.HasPrefix(got, "default-src 'self'; ") || strings.Contains(got, "http") {
		t.Errorf("without a store: %q", got)
	}
	got := contentSecurityPolicy("http://127.0.0.1:19000")
	// Uploads (connect-src) and videos (media-src) fall back to default-src;
	// scripts, styles, workers and objects stay as strict as before.
	for _, want := range []string{"default-src 'self' http://127.0.0.1:19000;", "script-src 'self';", "worker-src 'self'", "object-src 'none';"} {
		if !strings.Contains(got, want) {
			t.Errorf("policy %q lacks %q", got, want)
		}
	}
	for _, unwanted := range []string{"connect-src", "media-src"} {
		if strings.Contains(got, unwanted) {
			t.Errorf("policy %q sets %s (it must fall back to default-src)", got, unwanted)
		}
	}
}
