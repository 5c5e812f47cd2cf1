package domain

import (
	_ "embed"
	"strings"
	"sync"
	"unicode"
)

// commonPasswordsText is zxcvbn's list of the 30,000 most common passwords
// (MIT; source and licence in data/).
//
//go:embed data/common-passwords.txt
var commonPasswordsText string

// commonPasswords is the list as a set, built on first use.
var commonPasswords = sync.OnceValue(func() map[string]struct{} {
	set := make(map[string]struct{}, 30000)
	for _, line := range strings.Split(commonPasswordsText, "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			set[line] = struct{}{}
		}
	}
	return set
})

// contextWords are words anyone guessing a password on this site tries
// first with digits after them (NIST SP 800-63B's "context-specific
// words"): the service's name. The Vietnamese for "password" ("mật khẩu")
// is on the list itself as "matkhau".
var contextWords = []string{"densach"}

// IsCommonPassword reports whether a password is one guessers try first:
// on the list of common passwords, or such a password or a context word
// with only digits and symbols around it ("password123", "matkhau@2025",
// "Mật khẩu 123"). It compares case-, diacritic- and space-insensitively.
func IsCommonPassword(password string) bool {
	folded := strings.ReplaceAll(FoldForSearch(password), " ", "")
	list := commonPasswords()
	if _, ok := list[folded]; ok {
		return true
	}
	core := strings.TrimFunc(folded, func(r rune) bool { return !unicode.IsLetter(r) })
	if core == "" {
		return false // digits and symbols only: the list above holds the common ones
	}
	if _, ok := list[core]; ok {
		return true
	}
	for _, w := range contextWords {
		if core == w {
			return true
		}
	}
	return false
}
