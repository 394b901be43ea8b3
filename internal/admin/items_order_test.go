package admin_test

import (
	"cchc/internal/testsupport"
	"context"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"cchc/internal/auth"
	"cchc/internal/content"
	"cchc/internal/store"
)

// rowTitle finds each row's title link in an editors' list.
var rowTitle = regexp.MustCompile(`<td data-label="[^"]*"><a href="/quan-tri/tin-bai/\d+">([^<]+)</a>`)

// TestItemListOrder: after an import every item was last edited at the
// same moment, so the lists sort by publication date by default (newest
// first) and show it with the status; ?sap-xep=sua sorts by last edit
// (issue 17.4).
func TestItemListOrder(t *testing.T) {
	s := newServer(t)
	ctx := context.Background()
	if _, err := s.env.Publish.Import(ctx, testsupport.DemoRoot(t), "content"); err != nil {
		t.Fatal(err)
	}
	items, _, err := s.env.Store.AdminItems(ctx, store.AdminQuery{Kind: content.Article, Now: time.Now(), Limit: 1000, Sort: store.SortEdited})
	if err != nil {
		t.Fatal(err)
	}
	if len(items) < 10 {
		t.Fatalf("%d articles imported", len(items))
	}
	byPublished := slices.Clone(items)
	slices.SortStableFunc(byPublished, func(a, b *store.Item) int {
		if c := b.Published.Compare(a.Published); c != 0 {
			return c
		}
		return int(b.ID - a.ID)
	})
	titles := func(its []*store.Item) []string {
		var out []string
		for _, it := range its {
			out = append(out, it.Title)
		}
		return out
	}
	ed := s.login(auth.Editor)
	res := s.get(ed, "/quan-tri/tin-bai/")
	var got []string
	for _, m := range rowTitle.FindAllStringSubmatch(res.body, -1) {
		got = append(got, unescape(m[1]))
	}
	want := titles(byPublished)
	if len(want) > len(got) {
		want = want[:len(got)]
	}
	if len(got) == 0 || !slices.Equal(got, want) {
		t.Errorf("default order:\n got %q\nwant %q", got, want)
	}
	for _, w := range []string{"Ngày đăng", `data-label="Trạng thái"`, `data-label="Thao tác"`, `<option value="sua">Lần sửa gần nhất</option>`} {
		if !strings.Contains(res.body, w) {
			t.Errorf("list lacks %q", w)
		}
	}
	if first := byPublished[0]; !strings.Contains(res.body, first.Published.In(time.FixedZone("ICT", 7*3600)).Format("02/01/2006")) {
		t.Errorf("the newest's publication date %v is not shown", first.Published)
	}
	res = s.get(ed, "/quan-tri/tin-bai/?sap-xep=sua")
	if !strings.Contains(res.body, `<option value="sua" selected>`) || strings.Contains(res.body, "mục phù hợp") {
		t.Error("?sap-xep=sua: not shown as chosen, or counted as a filter")
	}
}

func unescape(s string) string {
	return strings.NewReplacer("&#34;", `"`, "&#39;", "'", "&amp;", "&", "&lt;", "<", "&gt;", ">").Replace(s)
}
