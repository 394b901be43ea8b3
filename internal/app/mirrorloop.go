package app

import (
	"context"
	"log/slog"
	"os"
	"os/exec"
	"strconv"
	"time"

	"cchc/internal/vntext"
)

// KeepMirror keeps the static mirror out in step with the public column
// (serve --mirror): it builds it at once, then polls the site's state
// every period and rebuilds after each committed change (a publication, a
// scheduled one falling due, an edit, a new day), once the state has kept
// still for quiet, so a burst of edits makes one rebuild. After each
// rebuild that changed a file it runs cmd (--mirror-cmd) with sh -c,
// CCHC_MIRROR naming the folder. It returns when ctx ends.
func (e *Env) KeepMirror(ctx context.Context, out, cmd string, period, quiet time.Duration) {
	built := "" // the state the mirror shows
	seen, since := "", time.Time{}
	t := time.NewTicker(period)
	defer t.Stop()
	for {
		st, err := e.Store.State(ctx)
		switch {
		case err != nil:
			if ctx.Err() == nil {
				e.Log.Warn("mirror: site state", slog.Any("err", err))
			}
		default:
			now := e.Now()
			state := strconv.FormatInt(st.Version, 10) + " " + now.In(vntext.Zone).Format("2006-01-02")
			if !st.NextScheduled.IsZero() && !st.NextScheduled.After(now) {
				state += " due" // publishDueEvery records it soon; the pages show it already
			}
			if state != seen {
				seen, since = state, time.Now()
			}
			if state != built && (built == "" || time.Since(since) >= quiet) {
				if e.updateMirror(ctx, out, cmd) {
					built = state
				}
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// updateMirror rebuilds the mirror and runs cmd when a file changed; it
// reports whether the mirror was built.
func (e *Env) updateMirror(ctx context.Context, out, cmd string) bool {
	t0 := time.Now()
	res, err := e.BuildMirror(ctx, out)
	if err != nil {
		if ctx.Err() == nil {
			e.Log.Error("mirror: build", slog.String("dir", out), slog.Any("err", err))
		}
		return false
	}
	e.Log.Info("mirror updated", slog.String("dir", out), slog.Int("files", res.Files),
		slog.Int("written", len(res.Written)), slog.Int("deleted", len(res.Deleted)), slog.Int("rendered", res.Rendered), slog.Duration("took", time.Since(t0)))
	if cmd == "" || len(res.Written)+len(res.Deleted) == 0 {
		return true
	}
	c := exec.CommandContext(ctx, "sh", "-c", cmd)
	c.Env = append(os.Environ(), "CCHC_MIRROR="+out)
	if b, err := c.CombinedOutput(); err != nil {
		// The mirror is built; the sync runs again after the next change.
		e.Log.Error("mirror: --mirror-cmd", slog.Any("err", err), slog.String("output", string(b)))
	}
	return true
}
