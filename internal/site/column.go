package site

import (
	"context"
	"strings"

	"cchc/internal/agency"
	"cchc/internal/feed"
	"cchc/internal/locale"
	"cchc/internal/store"
	"cchc/internal/web"
)

// The names a page shows for the agency whose column it is (issue 20):
// the root column's are the catalogue's, as before agencies; another
// column's come from its agency's record. Pages are written with the
// root column's paths; web.Column.Rewrite moves their links into the
// column.

// columnAgency is the agency of the column ctx addressed, nil for the
// root column.
func columnAgency(ctx context.Context) *agency.Agency {
	col := web.ColumnFrom(ctx)
	if col.Root() {
		return nil
	}
	a := col.Agency
	return &a
}

// ColumnTitle is the column's title: the title element's and og:site_name.
func (l Layout) ColumnTitle() string {
	if l.Agency == nil {
		return columnTitle()
	}
	return locale.T("site.column_title_of", l.Agency.Name)
}

// OrgName is the agency's full name: the footer's, Dublin Core's
// publisher and creator.
func (l Layout) OrgName() string {
	if l.Agency == nil {
		return locale.T("org.name")
	}
	return l.Agency.Name
}

// HeaderName is the agency's name in the header's brand.
func (l Layout) HeaderName() string {
	if l.Agency == nil {
		return locale.T("site.header.name")
	}
	return l.Agency.Name
}

// FooterAbout is the footer's line on who keeps the column.
func (l Layout) FooterAbout() string {
	if l.Agency == nil {
		return locale.T("site.footer.about")
	}
	return locale.T("site.footer.about_of", l.Agency.Name)
}

// Copyright is the footer's last line.
func (l Layout) Copyright() string {
	if l.Agency == nil {
		return locale.T("site.footer.copyright", l.Year)
	}
	return locale.T("site.footer.copyright_of", l.Year, l.Agency.Name)
}

// AreasLede is the areas page's lede, naming the column's agency.
func (l Layout) AreasLede() string { return ownText(l.Agency, locale.T("site.areas.lede")) }

// FollowLede is the follow page's lede, naming the column's agency.
func (l Layout) FollowLede() string { return ownText(l.Agency, locale.T("site.follow.lede")) }

// ownWords pairs each text of the catalogue that names the root agency
// and that a page, a feed or robots.txt of any column shows, with the
// message naming another agency in its place: another column's pages
// said they were the root agency's (their descriptions, their feeds'
// descriptions, the lede of the areas page).
var ownWords = [][2]string{
	{"site.column.description", "site.column.description_of"},
	{"site.home.description", "site.home.description_of"},
	{"kind.article.description", "kind.article.description_of"},
	{"kind.procedure.description", "kind.procedure.description_of"},
	{"kind.activity.description", "kind.activity.description_of"},
	{"site.areas.lede", "site.areas.lede_of"},
	{"site.areas.description", "site.areas.description_of"},
	{"site.follow.lede", "site.follow.lede_of"},
	{"site.robots.comment", "site.robots.comment_of"},
}

// ownText is text as the column of agency a says it: a text of ownWords
// naming the root agency names a instead. Any other text, and every text
// of the root column (a nil), stays as it is.
func ownText(a *agency.Agency, text string) string {
	if a == nil {
		return text
	}
	for _, w := range ownWords {
		if text == locale.T(w[0]) {
			return locale.T(w[1], a.Name)
		}
	}
	return text
}

// columnFeed is ch as the column of ctx announces it: the root column's
// name in its title and description replaced by the column's.
func columnFeed(ctx context.Context, ch feed.Channel) feed.Channel {
	a := columnAgency(ctx)
	if a == nil {
		return ch
	}
	ch.Title = strings.Replace(ch.Title, columnTitle(), locale.T("site.column_title_of", a.Name), 1)
	ch.Description = ownText(a, ch.Description)
	return ch
}

// Citing is an item citing a document, linked where its agency's column
// answers (web.Columns.Href): the field URL shadows the item's method.
type Citing struct {
	*store.Item
	URL string
}

// citingItems are the items of cs.
func citingItems(cs []Citing) []*store.Item {
	out := make([]*store.Item, len(cs))
	for i, c := range cs {
		out[i] = c.Item
	}
	return out
}
