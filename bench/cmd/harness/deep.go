package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"html"
	"io"
	"log"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// deepTarget is one of the public URLs that cost most at a large size
// (issue 18, point 5): the last page of a list, a page past the end, every
// area page, the sitemap and its parts, the directories with filters, the
// largest feed. Several URLs are loaded in turn, as one row.
type deepTarget struct {
	name string
	urls []string      // paths
	want int           // the status every answer must have; 0: any 2xx
	cold time.Duration // a first answer timed while finding the URLs
}

// deepResult is what loading a deepTarget gave: the slowest first answer
// (cold: nothing cached), the size of one answer and the load.
type deepResult struct {
	deepTarget
	cold    time.Duration
	size    int
	res     *Result
	problem string // why it was not loaded
}

var (
	pageLinkRE = regexp.MustCompile(`(?:[?&;]trang=|/trang/)(\d+)`)
	areaLinkRE = regexp.MustCompile(`href="[^"]*/chu-de/([^"/?#]+)"`)
	locRE      = regexp.MustCompile(`<loc>([^<]+/sitemap-\d+\.xml)</loc>`)
)

// get fetches path as the load does and returns its body (as sent) and
// status, and how long it took.
func get(ctx context.Context, client *http.Client, base, path string) ([]byte, int, time.Duration, error) {
	t0 := time.Now()
	b, _, enc, status, err := fetch(ctx, client, base+path)
	d := time.Since(t0)
	if err == nil && enc == "gzip" {
		b, err = gunzip(b)
	}
	return b, status, d, err
}

// lastPage is the highest page number (/trang/N/ or ?trang=N) the page at path links to (1 when none).
func lastPage(ctx context.Context, client *http.Client, base, path string) int {
	b, _, _, err := get(ctx, client, base, path)
	if err != nil {
		return 1
	}
	last := 1
	for _, m := range pageLinkRE.FindAllSubmatch(b, -1) {
		if n, err := strconv.Atoi(string(m[1])); err == nil && n > last {
			last = n
		}
	}
	return last
}

// firstValue is the first value the directory at path offers for the
// filter param (the first non-empty <option> of its <select>), "" when
// none.
func firstValue(ctx context.Context, client *http.Client, base, path, param string) string {
	b, _, _, err := get(ctx, client, base, path)
	if err != nil {
		return ""
	}
	re := regexp.MustCompile(`(?s)name="` + regexp.QuoteMeta(param) + `">.*?<option value="([^"]+)"`)
	m := re.FindSubmatch(b)
	if m == nil {
		return ""
	}
	return html.UnescapeString(string(m[1]))
}

// pagePath is the address of page n of the list at base, as the site
// links it (web.PagePath).
func pagePath(base string, n int) string {
	if n <= 1 {
		return base
	}
	return strings.TrimSuffix(base, "/") + "/trang/" + strconv.Itoa(n) + "/"
}

// deepTargets finds, on the running server, the URLs of the deep rows.
func deepTargets(ctx context.Context, client *http.Client, base string) []deepTarget {
	var out []deepTarget
	last := lastPage(ctx, client, base, "/tin-tuc/")
	out = append(out,
		deepTarget{name: "last list page", urls: []string{pagePath("/tin-tuc/", last)}},
		deepTarget{name: "list page past the end (404)", urls: []string{pagePath("/tin-tuc/", last+1)}, want: http.StatusNotFound},
	)
	if b, _, _, err := get(ctx, client, base, "/chu-de/"); err == nil {
		var areas []string
		seen := map[string]bool{}
		for _, m := range areaLinkRE.FindAllSubmatch(b, -1) {
			if id := string(m[1]); !seen[id] {
				seen[id] = true
				areas = append(areas, "/chu-de/"+id)
			}
		}
		if len(areas) > 0 {
			out = append(out, deepTarget{name: fmt.Sprintf("every area page (%d)", len(areas)), urls: areas})
			al := lastPage(ctx, client, base, areas[0])
			out = append(out, deepTarget{name: "last page of an area", urls: []string{pagePath(areas[0], al)}})
		}
	}
	sm := []string{"/sitemap.xml"}
	var smCold time.Duration
	if b, _, d, err := get(ctx, client, base, "/sitemap.xml"); err == nil {
		smCold = d
		for _, m := range locRE.FindAllSubmatch(b, -1) {
			if u, err := url.Parse(string(m[1])); err == nil {
				sm = append(sm, u.Path)
			}
		}
	}
	out = append(out, deepTarget{name: fmt.Sprintf("sitemap and its parts (%d)", len(sm)), urls: sm, cold: smCold})
	q := url.Values{}
	for _, p := range []string{"linh-vuc", "cap"} {
		if v := firstValue(ctx, client, base, "/thu-tuc-hanh-chinh/", p); v != "" {
			q.Set(p, v)
		}
	}
	out = append(out, deepTarget{name: "procedure directory, filtered", urls: []string{"/thu-tuc-hanh-chinh/?" + q.Encode()}})
	q = url.Values{}
	for _, p := range []string{"loai", "nam"} {
		if v := firstValue(ctx, client, base, "/van-ban/", p); v != "" {
			q.Set(p, v)
		}
	}
	out = append(out,
		deepTarget{name: "document directory, filtered", urls: []string{"/van-ban/?" + q.Encode()}},
		deepTarget{name: "last page of the document directory", urls: []string{pagePath("/van-ban/", lastPage(ctx, client, base, "/van-ban/"))}},
	)
	return out
}

// measureDeep loads each deep target: first every URL once, cold (the
// slowest is reported), then the load like any target.
func measureDeep(ctx context.Context, o *options, client *http.Client, base string, n int, targets []deepTarget) ([]*deepResult, error) {
	var out []*deepResult
	for _, t := range targets {
		dr := &deepResult{deepTarget: t, cold: t.cold}
		out = append(out, dr)
		for _, p := range t.urls {
			t0 := time.Now()
			_, _, _, status, err := fetch(ctx, client, base+p)
			dr.cold = max(dr.cold, time.Since(t0))
			if err != nil {
				dr.problem = err.Error()
				break
			}
			want := t.want
			if (want == 0 && status != http.StatusOK) || (want != 0 && status != want) {
				dr.problem = fmt.Sprintf("%s answers %d", p, status)
				break
			}
		}
		if dr.problem != "" {
			log.Printf("N=%d: %s: %s", n, t.name, dr.problem)
			continue
		}
		urls := make([]string, len(t.urls))
		for i, p := range t.urls {
			urls[i] = base + p
		}
		if _, err := LoadAll(ctx, client, urls, t.want, o.conns, o.warmup, o.maxRequests); err != nil {
			return nil, err
		}
		res, err := LoadAll(ctx, client, urls, t.want, o.conns, o.duration, o.maxRequests)
		if err != nil {
			return nil, err
		}
		dr.res = res
		if res.Requests > 0 {
			dr.size = int(res.Bytes / int64(res.Requests))
		}
		log.Printf("N=%d: %-40s cold %s  %8.0f req/s  p99 %s  errors %d", n, t.name, dr.cold.Round(time.Microsecond), res.RPS(),
			res.Percentile(99).Round(time.Microsecond), res.Errors)
	}
	return out, nil
}

// gunzip inflates a gzipped answer.
func gunzip(b []byte) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	return io.ReadAll(zr)
}
