package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"densach/domain"
	"densach/storage/postgres"
	"densach/storage/postgres/pgtest"
)

func TestUserCreate(t *testing.T) {
	db, err := postgres.Open(pgtest.NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	for _, q := range []string{
		`INSERT INTO units (code, name, kind, valid_from) VALUES ('12', 'Lai Châu', 'province', '2025-07-01')`,
		`INSERT INTO units (code, name, kind, parent_id, valid_from) SELECT '12001', 'Tân Phong', 'ward', id, '2025-07-01' FROM units WHERE code = '12'`,
	} {
		if _, err := db.SQL().Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	run := func(stdin string, args ...string) (string, error) {
		var out bytes.Buffer
		err := runUserCreate(ctx, db, args, strings.NewReader(stdin), &out)
		return out.String(), err
	}

	refused := []struct {
		name, stdin string
		args        []string
	}{
		{"no login", "mật khẩu dài\n", []string{"--role", "admin"}},
		{"bad login", "mật khẩu dài\n", []string{"--login", "abc"}},
		{"no password", "", []string{"--login", "admin@example.vn"}},
		{"empty password line", "\nsecond line\n", []string{"--login", "admin@example.vn"}},
		{"short password", "ngắn\n", []string{"--login", "admin@example.vn"}},
		{"common password", "matkhau123\n", []string{"--login", "admin@example.vn"}},
		{"unknown role", "mật khẩu dài\n", []string{"--login", "admin@example.vn", "--role", "root"}},
		{"unknown flag", "mật khẩu dài\n", []string{"--login", "admin@example.vn", "--password", "x"}},
		{"stray argument", "mật khẩu dài\n", []string{"--login", "admin@example.vn", "extra"}},
	}
	for _, tc := range refused {
		if _, err := run(tc.stdin, tc.args...); err == nil {
			t.Errorf("%s: accepted", tc.name)
		}
	}
	if n := userCount(t, db, `SELECT count(*) FROM accounts`); n != 0 {
		t.Fatalf("refused runs created %d accounts", n)
	}
	// A refusal names the flag (or the password) it is about.
	for flag, args := range map[string][]string{
		"--login: ":       {"--login", "abc"},
		"password: ":      {"--login", "admin@example.vn", "--role", "admin"},
		"--role: ":        {"--login", "admin@example.vn", "--role", "root"},
		"--commune-code:": {"--login", "admin@example.vn", "--commune-code", "99999"},
	} {
		stdin := "mật khẩu dài\n"
		if flag == "password: " {
			stdin = "ngắn\n"
		}
		if _, err := run(stdin, args...); err == nil || !strings.HasPrefix(err.Error(), flag) {
			t.Errorf("%v: %v, want an error starting %q", args, err, flag)
		}
	}

	out, err := run("mật khẩu dài\r\n", "--login", "Admin@Example.VN", "--name", "Nguyễn Văn Quản")
	if err != nil || !strings.Contains(out, "created") {
		t.Fatalf("first run: %q, %v", out, err)
	}
	out, err = run("mật khẩu mới dài\n", "--login", "admin@example.vn")
	if err != nil || !strings.Contains(out, "already held") {
		t.Fatalf("second run: %q, %v", out, err)
	}
	if n := userCount(t, db, `SELECT count(*) FROM people`); n != 1 {
		t.Fatalf("%d people after two runs, want 1", n)
	}
	if n := userCount(t, db, `SELECT count(*) FROM role_grants WHERE role = 'admin'`); n != 1 {
		t.Fatalf("%d admin grants after two runs, want 1", n)
	}
	a, err := postgres.NewAuth(db).AccountByLogin(ctx, domain.Login{Kind: domain.LoginEmail, Value: "admin@example.vn"})
	if err != nil {
		t.Fatal(err)
	}
	if ok, _ := domain.CheckPassword(ctx, "mật khẩu mới dài", a.PasswordHash); !ok {
		t.Fatal("the second run did not reset the password (without the line ending)")
	}
	if !a.MustChangePassword {
		t.Fatal("a password the operator chose is not marked must-change")
	}
}

func userCount(t *testing.T, db *postgres.DB, q string) int {
	t.Helper()
	var n int
	if err := db.SQL().QueryRow(q).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
