package report_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"cchc/internal/agency"
	"cchc/internal/auth"
	"cchc/internal/report"
	"cchc/internal/store"
)

// addAgencies adds two agencies to the demo (Sở Tư pháp under a prefix,
// Sở Y tế under a host) through the store, as the agencies screen does.
func addAgencies(t *testing.T, s *site) (int64, int64) {
	t.Helper()
	ctx := context.Background()
	a2, err := s.env.Store.CreateAgency(ctx, agency.Agency{Slug: "so-tu-phap", Name: "Sở Tư pháp tỉnh Quảng Ngãi", ShortName: "Sở Tư pháp", Prefix: "/so-tu-phap"},
		store.AuditEntry{At: later, Actor: "cli"})
	if err != nil {
		t.Fatal(err)
	}
	a3, err := s.env.Store.CreateAgency(ctx, agency.Agency{Slug: "so-y-te", Name: "Sở Y tế tỉnh Quảng Ngãi", ShortName: "Sở Y tế", Prefix: "/so-y-te"},
		store.AuditEntry{At: later, Actor: "cli"})
	if err != nil {
		t.Fatal(err)
	}
	return a2, a3
}

// TestProvinceAccess: the root agency's admins read the roll-up, its
// exports and its print; every other role of the workspace gets 403, a
// stranger the login page. The province role is admitted by
// CanSeeProvince (accounts cannot hold it until h20-accounts merges).
func TestProvinceAccess(t *testing.T) {
	s := newSite(t)
	addAgencies(t, s)
	paths := []string{"/bao-cao/tinh?nam=2022", "/bao-cao/tinh/in?nam=2022", "/bao-cao/tinh/2022.csv", "/bao-cao/tinh/2022.xlsx", "/bao-cao/tinh/2022.docx"}
	for _, p := range paths {
		// A page sends the browser to the login page; a file is 401.
		if got := s.do("GET", p, nil); !(got.code == 302 && strings.HasPrefix(got.loc, "/quan-tri/dang-nhap?next=")) && got.code != 401 {
			t.Errorf("stranger %s: %d %q, want the login page", p, got.code, got.loc)
		}
	}
	for _, r := range auth.Roles {
		c, _ := s.login(r)
		for _, p := range paths {
			got := s.do("GET", p, nil, c)
			want := 403
			if r == auth.Admin {
				want = 200
			}
			if got.code != want {
				t.Errorf("%s %s: %d, want %d\n%.400s", r, p, got.code, want, got.body)
			}
		}
	}
	for _, tc := range []struct {
		u    store.User
		want bool
	}{
		{store.User{Role: auth.Province, AgencyID: 2}, true},
		{store.User{Role: auth.Province}, true},
		{store.User{Role: auth.Admin}, true},
		{store.User{Role: auth.Admin, AgencyID: agency.Root}, true},
		{store.User{Role: auth.Admin, AgencyID: 2}, false},
		{store.User{Role: auth.Approver, AgencyID: agency.Root}, false},
		{store.User{Role: auth.Viewer}, false},
	} {
		if got := report.CanSeeProvince(&tc.u); got != tc.want {
			t.Errorf("CanSeeProvince(%s of %d) = %v, want %v", tc.u.Role, tc.u.AgencyID, got, tc.want)
		}
	}
	if report.CanSeeProvince(nil) {
		t.Error("CanSeeProvince(nil) = true")
	}
}

// TestProvincePage: one row per agency of the instance, in name order,
// with the exports carrying the same rows.
func TestProvincePage(t *testing.T) {
	s := newSite(t)
	addAgencies(t, s)
	c, _ := s.login(auth.Admin)
	got := s.do("GET", "/bao-cao/tinh?nam=2022", nil, c)
	if got.code != 200 {
		t.Fatalf("%d\n%s", got.code, got.body)
	}
	order := []string{`id="co-quan-so-khcn"`, `id="co-quan-so-tu-phap"`, `id="co-quan-so-y-te"`}
	last := -1
	for _, id := range order {
		i := strings.Index(got.body, id)
		if i < last {
			t.Errorf("%s out of order (or missing)", id)
		}
		last = i
	}
	csvBody := s.do("GET", "/bao-cao/tinh/2022.csv", nil, c)
	recs, err := csvRecords(csvBody.body)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, r := range recs {
		if len(r) > 2 && (r[0] == "1" || r[0] == "2" || r[0] == "3") && strings.HasPrefix(r[1], "Sở ") {
			names = append(names, r[1])
		}
	}
	if strings.Join(names, "|") != "Sở Khoa học và Công nghệ tỉnh Quảng Ngãi|Sở Tư pháp tỉnh Quảng Ngãi|Sở Y tế tỉnh Quảng Ngãi" {
		t.Errorf("CSV rows: %q", names)
	}
	x := s.do("GET", "/bao-cao/tinh/2022.xlsx", nil, c)
	f, err := excelize.OpenReader(bytes.NewReader([]byte(x.body)))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows("Tổng hợp")
	if err != nil || len(rows) < 10 {
		t.Fatalf("xlsx rows: %d %v", len(rows), err)
	}
}

func csvRecords(body string) ([][]string, error) {
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff")))
	r.FieldsPerRecord = -1
	return r.ReadAll()
}
