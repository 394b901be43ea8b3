package locale

import (
	"errors"
	"fmt"
	"io/fs"
	"testing"
)

func TestErrorText(t *testing.T) {
	// config.addr is `%q không phải dạng host:port`, publog.anchor.read
	// `không đọc được tệp mốc kiểm chứng: %v`.
	one := NewError("config.addr", "x")
	if got, want := one.Error(), "config.addr: x"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if got, want := Text(one), `"x" không phải dạng host:port`; got != want {
		t.Errorf("Text = %q, want %q", got, want)
	}
	// Context added by fmt.Errorf stays; the *Error inside is translated.
	wrapped := fmt.Errorf("--data (CCHC_DATA): %w", one)
	if got, want := Text(wrapped), `--data (CCHC_DATA): "x" không phải dạng host:port`; got != want {
		t.Errorf("Text(wrapped) = %q, want %q", got, want)
	}
	// A cause among the values: errors.Is sees it, Text translates it.
	cause := NewError("publog.anchor.read", fmt.Errorf("open a: %w", fs.ErrNotExist))
	if !errors.Is(cause, fs.ErrNotExist) {
		t.Error("errors.Is does not see the cause")
	}
	if got, want := Text(cause), "không đọc được tệp mốc kiểm chứng: open a: file does not exist"; got != want {
		t.Errorf("Text(cause) = %q, want %q", got, want)
	}
	nested := NewError("publog.anchor.read", one)
	if got, want := Text(nested), `không đọc được tệp mốc kiểm chứng: "x" không phải dạng host:port`; got != want {
		t.Errorf("Text(nested) = %q, want %q", got, want)
	}
	joined := errors.Join(one, errors.New("plain"))
	if got, want := Text(joined), "\"x\" không phải dạng host:port\nplain"; got != want {
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
