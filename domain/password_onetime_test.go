package domain

import (
	"regexp"
	"strings"
	"testing"
)

func TestNewOneTimePassword(t *testing.T) {
	shape := regexp.MustCompile(`^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$`)
	seen := map[string]bool{}
	used := map[rune]bool{}
	for range 2000 {
		pw, err := NewOneTimePassword()
		if err != nil {
			t.Fatal(err)
		}
		if !shape.MatchString(pw) || strings.ContainsAny(pw, "01oliq") {
			t.Fatalf("%q is not a readable one-time password", pw)
		}
		if err := ValidatePassword("password", pw); err != nil {
			t.Fatalf("%q fails the password policy: %v", pw, err)
		}
		if seen[pw] {
			t.Fatalf("%q drawn twice in 2000", pw)
		}
		seen[pw] = true
		for _, r := range strings.ReplaceAll(pw, "-", "") {
			used[r] = true
		}
	}
	// Every character of the alphabet turns up: the draw is not biased
	// towards part of it.
	if len(used) != len(oneTimeAlphabet) {
		t.Fatalf("%d of %d characters drawn", len(used), len(oneTimeAlphabet))
	}
}
