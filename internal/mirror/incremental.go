package mirror

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"maps"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
)

// StateName records, beside the manifest, what the next run needs to
// render only what a change can reach: the inputs the mirror was made of
// and, for each URL asked, what it answered and the links it holds.
const StateName = ".cchc/state.json"

// Inputs are what the column's pages are made of, as the caller (package
// app, from the database) knows them. With them a run renders only the
// URLs a change can reach and takes every other one from the last run:
//
//   - any change of Global (the program, the theme, settings, plans,
//     stored files, the day, the configuration) renders everything;
//   - otherwise the items whose stamp changed, came or went are the
//     change. A run renders their pages; every page that linked to them
//     last time; the items they link to or linked to (a document's page
//     lists the items citing it, an article the documents it cites); the
//     pages of their groups (Groups: the lists, feeds and pages of their
//     section and areas, then and now), since a new item shifts every
//     page of its lists; and every other page that is neither an item's
//     nor under Fixed — home, the areas' index, the column's feeds, the
//     sitemap. An item's page rendered so whose bytes changed passes the
//     change on the same way, to the pages linking to it, the items it
//     links to and its groups (a document replaced by a new one shows it,
//     and so do the articles citing it).
//
// Everything else is taken from the last run: its file (still on disk at
// its size), its links, in order, so the crawl goes as a full run's would.
// TestIncrementalEqualsFull checks that the folder ends byte for byte as
// a full run into an empty one leaves it.
type Inputs struct {
	// Global fingerprints everything outside the items that a page may
	// show.
	Global string
	// Items maps the escaped path of each public item's page to a stamp
	// that changes whenever the item does (its row, its visibility).
	Items map[string]string
	// Groups maps an item's path (as Items) to the paths of the groups it
	// is in: its section's list (/tin-tuc/) and its areas' pages
	// (/chu-de/SLUG). A page at a group's path or under it (the group's
	// path, a slash, anything), not an item's, shows only items of that
	// group: it is rendered when an item of the group changed, came or
	// went, and not for another item's change.
	Groups map[string][]string
	// Fixed are path prefixes whose answers depend on Global alone (the
	// fingerprinted assets, the stored files): never rendered for an
	// item's change.
	Fixed []string
}

// state is the content of StateName.
type state struct {
	// Manifest is the SHA-256 of the manifest written with this state: a
	// state beside another run's manifest is not used.
	Manifest string            `json:"manifest"`
	Base     string            `json:"base"`
	Global   string            `json:"global"`
	Items    map[string]string `json:"items"`
	// Groups are the groups of each item (Inputs.Groups), for the run
	// after an item left them.
	Groups map[string][]string `json:"groups,omitempty"`
	// Links holds each link once; pages name them by index.
	Links []string            `json:"links"`
	Pages map[string]*pageRec `json:"pages"`
}

// pageRec is what asking for one URL gave.
type pageRec struct {
	// Code is the status: 200, a redirect, or another (left out).
	Code int `json:"c"`
	// File is the manifest name of a 200's file; Unsafe is set when the
	// path made none.
	File   string `json:"f,omitempty"`
	Unsafe bool   `json:"u,omitempty"`
	// Location is where a redirect goes, as sent.
	Location string `json:"l,omitempty"`
	// Out are the links of the page, resolved, in order (indices into
	// state.Links on disk; out in memory).
	Out []int `json:"o,omitempty"`
	out []string
}

// readState reads the last run's state if it goes with the manifest
// bytes mb; nil when it does not, or is missing or unreadable.
func readState(b []byte, mb []byte) *state {
	var st state
	if len(b) == 0 || len(mb) == 0 || json.Unmarshal(b, &st) != nil || st.Pages == nil || st.Items == nil {
		return nil
	}
	if st.Manifest != sum(mb) {
		return nil
	}
	for _, p := range st.Pages {
		if p == nil {
			return nil
		}
		p.out = make([]string, 0, len(p.Out))
		for _, i := range p.Out {
			if i < 0 || i >= len(st.Links) {
				return nil
			}
			p.out = append(p.out, st.Links[i])
		}
	}
	return &st
}

// encodeState is the state of this run, for the manifest bytes mb.
func (b *builder) encodeState(mb []byte) ([]byte, error) {
	in := b.opt.Inputs
	st := &state{Manifest: sum(mb), Base: b.opt.Base, Global: in.Global, Items: in.Items, Groups: in.Groups, Pages: b.pages}
	index := map[string]int{}
	for _, u := range slices.Sorted(maps.Keys(b.pages)) {
		p := b.pages[u]
		p.Out = p.Out[:0]
		for _, l := range p.out {
			i, ok := index[l]
			if !ok {
				i = len(st.Links)
				index[l] = i
				st.Links = append(st.Links, l)
			}
			p.Out = append(p.Out, i)
		}
	}
	return json.Marshal(st)
}

func sum(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// plan decides, from the last run's state, which URLs this run renders,
// and renders them (into b.pre); it leaves b.last nil when everything is
// to be rendered.
func (b *builder) plan(last *state) error {
	in := b.opt.Inputs
	if in == nil || last == nil || last.Base != b.opt.Base || last.Global != in.Global {
		return nil
	}
	b.last = last
	items := map[string]bool{}
	var changed []string
	for u, s := range in.Items {
		items[u] = true
		if last.Items[u] != s {
			changed = append(changed, u)
		}
	}
	for u := range last.Items {
		items[u] = true
		if _, ok := in.Items[u]; !ok {
			changed = append(changed, u)
		}
	}
	if len(changed) == 0 {
		return nil
	}
	slices.Sort(changed)
	// Who linked to each item last time.
	in2 := map[string][]string{}
	for _, u := range slices.Sorted(maps.Keys(last.Pages)) {
		for _, l := range last.Pages[u].out {
			if items[l] {
				in2[l] = append(in2[l], u)
			}
		}
	}
	queued := map[string]bool{}
	var work []string
	add := func(u string) {
		if !queued[u] {
			queued[u] = true
			work = append(work, u)
		}
	}
	// The pages neither items' nor fixed: by group, or in none.
	groups := map[string]bool{}
	for _, m := range []map[string][]string{last.Groups, in.Groups} {
		for _, gs := range m {
			for _, g := range gs {
				groups[g] = true
			}
		}
	}
	byGroup := map[string][]string{}
	var free []string
	for _, u := range slices.Sorted(maps.Keys(last.Pages)) {
		if p := last.Pages[u]; p.Code != 200 || items[u] || b.fixed(u) {
			continue
		}
		grouped := false
		for g := range groups {
			if u == g || strings.HasPrefix(u, strings.TrimSuffix(g, "/")+"/") {
				byGroup[g] = append(byGroup[g], u)
				grouped = true
			}
		}
		if !grouped {
			free = append(free, u)
		}
	}
	touched := map[string]bool{}
	touch := func(item string) {
		for _, g := range slices.Concat(last.Groups[item], in.Groups[item]) {
			if !touched[g] {
				touched[g] = true
				for _, u := range byGroup[g] {
					add(u)
				}
			}
		}
	}
	for _, u := range changed {
		add(u)
		touch(u)
	}
	for _, u := range free {
		add(u)
	}
	isChanged := map[string]bool{}
	for _, u := range changed {
		isChanged[u] = true
	}
	for len(work) > 0 {
		if err := b.ctx.Err(); err != nil {
			return err
		}
		u := work[0]
		work = work[1:]
		w := b.get(u)
		b.pre[u] = w
		if !items[u] {
			continue
		}
		if !isChanged[u] && !b.differs(u, w) {
			continue
		}
		// The change passes on: to the pages linking to it, to its
		// groups, to the items it links to, last time and now.
		touch(u)
		for _, l := range in2[u] {
			add(l)
		}
		var out []string
		if p := last.Pages[u]; p != nil {
			out = append(out, p.out...)
		}
		if w.Code == 200 {
			for _, link := range Links(w.Body.Bytes(), w.Header().Get("Content-Type"), b.opt.Base) {
				if p, ok := b.internal(link, u); ok {
					out = append(out, p)
				}
			}
		}
		for _, l := range out {
			if items[l] {
				add(l)
			}
		}
	}
	return nil
}

// differs reports whether the answer w for u is not what the last run
// wrote for it.
func (b *builder) differs(u string, w *httptest.ResponseRecorder) bool {
	p := b.last.Pages[u]
	if p == nil || p.Code != w.Code {
		return true
	}
	if w.Code != 200 {
		return p.Location != w.Header().Get("Location")
	}
	e := b.old.Files[p.File]
	return e == nil || e.SHA256 != sum(w.Body.Bytes()) || e.Type != w.Header().Get("Content-Type")
}

// fixed reports whether the escaped path u answers from the global inputs
// alone.
func (b *builder) fixed(u string) bool {
	for _, f := range b.opt.Inputs.Fixed {
		if strings.HasPrefix(u, f) {
			return true
		}
	}
	return false
}

// replay takes the URL t from the last run instead of asking the handler:
// the same outcome, the same links followed in the same order. It reports
// false when it cannot (the file is gone from the disk), and t is then
// asked for.
func (b *builder) replay(t target) bool {
	p := b.last.Pages[t.escaped]
	if p == nil {
		return false
	}
	switch {
	case p.Code == 200 && p.Unsafe:
		b.leave(t.escaped, t.from, LeftUnsafe, "")
	case p.Code == 200:
		if _, dup := b.man.Files[p.File]; !dup {
			e := b.old.Files[p.File]
			if e == nil || !b.present(p.File, e) {
				return false
			}
			c := *e
			b.man.Files[p.File] = &c
			b.res.Bytes += c.Size
			b.res.Unchanged++
		}
		b.pages[t.escaped] = p
		for _, l := range p.out {
			b.followResolved(l, t.escaped)
		}
		return true
	default:
		// A redirect or a status left out: visit does the rest from the
		// record as from an answer.
	}
	b.pages[t.escaped] = p
	if isRedirect(p.Code) {
		b.redirected(t, p.Location)
	} else if p.Code != 200 {
		b.leave(t.escaped, t.from, LeftStatus, strconv.Itoa(p.Code))
	}
	return true
}
