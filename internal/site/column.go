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

// columnFeed is ch as the column of ctx announces it: the root column's
// name in its title and description replaced by the column's.
func columnFeed(ctx context.Context, ch feed.Channel) feed.Channel {
	a := columnAgency(ctx)
	if a == nil {
		return ch
	}
	ch.Title = strings.Replace(ch.Title, columnTitle(), locale.T("site.column_title_of", a.Name), 1)
	if ch.Description == locale.T("site.column.description") {
		ch.Description = locale.T("site.column.description_of", a.Name)
	}
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
