package search_test

import (
	"context"
	"slices"
	"testing"
	"testing/fstest"

	"cchc/internal/agency"
	"cchc/internal/app"
	"cchc/internal/content"
	"cchc/internal/search"
	"cchc/internal/testsupport"
)

// otherAgencyFixtures are a second agency's record and an article of its
// column whose title shares words with the demo's ("cải cách hành chính",
// "ISO 9001") and has a word of its own ("hòa giải").
var otherAgencyFixtures = map[string]string{
	"agencies/so-tu-phap/agency.yaml": "name: Sở Tư pháp tỉnh Quảng Ngãi\nshort_name: Sở Tư pháp\nprefix: /so-tu-phap\n",
	"agencies/so-tu-phap/articles/stp-hoa-giai-co-so.md": `---
title: Sở Tư pháp hướng dẫn hòa giải ở cơ sở gắn với cải cách hành chính
date: 2022-05-10T08:00:00+07:00
summary: Hòa giải ở cơ sở và cải cách hành chính, áp dụng ISO 9001.
---
Bài viết thử nghiệm của cơ quan thứ hai về hòa giải ở cơ sở.
`,
}

// twoAgencies is the demo (agency 1) plus a second agency imported from
// its folder under agencies/.
func twoAgencies(t *testing.T) (*app.Env, int64) {
	t.Helper()
	env := openEnv(t)
	extra := fstest.MapFS{}
	for p, s := range otherAgencyFixtures {
		extra[p] = &fstest.MapFile{Data: []byte(s)}
	}
	testsupport.Import(t, env, extra)
	a, err := env.Store.AgencyBySlug(context.Background(), "so-tu-phap")
	if err != nil {
		t.Fatal(err)
	}
	return env, a.ID
}

func searchAs(t *testing.T, env *app.Env, id int64, q search.Query) []string {
	t.Helper()
	if q.Now.IsZero() {
		q.Now = testNow
	}
	q.Limit = 100
	res, err := env.Search.Search(agency.WithID(context.Background(), id), q)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Approximate && res.Total != len(res.Hits) {
		t.Errorf("%q as agency %d: total %d, %d hits", q.Text, id, res.Total, len(res.Hits))
	}
	return refs(res)
}

// TestSearchPerAgency: each column's search finds its own items and the
// registry's documents, never another column's article.
// Each order runs: the exact one, the bounded one past RankAll hits (the
// titles' index, then newest first) and the sampled one past ExactMax.
func TestSearchPerAgency(t *testing.T) {
	env, stp := twoAgencies(t)
	before := openEnv(t)
	oldRank, oldExact := search.RankAll, search.ExactMax
	defer func() { search.RankAll, search.ExactMax = oldRank, oldExact }()
	for _, bounds := range [][2]int{{oldRank, oldExact}, {1, oldExact}, {1, 5}} {
		search.RankAll, search.ExactMax = bounds[0], bounds[1]
		checkPerAgency(t, env, before, stp)
	}
}

func checkPerAgency(t *testing.T, env, before *app.Env, stp int64) {
	t.Helper()
	const theirs = "article/stp-hoa-giai-co-so"
	const ours = "article/iso-9001-2015-cap-xa"
	const shared = "document/1256-qd-ubnd"
	for _, q := range []string{"cải cách hành chính", "cai cach hanh chinh", "ISO 9001", "hòa giải"} {
		for _, kind := range []string{"", "article"} {
			one := searchAs(t, env, agency.Root, search.Query{Text: q, Kind: contentKind(kind)})
			two := searchAs(t, env, stp, search.Query{Text: q, Kind: contentKind(kind)})
			if slices.Contains(one, theirs) {
				t.Errorf("%q (%s) in agency 1 finds agency 2's article: %v", q, kind, one)
			}
			for _, r := range two {
				if r != theirs && r[:len("document/")] != "document/" {
					t.Errorf("%q (%s) in agency 2 finds agency 1's %s", q, kind, r)
				}
			}
			if q == "hòa giải" && !slices.Contains(two, theirs) {
				t.Errorf("%q in agency 2 misses its own article: %v", q, two)
			}
			if q == "ISO 9001" && kind == "" && !slices.Contains(one, ours) {
				t.Errorf("%q in agency 1 misses its article: %v", q, one)
			}
		}
	}
	// Both find the shared registry's document, by number and by words.
	for _, id := range []int64{agency.Root, stp} {
		for _, q := range []string{"1256/QĐ-UBND", "1256 qd ubnd"} {
			if got := searchAs(t, env, id, search.Query{Text: q}); len(got) == 0 || got[0] != shared {
				t.Errorf("%q as agency %d: %v, want %s first", q, id, got, shared)
			}
		}
	}
	// Agency 1's answers are what they were before agency 2 had items.
	for _, q := range []string{"cải cách hành chính", "ISO 9001", "thủ tục", "đường dây nóng"} {
		want := searchAs(t, before, agency.Root, search.Query{Text: q})
		got := searchAs(t, env, agency.Root, search.Query{Text: q})
		if !slices.Equal(got, want) {
			t.Errorf("%q in agency 1 changed:\n got %v\nwant %v", q, got, want)
		}
	}
	// A province-wide search names the agencies and finds both.
	all := searchAs(t, env, agency.Root, search.Query{Text: "cải cách hành chính", Agencies: []int64{agency.Root, stp}})
	if !slices.Contains(all, theirs) || !slices.Contains(all, "document/1256-qd-ubnd") {
		t.Errorf("province-wide: %v", all)
	}
	only := searchAs(t, env, agency.Root, search.Query{Text: "cải cách hành chính", Agencies: []int64{stp}})
	if !slices.Equal(only, []string{theirs}) {
		t.Errorf("agency 2 alone: %v", only)
	}
}

func contentKind(s string) content.Kind { return content.Kind(s) }

// TestProvinceScopeNoLeak: a province-wide search finds only the agencies
// it lists, in each order (exact, bounded past RankAll, sampled past
// ExactMax): an agency left out never shows, an id no agency has finds
// nothing and adds nothing — not even when it makes the list as long as
// the agencies that have items.
func TestProvinceScopeNoLeak(t *testing.T) {
	env, stp := twoAgencies(t)
	oldRank, oldExact := search.RankAll, search.ExactMax
	defer func() { search.RankAll, search.ExactMax = oldRank, oldExact }()
	const theirs = "article/stp-hoa-giai-co-so"
	for _, bounds := range [][2]int{{oldRank, oldExact}, {1, oldExact}, {1, 5}} {
		search.RankAll, search.ExactMax = bounds[0], bounds[1]
		for _, q := range []string{"cải cách hành chính", "hòa giải", "ISO 9001", "1256/QĐ-UBND"} {
			both := searchAs(t, env, agency.Root, search.Query{Text: q, Agencies: []int64{agency.Root, stp}})
			withUnknown := searchAs(t, env, agency.Root, search.Query{Text: q, Agencies: []int64{agency.Root, stp, 999}})
			if !slices.Equal(both, withUnknown) {
				t.Errorf("%v %q: an unknown agency id changed the hits:\n%v\n%v", bounds, q, both, withUnknown)
			}
			if got := searchAs(t, env, agency.Root, search.Query{Text: q, Agencies: []int64{999}}); len(got) != 0 {
				t.Errorf("%v %q: an unknown agency alone finds %v", bounds, q, got)
			}
			for _, list := range [][]int64{{agency.Root}, {agency.Root, 999}} {
				if got := searchAs(t, env, stp, search.Query{Text: q, Agencies: list}); slices.Contains(got, theirs) {
					t.Errorf("%v %q: agency 2's article in a search of %v: %v", bounds, q, list, got)
				}
			}
			for _, r := range searchAs(t, env, agency.Root, search.Query{Text: q, Agencies: []int64{stp}}) {
				if r != theirs {
					t.Errorf("%v %q: %s in a search of agency 2 alone", bounds, q, r)
				}
			}
		}
	}
}
