package publog

import (
	"encoding/json"
	"fmt"
	"slices"

	"cchc/internal/content"
	"cchc/internal/vntext"
)

// Facts are what a row records of what counted, beyond the fields every
// row has (issue 16): every plan item the item serves, and for an
// activity its channel, its dates (yyyy-mm-dd, in Vietnam), its unit in
// charge, its audience and its evidence. A row stores them as one JSON
// object (the facts column), written once and hashed as stored.
type Facts struct {
	// PlanItems are all the plan items the item serves, its first (or
	// its kind's default) first, each once.
	PlanItems []string `json:"plan_items,omitempty"`
	Channel   string   `json:"channel,omitempty"`
	Date      string   `json:"date,omitempty"`
	DateEnd   string   `json:"date_end,omitempty"`
	Unit      string   `json:"unit,omitempty"`
	Audience  int      `json:"audience,omitempty"`
	Evidence  []string `json:"evidence,omitempty"`
	// Public marks an activity an approver made a public page: it is then
	// on the column like an article, and counts in the column's figures.
	Public bool `json:"public,omitempty"`
}

// factsOf are the facts a row of item it records, and their stored
// encoding: "" when the item serves one plan item and is no activity,
// so such rows are written exactly as before.
func factsOf(it *content.Item) (Facts, string, error) {
	var f Facts
	if items := it.AllPlanItems(); len(items) > 1 {
		f.PlanItems = items
	}
	if it.Kind == content.Activity {
		f.PlanItems = it.AllPlanItems()
		f.Channel, f.Unit, f.Audience, f.Public = it.Channel, it.Unit, it.Audience, it.Public
		f.Evidence = append([]string(nil), it.Evidence...)
		if !it.Date.IsZero() {
			f.Date = it.Date.In(vntext.Zone).Format("2006-01-02")
		}
		if !it.DateEnd.IsZero() {
			f.DateEnd = it.DateEnd.In(vntext.Zone).Format("2006-01-02")
		}
	}
	if f.PlanItems == nil && f.Channel == "" && f.Unit == "" && f.Date == "" {
		return Facts{}, "", nil
	}
	b, err := json.Marshal(f)
	if err != nil {
		return Facts{}, "", fmt.Errorf("publog: facts of %s: %w", it.Slug, err)
	}
	return f, string(b), nil
}

// readFacts decodes a stored facts column; what does not decode reads as
// no facts (the hash, over the stored text, still says whether it was
// changed).
func readFacts(s string) Facts {
	var f Facts
	if s != "" {
		_ = json.Unmarshal([]byte(s), &f)
	}
	return f
}

// PlanItems are every plan item the row's item served: those its facts
// record, else its one plan item.
func (e *Entry) PlanItems() []string {
	if len(e.Facts.PlanItems) > 0 {
		return e.Facts.PlanItems
	}
	if e.PlanItem == "" {
		return nil
	}
	return []string{e.PlanItem}
}

// OnColumn reports whether the row's item is on the column: every kind
// but an activity, and an activity made public. The column's figures
// (months, areas, Phụ lục I) count only these; the activities register
// is counted per plan item.
func (e *Entry) OnColumn() bool { return e.Kind != content.Activity || e.Facts.Public }

// Serves reports whether the row's item served plan item id.
func (e *Entry) Serves(id string) bool { return slices.Contains(e.PlanItems(), id) }
