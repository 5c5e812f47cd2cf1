package domain

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// ContentDisposition names a file for the browser (RFC 6266): an ASCII
// fallback in filename (Vietnamese letters without their marks, đ as d)
// and the UTF-8 name in filename* (RFC 8187). Control characters, slashes
// and quotes are dropped from the name; an empty name is fallback. The
// object store signs it into download links, the API sets it on files it
// answers itself (the attendance registers).
func ContentDisposition(name, fallback string, inline bool) string {
	kind := "attachment"
	if inline {
		kind = "inline"
	}
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || strings.ContainsRune(`/\"`, r) {
			return -1
		}
		return r
	}, strings.TrimSpace(strings.ToValidUTF8(name, "")))
	if name == "" {
		name = fallback
	}
	return kind + `; filename="` + asciiName(name) + `"; filename*=utf-8''` + encodeExtValue(name)
}

// asciiName spells a name in printable ASCII for old clients.
func asciiName(name string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(name) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case r == 'đ':
			b.WriteByte('d')
		case r == 'Đ':
			b.WriteByte('D')
		case r == '–' || r == '—':
			b.WriteByte('-')
		case r >= 0x20 && r < 0x7f && r != '"' && r != '\\' && r != '%':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	return b.String()
}

// encodeExtValue percent-encodes every byte outside RFC 8187's attr-char.
func encodeExtValue(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("!#$&+-.^_`|~", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}
