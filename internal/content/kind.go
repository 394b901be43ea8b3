package content

import "cchc/internal/locale"

// Kind is the kind of a content item.
type Kind string

// The kinds of content item. Activities (hoạt động) are the plan's work
// done off the column (a broadcast, a bản tin, a training, an inspection):
// recorded through the same workflow and log, public only when an
// approver says so (Item.Public).
const (
	Article   Kind = "article"
	Procedure Kind = "procedure"
	Document  Kind = "document"
	Activity  Kind = "activity"
)

// Kinds lists every kind in the order they are imported: documents first, so
// that articles and procedures citing them can link to them; activities
// last.
var Kinds = []Kind{Document, Procedure, Article, Activity}

// KindInfo is everything that differs between kinds but their fields: where
// their files live, where the public and the workspace show them, what
// they are called.
type KindInfo struct {
	// Dir is the folder under the content root that holds the kind's files.
	Dir string
	// Section is the public URL segment: items are at /Section/slug.
	Section string
	// Admin is the workspace's URL segment: /quan-tri/Admin/.
	Admin string
	// Label is the Vietnamese name of the kind; SectionTitle the title of
	// its public section.
	Label, SectionTitle string
	// Description describes the public section (its page and feeds).
	Description string
	// DefaultPlanItem is the plan item an item counts towards when its
	// front matter does not say: articles keep the column updated (III.1);
	// procedures and documents are the public listings (III.2).
	DefaultPlanItem string
	// SlugFrom is the field an item's slug is made from when it has none.
	SlugFrom string
	// LDType is the schema.org type of the item page's JSON-LD.
	LDType string
}

// kinds is the kind table.
var kinds = map[Kind]*KindInfo{
	Article: {Dir: "articles", Section: "tin-tuc", Admin: "tin-bai", Label: locale.T("kind.article"), SectionTitle: locale.T("kind.article.section"),
		Description:     locale.T("kind.article.description"),
		DefaultPlanItem: "III.1", SlugFrom: "title", LDType: "NewsArticle"},
	Procedure: {Dir: "procedures", Section: "thu-tuc-hanh-chinh", Admin: "thu-tuc", Label: locale.T("kind.procedure"), SectionTitle: locale.T("kind.procedure.section"),
		Description:     locale.T("kind.procedure.description"),
		DefaultPlanItem: "III.2", SlugFrom: "title", LDType: "GovernmentService"},
	Document: {Dir: "documents", Section: "van-ban", Admin: "van-ban", Label: locale.T("kind.document"), SectionTitle: locale.T("kind.document.section"),
		Description:     locale.T("kind.document.description"),
		DefaultPlanItem: "III.2", SlugFrom: "number", LDType: "Legislation"},
	// An activity has no default plan item: it must name the one it serves.
	Activity: {Dir: "activities", Section: "hoat-dong", Admin: "hoat-dong", Label: locale.T("kind.activity"), SectionTitle: locale.T("kind.activity.section"),
		Description: locale.T("kind.activity.description"),
		SlugFrom:    "title", LDType: "Event"},
}

// Info is kind k's row of the kind table; an unknown kind has an empty row
// labelled with its name.
func (k Kind) Info() KindInfo {
	if info, ok := kinds[k]; ok {
		return *info
	}
	return KindInfo{Label: string(k), SectionTitle: string(k)}
}

// ParseKind returns the kind named s ("article", "procedure", "document").
func ParseKind(s string) (Kind, bool) {
	if _, ok := kinds[Kind(s)]; ok {
		return Kind(s), true
	}
	return "", false
}

// Dir is the folder under the content root that holds items of kind k.
func (k Kind) Dir() string { return k.Info().Dir }

// Section is the public URL segment of kind k.
func (k Kind) Section() string { return k.Info().Section }

// Label is the Vietnamese name of kind k.
func (k Kind) Label() string { return k.Info().Label }

// SectionTitle is the Vietnamese title of kind k's public section.
func (k Kind) SectionTitle() string { return k.Info().SectionTitle }

// DefaultPlanItem is the plan item an item of kind k counts towards when
// its front matter does not say.
func (k Kind) DefaultPlanItem() string { return k.Info().DefaultPlanItem }

// Path is the public address of kind k's section: /tin-tuc/.
func (k Kind) Path() string { return "/" + k.Section() + "/" }

// URL is the public address of the item of kind k called slug: every
// public link to an item is built here.
func URL(k Kind, slug string) string { return k.Path() + slug }

// URL is the item's public address.
func (it *Item) URL() string { return URL(it.Kind, it.Slug) }

// Designation is how the column names an item in a line: a document by its
// type and number ("Quyết định số 1256/QĐ-UBND"), since its title is only
// its extract (trích yếu); any other item by its title.
func (it *Item) Designation() string {
	if it.numbered() {
		return locale.T("content.designation", it.Type, it.Number)
	}
	return it.Title
}

// OffersOnline reports whether a procedure is offered online, in whole or
// in part (its online level is set and is not OnlineNone).
func (it *Item) OffersOnline() bool { return it.Online != "" && it.Online != OnlineNone }

// numbered reports whether the item is named by its number.
func (it *Item) numbered() bool { return it.Kind == Document && it.Number != "" }

// DisplayTitle is the item's full title, where a link or a feed entry
// names it alone: a document's designation and its extract ("Quyết định
// số 1256/QĐ-UBND: Ban hành …"), any other item's title.
func (it *Item) DisplayTitle() string {
	if it.numbered() {
		return it.Designation() + ": " + it.Title
	}
	return it.Title
}
