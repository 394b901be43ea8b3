package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Result is what one bounded load run measured.
type Result struct {
	Requests int           // completed requests, errors included
	Errors   int           // transport errors and non-2xx answers
	FirstErr string        // the first error, for the report
	Elapsed  time.Duration // from the first request to the last answer
	Bytes    int64         // body bytes read, as sent (gzip when gzipped)
	// Latencies of every completed request, sorted.
	Latencies []time.Duration
}

// RPS is the completed requests per second.
func (r *Result) RPS() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Requests) / r.Elapsed.Seconds()
}

// Percentile is the latency at p (0–100), or 0 when nothing completed.
func (r *Result) Percentile(p float64) time.Duration {
	n := len(r.Latencies)
	if n == 0 {
		return 0
	}
	i := int(float64(n) * p / 100)
	return r.Latencies[min(i, n-1)]
}

// newClient is a keep-alive client for conns concurrent connections. It
// asks for gzip itself (as browsers do) and keeps the bytes as sent, so the
// body sizes and the server's compression cost are the real ones.
func newClient(conns int) *http.Client {
	return &http.Client{
		Transport: &http.Transport{
			DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
			MaxIdleConns:        2 * conns,
			MaxIdleConnsPerHost: 2 * conns,
			IdleConnTimeout:     90 * time.Second,
			DisableCompression:  true,
		},
		Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}

// localOnly refuses any target that is not on 127.0.0.1: the harness
// never loads anything but the processes it started.
func localOnly(target string) error {
	u, err := url.Parse(target)
	if err != nil {
		return err
	}
	if u.Scheme != "http" || u.Hostname() != "127.0.0.1" {
		return fmt.Errorf("harness: refusing target %q: only http://127.0.0.1 is loaded", target)
	}
	return nil
}

// Load runs a closed loop of conns workers, each sending GET target and
// reading the whole answer before sending the next, until dur has passed,
// max requests were sent or ctx ends, whichever comes first.
func Load(ctx context.Context, client *http.Client, target string, conns int, dur time.Duration, max int) (*Result, error) {
	return LoadAll(ctx, client, []string{target}, 0, conns, dur, max)
}

// LoadAll is Load over several targets, request i asking for
// targets[i % len(targets)], where an answer is an error unless its
// status is want (any 2xx when want is 0).
func LoadAll(ctx context.Context, client *http.Client, targets []string, want int, conns int, dur time.Duration, max int) (*Result, error) {
	if len(targets) == 0 {
		return nil, errors.New("harness: load needs a target")
	}
	for _, target := range targets {
		if err := localOnly(target); err != nil {
			return nil, err
		}
	}
	if conns < 1 || max < 1 || dur <= 0 {
		return nil, errors.New("harness: load needs conns ≥ 1, max ≥ 1 and a positive duration")
	}
	// One slot per request, claimed with an atomic counter: no lock and
	// no allocation on the hot path.
	lat := make([]time.Duration, max)
	var (
		next     atomic.Int64
		errCount atomic.Int64
		bytes    atomic.Int64
		errOnce  sync.Once
		firstErr string
		wg       sync.WaitGroup
	)
	fail := func(msg string) {
		errCount.Add(1)
		errOnce.Do(func() { firstErr = msg })
	}
	start := time.Now()
	deadline := start.Add(dur)
	lctx, cancel := context.WithDeadline(ctx, deadline.Add(5*time.Second))
	defer cancel()
	for range conns {
		wg.Go(func() {
			for lctx.Err() == nil && time.Now().Before(deadline) {
				i := next.Add(1) - 1
				if i >= int64(max) {
					return
				}
				req, err := http.NewRequestWithContext(lctx, http.MethodGet, targets[i%int64(len(targets))], nil)
				if err != nil {
					fail(err.Error())
					lat[i] = -1
					continue
				}
				req.Header.Set("Accept-Encoding", "gzip")
				t0 := time.Now()
				resp, err := client.Do(req)
				if err != nil {
					lat[i] = time.Since(t0)
					var ue *url.Error
					if errors.As(err, &ue) {
						err = ue.Err // the URL is in the report already
					}
					fail(err.Error())
					continue
				}
				n, err := io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				lat[i] = time.Since(t0)
				bytes.Add(n)
				switch {
				case err != nil:
					fail(err.Error())
				case want == 0 && (resp.StatusCode < 200 || resp.StatusCode > 299), want != 0 && resp.StatusCode != want:
					fail(resp.Status)
				}
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	done := min(int(next.Load()), max)
	// A slot claimed after the deadline may hold no measurement; drop the
	// zero and negative slots (a request never takes 0 ns over TCP).
	out := lat[:0]
	for _, d := range lat[:done] {
		if d > 0 {
			out = append(out, d)
		}
	}
	slices.Sort(out)
	return &Result{Requests: len(out), Errors: int(errCount.Load()), FirstErr: firstErr, Elapsed: elapsed,
		Bytes: bytes.Load(), Latencies: out}, nil
}
