package search

import (
	"context"
	"fmt"
	"math"
)

// ExactMax is the most hits a search counts exactly (a variable only so
// tests can lower it). Counting and faceting every hit costs what walking
// the match costs: at 100,000 items a word found in nearly every item
// takes 9 ms for one term and 25 ms for four, most of a search's time.
// A column of at most ExactMax items is always counted exactly (10,000
// items: every count exact); in a larger one a match estimated at more
// than ExactMax hits is counted from a sample and said as "khoảng".
var ExactMax = 20_000

// The sample: sampleStrata ranges of the indexed ids, each holding as
// many of them, and the first SamplePerStratum hits of each range. A
// stratum that has fewer hits is counted exactly; one cut at the limit is
// scaled by the ids of its range over the ids walked to its last hit.
// Ranges keep the estimate of each kind and year honest: items are
// imported kind by kind, so their ids run in blocks.
const sampleStrata = 16

// SamplePerStratum is the hits read of each range (a variable only so
// tests can make a small column sampled).
var SamplePerStratum = 256

// matchSet is the hits of a query, every one or a sample, as groups of ids
// each standing for weight hits.
type matchSet struct {
	groups []weighted
	exact  bool
}

// weighted is a group of hit ids and how many hits each stands for.
type weighted struct {
	ids    []int64
	weight float64
}

// match finds the hits of expr: every one when exact is asked, when the
// column is small or when the sample says there are at most ExactMax;
// else the sample.
func (ix *Index) match(ctx context.Context, t *metaTable, expr string, exact bool) (*matchSet, error) {
	if !exact && len(t.ids) > ExactMax {
		ranges := t.strata(sampleStrata)
		sample, err := ix.store.SearchSample(ctx, expr, ranges, SamplePerStratum)
		if err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
		ms := &matchSet{exact: true}
		estimate := 0.0
		var all []int64
		for i, ids := range sample {
			w := 1.0
			if len(ids) == SamplePerStratum {
				ms.exact = false
				walked := t.countBetween(ranges[i][0], ids[len(ids)-1])
				w = float64(t.countBetween(ranges[i][0], ranges[i][1])) / float64(max(walked, 1))
			}
			ms.groups = append(ms.groups, weighted{ids, w})
			estimate += w * float64(len(ids))
			all = append(all, ids...)
		}
		if ms.exact {
			// Every range had fewer hits than the limit: this is the whole
			// match (rowids outside the ranges are not in search_meta).
			return &matchSet{groups: []weighted{{all, 1}}, exact: true}, nil
		}
		if estimate > float64(ExactMax) {
			return ms, nil
		}
	}
	ids, err := ix.matchIDs(ctx, expr, false)
	if err != nil {
		return nil, err
	}
	return &matchSet{groups: []weighted{{ids, 1}}, exact: true}, nil
}

// approx rounds an estimated count as it is shown: to the unit below 100,
// else to two significant digits (99,320 → 99,000).
func approx(x float64) int {
	if x < 100 {
		return int(math.Round(x))
	}
	p := math.Pow(10, math.Floor(math.Log10(x))-1)
	return int(math.Round(x/p) * p)
}
