package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRun: the command writes a tree and says what it wrote; bad usage is
// exit 2 with a Vietnamese message, a folder that is not empty exit 1.
func TestRun(t *testing.T) {
	full := t.TempDir()
	if err := os.WriteFile(filepath.Join(full, "x"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "c")
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{"writes", []string{"--n", "20", "--out", out, "--seed", "3"}, 0, "đã tạo 20 mục (10 tin bài, 3 thủ tục, 7 văn bản) trong " + out, ""},
		{"no --out", []string{"--n", "20"}, 2, "", "gencorpus: thiếu --out"},
		{"too few", []string{"--n", "9", "--out", out}, 2, "", "gencorpus: --n phải từ 10 trở lên"},
		{"argument", []string{"--out", out, "thừa"}, 2, "", `gencorpus: không nhận đối số "thừa"`},
		{"bad flag", []string{"--m", "1"}, 2, "", "Cách dùng: go run ./bench/cmd/gencorpus"},
		{"help", []string{"--help"}, 0, "", "Cách dùng: go run ./bench/cmd/gencorpus"},
		{"folder not empty", []string{"--n", "20", "--out", full}, 1, "", "thư mục không trống"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(tt.args, &stdout, &stderr)
			if code != tt.code || !strings.Contains(stdout.String(), tt.stdout) || !strings.Contains(stderr.String(), tt.stderr) {
				t.Errorf("run(%q) = %d\nstdout %q\nstderr %q\nwant %d, %q, %q", tt.args, code, stdout.String(), stderr.String(), tt.code, tt.stdout, tt.stderr)
			}
		})
	}
	if entries, err := os.ReadDir(filepath.Join(out, "articles")); err != nil || len(entries) != 10 {
		t.Errorf("articles/ holds %d files (%v), want 10", len(entries), err)
	}
}
