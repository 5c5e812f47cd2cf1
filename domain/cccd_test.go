package domain

import (
	"errors"
	"testing"
	"unicode/utf8"
)

func TestNormalizeCCCD(t *testing.T) {
	tests := []struct {
		in, want string
		code     string
		cmnd     bool
	}{
		{"", "", "", false},
		{"  ", "", "", false},
		{"001203012345", "001203012345", "", false},
		{"001 203 012 345", "001203012345", "", false},
		{" 079099001234\t", "079099001234", "", false},
		{"096190000001", "096190000001", "", false},
		{"038900000001", "038900000001", "", false}, // 4th digit may be any digit
		{"123456789", "123456789", "", true},        // old CMND
		{"023 456 789", "023456789", "", true},
		{"00120301234A", "", codeCCCDInvalidChars, false},
		{"CCCD 001203012345", "", codeCCCDInvalidChars, false},
		{"001-203-012-345", "", codeCCCDInvalidChars, false},
		{"001.203.012.345", "", codeCCCDInvalidChars, false},
		{"０01203012345", "", codeCCCDInvalidChars, false},
		{"00120301234", "", codeCCCDLength, false},
		{"0012030123456", "", codeCCCDLength, false},
		{"12345678", "", codeCCCDLength, false},
		{"1234567890", "", codeCCCDLength, false},
		{"000203012345", "", codeCCCDProvince, false},
		{"003203012345", "", codeCCCDProvince, false}, // a gap in the list
		{"097203012345", "", codeCCCDProvince, false},
		{"999203012345", "", codeCCCDProvince, false},
	}
	for _, tt := range tests {
		got, err := NormalizeCCCD(tt.in)
		if tt.code != "" {
			if got != "" {
				t.Errorf("NormalizeCCCD(%q) = %q, want empty on error", tt.in, got)
			}
			checkFieldErr(t, err, "cccd", tt.code)
		} else if err != nil || got != tt.want {
			t.Errorf("NormalizeCCCD(%q) = %q, %v; want %q, nil", tt.in, got, err, tt.want)
		}
		if c := IsCMND(tt.in); c != tt.cmnd {
			t.Errorf("IsCMND(%q) = %v, want %v", tt.in, c, tt.cmnd)
		}
	}
}

func TestCCCDProvinces(t *testing.T) {
	if len(cccdProvinces) != 63 {
		t.Errorf("%d province codes, want the 63 provinces", len(cccdProvinces))
	}
	for code := range cccdProvinces {
		if len(code) != 3 || code < "001" || code > "096" {
			t.Errorf("province code %q outside 001–096", code)
		}
	}
}

func FuzzNormalizeCCCD(f *testing.F) {
	for _, s := range []string{
		"", "001203012345", "001 203 012 345", "123456789", "00120301234A",
		"000203012345", "0012030123456", "\xff", "　",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := NormalizeCCCD(s)
		if err != nil {
			var e *Error
			if got != "" || !errors.As(err, &e) || len(e.Fields) != 1 || e.Fields[0].Field != "cccd" {
				t.Fatalf("NormalizeCCCD(%q) = %q, %#v", s, got, err)
			}
			return
		}
		switch len(got) {
		case 0:
		case 9:
		case 12:
			if !cccdProvinces[got[:3]] {
				t.Fatalf("NormalizeCCCD(%q) = %q with an unknown province", s, got)
			}
		default:
			t.Fatalf("NormalizeCCCD(%q) = %q, wrong length", s, got)
		}
		if !utf8.ValidString(got) {
			t.Fatalf("NormalizeCCCD(%q) = %q, invalid UTF-8", s, got)
		}
		for i := 0; i < len(got); i++ {
			if got[i] < '0' || got[i] > '9' {
				t.Fatalf("NormalizeCCCD(%q) = %q has a non-digit", s, got)
			}
		}
		again, err := NormalizeCCCD(got)
		if err != nil || again != got {
			t.Fatalf("NormalizeCCCD(%q) = %q, %v; not stable", got, again, err)
		}
		if IsCMND(got) != (len(got) == 9) {
			t.Fatalf("IsCMND(%q) disagrees with its length", got)
		}
	})
}
