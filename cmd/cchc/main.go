// Command cchc is the CCHC column of the Quảng Ngãi Department of Science and
// Technology: one binary that imports, serves and reports.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"cchc/internal/app"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := app.Run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
