package corpus_test

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"cchc/bench/corpus"
	"cchc/internal/config"
	"cchc/internal/content"
	"cchc/internal/testsupport"
	"cchc/internal/vntext"
)

// splitFiles reads every file of a split tree by its path with the agency
// folder (agencies/cq-KK/) taken off, and the agency (from 1) it was in.
func splitFiles(t *testing.T, dir string) (files map[string][]byte, agencyOf map[string]int) {
	t.Helper()
	files, agencyOf = map[string][]byte{}, map[string]int{}
	folder := regexp.MustCompile(`^agencies/cq-([0-9]{2})/`)
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		if filepath.Base(rel) == content.AgencyFileName {
			return nil
		}
		k := 1
		if m := folder.FindStringSubmatch(rel); m != nil {
			k = int(m[1][0]-'0')*10 + int(m[1][1]-'0')
			rel = rel[len(m[0]):]
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if _, dup := files[rel]; dup {
			t.Errorf("%s is in two agencies", rel)
		}
		files[rel], agencyOf[rel] = b, k
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files, agencyOf
}

// TestGenerateAgenciesSplit splits a tree of 60 items into 3 agencies:
// the same files as the single tree byte for byte, 20 items in each
// agency with every kind in each, the plans and the documents they cite
// with agency 1, and each agency.yaml a valid record.
func TestGenerateAgenciesSplit(t *testing.T) {
	const n, agencies = 60, 3
	single := generate(t, n, 5)
	split := filepath.Join(t.TempDir(), "content")
	if err := corpus.GenerateAgencies(split, n, agencies, 5); err != nil {
		t.Fatal(err)
	}
	want, _ := splitFiles(t, single)
	got, agencyOf := splitFiles(t, split)
	if len(got) != len(want) {
		t.Errorf("split tree has %d files, the single tree %d", len(got), len(want))
	}
	for rel, b := range want {
		if !bytes.Equal(got[rel], b) {
			t.Errorf("%s differs between the single and the split tree", rel)
		}
	}
	perAgency := map[int]int{}
	kinds := map[int]map[string]int{}
	for rel, k := range agencyOf {
		kind, _, _ := strings.Cut(rel, "/")
		if kind == "plans" {
			if k != 1 {
				t.Errorf("plan %s is in agency %d, want 1", rel, k)
			}
			continue
		}
		perAgency[k]++
		if kinds[k] == nil {
			kinds[k] = map[string]int{}
		}
		kinds[k][kind]++
	}
	for k := 1; k <= agencies; k++ {
		if perAgency[k] != n/agencies {
			t.Errorf("agency %d holds %d items, want %d", k, perAgency[k], n/agencies)
		}
		for _, kind := range []string{"articles", "procedures", "documents"} {
			if kinds[k][kind] == 0 && !(k > 1 && kind == "documents") {
				t.Errorf("agency %d has no %s: %v", k, kind, kinds[k])
			}
		}
	}
	// The plans' documents are agency 1's.
	for _, plan := range []string{"2019", "2025"} {
		b := got["plans/"+plan+".yaml"]
		m := regexp.MustCompile(`(?m)^number: (.+)$`).FindSubmatch(b)
		if m == nil {
			t.Fatalf("plans/%s.yaml has no number", plan)
		}
		found := false
		for rel, data := range got {
			if strings.HasPrefix(rel, "documents/") && regexp.MustCompile(`(?m)^number: "?`+regexp.QuoteMeta(string(m[1]))+`"?$`).Match(data) {
				found = true
				if agencyOf[rel] != 1 {
					t.Errorf("plan %s's document %s is in agency %d, want 1", plan, rel, agencyOf[rel])
				}
			}
		}
		if !found {
			t.Errorf("plan %s's document %s not found", plan, m[1])
		}
	}
	for k := 2; k <= agencies; k++ {
		slug := corpus.AgencySlug(k)
		rel := filepath.Join(split, "agencies", slug, content.AgencyFileName)
		b, err := os.ReadFile(rel)
		if err != nil {
			t.Fatal(err)
		}
		f, err := content.ParseAgencyFile(rel, slug, b)
		if err != nil {
			t.Fatalf("%s: %v", rel, err)
		}
		if f.Prefix != "/"+slug || !strings.Contains(f.Name, "thử nghiệm") {
			t.Errorf("%s: prefix %q, name %q; want /%s and a name saying test data", rel, f.Prefix, f.Name, slug)
		}
	}
	if err := corpus.GenerateAgencies(filepath.Join(t.TempDir(), "x"), n, n+1, 5); err == nil {
		t.Error("more agencies than items was accepted")
	}
}

// TestGenerateAgenciesImports imports a split tree with the real importer
// into a migrated database: every agency record and item goes in, each
// agency keeps its share, and every reference across agencies resolves
// to the one registry as in the single tree.
func TestGenerateAgenciesImports(t *testing.T) {
	const n, agencies = 60, 3
	dir := filepath.Join(t.TempDir(), "content")
	if err := corpus.GenerateAgencies(dir, n, agencies, 9); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	clock := func() time.Time { return time.Date(2026, time.June, 1, 9, 0, 0, 0, vntext.Zone) }
	env := testsupport.Open(t, config.Defaults, clock)
	res, err := env.Publish.Import(ctx, os.DirFS(dir), "content")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range res.Errors {
		t.Errorf("import error: %v", e)
	}
	years := corpus.LastYear - corpus.FirstYear + 1
	if res.Failed != 0 || res.Added < n+years {
		t.Errorf("added %d, failed %d; want at least %d added (items and plans), 0 failed", res.Added, res.Failed, n+years)
	}
	for _, w := range res.Warnings {
		if !strings.Contains(w.Msg, corpus.MissingSymbol) {
			t.Errorf("unexpected warning: %v", w)
		}
	}
	rows, err := env.DB.Read.QueryContext(ctx, `SELECT a.slug, a.prefix, count(i.id) FROM agencies a LEFT JOIN items i ON i.agency_id = a.id GROUP BY a.id ORDER BY a.id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var seen []string
	for rows.Next() {
		var slug, prefix string
		var count int
		if err := rows.Scan(&slug, &prefix, &count); err != nil {
			t.Fatal(err)
		}
		seen = append(seen, slug)
		if count != n/agencies {
			t.Errorf("agency %s (prefix %q) holds %d items, want %d", slug, prefix, count, n/agencies)
		}
		if slug != seen[0] && prefix != "/"+slug {
			t.Errorf("agency %s has prefix %q, want /%s", slug, prefix, slug)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if len(seen) != agencies || seen[1] != corpus.AgencySlug(2) || seen[2] != corpus.AgencySlug(3) {
		t.Errorf("agencies %v; want the root and %s, %s", seen, corpus.AgencySlug(2), corpus.AgencySlug(3))
	}
	var unresolved, crossing int
	missingKey := strings.ReplaceAll(corpus.MissingSymbol, "Đ", "D")
	err = env.DB.Read.QueryRowContext(ctx, `SELECT count(*) FROM item_refs WHERE state = '' AND key NOT LIKE '%/'||?`, missingKey).Scan(&unresolved)
	if err != nil {
		t.Fatal(err)
	}
	if unresolved != 0 {
		t.Errorf("%d references do not resolve", unresolved)
	}
	err = env.DB.Read.QueryRowContext(ctx, `SELECT count(*) FROM item_refs r JOIN items i ON i.id = r.item_id JOIN items d ON d.number_key = r.key WHERE i.agency_id <> d.agency_id`).Scan(&crossing)
	if err != nil {
		t.Fatal(err)
	}
	if crossing == 0 {
		t.Error("no reference crosses agencies: the registry is not shared")
	}
}
