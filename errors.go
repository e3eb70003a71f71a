// Package hearth is the domain of Hearth: the words support groups use
// (organization, group, topic, membership…), their validation rules, the
// permission policy as pure functions and the one error vocabulary that every
// layer speaks. It depends on the standard library only.
package hearth

import (
	"errors"
	"fmt"
	"strings"
)

// Kind classifies an error so that the web layer can map it to an HTTP status
// in one place and every command can map it to an exit code.
type Kind string

// The error kinds.
const (
	Internal     Kind = "internal"     // a bug or an outage: logged, never shown in detail
	Invalid      Kind = "invalid"      // the input breaks a rule the person can fix
	NotFound     Kind = "not_found"    // nothing there, or nothing this person may see
	Conflict     Kind = "conflict"     // taken already (a slug, a handle, a pseudonym)
	Unauthorized Kind = "unauthorized" // sign-in needed or failed
	Forbidden    Kind = "forbidden"    // signed in, but not allowed
	TooMany      Kind = "too_many"     // rate limited
	TooLarge     Kind = "too_large"    // the body or a text is over its limit
	Unavailable  Kind = "unavailable"  // a dependency is down; try again later
)

// FieldError names one problem with one input field, in words a person can
// act on. Code is a stable key for translation ("required", "too_long", …);
// Message is the English text; Params fill the translated template.
type FieldError struct {
	Field   string         `json:"field"`
	Code    string         `json:"code"`
	Message string         `json:"message"`
	Params  map[string]any `json:"params,omitempty"`
}

// Error is the one error type a person may read. Message is English; Code is
// a stable key the message catalog translates.
type Error struct {
	Kind    Kind
	Code    string
	Message string
	Fields  []FieldError
}

func (e *Error) Error() string {
	if len(e.Fields) == 0 {
		return e.Message
	}
	parts := make([]string, 0, len(e.Fields))
	for _, f := range e.Fields {
		parts = append(parts, f.Field+": "+f.Message)
	}
	return e.Message + " (" + strings.Join(parts, "; ") + ")"
}

// Errorf builds an Error of the given kind whose code is the kind itself.
func Errorf(kind Kind, format string, args ...any) *Error {
	return &Error{Kind: kind, Code: string(kind), Message: fmt.Sprintf(format, args...)}
}

// Coded builds an Error with an explicit translation code.
func Coded(kind Kind, code, message string) *Error {
	return &Error{Kind: kind, Code: code, Message: message}
}

// ErrorKind reports the kind of err: the Kind of the first *Error in its
// chain, or Internal.
func ErrorKind(err error) Kind {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return Internal
}

// AsError returns the first *Error in err's chain, or nil.
func AsError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}

// Problems collects field errors while validating.
type Problems []FieldError

// Add records one problem.
func (p *Problems) Add(field, code, message string, params map[string]any) {
	*p = append(*p, FieldError{Field: field, Code: code, Message: message, Params: params})
}

// Err returns nil when nothing was recorded, or an Invalid *Error listing
// every problem.
func (p Problems) Err() error {
	if len(p) == 0 {
		return nil
	}
	return &Error{Kind: Invalid, Code: "invalid", Message: "Please correct the highlighted fields.", Fields: []FieldError(p)}
}
