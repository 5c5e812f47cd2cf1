package domain

import (
	"context"
	"strings"
	"testing"
	"time"
)

func TestValidatePassword(t *testing.T) {
	cases := []struct {
		name, pw, code string
	}{
		{"empty", "", "password_too_short"},
		{"seven", "1234567", "password_too_short"},
		{"eight", "87654329", ""},
		// Common passwords, as listed or with digits and symbols around
		// them, in any case, with or without diacritics and spaces.
		{"common: 12345678", "12345678", "password_common"},
		{"common: password", "Password", "password_common"},
		{"common: matkhau123", "matkhau123", "password_common"},
		{"common: Mật khẩu 123", "Mật khẩu 123", "password_common"},
		{"common: @matkhau2025!", "@matkhau2025!", "password_common"},
		{"common: password1", "PASSWORD1", "password_common"},
		{"common: the site's name", "densach2026", "password_common"},
		{"common: qwertyuiop", "qwertyuiop", "password_common"},
		{"uncommon sentence", "Mật khẩu mới 2026", ""},
		{"uncommon word and digits", "bautroixanh2025", ""},
		// Vietnamese letters count as one character each, not as their bytes.
		{"seven vietnamese letters", "ặằẳẵắâấ", "password_too_short"},
		{"eight vietnamese letters", "ặằẳẵắâấầ", ""},
		{"128", strings.Repeat("a", 128), ""},
		{"129", strings.Repeat("a", 129), "password_too_long"},
		{"128 multibyte", strings.Repeat("ữ", 128), ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := ValidatePassword("new_password", tc.pw)
			if tc.code == "" {
				if err != nil {
					t.Fatalf("unexpected error %v", err)
				}
				return
			}
			e := AsError(err)
			if e.Code != CodeInvalid || len(e.Fields) != 1 || e.Fields[0].Field != "new_password" || e.Fields[0].Code != tc.code || e.Fields[0].Message == "" {
				t.Fatalf("got %+v, want field error %s on new_password", e, tc.code)
			}
		})
	}
}

func TestHashAndCheckPassword(t *testing.T) {
	ctx := context.Background()
	h, err := HashPassword(ctx, "mật khẩu đúng")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash %q does not use argon2id with the documented parameters", h)
	}
	if strings.Contains(h, "mật khẩu") {
		t.Fatal("hash contains the password")
	}
	h2, _ := HashPassword(ctx, "mật khẩu đúng")
	if h == h2 {
		t.Fatal("two hashes of one password are equal: no salt")
	}
	cases := []struct {
		name, pw, hash string
		want           bool
	}{
		{"right", "mật khẩu đúng", h, true},
		{"right, second salt", "mật khẩu đúng", h2, true},
		{"wrong", "mật khẩu sai", h, false},
		{"decomposed form is another password", "mật khẩu đúng", h, false},
		{"empty", "", h, false},
		{"not a hash", "x", "x", false},
		{"empty hash", "x", "", false},
		{"bcrypt hash", "x", "$2a$10$abcdefghijklmnopqrstuuO2mVeOVqgk2Gq8KfH6cbLmgpQJ1ZJ6S", false},
		{"zero lanes would panic", "x", "$argon2id$v=19$m=19456,t=2,p=0$c2FsdHNhbHRzYWx0c2FsdA$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2U", false},
		{"gigabytes of memory", "x", "$argon2id$v=19$m=4194304,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2U", false},
	}
	// The decomposed case: "đúng" with a combining acute accent.
	cases[3].pw = "mật khẩu đu\u0301ng"
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ok, err := CheckPassword(ctx, tc.pw, tc.hash)
			if err != nil || ok != tc.want {
				t.Fatalf("CheckPassword = %v, %v; want %v", ok, err, tc.want)
			}
		})
	}
	if PasswordNeedsRehash(h) {
		t.Error("a fresh hash needs a rehash")
	}
	if !PasswordNeedsRehash("$argon2id$v=19$m=65536,t=1,p=2$c2FsdHNhbHRzYWx0c2FsdA$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2U") {
		t.Error("a hash with other parameters does not need a rehash")
	}
	if err := DummyCheckPassword(ctx, "x"); err != nil {
		t.Fatal(err)
	}
}

// TestCheckPasswordWaitsForSlot checks that a caller whose deadline passes
// while every hashing slot is taken gets unavailable, not a hang.
func TestCheckPasswordWaitsForSlot(t *testing.T) {
	for range cap(hashSlots) {
		hashSlots <- struct{}{}
	}
	defer func() {
		for range cap(hashSlots) {
			<-hashSlots
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := CheckPassword(ctx, "x", ""); ErrorCode(err) != CodeUnavailable {
		t.Fatalf("got %v, want unavailable", err)
	}
	if _, err := HashPassword(ctx, "x"); ErrorCode(err) != CodeUnavailable {
		t.Fatalf("got %v, want unavailable", err)
	}
}
