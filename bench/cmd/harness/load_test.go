package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
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
