package site_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"cchc/internal/search"
)

// A third agency (the Sở Xây dựng, prefix /so-xay-dung) with three
// articles sharing the demo's words, so that every order (exact, bounded,
// sampled) has hits of several agencies to interleave.
const (
	sxdAgency  = "name: Sở Xây dựng tỉnh Quảng Ngãi\nshort_name: Sở Xây dựng\nprefix: /so-xay-dung\n"
	sxdArticle = `---
title: Sở Xây dựng %s trong cải cách hành chính
date: 2022-11-%02dT08:00:00+07:00
summary: Thủ tục hành chính về cấp phép xây dựng và cải cách hành chính, bài %d.
---
Bộ phận một cửa của Sở Xây dựng tiếp nhận hồ sơ thủ tục hành chính, quyết định số %d.
`
)

// resultCountRE finds the line of a results page that states the count.
var resultCountRE = regexp.MustCompile(`(?s)<p class="count-line" role="status">(.*?)</p>`)

// provinceQueries are the province-wide searches whose first page must not
// change: common words, words without diacritics, a document number in
// two typed forms, a word only one agency has, filters, and one agency
// chosen.
var provinceQueries = []string{
	"q=" + url.QueryEscape("cải cách hành chính"),
	"q=" + url.QueryEscape("cai cach hanh chinh"),
	"q=" + url.QueryEscape("thủ tục hành chính"),
	"q=" + url.QueryEscape("một cửa"),
	"q=" + url.QueryEscape("hòa giải"),
	"q=" + url.QueryEscape("1256/QĐ-UBND"),
	"q=" + url.QueryEscape("1256 qd ubnd"),
	"q=" + url.QueryEscape("iso 9001"),
	"q=" + url.QueryEscape("quyết định"),
	"q=" + url.QueryEscape("cải cách hành chính") + "&loai=article",
	"q=" + url.QueryEscape("cải cách hành chính") + "&nam=2022",
	"q=" + url.QueryEscape("cải cách hành chính") + "&co-quan=so-xay-dung",
	"q=" + url.QueryEscape("cải cách hành chính") + "&co-quan=khong-co",
	"q=" + url.QueryEscape("cải cách hành chính") + "&trang=2",
}

// newProvinceEdited is newProvince with the Sở Xây dựng's articles, then
// imported again after every one of them and the Sở Tư pháp's changed:
// the index has rows removed and written again, as after an import that
// updates an agency's tree.
func newProvinceEdited(t *testing.T) *province {
	t.Helper()
	p := newProvince(t)
	dir := filepath.Join(p.dir, "agencies", "so-xay-dung")
	mustWrite(t, filepath.Join(dir, "agency.yaml"), sxdAgency)
	topics := []string{"cấp phép", "quy hoạch", "nhà ở"}
	for i, topic := range topics {
		mustWrite(t, filepath.Join(dir, "articles", fmt.Sprintf("sxd-%d.md", i+1)), fmt.Sprintf(sxdArticle, topic, 10+i, i+1, 100+i))
	}
	p.importContent()
	for i := range topics {
		p.edit(fmt.Sprintf("agencies/so-xay-dung/articles/sxd-%d.md", i+1), func(s string) string {
			return strings.Replace(s, "Bộ phận một cửa", "Bộ phận tiếp nhận và trả kết quả (một cửa)", 1)
		})
	}
	p.edit("agencies/so-tu-phap/articles/stp-hoa-giai.md", func(s string) string {
		return strings.Replace(s, "Nội dung thử nghiệm", "Nội dung thử nghiệm đã sửa", 1)
	})
	return p
}

// provincePagesText is the first page (or the page asked) of every query
// of provinceQueries, under each of the three orders the search has: each
// entry's agency label and link, in order, and the count of results the
// page states. extra is added to every address (a parameter the page does
// not read), so that a second reading is not the page cache's.
func provincePagesText(t *testing.T, p *province, extra string) string {
	t.Helper()
	oldRank, oldExact := search.RankAll, search.ExactMax
	defer func() { search.RankAll, search.ExactMax = oldRank, oldExact }()
	var b strings.Builder
	for _, bounds := range [][2]int{{oldRank, oldExact}, {1, oldExact}, {1, 5}} {
		search.RankAll, search.ExactMax = bounds[0], bounds[1]
		fmt.Fprintf(&b, "# RankAll %d, ExactMax %d\n", bounds[0], bounds[1])
		for _, q := range provinceQueries {
			w := p.get("/toan-tinh/tim-kiem?" + q + extra)
			fmt.Fprintf(&b, "%s: %d\n", q, w.Code)
			if w.Code != http.StatusOK {
				continue
			}
			body := w.Body.String()
			if m := resultCountRE.FindStringSubmatch(body); m != nil {
				fmt.Fprintf(&b, "  count: %s\n", m[1])
			}
			for _, e := range provinceEntries(t, body) {
				fmt.Fprintf(&b, "  %s | %s\n", e[0], e[1])
			}
		}
	}
	return b.String()
}

// TestProvinceSearchPagesUnchanged: over a database of three agencies
// whose index has rows written again, the province-wide results pages are
// the ones recorded in testdata/province-pages.golden (the same items, in
// the same order, with the same labels and counts), before and after the
// index is merged (search.Index.Compact), and no agency left out of the
// scope (one chosen, or a name no agency has) shows.
func TestProvinceSearchPagesUnchanged(t *testing.T) {
	p := newProvinceEdited(t)
	got := provincePagesText(t, p, "")
	golden := filepath.Join("testdata", "province-pages.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("province-wide pages differ from %s:\n%s", golden, got)
	}
	checkProvinceScope(t, got)

	// The edits wrote more than 1 in 20 of the items again: Compact merges.
	ctx := context.Background()
	merged, err := p.env.Search.Compact(ctx)
	if err != nil || !merged {
		t.Fatalf("Compact: merged %v, %v", merged, err)
	}
	if text, titles, err := p.env.Store.SearchSegments(ctx); err != nil || text != 1 || titles != 1 {
		t.Fatalf("after Compact: %d and %d segments, %v", text, titles, err)
	}
	if again := provincePagesText(t, p, "&lan=2"); again != got {
		t.Errorf("province-wide pages changed when the index was merged:\n%s", again)
	}
}

// checkProvinceScope checks the pages' text: one agency chosen shows only
// its entries; an unknown agency's name is dropped (every agency, as
// without it); the three agencies all show for the common words.
func checkProvinceScope(t *testing.T, text string) {
	t.Helper()
	var block string
	for _, line := range strings.Split(text, "\n") {
		switch {
		case strings.HasPrefix(line, "#"):
		case !strings.HasPrefix(line, "  "):
			block = line
		case strings.HasPrefix(line, "  count:"):
		case strings.Contains(block, "co-quan=so-xay-dung"):
			if !strings.HasPrefix(line, "  Sở Xây dựng | /so-xay-dung/") {
				t.Errorf("%s shows %s", block, line)
			}
		}
	}
	all := strings.Count(text, "Sở Xây dựng | /so-xay-dung/")
	if all == 0 || !strings.Contains(text, "Sở Tư pháp | /so-tu-phap/") || !strings.Contains(text, "UBND huyện Sơn Tịnh | https://") {
		t.Errorf("the pages miss an agency's entries:\n%s", text)
	}
	if n := strings.Count(text, "co-quan=so-xay-dung: 200"); n != 3 {
		t.Errorf("co-quan=so-xay-dung answered %d times of 3", n)
	}
}
