package locale

import (
	"regexp"
	"strings"
	"testing"
)

// TestOfficialWords: the words people read are officials' words (issue
// 14.9). The column đăng tải its content — xuất bản is the Law on
// Publishing's word — anywhere; a log's entries are bản ghi, not hàng;
// the workspace, dashboard, log and report say tin, bài (the public
// site's sentences keep their own phrasing).
func TestOfficialWords(t *testing.T) {
	rules := []struct {
		word     *regexp.Regexp
		prefixes []string // "" for every key
		say      string
	}{
		{regexp.MustCompile(`(?i)xuất bản`), []string{""}, "đăng tải"},
		{regexp.MustCompile(`(?i)(^|[^\p{L}])hàng([^\p{L}]|$)`), []string{""}, "bản ghi"},
		{regexp.MustCompile(`(?i)tin bài`), []string{"admin.", "report.", "publog.", "cli.", "kind.", "audit.", "status."}, "tin, bài"},
	}
	for _, key := range Keys() {
		msg := catalogue()[key]
		for _, r := range rules {
			for _, p := range r.prefixes {
				if strings.HasPrefix(key, p) && r.word.MatchString(msg) {
					t.Errorf("%s: %q: say %q", key, msg, r.say)
					break
				}
			}
		}
	}
}
