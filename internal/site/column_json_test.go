package site_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestColumnJSONSaysTheQuery: a column's search feed in JSON quotes the
// query as it was typed, even one that starts with a path; its links are
// the column's.
func TestColumnJSONSaysTheQuery(t *testing.T) {
	p := newProvince(t)
	for _, q := range []string{`'/tin-tuc/abc`, `"/tin-tuc/abc"`, `cải cách '/van-ban/`} {
		w := p.get("/so-tu-phap/tim-kiem/feed.json?q=" + url.QueryEscape(q))
		if w.Code != http.StatusOK {
			t.Fatalf("%s: %d", q, w.Code)
		}
		var feed struct {
			Title       string `json:"title"`
			HomePageURL string `json:"home_page_url"`
			FeedURL     string `json:"feed_url"`
		}
		if err := json.Unmarshal(w.Body.Bytes(), &feed); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		if !strings.Contains(feed.Title, q) {
			t.Errorf("the feed of %s is titled %q", q, feed.Title)
		}
		for _, u := range []string{feed.HomePageURL, feed.FeedURL} {
			if !strings.Contains(u, "/so-tu-phap/tim-kiem") {
				t.Errorf("the feed of %s links %q, not the column's search", q, u)
			}
		}
	}
}
