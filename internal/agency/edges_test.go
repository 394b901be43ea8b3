package agency_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"cchc/internal/agency"
	"cchc/internal/auth"
	"cchc/internal/config"
	"cchc/internal/content"
	"cchc/internal/publish"
	"cchc/internal/testsupport"
)

// stpTitle is the title of agency 2's published article (stpContent),
// stpDraftTitle that of its draft: neither may show through another
// column.
const (
	stpTitle      = "Sở Tư pháp triển khai tuyên truyền cải cách hành chính năm 2022"
	stpDraftTitle = "Bản nháp nội bộ của Sở Tư pháp chưa đăng tải"
)

// edgesEnv is columnsEnv with agency 2's content and a draft of it.
func edgesEnv(t *testing.T) (http.Handler, string) {
	t.Helper()
	env, h := columnsEnv(t)
	stp, err := env.Store.AgencyBySlug(t.Context(), "so-tu-phap")
	if err != nil {
		t.Fatal(err)
	}
	importAs(t, env, stp.ID, stpContent)
	it, _, err := env.Publish.Save(agency.WithID(t.Context(), stp.ID), publish.Actor{Name: "stp.bientap", Role: auth.Editor, AgencyID: stp.ID},
		publish.SaveRequest{Item: content.Item{Kind: content.Article, Title: stpDraftTitle, Body: "Nội dung chưa đăng tải.\n"}})
	if err != nil {
		t.Fatal(err)
	}
	return h, it.Slug
}

// TestColumnsPrefixConfusion: addresses made to confuse the resolver —
// dot segments, doubled slashes, the prefix percent-encoded, in capitals,
// twice, with a NUL or a semicolon, an NFD slug, another column's item
// under a prefix or at a host — never serve one agency's page through
// another's column, never a draft, and never a 5xx. The answers that are
// pages name the column they belong to.
func TestColumnsPrefixConfusion(t *testing.T) {
	h, draft := edgesEnv(t)
	const art = "/tin-tuc/stp-tuyen-truyen"
	nfd := "/tin-tuc/stp-tuye\u0302n-truye\u0302\u0300n" // NFD letters in a slug that has none
	for _, tt := range []struct {
		host, path string
		want       int
		stp        bool // the answer is agency 2's page
	}{
		{rootHost, stpPrefix + art, http.StatusOK, true},
		{rootHost, "/%73o-tu-phap" + art, http.StatusOK, true}, // the same address, one letter escaped
		{rootHost, art, http.StatusNotFound, false},
		// Under the prefix but no page of a column: agency 2's 404 page,
		// not a way out of its column into the root's.
		{rootHost, stpPrefix + "/.." + art, http.StatusNotFound, true},
		{rootHost, stpPrefix + "/." + art, http.StatusNotFound, true},
		{rootHost, stpPrefix + "/%2e%2e" + art, http.StatusNotFound, true},
		{rootHost, "/." + stpPrefix + art, http.StatusNotFound, false},
		{rootHost, "/" + stpPrefix + art, http.StatusNotFound, false},
		{rootHost, stpPrefix + "/" + art, http.StatusNotFound, true},
		{rootHost, stpPrefix + stpPrefix + art, http.StatusNotFound, true},
		{rootHost, "/SO-TU-PHAP" + art, http.StatusNotFound, false},
		{rootHost, stpPrefix + "%00" + art, http.StatusNotFound, false},
		{rootHost, stpPrefix + ";x" + art, http.StatusNotFound, false},
		{rootHost, stpPrefix + "%2F" + art[1:], http.StatusOK, true},
		{rootHost, stpPrefix + nfd, http.StatusNotFound, true},
		{rootHost, stpPrefix + "/tin-tuc/" + draft, http.StatusNotFound, true},
		{rootHost, "/tin-tuc/" + draft, http.StatusNotFound, false},
		{stcHost, art, http.StatusNotFound, false},
		{stcHost, stpPrefix + art, http.StatusNotFound, false},
		{stcHost, "/tin-tuc/" + draft, http.StatusNotFound, false},
		{stcHost, stpPrefix + "/tin-tuc/" + draft, http.StatusNotFound, false},
	} {
		a := fetch(h, tt.host, tt.path)
		body := string(a.body)
		if a.status != tt.want {
			t.Errorf("%s%s: %d, want %d", tt.host, tt.path, a.status, tt.want)
		}
		if a.status >= 500 {
			continue
		}
		if strings.Contains(body, stpDraftTitle) {
			t.Errorf("%s%s: agency 2's draft shows", tt.host, tt.path)
		}
		if tt.stp != strings.Contains(body, `<span class="brand-name">Sở Tư pháp tỉnh Quảng Ngãi</span>`) && strings.HasPrefix(a.ctype, "text/html") {
			t.Errorf("%s%s: answered as agency 2's column %v, want %v", tt.host, tt.path, !tt.stp, tt.stp)
		}
		if !tt.stp && strings.Contains(body, stpTitle) {
			t.Errorf("%s%s: agency 2's article shows through another column", tt.host, tt.path)
		}
	}
}

// TestColumnsForgedBurst: 300 requests at once, in two rounds around a
// cache drop — a third with a Host no column has (421), a third with an
// honest Host but forged X-Forwarded-Host, -Prefix, -Proto and Forwarded
// naming another column, a third honest — to the three columns' pages and
// a prefixed column's trailing-slash redirect: every forged answer is
// the honest one's bytes (or the 421), and afterwards every column still
// serves its own bytes.
func TestColumnsForgedBurst(t *testing.T) {
	h, _ := edgesEnv(t)
	type target struct{ host, path string }
	var targets []target
	for _, p := range []string{"/", "/tin-tuc/", "/rss.xml", "/sitemap.xml"} {
		targets = append(targets, target{rootHost, p}, target{rootHost, stpPrefix + p}, target{stcHost, p})
	}
	targets = append(targets, target{rootHost, stpPrefix + "/tin-tuc"}, target{rootHost, stpPrefix + art()})
	want := map[target]answer{}
	for _, tg := range targets {
		want[tg] = fetch(h, tg.host, tg.path, "Accept-Encoding", "identity")
	}
	if a := want[target{rootHost, stpPrefix + "/tin-tuc"}]; a.status != http.StatusMovedPermanently || a.location != stpPrefix+"/tin-tuc/" {
		t.Fatalf("the honest redirect: %d %q", a.status, a.location)
	}
	forged := []string{"X-Forwarded-Host", stcHost, "X-Forwarded-Prefix", stpPrefix, "X-Forwarded-Proto", "http",
		"Forwarded", "host=" + stcHost + ";proto=http", "X-Forwarded-Server", "evil.example", "Accept-Encoding", "identity"}
	badHosts := []string{"evil.example", stcHost + ".evil.example", rootHost + "@evil.example", "so-tu-phap", stcHost + ":99999"}
	var bad int
	for round := range 2 {
		var wg sync.WaitGroup
		var mu sync.Mutex
		start := make(chan struct{})
		for i := range 300 {
			tg := targets[i%len(targets)]
			wg.Go(func() {
				<-start
				var a answer
				ok := true
				switch i % 3 {
				case 0:
					a = fetch(h, badHosts[i%len(badHosts)], tg.path, forged...)
					ok = a.status == http.StatusMisdirectedRequest && !bytes.Contains(a.body, []byte("evil"))
				case 1:
					a = fetch(h, tg.host, tg.path, forged...)
				default:
					a = fetch(h, tg.host, tg.path, "Accept-Encoding", "identity")
				}
				if i%3 != 0 {
					w := want[tg]
					ok = a.status == w.status && a.location == w.location && bytes.Equal(a.body, w.body) && a.etag == w.etag
				}
				if !ok {
					mu.Lock()
					bad++
					if bad <= 10 {
						t.Errorf("round %d, request %d (%s%s): %d %q, not what an honest request gets", round, i, tg.host, tg.path, a.status, a.location)
					}
					mu.Unlock()
				}
			})
		}
		close(start)
		wg.Wait()
	}
	for _, tg := range targets {
		if a := fetch(h, tg.host, tg.path, "Accept-Encoding", "identity"); !bytes.Equal(a.body, want[tg].body) || a.location != want[tg].location {
			t.Errorf("after the bursts, %s%s is not its column's own answer", tg.host, tg.path)
		}
	}
	t.Logf("2 rounds × 300 concurrent requests (100 foreign Host, 100 forged X-Forwarded-*/Forwarded, 100 honest) over %d targets: %d wrong answers", len(targets), bad)
}

func art() string { return "/tin-tuc/stp-tuyen-truyen" }

// TestColumnsTrustedProxyPrefix: through the real router, a trusted
// proxy's X-Forwarded-Prefix comes before the column's prefix in its
// trailing-slash redirect, and the same header from another peer is
// ignored.
func TestColumnsTrustedProxyPrefix(t *testing.T) {
	cfg := config.Defaults
	cfg.BaseURL = base
	cfg.AllowedHosts = rootHost
	cfg.TrustedProxies = "10.0.0.0/8"
	env := testsupport.Demo(t, cfg, func() time.Time { return clock })
	h := testsupport.Handler(t, env)
	if _, err := env.Store.CreateAgency(t.Context(), tuPhap(), audit()); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ peer, location string }{
		{"10.1.2.3:5000", "/cchc" + stpPrefix + "/tin-tuc/"},
		{"192.0.2.1:5000", stpPrefix + "/tin-tuc/"},
	} {
		req := fetchFrom(h, tt.peer, rootHost, stpPrefix+"/tin-tuc", "X-Forwarded-Prefix", "/cchc")
		if req.status != http.StatusMovedPermanently || req.location != tt.location {
			t.Errorf("from %s: %d %q, want 301 %q", tt.peer, req.status, req.location, tt.location)
		}
	}
}

// fetchFrom is fetch from the peer address peer (a proxy's, say).
func fetchFrom(h http.Handler, peer, host, target string, header ...string) answer {
	req := httptest.NewRequest(http.MethodGet, target, nil)
	req.Host, req.RemoteAddr = host, peer
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return answer{status: rec.Code, location: rec.Header().Get("Location"), body: rec.Body.Bytes()}
}
