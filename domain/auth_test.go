package domain

import (
	"strings"
	"testing"
)

func TestParseLogin(t *testing.T) {
	cases := []struct {
		in   string
		kind LoginKind
		want string
	}{
		{"0912 345 678", LoginPhone, "0912345678"},
		{"+84 912 345 678", LoginPhone, "0912345678"},
		{"84912345678", LoginPhone, "0912345678"},
		{"01662345678", LoginPhone, "0362345678"},
		{"012 345 678 901", LoginCCCD, "012345678901"},
		{"123456789", LoginCCCD, "123456789"},
		{"  Co.Giao@Example.VN ", LoginEmail, "co.giao@example.vn"},
		{"", "", ""},
		{"abc", "", ""},
		{"@", "", ""},
		{"999345678901", "", ""}, // 12 digits, no province 999, not a phone either
		{strings.Repeat("1", 300), "", ""},
	}
	for _, tc := range cases {
		l, err := ParseLogin(tc.in)
		if tc.kind == "" {
			if err == nil {
				t.Errorf("ParseLogin(%q) = %+v, want an error", tc.in, l)
			} else if e := AsError(err); e.Code != CodeInvalid || len(e.Fields) != 1 || e.Fields[0].Field != "login" {
				t.Errorf("ParseLogin(%q) error %+v, want a field error on login", tc.in, e)
			}
			continue
		}
		if err != nil || l.Kind != tc.kind || l.Value != tc.want {
			t.Errorf("ParseLogin(%q) = %+v, %v; want %s %s", tc.in, l, err, tc.kind, tc.want)
		}
	}
}

func TestNewRefreshToken(t *testing.T) {
	a, ha, err := NewRefreshToken()
	if err != nil {
		t.Fatal(err)
	}
	b, _, _ := NewRefreshToken()
	if len(a) != 43 || strings.ContainsAny(a, "+/=") {
		t.Fatalf("token %q is not 32 bytes of unpadded base64url", a)
	}
	if a == b {
		t.Fatal("two tokens are equal")
	}
	if string(HashRefreshToken(a)) != string(ha) || len(ha) != 32 {
		t.Fatal("the returned hash is not the SHA-256 of the token")
	}
}

// FuzzParseLogin: any input either fails with a field error on login or
// yields a normalised login that parses to itself again.
func FuzzParseLogin(f *testing.F) {
	for _, s := range []string{"0912 345 678", "+84912345678", "012345678901", "123456789", "A@B.VN", "", "@", "0084 912 345 678"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		l, err := ParseLogin(s)
		if err != nil {
			if e := AsError(err); e.Code != CodeInvalid || len(e.Fields) != 1 || e.Fields[0].Field != "login" {
				t.Fatalf("ParseLogin(%q): %+v", s, e)
			}
			return
		}
		again, err := ParseLogin(l.Value)
		if err != nil || again != l {
			t.Fatalf("ParseLogin(%q) = %+v, but its value parses to %+v, %v", s, l, again, err)
		}
	})
}
