package locale

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
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
	if got, want := Text(cause), "không đọc được tệp mốc kiểm chứng: open a: không có tệp hay thư mục này"; got != want {
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

// The operating system's errors, made for real, read in Vietnamese with
// their paths as the system gave them; context around them stays.
func TestOSErrorText(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "tep")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	_, openErr := os.Open(filepath.Join(dir, "khong-co"))
	renameErr := os.Rename(filepath.Join(dir, "khong-co"), filepath.Join(dir, "moi"))
	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"mkdir under a file", fmt.Errorf("--data: %w", os.MkdirAll(filepath.Join(file, "x"), 0o750)),
			"--data: không tạo được thư mục " + file + ": không phải thư mục"},
		{"open what is not there", openErr, "không mở được " + filepath.Join(dir, "khong-co") + ": không có tệp hay thư mục này"},
		{"rename", renameErr, "không chuyển được " + filepath.Join(dir, "khong-co") + " thành " + filepath.Join(dir, "moi") + ": không có tệp hay thư mục này"},
		{"a link", &os.LinkError{Op: "symlink", Old: "/srv/a", New: "/srv/b", Err: syscall.EEXIST}, "không tạo được liên kết /srv/b tới /srv/a: đã có tệp hay thư mục này"},
		{"a closed file", &fs.PathError{Op: "close", Path: "/srv/x", Err: fs.ErrClosed}, "không đóng được /srv/x: tệp đã đóng"},
		{"a full disk", &fs.PathError{Op: "write", Path: "/srv/cchc.db", Err: syscall.ENOSPC}, "không ghi được /srv/cchc.db: đĩa đã hết chỗ trống"},
		{"a sentinel alone", fs.ErrPermission, "không có quyền"},
		{"a cause among a message's values", NewError("publog.anchor.read", &fs.PathError{Op: "open", Path: "moc.json", Err: syscall.EACCES}),
			"không đọc được tệp mốc kiểm chứng: không mở được moc.json: không có quyền"},
		// An operation this file does not know keeps the system's words
		// for it, and a cause it does not know is left as it is.
		{"an unknown operation", &fs.PathError{Op: "flock", Path: "/srv/x", Err: syscall.EAGAIN}, "flock /srv/x: " + syscall.EAGAIN.Error()},
		{"an unknown cause", &fs.PathError{Op: "open", Path: "/srv/x", Err: syscall.EAGAIN}, "không mở được /srv/x: " + syscall.EAGAIN.Error()},
	} {
		if tc.err == nil {
			t.Fatalf("%s: the system gave no error", tc.name)
		}
		if got := Text(tc.err); got != tc.want {
			t.Errorf("%s: Text = %q, want %q", tc.name, got, tc.want)
		}
	}
}
