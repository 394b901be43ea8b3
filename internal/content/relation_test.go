package content

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

const relHead = "---\nnumber: 29/2013/QH13\ntype: Luật\nissuer: Quốc hội\nissued: 2013-06-18\ntitle: Luật Khoa học và Công nghệ\n"

// TestRelationsParse: each side of each verb reads into the acting side's
// relation, with the day when written.
func TestRelationsParse(t *testing.T) {
	it := mustParse(t, "documents/a.md", Document, relHead+
		"replaced_by: 93/2025/QH15 (01/10/2025)\nguides: [\"08/2014/NĐ-CP\"]\nrepeals_part:\n  - 1256/QĐ-UBND (2022-03-01)\n  - 1256/QĐ-UBND\n---\n")
	got := it.Relations()
	want := []Relation{
		{Verb: Replaces, Actor: "93/2025/QH15", ActorKey: "93/2025/QH15", Target: "29/2013/QH13", TargetKey: "29/2013/QH13", Date: day(2025, 10, 1), Field: "replaced_by"},
		{Verb: RepealsPart, Actor: "29/2013/QH13", ActorKey: "29/2013/QH13", Target: "1256/QĐ-UBND", Date: day(2022, 3, 1), Field: "repeals_part"},
		{Verb: Guides, Actor: "29/2013/QH13", ActorKey: "29/2013/QH13", Target: "08/2014/NĐ-CP", Field: "guides"},
	}
	if len(got) != len(want) {
		t.Fatalf("relations %+v, want %d (a number twice is one)", got, len(want))
	}
	for i, w := range want {
		g := got[i]
		if g.Verb != w.Verb || g.Actor != w.Actor || g.Target != w.Target || !g.Date.Equal(w.Date) || g.Field != w.Field {
			t.Errorf("relation %d = %+v, want %+v", i, g, w)
		}
	}
	if RelationPhrase(Replaces, true) != "site.relation.replaced_by" || RelationPhrase(Guides, false) != "site.relation.guides" {
		t.Error("RelationPhrase names the wrong key")
	}
}

// TestRelationErrors: a malformed relation, a relation to itself, too many
// relations and a source address that is not https are refused at their
// line.
func TestRelationErrors(t *testing.T) {
	tests := []struct {
		name, front, want string
	}{
		{"not a number", "replaced_by: Luật mới\n", `documents/a.md:7: "Luật mới" không phải là số hiệu văn bản`},
		{"bad day", "replaced_by: 93/2025/QH15 (32/10/2025)\n", `documents/a.md:7: ngày trong "93/2025/QH15 (32/10/2025)" không hợp lệ`},
		{"unclosed", "amends: 93/2025/QH15 (01/10/2025\n", `documents/a.md:7: "93/2025/QH15 (01/10/2025" không phải là số hiệu văn bản`},
		{"entry a map", "repeals:\n  - {number: 93/2025/QH15}\n", `documents/a.md:8: mỗi mục của trường "repeals" phải là một chuỗi chữ`},
		{"self", "effective: 2014-01-01\nrepeals_part: 29/2013/QH13 (2020-01-01)\n", "documents/a.md:8: văn bản không thể có quan hệ với chính nó (29/2013/QH13)"},
		{"self by key", "guided_by: 29/2013/qh13\n", "documents/a.md:7: văn bản không thể có quan hệ với chính nó"},
		{"http source", "source_url: http://vbpl.vn/x\n", `documents/a.md:7: địa chỉ nguồn chính thức "http://vbpl.vn/x" phải bắt đầu bằng https://`},
		{"script source", "source_url: javascript:alert(1)\n", "documents/a.md:7: "},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("documents/a.md", Document, []byte(relHead+tc.front+"---\n"))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}

// TestRelationsBounded: 10,000 relations in one file are refused at the
// field's line, quickly (the file is 359 KB, under the 1 MiB limit: it
// parses in a tenth of a second here, and 2 s leaves room for a slow
// shared machine).
func TestRelationsBounded(t *testing.T) {
	var b strings.Builder
	b.WriteString(relHead + "repeals:\n")
	for i := range 10000 {
		fmt.Fprintf(&b, "  - %d/2020/QĐ-UBND (01/01/2021)\n", i+1)
	}
	b.WriteString("---\n")
	start := time.Now()
	_, err := Parse("documents/a.md", Document, []byte(b.String()))
	took := time.Since(start)
	want := fmt.Sprintf("documents/a.md:7: một văn bản ghi tối đa %d quan hệ với văn bản khác", MaxRelations)
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("error %v, want %q", err, want)
	}
	if took > 2*time.Second {
		t.Errorf("10,000 relations took %v", took)
	}
	t.Logf("%d bytes, 10,000 relations refused in %v", b.Len(), took)

	// At the bound, over the ten fields, a file is fine.
	b.Reset()
	b.WriteString(relHead)
	for i, f := range RelationFields {
		fmt.Fprintf(&b, "%s:\n", f.Name)
		for j := range MaxRelations / len(RelationFields) {
			fmt.Fprintf(&b, "  - %d/2020/QĐ-UBND\n", i*100+j+1)
		}
	}
	it := mustParse(t, "documents/a.md", Document, b.String()+"---\n")
	if n := len(it.Relations()); n != MaxRelations {
		t.Errorf("%d relations at the bound, want %d", n, MaxRelations)
	}
}

// TestValiditySuspended: an editor may set the suspension the dates
// cannot say, and it is not in force.
func TestValiditySuspended(t *testing.T) {
	it := mustParse(t, "documents/a.md", Document, relHead+"validity: ngưng hiệu lực\n---\n")
	if it.Validity != ValiditySuspended || InForce(it.Validity) {
		t.Errorf("validity %q", it.Validity)
	}
}
