//go:build benchpprof

package main

import (
	"net"
	"net/http"
	"os"
	"runtime/pprof"
	"sync"
)

// In a binary built with -tags benchpprof (the benchmark harness's
// -agencies mode builds one; the product never is), CCHC_PROFILE_ADDR
// names a 127.0.0.1 address where GET /start?to=FILE starts a CPU profile
// into FILE and GET /stop ends it: the harness profiles the server over
// exactly the load it measures, whatever that load's length.
func init() {
	addr := os.Getenv("CCHC_PROFILE_ADDR")
	if addr == "" {
		return
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil || host != "127.0.0.1" {
		return // a profile is never offered beyond this machine
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return
	}
	var (
		mu   sync.Mutex
		file *os.File
	)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /start", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		if file != nil {
			http.Error(w, "already profiling", http.StatusConflict)
			return
		}
		f, err := os.Create(r.URL.Query().Get("to"))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			f.Close()
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		file = f
	})
	mux.HandleFunc("GET /stop", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		if file == nil {
			http.Error(w, "not profiling", http.StatusConflict)
			return
		}
		pprof.StopCPUProfile()
		file.Close()
		file = nil
	})
	go http.Serve(ln, mux)
}
