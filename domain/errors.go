// Package domain holds Đèn Sách's entities, their validation, the permission
// rules and the interfaces that storage implements. It imports no
// infrastructure: no HTTP framework, no ORM, no object-store client.
package domain

import (
	"errors"
	"fmt"
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
// translate and a Vietnamese message a person can act on.
type FieldError struct {
	Field   string `json:"field"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// Error is the one error type of the domain. Message is safe to show to the
// caller; Err (the cause) is for logs only.
type Error struct {
	Code    Code
	Message string
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

// Errorf builds an Error with a caller-safe message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
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
	return &Error{Code: CodeInvalid, Message: "Dữ liệu không hợp lệ, vui lòng kiểm tra các trường được đánh dấu.", Fields: fields}
}

// Field builds one field error.
func Field(field, code, message string) FieldError {
	return FieldError{Field: field, Code: code, Message: message}
}

// Fields collects field errors during validation.
type Fields []FieldError

// Add records a field error.
func (f *Fields) Add(field, code, message string) { *f = append(*f, Field(field, code, message)) }

// AddErr records err under field when it is a validation error carrying a
// field error, and reports whether it recorded anything.
func (f *Fields) AddErr(field string, err error) bool {
	if err == nil {
		return false
	}
	e := AsError(err)
	if len(e.Fields) == 0 {
		f.Add(field, string(e.Code), e.Message)
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
