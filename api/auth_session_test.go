package api

import (
	"net/http"
	"testing"
	"time"

	"densach/domain"
	"densach/storage/postgres"
)

func TestAuthRefreshRotates(t *testing.T) {
	e := newTestEnv(t)
	p := e.w.ManagerA1
	e.setPassword(p, testPassword)
	_, first := signIn(t, e, e.phoneOf(p.PersonID), testPassword)

	// By cookie: a new pair, in the same family.
	resp, body := authPost(t, e, "/api/v1/auth/refresh", nil, first, "")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("refresh: %d %v", resp.StatusCode, body)
	}
	second, _ := body["refresh_token"].(string)
	if second == "" || second == first || refreshCookieOf(resp).Value != second {
		t.Fatalf("refresh did not rotate: %v", body)
	}
	if _, err := e.tokens.Verify(body["access_token"].(string)); err != nil {
		t.Fatal(err)
	}
	// By body, as an app without cookies would; role changes apply now.
	e.exec(`UPDATE role_grants SET revoked_at = now() WHERE person_id = $1`, p.PersonID)
	resp, body = authPost(t, e, "/api/v1/auth/refresh", map[string]string{"refresh_token": second}, "", "")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("refresh by body: %d %v", resp.StatusCode, body)
	}
	third := body["refresh_token"].(string)
	got, err := e.tokens.Verify(body["access_token"].(string))
	if err != nil || len(got.Grants) != 0 {
		t.Fatalf("revoked grant still in the refreshed token: %+v, %v", got, err)
	}
	if fams := e.exec(`SELECT count(DISTINCT family_id) FROM refresh_tokens`); fams != 1 {
		t.Fatalf("%d families, want 1", fams)
	}

	// Reusing an old token is refused and revokes the family: the newest
	// token, held by the rightful user or the thief, stops working too.
	resp, body = authPost(t, e, "/api/v1/auth/refresh", nil, first, "")
	if resp.StatusCode != http.StatusUnauthorized || body["code"] != "unauthorized" {
		t.Fatalf("reuse: %d %v", resp.StatusCode, body)
	}
	if c := refreshCookieOf(resp); !cookieDeleted(c) {
		t.Fatalf("a refused refresh kept the cookie: %v", c)
	}
	if resp, _ := authPost(t, e, "/api/v1/auth/refresh", nil, third, ""); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("newest token after reuse: %d, want 401", resp.StatusCode)
	}
}

func TestAuthRefreshRefused(t *testing.T) {
	e := newTestEnv(t)
	p := e.w.TeacherA1
	e.setPassword(p, testPassword)
	_, expired := signIn(t, e, e.phoneOf(p.PersonID), testPassword)
	e.exec(`UPDATE refresh_tokens SET expires_at = now() - interval '1 minute' WHERE token_hash = $1`, domain.HashRefreshToken(expired))
	_, disabled := signIn(t, e, e.phoneOf(p.PersonID), testPassword)
	unknown, _, _ := domain.NewRefreshToken()
	cases := map[string]func() (*http.Response, map[string]any){
		"none": func() (*http.Response, map[string]any) { return authPost(t, e, "/api/v1/auth/refresh", nil, "", "") },
		"unknown": func() (*http.Response, map[string]any) {
			return authPost(t, e, "/api/v1/auth/refresh", nil, unknown, "")
		},
		"expired": func() (*http.Response, map[string]any) {
			return authPost(t, e, "/api/v1/auth/refresh", nil, expired, "")
		},
		"access token instead": func() (*http.Response, map[string]any) {
			return authPost(t, e, "/api/v1/auth/refresh", map[string]string{"refresh_token": e.token(p)}, "", "")
		},
		"disabled account": func() (*http.Response, map[string]any) {
			e.exec(`UPDATE accounts SET disabled = true WHERE id = $1`, p.AccountID)
			return authPost(t, e, "/api/v1/auth/refresh", nil, disabled, "")
		},
	}
	for name, try := range cases {
		if resp, body := try(); resp.StatusCode != http.StatusUnauthorized || body["code"] != "unauthorized" {
			t.Errorf("%s: %d %v, want 401", name, resp.StatusCode, body)
		}
	}
}

func TestAuthLogout(t *testing.T) {
	e := newTestEnv(t)
	p := e.w.LearnerA1
	e.setPassword(p, testPassword)
	phone := e.phoneOf(p.PersonID)
	access, here := signIn(t, e, phone, testPassword)
	_, there := signIn(t, e, phone, testPassword)

	resp, _ := authPost(t, e, "/api/v1/auth/logout", nil, here, "")
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("logout: %d", resp.StatusCode)
	}
	if c := refreshCookieOf(resp); !cookieDeleted(c) || c.Path != refreshCookiePath {
		t.Fatalf("logout did not delete the cookie: %v", c)
	}
	if resp, _ := authPost(t, e, "/api/v1/auth/refresh", nil, here, ""); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("refresh after logout: %d, want 401", resp.StatusCode)
	}
	// The other device's sign-in is untouched.
	resp, body := authPost(t, e, "/api/v1/auth/refresh", nil, there, "")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("other sign-in after logout: %d %v", resp.StatusCode, body)
	}
	there = body["refresh_token"].(string)
	// Logging out with nothing to revoke still succeeds and clears the cookie.
	if resp, _ := authPost(t, e, "/api/v1/auth/logout", nil, "", ""); resp.StatusCode != http.StatusNoContent || !cookieDeleted(refreshCookieOf(resp)) {
		t.Fatalf("empty logout: %d", resp.StatusCode)
	}

	// Everywhere needs a valid bearer token.
	if resp, _ := authPost(t, e, "/api/v1/auth/logout", map[string]bool{"everywhere": true}, "", ""); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("everywhere without a bearer: %d, want 401", resp.StatusCode)
	}
	if resp, _ := authPost(t, e, "/api/v1/auth/refresh", nil, there, ""); resp.StatusCode != http.StatusOK {
		t.Fatal("a refused logout everywhere revoked something")
	}
	_, third := signIn(t, e, phone, testPassword)
	if resp, _ := authPost(t, e, "/api/v1/auth/logout", map[string]bool{"everywhere": true}, "", access); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("logout everywhere: %d", resp.StatusCode)
	}
	if live := e.exec(`SELECT count(*) FROM refresh_tokens WHERE account_id = $1 AND revoked_at IS NULL`, p.AccountID); live != 0 {
		t.Fatalf("%d sign-ins live after logout everywhere", live)
	}
	if resp, _ := authPost(t, e, "/api/v1/auth/refresh", map[string]string{"refresh_token": third}, "", ""); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("refresh after logout everywhere: %d, want 401", resp.StatusCode)
	}
}

func TestAuthPasswordChange(t *testing.T) {
	e := newTestEnv(t)
	p := e.w.OfficerA
	e.setPassword(p, testPassword)
	phone := e.phoneOf(p.PersonID)
	access, refresh := signIn(t, e, phone, testPassword)
	const newPassword = "Mật khẩu mới 2026"
	change := func(current, next, bearer string) (*http.Response, map[string]any) {
		return authPost(t, e, "/api/v1/auth/password", map[string]string{"current_password": current, "new_password": next}, "", bearer)
	}

	if resp, _ := change(testPassword, newPassword, ""); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("without a bearer: %d, want 401", resp.StatusCode)
	}
	resp, body := change("sai mật khẩu", newPassword, access)
	fields, _ := body["fields"].([]any)
	if resp.StatusCode != http.StatusUnprocessableEntity || len(fields) != 1 || fields[0].(map[string]any)["field"] != "current_password" {
		t.Fatalf("wrong current password: %d %v", resp.StatusCode, body)
	}
	resp, body = change(testPassword, "ngắn", access)
	fields, _ = body["fields"].([]any)
	if resp.StatusCode != http.StatusUnprocessableEntity || len(fields) != 1 || fields[0].(map[string]any)["code"] != "password_too_short" {
		t.Fatalf("short new password: %d %v", resp.StatusCode, body)
	}

	if resp, body := change(testPassword, newPassword, access); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("change: %d %v", resp.StatusCode, body)
	}
	if resp, _ := authPost(t, e, "/api/v1/auth/refresh", nil, refresh, ""); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("refresh after the change: %d, want 401", resp.StatusCode)
	}
	if resp, _ := authPost(t, e, "/api/v1/auth/login", map[string]string{"login": phone, "password": testPassword}, "", ""); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("old password after the change: %d, want 401", resp.StatusCode)
	}
	signIn(t, e, phone, newPassword)

	entries, err := postgres.NewAudit(e.db).ListAudit(t.Context(), "account", p.AccountID, 10)
	if err != nil || len(entries) != 1 || entries[0].Action != "password_changed" || entries[0].ActorID != p.PersonID {
		t.Fatalf("audit: %+v, %v", entries, err)
	}
	var hash string
	_ = e.db.SQL().QueryRow(`SELECT password_hash FROM accounts WHERE id = $1`, p.AccountID).Scan(&hash)
	for _, secret := range []string{testPassword, newPassword, hash} {
		if n := e.exec(`SELECT count(*) FROM audit_log WHERE changes::text LIKE '%' || $1 || '%'`, secret); n != 0 {
			t.Fatal("the audit log holds a secret")
		}
	}
}

func TestAuthCookieAttributes(t *testing.T) {
	e := newTestEnv(t)
	p := e.w.TeacherA1
	e.setPassword(p, testPassword)
	phone := e.phoneOf(p.PersonID)
	production := New(Config{Development: false, RequestTimeout: 5 * time.Second}, e.srv.Deps)
	for _, tc := range []struct {
		name   string
		srv    *Server
		secure bool
	}{
		{"development", e.srv, false},
		{"production", production, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := *e
			env.srv = tc.srv
			resp, body := authPost(t, &env, "/api/v1/auth/login", map[string]string{"login": phone, "password": testPassword}, "", "")
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("login: %d %v", resp.StatusCode, body)
			}
			for _, set := range []*http.Response{resp, func() *http.Response {
				r, _ := authPost(t, &env, "/api/v1/auth/refresh", nil, body["refresh_token"].(string), "")
				return r
			}()} {
				c := refreshCookieOf(set)
				if c == nil {
					t.Fatal("no refresh cookie")
				}
				if !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Path != "/api/v1/auth" || c.MaxAge != 30*24*3600 || c.Secure != tc.secure {
					t.Fatalf("cookie %+v (raw %q)", c, set.Header.Get("Set-Cookie"))
				}
			}
			resp, _ = authPost(t, &env, "/api/v1/auth/logout", nil, "", "")
			if c := refreshCookieOf(resp); !cookieDeleted(c) || !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Path != "/api/v1/auth" || c.Secure != tc.secure {
				t.Fatalf("deleting cookie %+v", c)
			}
		})
	}
}

// cookieDeleted reports whether c tells the browser to drop the cookie.
func cookieDeleted(c *http.Cookie) bool {
	return c != nil && c.Value == "" && !c.Expires.IsZero() && c.Expires.Before(time.Now())
}
