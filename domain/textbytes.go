package domain

import (
	"strings"
	"unicode/utf8"
)

// FieldCodeInvalidBytes is the field code of a value holding bytes that
// PostgreSQL refuses to store as text: NUL or invalid UTF-8.
const FieldCodeInvalidBytes = "text_invalid_bytes"

// ValidText reports whether s can be stored as PostgreSQL text: valid UTF-8
// without NUL. Values that are not are refused at the edge (query, path,
// JSON, CSV), so that they answer 422 instead of failing in the database.
func ValidText(s string) bool {
	return strings.IndexByte(s, 0) < 0 && utf8.ValidString(s)
}

// InvalidBytes is the field error for a value that fails ValidText. The
// field name is made printable first, since it may itself come from input.
func InvalidBytes(field string) FieldError {
	field = strings.ToValidUTF8(strings.ReplaceAll(field, "\x00", "\uFFFD"), "\uFFFD")
	return FieldOf(field, FieldCodeInvalidBytes, nil)
}
