package web

import (
	"net"
	"net/http"
	"net/netip"

	"github.com/gin-gonic/gin"

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
}

// NewFront wraps e for the network. Forwarded headers are believed only
// from peers inside trusted. When hosts (normalized as by
// config.NormalizeHost) is not nil, a request whose Host is none of them
// gets 421 Misdirected Request: a short Vietnamese text that names no
// host and that no cache keeps, whatever the path and method.
func NewFront(e *gin.Engine, trusted []netip.Prefix, hosts []string) *Front {
	return &Front{Engine: e, trusted: trusted, hosts: hosts}
}

// ServeHTTP refuses a foreign Host, drops untrusted forwarded headers and
// serves the request.
func (f *Front) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if f.hosts != nil {
		if h, ok := config.NormalizeHost(r.Host); !ok || !HostAllowed(h, f.hosts) {
			ErrorPage{Status: http.StatusMisdirectedRequest, Message: locale.T("error.misdirected")}.SendPlain(w, r)
			return
		}
	}
	if !f.trustedPeer(r.RemoteAddr) {
		for _, h := range untrustedHeaders {
			r.Header.Del(h)
		}
	}
	f.Engine.ServeHTTP(w, r)
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
