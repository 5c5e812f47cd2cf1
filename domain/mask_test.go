package domain

import "testing"

func TestMaskPhone(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"0912345678", "091****678"},
		{"+84 912 345 678", "091****678"}, // masked in its stored form
		{"01694123456", "039****456"},
		{"12345", "*****"}, // too short to show anything
		{"0951234567", "095****567"},
	}
	for _, tt := range tests {
		if got := MaskPhone(tt.in); got != tt.want {
			t.Errorf("MaskPhone(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestMaskCCCD(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"001203012345", "001*******45"},
		{"001 203 012 345", "001*******45"},
		{"123456789", "123****89"},
		{"1234", "****"},
	}
	for _, tt := range tests {
		if got := MaskCCCD(tt.in); got != tt.want {
			t.Errorf("MaskCCCD(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestMaskEmail(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"nguyen.an@gmail.com", "n***@gmail.com"},
		{"a@gmail.com", "a***@gmail.com"},
		{"đức@trungtam.edu.vn", "đ***@trungtam.edu.vn"},
		{"@example.com", "***@example.com"},
		{"không-phải-email", "k***************"},
	}
	for _, tt := range tests {
		if got := MaskEmail(tt.in); got != tt.want {
			t.Errorf("MaskEmail(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
