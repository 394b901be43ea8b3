package web

import (
	"net"
	"net/http"
	"net/netip"
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
		col, rest, cut := f.columns.Resolve(r.Context(), name, r.URL.Path)
		if col.Host != "" && sharedPath(r.URL.Path) {
			// The workspace, the reports and the files at a column's
			// host are everyone's: they act for the account's agency,
			// not the host's.
			col = f.columns.root(r.Context())
		}
		if !col.Root() {
			if col.Prefix != "" && r.URL.Path == col.Prefix {
				// The column's home is the prefix and a slash, as "/" is
				// the root column's.
				to := col.Prefix + "/"
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
			w = columnWriter{ResponseWriter: w, col: col}
		}
		if !col.Root() || col.Agency.ID != agency.Root {
			// The root column of the first agency is what a context
			// without a column means: no copy of the request for it.
			r = r.WithContext(WithColumn(r.Context(), col))
		}
	}
	f.Engine.ServeHTTP(w, r)
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
