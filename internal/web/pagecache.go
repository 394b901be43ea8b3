package web

import (
	"container/list"
	"net/http"
	"sync"
	"time"
)

// PageCache keeps finished public responses in memory, keyed by path and
// query, with their gzipped form made once. It is bounded by bytes (least
// recently used out first) and emptied whenever public content changes:
// after every committed write of this process that moved the site version
// (Invalidate, wired to the database's AfterPublicChange hook — an audit
// row or a session does not count), when another process's write moves
// the site version, when a scheduled publication falls due, and when the
// day changes (documents come into force or expire by date).
type PageCache struct {
	maxBytes int64
	now      func() time.Time

	mu    sync.Mutex
	size  int64
	order *list.List // front: most recently used
	pages map[string]*list.Element
	gen   uint64 // bumped by Invalidate; pages of older generations are stale

	// Watched state, under mu.
	version int64
	next    time.Time // next scheduled publication; zero when none
	day     string

	hits, misses uint64
	// rendering holds, for each key being rendered after a miss, a channel
	// closed when it is done: the other requests for it wait instead of
	// rendering it again (after a publish, every request is a miss).
	rendering map[string]chan struct{}
}

// cachedPage is one finished 200 response.
type cachedPage struct {
	key          string
	gen          uint64
	header       http.Header // what the handler set (not the security headers)
	body, gz     []byte
	tag, gzTag   string
	lastModified string
}

func (p *cachedPage) size() int64 { return int64(len(p.key)+len(p.body)+len(p.gz)) + 512 }

// NewPageCache returns a cache holding at most maxBytes of pages.
func NewPageCache(maxBytes int64, now func() time.Time) *PageCache {
	if now == nil {
		now = time.Now
	}
	return &PageCache{maxBytes: maxBytes, now: now, order: list.New(), pages: map[string]*list.Element{}, rendering: map[string]chan struct{}{}}
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
	clear(pc.pages)
	pc.size = 0
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
	if !pc.next.IsZero() && !pc.now().Before(pc.next) {
		// A scheduled item fell due since the last poll.
		pc.dropAll()
		pc.next = time.Time{}
	}
	el, ok := pc.pages[key]
	if !ok {
		pc.misses++
		return nil, pc.gen
	}
	pc.hits++
	pc.order.MoveToFront(el)
	return el.Value.(*cachedPage), pc.gen
}

// put stores p unless the cache was invalidated since the request began
// (gen), which would store a page rendered from old content.
func (pc *PageCache) put(p *cachedPage, gen uint64) {
	if p.size() > pc.maxBytes/8 {
		return
	}
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if gen != pc.gen {
		return
	}
	p.gen = gen
	if el, ok := pc.pages[p.key]; ok {
		pc.size -= el.Value.(*cachedPage).size()
		pc.order.Remove(el)
	}
	pc.pages[p.key] = pc.order.PushFront(p)
	pc.size += p.size()
	for pc.size > pc.maxBytes {
		last := pc.order.Back()
		old := last.Value.(*cachedPage)
		pc.order.Remove(last)
		delete(pc.pages, old.key)
		pc.size -= old.size()
	}
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
