package domain

import (
	"unicode"
)

// Field codes of phone-number validation, stable so that clients can translate them.
const (
	codePhoneInvalidChars = "phone_invalid_chars"
	codePhoneLength       = "phone_length"
	codePhonePrefix       = "phone_prefix"
)

// phoneOldPrefixes maps the 11-digit mobile prefixes retired in the 2018–2019
// renumbering to their 10-digit replacements, so that old registers, paper
// lists and spreadsheets still import.
var phoneOldPrefixes = map[string]string{
	// Viettel
	"0162": "032", "0163": "033", "0164": "034", "0165": "035",
	"0166": "036", "0167": "037", "0168": "038", "0169": "039",
	// MobiFone
	"0120": "070", "0121": "079", "0122": "077", "0126": "076", "0128": "078",
	// VinaPhone
	"0123": "083", "0124": "084", "0125": "085", "0127": "081", "0129": "082",
	// Vietnamobile
	"0186": "056", "0188": "058",
	// Gmobile
	"0199": "059",
}

// phoneMobilePrefixes is the set of 3-digit mobile prefixes in service.
// 095 (the defunct S-Fone CDMA network, closed 2012 and not reassigned) and
// unassigned codes such as 050, 051, 053, 054, 057, 071–075 and 080 are
// rejected: a number with such a prefix is a typing error, not a learner we
// could ever send an SMS to.
var phoneMobilePrefixes = map[string]bool{
	// Viettel: 032–039, 086, 096–098.
	"032": true, "033": true, "034": true, "035": true, "036": true, "037": true, "038": true, "039": true,
	"086": true, "096": true, "097": true, "098": true,
	// VinaPhone: 081–085, 088, 091, 094.
	"081": true, "082": true, "083": true, "084": true, "085": true, "088": true, "091": true, "094": true,
	// MobiFone: 070, 076–079, 089, 090, 093.
	"070": true, "076": true, "077": true, "078": true, "079": true, "089": true, "090": true, "093": true,
	// Vietnamobile: 052, 056, 058, 092.
	"052": true, "056": true, "058": true, "092": true,
	// Gmobile: 059, 099.
	"059": true, "099": true,
	// Itel (087) and Reddi/Wintel (055), the mobile virtual networks.
	"087": true, "055": true,
}

// phoneMaxDigits bounds the digits kept while scanning; anything longer is
// already wrong, and the bound keeps hostile input from costing memory.
const phoneMaxDigits = 16

// NormalizePhone turns a Vietnamese mobile number as people write it into the
// stored form "0xxxxxxxxx". It accepts spaces, dots, dashes and parentheses,
// the +84, 0084 and 84 country prefixes (also "+84 (0) 912…"), and the old
// 11-digit numbers, which it converts to their 2018 replacements. An empty or
// blank input returns "", nil: the number was not given, which is allowed
// because many learners have no phone. Errors are field errors on "phone"
// with the codes phone_invalid_chars, phone_length and phone_prefix.
func NormalizePhone(s string) (string, error) {
	var buf [phoneMaxDigits]byte
	n := 0 // digits seen, may exceed len(buf)
	plus := false
	blank := true
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			if n < len(buf) {
				buf[n] = byte(r)
			}
			n++
			blank = false
		case r == '+' && n == 0 && !plus:
			plus = true
			blank = false
		case unicode.IsSpace(r):
		case r == '.' || r == '-' || r == '(' || r == ')':
			blank = false
		default:
			return "", Invalid(FieldOf("phone", codePhoneInvalidChars, nil))
		}
	}
	if blank {
		return "", nil
	}
	if n > len(buf) {
		return "", Invalid(FieldOf("phone", codePhoneLength, nil))
	}
	d := string(buf[:n])

	// Reduce an international form to the national one.
	switch {
	case plus:
		if len(d) < 2 {
			return "", Invalid(FieldOf("phone", codePhoneLength, nil))
		}
		if d[:2] != "84" {
			return "", Invalid(FieldOf("phone", codePhonePrefix, nil)) // a foreign number
		}
		d = nationalFrom(d[2:])
	case len(d) > 4 && d[:4] == "0084":
		d = nationalFrom(d[4:])
	case len(d) >= 2 && d[:2] == "84" && (len(d) == 11 || len(d) == 12):
		// Without a leading 0 a national number never starts with 84, so
		// this can only be the country code (9 digits, or 10 for an old one).
		d = nationalFrom(d[2:])
	}

	if len(d) == 11 && d[0] == '0' {
		if d[1] == '1' {
			p, ok := phoneOldPrefixes[d[:4]]
			if !ok {
				return "", Invalid(FieldOf("phone", codePhonePrefix, nil))
			}
			d = p + d[4:]
		} else if d[1] == '2' {
			// 02x numbers with 11 digits are landlines: right length, wrong kind.
			return "", Invalid(FieldOf("phone", codePhonePrefix, nil))
		}
	}
	if len(d) != 10 {
		return "", Invalid(FieldOf("phone", codePhoneLength, nil))
	}
	if !phoneMobilePrefixes[d[:3]] {
		return "", Invalid(FieldOf("phone", codePhonePrefix, nil))
	}
	return d, nil
}

// nationalFrom restores the trunk 0 after a country code; people often keep
// it ("+84 0912…"), so an existing one is not doubled.
func nationalFrom(rest string) string {
	if len(rest) > 0 && rest[0] == '0' {
		return rest
	}
	return "0" + rest
}
