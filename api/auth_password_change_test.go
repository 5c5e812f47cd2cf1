package api

import (
	"fmt"
	"net/http"
	"testing"
)

// TestAuthMustChangePassword: a password a manager chose for someone is
// one-time. The owner's sign-in says so and reaches only GET /me, the
// password change and sign-out (403 password_change_required elsewhere);
// changing it lifts the restriction.
func TestAuthMustChangePassword(t *testing.T) {
	e := newTestEnv(t)
	mgr := e.token(e.w.ManagerA1)
	const given, own = "mật khẩu được cấp 7", "câu của riêng tôi 2026"
	if st, body := e.call(http.MethodPost, fmt.Sprintf("/api/v1/people/%d/account", e.w.ResidentA1), mgr, map[string]any{"password": given}); st != http.StatusNoContent && st != http.StatusCreated {
		t.Fatalf("manager sets the password: %d %v", st, body)
	}
	phone := e.phoneOf(e.w.ResidentA1)
	resp, body := authPost(t, e, "/api/v1/auth/login", map[string]string{"login": phone, "password": given}, "", "")
	if resp.StatusCode != http.StatusOK || body["must_change_password"] != true {
		t.Fatalf("login with a given password: %d %v, want must_change_password", resp.StatusCode, body)
	}
	access := body["access_token"].(string)
	// Refreshing does not shed the restriction.
	resp, body = authPost(t, e, "/api/v1/auth/refresh", nil, refreshCookieOf(resp).Value, "")
	if resp.StatusCode != http.StatusOK || body["must_change_password"] != true {
		t.Fatalf("refresh: %d %v, want must_change_password", resp.StatusCode, body)
	}
	for _, tc := range []struct{ method, path string }{
		{http.MethodGet, "/api/v1/units"},
		{http.MethodGet, "/api/v1/people"},
		{http.MethodGet, fmt.Sprintf("/api/v1/people/%d", e.w.ResidentA1)},
		{http.MethodPatch, fmt.Sprintf("/api/v1/people/%d", e.w.ResidentA1)},
	} {
		st, body := e.call(tc.method, tc.path, access, map[string]any{})
		fields, _ := body["fields"].([]any)
		if st != http.StatusForbidden || body["code"] != "forbidden" || len(fields) != 1 || fields[0].(map[string]any)["code"] != "password_change_required" {
			t.Fatalf("%s %s before the change: %d %v, want 403 password_change_required", tc.method, tc.path, st, body)
		}
	}
	if st, body := e.call(http.MethodGet, "/api/v1/me", access, nil); st != http.StatusOK {
		t.Fatalf("GET /me before the change: %d %v", st, body)
	}
	// A common password is refused with its field code.
	resp, body = authPost(t, e, "/api/v1/auth/password", map[string]string{"current_password": given, "new_password": "matkhau123"}, "", access)
	if fields, _ := body["fields"].([]any); resp.StatusCode != http.StatusUnprocessableEntity || len(fields) != 1 || fields[0].(map[string]any)["code"] != "password_common" {
		t.Fatalf("common new password: %d %v, want 422 password_common", resp.StatusCode, body)
	}
	if resp, body := authPost(t, e, "/api/v1/auth/password", map[string]string{"current_password": given, "new_password": own}, "", access); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("password change: %d %v", resp.StatusCode, body)
	}
	resp, body = authPost(t, e, "/api/v1/auth/login", map[string]string{"login": phone, "password": own}, "", "")
	if resp.StatusCode != http.StatusOK || body["must_change_password"] != false {
		t.Fatalf("login with the own password: %d %v", resp.StatusCode, body)
	}
	if st, body := e.call(http.MethodGet, "/api/v1/units", body["access_token"].(string), nil); st != http.StatusOK {
		t.Fatalf("GET /units after the change: %d %v", st, body)
	}
	// A person created with a password by someone else is marked too.
	st, created := e.call(http.MethodPost, "/api/v1/people", mgr, map[string]any{"full_name": "Lò Văn Mới", "commune_id": e.w.CommA1, "phone": "0912345670", "password": given})
	if st != http.StatusCreated {
		t.Fatalf("create with a password: %d %v", st, created)
	}
	if resp, body := authPost(t, e, "/api/v1/auth/login", map[string]string{"login": "0912345670", "password": given}, "", ""); resp.StatusCode != http.StatusOK || body["must_change_password"] != true {
		t.Fatalf("login of a created person: %d %v, want must_change_password", resp.StatusCode, body)
	}
	// Sign-out works whatever the state.
	if resp, _ := authPost(t, e, "/api/v1/auth/logout", map[string]bool{"everywhere": true}, "", access); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("logout everywhere with a restricted token: %d", resp.StatusCode)
	}
}

// TestAuthCommonPasswordRefusedForOthers: a manager cannot give anyone
// "12345678" or "matkhau123"-style passwords.
func TestAuthCommonPasswordRefusedForOthers(t *testing.T) {
	e := newTestEnv(t)
	mgr := e.token(e.w.ManagerA1)
	for _, pw := range []string{"12345678", "matkhau123", "Mật khẩu 2025", "password1"} {
		st, body := e.call(http.MethodPost, fmt.Sprintf("/api/v1/people/%d/account", e.w.ResidentA1), mgr, map[string]any{"password": pw})
		fields, _ := body["fields"].([]any)
		if st != http.StatusUnprocessableEntity || len(fields) != 1 || fields[0].(map[string]any)["code"] != "password_common" {
			t.Fatalf("%q: %d %v, want 422 password_common", pw, st, body)
		}
	}
}
