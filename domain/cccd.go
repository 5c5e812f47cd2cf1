package domain

import (
	"strings"
	"unicode"
)

// Field codes of CCCD validation, stable so that clients can translate them.
const (
	codeCCCDInvalidChars = "cccd_invalid_chars"
	codeCCCDLength       = "cccd_length"
	codeCCCDProvince     = "cccd_province"
)

// cccdProvinces holds the 63 province-of-birth codes that open a 12-digit
// CCCD (Circular 07/2016/TT-BCA; the province codes of the statistics office,
// zero-padded). The codes are not contiguous (003, 005, 007… were never
// used), so a range check 001–096 would let typing errors through. Cards keep
// the code of the birth province as issued, so the 2025 merger of provinces
// does not invalidate any of them.
var cccdProvinces = map[string]bool{
	"001": true, // Hà Nội
	"002": true, // Hà Giang
	"004": true, // Cao Bằng
	"006": true, // Bắc Kạn
	"008": true, // Tuyên Quang
	"010": true, // Lào Cai
	"011": true, // Điện Biên
	"012": true, // Lai Châu
	"014": true, // Sơn La
	"015": true, // Yên Bái
	"017": true, // Hòa Bình
	"019": true, // Thái Nguyên
	"020": true, // Lạng Sơn
	"022": true, // Quảng Ninh
	"024": true, // Bắc Giang
	"025": true, // Phú Thọ
	"026": true, // Vĩnh Phúc
	"027": true, // Bắc Ninh
	"030": true, // Hải Dương
	"031": true, // Hải Phòng
	"033": true, // Hưng Yên
	"034": true, // Thái Bình
	"035": true, // Hà Nam
	"036": true, // Nam Định
	"037": true, // Ninh Bình
	"038": true, // Thanh Hóa
	"040": true, // Nghệ An
	"042": true, // Hà Tĩnh
	"044": true, // Quảng Bình
	"045": true, // Quảng Trị
	"046": true, // Thừa Thiên Huế
	"048": true, // Đà Nẵng
	"049": true, // Quảng Nam
	"051": true, // Quảng Ngãi
	"052": true, // Bình Định
	"054": true, // Phú Yên
	"056": true, // Khánh Hòa
	"058": true, // Ninh Thuận
	"060": true, // Bình Thuận
	"062": true, // Kon Tum
	"064": true, // Gia Lai
	"066": true, // Đắk Lắk
	"067": true, // Đắk Nông
	"068": true, // Lâm Đồng
	"070": true, // Bình Phước
	"072": true, // Tây Ninh
	"074": true, // Bình Dương
	"075": true, // Đồng Nai
	"077": true, // Bà Rịa – Vũng Tàu
	"079": true, // Thành phố Hồ Chí Minh
	"080": true, // Long An
	"082": true, // Tiền Giang
	"083": true, // Bến Tre
	"084": true, // Trà Vinh
	"086": true, // Vĩnh Long
	"087": true, // Đồng Tháp
	"089": true, // An Giang
	"091": true, // Kiên Giang
	"092": true, // Cần Thơ
	"093": true, // Hậu Giang
	"094": true, // Sóc Trăng
	"095": true, // Bạc Liêu
	"096": true, // Cà Mau
}

// NormalizeCCCD checks a citizen identity number and returns it without
// spaces. It accepts the 12-digit CCCD, whose first three digits must be a
// province-of-birth code (the 4th, century and sex, may be any digit), and the
// 9-digit CMND that old records still carry. An empty or blank input returns
// "", nil: the number was not given. Errors are field errors on "cccd" with
// the codes cccd_invalid_chars, cccd_length and cccd_province.
func NormalizeCCCD(s string) (string, error) {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			if b.Len() <= 12 { // past 12 it is wrong anyway; stop growing
				b.WriteByte(byte(r))
			}
		case unicode.IsSpace(r):
		default:
			return "", Invalid(FieldOf("cccd", codeCCCDInvalidChars, nil))
		}
	}
	d := b.String()
	switch len(d) {
	case 0:
		return "", nil
	case 9:
		return d, nil
	case 12:
		if !cccdProvinces[d[:3]] {
			return "", Invalid(FieldOf("cccd", codeCCCDProvince, nil))
		}
		return d, nil
	}
	return "", Invalid(FieldOf("cccd", codeCCCDLength, nil))
}

// IsCMND reports whether s is an old 9-digit identity card number (CMND)
// rather than a CCCD, so callers can flag records that need updating.
func IsCMND(s string) bool {
	d, err := NormalizeCCCD(s)
	return err == nil && len(d) == 9
}
