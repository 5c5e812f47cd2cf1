package api

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"densach/domain"
	"densach/domain/auth"
)

const testPassword = "Mật khẩu 2025"

// authDo sends req through the real stack and returns the response, for
// its headers and cookies, with the decoded JSON body.
func authDo(t testing.TB, e *testEnv, req *http.Request) (*http.Response, map[string]any) {
	t.Helper()
	resp, err := e.srv.App().Test(req, -1)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out map[string]any
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &out); err != nil {
			t.Fatalf("%s %s: body is not JSON: %s", req.Method, req.URL, raw)
		}
	}
	return resp, out
}

// authPost posts body (JSON unless a string) with an optional refresh
// cookie and bearer token.
func authPost(t testing.TB, e *testEnv, path string, body any, cookie, bearer string) (*http.Response, map[string]any) {
	t.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		r = strings.NewReader(b)
	default:
		buf, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		r = bytes.NewReader(buf)
	}
	req := httptest.NewRequest(http.MethodPost, path, r)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if cookie != "" {
		req.AddCookie(&http.Cookie{Name: refreshCookieName, Value: cookie})
	}
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	return authDo(t, e, req)
}

// setPassword gives a fixture account (whose hash is 'x') a real password.
func (e *testEnv) setPassword(p domain.Principal, password string) {
	e.t.Helper()
	h, err := domain.HashPassword(context.Background(), password)
	if err != nil {
		e.t.Fatal(err)
	}
	e.exec(`UPDATE accounts SET password_hash = $1 WHERE id = $2`, h, p.AccountID)
}

// phoneOf reads a fixture person's phone number.
func (e *testEnv) phoneOf(personID int64) string {
	e.t.Helper()
	var phone string
	if err := e.db.SQL().QueryRow(`SELECT phone FROM people WHERE id = $1`, personID).Scan(&phone); err != nil {
		e.t.Fatal(err)
	}
	return phone
}

// refreshCookieOf returns the refresh cookie a response sets, or nil.
func refreshCookieOf(resp *http.Response) *http.Cookie {
	for _, c := range resp.Cookies() {
		if c.Name == refreshCookieName {
			return c
		}
	}
	return nil
}

// signIn logs in and returns the access and refresh tokens.
func signIn(t *testing.T, e *testEnv, login, password string) (access, refresh string) {
	t.Helper()
	resp, body := authPost(t, e, "/api/v1/auth/login", map[string]any{"login": login, "password": password, "include_refresh_token": true}, "", "")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("login %s: %d %v", login, resp.StatusCode, body)
	}
	return body["access_token"].(string), body["refresh_token"].(string)
}

func TestAuthLogin(t *testing.T) {
	e := newTestEnv(t)
	p := e.w.OfficerA1
	e.setPassword(p, testPassword)
	phone := e.phoneOf(p.PersonID)
	e.exec(`UPDATE people SET cccd = '012085000123', email = 'xa.tong@example.vn' WHERE id = $1`, p.PersonID)
	cases := []struct{ name, login string }{
		{"phone", phone},
		{"phone as people write it", "+84 " + phone[1:4] + " " + phone[4:7] + " " + phone[7:]},
		{"CCCD", "012 085 000 123"},
		{"e-mail", "  Xa.Tong@Example.VN "},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			// A client without cookies asks for the refresh token in the body.
			resp, body := authPost(t, e, "/api/v1/auth/login", map[string]any{"login": tc.login, "password": testPassword, "include_refresh_token": true}, "", "")
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d: %v", resp.StatusCode, body)
			}
			if body["token_type"] != "Bearer" || body["expires_in"] != float64(15*60) || body["refresh_expires_in"] != float64(30*24*3600) {
				t.Fatalf("body %v", body)
			}
			refresh, _ := body["refresh_token"].(string)
			if len(refresh) != 43 {
				t.Fatalf("refresh token %q", refresh)
			}
			if c := refreshCookieOf(resp); c == nil || c.Value != refresh {
				t.Fatalf("cookie %v does not carry the refresh token", c)
			}
			if resp.Header.Get("Cache-Control") != "no-store" {
				t.Fatal("token answer may be cached")
			}
			// Only the hash is stored.
			var n int64
			_ = e.db.SQL().QueryRow(`SELECT count(*) FROM refresh_tokens WHERE token_hash = $1`, domain.HashRefreshToken(refresh)).Scan(&n)
			if n != 1 {
				t.Fatal("the refresh token's hash is not stored")
			}
			got, err := e.tokens.Verify(body["access_token"].(string))
			if err != nil {
				t.Fatal(err)
			}
			if got.AccountID != p.AccountID || got.PersonID != p.PersonID || len(got.Grants) != 1 {
				t.Fatalf("principal %+v", got)
			}
			g, w := got.Grants[0], p.Grants[0]
			if g.Role != w.Role || g.Kind != w.Kind || g.UnitID != w.UnitID || g.CommuneID != w.CommuneID || g.ProvinceID != w.ProvinceID {
				t.Fatalf("grant %+v, want %+v", g, w)
			}
			if st, b := e.call(http.MethodGet, "/api/v1/units", body["access_token"].(string), nil); st != http.StatusOK {
				t.Fatalf("the issued token does not work: %d %v", st, b)
			}
		})
	}
}

// TestAuthLoginFailuresLookAlike: unknown login, wrong password, disabled
// account and nonsense get the same answer, so none reveals an account.
func TestAuthLoginFailuresLookAlike(t *testing.T) {
	e := newTestEnv(t)
	e.setPassword(e.w.TeacherA1, testPassword)
	e.setPassword(e.w.ManagerA1, testPassword)
	e.exec(`UPDATE accounts SET disabled = true WHERE id = $1`, e.w.ManagerA1.AccountID)
	cases := []struct{ name, login, password string }{
		{"wrong password", e.phoneOf(e.w.TeacherA1.PersonID), "sai mật khẩu"},
		{"unknown phone", "0987654321", testPassword},
		{"person without account", e.phoneOf(e.w.ResidentA1), testPassword},
		{"disabled account, right password", e.phoneOf(e.w.ManagerA1.PersonID), testPassword},
		{"fixture hash that is not argon2id", e.phoneOf(e.w.Admin.PersonID), "x"},
		{"not a login", "robert'); DROP TABLE people;--", testPassword},
	}
	var first map[string]any
	for _, tc := range cases {
		resp, body := authPost(t, e, "/api/v1/auth/login", map[string]string{"login": tc.login, "password": tc.password}, "", "")
		if resp.StatusCode != http.StatusUnauthorized || body["code"] != "unauthorized" {
			t.Fatalf("%s: %d %v", tc.name, resp.StatusCode, body)
		}
		if refreshCookieOf(resp) != nil {
			t.Fatalf("%s: a failed login set a cookie", tc.name)
		}
		if first == nil {
			first = body
		} else if body["message"] != first["message"] {
			t.Fatalf("%s: message %q differs from %q", tc.name, body["message"], first["message"])
		}
	}
}

func TestAuthInputRejected(t *testing.T) {
	e := newTestEnv(t)
	tok := e.token(e.w.LearnerA1)
	cases := []struct {
		name, path string
		body       any
		field      string
	}{
		{"login: unknown field", "/api/v1/auth/login", `{"login":"0912000001","password":"12345678","role":"admin"}`, "role"},
		{"login: missing login", "/api/v1/auth/login", map[string]string{"password": "12345678"}, "login"},
		{"login: missing password", "/api/v1/auth/login", map[string]string{"login": "0912000001"}, "password"},
		{"refresh: unknown field", "/api/v1/auth/refresh", `{"refresh_token":"x","account_id":1}`, "account_id"},
		{"logout: unknown field", "/api/v1/auth/logout", `{"everywhere":true,"all":true}`, "all"},
		{"password: unknown field", "/api/v1/auth/password", `{"current_password":"x","new_password":"12345678","account_id":1}`, "account_id"},
		{"password: too short", "/api/v1/auth/password", map[string]string{"current_password": "x", "new_password": "1234567"}, "new_password"},
		{"password: too long", "/api/v1/auth/password", map[string]string{"current_password": "x", "new_password": strings.Repeat("a", 129)}, "new_password"},
		{"password: same", "/api/v1/auth/password", map[string]string{"current_password": "12345678", "new_password": "12345678"}, "new_password"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := authPost(t, e, tc.path, tc.body, "", tok)
			if resp.StatusCode != http.StatusUnprocessableEntity || body["code"] != "invalid" {
				t.Fatalf("status %d, body %v", resp.StatusCode, body)
			}
			fields, _ := body["fields"].([]any)
			if len(fields) == 0 || fields[0].(map[string]any)["field"] != tc.field {
				t.Fatalf("fields %v, want one on %s", body["fields"], tc.field)
			}
		})
	}
	req := httptest.NewRequest(http.MethodPost, "/api/v1/auth/login", strings.NewReader("login=a&password=b"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if resp, body := authDo(t, e, req); resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("form body: %d %v", resp.StatusCode, body)
	}
}

func TestAuthRateLimitPerLogin(t *testing.T) {
	e := newTestEnv(t)
	p := e.w.TeacherA1
	e.setPassword(p, testPassword)
	phone := e.phoneOf(p.PersonID)
	login := func(password string) (*http.Response, map[string]any) {
		return authPost(t, e, "/api/v1/auth/login", map[string]string{"login": phone, "password": password}, "", "")
	}
	e.srv.Auth.Now = fixedClock(time.Now()) // delays are measured, not slept
	// A success clears the counter: four failures, a success, then five
	// more failures are still answered 401.
	for range 4 {
		if resp, _ := login("sai"); resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("failure before success: %d", resp.StatusCode)
		}
	}
	if resp, body := login(testPassword); resp.StatusCode != http.StatusOK {
		t.Fatalf("success: %d %v", resp.StatusCode, body)
	}
	for i := 1; i <= 5; i++ {
		if resp, _ := login("sai"); resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("failure %d: %d, want 401", i, resp.StatusCode)
		}
	}
	// The sixth is refused, even with the right password, and with the
	// login written differently.
	for _, try := range []func() (*http.Response, map[string]any){
		func() (*http.Response, map[string]any) { return login("sai") },
		func() (*http.Response, map[string]any) { return login(testPassword) },
		func() (*http.Response, map[string]any) {
			return authPost(t, e, "/api/v1/auth/login", map[string]string{"login": "+84" + phone[1:], "password": testPassword}, "", "")
		},
	} {
		resp, body := try()
		if resp.StatusCode != http.StatusTooManyRequests || body["code"] != "rate_limited" {
			t.Fatalf("after 5 failures: %d %v, want 429", resp.StatusCode, body)
		}
		if ra := resp.Header.Get("Retry-After"); ra == "" || ra == "0" || len(ra) > 3 {
			t.Fatalf("Retry-After %q", ra)
		}
	}
	// Another account is not affected.
	e.setPassword(e.w.LearnerA1, testPassword)
	signIn(t, e, e.phoneOf(e.w.LearnerA1.PersonID), testPassword)
}

// TestAuthSuccessesDoNotExhaustAddress: many people behind one address (a
// centre's shared connection) sign in without being limited.
func TestAuthSuccessesDoNotExhaustAddress(t *testing.T) {
	e := newTestEnv(t)
	e.srv.Auth.Limits = auth.Limits{PerAddress: 2, Window: time.Minute}
	e.setPassword(e.w.TeacherA1, testPassword)
	for range 4 {
		signIn(t, e, e.phoneOf(e.w.TeacherA1.PersonID), testPassword)
	}
}
