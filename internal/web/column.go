package web

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"cchc/internal/agency"
)

// A column is one agency's public site (issue 20, point 1). The root
// column answers at today's addresses; another agency's column answers
// under its path prefix (/so-tu-phap/…) or at its own host. The routes
// are the same for every column: Front resolves the column before
// routing, cuts the prefix off the path, and the pages are written as
// the root column's are; Rewrite then adds the prefix (or the host) back
// to every URL the page carries that addresses a page of the column.
// The root column's requests pass through untouched: its bytes, cache
// keys and ETags are today's.

// Column is the column a request addressed.
type Column struct {
	// Agency is the agency whose column it is.
	Agency agency.Agency
	// Prefix is the path prefix the request came under and its pages'
	// links carry ("/so-tu-phap"); "" for the root column and a host's.
	Prefix string
	// Host is the host the request named when it chose the column by
	// its Host header; "" otherwise.
	Host string
	// from is the public base of absolute URLs (config.PublicBase), to
	// the column's own: from + Prefix, or the scheme of from and Host.
	from, to string
	// fromS is from and a slash; fromQ and toQ are from and to
	// query-escaped, as share links carry them, fromQ with its escaped
	// slash ("%2F").
	fromS, fromQ, toQ string
	// keep reports, for the path of a document's page (/van-ban/SLUG),
	// whether it is the shared registry's and so stays at the root
	// column's address; nil keeps every one there.
	keep func(docs []string) map[string]bool
}

// Root reports whether c is the root column (or c is nil): nothing to
// rewrite, today's addresses.
func (c *Column) Root() bool { return c == nil || (c.Prefix == "" && c.Host == "") }

// cacheKey is what the page cache puts before a path to keep the columns'
// pages apart: "" for the root column (its keys are today's), the prefix
// (so the key is the path the request named), or "//host".
func (c *Column) cacheKey() string {
	switch {
	case c.Root():
		return ""
	case c.Host != "":
		return "//" + c.Host
	}
	return c.Prefix
}

type columnKey struct{}

// WithColumn returns a copy of ctx carrying col and acting for its agency
// (agency.WithID).
func WithColumn(ctx context.Context, col *Column) context.Context {
	return agency.WithID(context.WithValue(ctx, columnKey{}, col), col.Agency.ID)
}

// ColumnFrom returns the column the request of ctx addressed; nil when
// none was resolved (a test's engine without a Front, a command): the
// root column.
func ColumnFrom(ctx context.Context) *Column {
	c, _ := ctx.Value(columnKey{}).(*Column)
	return c
}

// Columns resolves requests to columns from the agencies the store
// holds, read once and again only after a change (Invalidate, Watch).
type Columns struct {
	load func(ctx context.Context) ([]agency.Agency, error)
	log  *slog.Logger
	base string // config.PublicBase, without a trailing slash
	keep func(ctx context.Context, agencyID int64, docs []string) (map[string]bool, error)

	table   atomic.Pointer[columnTable]
	stale   atomic.Bool
	version atomic.Int64
	mu      sync.Mutex // one reload at a time
}

// columnTable is the agencies as the resolver looks them up.
type columnTable struct {
	root     *Column
	byPrefix map[string]*Column // "/so-tu-phap"
	byHost   map[string]*Column // "stp.quangngai.gov.vn"
}

// NewColumns returns a resolver reading the agencies with load (the
// store's Agencies) and writing absolute URLs from base. own, when not
// nil, says which of the documents' slugs an agency keeps itself: their
// pages take its prefix, the others stay the shared registry's.
func NewColumns(load func(ctx context.Context) ([]agency.Agency, error), base string, log *slog.Logger,
	own func(ctx context.Context, agencyID int64, docs []string) (map[string]bool, error)) *Columns {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	cs := &Columns{load: load, log: log, base: strings.TrimRight(base, "/"), keep: own}
	cs.stale.Store(true)
	return cs
}

// Invalidate makes the next request read the agencies again. The
// database's AfterPublicChange calls it: a change to an agency moves the
// site version (migration 0190).
func (cs *Columns) Invalidate() { cs.stale.Store(true) }

// Watch makes the next request read the agencies again when the site
// version moved (another process's write); serve's poller calls it.
func (cs *Columns) Watch(version int64) {
	if cs.version.Swap(version) != version {
		cs.stale.Store(true)
	}
}

// current is the table, read again first when stale. When the store
// cannot be read the last table stays (or, before any, the root column
// alone answers): a request is served as the root column rather than
// not at all.
func (cs *Columns) current(ctx context.Context) *columnTable {
	if t := cs.table.Load(); t != nil && !cs.stale.Load() {
		return t
	}
	cs.mu.Lock()
	defer cs.mu.Unlock()
	if t := cs.table.Load(); t != nil && !cs.stale.Load() {
		return t
	}
	cs.stale.Store(false)
	list, err := cs.load(context.WithoutCancel(ctx))
	if err != nil {
		cs.stale.Store(true)
		cs.log.Warn("columns: agencies", slog.Any("err", err))
		if t := cs.table.Load(); t != nil {
			return t
		}
		return &columnTable{root: &Column{Agency: agency.Agency{ID: agency.Root}}}
	}
	t := cs.build(list)
	cs.table.Store(t)
	return t
}

// build indexes list.
func (cs *Columns) build(list []agency.Agency) *columnTable {
	t := &columnTable{byPrefix: map[string]*Column{}, byHost: map[string]*Column{}}
	scheme := "http"
	if u, err := url.Parse(cs.base); err == nil && u.Scheme != "" {
		scheme = u.Scheme
	}
	for _, a := range list {
		if a.IsRoot() && t.root == nil {
			t.root = &Column{Agency: a}
		}
		if a.Prefix != "" {
			t.byPrefix[a.Prefix] = cs.column(a, a.Prefix, "", cs.base+a.Prefix)
		}
		if a.Host != "" {
			t.byHost[a.Host] = cs.column(a, "", a.Host, scheme+"://"+a.Host)
		}
	}
	if t.root == nil {
		t.root = &Column{Agency: agency.Agency{ID: agency.Root}}
		for _, a := range list {
			if a.ID == agency.Root {
				t.root.Agency = a
			}
		}
	}
	return t
}

// column is a's column under prefix or at host, its absolute URLs at to.
func (cs *Columns) column(a agency.Agency, prefix, host, to string) *Column {
	c := &Column{Agency: a, Prefix: prefix, Host: host, from: cs.base, to: to, keep: cs.keeper(a.ID)}
	if cs.base != "" {
		c.fromS, c.fromQ, c.toQ = cs.base+"/", url.QueryEscape(cs.base+"/"), url.QueryEscape(to)
	}
	return c
}

// keeper is the keep function of agency id's column.
func (cs *Columns) keeper(id int64) func(docs []string) map[string]bool {
	if cs.keep == nil {
		return nil
	}
	return func(docs []string) map[string]bool {
		own, err := cs.keep(context.Background(), id, docs)
		if err != nil {
			cs.log.Warn("columns: own documents", slog.Int64("agency", id), slog.Any("err", err))
			return nil
		}
		return own
	}
}

// Href is where a page of the column ctx addressed links to path (a
// root-column path, "/tin-tuc/x") of agency id's column — an item another
// agency keeps, in a list across agencies (a document's "cited by"):
//
//   - the same agency's: path, which Rewrite moves into the column;
//   - a host column's: the absolute URL at its host;
//   - a prefixed column's: its prefix and path, which Rewrite leaves;
//   - the root column's, from another column: the root's host and path
//     without a scheme ("//cchc.example.gov.vn/tin-tuc/x"), which Rewrite
//     leaves (the absolute URL would be moved into the column); from a
//     host column, a prefixed column's path starts so too.
//
// An agency it does not know (or no resolver) gets path.
func (cs *Columns) Href(ctx context.Context, id int64, path string) string {
	if cs == nil {
		return path
	}
	cur, curID := ColumnFrom(ctx), agency.Root
	if cur != nil {
		curID = cur.Agency.ID
	}
	if curID == id {
		return path
	}
	t := cs.current(ctx)
	rootRef := ""
	if u, err := url.Parse(cs.base); err == nil && u.Host != "" {
		rootRef = "//" + u.Host + strings.TrimRight(u.Path, "/")
	}
	host, prefixed := t.of(id)
	switch {
	case host != nil:
		return host.to + path
	case prefixed != nil && cur != nil && cur.Host != "":
		return rootRef + prefixed.Prefix + path
	case prefixed != nil:
		return prefixed.Prefix + path
	}
	if t.root.Agency.ID == id && !cur.Root() {
		return rootRef + path
	}
	return path
}

// Canonical is the absolute URL of path (a root-column path,
// "/van-ban/x") in agency id's column, for a page of the column ctx
// addressed, when that is not the address the page's own column would
// give it (Rewrite):
//
//   - an item another agency keeps: the one address of a document of the
//     shared registry, which answers under every column, is that of the
//     column whose agency keeps it;
//   - a page of an agency with both a prefix and a host, addressed under
//     its prefix: the host is its address (as the static mirror and
//     robots.txt take it), so each page names one.
//
// ok is false when the address the column gives is the one, or no public
// base is known (no page then names one).
func (cs *Columns) Canonical(ctx context.Context, id int64, path string) (u string, ok bool) {
	if cs == nil || cs.base == "" {
		return "", false
	}
	cur := ColumnFrom(ctx)
	curID := agency.Root
	if cur != nil {
		curID = cur.Agency.ID
	}
	host, prefixed := cs.current(ctx).of(id)
	switch {
	case curID == id && host != nil && cur != nil && cur.Prefix != "":
		return host.to + path, true
	case curID == id:
		return "", false
	case host != nil:
		return host.to + path, true
	case prefixed != nil:
		return prefixed.to + path, true
	}
	return cs.base + path, true
}

// of is agency id's column at its host and under its prefix, nil for the
// one it does not have.
func (t *columnTable) of(id int64) (host, prefixed *Column) {
	for _, c := range t.byHost {
		if c.Agency.ID == id {
			host = c
		}
	}
	for _, c := range t.byPrefix {
		if c.Agency.ID == id {
			prefixed = c
		}
	}
	return host, prefixed
}

// root is the root column.
func (cs *Columns) root(ctx context.Context) *Column { return cs.current(ctx).root }

// HasHost reports whether name (a normalized host without its port) is
// an agency's host: Front admits it besides --allowed-hosts.
func (cs *Columns) HasHost(ctx context.Context, name string) bool {
	_, ok := cs.current(ctx).byHost[name]
	return ok
}

// Resolve picks the column of a request for path whose Host is name
// (normalized, without its port): the agency that has that host, else
// the agency whose prefix is path's first segment, else the root column.
// cut is true when the prefix is to be cut off, rest being the path left
// ("/" at least); it is false for the path that is the prefix alone
// (Front redirects it to the prefix and a slash) and for a path a column
// does not answer under its prefix (the workspace, the assets: those
// keep their path and meet the 404 page).
func (cs *Columns) Resolve(ctx context.Context, name, path string) (col *Column, rest string, cut bool) {
	t := cs.current(ctx)
	if c, ok := t.byHost[name]; ok {
		return c, path, false
	}
	if len(path) > 1 {
		seg, after, slash := strings.Cut(path[1:], "/")
		if c, ok := t.byPrefix["/"+seg]; ok {
			first, _, _ := strings.Cut(after, "/")
			if !slash || !agency.InColumn(first) {
				return c, path, false
			}
			return c, "/" + after, true
		}
	}
	return t.root, path, false
}

// columnWriter wraps a response writer so that a redirect of a prefixed or host column's
// request leads into the same column: its Location is rewritten as the
// body's links are (gin's trailing-slash redirects write it before any
// handler runs).
type columnWriter struct {
	http.ResponseWriter
	col *Column
	// proxied is a trusted proxy's prefix and the column's
	// ("/cchc/so-tu-phap") when a proxy sent one: gin's trailing-slash
	// redirect then writes a Location already in the column.
	proxied string
}

// WriteHeader moves the Location into the column, then sends the status.
func (w columnWriter) WriteHeader(code int) {
	if loc := w.Header().Get("Location"); loc != "" && (w.proxied == "" || !strings.HasPrefix(loc, w.proxied+"/")) {
		w.Header().Set("Location", w.col.RewriteString(loc))
	}
	w.ResponseWriter.WriteHeader(code)
}

// Flush passes a flush on.
func (w columnWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap is the writer underneath, for http.ResponseController.
func (w columnWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// RewriteString is Rewrite of one URL.
func (c *Column) RewriteString(u string) string {
	if c.Root() {
		return u
	}
	out := c.Rewrite([]byte(`"` + u + `"`))
	return string(out[1 : len(out)-1])
}

// rewritable reports whether a body of contentType carries links to
// rewrite: pages, feeds, the sitemap, robots.txt, JSON.
func rewritable(contentType string) bool {
	ct, _, _ := strings.Cut(contentType, ";")
	ct = strings.ToLower(strings.TrimSpace(ct))
	return strings.HasPrefix(ct, "text/html") || strings.HasPrefix(ct, "text/plain") || strings.HasSuffix(ct, "xml") ||
		strings.HasSuffix(ct, "json")
}

// Rewrite returns body with every URL that addresses a page of a column
// moved into c: a path-absolute one ("/tin-tuc/…" in quotes, as
// attributes and JSON write them) gets c's prefix, an absolute one
// (config.PublicBase followed by such a path, as feeds, the sitemap,
// robots.txt, canonical links and share links write them, plain or
// query-escaped) c's base. What every column shares stays: the assets,
// stored files, the workspace and the reports (agency.Shared), another
// column's prefix, and the pages of documents (/van-ban/SLUG) that the
// shared registry keeps — unless c's agency keeps them itself — which a
// host column's pages link to at the root column's absolute address.
// The root column's body is returned as it is.
func (c *Column) Rewrite(body []byte) []byte {
	return c.rewrite(body, false)
}

// RewriteFor rewrites body as Rewrite does, reading it as its
// contentType says: in JSON a string is in double quotes only, and a
// quote after a backslash is text in one, so a search feed's title
// quoting a query that starts with a path ('/tin-tuc/…) says what was
// typed.
func (c *Column) RewriteFor(contentType string, body []byte) []byte {
	ct, _, _ := strings.Cut(contentType, ";")
	return c.rewrite(body, strings.HasSuffix(strings.ToLower(strings.TrimSpace(ct)), "json"))
}

func (c *Column) rewrite(body []byte, json bool) []byte {
	if c.Root() {
		return body
	}
	r := rewriter{col: c, body: body, json: json}
	if c.keep != nil {
		r.own = c.keep(r.documents())
	}
	return r.run()
}

// rewriter moves the URLs of one body into a column.
type rewriter struct {
	col  *Column
	body []byte
	own  map[string]bool
	json bool // body is JSON (RewriteFor)
}

// A URL is written in a body in one of three forms: a quote and a path
// ("/tin-tuc/…", as attributes and JSON write them), the public base
// and a path (feeds, the sitemap, robots.txt, canonical links), or the
// same query-escaped (share links).
const (
	formPath = iota
	formBase
	formEscaped
)

// at matches the URL start at i: n is the length of what comes before
// the path's slash, slash how a slash is written in that form.
func (r *rewriter) at(i int) (form, n int, slash string, ok bool) {
	b := r.body
	switch b[i] {
	case '"', '\'':
		if r.json && (b[i] == '\'' || i > 0 && b[i-1] == '\\') {
			return 0, 0, "", false // text inside a JSON string
		}
		if i+1 < len(b) && b[i+1] == '/' {
			return formPath, 1, "/", true
		}
	case 'h':
		if r.col.fromS == "" {
			return 0, 0, "", false
		}
		if hasAt(b, i, r.col.fromS) {
			return formBase, len(r.col.fromS) - 1, "/", true
		}
		if hasAt(b, i, r.col.fromQ) {
			return formEscaped, len(r.col.fromQ) - 3, "%2F", true
		}
	}
	return 0, 0, "", false
}

func hasAt(b []byte, i int, s string) bool {
	return len(b)-i >= len(s) && string(b[i:i+len(s)]) == s
}

// replacement is what a URL of form and class starts with in c's pages
// instead of what it started with; ok is false when it stays as it is.
// A prefixed column puts its prefix before its own pages' paths and its
// base before their absolute URLs; a host column, whose paths are the
// root column's, changes only the absolute URLs of its pages to its host
// and makes the shared registry's documents, which its host does not
// keep, absolute URLs of the root column.
func (c *Column) replacement(form int, class linkClass) (to string, ok bool) {
	switch {
	case class == linkColumn && form == formBase:
		return c.to, true
	case class == linkColumn && form == formEscaped:
		return c.toQ, true
	case class == linkColumn && form == formPath && c.Prefix != "":
		return c.Prefix, true
	case class == linkRegistry && form == formPath && c.Prefix == "":
		return c.from, true
	}
	return "", false
}

// run copies the body, rewriting each URL that moves.
func (r *rewriter) run() []byte {
	b := r.body
	out := make([]byte, 0, len(b)+len(b)/16)
	last := 0
	for i := 0; i < len(b); i++ {
		form, n, slash, ok := r.at(i)
		if !ok {
			continue
		}
		path := i + n // at the slash
		to, ok := r.col.replacement(form, r.class(path, slash))
		if !ok {
			i = path + len(slash) - 1
			continue
		}
		if form == formPath {
			out = append(out, b[last:path]...) // the quote stays
		} else {
			out = append(out, b[last:i]...)
		}
		out = append(out, to...)
		last = path
		i = path + len(slash) - 1
	}
	return append(out, b[last:]...)
}

// segment is the first path segment at b[i:] (just past its slash) and
// what follows it: the segment ends at a slash, a query, a fragment, a
// quote or anything that cannot be in a path.
func segment(b []byte, i int, slash string) (seg string, end int) {
	j := i
	for j < len(b) {
		c := b[j]
		if c == '/' || c == '?' || c == '#' || c == '"' || c == '\'' || c == '<' || c == '>' || c == '\\' ||
			c == '&' || c <= ' ' || hasAt(b, j, slash) || (slash != "/" && c == '%') {
			break
		}
		j++
	}
	return string(b[i:j]), j
}

// linkClass is what a URL addresses.
type linkClass int

const (
	linkOther    linkClass = iota // what every column shares, another site or column
	linkColumn                    // a page of the column
	linkRegistry                  // a page only the root column answers: the shared registry's documents, the province's pages
)

// class is what the URL whose slash is at b[p:] addresses.
func (r *rewriter) class(p int, slash string) linkClass {
	b := r.body
	i := p + len(slash)
	if slash == "/" && i < len(b) && b[i] == '/' {
		return linkOther // "//host…": another site
	}
	seg, end := segment(b, i, slash)
	if slices.Contains(agency.RootOnly, seg) {
		return linkRegistry
	}
	if !agency.InColumn(seg) {
		return linkOther
	}
	if seg != "van-ban" || !hasAt(b, end, slash) {
		return linkColumn
	}
	// /van-ban/…: the directory and its pages are the column's; a
	// document's page is the shared registry's unless the column's agency
	// keeps it.
	doc, _ := segment(b, end+len(slash), slash)
	if doc == "" || doc == "trang" || sectionFile(doc) || r.own[doc] {
		return linkColumn
	}
	return linkRegistry
}

// sectionFile says whether name, under /van-ban/, is a file of the
// directory itself — its feeds, rss.xml, atom.xml and feed.json — rather
// than a document's page: a slug has no dot (content.ValidSlug). The
// feeds were taken for documents of the shared registry, and another
// column's directory offered the root column's document feeds.
func sectionFile(name string) bool { return strings.Contains(name, ".") }

// documents lists the slugs of the documents' pages the body links to,
// once each, for keep.
func (r *rewriter) documents() []string {
	var out []string
	seen := map[string]bool{}
	b := r.body
	for i := 0; i < len(b); i++ {
		_, n, slash, ok := r.at(i)
		if !ok {
			continue
		}
		p := i + n + len(slash)
		if seg, end := segment(b, p, slash); seg == "van-ban" && hasAt(b, end, slash) {
			doc, _ := segment(b, end+len(slash), slash)
			if doc != "" && doc != "trang" && !sectionFile(doc) && !seen[doc] {
				seen[doc] = true
				out = append(out, doc)
			}
		}
	}
	return out
}
