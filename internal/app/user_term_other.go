//go:build !linux

package app

import (
	"bufio"
	"io"
	"os"

	"cchc/internal/locale"
)

// isTerminal is false where reading without echo is not implemented:
// there, passwords come with --password-stdin.
func isTerminal(*os.File) bool { return false }

func readHidden(*os.File, *bufio.Reader, io.Writer, string) (string, error) {
	return "", locale.NewError("cli.user.no_terminal_support")
}
