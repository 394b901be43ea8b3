package locale

import (
	"fmt"
	"strings"
)

// Error is an error that people are told about. Its Key names the message
// in the catalogue and Args fill it; an error among Args is its cause
// (errors.Is and errors.As see it). Error gives the key and the values, in
// English, for logs and developers; Text gives the Vietnamese message,
// which the places that show errors (the web error pages, the workspace's
// forms, the command line) ask for.
type Error struct {
	Key  string
	Args []any
}

// NewError is the error whose message is key's, filled with args.
func NewError(key string, args ...any) *Error { return &Error{Key: key, Args: args} }

// Error is the key, then the values: "account.name.length" or
// "publog.anchor.read: open moc.json: no such file or directory".
func (e *Error) Error() string {
	if len(e.Args) == 0 {
		return e.Key
	}
	vals := make([]string, len(e.Args))
	for i, a := range e.Args {
		vals[i] = fmt.Sprint(a)
	}
	return e.Key + ": " + strings.Join(vals, ", ")
}

// Unwrap is the errors among the values.
func (e *Error) Unwrap() []error {
	var out []error
	for _, a := range e.Args {
		if err, ok := a.(error); ok {
			out = append(out, err)
		}
	}
	return out
}

// Text is the Vietnamese message of e: its key's, filled with its values,
// each error among them given as its own Text.
func (e *Error) Text() string {
	args := make([]any, len(e.Args))
	for i, a := range e.Args {
		if err, ok := a.(error); ok {
			a = Text(err)
		}
		args[i] = a
	}
	return T(e.Key, args...)
}

// Text is what people read of err: err.Error() with every *Error in it
// given as its Vietnamese message. Context added around an error by
// fmt.Errorf("…: %w") stays as written (a flag's name, a file's path);
// an error of the operating system (a path that is not there, a full
// disk) is given in Vietnamese (osText); any other error that is no
// *Error and wraps none is shown as it is.
func Text(err error) string {
	if err == nil {
		return ""
	}
	if e, ok := err.(*Error); ok {
		return e.Text()
	}
	if s, ok := osText(err); ok {
		return s
	}
	outer := err.Error()
	switch u := err.(type) {
	case interface{ Unwrap() error }:
		if inner := u.Unwrap(); inner != nil {
			if in := inner.Error(); strings.HasSuffix(outer, in) {
				return outer[:len(outer)-len(in)] + Text(inner)
			}
		}
	case interface{ Unwrap() []error }:
		// errors.Join: one line each.
		errs := u.Unwrap()
		plain, texts := make([]string, len(errs)), make([]string, len(errs))
		for i, e := range errs {
			plain[i], texts[i] = e.Error(), Text(e)
		}
		if outer == strings.Join(plain, "\n") {
			return strings.Join(texts, "\n")
		}
	}
	return outer
}
