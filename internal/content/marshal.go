package content

import (
	"bytes"
	"encoding/json"
	"time"

	"cchc/internal/vntext"
)

// Marshal writes it back as a content file: YAML front matter in the order
// of the content format, then the body. Parsing the result gives the same
// item. Strings are written as JSON strings, which are valid YAML
// double-quoted scalars, so no value can break the front matter.
func Marshal(it *Item) []byte {
	var b bytes.Buffer
	b.WriteString("---\n")
	str := func(name, v string) {
		if v == "" {
			return
		}
		q, _ := json.Marshal(v)
		b.WriteString(name + ": ")
		b.Write(q)
		b.WriteByte('\n')
	}
	list := func(name string, vs []string) {
		if len(vs) == 0 {
			return
		}
		q, _ := json.Marshal(vs)
		b.WriteString(name + ": ")
		b.Write(q)
		b.WriteByte('\n')
	}
	day := func(name string, t time.Time) {
		if !t.IsZero() {
			b.WriteString(name + ": " + t.In(vntext.Zone).Format("2006-01-02") + "\n")
		}
	}
	moment := func(name string, t time.Time) {
		if !t.IsZero() {
			b.WriteString(name + ": " + t.In(vntext.Zone).Format(time.RFC3339) + "\n")
		}
	}
	switch it.Kind {
	case Document:
		str("number", it.Number)
		str("type", it.Type)
		str("issuer", it.Issuer)
		day("issued", it.Issued)
		str("title", it.Title)
		str("signer", it.Signer)
		day("effective", it.Effective)
		day("expires", it.Expires)
		str("validity", it.Validity)
		str("field", it.Field)
		str("file", it.File)
		str("source_url", it.SourceURL)
	case Procedure:
		str("title", it.Title)
		str("code", it.Code)
		str("field", it.Field)
		str("level", it.Level)
		str("agency", it.Agency)
		str("online", it.Online)
		str("processing_time", it.ProcessingTime)
		str("fee", it.Fee)
		list("submission", it.Submission)
		str("applicants", it.Applicants)
		str("result", it.Result)
		list("legal_basis", it.LegalBasis)
		str("portal_url", it.PortalURL)
	default:
		str("title", it.Title)
		list("tags", it.Tags)
		str("author", it.Author)
		str("image", it.Image)
	}
	str("slug", it.Slug)
	moment("date", it.Date)
	moment("updated", it.Updated)
	str("summary", it.Summary)
	list("areas", it.Areas)
	if it.PlanItem != "" && it.PlanItem != it.Kind.DefaultPlanItem() {
		str("plan_item", it.PlanItem)
	}
	if it.Draft {
		b.WriteString("draft: true\n")
	}
	b.WriteString("---\n")
	b.WriteString(it.Body)
	return b.Bytes()
}
