package publish

import (
	"context"
	"errors"
	"slices"
	"strings"

	"cchc/internal/content"
	"cchc/internal/legalref"
	"cchc/internal/locale"
	"cchc/internal/store"
	"cchc/internal/tthclist"
	"cchc/internal/vntext"
)

// TTHCField is one field of a procedure that a list from the national
// procedure database can give: the column's field name and the value the
// row gives.
type TTHCField struct {
	Name  string // the procedure's field ("title", "field", …)
	Value string
}

// TTHCDiff is one field on which the column and the list differ.
type TTHCDiff struct {
	Field  string // the procedure's field name
	Label  string // its label, for people
	Ours   string // the column's value
	Theirs string // the list's value
}

// TTHCChange is a procedure the column has whose fields differ from the list.
type TTHCChange struct {
	Line  int // the row's line in the list's file
	Code  string
	Item  *store.Item
	Diffs []TTHCDiff
}

// TTHCNew is a draft created for a code the column lacked.
type TTHCNew struct {
	Line int
	Code string
	Item *store.Item
}

// TTHCResult is what an import of a national list did and found.
type TTHCResult struct {
	Created []TTHCNew
	// Changed are the procedures whose fields differ: nothing of them was
	// written; the editor chooses (ApplyTTHC).
	Changed []TTHCChange
	// Same counts the rows whose fields the column already has.
	Same int
	// Trashed lists the codes of rows whose procedure is in the trash:
	// restore it first (the code is taken).
	Trashed []TTHCNew
	// Skipped are rows' values that could not be used (a decision cell
	// naming no document number), as path:line: messages.
	Skipped []*content.Error
}

// tthcColumns maps the slug of a header of the list's other columns
// (Row.Extra) to the procedure field it fills: the columns the national
// database's exports carry beside the six the reader knows.
var tthcColumns = map[string]string{
	"thoi-han-giai-quyet": "processing_time", "thoi-gian-giai-quyet": "processing_time",
	"phi-le-phi": "fee", "le-phi": "fee", "phi": "fee",
	"doi-tuong-thuc-hien": "applicants",
	"ket-qua-thuc-hien":   "result", "ket-qua": "result",
	"co-quan-co-tham-quyen": "authority", "co-quan-co-tham-quyen-quyet-dinh": "authority",
	"co-quan-duoc-uy-quyen":   "delegated_agency",
	"dia-chi-tiep-nhan-ho-so": "receiving_address", "dia-chi-tiep-nhan": "receiving_address",
	"yeu-cau-dieu-kien": "requirements", "yeu-cau-dieu-kien-thuc-hien": "requirements",
}

// listFields are the fields the six columns every list has give.
var listFields = []string{"title", "field", "level", "agency", "decision"}

// TTHCSets reports whether a list from the national database can give
// field f of a procedure (the workspace lets an editor take only those).
func TTHCSets(f string) bool {
	if slices.Contains(listFields, f) {
		return true
	}
	for _, g := range tthcColumns {
		if g == f {
			return true
		}
	}
	return false
}

// tthcFields is what the row gives, by field, in the field table's order
// of a procedure; a decision cell naming no number is reported in skip.
func (s *Service) tthcFields(path string, r tthclist.Row, skip func(*content.Error)) []TTHCField {
	given := map[string]string{"title": r.Name, "field": r.Field, "level": r.Level, "agency": r.Agency}
	if r.Decision != "" {
		if m := legalref.Find(r.Decision); len(m) > 0 {
			given["decision"] = m[0].Text
		} else {
			skip(&content.Error{Path: path, Line: r.Line, Warning: true, Msg: locale.T("tthc.decision_no_number", r.Decision)})
		}
	}
	for _, c := range r.Extra {
		if f, ok := tthcColumns[vntext.Slug(c.Header)]; ok && given[f] == "" {
			given[f] = c.Value
		}
	}
	var out []TTHCField
	for _, f := range s.schema.Fields(content.Procedure) {
		if v := given[f.Name]; v != "" {
			out = append(out, TTHCField{Name: f.Name, Value: v})
		}
	}
	return out
}

// sameValue compares a field's values as people read them: NFC, runs of
// spaces one space, document numbers by their key.
func sameValue(field, a, b string) bool {
	if field == "decision" {
		ka, oka := legalref.Key(a)
		kb, okb := legalref.Key(b)
		if oka && okb {
			return ka == kb
		}
	}
	norm := func(s string) string { return strings.Join(strings.Fields(vntext.NFC(s)), " ") }
	return norm(a) == norm(b)
}

// ImportTTHC reads a list from the national procedure database (path
// names it in messages) against the column: a code the column lacks
// becomes a draft procedure with the row's fields, saved by who; a code it
// has is compared field by field, and its differences are returned,
// nothing of it written. Rows stay in the list's order.
func (s *Service) ImportTTHC(ctx context.Context, who Actor, path string, list *tthclist.List) (*TTHCResult, error) {
	all, err := s.store.AllItems(ctx)
	if err != nil {
		return nil, err
	}
	byCode := map[string]*store.Item{}
	for _, it := range all {
		if it.Kind == content.Procedure && it.Code != "" {
			byCode[tthclist.NormalizeCode(it.Code)] = it
		}
	}
	res := &TTHCResult{}
	skip := func(e *content.Error) { res.Skipped = append(res.Skipped, e) }
	for _, r := range list.Rows {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		fields := s.tthcFields(path, r, skip)
		cur := byCode[r.Code]
		switch {
		case cur != nil && !cur.Deleted.IsZero():
			res.Trashed = append(res.Trashed, TTHCNew{Line: r.Line, Code: r.Code, Item: cur})
		case cur != nil:
			ch := TTHCChange{Line: r.Line, Code: r.Code, Item: cur}
			for _, f := range fields {
				row, _ := s.schema.Field(content.Procedure, f.Name)
				if ours := row.Str(&cur.Item); !sameValue(f.Name, ours, f.Value) {
					ch.Diffs = append(ch.Diffs, TTHCDiff{Field: f.Name, Label: row.Label, Ours: ours, Theirs: f.Value})
				}
			}
			if len(ch.Diffs) == 0 {
				res.Same++
			} else {
				res.Changed = append(res.Changed, ch)
			}
		default:
			it, err := s.createTTHC(ctx, who, r, fields)
			var es content.Errors
			if errors.As(err, &es) {
				for _, e := range es {
					skip(&content.Error{Path: path, Line: r.Line, Msg: e.Msg})
				}
				continue
			}
			if err != nil {
				return res, err
			}
			res.Created = append(res.Created, TTHCNew{Line: r.Line, Code: r.Code, Item: it})
			byCode[r.Code] = it
		}
	}
	return res, nil
}

// maxTTHCSlug keeps a draft's slug, made from a procedure's long name,
// readable (content.ValidSlug allows 120).
const maxTTHCSlug = 90

// createTTHC saves a draft procedure with the row's fields: its slug from
// the name, or with the code after it when that slug is taken.
func (s *Service) createTTHC(ctx context.Context, who Actor, r tthclist.Row, fields []TTHCField) (*store.Item, error) {
	it := content.Item{Kind: content.Procedure, Code: r.Code, Summary: locale.T("tthc.draft_summary")}
	for _, f := range fields {
		row, _ := s.schema.Field(content.Procedure, f.Name)
		row.Set(&it, f.Value)
	}
	slug := vntext.Slug(r.Name)
	if len(slug) > maxTTHCSlug {
		slug = strings.TrimRight(slug[:maxTTHCSlug], "-")
		if i := strings.LastIndexByte(slug, '-'); i > maxTTHCSlug/2 {
			slug = slug[:i]
		}
	}
	for _, try := range []string{slug, strings.Trim(slug+"-"+vntext.Slug(r.Code), "-")} {
		it.Slug = try
		saved, _, err := s.Save(ctx, who, SaveRequest{Item: it})
		var es content.Errors
		if errors.As(err, &es) && len(es) == 1 && es[0].Field == "slug" {
			continue
		}
		return saved, err
	}
	return nil, content.Errors{{Field: "slug", Msg: locale.T("tthc.slug_taken", slug)}}
}
