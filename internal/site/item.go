package site

import (
	"context"
	"errors"
	"html/template"
	"slices"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"cchc/internal/content"
	"cchc/internal/legalref"
	"cchc/internal/locale"
	"cchc/internal/store"
	"cchc/internal/web"
)

// ItemPage shows one article, procedure or document.
type ItemPage struct {
	Layout
	Item      *store.Item
	AreaNames []content.Area
	// Validity is a document's validity today, from its dates and
	// relations.
	Validity string
	// Relations are a document's relations to other documents, from
	// either side.
	Relations []Relation
	// CitedBy lists the public items citing a document, of every agency.
	CitedBy []Citing
	// Changes are the item's major updates with their public notes
	// ("Lịch sử cập nhật"), oldest first, as the publication log records
	// them.
	Changes []store.Change
	// Attachment is a document's attached file, nil when none.
	Attachment *Attachment
	// Cites lists the documents an article or procedure cites, in the
	// order of its references; LegalBasis is a procedure's legal basis.
	Cites      []Citation
	LegalBasis []Citation
	// Decision is a procedure's announcing decision (quyết định công bố),
	// nil when it names none; Forms its forms, linked from the body's
	// "Thành phần hồ sơ" table too (Body).
	Decision *Citation
	Forms    []FormLink
	// Body is the item's HTML as its page shows it.
	Body template.HTML
	// Share is the page's address to copy and its share links.
	Share Share
}

// Relation is one relation of a document to another as its page shows
// it: Phrase, then the other document, then from when.
type Relation struct {
	store.DocRelation
	Phrase string
}

// Citation is a document number an item cites, with the document when the
// registry holds it.
type Citation struct {
	Text     string
	Document *store.Item
	Validity string
}

// InForce reports whether a document is in force, in whole or in part.
func (p ItemPage) InForce() bool { return content.InForce(p.Validity) }

// NotOnline reports whether a procedure says it is not offered online:
// its page then links the national portal's page to read, not to submit.
func (p ItemPage) NotOnline() bool { return p.Item.Online == content.OnlineNone }

// NotYetInForce reports whether a document has not come into force yet.
func (p ItemPage) NotYetInForce() bool { return p.Validity == content.ValidityNotYet }

// Partly reports whether a document is out of force in part.
func (p ItemPage) Partly() bool { return p.Validity == content.ValidityPartly }

// Suspended reports whether a document's force is suspended.
func (p ItemPage) Suspended() bool { return p.Validity == content.ValiditySuspended }

// InForce reports whether the cited document is in force, in whole or in
// part (a citation says so only when it is not).
func (c Citation) InForce() bool { return content.InForce(c.Validity) }

func (s *Site) item(k content.Kind) func(c *gin.Context) error {
	return func(c *gin.Context) error {
		ctx := c.Request.Context()
		it, err := s.store.ItemBySlug(ctx, k, c.Param("slug"))
		if errors.Is(err, store.ErrNotFound) {
			return s.movedItem(c, k, c.Param("slug"))
		}
		if err != nil {
			return err
		}
		now := s.now()
		if !it.Visible(now) {
			return s.notFound()
		}
		page, err := s.itemPage(ctx, it, now)
		if err != nil {
			return err
		}
		web.SetLastModified(c, newest([]*store.Item{it}, citingItems(page.CitedBy)))
		return s.render(c, string(k), page)
	}
}

// itemPage gathers everything the page of it shows, as of now: the item
// route and the workspace's preview (Preview) draw the same page.
func (s *Site) itemPage(ctx context.Context, it *store.Item, now time.Time) (ItemPage, error) {
	k := it.Kind
	var err error
	title := it.Designation()
	description := it.Summary
	if description == "" && k == content.Document {
		description = it.Title
	}
	page := ItemPage{Item: it, Share: s.share(it.URL())}
	page.Layout = s.layout(ctx, it.URL(), title, description, k.Section(),
		Crumb{Title: k.SectionTitle(), URL: k.Path()}, Crumb{Title: title})
	if u, ok := s.resolver.Canonical(ctx, it.AgencyID, it.URL()); ok && page.Canonical != "" {
		page.Canonical = u // another agency's document: its own column's address
	}
	for _, id := range it.Areas {
		for _, a := range page.Areas {
			if a.ID == id {
				page.AreaNames = append(page.AreaNames, a)
			}
		}
	}
	if k == content.Document {
		if err := s.store.FillValidity(ctx, []*store.Item{it}, now); err != nil {
			return page, err
		}
		page.Validity = it.LegalState
		if page.Attachment, err = s.attachment(ctx, it); err != nil {
			return page, err
		}
		if key, ok := legalref.Key(it.Number); ok {
			citing, err := s.store.CitingItems(ctx, key, now)
			if err != nil {
				return page, err
			}
			for _, c := range citing {
				page.CitedBy = append(page.CitedBy, Citing{Item: c, URL: s.resolver.Href(ctx, c.AgencyID, c.URL())})
			}
			rels, err := s.store.DocumentRelations(ctx, key, now)
			if err != nil {
				return page, err
			}
			for _, r := range rels {
				page.Relations = append(page.Relations, Relation{DocRelation: r, Phrase: locale.T(content.RelationPhrase(r.Verb, r.AsTarget))})
			}
		}
	} else if err := s.citations(ctx, &page, now); err != nil {
		return page, err
	}
	if err := s.formsOf(ctx, &page); err != nil {
		return page, err
	}
	// From the publication log, at the dates the updates claim: the
	// revisions' own times are when a file was imported.
	if page.Changes, err = s.store.PublicUpdates(ctx, it.ID); err != nil {
		return page, err
	}
	page.SEO = s.itemSEO(it, page.Layout, now)
	return page, nil
}

func (s *Site) notFound() error { return web.NotFound() }

func itoa(n int) string { return strconv.Itoa(n) }

// citations fills what an article or procedure cites.
func (s *Site) citations(ctx context.Context, page *ItemPage, now time.Time) error {
	refs, err := s.store.Refs(ctx, page.Item.ID)
	if err != nil {
		return err
	}
	docs, err := s.store.CitedDocuments(ctx, page.Item.ID, now)
	if err != nil {
		return err
	}
	cited := make([]*store.Item, 0, len(docs))
	for _, d := range docs {
		cited = append(cited, d)
	}
	if err := s.store.FillValidity(ctx, cited, now); err != nil {
		return err
	}
	cite := func(r store.Ref) Citation {
		c := Citation{Text: r.Text, Document: docs[r.Key]}
		if c.Document != nil {
			c.Validity = c.Document.LegalState
		}
		return c
	}
	seen := map[string]bool{}
	for _, r := range refs {
		switch r.Source {
		case "legal_basis":
			page.LegalBasis = append(page.LegalBasis, cite(r))
		case "decision":
			c := cite(r)
			page.Decision = &c
		}
	}
	// Legal basis entries keep the order the procedure gives them.
	order := map[string]int{}
	for i, n := range page.Item.LegalBasis {
		if key, ok := legalref.Key(n); ok {
			if _, dup := order[key]; !dup {
				order[key] = i
			}
		}
	}
	slices.SortStableFunc(page.LegalBasis, func(a, b Citation) int {
		ka, _ := legalref.Key(a.Text)
		kb, _ := legalref.Key(b.Text)
		return order[ka] - order[kb]
	})
	for _, r := range refs {
		if r.Source == "body" && !seen[r.Key] && docs[r.Key] != nil {
			seen[r.Key] = true
			page.Cites = append(page.Cites, cite(r))
		}
	}
	return nil
}
