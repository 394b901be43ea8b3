package web

import (
	"container/list"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"time"
)

// PageCache keeps finished public responses in memory, keyed by path and
// query, with their gzipped form made once. It is bounded by bytes (least
// recently used out first, pages asked for again after the others), and
// pages whose key has a query string hold at most a quarter of them (see
// put), and it is emptied whenever public content changes:
// after every committed write of this process that moved the site version
// (Invalidate, wired to the database's AfterPublicChange hook — an audit
// row or a session does not count), when another process's write moves
// the site version, when a scheduled publication falls due, and when the
// day changes (documents come into force or expire by date).
type PageCache struct {
	maxBytes int64
	now      func() time.Time

	mu    sync.Mutex
	size  int64      // bytes held in all
	order *list.List // pages of a bare path asked for once; front: most recently used
	// kept holds the pages of a bare path asked for again since they
	// were stored, ksize their bytes (part of size): see get and put.
	kept  *list.List
	ksize int64
	// queried holds the pages whose key has a query string, qsize their
	// bytes (part of size).
	queried *list.List
	qsize   int64
	pages   map[string]*list.Element
	gen     uint64 // bumped by Invalidate; pages of older generations are stale

	// Watched state, under mu.
	version int64
	next    time.Time // next scheduled publication; zero when none
	day     string

	hits, misses uint64
	// rendering holds, for each key being rendered after a miss, a channel
	// closed when it is done: the other requests for it wait instead of
	// rendering it again (after a publish, every request is a miss).
	rendering map[string]chan struct{}
	// renders holds a token for each public response being made now (see
	// CachePages): what one render allocates (a feed, some 2 MB) times the
	// requests sent together would otherwise bound nothing.
	renders *Turns
	// queryRenders holds a token for each response to a URL with a query
	// string being made now, at most half of renders (turn): searches and
	// filters, which anyone can vary without end and which cost most to
	// make, never hold every turn, so a page of the column is made at once
	// during a burst of them.
	queryRenders *Turns

	// derived holds values computed from public content that several
	// pages share (Derived), dropped with the pages: every value in it
	// was kept in the current generation.
	derived map[string]any
}

// maxDerived bounds the values Derived keeps: a directory's facet counts
// are a few kilobytes, one for each combination of filters asked for, and
// an outsider can ask for any number of those. Past it they are all
// dropped (computing them again costs what it did the first time).
const maxDerived = 256

// RendersAtOnce is how many public responses CachePages lets be made at
// once: the machine's cores twice over (at least 4) keep them all busy; a
// request past it waits for a turn (bounded by its own context), holding
// only its goroutine.
func RendersAtOnce() int { return max(4, 2*runtime.GOMAXPROCS(0)) }

// cachedPage is one finished response: a 200, or a 404 (a page past the
// end of a list costs as much to find out as a page).
type cachedPage struct {
	key          string
	status       int // http.StatusOK or http.StatusNotFound
	gen          uint64
	kept         bool        // asked for again since it was stored (PageCache.kept)
	stored       time.Time   // when put stored it (PageCache.now)
	header       http.Header // what the handler set (not the security headers)
	body, gz     []byte      // body is nil when only gz is kept (plainKeptUpTo)
	plainLen     int         // the length of the plain body
	tag, gzTag   string
	lastModified string
}

func (p *cachedPage) size() int64 { return int64(len(p.key)+len(p.body)+len(p.gz)) + 512 }

// hasQuery reports whether the page is one anyone can make up: its key
// carries a query string, or it is not found (/tin-tuc/x1, /tin-tuc/x2, …
// cost nothing to send). Those share a quarter of the cache (see put).
func (p *cachedPage) hasQuery() bool {
	return p.status != http.StatusOK || strings.IndexByte(p.key, '?') >= 0
}

// queryShare is the part of the cache's bytes the pages with a query
// string may hold.
const queryShare = 4 // one quarter

// NewPageCache returns a cache holding at most maxBytes of pages.
func NewPageCache(maxBytes int64, now func() time.Time) *PageCache {
	if now == nil {
		now = time.Now
	}
	return &PageCache{maxBytes: maxBytes, now: now, order: list.New(), kept: list.New(), queried: list.New(), pages: map[string]*list.Element{},
		rendering: map[string]chan struct{}{}, renders: NewTurns(RendersAtOnce()),
		queryRenders: NewTurns(max(1, RendersAtOnce()/2)), derived: map[string]any{}}
}

// Invalidate drops every page.
func (pc *PageCache) Invalidate() {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	pc.dropAll()
}

func (pc *PageCache) dropAll() {
	pc.gen++
	pc.order.Init()
	pc.kept.Init()
	pc.queried.Init()
	clear(pc.pages)
	clear(pc.derived)
	pc.size, pc.qsize, pc.ksize = 0, 0, 0
}

// Watch records the site's state (version counter, next scheduled
// publication, today's date) and drops every page when it moved or a
// scheduled time has passed. A poller calls it a few times a second.
func (pc *PageCache) Watch(version int64, next time.Time, day string) {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	now := pc.now()
	stale := version != pc.version || day != pc.day || (!pc.next.IsZero() && !now.Before(pc.next))
	pc.version, pc.next, pc.day = version, next, day
	if stale {
		pc.dropAll()
	}
}

// Generation is the generation of the pages now, the one to give Derived
// and KeepDerived (and the pages are dropped first when a scheduled item
// fell due since the last poll). Ask it before reading the clock for the
// value: a value computed from a clock read before the pages were last
// dropped (a scheduled publication, midnight) must not be kept as
// current. A nil cache is always at generation 0.
func (pc *PageCache) Generation() uint64 {
	if pc == nil {
		return 0
	}
	pc.mu.Lock()
	defer pc.mu.Unlock()
	pc.dropIfDue()
	return pc.gen
}

// Derived returns the value KeepDerived kept for key in generation gen,
// nil when there is none or the pages were dropped since. Values computed
// from public content that several pages share — a directory's facet
// counts, the same on each of its pages — are kept here so that a walk of
// those pages computes them once, and are dropped whenever the pages are.
// A nil cache keeps nothing. In a process with no poller (Watch), as in
// build-static, a scheduled time or a new day does not drop them, nor
// the pages.
func (pc *PageCache) Derived(key string, gen uint64) any {
	if pc == nil {
		return nil
	}
	pc.mu.Lock()
	defer pc.mu.Unlock()
	pc.dropIfDue()
	if gen != pc.gen {
		return nil
	}
	return pc.derived[key]
}

// KeepDerived keeps v for key, computed in generation gen (Generation,
// asked before the value was computed): a value computed while the pages
// were dropped is not kept.
func (pc *PageCache) KeepDerived(key string, v any, gen uint64) {
	if pc == nil {
		return
	}
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if gen != pc.gen {
		return
	}
	if len(pc.derived) >= maxDerived {
		clear(pc.derived)
	}
	pc.derived[key] = v
}

// Derive returns the value of type T kept for key in generation gen
// (Derived), or computes it and keeps it (KeepDerived): the one way the
// site asks for a value its pages share. gen is Generation, asked before
// compute reads the clock.
func Derive[T any](pc *PageCache, key string, gen uint64, compute func() (T, error)) (T, error) {
	if v, ok := pc.Derived(key, gen).(T); ok {
		return v, nil
	}
	v, err := compute()
	if err != nil {
		return v, err
	}
	pc.KeepDerived(key, v, gen)
	return v, nil
}

// Stats returns the number of hits and misses so far and the bytes held.
func (pc *PageCache) Stats() (hits, misses uint64, size int64) {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	return pc.hits, pc.misses, pc.size
}

// get returns the page for key, or nil.
func (pc *PageCache) get(key string) (*cachedPage, uint64) {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	pc.dropIfDue()
	el, ok := pc.pages[key]
	if !ok {
		pc.misses++
		return nil, pc.gen
	}
	pc.hits++
	p := el.Value.(*cachedPage)
	if p.hasQuery() || p.kept || pc.now().Before(p.stored.Add(askedAgainAfter)) {
		pc.list(p).MoveToFront(el)
		return p, pc.gen
	}
	// Asked for again: among the pages kept longer (see put), the least
	// recently used of them going back among the others past their share.
	pc.order.Remove(el)
	p.kept = true
	pc.pages[key] = pc.kept.PushFront(p)
	pc.ksize += p.size()
	for pc.ksize > pc.maxBytes/2 {
		back := pc.kept.Back()
		old := back.Value.(*cachedPage)
		pc.kept.Remove(back)
		pc.ksize -= old.size()
		old.kept = false
		pc.pages[old.key] = pc.order.PushFront(old)
	}
	return p, pc.gen
}

// dropIfDue drops every page when a scheduled item fell due since the
// last poll (Watch). Under mu.
func (pc *PageCache) dropIfDue() {
	if !pc.next.IsZero() && !pc.now().Before(pc.next) {
		pc.dropAll()
		pc.next = time.Time{}
	}
}

// askedAgainAfter is how long after it was stored a page must be asked
// for again to be kept longer (see put): a crawler's HEAD then GET of the
// same page, or a request that waited while another rendered it, comes
// within it, a reader coming back does not.
const askedAgainAfter = 2 * time.Second

// list is the list p belongs to.
func (pc *PageCache) list(p *cachedPage) *list.List {
	switch {
	case p.hasQuery():
		return pc.queried
	case p.kept:
		return pc.kept
	}
	return pc.order
}

// put stores p unless the cache was invalidated since the request began
// (gen), which would store a page rendered from old content.
//
// Anyone can make up query strings that the handlers ignore (?x=1,
// ?x=2, …), each a page of its own: were they ranked with the rest, a
// few hundred would push every page of the site out. So pages with a
// query string (searches, page numbers, filters, and made-up ones) are
// kept apart and evict each other past a quarter of the bytes, while the
// pages of bare paths, as many as the site has, keep the rest.
//
// The pages of bare paths asked for once (the next page a crawler walks
// to) evict each other before any page asked for again since it was
// stored (the home page, the directories, the sitemap, which people and
// robots come back to): those are kept in their own list, at most half
// of the bytes, and go only when the pages asked for once are gone. A
// crawl of 2,500 item pages at 100,000 items used to push every one of
// them out (least recently used first), and each was made again at its
// next request, the sitemap's parts a second or two.
//
// A page is kept whatever its size, provided it fits in the share it goes
// into (half of the cache for the site's own pages, so that one page
// never empties it): a cap per page would leave out exactly the answers
// that cost most to make (a sitemap of 50,000 URLs, a feed of 1,000
// entries).
func (pc *PageCache) put(p *cachedPage, gen uint64) {
	share := pc.maxBytes / 2
	if p.hasQuery() {
		share = pc.maxBytes / queryShare
	}
	if p.size() > share {
		return
	}
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if gen != pc.gen {
		return
	}
	p.gen = gen
	p.stored = pc.now()
	if el, ok := pc.pages[p.key]; ok {
		pc.remove(el)
	}
	self := pc.list(p).PushFront(p)
	pc.pages[p.key] = self
	pc.size += p.size()
	if p.hasQuery() {
		pc.qsize += p.size()
	}
	for pc.qsize > pc.maxBytes/queryShare {
		pc.remove(pc.queried.Back())
	}
	// The page just stored goes last: with the pages asked for again
	// holding half the bytes and queries a quarter, a page larger than
	// what is left would otherwise push out every page asked for once,
	// then itself, and never be asked for again from the cache.
	for pc.size > pc.maxBytes {
		last := pc.order.Back()
		if last == self {
			last = nil
		}
		if last == nil {
			last = pc.kept.Back()
		}
		if last == nil {
			last = pc.queried.Back()
		}
		if last == nil {
			last = self
		}
		pc.remove(last)
	}
}

// remove drops the page of el.
func (pc *PageCache) remove(el *list.Element) {
	old := el.Value.(*cachedPage)
	pc.list(old).Remove(el)
	delete(pc.pages, old.key)
	pc.size -= old.size()
	if old.hasQuery() {
		pc.qsize -= old.size()
	}
	if old.kept {
		pc.ksize -= old.size()
	}
}

// turn waits for a turn to render (or for done to close, giving false)
// and returns the function that gives it back (once, however often it is
// called). A response to a URL with a query string (query) first waits
// for one of the turns kept for those, which are half of all.
func (pc *PageCache) turn(done <-chan struct{}, query bool) (func(), bool) {
	releaseQuery := func() {}
	if query {
		r, ok := pc.queryRenders.Take(done)
		if !ok {
			return nil, false
		}
		releaseQuery = r
	}
	release, ok := pc.renders.Take(done)
	if !ok {
		releaseQuery()
		return nil, false
	}
	var once sync.Once
	return func() { once.Do(func() { release(); releaseQuery() }) }, true
}

// claim makes the caller the one to render key, returning done to call
// when the page is stored (or not); when another request is rendering it
// already, claim returns that request's channel to wait on instead.
func (pc *PageCache) claim(key string) (wait <-chan struct{}, done func()) {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if ch, ok := pc.rendering[key]; ok {
		return ch, nil
	}
	ch := make(chan struct{})
	pc.rendering[key] = ch
	return nil, func() {
		pc.mu.Lock()
		delete(pc.rendering, key)
		pc.mu.Unlock()
		close(ch)
	}
}
