package postgres_test

import (
	"context"
	"testing"
	"time"

	"densach/domain"
)

func TestBootstrapAccount(t *testing.T) {
	f := newAuthFixture(t)
	ctx := context.Background()
	email := domain.Login{Kind: domain.LoginEmail, Value: "admin@example.vn"}
	b := domain.AccountBootstrap{Login: email, FullName: "Nguyễn Văn Quản", PasswordHash: "h1", Role: domain.RoleAdmin}

	first, err := f.db.BootstrapAccount(ctx, b)
	if err != nil {
		t.Fatal(err)
	}
	if !first.PersonCreated || !first.AccountCreated || !first.RoleGranted {
		t.Fatalf("first run: %+v", first)
	}
	if c := f.id(t, `SELECT commune_id FROM people WHERE id = $1`, first.PersonID); c != f.ward {
		t.Fatalf("new person lives in unit %d, want the only ward %d", c, f.ward)
	}
	if a, err := f.db.Account(ctx, first.AccountID); err != nil || !a.MustChangePassword {
		t.Fatalf("new account %+v, %v: the operator's password is not marked must-change", a, err)
	}
	_, h := newToken(t)
	if err := f.db.StartRefreshFamily(ctx, first.AccountID, h, time.Hour); err != nil {
		t.Fatal(err)
	}

	// Again, with a new password: nothing is duplicated, the password is
	// reset, the account enabled and signed out everywhere.
	f.id(t, `UPDATE accounts SET disabled = true, must_change_password = false WHERE id = $1`, first.AccountID)
	b.PasswordHash = "h2"
	again, err := f.db.BootstrapAccount(ctx, b)
	if err != nil {
		t.Fatal(err)
	}
	if again.PersonID != first.PersonID || again.AccountID != first.AccountID || again.PersonCreated || again.AccountCreated || again.RoleGranted {
		t.Fatalf("second run: %+v", again)
	}
	a, err := f.db.Account(ctx, first.AccountID)
	if err != nil || a.PasswordHash != "h2" || a.Disabled || !a.MustChangePassword {
		t.Fatalf("account after reset: %+v, %v", a, err)
	}
	if live := f.id(t, `SELECT count(*) FROM refresh_tokens WHERE revoked_at IS NULL`); live != 0 {
		t.Fatal("reset left sign-ins live")
	}
	if n := f.id(t, `SELECT count(*) FROM role_grants WHERE person_id = $1`, first.PersonID); n != 1 {
		t.Fatalf("%d grants, want 1", n)
	}
	p, err := f.db.AccountPrincipal(ctx, first.AccountID)
	if err != nil || !p.IsAdmin() {
		t.Fatalf("principal %+v, %v", p, err)
	}
	if n := f.id(t, `SELECT count(*) FROM audit_log WHERE action = 'account_bootstrapped' AND entity_id = $1`, first.AccountID); n != 2 {
		t.Fatalf("%d audit rows, want 2", n)
	}

	// An existing person (found by phone) gets an account, not a twin.
	phone := domain.Login{Kind: domain.LoginPhone, Value: "0912000001"}
	res, err := f.db.BootstrapAccount(ctx, domain.AccountBootstrap{Login: phone, PasswordHash: "h3", Role: domain.RoleTeacher, CentreID: f.centre})
	if err != nil || res.PersonID != f.person || res.PersonCreated || res.AccountCreated || !res.RoleGranted {
		t.Fatalf("existing person: %+v, %v", res, err)
	}

	// Officers name their unit by code.
	cccd := domain.Login{Kind: domain.LoginCCCD, Value: "012345678901"}
	res, err = f.db.BootstrapAccount(ctx, domain.AccountBootstrap{Login: cccd, FullName: "Lò Văn Tỉnh", CommuneCode: "12001", PasswordHash: "h4", Role: domain.RoleOfficer, UnitCode: "12"})
	if err != nil || !res.PersonCreated || !res.RoleGranted {
		t.Fatalf("officer: %+v, %v", res, err)
	}

	for name, bad := range map[string]domain.AccountBootstrap{
		"unknown commune":      {Login: domain.Login{Kind: domain.LoginEmail, Value: "a@example.vn"}, CommuneCode: "99999", PasswordHash: "h", Role: domain.RoleAdmin},
		"historical commune":   {Login: domain.Login{Kind: domain.LoginEmail, Value: "a@example.vn"}, CommuneCode: "105", PasswordHash: "h", Role: domain.RoleAdmin},
		"unknown role":         {Login: email, PasswordHash: "h", Role: "root"},
		"officer without unit": {Login: email, PasswordHash: "h", Role: domain.RoleOfficer},
		"unknown unit":         {Login: email, PasswordHash: "h", Role: domain.RoleOfficer, UnitCode: "00"},
		"unknown centre":       {Login: email, PasswordHash: "h", Role: domain.RoleManager, CentreID: f.centre + 1000},
		"admin with a unit":    {Login: email, PasswordHash: "h", Role: domain.RoleAdmin, UnitCode: "12"},
	} {
		if _, err := f.db.BootstrapAccount(ctx, bad); domain.ErrorCode(err) != domain.CodeInvalid {
			t.Errorf("%s: got %v, want invalid", name, err)
		}
	}
	if a, _ := f.db.Account(ctx, first.AccountID); a.PasswordHash != "h2" {
		t.Fatal("a refused bootstrap changed the password")
	}
}
