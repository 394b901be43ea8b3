package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"
)

// serveBare is the physical limit: a bare net/http server writing bytes it
// holds in memory, with the headers the real server sent for them. It runs
// as its own child process (a copy of the harness started with
// -bare-body), so that, like cchc serve, it competes with the load
// generator for the CPU only as a separate process does; measuring it
// inside the harness would let the two share one Go scheduler.
func serveBare(file, addr, contentType, encoding string) error {
	body, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil || host != "127.0.0.1" {
		return fmt.Errorf("bare handler: -bare-addr must be 127.0.0.1:PORT, not %q", addr)
	}
	length := strconv.Itoa(len(body))
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Type", contentType)
		if encoding != "" {
			hd.Set("Content-Encoding", encoding)
			hd.Set("Vary", "Accept-Encoding")
		}
		hd.Set("Content-Length", length)
		w.WriteHeader(http.StatusOK)
		w.Write(body)
	})
	srv := &http.Server{Addr: addr, Handler: h, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 120 * time.Second}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		srv.Shutdown(sctx)
	}()
	if err := srv.ListenAndServe(); err != http.ErrServerClosed {
		return err
	}
	return nil
}
