package locale

import (
	"errors"
	"fmt"
	"io/fs"
	"testing"
)

func TestErrorText(t *testing.T) {
	m := catalogue()
	m["test.one"] = "một %q"
	m["test.cause"] = "không đọc được: %v"
	defer delete(m, "test.one")
	defer delete(m, "test.cause")

	one := NewError("test.one", "x")
	if got, want := one.Error(), "test.one: x"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if got, want := Text(one), `một "x"`; got != want {
		t.Errorf("Text = %q, want %q", got, want)
	}
	// Context added by fmt.Errorf stays; the *Error inside is translated.
	wrapped := fmt.Errorf("--data (CCHC_DATA): %w", one)
	if got, want := Text(wrapped), `--data (CCHC_DATA): một "x"`; got != want {
		t.Errorf("Text(wrapped) = %q, want %q", got, want)
	}
	// A cause among the values: errors.Is sees it, Text translates it.
	cause := NewError("test.cause", fmt.Errorf("open a: %w", fs.ErrNotExist))
	if !errors.Is(cause, fs.ErrNotExist) {
		t.Error("errors.Is does not see the cause")
	}
	if got, want := Text(cause), "không đọc được: open a: file does not exist"; got != want {
		t.Errorf("Text(cause) = %q, want %q", got, want)
	}
	nested := NewError("test.cause", one)
	if got, want := Text(nested), `không đọc được: một "x"`; got != want {
		t.Errorf("Text(nested) = %q, want %q", got, want)
	}
	joined := errors.Join(one, errors.New("plain"))
	if got, want := Text(joined), "một \"x\"\nplain"; got != want {
		t.Errorf("Text(joined) = %q, want %q", got, want)
	}
	if Text(nil) != "" {
		t.Error("Text(nil) is not empty")
	}
	// A wrapper whose text does not end with its cause's is shown as it is.
	odd := fmt.Errorf("%w (again)", one)
	if got := Text(odd); got != odd.Error() {
		t.Errorf("Text(odd) = %q", got)
	}
}
