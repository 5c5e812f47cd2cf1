package domain

import (
	"strings"
	"unicode/utf8"
)

// MaskPhone hides the middle of a phone number for people who need to
// recognise it but not call it: "0912345678" → "091****678". Numbers that
// normalise are masked in their stored form, so the same number always looks
// the same; anything else is masked as written. Empty stays empty.
func MaskPhone(p string) string {
	if n, err := NormalizePhone(p); err == nil && n != "" {
		p = n
	}
	return maskMiddle(p, 3, 3)
}

// MaskCCCD hides an identity number except its first 3 digits (the birth
// province) and last 2: "001203012345" → "001*******45". A CMND keeps the same
// shape: "123456789" → "123****89". Empty stays empty.
func MaskCCCD(c string) string {
	if n, err := NormalizeCCCD(c); err == nil && n != "" {
		c = n
	}
	return maskMiddle(c, 3, 2)
}

// MaskEmail keeps the first character of the mailbox and the whole domain:
// "nguyen.an@gmail.com" → "n***@gmail.com". The stars are always three, so
// the mask does not reveal the mailbox's length. Empty stays empty.
func MaskEmail(e string) string {
	e = strings.TrimSpace(e)
	if e == "" {
		return ""
	}
	at := strings.LastIndexByte(e, '@')
	if at < 0 {
		return maskMiddle(e, 1, 0)
	}
	local, domain := e[:at], e[at:]
	if local == "" {
		return "***" + domain
	}
	_, size := utf8.DecodeRuneInString(local)
	return local[:size] + "***" + domain
}

// maskMiddle keeps head runes at the start and tail at the end and stars the
// rest. A value too short to keep anything hidden is starred entirely.
func maskMiddle(s string, head, tail int) string {
	n := utf8.RuneCountInString(s)
	if n == 0 {
		return ""
	}
	if n <= head+tail {
		return strings.Repeat("*", n)
	}
	r := []rune(s)
	return string(r[:head]) + strings.Repeat("*", n-head-tail) + string(r[n-tail:])
}
