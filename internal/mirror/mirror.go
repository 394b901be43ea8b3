// Package mirror writes the public column as a static mirror: a folder any
// web server or CDN serves without cchc (issue 19). It asks the very
// handler serve runs for each URL, in process, and writes the bytes it
// answers; the URLs are found by following links from / and the known
// entry points (robots.txt, the sitemap, /theo-doi, the feeds they name),
// not from a route list, so a route the site gains comes along.
//
// A URL becomes a file as a static server finds it again: /a/ is
// a/index.html, an HTML page /a is a.html (nginx: try_files $uri
// $uri.html $uri/; Netlify and Cloudflare Pages do the same), anything
// else keeps its path. Beside each compressible file lie its .gz for
// nginx's gzip_static and its .br for brotli_static (module ngx_brotli). A 301 becomes a small redirect page, a line of an
// nginx map (.cchc/redirects.map) and of _redirects (Netlify and
// Cloudflare Pages). The 404 page is 404.html.
//
// A second run writes only the files whose bytes changed and deletes those
// of URLs the site no longer answers, from the manifest (.cchc/manifest.json,
// each file's SHA-256). Given the inputs the pages are made of (Inputs), it
// also renders only the URLs a change can reach and takes the others, with
// their links, from the last run (.cchc/state.json): time follows the
// change, not the column. Every file is written to a temporary name and
// renamed, so a reader of the mirror never sees half a file; every write
// goes through os.Root, so no URL can name a file outside the folder.
package mirror

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io/fs"
	"log/slog"
	"maps"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/andybalholm/brotli"

	"cchc/internal/locale"
)

// Files the mirror writes beside the pages.
const (
	// ManifestName records each file's hash, for the next run.
	ManifestName = ".cchc/manifest.json"
	// NginxMapName holds the 301s as nginx map entries.
	NginxMapName = ".cchc/redirects.map"
	// RedirectsName holds the 301s in the _redirects format of Netlify
	// and Cloudflare Pages.
	RedirectsName = "_redirects"
	// NotFoundName is the 404 page (nginx: error_page 404 /404.html).
	NotFoundName = "404.html"
	// HostsDir holds the columns that answer at a host of their own
	// (issue 20): HostsDir/HOST is each one's mirror, a folder like the
	// main one (its own manifest, 404 page and redirects) for a server of
	// that name. A dot folder: no URL of the main column names it, so no
	// run of the main mirror writes or prunes it, and its server hides it.
	HostsDir = ".hosts"
)

// EntryPoints are the paths a crawl starts from besides the caller's
// seeds: the home page, and the files crawlers and feed readers look for.
var EntryPoints = []string{"/", "/robots.txt", "/sitemap.xml", "/theo-doi", "/favicon.svg"}

// OriginOnly are the path prefixes that stay on the origin: search
// answers queries, the workspace and the reports need a login. Links to
// them are left as they are, for the proxy rule of docs/DEPLOY.md.
var OriginOnly = []string{"/tim-kiem", "/quan-tri", "/bao-cao"}

// Limits on a path the mirror writes: a longer one is not a page of the
// column (file systems allow 255 bytes a name).
const (
	maxSegment = 200
	maxPath    = 1024
)

// Options say what to mirror.
type Options struct {
	// Handler answers every request: the handler serve runs.
	Handler http.Handler
	// Base is where the column's absolute URLs start (config.PublicBase),
	// without a trailing slash: a URL starting with it is the column's own.
	Base string
	// Seeds are paths linked from nowhere that the site still answers:
	// the old addresses of moved items, stored files.
	Seeds []string
	// Log, when set, hears of each link left out.
	Log *slog.Logger
	// Inputs, when set, let a run render only what changed since the last
	// (see Inputs); without them every URL is asked for.
	Inputs *Inputs
}

// Result is what one run did.
type Result struct {
	// Files is the number of files in the mirror (pages, feeds, assets,
	// redirect pages; not their .gz).
	Files int
	// Written lists the files written because new or changed; Deleted the
	// files removed because the site no longer answers them.
	Written, Deleted []string
	// Unchanged counts files left as they were.
	Unchanged int
	// Rendered counts the URLs asked of the handler; the others were
	// taken from the last run (Inputs).
	Rendered int
	// Redirects is the number of 301s kept.
	Redirects int
	// Bytes is the size of the mirror's files (not their .gz).
	Bytes int64
	// Left lists the links the mirror does not hold, each with why:
	// addresses with a query, unsafe paths, links the site answers 404.
	Left []Leftout
}

// Leftout is a link the mirror does not hold.
type Leftout struct {
	URL, From string
	// Reason is the catalogue key saying why (LeftQuery, …), filled by
	// Detail when it is not empty.
	Reason, Detail string
}

// Why a link is left out: keys of the catalogue.
const (
	LeftQuery    = "mirror.left.query"
	LeftUnsafe   = "mirror.left.unsafe"
	LeftStatus   = "mirror.left.status"
	LeftOutside  = "mirror.left.outside"
	LeftRedirect = "mirror.left.redirect"
)

// Entry is one file in the manifest.
type Entry struct {
	URL    string `json:"url"`
	SHA256 string `json:"sha256"`
	Type   string `json:"type"`
	Size   int64  `json:"size"`
	// Gzip is set when a .gz lies beside the file, Brotli when a .br
	// does (the same files: every compressible one).
	Gzip   bool `json:"gzip,omitempty"`
	Brotli bool `json:"brotli,omitempty"`
	// Location is set for a redirect page: where the 301 goes.
	Location string `json:"location,omitempty"`
}

// Manifest is the record of a mirror: each file by its name in the folder.
type Manifest struct {
	Base  string            `json:"base"`
	Files map[string]*Entry `json:"files"`
}

// Build writes the mirror of opt.Handler into out (created if missing),
// rewriting only what changed since the last run.
func Build(ctx context.Context, out string, opt Options) (*Result, error) {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return nil, err
	}
	root, err := os.OpenRoot(out)
	if err != nil {
		return nil, err
	}
	defer root.Close()
	old := readManifest(root)
	b := &builder{ctx: ctx, opt: opt, root: root, old: old,
		man:  &Manifest{Base: opt.Base, Files: map[string]*Entry{}},
		res:  &Result{},
		seen: map[string]bool{}, redirects: map[string]string{},
		pre: map[string]*httptest.ResponseRecorder{}, pages: map[string]*pageRec{}}
	if u, err := url.Parse(opt.Base); err == nil {
		b.host = u.Host
	}
	if opt.Inputs != nil {
		mb, _ := root.ReadFile(ManifestName)
		sb, _ := root.ReadFile(StateName)
		if err := b.plan(readState(sb, mb)); err != nil {
			return nil, err
		}
	}
	for _, p := range append(slices.Clone(EntryPoints), opt.Seeds...) {
		b.enqueue(p, "")
	}
	for len(b.queue) > 0 {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		next := b.queue[0]
		b.queue = b.queue[1:]
		if err := b.visit(next); err != nil {
			return nil, err
		}
	}
	if err := b.notFoundPage(); err != nil {
		return nil, err
	}
	if err := b.writeRedirects(); err != nil {
		return nil, err
	}
	if err := b.prune(); err != nil {
		return nil, err
	}
	mb, err := json.MarshalIndent(b.man, "", " ")
	if err != nil {
		return nil, err
	}
	if err := writeAtomic(root, ManifestName, mb); err != nil {
		return nil, err
	}
	if opt.Inputs == nil {
		// A state of an earlier run would not know what this one did.
		if err := removeFile(root, StateName); err != nil {
			return nil, err
		}
	} else {
		sb, err := b.encodeState(mb)
		if err != nil {
			return nil, err
		}
		if err := writeAtomic(root, StateName, sb); err != nil {
			return nil, err
		}
	}
	b.res.Files = len(b.man.Files)
	slices.Sort(b.res.Written)
	slices.Sort(b.res.Deleted)
	return b.res, nil
}

type target struct{ escaped, from string }

type builder struct {
	ctx       context.Context
	opt       Options
	root      *os.Root
	host      string
	old, man  *Manifest
	res       *Result
	queue     []target
	seen      map[string]bool   // escaped paths queued
	redirects map[string]string // path → Location

	// last is the state of the last run when this one is incremental
	// (plan), pre the answers plan asked for, pages what each URL of this
	// run gave, for the next.
	last  *state
	pre   map[string]*httptest.ResponseRecorder
	pages map[string]*pageRec
}

// enqueue adds the escaped path p, linked from from, to the crawl.
func (b *builder) enqueue(p, from string) {
	if b.seen[p] {
		return
	}
	b.seen[p] = true
	b.queue = append(b.queue, target{escaped: p, from: from})
}

func (b *builder) leave(link, from, reason, detail string) {
	b.res.Left = append(b.res.Left, Leftout{URL: link, From: from, Reason: reason, Detail: detail})
	if b.opt.Log != nil {
		b.opt.Log.Debug("mirror: link left out", slog.String("url", link), slog.String("from", from), slog.String("reason", reason), slog.String("detail", detail))
	}
}

// get asks the handler for the escaped path p as a reader's browser would,
// without compression.
func (b *builder) get(p string) *httptest.ResponseRecorder {
	b.res.Rendered++
	req := httptest.NewRequestWithContext(b.ctx, http.MethodGet, "http://mirror.invalid/", nil)
	req.URL = &url.URL{Path: mustUnescape(p), RawPath: p}
	req.RequestURI = p
	if b.host != "" {
		req.Host = b.host
	}
	req.RemoteAddr = "127.0.0.1:0"
	w := httptest.NewRecorder()
	b.opt.Handler.ServeHTTP(w, req)
	return w
}

func mustUnescape(p string) string {
	s, err := url.PathUnescape(p)
	if err != nil {
		return p
	}
	return s
}

func (b *builder) visit(t target) error {
	w := b.pre[t.escaped]
	if w == nil {
		if b.last != nil && b.replay(t) {
			return nil
		}
		w = b.get(t.escaped)
	}
	rec := &pageRec{Code: w.Code}
	b.pages[t.escaped] = rec
	switch {
	case w.Code == http.StatusOK:
	case isRedirect(w.Code):
		rec.Location = w.Header().Get("Location")
		b.redirected(t, rec.Location)
		return nil
	default:
		b.leave(t.escaped, t.from, LeftStatus, strconv.Itoa(w.Code))
		return nil
	}
	body := w.Body.Bytes()
	ctype := w.Header().Get("Content-Type")
	name, err := FileName(mustUnescape(t.escaped), ctype)
	if err != nil {
		rec.Unsafe = true
		b.leave(t.escaped, t.from, LeftUnsafe, "")
		return nil
	}
	rec.File = name
	if err := b.put(name, &Entry{URL: t.escaped, Type: ctype}, body); err != nil {
		return err
	}
	for _, link := range Links(body, ctype, b.opt.Base) {
		if p, ok := b.follow(link, t.escaped); ok {
			rec.out = append(rec.out, p)
		}
	}
	return nil
}

func isRedirect(code int) bool {
	switch code {
	case http.StatusMovedPermanently, http.StatusPermanentRedirect, http.StatusFound, http.StatusTemporaryRedirect:
		return true
	}
	return false
}

// redirected keeps the redirect of t to loc, when it stays in the column.
func (b *builder) redirected(t target, loc string) {
	to, ok := b.internal(loc, t.escaped)
	if !ok {
		b.leave(t.escaped, t.from, LeftOutside, loc)
		return
	}
	b.redirects[t.escaped] = to
	b.follow(loc, t.escaped)
}

// internal resolves link, found on the page at from, to the escaped path
// of the column's own URL; ok is false for another site's.
func (b *builder) internal(link, from string) (string, bool) {
	u, err := url.Parse(link)
	if err != nil {
		return "", false
	}
	if u.IsAbs() || u.Host != "" {
		if b.opt.Base == "" || !strings.HasPrefix(link, b.opt.Base+"/") && link != b.opt.Base {
			return "", false
		}
		if u, err = url.Parse(strings.TrimPrefix(link, b.opt.Base)); err != nil {
			return "", false
		}
		if u.Path == "" {
			u.Path = "/"
		}
	}
	base := &url.URL{Path: mustUnescape(from), RawPath: from}
	r := base.ResolveReference(u)
	p := r.EscapedPath()
	if r.RawQuery != "" || r.ForceQuery {
		p += "?" + r.RawQuery
	}
	return p, true
}

// follow queues link, found on the page at from, when the mirror can hold
// it; it returns the link resolved (ok false for another site's, or none).
func (b *builder) follow(link, from string) (string, bool) {
	if link == "" || strings.HasPrefix(link, "#") {
		return "", false
	}
	p, ok := b.internal(link, from)
	if !ok {
		return "", false
	}
	b.followResolved(p, from)
	return p, true
}

// followResolved queues the escaped path p (with its query, if any),
// linked from the page at from, when the mirror can hold it.
func (b *builder) followResolved(p, from string) {
	for _, o := range OriginOnly {
		if p == o || strings.HasPrefix(p, o+"/") || strings.HasPrefix(p, o+"?") {
			return
		}
	}
	if strings.Contains(p, "?") {
		b.leave(p, from, LeftQuery, "")
		return
	}
	if b.seen[p] {
		return
	}
	if _, err := FileName(mustUnescape(p), "text/html"); err != nil || strings.Contains(strings.ToLower(p), "%2f") {
		b.seen[p] = true
		b.leave(p, from, LeftUnsafe, "")
		return
	}
	b.enqueue(p, from)
}

// notFoundPage writes the column's 404 page.
func (b *builder) notFoundPage() error {
	w := b.get("/" + NotFoundName)
	if w.Code != http.StatusNotFound {
		return nil // a page of that name: served as it is
	}
	return b.put(NotFoundName, &Entry{URL: "", Type: w.Header().Get("Content-Type")}, w.Body.Bytes())
}

// writeRedirects writes a page, a map entry and a _redirects line for
// each 301 kept.
func (b *builder) writeRedirects() error {
	var nginx, netlify bytes.Buffer
	nginx.WriteString("# " + "cchc build-static: map $uri $cchc_redirect { include " + NginxMapName + "; }\n")
	for _, from := range slices.Sorted(maps.Keys(b.redirects)) {
		to := b.redirects[from]
		plain := mustUnescape(from)
		name, err := FileName(plain, "text/html")
		if err != nil || strings.ContainsAny(plain+to, "\"\\;{}$ \t\r\n") {
			b.leave(from, "", LeftRedirect, "")
			continue
		}
		if _, taken := b.man.Files[name]; taken {
			continue // the page itself is there (gin's trailing-slash answers)
		}
		page := redirectPage(to)
		if err := b.put(name, &Entry{URL: from, Type: "text/html; charset=utf-8", Location: to}, page); err != nil {
			return err
		}
		fmt.Fprintf(&nginx, "%q %q;\n", plain, to)
		fmt.Fprintf(&netlify, "%s %s 301\n", from, to)
		b.res.Redirects++
	}
	if err := b.put(NginxMapName, &Entry{Type: "text/plain; charset=utf-8"}, nginx.Bytes()); err != nil {
		return err
	}
	return b.put(RedirectsName, &Entry{Type: "text/plain; charset=utf-8"}, netlify.Bytes())
}

// redirectPage is the page left at an old address: browsers follow its
// refresh, search engines its canonical link, and nginx or a CDN answers
// 301 before it is ever read.
func redirectPage(to string) []byte {
	t := html.EscapeString(to)
	return []byte(`<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<title>` + html.EscapeString(locale.T("mirror.redirect.title")) + `</title>
<meta name="robots" content="noindex">
<link rel="canonical" href="` + t + `">
<meta http-equiv="refresh" content="0; url=` + t + `">
</head>
<body>
<p>` + html.EscapeString(locale.T("mirror.redirect.moved")) + ` <a href="` + t + `">` + t + `</a></p>
</body>
</html>
`)
}

// put records name in the manifest and writes it (and its .gz) unless the
// last run wrote the same bytes and they are still there.
func (b *builder) put(name string, e *Entry, body []byte) error {
	if _, dup := b.man.Files[name]; dup {
		return nil
	}
	sum := sha256.Sum256(body)
	e.SHA256, e.Size = hex.EncodeToString(sum[:]), int64(len(body))
	e.Gzip = Compressible(e.Type) && !strings.HasPrefix(name, ".") && name != RedirectsName
	e.Brotli = e.Gzip
	b.man.Files[name] = e
	b.res.Bytes += e.Size
	if o := b.old.Files[name]; o != nil && o.SHA256 == e.SHA256 && o.Gzip == e.Gzip && o.Brotli == e.Brotli && b.present(name, e) {
		b.res.Unchanged++
		return nil
	}
	if err := writeAtomic(b.root, name, body); err != nil {
		return err
	}
	if e.Gzip {
		var z bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&z, gzip.BestCompression)
		zw.Write(body)
		zw.Close()
		if err := writeAtomic(b.root, name+".gz", z.Bytes()); err != nil {
			return err
		}
	} else {
		removeFile(b.root, name+".gz")
	}
	if e.Brotli {
		if err := writeAtomic(b.root, name+".br", Brotli(body)); err != nil {
			return err
		}
	} else {
		removeFile(b.root, name+".br")
	}
	b.res.Written = append(b.res.Written, name)
	return nil
}

// present reports whether the file of e is on disk at its size (and its
// .gz beside it): one removed by hand is written again.
func (b *builder) present(name string, e *Entry) bool {
	fi, err := b.root.Stat(name)
	if err != nil || !fi.Mode().IsRegular() || fi.Size() != e.Size {
		return false
	}
	if e.Gzip {
		if _, err := b.root.Stat(name + ".gz"); err != nil {
			return false
		}
	}
	if e.Brotli {
		if _, err := b.root.Stat(name + ".br"); err != nil {
			return false
		}
	}
	return true
}

// BrotliQuality is the level of the .br files: brotli's default, 6. It
// packs a page smaller than gzip's best level in about the same time
// (60 KB of text: 2.9 ms against gzip's 4.2 ms, 23.6 KB against 24.8 KB);
// level 11 packs 10 % smaller but takes 90 times as long (0.26 s a page,
// most of an hour for a mirror of 10,000 items).
const BrotliQuality = brotli.DefaultCompression

// Brotli is body packed as a .br file (RFC 7932), for nginx's
// brotli_static.
func Brotli(body []byte) []byte {
	var z bytes.Buffer
	w := brotli.NewWriterLevel(&z, BrotliQuality)
	w.Write(body)
	w.Close()
	return z.Bytes()
}

// prune deletes the files of the last run the site no longer answers.
func (b *builder) prune() error {
	for _, name := range slices.Sorted(maps.Keys(b.old.Files)) {
		if _, keep := b.man.Files[name]; keep {
			continue
		}
		if err := removeFile(b.root, name); err != nil {
			return err
		}
		removeFile(b.root, name+".gz")
		removeFile(b.root, name+".br")
		b.res.Deleted = append(b.res.Deleted, name)
		// Folders left empty go too (Remove refuses a folder with files).
		for dir := path.Dir(name); dir != "." && dir != "/"; dir = path.Dir(dir) {
			if b.root.Remove(dir) != nil {
				break
			}
		}
	}
	return nil
}

func removeFile(root *os.Root, name string) error {
	if err := root.Remove(name); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// readManifest reads the last run's manifest; a missing or unreadable one
// is empty (every file is then written again).
func readManifest(root *os.Root) *Manifest {
	m := &Manifest{Files: map[string]*Entry{}}
	b, err := root.ReadFile(ManifestName)
	if err != nil {
		return m
	}
	var got Manifest
	if json.Unmarshal(b, &got) != nil || got.Files == nil {
		return m
	}
	for name := range got.Files {
		if _, err := FileName("/"+strings.TrimPrefix(name, ".cchc/"), "application/octet-stream"); err != nil || got.Files[name] == nil {
			delete(got.Files, name) // a forged entry names nothing to delete
		}
	}
	return &got
}

// writeAtomic writes body to name through a temporary file in the same
// folder and a rename, so a reader sees the old file or the new one.
func writeAtomic(root *os.Root, name string, body []byte) error {
	if dir := path.Dir(name); dir != "." {
		if err := root.MkdirAll(dir, 0o755); err != nil {
			return err
		}
	}
	// A name of its own, so two runs into one folder (build-static beside
	// serve --mirror) never write one temporary file; a dot first, so a
	// leftover is never served.
	tmp := path.Join(path.Dir(name), ".tmp-"+rand.Text()[:12]+"-"+path.Base(name)[:min(len(path.Base(name)), 200)])
	f, err := root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(body); err != nil {
		f.Close()
		root.Remove(tmp)
		return err
	}
	if err := f.Close(); err != nil {
		root.Remove(tmp)
		return err
	}
	if err := root.Rename(tmp, name); err != nil {
		root.Remove(tmp)
		return err
	}
	return nil
}

// FileName is the file, relative to the mirror, that holds the URL path p
// (unescaped) answered with content type ctype. It refuses a path that is
// not a plain one: dot segments, empty segments, control characters,
// backslashes, names too long for a file system.
func FileName(p, ctype string) (string, error) {
	if !strings.HasPrefix(p, "/") || len(p) > maxPath {
		return "", errors.New("path not absolute or too long")
	}
	rest := p[1:]
	dir := strings.HasSuffix(rest, "/") || rest == ""
	rest = strings.TrimSuffix(rest, "/")
	if rest != "" {
		for _, seg := range strings.Split(rest, "/") {
			if seg == "" || seg == "." || seg == ".." || len(seg) > maxSegment || strings.HasPrefix(seg, ".") {
				return "", errors.New("unsafe path segment")
			}
			for _, r := range seg {
				if r < 0x20 || r == 0x7f || r == '\\' || r == ':' {
					return "", errors.New("unsafe character in path")
				}
			}
		}
	}
	switch {
	case dir && rest == "":
		return "index.html", nil
	case dir:
		return rest + "/index.html", nil
	}
	if mt, _, _ := mime.ParseMediaType(ctype); mt == "text/html" && !strings.HasSuffix(rest, ".html") {
		return rest + ".html", nil
	}
	return rest, nil
}

// Compressible reports whether a file of content type ctype gains from a
// .gz beside it: text, XML, JSON, scripts, SVG.
func Compressible(ctype string) bool {
	mt, _, _ := mime.ParseMediaType(ctype)
	switch {
	case strings.HasPrefix(mt, "text/"), strings.HasSuffix(mt, "+xml"), strings.HasSuffix(mt, "+json"),
		mt == "application/xml", mt == "application/json", mt == "application/javascript":
		return true
	}
	return false
}

var (
	attrLink = regexp.MustCompile(`(?i)\s(?:href|src|content)\s*=\s*"([^"]*)"`)
	cssLink  = regexp.MustCompile(`url\(\s*['"]?([^'")]+)['"]?\s*\)`)
	absLinkF = `%s(?:/[^\s"'<>\\]*)?`
)

// Links lists the links of a page: attribute values of HTML, url() of
// CSS, and in any text (feeds, the sitemap, robots.txt, JSON) the
// absolute URLs starting with base. Entities and JSON escapes are undone.
func Links(body []byte, ctype, base string) []string {
	mt, _, _ := mime.ParseMediaType(ctype)
	if !Compressible(ctype) {
		return nil
	}
	var out []string
	if mt == "text/html" {
		for _, m := range attrLink.FindAllSubmatch(body, -1) {
			v := html.UnescapeString(string(m[1]))
			if strings.HasPrefix(v, "/") || strings.HasPrefix(v, "http") {
				out = append(out, v)
			}
		}
	}
	if mt == "text/css" {
		for _, m := range cssLink.FindAllSubmatch(body, -1) {
			out = append(out, string(m[1]))
		}
	}
	if base != "" {
		// Entities first: a feed's HTML content is escaped once more.
		text := html.UnescapeString(string(body))
		if strings.Contains(mt, "json") {
			text = strings.ReplaceAll(text, `\u0026`, "&")
			text = strings.ReplaceAll(text, `\/`, "/")
		}
		re := regexp.MustCompile(fmt.Sprintf(absLinkF, regexp.QuoteMeta(base)))
		for _, m := range re.FindAllString(text, -1) {
			out = append(out, m)
		}
	}
	return out
}
