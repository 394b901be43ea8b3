package content

import (
	"strings"
	"time"

	"cchc/internal/legalref"
	"cchc/internal/locale"
	"cchc/internal/vntext"
)

// Verb is what one document does to another, as the national legal
// database records it. A relation is always kept from the acting side:
// "29/2013/QH13 replaced_by 93/2025/QH15" is 93/2025/QH15 Replaces
// 29/2013/QH13, so either side may write it and both read the same.
type Verb string

// The verbs of relations between documents.
const (
	// Replaces (thay thế) ends the target's force in whole.
	Replaces Verb = "replaces"
	// Amends (sửa đổi, bổ sung) leaves the target in force.
	Amends Verb = "amends"
	// Repeals (bãi bỏ toàn bộ) ends the target's force in whole.
	Repeals Verb = "repeals"
	// RepealsPart (bãi bỏ một phần) leaves the rest of the target in force.
	RepealsPart Verb = "repeals_part"
	// Guides (hướng dẫn, quy định chi tiết) leaves the target in force.
	Guides Verb = "guides"
)

// Verbs lists every verb, in the order pages show them.
var Verbs = []Verb{Replaces, Repeals, RepealsPart, Amends, Guides}

// RelationField is one front matter field of relations: the verb it
// states and whether the document writing it is the target ("…_by").
type RelationField struct {
	Name     string
	Verb     Verb
	IsTarget bool
	// Label is the catalogue key of the form's label; Phrase the key of
	// the page's words before the other document ("Được thay thế bởi").
	Label, Phrase string
}

// RelationFields are the ten relation fields of a document, each verb
// from the acting side and from the target's.
var RelationFields = []RelationField{
	{"replaces", Replaces, false, "field.replaces", "site.relation.replaces"},
	{"replaced_by", Replaces, true, "field.replaced_by", "site.relation.replaced_by"},
	{"amends", Amends, false, "field.amends", "site.relation.amends"},
	{"amended_by", Amends, true, "field.amended_by", "site.relation.amended_by"},
	{"repeals", Repeals, false, "field.repeals", "site.relation.repeals"},
	{"repealed_by", Repeals, true, "field.repealed_by", "site.relation.repealed_by"},
	{"repeals_part", RepealsPart, false, "field.repeals_part", "site.relation.repeals_part"},
	{"repealed_in_part_by", RepealsPart, true, "field.repealed_in_part_by", "site.relation.repealed_in_part_by"},
	{"guides", Guides, false, "field.guides", "site.relation.guides"},
	{"guided_by", Guides, true, "field.guided_by", "site.relation.guided_by"},
}

// MaxRelations is the most relations one document may state, over all its
// relation fields. The national database's busiest laws list a few dozen;
// a file or form past this is a mistake or an attack on the derivation of
// every page that reads them.
const MaxRelations = 200

// Relation is one relation between two documents, from the acting side.
type Relation struct {
	Verb Verb
	// Actor and Target are the numbers as written; ActorKey and TargetKey
	// their canonical keys (legalref.Key).
	Actor, ActorKey   string
	Target, TargetKey string
	// Date is when the relation takes effect, as written; zero when the
	// entry gives none (it then takes effect when the acting document
	// does: its effective date, else its issue date).
	Date time.Time
	// Field is the front matter field that states it.
	Field string
}

// ParseRelationEntry reads one entry of a relation field: a document
// number, optionally followed by the day the relation takes effect in
// parentheses ("93/2025/QH15 (01/10/2025)"). The message says what is
// wrong, "" when nothing is.
func ParseRelationEntry(v string) (number string, date time.Time, msg string) {
	v = strings.TrimSpace(v)
	number = v
	if i := strings.LastIndex(v, "("); i >= 0 {
		if !strings.HasSuffix(v, ")") {
			return "", time.Time{}, locale.T("field.relation.invalid", v)
		}
		number = strings.TrimSpace(v[:i])
		d, err := vntext.ParseDate(strings.TrimSpace(v[i+1 : len(v)-1]))
		if err != nil {
			return "", time.Time{}, locale.T("field.relation.date", v, locale.Text(err))
		}
		date = d
	}
	if !legalref.Valid(number) {
		return "", time.Time{}, locale.T("field.relation.invalid", v)
	}
	return number, date, ""
}

func relationCheck(v string) string {
	_, _, msg := ParseRelationEntry(v)
	return msg
}

// relationList is the member of it holding relation field name.
func relationList(it *Item, name string) *[]string {
	switch name {
	case "replaces":
		return &it.Replaces
	case "replaced_by":
		return &it.ReplacedBy
	case "amends":
		return &it.Amends
	case "amended_by":
		return &it.AmendedBy
	case "repeals":
		return &it.Repeals
	case "repealed_by":
		return &it.RepealedBy
	case "repeals_part":
		return &it.RepealsPart
	case "repealed_in_part_by":
		return &it.RepealedInPartBy
	case "guides":
		return &it.Guides
	case "guided_by":
		return &it.GuidedBy
	}
	return nil
}

// Relations are the relations a document states, each from the acting
// side, the malformed entries (which validation refuses) left out, each
// (verb, actor, target) once.
func (it *Item) Relations() []Relation {
	if it.Kind != Document {
		return nil
	}
	self, ok := legalref.Key(it.Number)
	if !ok {
		return nil
	}
	var out []Relation
	seen := map[[3]string]bool{}
	for _, f := range RelationFields {
		for _, v := range *relationList(it, f.Name) {
			number, date, msg := ParseRelationEntry(v)
			if msg != "" {
				continue
			}
			key, _ := legalref.Key(number)
			r := Relation{Verb: f.Verb, Actor: it.Number, ActorKey: self, Target: number, TargetKey: key, Date: date, Field: f.Name}
			if f.IsTarget {
				r.Actor, r.ActorKey, r.Target, r.TargetKey = number, key, it.Number, self
			}
			id := [3]string{string(r.Verb), r.ActorKey, r.TargetKey}
			if seen[id] {
				continue
			}
			seen[id] = true
			out = append(out, r)
		}
	}
	return out
}

// relationsBounded refuses more than MaxRelations relations on one
// document, on the first field past the bound.
func relationsBounded(it *Item) (string, string) {
	n := 0
	for _, f := range RelationFields {
		n += len(*relationList(it, f.Name))
		if n > MaxRelations {
			return f.Name, locale.T("content.relations.too_many", MaxRelations)
		}
	}
	return "", ""
}

// relationNotSelf refuses a relation of a document to itself.
func relationNotSelf(it *Item) (string, string) {
	self, ok := legalref.Key(it.Number)
	if !ok {
		return "", ""
	}
	for _, f := range RelationFields {
		for _, v := range *relationList(it, f.Name) {
			number, _, msg := ParseRelationEntry(v)
			if msg != "" {
				continue
			}
			if key, _ := legalref.Key(number); key == self {
				return f.Name, locale.T("content.relations.self", number)
			}
		}
	}
	return "", ""
}

// relationFields are the rows of the field table for the relation
// fields, in the form's fieldset of relations.
func relationFields() []Field {
	out := make([]Field, 0, len(RelationFields))
	for _, rf := range RelationFields {
		out = append(out, Field{Name: rf.Name, Type: TypeList, Label: locale.T(rf.Label), Hint: locale.T("field.relation.hint"),
			Group: locale.T(groupRelations), Widget: WidgetLines, Check: relationCheck,
			Example: `["93/2025/QH15 (01/10/2025)"]`,
			Ptr:     func(it *Item) any { return relationList(it, rf.Name) }})
	}
	return out
}

// RelationPhrase is the catalogue key of the words a page puts before the
// other document of a relation of verb v, seen from the target's side when
// asTarget ("Được thay thế bởi") or the actor's ("Thay thế").
func RelationPhrase(v Verb, asTarget bool) string {
	for _, f := range RelationFields {
		if f.Verb == v && f.IsTarget == asTarget {
			return f.Phrase
		}
	}
	return ""
}
