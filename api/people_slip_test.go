package api

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"densach/domain"
)

// slipCall posts body (nil sends no body at all) to the account endpoint
// and returns the status, the Cache-Control header and the decoded answer.
func (e *testEnv) slipCall(token string, personID int64, body string, contentType bool, idempotencyKey ...string) (int, string, map[string]any) {
	e.t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req := httptest.NewRequest(http.MethodPost, fmt.Sprintf("/api/v1/people/%d/account", personID), r)
	if contentType {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Authorization", "Bearer "+token)
	for _, k := range idempotencyKey {
		req.Header.Set(HeaderIdempotencyKey, k)
	}
	resp, err := e.srv.App().Test(req, -1)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	raw, _ := io.ReadAll(resp.Body)
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &out); err != nil {
			e.t.Fatalf("answer is not JSON: %s", raw)
		}
	}
	return resp.StatusCode, resp.Header.Get("Cache-Control"), out
}

// accountState is what a refused request must leave unchanged.
func (e *testEnv) accountState(personID int64) string {
	e.t.Helper()
	var s string
	if err := e.db.SQL().QueryRow(`SELECT coalesce((SELECT password_hash || must_change_password::text FROM accounts WHERE person_id = $1), 'none')
		|| ':' || (SELECT count(*) FROM audit_log WHERE entity_id = $1)`, personID).Scan(&s); err != nil {
		e.t.Fatal(err)
	}
	return s
}

// TestOneTimePasswordSlip: a manager who covers a person asks for a
// one-time password with no password in the body, gets the sign-in slip
// (201 for a new account, 200 for a reset), and the slip's password signs
// in with must_change_password until the owner changes it. A second slip
// replaces the first. Neither password reaches the audit log.
func TestOneTimePasswordSlip(t *testing.T) {
	e := newTestEnv(t)
	mgr := e.token(e.w.ManagerA1)
	phone := e.phoneOf(e.w.ResidentA1)
	var passwords []string
	for i, tc := range []struct {
		name        string
		body        string
		contentType bool
		want        int
	}{
		{"empty body creates the account", "", false, http.StatusCreated},
		{"{} resets it", "{}", true, http.StatusOK},
		{"null password resets it", `{"password": null}`, true, http.StatusOK},
	} {
		st, cache, slip := e.slipCall(mgr, e.w.ResidentA1, tc.body, tc.contentType)
		if st != tc.want || cache != "no-store" {
			t.Fatalf("%s: %d (Cache-Control %q) %v, want %d no-store", tc.name, st, cache, slip, tc.want)
		}
		pw, _ := slip["password"].(string)
		logins, _ := slip["logins"].([]any)
		if slip["full_name"] != "Đặng Thị Ánh" || slip["person_id"] != float64(e.w.ResidentA1) || slip["must_change_password"] != true ||
			slip["account_created"] != (i == 0) || len(logins) != 1 || len(pw) != 14 {
			t.Fatalf("%s: slip %v", tc.name, slip)
		}
		if l := logins[0].(map[string]any); l["kind"] != "phone" || l["value"] != phone {
			t.Fatalf("%s: login %v, want the unmasked phone %s", tc.name, l, phone)
		}
		passwords = append(passwords, pw)
	}
	// Only the last slip's password signs in, and it must be changed.
	for i, pw := range passwords {
		resp, body := authPost(t, e, "/api/v1/auth/login", map[string]string{"login": phone, "password": pw}, "", "")
		last := i == len(passwords)-1
		if last && (resp.StatusCode != http.StatusOK || body["must_change_password"] != true) {
			t.Fatalf("login with the last slip: %d %v, want 200 must_change_password", resp.StatusCode, body)
		}
		if !last && resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("login with an earlier slip %d: %d %v, want 401", i, resp.StatusCode, body)
		}
	}
	var audit string
	if err := e.db.SQL().QueryRow(`SELECT string_agg(action || changes::text, ' ') FROM audit_log WHERE entity_id = $1`, e.w.ResidentA1).Scan(&audit); err != nil {
		t.Fatal(err)
	}
	for _, pw := range passwords {
		if strings.Contains(audit, pw) {
			t.Fatalf("the audit log holds a one-time password: %s", audit)
		}
	}
	if !strings.Contains(audit, "account_created") || strings.Count(audit, "password_reset") != 2 {
		t.Fatalf("audit %s, want one account_created and two password_reset", audit)
	}
	// The owner changes it; the flag is cleared.
	_, body := authPost(t, e, "/api/v1/auth/login", map[string]string{"login": phone, "password": passwords[2]}, "", "")
	const own = "đèn sách của tôi 2026"
	if resp, body := authPost(t, e, "/api/v1/auth/password", map[string]string{"current_password": passwords[2], "new_password": own}, "", body["access_token"].(string)); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("password change: %d %v", resp.StatusCode, body)
	}
	if resp, body := authPost(t, e, "/api/v1/auth/login", map[string]string{"login": phone, "password": own}, "", ""); resp.StatusCode != http.StatusOK || body["must_change_password"] != false {
		t.Fatalf("login with the own password: %d %v, want must_change_password false", resp.StatusCode, body)
	}
	// An explicit password keeps its old answer.
	if st, _, body := e.slipCall(mgr, e.w.ResidentA1, `{"password": "một câu mật khẩu dài 9"}`, true); st != http.StatusNoContent {
		t.Fatalf("explicit password: %d %v, want 204", st, body)
	}
}

// TestOneTimePasswordSlipRefused: callers who do not cover the person get
// 403 or 404 and nothing changes; a slip for oneself or for a person with
// no login is refused with a field code.
func TestOneTimePasswordSlipRefused(t *testing.T) {
	e := newTestEnv(t)
	noLogin := e.exec(`INSERT INTO people (full_name, given_name, sort_key, search_exact, search_folded, commune_id)
		VALUES ('Vàng Văn Ẩn', 'Ẩn', 'an', 'vàng văn ẩn', 'vang van an', $1) RETURNING id`, e.w.CommA1)
	for _, tc := range []struct {
		name   string
		caller domain.Principal
		target int64
		status int
		field  string
	}{
		{"manager of another province", e.w.ManagerB1, e.w.ResidentA1, http.StatusNotFound, ""},
		{"teacher", e.w.TeacherA1, e.w.ResidentA1, http.StatusForbidden, ""},
		{"learner", e.w.LearnerA1, e.w.ResidentA1, http.StatusNotFound, ""},
		{"manager on the province officer", e.w.ManagerA1, e.w.OfficerA.PersonID, http.StatusForbidden, ""},
		{"commune officer on the province officer", e.w.OfficerA1, e.w.OfficerA.PersonID, http.StatusForbidden, ""},
		{"province officer on the administrator", e.w.OfficerA, e.w.Admin.PersonID, http.StatusForbidden, ""},
		{"manager on a person of another commune", e.w.ManagerA1, e.w.ResidentA2, http.StatusNotFound, ""},
		{"oneself", e.w.Admin, e.w.Admin.PersonID, http.StatusUnprocessableEntity, "own_password"},
		{"a person with no login", e.w.ManagerA1, noLogin, http.StatusUnprocessableEntity, "login_missing"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := e.accountState(tc.target)
			st, _, body := e.slipCall(e.token(tc.caller), tc.target, "{}", true)
			if st != tc.status || body["password"] != nil {
				t.Fatalf("%d %v, want %d", st, body, tc.status)
			}
			if tc.field != "" {
				if fields, _ := body["fields"].([]any); len(fields) != 1 || fields[0].(map[string]any)["code"] != tc.field {
					t.Fatalf("fields %v, want %s", body["fields"], tc.field)
				}
			}
			if after := e.accountState(tc.target); after != before {
				t.Fatalf("account changed from %q to %q", before, after)
			}
		})
	}
}

// TestOneTimePasswordSlipNotKeptForReplay: the web app sends an
// Idempotency-Key with every write, and 2xx answers are kept for replays,
// but never one holding a one-time password. A retry with the same key
// issues a fresh password instead (the first one stops working).
func TestOneTimePasswordSlipNotKeptForReplay(t *testing.T) {
	e := newTestEnv(t)
	mgr := e.token(e.w.ManagerA1)
	const key = "6f1d1a52-3a57-4a53-9d8e-4e2b3c1f0a77"
	st1, _, first := e.slipCall(mgr, e.w.ResidentA1, "{}", true, key)
	st2, _, second := e.slipCall(mgr, e.w.ResidentA1, "{}", true, key)
	if st1 != http.StatusCreated || st2 != http.StatusOK || first["password"] == nil || first["password"] == second["password"] {
		t.Fatalf("first %d %v, retry %d %v: want 201 then a fresh slip 200", st1, first, st2, second)
	}
	for _, pw := range []any{first["password"], second["password"]} {
		var n int
		if err := e.db.SQL().QueryRow(`SELECT count(*) FROM idempotency_keys WHERE position(convert_to($1, 'UTF8') in coalesce(body, '')) > 0`, pw).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			t.Fatalf("an idempotency record holds the one-time password %v", pw)
		}
	}
	// Other writes with a key are still kept and replayed.
	st, _, _ := e.slipCall(mgr, e.w.ResidentA1, `{"password": "một câu mật khẩu dài 9"}`, true, key+"-2")
	var kept int
	if err := e.db.SQL().QueryRow(`SELECT count(*) FROM idempotency_keys WHERE key = $1 AND state = 'completed'`, key+"-2").Scan(&kept); err != nil {
		t.Fatal(err)
	}
	if st != http.StatusNoContent || kept != 1 {
		t.Fatalf("explicit password with a key: %d, kept %d, want 204 and a kept answer", st, kept)
	}
}
