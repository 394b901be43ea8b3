package app_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"cchc/internal/app"
	"cchc/internal/testsupport"
)

// run calls app.Run with env as the environment and returns the exit status
// and what was written to stdout and stderr.
func run(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := app.Run(t.Context(), args, func(k string) string { return env[k] }, strings.NewReader(""), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func writeFile(t *testing.T, name, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

const (
	article = `---
title: Sở triển khai Kế hoạch tuyên truyền cải cách hành chính
date: 2022-03-20T08:00:00+07:00
summary: Kế hoạch số 272/KH-SKHCN.
---
Ngày 15/3/2022, Sở ban hành Kế hoạch số 272/KH-SKHCN.
`
	document = `---
number: 272/KH-SKHCN
type: Kế hoạch
issuer: Sở Khoa học và Công nghệ tỉnh Quảng Ngãi
issued: 2022-03-15
title: Tuyên truyền cải cách hành chính năm 2022
date: 2022-03-16
---
`
	procedure = `---
title: Cấp Giấy chứng nhận đăng ký hoạt động khoa học và công nghệ
code: "1.002345.000.00.00.H48"
date: 2022-02-14
---
## Trình tự thực hiện

Nộp hồ sơ.
`
	// badArticle has an unknown field on line 3.
	badArticle = `---
title: Bài lỗi
tieu_de_sai: x
date: 2022-03-20
---
Nội dung.
`
)

// contentDir writes a small content tree and returns its path.
func contentDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "articles", "trien-khai-ke-hoach.md"), article)
	writeFile(t, filepath.Join(dir, "documents", "272-kh-skhcn.md"), document)
	writeFile(t, filepath.Join(dir, "procedures", "dang-ky-hoat-dong-khcn.md"), procedure)
	return dir
}

func TestImport(t *testing.T) {
	content := contentDir(t)
	data := t.TempDir()
	bad := filepath.Join(content, "articles", "bai-loi.md")
	steps := []struct {
		name    string
		before  func(t *testing.T)
		args    []string
		env     map[string]string
		code    int
		stdout  string
		stderr  []string
		noError bool // stderr must be empty
	}{
		{
			name:    "first import adds everything",
			args:    []string{"import", "--data", data, content},
			code:    0,
			stdout:  "thêm mới: 3, cập nhật: 0, không đổi: 0, lỗi: 0",
			noError: true,
		},
		{
			name:    "second import changes nothing",
			args:    []string{"import", "--data", data, content},
			code:    0,
			stdout:  "thêm mới: 0, cập nhật: 0, không đổi: 3, lỗi: 0",
			noError: true,
		},
		{
			name: "data and content from the environment",
			env:  map[string]string{"CCHC_DATA": data, "CCHC_CONTENT": content},
			args: []string{"import"},
			code: 0, stdout: "thêm mới: 0, cập nhật: 0, không đổi: 3, lỗi: 0",
		},
		{
			name: "changed file is updated",
			before: func(t *testing.T) {
				writeFile(t, filepath.Join(content, "articles", "trien-khai-ke-hoach.md"), article+"\nThêm một đoạn.\n")
			},
			args:   []string{"import", "--data", data, content},
			code:   0,
			stdout: "thêm mới: 0, cập nhật: 1, không đổi: 2, lỗi: 0",
		},
		{
			name:   "bad file fails alone with path:line",
			before: func(t *testing.T) { writeFile(t, bad, badArticle) },
			args:   []string{"import", "--data", data, content},
			code:   1,
			stdout: "thêm mới: 0, cập nhật: 0, không đổi: 3, lỗi: 1",
			stderr: []string{filepath.ToSlash(bad) + ":3: "},
		},
		{
			name:   "fixed file goes in",
			before: func(t *testing.T) { writeFile(t, bad, strings.Replace(badArticle, "tieu_de_sai: x\n", "", 1)) },
			args:   []string{"import", "--data", data, content},
			code:   0,
			stdout: "thêm mới: 1, cập nhật: 0, không đổi: 3, lỗi: 0",
		},
		{
			name:    "--timings says what each step took",
			args:    []string{"import", "--data", data, "--timings", content},
			code:    0,
			stdout:  "không đổi: 4, lỗi: 0\nthời gian (giây): kiểm tra ",
			noError: true,
		},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			if st.before != nil {
				st.before(t)
			}
			code, stdout, stderr := run(t, st.env, st.args...)
			if code != st.code {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, st.code, stderr)
			}
			if !strings.Contains(stdout, st.stdout) {
				t.Errorf("stdout %q, want it to contain %q", stdout, st.stdout)
			}
			for _, s := range st.stderr {
				if !strings.Contains(stderr, s) {
					t.Errorf("stderr %q, want it to contain %q", stderr, s)
				}
			}
			if st.noError && stderr != "" {
				t.Errorf("stderr not empty: %q", stderr)
			}
		})
	}
}

func TestUsage(t *testing.T) {
	data := t.TempDir()
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{"no subcommand", nil, 2, "", "Cách dùng"},
		{"unknown subcommand", []string{"xuat-ban"}, 2, "", `không có lệnh "xuat-ban"`},
		{"--help", []string{"--help"}, 0, "Cách dùng", ""},
		{"help", []string{"help"}, 0, "cchc serve", ""},
		{"-h", []string{"-h"}, 0, "cchc import", ""},
		{"import --help", []string{"import", "--help"}, 0, "", "--data"},
		{"serve --help", []string{"serve", "--help"}, 0, "", "CCHC_ADDR"},
		{"import unknown flag", []string{"import", "--xyz"}, 2, "", "xyz"},
		{"import two folders", []string{"import", "--data", data, "a", "b"}, 2, "", "một thư mục"},
		{"import missing folder", []string{"import", "--data", data, filepath.Join(data, "khong-co")}, 2, "", "không phải thư mục"},
		{"serve bad --addr", []string{"serve", "--data", data, "--addr", "localhost"}, 2, "", "--addr"},
		{"serve bad CCHC_ADDR", []string{"serve", "--data", data, "--addr", "x:y:z"}, 2, "", "CCHC_ADDR"},
		{"serve bad --base-url", []string{"serve", "--data", data, "--base-url", "skhcn.gov.vn"}, 2, "", "--base-url"},
		{"serve bad --theme", []string{"serve", "--data", data, "--theme", "../x"}, 2, "", "--theme"},
		{"serve argument", []string{"serve", "--data", data, "extra"}, 2, "", `"extra"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := run(t, nil, tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, tt.code, stderr)
			}
			if !strings.Contains(stdout, tt.stdout) {
				t.Errorf("stdout %q, want it to contain %q", stdout, tt.stdout)
			}
			if !strings.Contains(stderr, tt.stderr) {
				t.Errorf("stderr %q, want it to contain %q", stderr, tt.stderr)
			}
		})
	}
	if entries, _ := os.ReadDir(data); len(entries) != 0 {
		t.Errorf("bad usage wrote to the data folder: %v", entries)
	}
}

func TestServeBadAddrEnv(t *testing.T) {
	code, _, stderr := run(t, map[string]string{"CCHC_ADDR": "nope", "CCHC_DATA": t.TempDir()}, "serve")
	if code != 2 || !strings.Contains(stderr, "--addr (CCHC_ADDR)") {
		t.Errorf("exit %d, stderr %q; want 2 naming --addr (CCHC_ADDR)", code, stderr)
	}
}

func TestServe(t *testing.T) {
	addr := testsupport.FreeAddr(t)
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	srv := testsupport.Serve(t, "--addr", addr, "--data", data, "--content", filepath.Join(dir, "khong-co"))
	if srv.Addr != addr {
		t.Fatalf("serve listens on %s, want the --addr given, %s", srv.Addr, addr)
	}
	client := &http.Client{Timeout: 10 * time.Second}
	resp, err := client.Get("http://" + addr + "/")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	body := string(b)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET / = %d, want 200; stderr:\n%s", resp.StatusCode, srv.Stderr.String())
	}
	if !strings.Contains(body, `<html lang="vi">`) || !strings.Contains(body, "Tin mới") {
		t.Errorf("home page looks wrong:\n%s", body)
	}
	// The demo content went in: one of its documents is served.
	resp, err = client.Get("http://" + addr + "/van-ban/1256-qd-ubnd")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("GET /van-ban/1256-qd-ubnd = %d, want 200", resp.StatusCode)
	}
	log := srv.Stderr.String()
	for _, s := range []string{"embedded demo content", "imported", "failed=0", "serving", addr} {
		if !strings.Contains(log, s) {
			t.Errorf("log lacks %q:\n%s", s, log)
		}
	}
	if _, err := os.Stat(filepath.Join(data, "cchc.db")); err != nil {
		t.Errorf("no database in --data: %v", err)
	}

	if code := srv.Stop(); code != 0 {
		t.Errorf("serve returned %d after cancel, want 0; stderr:\n%s", code, srv.Stderr.String())
	}
	if !strings.Contains(srv.Stderr.String(), "shutting down") {
		t.Errorf("log does not say it shut down:\n%s", srv.Stderr.String())
	}
	if _, err := client.Get("http://" + addr + "/"); err == nil {
		t.Error("server still answers after Run returned")
	}
}

func TestServeAddrInUse(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	code, _, stderr := run(t, nil, "serve", "--addr", ln.Addr().String(), "--data", t.TempDir(), "--content", filepath.Join(t.TempDir(), "khong-co"))
	if code != 1 || !strings.Contains(stderr, "--addr") {
		t.Errorf("exit %d, stderr %q; want 1 naming --addr", code, stderr)
	}
}

func ExampleRun() {
	code := app.Run(context.Background(), []string{"khong-co"}, os.Getenv, nil, io.Discard, io.Discard)
	fmt.Println(code)
	// Output: 2
}
