package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"cchc/bench/queries"
)

// TestLoad runs the load loop for a moment against a test server: it is
// bounded by time and by count, counts non-2xx answers as errors, and
// refuses anything but 127.0.0.1.
func TestLoad(t *testing.T) {
	ok := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Accept-Encoding") != "gzip" {
			http.Error(w, "no gzip asked", http.StatusBadRequest)
			return
		}
		w.Write([]byte("xin chào"))
	}))
	defer ok.Close()
	missing := httptest.NewServer(http.NotFoundHandler())
	defer missing.Close()

	for _, tc := range []struct {
		name       string
		url        string
		dur        time.Duration
		max        int
		wantErr    bool
		exactCount bool // the count bound must stop the run
		allErrors  bool
	}{
		{name: "bounded by time", url: ok.URL + "/", dur: 150 * time.Millisecond, max: 1_000_000},
		{name: "bounded by count", url: ok.URL + "/", dur: 5 * time.Second, max: 40, exactCount: true},
		{name: "404 counts as an error", url: missing.URL + "/", dur: 100 * time.Millisecond, max: 1_000_000, allErrors: true},
		{name: "not 127.0.0.1", url: "http://example.com/", dur: 100 * time.Millisecond, max: 10, wantErr: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			res, err := Load(context.Background(), newClient(4), tc.url, 4, tc.dur, tc.max)
			if tc.wantErr {
				if err == nil {
					t.Fatal("Load accepted a target off 127.0.0.1")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if res.Requests == 0 || res.Requests > tc.max || len(res.Latencies) != res.Requests {
				t.Fatalf("%d requests, %d latencies, max %d", res.Requests, len(res.Latencies), tc.max)
			}
			if tc.exactCount && (res.Requests != tc.max || time.Since(start) >= tc.dur) {
				t.Errorf("%d requests in %s; want exactly %d, well before %s", res.Requests, time.Since(start), tc.max, tc.dur)
			}
			if want := 0; !tc.allErrors && res.Errors != want {
				t.Errorf("%d errors (%s), want none", res.Errors, res.FirstErr)
			}
			if tc.allErrors && (res.Errors != res.Requests || !strings.Contains(res.FirstErr, "404")) {
				t.Errorf("%d errors of %d requests (%s); want all, 404", res.Errors, res.Requests, res.FirstErr)
			}
			if p50, p99 := res.Percentile(50), res.Percentile(99); p50 <= 0 || p99 < p50 {
				t.Errorf("p50 %s, p99 %s", p50, p99)
			}
		})
	}
}

func TestWriteRegion(t *testing.T) {
	file := filepath.Join(t.TempDir(), "PERFORMANCE.md")
	first := beginMarker + "\none\n" + endMarker + "\n"
	if err := writeRegion(file, first); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(file)
	edited := "# Performance\n\nnotes before\n\n" + strings.TrimPrefix(string(b), "# Performance\n\n") + "\nnotes after\n"
	os.WriteFile(file, []byte(edited), 0o644)
	if err := writeRegion(file, beginMarker+"\ntwo\n"+endMarker+"\n"); err != nil {
		t.Fatal(err)
	}
	b, _ = os.ReadFile(file)
	want := "# Performance\n\nnotes before\n\n" + beginMarker + "\ntwo\n" + endMarker + "\n\nnotes after\n"
	if string(b) != want {
		t.Errorf("got\n%s\nwant\n%s", b, want)
	}
}

// TestParseWrk reads wrk's report as wrk 4.1 prints it.
func TestParseWrk(t *testing.T) {
	out := `Running 5s test @ http://127.0.0.1:18482/
  2 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   539.10us  612.00us  20.01ms   90.12%
    Req/Sec    29.80k     2.01k   33.99k    71.00%
  Latency Distribution
     50%  402.00us
     75%  611.00us
     90%    1.02ms
     99%    2.82ms
  296170 requests in 5.00s, 1.08GB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 12
Requests/sec:  59226.96
Transfer/sec:    220.80MB
`
	r, err := parseWrk(out)
	if err != nil {
		t.Fatal(err)
	}
	if r.rps != 59226.96 || r.p50 != 402*time.Microsecond || r.p99 != 2820*time.Microsecond || r.errors != 15 {
		t.Errorf("parseWrk = %+v", r)
	}
	if _, err := parseWrk("wrk: connection refused"); err == nil {
		t.Error("a report without Requests/sec parsed")
	}
}

// TestSearchLoad: every query is sent once, from several clients; an
// estimated count, an empty answer and an error are each counted.
func TestSearchLoad(t *testing.T) {
	var mu sync.Mutex
	asked := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query().Get("q")
		mu.Lock()
		asked[q]++
		mu.Unlock()
		switch {
		case q == "lỗi":
			http.Error(w, "lỗi", http.StatusInternalServerError)
		case strings.HasPrefix(q, "công"):
			w.Write([]byte("<p>Tìm thấy khoảng 99000 kết quả</p>"))
		case q == "xyzzy":
			w.Write([]byte("<h2>Không tìm thấy kết quả nào</h2>"))
		default:
			w.Write([]byte("<p>Tìm thấy 3 kết quả</p>"))
		}
	}))
	defer srv.Close()
	var qs []queries.Query
	for _, q := range []string{"công nghệ", "công", "xyzzy", "lỗi", "cải cách", "1256/QĐ-UBND", "qđ 1256", "ISO 9001"} {
		qs = append(qs, queries.Query{Text: q, Class: "phrase"})
	}
	r, err := searchLoad(context.Background(), srv.URL, qs, 3, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range qs {
		if asked[q.Text] != 1 {
			t.Errorf("%q asked %d times", q.Text, asked[q.Text])
		}
	}
	if len(r.lat) != len(qs) || r.errors != 1 || r.estimated != 2 || r.empty != 1 || len(r.byClass["phrase"]) != len(qs) {
		t.Errorf("run: %d latencies, %d errors, %d estimated, %d empty", len(r.lat), r.errors, r.estimated, r.empty)
	}
}
