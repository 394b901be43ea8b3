package web

import (
	"context"
	"net"
	"net/http"
	"net/netip"
	"path"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"cchc/internal/agency"
	"cchc/internal/config"
	"cchc/internal/locale"
)

// untrustedHeaders are the forwarded headers a client could use to choose
// where the service thinks it was reached. gin steers its trailing-slash
// redirects by X-Forwarded-Prefix; nothing reads X-Forwarded-Host, which
// is dropped too so that nothing ever starts to.
var untrustedHeaders = []string{"X-Forwarded-Prefix", "X-Forwarded-Host"}

// Front is the engine as the network meets it, checking what gin would
// act on before routing (its trailing-slash redirects run before any
// middleware): a request whose Host is not served is refused, and the
// forwarded headers that steer addresses are removed unless the peer is
// a trusted proxy (--trusted-proxies), as gin does for X-Forwarded-For.
// It embeds the engine, so its routes can still be listed.
type Front struct {
	*gin.Engine
	trusted []netip.Prefix
	hosts   []string
	// columns, when set, picks each request's column (issue 20): see
	// SetColumns.
	columns *Columns
}

// NewFront wraps e for the network. Forwarded headers are believed only
// from peers inside trusted. When hosts (normalized as by
// config.NormalizeHost) is not nil, a request whose Host is none of them
// gets 421 Misdirected Request: a short Vietnamese text that names no
// host and that no cache keeps, whatever the path and method.
func NewFront(e *gin.Engine, trusted []netip.Prefix, hosts []string) *Front {
	return &Front{Engine: e, trusted: trusted, hosts: hosts}
}

// SetColumns makes f resolve each request's column with cs before
// routing: the agency whose host the request names (those hosts are
// served besides the allowed ones), else the agency whose prefix is the
// path's first segment (cut off the path, so the same routes answer),
// else the root column. The request's context then carries the column
// (ColumnFrom) and acts for its agency (agency.IDFrom), and a redirect
// of a prefixed or host column leads into that column.
func (f *Front) SetColumns(cs *Columns) { f.columns = cs }

// ServeHTTP refuses a foreign Host, drops untrusted forwarded headers,
// resolves the column and serves the request.
func (f *Front) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	name := ""
	if f.hosts != nil || f.columns != nil {
		h, ok := config.NormalizeHost(r.Host)
		name = hostName(h)
		if f.hosts != nil && (!ok || !HostAllowed(h, f.hosts) && (f.columns == nil || !f.columns.HasHost(r.Context(), name))) {
			ErrorPage{Status: http.StatusMisdirectedRequest, Message: locale.T("error.misdirected")}.SendPlain(w, r)
			return
		}
		if !ok {
			name = ""
		}
	}
	if !f.trustedPeer(r.RemoteAddr) {
		for _, h := range untrustedHeaders {
			r.Header.Del(h)
		}
	}
	if f.columns != nil {
		sent := r.URL.Path
		col, rest, cut := f.columns.Resolve(r.Context(), name, r.URL.Path)
		if col.Host != "" && sharedPath(r.URL.Path) {
			// The workspace, the reports and the files at a column's
			// host are everyone's: they act for the account's agency,
			// not the host's.
			col = f.columns.root(r.Context())
		}
		if !col.Root() {
			// A trusted proxy mounting the site under its own path
			// (X-Forwarded-Prefix, kept only from --trusted-proxies above)
			// comes before the column's prefix in the redirects: gin's
			// trailing-slash one is told both, and the Location it writes
			// then already is in the column.
			proxy := ""
			if col.Prefix != "" {
				proxy = proxyPrefix(r.Header.Get("X-Forwarded-Prefix"))
				if proxy != "" {
					r.Header.Set("X-Forwarded-Prefix", proxy+col.Prefix)
				} else {
					r.Header.Del("X-Forwarded-Prefix")
				}
			}
			if col.Prefix != "" && r.URL.Path == col.Prefix {
				// The column's home is the prefix and a slash, as "/" is
				// the root column's.
				to := proxy + col.Prefix + "/"
				if r.URL.RawQuery != "" {
					to += "?" + r.URL.RawQuery
				}
				w.Header().Set("Cache-Control", DefaultCachePolicy.errorCacheControl(http.StatusMovedPermanently))
				http.Redirect(w, r, to, http.StatusMovedPermanently)
				return
			}
			if cut {
				r.URL.Path = rest
				if raw, ok := strings.CutPrefix(r.URL.RawPath, col.Prefix); ok && strings.HasPrefix(raw, "/") {
					r.URL.RawPath = raw
				} else {
					r.URL.RawPath = ""
				}
			}
			w = columnWriter{ResponseWriter: w, col: col, proxied: proxy + col.Prefix}
		}
		if !col.Root() || col.Agency.ID != agency.Root {
			// The root column of the first agency is what a context
			// without a column means: no copy of the request for it.
			ctx := WithColumn(r.Context(), col)
			if cut {
				ctx = context.WithValue(ctx, sentPathKey{}, sent)
			}
			r = r.WithContext(ctx)
		}
	}
	f.Engine.ServeHTTP(w, r)
}

// sentPathKey is the context key of the path a client sent when Front
// cut a column's prefix off it.
type sentPathKey struct{}

// SentPath is r's path as the client sent it: with the column's prefix
// Front cut off before routing (/so-tu-phap/tin-tuc/, not /tin-tuc/).
// Logs name this path, so that a line says which column was asked.
func SentPath(r *http.Request) string {
	if p, ok := r.Context().Value(sentPathKey{}).(string); ok {
		return p
	}
	return r.URL.Path
}

// proxyPrefix is a trusted proxy's X-Forwarded-Prefix as a path to put
// before the column's prefix: cleaned as gin cleans it ("/cchc", one
// slash at the start, none at the end), "" for none, "/" or anything
// but plain path characters (a proxy is trusted, not its input: a
// value that could make a Location another site's or break a header
// is not followed).
func proxyPrefix(h string) string {
	if h == "" {
		return ""
	}
	p := path.Clean("/" + h)
	if p == "/" {
		return ""
	}
	for i := 0; i < len(p); i++ {
		c := p[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("/-._~", c) >= 0) {
			return ""
		}
	}
	return p
}

// sharedPath reports whether path's first segment is one every column
// shares (agency.Shared).
func sharedPath(path string) bool {
	seg, _, _ := strings.Cut(strings.TrimPrefix(path, "/"), "/")
	return slices.Contains(agency.Shared, seg)
}

// hostName is the normalized host h without its port.
func hostName(h string) string {
	if name, _, err := net.SplitHostPort(h); err == nil {
		return name
	}
	return h
}

func (f *Front) trustedPeer(remote string) bool {
	if len(f.trusted) == 0 {
		return false
	}
	host, _, err := net.SplitHostPort(remote)
	if err != nil {
		host = remote
	}
	a, err := netip.ParseAddr(host)
	if err != nil {
		return false
	}
	a = a.Unmap()
	for _, p := range f.trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// HostAllowed reports whether the normalized host (host or host:port) is
// one of hosts; an entry without a port admits the name on any port.
func HostAllowed(host string, hosts []string) bool {
	name := host
	if h, _, err := net.SplitHostPort(host); err == nil {
		name = h
		if a, err := netip.ParseAddr(h); err == nil && a.Is6() {
			name = "[" + h + "]" // SplitHostPort strips the brackets entries keep
		}
	}
	for _, e := range hosts {
		if e == host || e == name {
			return true
		}
	}
	return false
}
