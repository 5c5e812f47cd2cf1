package auth_test

import (
	"context"
	"testing"
	"time"

	"densach/domain"
	"densach/domain/auth"
	"densach/storage/postgres"
	"densach/storage/postgres/pgtest"
)

const password = "câu mật khẩu riêng 2026"

// fixture is the sign-in use case on a fresh database holding one person
// with an account, and the clock the use case reads.
type fixture struct {
	svc     *auth.Service
	db      *postgres.DB
	now     time.Time
	account int64
	person  int64
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	db, err := postgres.Open(pgtest.NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	f := &fixture{db: db, now: time.Now()}
	f.svc = &auth.Service{Store: postgres.NewAuth(db), Now: func() time.Time { return f.now }}
	hash, err := domain.HashPassword(context.Background(), password)
	if err != nil {
		t.Fatal(err)
	}
	row := db.SQL().QueryRow(`WITH p AS (INSERT INTO units (code, name, kind, valid_from) VALUES ('12', 'Lai Châu', 'province', '2025-07-01') RETURNING id),
		w AS (INSERT INTO units (code, name, kind, parent_id, valid_from) SELECT '12001', 'Tân Phong', 'ward', id, '2025-07-01' FROM p RETURNING id),
		pe AS (INSERT INTO people (full_name, given_name, sort_key, search_exact, search_folded, commune_id, phone, cccd, email)
			SELECT 'Lò Văn Học', 'Học', '\x00', 'lò văn học', 'lo van hoc', id, '0912000001', '012085000123', 'hoc@example.vn' FROM w RETURNING id)
		INSERT INTO accounts (person_id, password_hash) SELECT id, $1 FROM pe RETURNING id, person_id`, hash)
	if err := row.Scan(&f.account, &f.person); err != nil {
		t.Fatal(err)
	}
	return f
}

func wantCode(t *testing.T, what string, err error, code domain.Code) {
	t.Helper()
	if got := domain.ErrorCode(err); got != code {
		t.Fatalf("%s: %v (%q), want %q", what, err, got, code)
	}
}

func TestServiceLoginRefreshLogout(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	anon := domain.Principal{}
	for _, login := range []string{"0912 000 001", "012085000123", "HOC@example.vn"} {
		s, err := f.svc.Login(ctx, anon, auth.Credentials{Login: login, Password: password, Address: "192.0.2.1"})
		if err != nil || s.Principal.AccountID != f.account || s.Principal.PersonID != f.person || len(s.RefreshToken) != 43 {
			t.Fatalf("login %q: %+v, %v", login, s, err)
		}
	}
	_, err := f.svc.Login(ctx, anon, auth.Credentials{Login: "0912000001", Password: "sai", Address: "192.0.2.1"})
	wantCode(t, "wrong password", err, domain.CodeUnauthorized)
	_, err = f.svc.Login(ctx, anon, auth.Credentials{Login: "", Password: ""})
	wantCode(t, "empty", err, domain.CodeInvalid)

	s, err := f.svc.Login(ctx, anon, auth.Credentials{Login: "0912000001", Password: password, Address: "192.0.2.1"})
	if err != nil {
		t.Fatal(err)
	}
	next, err := f.svc.Refresh(ctx, anon, s.RefreshToken)
	if err != nil || next.RefreshToken == s.RefreshToken || next.Principal.AccountID != f.account {
		t.Fatalf("refresh: %+v, %v", next, err)
	}
	// Reuse of the old token revokes the sign-in, the new token with it.
	_, err = f.svc.Refresh(ctx, anon, s.RefreshToken)
	wantCode(t, "reuse", err, domain.CodeUnauthorized)
	_, err = f.svc.Refresh(ctx, anon, next.RefreshToken)
	wantCode(t, "token after reuse", err, domain.CodeUnauthorized)
	_, err = f.svc.Refresh(ctx, anon, "")
	wantCode(t, "no token", err, domain.CodeUnauthorized)

	s, _ = f.svc.Login(ctx, anon, auth.Credentials{Login: "0912000001", Password: password, Address: "192.0.2.1"})
	if err := f.svc.Logout(ctx, anon, s.RefreshToken); err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.Refresh(ctx, anon, s.RefreshToken)
	wantCode(t, "refresh after logout", err, domain.CodeUnauthorized)
}

// TestServiceNeedsTheCaller: signing out everywhere and changing a password
// act on the caller's own account only, and need a caller.
func TestServiceNeedsTheCaller(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	wantCode(t, "logout everywhere, anonymous", f.svc.LogoutEverywhere(ctx, domain.Principal{}), domain.CodeUnauthorized)
	wantCode(t, "password change, anonymous", f.svc.ChangePassword(ctx, domain.Principal{}, auth.PasswordChange{Current: password, New: "một câu khác hẳn 7"}), domain.CodeUnauthorized)
	s, err := f.svc.Login(ctx, domain.Principal{}, auth.Credentials{Login: "0912000001", Password: password, Address: "192.0.2.1"})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.svc.LogoutEverywhere(ctx, s.Principal); err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.Refresh(ctx, domain.Principal{}, s.RefreshToken)
	wantCode(t, "refresh after logout everywhere", err, domain.CodeUnauthorized)
}

func TestServiceChangePassword(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if err := postgres.NewAuth(f.db).RequirePasswordChange(ctx, f.account); err != nil {
		t.Fatal(err)
	}
	s, err := f.svc.Login(ctx, domain.Principal{}, auth.Credentials{Login: "0912000001", Password: password, Address: "192.0.2.1"})
	if err != nil || !s.Principal.MustChangePassword {
		t.Fatalf("login of a must-change account: %+v, %v", s.Principal, err)
	}
	wantCode(t, "restricted principal", auth.RequirePasswordChanged(s.Principal), domain.CodeForbidden)
	pr := s.Principal
	for _, tc := range []struct {
		name, current, next, field, code string
	}{
		{"wrong current", "sai mật khẩu", "một câu khác hẳn 7", "current_password", "password_wrong"},
		{"common", password, "12345678", "new_password", "password_common"},
		{"same", password, password, "new_password", "password_same"},
	} {
		e := domain.AsError(f.svc.ChangePassword(ctx, pr, auth.PasswordChange{Current: tc.current, New: tc.next}))
		if e.Code != domain.CodeInvalid || len(e.Fields) == 0 || e.Fields[0].Field != tc.field || e.Fields[0].Code != tc.code {
			t.Fatalf("%s: %+v", tc.name, e)
		}
	}
	if err := f.svc.ChangePassword(ctx, pr, auth.PasswordChange{Current: password, New: "một câu khác hẳn 7", RequestID: "r1"}); err != nil {
		t.Fatal(err)
	}
	s, err = f.svc.Login(ctx, domain.Principal{}, auth.Credentials{Login: "0912000001", Password: "một câu khác hẳn 7", Address: "192.0.2.1"})
	if err != nil || s.Principal.MustChangePassword || auth.RequirePasswordChanged(s.Principal) != nil {
		t.Fatalf("after the change: %+v, %v", s.Principal, err)
	}
	// Guessing the current password through a stolen token is throttled:
	// five wrong tries per window, then a wait; the clock moves, not sleeps.
	for i := range 5 {
		err := f.svc.ChangePassword(ctx, s.Principal, auth.PasswordChange{Current: "đoán", New: "một câu khác nữa 8"})
		wantCode(t, "wrong current "+string(rune('1'+i)), err, domain.CodeInvalid)
	}
	err = f.svc.ChangePassword(ctx, s.Principal, auth.PasswordChange{Current: "đoán", New: "một câu khác nữa 8"})
	wantCode(t, "sixth try", err, domain.CodeRateLimited)
	if wait, ok := auth.RetryAfter(err); !ok || wait != 15*time.Minute {
		t.Fatalf("wait %v %v, want 15m", wait, ok)
	}
	f.now = f.now.Add(15 * time.Minute)
	err = f.svc.ChangePassword(ctx, s.Principal, auth.PasswordChange{Current: "đoán", New: "một câu khác nữa 8"})
	wantCode(t, "after the window", err, domain.CodeInvalid)
}

// TestServiceBootstrapAccount: only the system creates an account this way;
// the login, password and role are checked before anything is written; the
// account must change the operator's password.
func TestServiceBootstrapAccount(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	in := auth.Bootstrap{Login: " Quan.Tri@Example.VN ", Password: password, FullName: "Nguyễn Văn Quản", Role: domain.RoleAdmin}
	refused := []struct {
		name  string
		pr    domain.Principal
		in    auth.Bootstrap
		code  domain.Code
		field string
	}{
		{"anonymous", domain.Principal{}, in, domain.CodeForbidden, ""},
		{"a signed-in learner", domain.Principal{AccountID: f.account, PersonID: f.person, Grants: []domain.Grant{{Role: domain.RoleLearner, Kind: domain.ScopeSelf}}}, in, domain.CodeForbidden, ""},
		{"bad login", domain.System(), auth.Bootstrap{Login: "abc", Password: password, Role: domain.RoleAdmin}, domain.CodeInvalid, "login"},
		{"short password", domain.System(), auth.Bootstrap{Login: "quan.tri@example.vn", Password: "ngắn", Role: domain.RoleAdmin}, domain.CodeInvalid, "password"},
		{"unknown role", domain.System(), auth.Bootstrap{Login: "quan.tri@example.vn", Password: password, Role: "root"}, domain.CodeInvalid, "role"},
		{"officer without a unit", domain.System(), auth.Bootstrap{Login: "quan.tri@example.vn", Password: password, Role: domain.RoleOfficer}, domain.CodeInvalid, "unit_id"},
	}
	for _, tc := range refused {
		_, err := f.svc.BootstrapAccount(ctx, tc.pr, tc.in)
		e := domain.AsError(err)
		if e.Code != tc.code || (tc.field != "" && (len(e.Fields) != 1 || e.Fields[0].Field != tc.field)) {
			t.Errorf("%s: got %v %+v, want %s on %q", tc.name, err, e.Fields, tc.code, tc.field)
		}
	}
	var n int
	if err := f.db.SQL().QueryRow(`SELECT count(*) FROM accounts`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("refused requests left %d accounts (%v), want the fixture's 1", n, err)
	}

	res, err := f.svc.BootstrapAccount(ctx, domain.System(), in)
	if err != nil || !res.PersonCreated || !res.AccountCreated || !res.RoleGranted {
		t.Fatalf("bootstrap: %+v, %v", res, err)
	}
	if res.Login != (domain.Login{Kind: domain.LoginEmail, Value: "quan.tri@example.vn"}) {
		t.Fatalf("login %+v, want the normalised e-mail", res.Login)
	}
	s, err := f.svc.Login(ctx, domain.Principal{}, auth.Credentials{Login: "quan.tri@example.vn", Password: password, Address: "192.0.2.1"})
	if err != nil || !s.Principal.IsAdmin() || !s.Principal.MustChangePassword {
		t.Fatalf("sign-in with the bootstrapped account: %+v, %v; want an administrator who must change the password", s.Principal, err)
	}
}
