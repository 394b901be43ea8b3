// Package feed builds the column's feeds — RSS 2.0, Atom 1.0 and JSON Feed
// 1.1 — with gorilla/feeds, filling the gaps it leaves (Atom <published>
// and rel="self", several categories, JSON attachments with their size).
//
// Feeds are deterministic: the same items give the same bytes. Entry ids
// are tag: URIs made from an item's permanent UID, so renaming an item
// never makes it look new; an entry's updated time is the item's last
// major update, so minor edits do not resurface it; the feed's own date is
// its newest entry's, never the time of the request.
package feed

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"html"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gorilla/feeds"

	"cchc/internal/content"
	"cchc/internal/locale"
	"cchc/internal/store"
	"cchc/internal/vntext"
)

// DefaultTagHost is the authority of entry ids when no --base-url is set:
// the department's site, which owns the column.
const DefaultTagHost = "skhcn.quangngai.gov.vn"

// Publisher is the department: the feeds' author, and each entry's author
// when the item names none.
func Publisher() string { return locale.T("org.name") }

// Format is one of the three feed formats.
type Format string

// The formats, each served under its own file name.
const (
	RSS  Format = "rss"
	Atom Format = "atom"
	JSON Format = "json"
)

// Formats lists every format, in the order pages list them.
var Formats = []Format{RSS, Atom, JSON}

// FileName is the last segment of the format's URL.
func (f Format) FileName() string {
	switch f {
	case Atom:
		return "atom.xml"
	case JSON:
		return "feed.json"
	}
	return "rss.xml"
}

// ContentType is the media type the format is served with.
func (f Format) ContentType() string {
	switch f {
	case Atom:
		return "application/atom+xml; charset=utf-8"
	case JSON:
		return "application/feed+json; charset=utf-8"
	}
	return "application/rss+xml; charset=utf-8"
}

// MediaType is the content type without parameters, as <link rel="alternate">
// names it.
func (f Format) MediaType() string {
	mt, _, _ := strings.Cut(f.ContentType(), ";")
	return mt
}

// Label is the format's name for people.
func (f Format) Label() string {
	switch f {
	case Atom:
		return "Atom"
	case JSON:
		return "JSON Feed"
	}
	return "RSS"
}

// FormatByFile returns the format served as name ("rss.xml", …).
func FormatByFile(name string) (Format, bool) {
	for _, f := range Formats {
		if f.FileName() == name {
			return f, true
		}
	}
	return "", false
}

// Enclosure is a file attached to an entry (a document's text).
type Enclosure struct {
	URL    string // absolute
	Length int64  // bytes; 0 when unknown
	Type   string // media type
}

// Channel is what one feed is about: the whole column, a section, a
// content area or a search.
type Channel struct {
	Title       string
	Description string
	// Page is the path of the HTML page the feed follows ("/tin-tuc/",
	// "/tim-kiem?q=iso").
	Page string
	// Dir is the path the feed files live under: "" for /rss.xml,
	// "/tin-tuc" for /tin-tuc/rss.xml.
	Dir string
	// Query is the query string every feed file of the channel carries,
	// "?" included ("?q=iso" for /tim-kiem/rss.xml?q=iso); "" for none.
	Query string
}

// URL is the path of the channel's feed in format f.
func (ch Channel) URL(f Format) string { return ch.Dir + "/" + f.FileName() + ch.Query }

// Options are what entries are built with.
type Options struct {
	// BaseURL is the absolute address of the column without a trailing
	// slash; every link in a feed starts with it.
	BaseURL string
	// TagHost is the authority of the tag: URI ids (DefaultTagHost when
	// empty).
	TagHost string
	// Areas maps content-area ids to their titles, the entries' categories.
	Areas map[string]string
	// Enclosure returns the attachment of an item, if it has one.
	Enclosure func(it *store.Item) (Enclosure, bool)
	// Link, when set, is an entry's absolute address (else BaseURL and
	// the item's path): a province-wide feed links each entry to its own
	// agency's column.
	Link func(it *store.Item) string
	// Agency, when set, names the agency an entry comes from (a
	// province-wide feed): its first category, with the scheme
	// AgencyScheme, and its author when the item names none.
	Agency func(it *store.Item) (Source, bool)
	// Publisher is the agency whose column the feed is, its author and
	// that of entries naming none (Publisher() when empty).
	Publisher string
}

// publisher is o.Publisher, else the root column's.
func (o Options) publisher() string {
	if o.Publisher != "" {
		return o.Publisher
	}
	return Publisher()
}

// Source is the agency an entry of a province-wide feed comes from.
type Source struct {
	Slug      string // the category's term in Atom
	ShortName string // the category's text (Sở Tư pháp)
	Name      string // the entry's author when the item names none
}

// AgencyScheme is the scheme (Atom) and domain (RSS) of the category that
// names an entry's agency, telling it from the content areas.
const AgencyScheme = "co-quan"

// ID is the permanent id of the item with uid: a tag: URI (RFC 4151),
// since uid is already "date:kind/first-slug".
func ID(host, uid string) string {
	if host == "" {
		host = DefaultTagHost
	}
	return "tag:" + host + "," + uid
}

// TagHost is the tag: authority for a base URL: its host name without the
// port, or DefaultTagHost.
func TagHost(baseURL string) string {
	if u, err := url.Parse(baseURL); err == nil && u.Hostname() != "" {
		return u.Hostname()
	}
	return DefaultTagHost
}

// EntryUpdated is the time an entry last changed for readers: its last
// major update, else its publication.
func EntryUpdated(it *store.Item) time.Time {
	if !it.Updated.IsZero() && it.Updated.After(it.Published) {
		return it.Updated
	}
	return it.Published
}

// Updated is the feed's own date: the newest entry's updated time, or
// the zero time for an empty feed.
func Updated(items []*store.Item) time.Time {
	var t time.Time
	for _, it := range items {
		if u := EntryUpdated(it); u.After(t) {
			t = u
		}
	}
	return t
}

// Epoch is the date of a feed without entries: it still needs one (Atom
// requires <updated>), and a fixed one keeps the feed's bytes stable.
func Epoch() time.Time { return time.Unix(0, 0).In(vntext.Zone) }

// Build renders items — public, newest first, already limited to the
// number of entries wanted — as the channel's feed in format f.
func Build(ch Channel, items []*store.Item, f Format, o Options) ([]byte, error) {
	if o.TagHost == "" {
		o.TagHost = DefaultTagHost
	}
	g, extras := o.model(ch, items)
	switch f {
	case RSS:
		return rssBytes(g, extras, o.BaseURL+ch.URL(RSS))
	case Atom:
		return atomBytes(g, extras, o.BaseURL+ch.URL(Atom))
	case JSON:
		return jsonBytes(g, extras, o.BaseURL+ch.URL(JSON))
	}
	return nil, fmt.Errorf("feed: unknown format %q", f)
}

// extra is what gorilla's model has no room for, per entry.
type extra struct {
	categories []string // area titles
	areaIDs    []string
	published  time.Time
	enclosure  *Enclosure
	agency     *Source
}

// model fills gorilla's format-neutral feed.
func (o Options) model(ch Channel, items []*store.Item) (*feeds.Feed, []extra) {
	updated := Updated(items)
	if updated.IsZero() {
		updated = Epoch()
	}
	g := &feeds.Feed{
		Title:       ch.Title,
		Link:        &feeds.Link{Href: o.BaseURL + ch.Page},
		Description: ch.Description,
		Author:      &feeds.Author{Name: o.publisher()},
		Updated:     updated.In(vntext.Zone),
	}
	extras := make([]extra, len(items))
	for i, it := range items {
		link := o.BaseURL + it.URL()
		if o.Link != nil {
			link = o.Link(it)
		}
		author := it.Author
		var src *Source
		if o.Agency != nil {
			if a, ok := o.Agency(it); ok {
				src = &a
				if author == "" {
					author = a.Name
				}
			}
		}
		if author == "" {
			author = o.publisher()
		}
		e := &feeds.Item{
			Title:       entryTitle(it),
			Link:        &feeds.Link{Href: link},
			Author:      &feeds.Author{Name: author},
			Description: summary(it),
			Id:          ID(o.TagHost, it.UID),
			IsPermaLink: "false",
			Created:     it.Published.In(vntext.Zone),
			Updated:     EntryUpdated(it).In(vntext.Zone),
			Content:     facts(it) + absolute(it.HTML, o.BaseURL, link),
		}
		x := extra{published: it.Published.In(vntext.Zone), agency: src}
		for _, a := range it.Areas {
			if t, ok := o.Areas[a]; ok {
				x.categories = append(x.categories, t)
				x.areaIDs = append(x.areaIDs, a)
			}
		}
		if o.Enclosure != nil {
			if enc, ok := o.Enclosure(it); ok {
				x.enclosure = &enc
				e.Enclosure = &feeds.Enclosure{Url: enc.URL, Length: strconv.FormatInt(enc.Length, 10), Type: enc.Type}
			}
		}
		g.Items = append(g.Items, e)
		extras[i] = x
	}
	return g, extras
}

// entryTitle names an item as a reader's list should: a document by its
// type, number and summary, since its number alone says little.
func entryTitle(it *store.Item) string { return it.DisplayTitle() }

// SummaryLength is the longest summary made from an item's text, in runes.
const SummaryLength = 300

// summary is the item's own summary, else a document's extract (trích
// yếu), else the start of its text cut at a word.
func summary(it *store.Item) string {
	if it.Summary != "" {
		return it.Summary
	}
	if it.Kind == content.Document {
		return it.Title
	}
	return Excerpt(it.Text, SummaryLength)
}

// Excerpt is the first max runes of text, cut at a space, with "…" when cut.
func Excerpt(text string, max int) string {
	text = strings.Join(strings.Fields(text), " ")
	if utf8.RuneCountInString(text) <= max {
		return text
	}
	n, end, cut := 0, len(text), 0
	for i, r := range text {
		if n == max {
			end = i
			if r == ' ' { // the text breaks right at max
				cut = i
			}
			break
		}
		if r == ' ' {
			cut = i
		}
		n++
	}
	if cut == 0 {
		cut = end
	}
	return strings.TrimRight(text[:cut], " ,;:.") + "…"
}

// facts is a short HTML list of a procedure's or document's particulars,
// which live in front matter and not in the body a reader would see.
func facts(it *store.Item) string {
	names, ok := factFields[it.Kind]
	if !ok {
		return ""
	}
	var b strings.Builder
	b.WriteString("<ul>")
	for _, name := range names {
		f, ok := content.DefaultSchema().Field(it.Kind, name)
		if !ok {
			continue
		}
		v := f.Str(&it.Item)
		if f.Type == content.TypeDate && !f.Time(&it.Item).IsZero() {
			v = vntext.Date(f.Time(&it.Item))
		}
		if v != "" {
			b.WriteString("<li><strong>" + html.EscapeString(f.Label) + ":</strong> " + html.EscapeString(v) + "</li>")
		}
	}
	b.WriteString("</ul>\n")
	return b.String()
}

// factFields are the fields facts lists, by their labels in the field
// table.
var factFields = map[content.Kind][]string{
	content.Document:  {"number", "type", "issuer", "signer", "issued", "effective", "expires", "title"},
	content.Procedure: {"code", "field", "level", "agency", "online", "processing_time", "fee"},
}

// attrURL finds the link attributes of the HTML we rendered ourselves
// (goldmark always quotes with ").
var attrURL = regexp.MustCompile(`\b(href|src)="([^"]*)"`)

// absolute makes every relative link of rendered HTML absolute: a feed
// reader shows the entry away from our site, where "/van-ban/x" means
// nothing. Paths are under the column (base), fragments under the entry.
func absolute(h, base, entry string) string {
	if base == "" {
		return h
	}
	entryURL, err := url.Parse(entry)
	if err != nil {
		return h
	}
	return attrURL.ReplaceAllStringFunc(h, func(m string) string {
		sub := attrURL.FindStringSubmatch(m)
		v := html.UnescapeString(sub[2])
		var abs string
		switch {
		case v == "", strings.HasPrefix(v, "//"):
			return m
		case strings.HasPrefix(v, "/"):
			abs = base + v
		default:
			u, err := url.Parse(v)
			if err != nil || u.IsAbs() {
				return m
			}
			abs = entryURL.ResolveReference(u).String()
		}
		return sub[1] + `="` + html.EscapeString(abs) + `"`
	})
}

// xmlHeader starts every XML feed.
const xmlHeader = `<?xml version="1.0" encoding="UTF-8"?>` + "\n"

func marshalXML(v any) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString(xmlHeader)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("feed: %w", err)
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}

// rssRoot is gorilla's <rss> with the namespaces of the elements we add.
type rssRoot struct {
	XMLName   xml.Name `xml:"rss"`
	Version   string   `xml:"version,attr"`
	NSContent string   `xml:"xmlns:content,attr"`
	NSAtom    string   `xml:"xmlns:atom,attr"`
	NSDC      string   `xml:"xmlns:dc,attr"`
	Channel   *rssChannel
}

type rssChannel struct {
	XMLName xml.Name `xml:"channel"`
	*feeds.RssFeed
	Self  *atomLink  `xml:"atom:link"`
	Items []*rssItem `xml:"item"`
}

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr"`
}

// rssItem adds dc:creator (RSS <author> must be an e-mail address) and
// one <category> per area to gorilla's item.
type rssItem struct {
	XMLName xml.Name `xml:"item"`
	*feeds.RssItem
	Creator    string        `xml:"dc:creator,omitempty"`
	Categories []rssCategory `xml:"category"`
}

// rssCategory is an area's title, or with Domain AgencyScheme the short
// name of the entry's agency.
type rssCategory struct {
	Domain string `xml:"domain,attr,omitempty"`
	Text   string `xml:",chardata"`
}

func rssBytes(g *feeds.Feed, extras []extra, self string) ([]byte, error) {
	ch := (&feeds.Rss{Feed: g}).RssFeed()
	ch.Language = "vi"
	ch.ManagingEditor = "" // needs an e-mail address, which we do not publish
	ch.PubDate = ch.LastBuildDate
	// The channel's description is HTML to many readers too, and it may
	// carry a content area's title or a reader's search query.
	ch.Description = html.EscapeString(ch.Description)
	out := &rssChannel{RssFeed: ch, Self: &atomLink{Href: self, Rel: "self", Type: RSS.MediaType()}}
	for i, it := range ch.Items {
		it.Author = ""
		it.Description = html.EscapeString(it.Description) // RSS descriptions are HTML
		ri := &rssItem{RssItem: it, Creator: g.Items[i].Author.Name}
		if a := extras[i].agency; a != nil {
			ri.Categories = append(ri.Categories, rssCategory{Domain: AgencyScheme, Text: a.ShortName})
		}
		for _, c := range extras[i].categories {
			ri.Categories = append(ri.Categories, rssCategory{Text: c})
		}
		out.Items = append(out.Items, ri)
	}
	ch.Items = nil
	return marshalXML(&rssRoot{
		Version: "2.0", Channel: out,
		NSContent: "http://purl.org/rss/1.0/modules/content/",
		NSAtom:    "http://www.w3.org/2005/Atom",
		NSDC:      "http://purl.org/dc/elements/1.1/",
	})
}

// atomFeed adds xml:lang, the self link and proper entries to gorilla's
// feed.
type atomFeed struct {
	XMLName xml.Name `xml:"feed"`
	Lang    string   `xml:"xml:lang,attr"`
	*feeds.AtomFeed
	Links   []feeds.AtomLink `xml:"link"`
	Entries []*atomEntry     `xml:"entry"`
}

// atomEntry adds Atom categories (term and label, where gorilla writes a
// bare string) to gorilla's entry.
type atomEntry struct {
	XMLName xml.Name `xml:"entry"`
	*feeds.AtomEntry
	Categories []atomCategory `xml:"category"`
}

type atomCategory struct {
	Term   string `xml:"term,attr"`
	Scheme string `xml:"scheme,attr,omitempty"`
	Label  string `xml:"label,attr"`
}

func atomBytes(g *feeds.Feed, extras []extra, self string) ([]byte, error) {
	af := (&feeds.Atom{Feed: g}).AtomFeed()
	out := &atomFeed{Lang: "vi", AtomFeed: af, Links: []feeds.AtomLink{
		{Href: g.Link.Href, Rel: "alternate", Type: "text/html"},
		{Href: self, Rel: "self", Type: Atom.MediaType()},
	}}
	af.Link = nil
	af.Subtitle = g.Description
	for i, e := range af.Entries {
		e.Published = extras[i].published.Format(time.RFC3339)
		if e.Summary != nil {
			e.Summary.Type = "text" // our summaries are plain text
		}
		for j := range e.Links {
			if e.Links[j].Rel == "alternate" {
				e.Links[j].Type = "text/html"
			}
		}
		ae := &atomEntry{AtomEntry: e}
		if a := extras[i].agency; a != nil {
			ae.Categories = append(ae.Categories, atomCategory{Term: a.Slug, Scheme: AgencyScheme, Label: a.ShortName})
		}
		for j, c := range extras[i].categories {
			ae.Categories = append(ae.Categories, atomCategory{Term: extras[i].areaIDs[j], Label: c})
		}
		out.Entries = append(out.Entries, ae)
	}
	af.Entries = nil
	return marshalXML(out)
}

// jsonItem replaces gorilla's attachments (which write "size" and keep
// only images) with JSON Feed 1.1's.
type jsonItem struct {
	*feeds.JSONItem
	Attachments []jsonAttachment `json:"attachments,omitempty"`
}

type jsonAttachment struct {
	URL      string `json:"url"`
	MIMEType string `json:"mime_type"`
	Size     int64  `json:"size_in_bytes,omitempty"`
}

type jsonFeed struct {
	*feeds.JSONFeed
	Items []*jsonItem `json:"items"`
}

func jsonBytes(g *feeds.Feed, extras []extra, self string) ([]byte, error) {
	jf := (&feeds.JSON{Feed: g}).JSONFeed()
	jf.Language = "vi"
	jf.FeedUrl = self
	out := &jsonFeed{JSONFeed: jf, Items: []*jsonItem{}}
	for i, it := range jf.Items {
		it.Tags = extras[i].categories
		if a := extras[i].agency; a != nil {
			it.Tags = append([]string{a.ShortName}, it.Tags...)
		}
		it.Image = "" // gorilla takes an image enclosure for the item's picture
		ji := &jsonItem{JSONItem: it}
		if enc := extras[i].enclosure; enc != nil {
			ji.Attachments = []jsonAttachment{{URL: enc.URL, MIMEType: enc.Type, Size: enc.Length}}
		}
		out.Items = append(out.Items, ji)
	}
	jf.Items = nil
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // served as JSON, never inside HTML
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		return nil, fmt.Errorf("feed: %w", err)
	}
	return buf.Bytes(), nil
}
