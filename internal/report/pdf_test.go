//go:build browser || office

package report_test

import (
	"os/exec"
	"strconv"
	"testing"
)

// pdfText is the text of page n of the PDF at path as pdftotext -layout
// places it (poppler-utils; .ci/run installs it): the words of one line
// of the page stay on one line of the text.
func pdfText(t *testing.T, path string, n int) string {
	t.Helper()
	out, err := exec.Command("pdftotext", "-layout", "-enc", "UTF-8", "-f", strconv.Itoa(n), "-l", strconv.Itoa(n), path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext (apt-get install poppler-utils; .ci/run does this): %v", err)
	}
	return string(out)
}
