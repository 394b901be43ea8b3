// Package publish makes every change to content: importing files, and (with
// the editors' workspace) saving, submitting, publishing and withdrawing.
// Each change runs in one transaction with everything that goes with it.
package publish

import (
	"log/slog"
	"time"

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
}

// New returns a Service. now is the clock (time.Now outside tests).
func New(st *store.Store, md *markdown.Renderer, now func() time.Time, log *slog.Logger) *Service {
	if now == nil {
		now = time.Now
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Service{store: st, md: md, now: now, log: log}
}

// resolver resolves legal references against a snapshot of the registry.
type resolver struct {
	docs map[string]*content.Item
	now  time.Time
}

func newResolver(now time.Time) *resolver {
	return &resolver{docs: map[string]*content.Item{}, now: now}
}

func (r *resolver) add(key string, it *content.Item) { r.docs[key] = it }

// Resolve implements markdown.Resolver.
func (r *resolver) Resolve(key string) (markdown.Target, bool) {
	d, ok := r.docs[key]
	if !ok {
		return markdown.Target{}, false
	}
	t := markdown.Target{URL: "/" + content.Document.Section() + "/" + d.Slug, Title: d.Type + " số " + d.Number + ": " + d.Title}
	switch v := d.DocumentValidity(r.now); v {
	case content.ValidityExpired, content.ValidityNotYet:
		t.Validity = v
	}
	return t, true
}

// uid builds an item's permanent identity from the day it first went
// public and its first slug, in the form tag: URIs use (RFC 4151); it is
// deterministic so that the same content gives the same feeds.
func uid(k content.Kind, slug string, day time.Time) string {
	return day.In(vntext.Zone).Format("2006-01-02") + ":" + string(k) + "/" + slug
}
