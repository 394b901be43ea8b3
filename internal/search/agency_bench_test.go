package search_test

import (
	"context"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"cchc/bench/corpus"
	"cchc/bench/queries"
	"cchc/internal/agency"
	"cchc/internal/config"
	"cchc/internal/search"
	"cchc/internal/testsupport"
)

// BenchmarkSearchScope measures a column's search and a province-wide
// search over the benchmark corpus (CCHC_BENCH_N items, 10,000 by
// default), first as one agency, then with every other item given to a
// second agency: the cost of the agency filter. Each sub-benchmark runs
// the corpus's own queries (bench/queries) in turn and reports their p99.
//
//	CCHC_BENCH_N=10000 go test -run '^$' -bench SearchScope -benchtime 400x ./internal/search
func BenchmarkSearchScope(b *testing.B) {
	n := 10_000
	if v, err := strconv.Atoi(os.Getenv("CCHC_BENCH_N")); err == nil && v > 0 {
		n = v
	}
	dir := b.TempDir()
	if err := corpus.Generate(dir, n, 1); err != nil {
		b.Fatal(err)
	}
	qs, err := queries.FromTree(dir, 400, 1)
	if err != nil {
		b.Fatal(err)
	}
	now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	env := testsupport.Open(b, config.Defaults, func() time.Time { return now })
	start := time.Now()
	testsupport.Import(b, env, os.DirFS(dir))
	b.Logf("%d items imported in %v", n, time.Since(start))
	ctx := context.Background()
	run := func(name string, id int64, province []int64) {
		b.Run(name, func(b *testing.B) {
			times := make([]time.Duration, 0, b.N)
			for i := range b.N {
				t0 := time.Now()
				_, err := env.Search.Search(agency.WithID(ctx, id), search.Query{Text: qs[i%len(qs)].Text, Now: now, Agencies: province})
				if err != nil {
					b.Fatal(err)
				}
				times = append(times, time.Since(t0))
			}
			slices.Sort(times)
			b.ReportMetric(float64(times[len(times)*99/100].Microseconds())/1000, "p99-ms")
		})
	}
	run("one-agency", agency.Root, nil)
	two := testsupport.AddAgency(b, env, agency.Agency{Slug: "so-tu-phap", Name: "Sở Tư pháp", ShortName: "Sở Tư pháp", Prefix: "/so-tu-phap"})
	if _, err := env.DB.Write.ExecContext(ctx, `UPDATE items SET agency_id = ? WHERE id % 2 = 0`, two); err != nil {
		b.Fatal(err)
	}
	if _, err := env.Search.Rebuild(ctx); err != nil {
		b.Fatal(err)
	}
	// The first run after the rebuild reads a cold index: a warm-up
	// whose figures are not the comparison's.
	run("warm-up", agency.Root, nil)
	run("root-of-two", agency.Root, nil)
	run("second-of-two", two, nil)
	run("province", agency.Root, []int64{agency.Root, two})
	run("one-of-two-listed", agency.Root, []int64{two})
}
