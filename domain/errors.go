// Package domain holds Đèn Sách's entities, their validation, the permission
// rules and the interfaces that storage implements. It imports no
// infrastructure: no HTTP framework, no ORM, no object-store client.
package domain

import (
	"errors"
)

// Code classifies an error; the API maps each code to one HTTP status.
type Code string

// The error codes of the whole system.
const (
	CodeInvalid      Code = "invalid"
	CodeUnauthorized Code = "unauthorized"
	CodeForbidden    Code = "forbidden"
	CodeNotFound     Code = "not_found"
	CodeConflict     Code = "conflict"
	CodeRateLimited  Code = "rate_limited"
	CodeTooLarge     Code = "too_large"
	CodeUnavailable  Code = "unavailable"
	CodeInternal     Code = "internal"
)

// FieldError says what is wrong with one input field, in a code a client can
// translate (with Params filling its {placeholders}) and a Vietnamese message
// a person can act on.
type FieldError struct {
	Field   string `json:"field"`
	Code    string `json:"code"`
	Message string `json:"message"`
	Params  Params `json:"params,omitempty"`
}

// Error is the one error type of the domain. Message is safe to show to the
// caller; Key (a message key of the catalogue, see messages_vi.go) and Params
// let a client render it in its own language; Err (the cause) is for logs only.
type Error struct {
	Code    Code
	Key     string
	Message string
	Params  Params
	Fields  []FieldError
	Op      string
	Err     error
}

func (e *Error) Error() string {
	s := string(e.Code)
	if e.Op != "" {
		s = e.Op + ": " + s
	}
	if e.Message != "" {
		s += ": " + e.Message
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// Fail builds an Error whose message is the catalogue's Vietnamese text for
// key with params filled in; clients translate it by key.
func Fail(code Code, key string, params Params) *Error {
	return &Error{Code: code, Key: key, Message: Message(key, params), Params: params}
}

// Wrap attaches an operation name and a code to a cause that must not reach
// the caller.
func Wrap(op string, code Code, err error) *Error {
	return &Error{Code: code, Op: op, Err: err}
}

// ErrorCode returns the code of err, CodeInternal for foreign errors and ""
// for nil.
func ErrorCode(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeInternal
}

// AsError returns err as *Error, wrapping foreign errors as internal.
func AsError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Code: CodeInternal, Err: err}
}

// Invalid builds a validation error from field errors.
func Invalid(fields ...FieldError) *Error {
	return &Error{Code: CodeInvalid, Key: KeyInvalidFields, Message: Message(KeyInvalidFields, nil), Fields: fields}
}

// FieldOf builds one field error whose message is the catalogue's Vietnamese
// text for code with params filled in.
func FieldOf(field, code string, params Params) FieldError {
	return FieldError{Field: field, Code: code, Message: Message(code, params), Params: params}
}

// Fields collects field errors during validation.
type Fields []FieldError

// AddOf records a field error whose message comes from the catalogue.
func (f *Fields) AddOf(field, code string, params Params) {
	*f = append(*f, FieldOf(field, code, params))
}

// AddErr records err under field when it is a validation error carrying a
// field error, and reports whether it recorded anything.
func (f *Fields) AddErr(field string, err error) bool {
	if err == nil {
		return false
	}
	e := AsError(err)
	if len(e.Fields) == 0 {
		// A keyed error keeps its key as the field code so that the client
		// can still translate it; one without a key keeps the generic code.
		code := string(e.Code)
		if e.Key != "" {
			code = e.Key
		}
		*f = append(*f, FieldError{Field: field, Code: code, Message: e.Message, Params: e.Params})
		return true
	}
	for _, fe := range e.Fields {
		fe.Field = field
		*f = append(*f, fe)
	}
	return true
}

// Err returns nil when no field error was recorded.
func (f Fields) Err() error {
	if len(f) == 0 {
		return nil
	}
	return Invalid(f...)
}
