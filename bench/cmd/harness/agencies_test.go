package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"cchc/bench/corpus"
)

// TestPageURLs reads a real split tree: routed, one article, list page and
// home per agency under its prefix, each article in that agency's folder;
// not routed, as many distinct articles of the root column.
func TestPageURLs(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "content")
	if err := corpus.GenerateAgencies(dir, 150, 3, 3); err != nil {
		t.Fatal(err)
	}
	routed, err := pageURLs(dir, 3, 3, true)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"article", "list page", "home"} {
		if len(routed[name]) != 3 {
			t.Fatalf("%s: %v, want one per agency", name, routed[name])
		}
	}
	for k, u := range routed["article"] {
		slug := strings.TrimPrefix(u, agencyPrefix(k+1)+"/tin-tuc/")
		if slug == u || fileMissing(filepath.Join(agencyTree(dir, k+1), "articles", slug+".md")) {
			t.Errorf("agency %d's article %s is not in its folder", k+1, u)
		}
	}
	if routed["home"][1] != "/cq-02/" {
		t.Errorf("home of agency 2 is %s, want /cq-02/", routed["home"][1])
	}
	root, err := pageURLs(dir, 3, 3, false)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, u := range root["article"] {
		if seen[u] || strings.HasPrefix(u, "/cq-") || fileMissing(filepath.Join(dir, "articles", strings.TrimPrefix(u, "/tin-tuc/")+".md")) {
			t.Errorf("root column article %s: repeated, prefixed or not the root's", u)
		}
		seen[u] = true
	}
	if len(seen) != 3 || len(root["home"]) != 1 {
		t.Errorf("not routed: %v", root)
	}
}

func fileMissing(p string) bool {
	_, err := os.Stat(p)
	return err != nil
}

// TestAgencyMarkdown: each row is the median over rounds of each variant,
// (the mean of the middle two for an even count), the ratio b/a, and
// "no" past 1.2.
func TestAgencyMarkdown(t *testing.T) {
	o := &options{command: "go run ./bench/cmd/harness -agencies 50"}
	o.agency = agencyOptions{agencies: 50, n: 100000, rounds: 2}
	run := func(agencies, round int, wall time.Duration, p99 time.Duration) *variantRun {
		return &variantRun{agencies: agencies, round: round, load: "1, 2, 3", importWall: wall, importRSS: 100 << 20,
			pages: map[string]*wrkResult{"article": {p50: time.Millisecond, p99: p99}}, searches: map[string]*searchRun{}}
	}
	text := agencyMarkdown(o, machine{}, "4, 5, 6", []*variantRun{
		run(1, 1, 60*time.Second, 10*time.Millisecond), run(50, 1, 90*time.Second, 11*time.Millisecond),
		run(1, 2, 62*time.Second, 12*time.Millisecond), run(50, 2, 94*time.Second, 12*time.Millisecond),
	})
	for _, want := range []string{
		"| import: wall | 61.0 s [60.0 s, 62.0 s] | 92.0 s [90.0 s, 94.0 s] | 1.51 | **no** |",
		"| article (wrk): p99 | 11.0 ms [10.0 ms, 12.0 ms] | 11.5 ms [11.0 ms, 12.0 ms] | 1.05 | yes |",
		"| home (wrk): p50 | — | — | — | not measured |",
		agencyBegin, agencyEnd,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the report lacks %q:\n%s", want, text)
		}
	}
}

// TestWatch sees the start check's line in the server's log even when it
// arrives split over writes, and passes every byte on.
func TestWatch(t *testing.T) {
	var out strings.Builder
	w := newWatch(&out, "integrity check at start")
	for _, part := range []string{"time=… level=INFO msg=\"listening\"\n", "time=… msg=\"integrity ch", "eck at start: ok\" took=4.1s\n"} {
		select {
		case <-w.seen:
			t.Fatalf("seen before %q", part)
		default:
		}
		w.Write([]byte(part))
	}
	select {
	case <-w.seen:
	default:
		t.Error("the line was not seen")
	}
	w.Write([]byte("more\n"))
	if !strings.HasSuffix(out.String(), "took=4.1s\nmore\n") {
		t.Errorf("passed on %q", out.String())
	}
}
