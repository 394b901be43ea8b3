// Package content defines the kinds of content the column keeps (articles,
// procedures and documents it publishes; activities it records) and the
// annual plans, and parses them
// from Markdown files with YAML front matter. Every problem is reported as
// path:line: message, in Vietnamese, since editors read them.
//
// Each kind's fields are one table (schema.go: name, type, required and
// its message, label, hint, widget, allowed values, JSON-LD property,
// member of Item), and each kind's places and names another (kind.go).
// The parser, the validation, the workspace's form, the export and the
// JSON-LD all read them: adding a field to a kind is adding its row.
package content

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"cchc/internal/locale"
	"cchc/internal/vntext"
)

// Item is one parsed and validated content item. Fields that do not apply to
// its kind are empty. Which fields a kind has, and everything about each,
// is the field table (DefaultSchema); items.meta stores an Item as JSON, so
// a member with a JSON name needs no migration.
type Item struct {
	Kind    Kind      `json:"kind"`
	Slug    string    `json:"slug"`
	Title   string    `json:"title"`
	Summary string    `json:"summary,omitempty"`
	Date    time.Time `json:"date,omitzero"`
	Updated time.Time `json:"updated,omitzero"`
	Draft   bool      `json:"draft,omitempty"`

	Areas    []string `json:"areas,omitempty"`
	PlanItem string   `json:"plan_item,omitempty"`
	// PlanItems are further plan items the item serves beside PlanItem
	// (any kind: the 18/5 article is III.1 and III.4); see AllPlanItems.
	PlanItems []string `json:"plan_items,omitempty"`

	// Article.
	Tags   []string `json:"tags,omitempty"`
	Author string   `json:"author,omitempty"`
	Image  string   `json:"image,omitempty"`

	// Procedure.
	Code           string   `json:"code,omitempty"`
	Field          string   `json:"field,omitempty"` // also documents
	Level          string   `json:"level,omitempty"`
	Agency         string   `json:"agency,omitempty"`
	Online         string   `json:"online,omitempty"`
	ProcessingTime string   `json:"processing_time,omitempty"`
	Fee            string   `json:"fee,omitempty"`
	Submission     []string `json:"submission,omitempty"`
	Applicants     string   `json:"applicants,omitempty"`
	Result         string   `json:"result,omitempty"`
	LegalBasis     []string `json:"legal_basis,omitempty"`
	PortalURL      string   `json:"portal_url,omitempty"`
	// The national procedure database's particulars (issue 15, point 4).
	Decision         string    `json:"decision,omitempty"`          // quyết định công bố: a document number
	Authority        string    `json:"authority,omitempty"`         // cơ quan có thẩm quyền
	DelegatedAgency  string    `json:"delegated_agency,omitempty"`  // cơ quan được ủy quyền
	ReceivingAddress string    `json:"receiving_address,omitempty"` // địa chỉ tiếp nhận hồ sơ
	Requirements     string    `json:"requirements,omitempty"`      // yêu cầu, điều kiện thực hiện
	Forms            []string  `json:"forms,omitempty"`             // mẫu đơn, tờ khai: "Tên (địa chỉ)", see ParseForm
	Checked          time.Time `json:"checked,omitzero"`            // last checked against the national database

	// Document.
	Number    string    `json:"number,omitempty"`
	Type      string    `json:"type,omitempty"`
	Issuer    string    `json:"issuer,omitempty"`
	Issued    time.Time `json:"issued,omitzero"`
	Signer    string    `json:"signer,omitempty"`
	Effective time.Time `json:"effective,omitzero"`
	Expires   time.Time `json:"expires,omitzero"`
	Validity  string    `json:"validity,omitempty"`
	File      string    `json:"file,omitempty"`
	SourceURL string    `json:"source_url,omitempty"`

	// Activity. Date is its (first) day; Body holds its notes.
	Channel  string    `json:"channel,omitempty"`  // one of Channels' codes
	DateEnd  time.Time `json:"date_end,omitzero"`  // the last day of a range
	Place    string    `json:"place,omitempty"`    // place, or outlet (a newspaper, a station)
	Unit     string    `json:"unit,omitempty"`     // the unit in charge, by its full name as the plan writes it
	Audience int       `json:"audience,omitempty"` // participants or audience, where it applies
	Evidence []string  `json:"evidence,omitempty"` // https links and/or media library names
	// Public is an approver's choice to show the activity as a public
	// page (and in the column's lists and feeds); activities are not
	// public otherwise.
	Public bool `json:"public,omitempty"`

	// Relations to other documents, one entry a document number with an
	// optional day ("93/2025/QH15 (01/10/2025)"); see relation.go.
	Replaces         []string `json:"replaces,omitempty"`
	ReplacedBy       []string `json:"replaced_by,omitempty"`
	Amends           []string `json:"amends,omitempty"`
	AmendedBy        []string `json:"amended_by,omitempty"`
	Repeals          []string `json:"repeals,omitempty"`
	RepealedBy       []string `json:"repealed_by,omitempty"`
	RepealsPart      []string `json:"repeals_part,omitempty"`
	RepealedInPartBy []string `json:"repealed_in_part_by,omitempty"`
	Guides           []string `json:"guides,omitempty"`
	GuidedBy         []string `json:"guided_by,omitempty"`

	// Body is the Markdown after the front matter, in NFC.
	Body string `json:"-"`

	// Lines maps each front matter field to its line in the source file, and
	// "body" to the first line of the body, for errors found later (such as
	// a duplicate number found only when importing).
	Lines map[string]int `json:"-"`
}

// AllPlanItems is every plan item the item serves: PlanItem (or its
// kind's default) followed by PlanItems, each once, in that order.
func (it *Item) AllPlanItems() []string {
	var out []string
	add := func(id string) {
		if id != "" && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	first := it.PlanItem
	if first == "" {
		first = it.Kind.DefaultPlanItem()
	}
	add(first)
	for _, id := range it.PlanItems {
		add(id)
	}
	return out
}

// Line is the source line of field name, or 1 when unknown.
func (it *Item) Line(name string) int {
	if l, ok := it.Lines[name]; ok {
		return l
	}
	return 1
}

// DocumentValidity is the document's validity on day now from its own
// fields only: the value its front matter gives, or else one derived from
// its effective and expiry dates. Relations need the registry: what pages
// show is store.Validities; this is for a document not stored yet (one an
// import is adding, until its final refresh).
func (it *Item) DocumentValidity(now time.Time) string {
	if it.Validity != "" {
		return it.Validity
	}
	if !it.Expires.IsZero() && !now.Before(it.Expires) {
		return ValidityExpired
	}
	if !it.Effective.IsZero() && now.Before(it.Effective) {
		return ValidityNotYet
	}
	return ValidityInForce
}

// Error is one problem in one source file, reported as path:line: message.
type Error struct {
	Path string
	Line int
	// Field is the front matter field at fault, when there is one.
	Field   string
	Msg     string
	Warning bool
}

// Error is the problem as one line, path:line: message. The path (a file
// name chosen by whoever wrote the content folder) and the message (which
// may quote a value) have their control characters escaped: this line is
// printed to an operator's terminal.
func (e *Error) Error() string {
	prefix := ""
	if e.Warning {
		prefix = locale.T("content.warning") + " "
	}
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s%s", vntext.Terminal(e.Path), e.Line, prefix, vntext.Terminal(e.Msg))
	}
	return fmt.Sprintf("%s: %s%s", vntext.Terminal(e.Path), prefix, vntext.Terminal(e.Msg))
}

// Errors is every problem found in one file.
type Errors []*Error

func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}
