package app_test

import (
	"strings"
	"testing"

	"cchc/internal/agency"
	"cchc/internal/app"
	"cchc/internal/config"
)

// TestAgencyCommands: cchc agency add adds an agency with its audit row
// and list shows it; a record with problems is refused, one line a
// problem named by its flag, nothing written; cchc user add --agency
// puts an account in it, and --role province makes the province role
// (in the root agency only).
func TestAgencyCommands(t *testing.T) {
	data := t.TempDir()
	steps := []struct {
		name   string
		args   []string
		stdin  string
		code   int
		stdout string
		stderr []string
	}{
		{"add", []string{"agency", "add", "so-tu-phap", "--name", "Sở Tư pháp tỉnh Quảng Ngãi", "--short-name", "Sở Tư pháp", "--prefix", "/so-tu-phap",
			"--email", "STP@quangngai.gov.vn", "--data", data}, "", 0, "Đã thêm cơ quan Sở Tư pháp tỉnh Quảng Ngãi.", nil},
		{"a prefix taken, a reserved one, a bad website", []string{"agency", "add", "so-noi-vu", "--name", "Sở Nội vụ", "--short-name", "Sở Nội vụ",
			"--prefix", "/so-tu-phap", "--website", "http://snv.gov.vn", "--data", data}, "", 1, "",
			[]string{"cchc agency add: --prefix: Giá trị này đã được cơ quan khác sử dụng.", "cchc agency add: --website: Địa chỉ phải bắt đầu bằng https://"}},
		{"a reserved prefix", []string{"agency", "add", "so-noi-vu", "--name", "Sở Nội vụ", "--short-name", "Sở Nội vụ", "--prefix", "/tin-tuc", "--data", data}, "", 1, "",
			[]string{"cchc agency add: --prefix: Đường dẫn /tin-tuc đã dùng cho các trang của chuyên mục"}},
		{"no name, a bad slug", []string{"agency", "add", "Sở Nội Vụ", "--data", data}, "", 1, "",
			[]string{"cchc agency add: --name: Không được để trống.", "cchc agency add: mã cơ quan: Mã cơ quan chỉ gồm chữ thường"}},
		{"an unknown parent", []string{"agency", "add", "ubnd-huyen", "--name", "UBND huyện", "--short-name", "UBND huyện", "--parent", "khong-co", "--prefix", "/huyen", "--data", data}, "", 1, "",
			[]string{"cchc agency add: --parent: Không có cơ quan cấp trên này."}},
		{"no slug", []string{"agency", "add", "--data", data}, "", 2, "", []string{"hãy ghi đúng một mã cơ quan"}},
		{"list", []string{"agency", "list", "--data", data}, "", 0, "so-tu-phap", nil},
		{"an account of agency 2", []string{"user", "add", "stp.bientap", "--role", "editor", "--agency", "so-tu-phap", "--password-stdin", "--data", data},
			"một mật khẩu đủ dài\n", 0, "", nil},
		{"an unknown agency", []string{"user", "add", "x.bientap", "--role", "editor", "--agency", "khong-co", "--password-stdin", "--data", data},
			"một mật khẩu đủ dài\n", 1, "", []string{"Không có cơ quan “khong-co” trong danh sách."}},
		{"a province account", []string{"user", "add", "tonghop", "--role", "province", "--password-stdin", "--data", data}, "một mật khẩu đủ dài\n", 0, "Tổng hợp", nil},
		{"a province account of agency 2", []string{"user", "add", "tonghop2", "--role", "province", "--agency", "so-tu-phap", "--password-stdin", "--data", data},
			"một mật khẩu đủ dài\n", 1, "", []string{"Vai trò tổng hợp chỉ dành cho tài khoản của cơ quan gốc."}},
	}
	for _, st := range steps {
		code, stdout, stderr := runIn(t, st.stdin, st.args...)
		if code != st.code || !strings.Contains(stdout, st.stdout) {
			t.Errorf("%s: exit %d, stdout %q, stderr %q; want exit %d and %q", st.name, code, stdout, stderr, st.code, st.stdout)
		}
		for _, want := range st.stderr {
			if !strings.Contains(stderr, want) {
				t.Errorf("%s: stderr %q lacks %q", st.name, stderr, want)
			}
		}
		if strings.Contains(stderr, "panic") || strings.Contains(stderr, "goroutine") {
			t.Errorf("%s: %s", st.name, stderr)
		}
	}
	cfg := config.Defaults
	cfg.Data = data
	env, err := app.Open(t.Context(), &cfg, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer env.Close()
	list, err := env.Store.Agencies(t.Context())
	if err != nil || len(list) != 2 || list[1].Email != "stp@quangngai.gov.vn" {
		t.Fatalf("agencies %+v, %v", list, err)
	}
	for name, want := range map[string]int64{"stp.bientap": list[1].ID, "tonghop": agency.Root} {
		u, err := env.Store.UserByName(t.Context(), name)
		if err != nil || u.AgencyID != want {
			t.Errorf("%s: %+v, %v; want agency %d", name, u, err, want)
		}
	}
	if n := testCount(t, env, `SELECT COUNT(*) FROM audit_log WHERE action = 'agency' AND actor = 'cli'`); n != 1 {
		t.Errorf("%d audit rows for agencies, want 1", n)
	}
}

func testCount(t *testing.T, env *app.Env, q string) int {
	t.Helper()
	var n int
	if err := env.DB.Read.QueryRow(q).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
