// Package publish makes every change to content: importing files, and (with
// the editors' workspace) saving, submitting, publishing and withdrawing.
// Each change runs in one transaction with everything that goes with it.
// Markdown is never rendered inside a transaction: a body renders before
// the transaction that stores it, and the items citing a changed document
// are re-rendered after it commits (render.go), so the single writer is
// held only for SQL.
package publish

import (
	"log/slog"
	"time"

	"cchc/internal/auth"
	"cchc/internal/content"
	"cchc/internal/markdown"
	"cchc/internal/store"
	"cchc/internal/vntext"
)

// Service makes changes to content.
type Service struct {
	store *store.Store
	md    *markdown.Renderer
	now   func() time.Time
	log   *slog.Logger

	hooks  []Hook
	events EventLog
	policy auth.Policy
}

// New returns a Service. now is the clock (time.Now outside tests).
func New(st *store.Store, md *markdown.Renderer, now func() time.Time, log *slog.Logger) *Service {
	if now == nil {
		now = time.Now
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Service{store: st, md: md, now: now, log: log, policy: auth.DefaultPolicy}
}

// uid builds an item's permanent identity from the day it first went
// public and its first slug, in the form tag: URIs use (RFC 4151); it is
// deterministic so that the same content gives the same feeds.
func uid(k content.Kind, slug string, day time.Time) string {
	return day.In(vntext.Zone).Format("2006-01-02") + ":" + string(k) + "/" + slug
}
