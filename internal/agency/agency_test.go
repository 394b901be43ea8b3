package agency

import (
	"context"
	"strings"
	"testing"
	"time"
)

func valid() Agency {
	return Agency{ID: 2, Slug: "so-tu-phap", Name: "Sở Tư pháp tỉnh Quảng Ngãi", ShortName: "Sở Tư pháp", Prefix: "/so-tu-phap"}
}

// TestCheck: each rule refuses what it names, and a good record passes.
func TestCheck(t *testing.T) {
	if errs := Check(Clean(valid())); errs != nil {
		t.Fatalf("a good record: %v", errs)
	}
	cases := []struct {
		name  string
		edit  func(a *Agency)
		field string
	}{
		{"no slug", func(a *Agency) { a.Slug = "" }, FieldSlug},
		{"slug with a space", func(a *Agency) { a.Slug = "so tu phap" }, FieldSlug},
		{"slug with diacritics", func(a *Agency) { a.Slug = "sở-tư-pháp" }, FieldSlug},
		{"slug ending in a hyphen", func(a *Agency) { a.Slug = "so-" }, FieldSlug},
		{"slug with a double hyphen", func(a *Agency) { a.Slug = "so--tu" }, FieldSlug},
		{"no name", func(a *Agency) { a.Name = " " }, FieldName},
		{"no short name", func(a *Agency) { a.ShortName = "" }, FieldShortName},
		{"short name too long", func(a *Agency) { a.ShortName = strings.Repeat("ă", 61) }, FieldShortName},
		{"control character", func(a *Agency) { a.Name = "Sở\x07Tư pháp" }, FieldName},
		{"right-to-left override", func(a *Agency) { a.ShortName = "Sở \u202Ephá\u202C Tư" }, FieldShortName},
		{"first-strong isolate", func(a *Agency) { a.Name = "Sở\u2068Tư pháp" }, FieldName},
		{"prefix of two segments", func(a *Agency) { a.Prefix = "/so/tu-phap" }, FieldPrefix},
		{"prefix with a query", func(a *Agency) { a.Prefix = "/so?x=1" }, FieldPrefix},
		{"prefix with diacritics", func(a *Agency) { a.Prefix = "/sở-tư-pháp" }, FieldPrefix},
		{"prefix with a dot", func(a *Agency) { a.Prefix = "/.." }, FieldPrefix},
		{"prefix reserved: the workspace", func(a *Agency) { a.Prefix = "/quan-tri" }, FieldPrefix},
		{"prefix reserved: the reports", func(a *Agency) { a.Prefix = "/bao-cao" }, FieldPrefix},
		{"prefix reserved: a sitemap page", func(a *Agency) { a.Prefix = "/sitemap-9" }, FieldPrefix},
		{"host of one label", func(a *Agency) { a.Host = "localhost" }, FieldHost},
		{"host with a port", func(a *Agency) { a.Host = "stp.quangngai.gov.vn:8080" }, FieldHost},
		{"host with a path", func(a *Agency) { a.Host = "stp.quangngai.gov.vn/x" }, FieldHost},
		{"e-mail with a name", func(a *Agency) { a.Email = "STP <stp@quangngai.gov.vn>" }, FieldEmail},
		{"website over http", func(a *Agency) { a.Website = "http://stp.quangngai.gov.vn" }, FieldWebsite},
		{"website with javascript", func(a *Agency) { a.Website = "javascript:alert(1)" }, FieldWebsite},
		{"own parent", func(a *Agency) { a.ParentID = a.ID }, FieldParent},
	}
	for _, c := range cases {
		a := valid()
		c.edit(&a)
		errs := Check(Clean(a))
		if errs[c.field] == "" {
			t.Errorf("%s: no problem on %s (%v)", c.name, c.field, errs)
		}
		if len(errs) != 1 {
			t.Errorf("%s: %d problems, want 1: %v", c.name, len(errs), errs)
		}
	}
}

// TestClean: what officials type is stored in one form: NFC, spaces
// folded, the prefix and host in their canonical shape.
func TestClean(t *testing.T) {
	a := Clean(Agency{Name: "  So\u031b\u0309  Tư pháp ", Slug: "So-Tu-Phap", Prefix: "So-Tu-Phap/", Host: "STP.QuangNgai.gov.vn.", Email: "STP@QuangNgai.gov.vn"})
	want := Agency{Name: "Sở Tư pháp", Slug: "so-tu-phap", Prefix: "/so-tu-phap", Host: "stp.quangngai.gov.vn", Email: "stp@quangngai.gov.vn"}
	if a != want {
		t.Errorf("Clean: %+v\nwant %+v", a, want)
	}
	if !Clean(Agency{Name: "x"}).IsRoot() || Clean(Agency{Prefix: "/a"}).IsRoot() || Clean(Agency{Host: "a.vn"}).IsRoot() {
		t.Error("IsRoot")
	}
}

// TestPunycodeHost: an internationalized host name in its ASCII form
// (xn--) is a host name.
func TestPunycodeHost(t *testing.T) {
	a := valid()
	a.Host = "xn--stp-6ma.quangngai.gov.vn"
	if errs := Check(Clean(a)); errs != nil {
		t.Errorf("%v", errs)
	}
}

// TestHostileRecord: what a forged form can send — bytes that are not
// UTF-8, a NUL, a megabyte of combining marks, a prefix climbing out —
// is refused on its field, quickly. The bound is generous (2 s for a
// megabyte; it takes milliseconds) so a slow machine does not trip it.
func TestHostileRecord(t *testing.T) {
	start := time.Now()
	cases := []struct {
		name  string
		edit  func(a *Agency)
		field string
	}{
		{"not UTF-8", func(a *Agency) { a.Name = "S\xffở Tư pháp" }, FieldName},
		{"NUL", func(a *Agency) { a.ShortName = "Sở\x00" }, FieldShortName},
		{"a megabyte of marks", func(a *Agency) { a.Address = "a" + strings.Repeat("\u0301", 1<<19) }, FieldAddress},
		{"a prefix climbing out", func(a *Agency) { a.Prefix = "/../quan-tri" }, FieldPrefix},
		{"a prefix with a NUL", func(a *Agency) { a.Prefix = "/so\x00" }, FieldPrefix},
		{"a negative parent", func(a *Agency) { a.ParentID = -1 }, FieldParent},
	}
	for _, c := range cases {
		a := valid()
		c.edit(&a)
		if errs := Check(Clean(a)); errs[c.field] == "" {
			t.Errorf("%s: no problem on %s (%v)", c.name, c.field, errs)
		}
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("%v for %d hostile records", d, len(cases))
	}
}

func TestContextCarriesTheAgency(t *testing.T) {
	ctx := context.Background()
	if got := IDFrom(ctx); got != Root {
		t.Fatalf("empty context acts for %d, want the root agency %d", got, Root)
	}
	ctx2 := WithID(ctx, 7)
	if got := IDFrom(ctx2); got != 7 {
		t.Fatalf("IDFrom = %d, want 7", got)
	}
	if got := IDFrom(WithID(ctx2, 0)); got != Root {
		t.Fatalf("id 0 acts for %d, want the root agency", got)
	}
	if got := IDFrom(ctx); got != Root {
		t.Fatalf("the parent context changed: %d", got)
	}
}
