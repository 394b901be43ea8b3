// Package config holds the service's configuration: a value built from
// command-line flags and CCHC_* environment variables (flags win), validated
// at start with errors that name the flag or variable.
package config

import (
	"errors"
	"flag"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"cchc/internal/locale"
	"cchc/internal/vntext"
)

// Config is the configuration of one run.
type Config struct {
	Addr    string // --addr, CCHC_ADDR
	Data    string // --data, CCHC_DATA
	Content string // --content, CCHC_CONTENT
	Theme   string // --theme, CCHC_THEME
	BaseURL string // --base-url, CCHC_BASE_URL
	// AllowedHosts (--allowed-hosts, CCHC_ALLOWED_HOSTS) lists the names,
	// comma-separated host[:port], the service answers under; with it, a
	// request naming another Host is refused (see Hosts). Without
	// --base-url the first one is the public address (see PublicBase).
	AllowedHosts string
	// TrustedProxies (--trusted-proxies, CCHC_TRUSTED_PROXIES) lists the
	// proxies, comma-separated CIDRs or addresses, whose X-Forwarded-For,
	// X-Real-IP, X-Forwarded-Proto and X-Forwarded-Prefix are believed.
	// None by default.
	TrustedProxies string
	// RequireReview (--require-review, CCHC_REQUIRE_REVIEW) stops editors
	// from publishing without an approver. On by default.
	RequireReview bool
	// FeedEntries (--feed-entries, CCHC_FEED_ENTRIES) is the number of
	// entries in each feed.
	FeedEntries int
	// Mirror (--mirror, CCHC_MIRROR), when set, is the folder serve keeps
	// a static mirror of the public column in, rebuilt after every
	// committed change (cchc build-static).
	Mirror string
	// MirrorCmd (--mirror-cmd, CCHC_MIRROR_CMD) is a shell command serve
	// runs after each update of the mirror (rsync, an upload).
	MirrorCmd string

	// envErrs are environment values Register could not read; Validate
	// reports them, naming the variable.
	envErrs []error
}

// MaxFeedEntries bounds --feed-entries: a feed is a list of what is new,
// not an archive, and every request renders it whole.
const MaxFeedEntries = 1000

// Defaults are the values used when neither a flag nor a variable is set.
var Defaults = Config{
	Addr:          "127.0.0.1:8080",
	Data:          "./data",
	Content:       "./content",
	Theme:         "default",
	BaseURL:       "",
	RequireReview: true,
	FeedEntries:   50,
}

// option ties a flag to its variable and field.
type option struct {
	flag, env string
	usage     string // the key of its help in the catalogue
	field     func(*Config) *string
}

var options = []option{
	{"addr", "CCHC_ADDR", "config.flag.addr", func(c *Config) *string { return &c.Addr }},
	{"data", "CCHC_DATA", "config.flag.data", func(c *Config) *string { return &c.Data }},
	{"content", "CCHC_CONTENT", "config.flag.content", func(c *Config) *string { return &c.Content }},
	{"theme", "CCHC_THEME", "config.flag.theme", func(c *Config) *string { return &c.Theme }},
	{"trusted-proxies", "CCHC_TRUSTED_PROXIES", "config.flag.trusted_proxies", func(c *Config) *string { return &c.TrustedProxies }},
	{"base-url", "CCHC_BASE_URL", "config.flag.base_url", func(c *Config) *string { return &c.BaseURL }},
	{"allowed-hosts", "CCHC_ALLOWED_HOSTS", "config.flag.allowed_hosts", func(c *Config) *string { return &c.AllowedHosts }},
	{"mirror", "CCHC_MIRROR", "config.flag.mirror", func(c *Config) *string { return &c.Mirror }},
	{"mirror-cmd", "CCHC_MIRROR_CMD", "config.flag.mirror_cmd", func(c *Config) *string { return &c.MirrorCmd }},
}

// Register adds the named options (all when names is empty) to fs, with
// defaults taken from the environment. It returns the Config they fill.
func Register(fs *flag.FlagSet, getenv func(string) string, names ...string) *Config {
	c := Defaults
	for _, o := range options {
		if len(names) > 0 && !contains(names, o.flag) {
			continue
		}
		p := o.field(&c)
		if v := getenv(o.env); v != "" {
			*p = v
		}
		fs.StringVar(p, o.flag, *p, locale.T("config.flag.env", locale.T(o.usage), o.env))
	}
	if len(names) == 0 || contains(names, "require-review") {
		if v := getenv("CCHC_REQUIRE_REVIEW"); v != "" {
			// A typo must not silently decide who may publish.
			switch w := strings.ToLower(strings.TrimSpace(v)); {
			case slices.Contains(yesWords, w):
				c.RequireReview = true
			case slices.Contains(noWords, w):
				c.RequireReview = false
			default:
				c.envErrs = append(c.envErrs, fmt.Errorf("--require-review (CCHC_REQUIRE_REVIEW): %w", locale.NewError("config.not_bool", v)))
			}
		}
		fs.BoolVar(&c.RequireReview, "require-review", c.RequireReview,
			locale.T("config.flag.require_review"))
	}
	if len(names) == 0 || contains(names, "feed-entries") {
		if v := getenv("CCHC_FEED_ENTRIES"); v != "" {
			c.FeedEntries = -1 // refused by Validate, which names the variable
			if n, err := strconv.Atoi(v); err == nil {
				c.FeedEntries = n
			}
		}
		fs.IntVar(&c.FeedEntries, "feed-entries", c.FeedEntries, locale.T("config.flag.env", locale.T("config.flag.feed_entries"), "CCHC_FEED_ENTRIES"))
	}
	return &c
}

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

// Validate checks the configuration and names the flag at fault.
func (c *Config) Validate() error {
	errs := append([]error(nil), c.envErrs...)
	for _, o := range options {
		// The rule of every input (vntext.IsControl): such a value is a
		// mistake or an attack, and would be printed in messages.
		if v := *o.field(c); vntext.ControlAt(v) >= 0 {
			errs = append(errs, fmt.Errorf("--%s (%s): %w", o.flag, o.env, locale.NewError("config.control", v)))
		}
	}
	if strings.TrimSpace(c.Data) == "" {
		errs = append(errs, fmt.Errorf("--data (CCHC_DATA): %w", locale.NewError("config.empty")))
	}
	if c.Addr != "" {
		if _, port, err := net.SplitHostPort(c.Addr); err != nil || port == "" {
			errs = append(errs, fmt.Errorf("--addr (CCHC_ADDR): %w", locale.NewError("config.addr", c.Addr)))
		}
	}
	if c.Theme == "" || strings.ContainsAny(c.Theme, `/\`) || c.Theme == "." || c.Theme == ".." {
		errs = append(errs, fmt.Errorf("--theme (CCHC_THEME): %w", locale.NewError("config.theme", c.Theme)))
	}
	if c.BaseURL != "" {
		u, err := url.Parse(c.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
			errs = append(errs, fmt.Errorf("--base-url (CCHC_BASE_URL): %w", locale.NewError("config.base_url", c.BaseURL)))
		}
	}
	if _, err := ParseHosts(c.AllowedHosts); err != nil {
		errs = append(errs, fmt.Errorf("--allowed-hosts (CCHC_ALLOWED_HOSTS): %w", err))
	}
	if _, err := ParseProxies(c.TrustedProxies); err != nil {
		errs = append(errs, fmt.Errorf("--trusted-proxies (CCHC_TRUSTED_PROXIES): %w", err))
	}
	if c.FeedEntries < 1 || c.FeedEntries > MaxFeedEntries {
		errs = append(errs, fmt.Errorf("--feed-entries (CCHC_FEED_ENTRIES): %w", locale.NewError("config.feed_entries", MaxFeedEntries)))
	}
	return errors.Join(errs...)
}

// ParseProxies reads a --trusted-proxies value: comma-separated CIDRs
// (10.0.0.0/8, fd00::/8) or single addresses (127.0.0.1, a /32 or /128).
// An empty value trusts no proxy.
func ParseProxies(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if strings.Contains(f, "/") {
			p, err := netip.ParsePrefix(f)
			if err != nil {
				return nil, locale.NewError("config.cidr", f)
			}
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(f)
		if err != nil || a.Zone() != "" {
			return nil, locale.NewError("config.ip", f)
		}
		a = a.Unmap()
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
	}
	return out, nil
}

// ParseHosts reads an --allowed-hosts value: comma-separated host names or
// IP addresses, each with an optional port (skhcn.quangngai.gov.vn,
// 10.0.0.5:8080, [::1]:8080). Names are returned in lower case without a
// trailing dot, as Host headers are compared. An empty value is no list.
func ParseHosts(s string) ([]string, error) {
	var out []string
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		h, ok := NormalizeHost(f)
		if !ok {
			return nil, locale.NewError("config.host", f)
		}
		out = append(out, h)
	}
	return out, nil
}

// NormalizeHost checks a Host header or --allowed-hosts entry — a DNS
// name or an IP address, with an optional port — and returns it in lower
// case without a trailing dot, IPv6 addresses in brackets.
func NormalizeHost(s string) (string, bool) {
	host, port := s, ""
	if h, p, err := net.SplitHostPort(s); err == nil {
		host, port = h, p
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 || strconv.Itoa(n) != p {
			return "", false
		}
	} else if strings.Contains(s, ":") && !strings.HasPrefix(s, "[") {
		if a, err := netip.ParseAddr(s); err != nil || !a.Is6() {
			return "", false
		}
	}
	host = strings.TrimSuffix(strings.TrimSuffix(strings.TrimPrefix(host, "["), "]"), ".")
	host = strings.ToLower(host)
	if a, err := netip.ParseAddr(host); err == nil {
		if a.Zone() != "" {
			return "", false
		}
		host = a.String()
		if a.Is6() {
			host = "[" + host + "]"
		}
	} else if !validDNSName(host) {
		return "", false
	}
	if port != "" {
		host += ":" + port
	}
	return host, true
}

// validDNSName reports whether s is a host name of letters, digits and
// hyphens in dot-separated labels (no wildcard, no underscore).
func validDNSName(s string) bool {
	if s == "" || len(s) > 253 {
		return false
	}
	for _, label := range strings.Split(s, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for _, r := range label {
			if (r < 'a' || r > 'z') && (r < '0' || r > '9') && r != '-' {
				return false
			}
		}
	}
	return true
}

// Hosts is the list of Host values the service answers under: the
// --allowed-hosts entries and the --base-url's host. It is nil — every
// Host answered — when --allowed-hosts is not set. Call it on a
// validated Config.
func (c *Config) Hosts() []string {
	hosts, _ := ParseHosts(c.AllowedHosts)
	if len(hosts) == 0 {
		return nil
	}
	if u, err := url.Parse(c.BaseURL); err == nil && u.Host != "" {
		if h, ok := NormalizeHost(u.Host); ok {
			hosts = append(hosts, h)
		}
	}
	return hosts
}

// PublicBase is where every absolute URL the service writes (feeds, the
// sitemap, robots.txt, /theo-doi) starts, without a trailing slash:
// --base-url; else http:// and the first --allowed-hosts entry; else
// http:// and the --addr the server listens on, with 127.0.0.1 for an
// unspecified host (0.0.0.0, ::, none). It never comes from a request,
// so a forged Host header cannot reach a page or a shared cache. Call it
// on a validated Config.
func (c *Config) PublicBase() string {
	if c.BaseURL != "" {
		return strings.TrimRight(c.BaseURL, "/")
	}
	if hosts, _ := ParseHosts(c.AllowedHosts); len(hosts) > 0 {
		return "http://" + hosts[0]
	}
	host, port, err := net.SplitHostPort(c.Addr)
	if err != nil {
		host, port = "", "8080"
	}
	if a, err := netip.ParseAddr(host); host == "" || (err == nil && a.IsUnspecified()) {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port)
}
