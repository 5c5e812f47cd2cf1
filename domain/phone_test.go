package domain

import (
	"errors"
	"testing"
)

// checkFieldErr fails unless err is an invalid-input Error carrying exactly
// one field error with the given field and code and a non-empty message.
func checkFieldErr(t *testing.T, err error, field, code string) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error = %v, want *domain.Error with %s/%s", err, field, code)
	}
	if e.Code != CodeInvalid {
		t.Errorf("Code = %q, want %q", e.Code, CodeInvalid)
	}
	if len(e.Fields) != 1 {
		t.Fatalf("Fields = %+v, want one field error", e.Fields)
	}
	fe := e.Fields[0]
	if fe.Field != field || fe.Code != code || fe.Message == "" {
		t.Errorf("field error = %+v, want field %q code %q with a message", fe, field, code)
	}
}

func TestNormalizePhone(t *testing.T) {
	tests := []struct {
		in, want string
		code     string // expected field-error code; "" when valid
	}{
		{"", "", ""},
		{"   ", "", ""},
		{"0912345678", "0912345678", ""},
		{"+84 912 345 678", "0912345678", ""},
		{"+84912345678", "0912345678", ""},
		{"84912345678", "0912345678", ""},
		{"0084 912 345 678", "0912345678", ""},
		{"+84 (0) 912 345 678", "0912345678", ""},
		{"(+84) 912-345-678", "0912345678", ""},
		{"0912.345.678", "0912345678", ""},
		{"0912-345-678", "0912345678", ""},
		{"(091) 234 5678", "0912345678", ""},
		{" 0912345678\t", "0912345678", ""},
		{"0912\u00a0345\u00a0678", "0912345678", ""}, // no-break spaces from a spreadsheet
		// Old 11-digit numbers, one of each network's conversions.
		{"01694123456", "0394123456", ""},
		{"0162 123 4567", "0321234567", ""},
		{"0120 123 4567", "0701234567", ""},
		{"0121 123 4567", "0791234567", ""},
		{"0122 123 4567", "0771234567", ""},
		{"0126 123 4567", "0761234567", ""},
		{"0128 123 4567", "0781234567", ""},
		{"0123 123 4567", "0831234567", ""},
		{"0124 123 4567", "0841234567", ""},
		{"0125 123 4567", "0851234567", ""},
		{"0127 123 4567", "0811234567", ""},
		{"0129 123 4567", "0821234567", ""},
		{"0186 123 4567", "0561234567", ""},
		{"0188 123 4567", "0581234567", ""},
		{"0199 123 4567", "0591234567", ""},
		{"+84 169 412 3456", "0394123456", ""},
		{"841694123456", "0394123456", ""},
		// Prefixes in service.
		{"0321234567", "0321234567", ""},
		{"0521234567", "0521234567", ""},
		{"0551234567", "0551234567", ""},
		{"0591234567", "0591234567", ""},
		{"0861234567", "0861234567", ""},
		{"0871234567", "0871234567", ""},
		{"0881234567", "0881234567", ""},
		{"0891234567", "0891234567", ""},
		{"0921234567", "0921234567", ""},
		{"0991234567", "0991234567", ""},
		// A national number that starts with 084 is not a country code.
		{"0841234567", "0841234567", ""},
		// Errors.
		{"0912 345 67a", "", codePhoneInvalidChars},
		{"0912/345/678", "", codePhoneInvalidChars},
		{"09123+45678", "", codePhoneInvalidChars},
		{"++84912345678", "", codePhoneInvalidChars},
		{"０９１２３４５６７８", "", codePhoneInvalidChars}, // full-width digits
		{"---", "", codePhoneLength},
		{"091234567", "", codePhoneLength},
		{"09123456789", "", codePhoneLength},
		{"+84 91234567", "", codePhoneLength},
		{"091234567890123456789", "", codePhoneLength},
		{"0951234567", "", codePhonePrefix},  // S-Fone, closed
		{"0801234567", "", codePhonePrefix},  // unassigned
		{"0501234567", "", codePhonePrefix},  // unassigned
		{"0241234567", "", codePhonePrefix},  // landline prefix
		{"02438123456", "", codePhonePrefix}, // Hà Nội landline
		{"01301234567", "", codePhonePrefix}, // never a mobile prefix
		{"1912345678", "", codePhonePrefix},
		{"+1 415 555 0100", "", codePhonePrefix},
	}
	for _, tt := range tests {
		got, err := NormalizePhone(tt.in)
		if tt.code != "" {
			if got != "" {
				t.Errorf("NormalizePhone(%q) = %q, want empty on error", tt.in, got)
			}
			checkFieldErr(t, err, "phone", tt.code)
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("NormalizePhone(%q) = %q, %v; want %q, nil", tt.in, got, err, tt.want)
		}
	}
}

// TestPhonePrefixTables guards the prefix tables against edits that would
// make a converted old number invalid.
func TestPhonePrefixTables(t *testing.T) {
	for old, p := range phoneOldPrefixes {
		if len(old) != 4 || len(p) != 3 || !phoneMobilePrefixes[p] {
			t.Errorf("old prefix %s → %s is not a valid mobile prefix", old, p)
		}
	}
	if phoneMobilePrefixes["095"] {
		t.Error("095 (S-Fone, closed) must be rejected")
	}
}

func FuzzNormalizePhone(f *testing.F) {
	for _, s := range []string{
		"", "0912345678", "+84 912 345 678", "84912345678", "0912.345.678",
		"01694123456", "0120 123 4567", "0084912345678", "+84 (0) 912 345 678",
		"0951234567", "02438123456", "+", "84", "0", "abc", "\xff",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := NormalizePhone(s)
		if err != nil {
			if got != "" {
				t.Fatalf("NormalizePhone(%q) returned %q with error", s, got)
			}
			var e *Error
			if !errors.As(err, &e) || e.Code != CodeInvalid || len(e.Fields) != 1 || e.Fields[0].Field != "phone" {
				t.Fatalf("NormalizePhone(%q) error %#v is not one phone field error", s, err)
			}
			return
		}
		if got == "" {
			return // blank input: not given
		}
		if len(got) != 10 || got[0] != '0' || !phoneMobilePrefixes[got[:3]] {
			t.Fatalf("NormalizePhone(%q) = %q, not 10 digits with a mobile prefix", s, got)
		}
		for i := 0; i < len(got); i++ {
			if got[i] < '0' || got[i] > '9' {
				t.Fatalf("NormalizePhone(%q) = %q has a non-digit", s, got)
			}
		}
		again, err := NormalizePhone(got)
		if err != nil || again != got {
			t.Fatalf("NormalizePhone(%q) = %q, %v; not stable", got, again, err)
		}
	})
}
