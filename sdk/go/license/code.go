package license

import "fmt"

// Code is a stable verification outcome. The same names appear in the Java
// reference, the CLI's JSON and HTTP problem responses: never rename one.
type Code string

// The codes of docs/license-format.md.
const (
	Valid              Code = "VALID"
	Malformed          Code = "MALFORMED"
	UnsupportedFormat  Code = "UNSUPPORTED_FORMAT"
	UnknownKeyID       Code = "UNKNOWN_KEY_ID"
	SignatureMismatch  Code = "SIGNATURE_MISMATCH"
	NotYetValid        Code = "NOT_YET_VALID"
	Expired            Code = "EXPIRED"
	InstanceMismatch   Code = "INSTANCE_MISMATCH"
	UsageExceedsLimits Code = "USAGE_EXCEEDS_LIMITS"
	Revoked            Code = "REVOKED"
)

// Codes lists every code in the order of the Java enum.
var Codes = []Code{Valid, Malformed, UnsupportedFormat, UnknownKeyID, SignatureMismatch,
	NotYetValid, Expired, InstanceMismatch, UsageExceedsLimits, Revoked}

// Sentinel errors, one per failure code, for errors.Is.
var (
	ErrMalformed          = &Error{Code: Malformed}
	ErrUnsupportedFormat  = &Error{Code: UnsupportedFormat}
	ErrUnknownKeyID       = &Error{Code: UnknownKeyID}
	ErrSignatureMismatch  = &Error{Code: SignatureMismatch}
	ErrNotYetValid        = &Error{Code: NotYetValid}
	ErrExpired            = &Error{Code: Expired}
	ErrInstanceMismatch   = &Error{Code: InstanceMismatch}
	ErrUsageExceedsLimits = &Error{Code: UsageExceedsLimits}
	ErrRevoked            = &Error{Code: Revoked}
)

// Error is a license that was refused: its code and a message a person can act on.
// errors.Is(err, ErrMalformed) and friends match on the code.
type Error struct {
	Code    Code
	Message string
}

func (e *Error) Error() string {
	if e.Message == "" {
		return string(e.Code)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

// Is reports whether target is an *Error with the same code.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

func malformed(format string, args ...any) *Error {
	return &Error{Code: Malformed, Message: fmt.Sprintf(format, args...)}
}
