package admin

import (
	"net/url"
	"strings"
	"unicode/utf8"
)

// SafeNext returns next when it is a path on this site to return to after
// login, and "" otherwise. It refuses everything a browser could read as
// another site: absolute URLs (http://…), scheme-relative ones (//evil),
// backslashes (/\evil, which browsers treat as //), and control
// characters (which browsers strip, turning "/\t/evil" into "//evil"), and
// invalid UTF-8 (it would be echoed into the login page).
func SafeNext(next string) string {
	if next == "" || len(next) > 2048 || next[0] != '/' || !utf8.ValidString(next) {
		return ""
	}
	if len(next) > 1 && (next[1] == '/' || next[1] == '\\') {
		return ""
	}
	for i := 0; i < len(next); i++ {
		if b := next[i]; b < 0x20 || b == 0x7f || b == '\\' {
			return ""
		}
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" || !strings.HasPrefix(u.Path, "/") {
		return ""
	}
	return next
}
