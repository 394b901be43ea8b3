//go:build !linux

package app

import (
	"bufio"
	"errors"
	"io"
	"os"
)

// isTerminal is false where reading without echo is not implemented:
// there, passwords come with --password-stdin.
func isTerminal(*os.File) bool { return false }

func readHidden(*os.File, *bufio.Reader, io.Writer, string) (string, error) {
	return "", errors.New("không hỗ trợ nhập mật khẩu trên terminal ở hệ điều hành này; hãy dùng --password-stdin")
}
