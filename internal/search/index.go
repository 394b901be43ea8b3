package search

import (
	"context"
	"database/sql"
	"fmt"
	"runtime"
	"strings"
	"sync"

	"cchc/internal/content"
	"cchc/internal/legalref"
	"cchc/internal/store"
	"cchc/internal/vntext"
)

// doc is what the index holds of one item.
type doc struct {
	id                          int64
	kind                        content.Kind
	title, codes, summary, body string
	year                        int
	published                   int64
	areas                       string
}

// indexable reports whether it belongs in the index: published and not in
// the trash. A scheduled item is indexed; queries skip it until its time.
// Drafts, submitted and withdrawn items are not, nor an activity an
// approver has not chosen to show.
func indexable(it *store.Item) bool {
	return it.Status == store.Published && it.Deleted.IsZero() && !it.Published.IsZero() &&
		(it.Kind != content.Activity || it.Item.Public)
}

// docOf builds the index entry of it.
func docOf(it *store.Item) doc {
	d := doc{
		id: it.ID, kind: it.Kind, title: it.Title, summary: it.Summary, body: it.Text,
		published: it.Published.Unix(), year: it.Published.In(vntext.Zone).Year(),
	}
	var codes, extra []string
	switch it.Kind {
	case content.Document:
		// "Quyết định 1256/QĐ-UBND 1256/QD-UBND UBND tỉnh Quảng Ngãi": the
		// key too, so that 04-NQ/TU is found as 4-NQ/TU.
		codes = append(codes, it.Type, it.Number)
		if k, ok := legalref.Key(it.Number); ok {
			codes = append(codes, k)
		}
		codes = append(codes, it.Issuer)
		if !it.Issued.IsZero() {
			d.year = it.Issued.In(vntext.Zone).Year()
		}
		extra = append(extra, it.Field)
	case content.Procedure:
		codes = append(codes, it.Code)
		extra = append(extra, it.Field, it.Agency)
	case content.Article:
		extra = append(extra, it.Tags...)
	}
	d.codes = strings.Join(codes, " ")
	if s := strings.Join(extra, " "); strings.TrimSpace(s) != "" {
		d.summary += " \n" + s
	}
	if len(it.Areas) > 0 {
		d.areas = " " + strings.Join(it.Areas, " ") + " "
	}
	return d
}

// fold is the text stored in the index and matched against: NFC, every
// diacritic removed and đ→d (FTS5 never folds đ). A combining mark NFC
// cannot compose becomes a space, as in queries (see tokenPairs).
func fold(s string) string { return vntext.FoldNFCKeepLength(s) }

// ItemChanged keeps the index in step with it inside tx, the transaction
// that changes the item; it implements publish.Hook.
func (ix *Index) ItemChanged(ctx context.Context, tx *sql.Tx, it *store.Item) error {
	if !it.Inserted {
		if err := ix.remove(ctx, tx, it.ID); err != nil {
			return err
		}
	}
	if !indexable(it) {
		return nil
	}
	return ix.insert(ctx, tx, docOf(it))
}

func (ix *Index) remove(ctx context.Context, tx *sql.Tx, id int64) error {
	if err := ix.store.Unindex(ctx, tx, id); err != nil {
		return fmt.Errorf("search: %w", err)
	}
	ix.removed.Add(1)
	return nil
}

// compactShare is the share of the indexed items (1 in compactShare) that
// must have been removed or written again since the last compaction for
// Compact to merge the index. Below it, the merge, which rewrites the
// whole index, is not paid for a few changed items: FTS5's own merges on
// later writes reach their masked entries. Past it (a tenth of 20,000
// items rewritten by an import's link refresh: a common word's match up to
// 4.5 × as long), the merge pays back at every search after.
const compactShare = 20

// Compact merges the full-text indexes into one segment each when this
// process removed or rewrote at least 1 in compactShare of the indexed
// items since it last did (an import that updated items, or re-rendered
// those citing a document it brought), and reports whether it did. An
// import that only adds items leaves the index as its bulk mode merged it
// (store.BulkWrites: FTS5's 'merge', once, at the end). The
// import and reindex commands call it once their writes are done: it
// takes the writer in steps (store.OptimizeSearch), about 1.5–3 s in all
// at 20,000 items.
// The hits, their order and counts do not change.
func (ix *Index) Compact(ctx context.Context) (bool, error) {
	n := ix.removed.Load()
	if n == 0 {
		return false, nil
	}
	indexed, err := ix.store.SearchIndexed(ctx)
	if err != nil {
		return false, fmt.Errorf("search: compact: %w", err)
	}
	if n*compactShare < int64(indexed) {
		return false, nil
	}
	if err := ix.compact(ctx); err != nil {
		return false, err
	}
	ix.removed.Add(-n)
	return true, nil
}

func (ix *Index) compact(ctx context.Context) error {
	if err := ix.store.OptimizeSearch(ctx); err != nil {
		return fmt.Errorf("search: compact: %w", err)
	}
	return nil
}

// folded is a doc's text as the index stores it.
type folded struct{ title, codes, summary, body string }

func foldDoc(d doc) folded {
	return folded{fold(d.title), fold(d.codes), fold(d.summary), fold(d.body)}
}

func (ix *Index) insert(ctx context.Context, tx *sql.Tx, d doc) error {
	return ix.insertFolded(ctx, tx, d, foldDoc(d))
}

// Precompute folds the text of it ahead of the transaction that will write
// it (an import renders and prepares the next chunk while the writer
// stores the last one), so that ItemsChanged only writes. It implements
// publish.PreparingHook; the folded text is kept until ItemsChanged takes
// it.
func (ix *Index) Precompute(it *store.Item) {
	if indexable(it) {
		ix.prepared.Store(it, foldDoc(docOf(it)))
	}
}

// ItemsChanged is ItemChanged for many items at once (an import): the text
// is folded on every core (unless Precompute folded it already), and the
// index is written in one run of statements after the items, so FTS5
// flushes its pending terms once instead of at every statement that opens
// a savepoint (each item insert with its triggers does), which left
// thousands of tiny segments to merge.
func (ix *Index) ItemsChanged(ctx context.Context, tx *sql.Tx, items []*store.Item) error {
	docs := make([]doc, len(items))
	texts := make([]folded, len(items))
	var wg sync.WaitGroup
	next := make(chan int)
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for i := range next {
				if indexable(items[i]) {
					docs[i] = docOf(items[i])
					if f, ok := ix.prepared.LoadAndDelete(items[i]); ok {
						texts[i] = f.(folded)
					} else {
						texts[i] = foldDoc(docs[i])
					}
				}
			}
		})
	}
	for i := range items {
		next <- i
	}
	close(next)
	wg.Wait()
	// Every removal, then every row at once (store.IndexDocs writes the
	// rows of search_meta before the full-text ones, so that FTS5 flushes
	// the chunk's terms once).
	var add []*store.SearchDoc
	for i, it := range items {
		ix.prepared.Delete(it)
		if !it.Inserted {
			if err := ix.remove(ctx, tx, it.ID); err != nil {
				return err
			}
		}
		if indexable(it) {
			add = append(add, searchDoc(docs[i], texts[i]))
		}
	}
	if err := ix.store.IndexDocs(ctx, tx, add); err != nil {
		return fmt.Errorf("search: %w", err)
	}
	return nil
}

// searchDoc is the row the store writes for d, folded as f.
func searchDoc(d doc, f folded) *store.SearchDoc {
	return &store.SearchDoc{
		ID: d.id, Kind: d.kind, Title: f.title, Codes: f.codes, Summary: f.summary, Body: f.body,
		Year: d.year, Published: d.published, Areas: d.areas,
	}
}

func (ix *Index) insertFolded(ctx context.Context, tx *sql.Tx, d doc, f folded) error {
	if err := ix.store.IndexDoc(ctx, tx, searchDoc(d, f)); err != nil {
		return fmt.Errorf("search: %w", err)
	}
	return nil
}

// Rebuild empties the index and fills it again from the items, in one
// transaction, then merges it (every entry was removed and written
// again), and returns the number of items indexed.
func (ix *Index) Rebuild(ctx context.Context) (int, error) {
	n := 0
	err := ix.store.Tx(ctx, func(tx *sql.Tx) error {
		if err := ix.store.ClearIndex(ctx, tx); err != nil {
			return fmt.Errorf("search: rebuild: %w", err)
		}
		ids, err := ix.store.IndexCandidates(ctx, tx)
		if err != nil {
			return fmt.Errorf("search: rebuild: %w", err)
		}
		for _, id := range ids {
			// The writer holds the write lock for the whole transaction,
			// so the read pool sees exactly the rows tx sees. By id, of
			// every agency: the index is one (ItemByID reads one agency's).
			items, err := ix.store.ItemsByIDs(ctx, nil, []int64{id})
			if err != nil {
				return fmt.Errorf("search: rebuild: %w", err)
			}
			if len(items) == 0 {
				return fmt.Errorf("search: rebuild: item %d: %w", id, store.ErrNotFound)
			}
			it := items[0]
			if !indexable(it) {
				continue
			}
			if err := ix.insert(ctx, tx, docOf(it)); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	if err := ix.compact(ctx); err != nil {
		return 0, err
	}
	ix.removed.Store(0)
	return n, nil
}
