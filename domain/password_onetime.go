package domain

import (
	"crypto/rand"
	"math/big"
	"strings"
)

// oneTimeAlphabet holds the characters of a one-time password: lower-case
// letters and digits without those easily confused on a printed slip or
// read out over the phone (0 o, 1 l i, and q, which Vietnamese rarely uses).
const oneTimeAlphabet = "abcdefghjkmnprstuvwxyz23456789"

// One-time passwords are OneTimePasswordGroups groups of
// OneTimePasswordGroupLen characters joined by dashes ("k7m2-xh4p-w9ta"):
// 12 characters of 30 kinds are about 59 bits, far beyond online guessing,
// and short enough to type from a slip.
const (
	OneTimePasswordGroups   = 3
	OneTimePasswordGroupLen = 4
)

// NewOneTimePassword returns a random, readable password for someone else
// to hand over (with the account marked must-change), from crypto/rand.
func NewOneTimePassword() (string, error) {
	var b strings.Builder
	n := big.NewInt(int64(len(oneTimeAlphabet)))
	for g := range OneTimePasswordGroups {
		if g > 0 {
			b.WriteByte('-')
		}
		for range OneTimePasswordGroupLen {
			i, err := rand.Int(rand.Reader, n)
			if err != nil {
				return "", Wrap("domain.NewOneTimePassword", CodeInternal, err)
			}
			b.WriteByte(oneTimeAlphabet[i.Int64()])
		}
	}
	return b.String(), nil
}
