package site

import (
	"cmp"
	"encoding/json"
	"html/template"
	"log/slog"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"cchc/internal/content"
	"cchc/internal/feed"
	"cchc/internal/locale"
	"cchc/internal/store"
	"cchc/internal/vntext"
)

// SEO is what a page tells search engines and social networks beyond its
// title, description and canonical URL (which Layout has): OpenGraph, the
// Dublin Core elements Thông tư 24/2011 asks of government portals, and
// schema.org JSON-LD. The zero value suits a list page; item pages fill it.
type SEO struct {
	Type       string   // og:type: "article" for items, "website" when empty
	Creator    string   // DC.creator; the department when empty
	Date       string   // DC.date, yyyy-mm-dd
	Published  string   // article:published_time, RFC 3339
	Modified   string   // article:modified_time, RFC 3339
	Identifier string   // DC.identifier; the canonical URL when empty
	Section    string   // article:section
	Tags       []string // article:tag
	// JSONLD is the schema.org description of the page, marshalled by us
	// (json.Marshal escapes <, > and &, so it cannot end the script
	// element). A <script type="application/ld+json"> is data that the
	// browser never runs, so the Content-Security-Policy does not apply.
	JSONLD template.JS
}

// Publisher is the department that publishes the column.
func Publisher() string { return feed.Publisher() }

// itemSEO describes an item's page.
func (s *Site) itemSEO(it *store.Item, lay Layout, now time.Time) SEO {
	id := feed.ID(feed.TagHost(s.baseURL), it.UID)
	org := lay.OrgName()
	seo := SEO{
		Type:       "article",
		Creator:    itemCreator(it, org),
		Date:       isoDay(it.Published),
		Published:  rfc3339(it.Published),
		Modified:   rfc3339(lastMod(it)),
		Identifier: lay.Canonical,
		Section:    it.Kind.SectionTitle(),
		Tags:       it.Tags,
	}
	if seo.Identifier == "" {
		seo.Identifier = id
	}
	if it.Kind == content.Document && !it.Issued.IsZero() {
		seo.Date = isoDay(it.Issued)
	}
	ld := map[string]any{
		"@context":      "https://schema.org",
		"@type":         it.Kind.Info().LDType,
		"@id":           id,
		"inLanguage":    "vi",
		"datePublished": rfc3339(it.Published),
		"dateModified":  rfc3339(lastMod(it)),
		"publisher":     department(org),
	}
	if lay.Canonical != "" {
		ld["url"] = lay.Canonical
		ld["mainEntityOfPage"] = lay.Canonical
	}
	if lay.Description != "" {
		ld["description"] = lay.Description
	}
	// Each field where its row of the table puts it.
	for _, f := range s.schema.Fields(it.Kind) {
		if f.LD.Prop == "" || f.Empty(&it.Item) {
			continue
		}
		var v any
		switch {
		case f.Name == "areas":
			var names []string
			for _, id := range it.Areas {
				for _, a := range lay.Areas {
					if a.ID == id {
						names = append(names, a.Title)
					}
				}
			}
			if len(names) == 0 {
				continue
			}
			v = names
		case f.Type == content.TypeDate:
			v = isoDay(f.Time(&it.Item))
		case f.Type == content.TypeList:
			v = strings.Join(f.List(&it.Item), ", ")
		default:
			v = f.Str(&it.Item)
		}
		if f.LD.Type != "" {
			obj := map[string]any{"@type": f.LD.Type}
			if f.LD.Name != "" {
				obj["name"] = f.LD.Name
			}
			obj[cmp.Or(f.LD.Key, "name")] = v
			v = obj
		}
		ld[f.LD.Prop] = v
	}
	// What the table cannot say: what follows from the values.
	switch it.Kind {
	case content.Article:
		ld["author"] = person(it.Author, org)
	case content.Document:
		ld["name"] = it.Designation()
		if it.Issuer != "" {
			ld["legislationJurisdiction"] = jurisdiction(it.Issuer)
		}
		v := it.LegalState
		if v == "" {
			v = it.DocumentValidity(now)
		}
		ld["legislationLegalForce"] = legalForce(v)
	case content.Procedure:
		if _, ok := ld["provider"]; !ok {
			ld["provider"] = department(org)
		}
		ld["areaServed"] = map[string]any{"@type": "AdministrativeArea", "name": locale.T("site.ld.province")}
		if _, ok := ld["availableChannel"]; !ok && it.SubmitURL() != "" {
			// Without portal_url, the channel is the portal's page built from the code.
			ld["availableChannel"] = map[string]any{"@type": "ServiceChannel", "name": locale.T("field.portal_url.ld_name"), "serviceUrl": it.SubmitURL()}
		}
	}
	b, err := json.Marshal(ld)
	if err == nil {
		seo.JSONLD = template.JS(b) // JSON we marshalled: <, > and & are escaped
	} else {
		s.log.Warn("json-ld", slog.Int64("item", it.ID), slog.Any("err", err))
	}
	return seo
}

// itemCreator is DC.creator: who wrote an article, issued a document, or
// carries out a procedure.
func itemCreator(it *store.Item, org string) string {
	var c string
	switch it.Kind {
	case content.Article:
		c = it.Author
	case content.Document:
		c = it.Issuer
	case content.Procedure:
		c = it.Agency
	case content.Activity:
		c = it.Unit
	}
	if c == "" {
		return org
	}
	return c
}

// department is the schema.org organization of the agency named org, the
// column's (Layout.OrgName).
func department(org string) map[string]any {
	return map[string]any{"@type": "GovernmentOrganization", "name": org}
}

// person is the schema.org author of an article: the department when the
// article names none, an organisation when the name is a unit's.
func person(name, org string) map[string]any {
	if name == "" {
		return department(org)
	}
	for _, w := range orgWords {
		if strings.HasPrefix(name, w) {
			return map[string]any{"@type": "Organization", "name": name}
		}
	}
	return map[string]any{"@type": "Person", "name": name}
}

// jurisdiction is where a document applies: the province for its own
// bodies, the country otherwise.
func jurisdiction(issuer string) map[string]any {
	if strings.Contains(issuer, provinceName) {
		return map[string]any{"@type": "AdministrativeArea", "name": locale.T("site.ld.province")}
	}
	return map[string]any{"@type": "Country", "name": locale.T("site.ld.country")}
}

// legalForce maps a validity to schema.org's LegalForceStatus.
func legalForce(validity string) string {
	switch validity {
	case content.ValidityInForce:
		return "https://schema.org/InForce"
	case content.ValidityPartly:
		return "https://schema.org/PartiallyInForce"
	}
	return "https://schema.org/NotInForce"
}

func isoDay(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(vntext.Zone).Format("2006-01-02")
}

func rfc3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(vntext.Zone).Format(time.RFC3339)
}

// movedItem answers the old address of an item whose slug changed with a
// 301 to where it is now, keeping the query; an address that never
// belonged to a public item stays a 404.
func (s *Site) movedItem(c *gin.Context, k content.Kind, slug string) error {
	it, err := s.store.ItemByOldSlug(c.Request.Context(), k, slug)
	if err != nil {
		return err
	}
	if !it.Visible(s.now()) {
		return s.notFound()
	}
	redirect(c, it.URL())
	return nil
}
