package publish_test

import (
	"cchc/internal/testsupport"
	"io/fs"
	"strings"
	"testing"
	"time"

	demo "cchc/content"
	"cchc/internal/content"
	"cchc/internal/vntext"
)

// TestDemoDocumentsCiteOnlyEarlier checks a truth the demo registry must
// keep: a document's page never cites a document issued after it. A page
// citing a later document puts the earlier one on the later one's "cited
// in" list, which says something the real document does not (an earlier
// resolution cannot cite a later decision).
func TestDemoDocumentsCiteOnlyEarlier(t *testing.T) {
	e := newEnv(t)
	if res := e.importFS(t, testsupport.DemoRoot(t)); res.Failed != 0 {
		t.Fatalf("import: %v", res.Errors)
	}
	rows, err := e.db.Query(`SELECT c.number, c.issued, d.number, d.issued
		FROM item_refs r
		JOIN items c ON c.id = r.item_id
		JOIN items d ON d.number_key = r.key
		WHERE c.kind = 'document' AND d.kind = 'document' AND d.issued > c.issued
		ORDER BY c.number, d.number`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var from, fromIssued, to, toIssued string
		if err := rows.Scan(&from, &fromIssued, &to, &toIssued); err != nil {
			t.Fatal(err)
		}
		t.Errorf("document %s (issued %s) cites %s, issued later (%s)", from, fromIssued, to, toIssued)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if n := e.count(t, `SELECT COUNT(*) FROM item_refs r JOIN items c ON c.id = r.item_id WHERE c.kind = 'document'`); n == 0 {
		t.Fatal("no document cites another; the query above checks nothing")
	}
}

// TestDemoValidityToday checks the validity the demo's documents show on
// 06/12/2026: laws replaced and plans whose year or period has ended are
// not shown as in force, and the law in force is.
func TestDemoValidityToday(t *testing.T) {
	today := time.Date(2026, 12, 6, 9, 0, 0, 0, vntext.Zone)
	docs := map[string]*content.Item{}
	files, err := fs.Glob(demo.FS, "documents/*.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		b, err := fs.ReadFile(demo.FS, f)
		if err != nil {
			t.Fatal(err)
		}
		it, err := content.Parse(f, content.Document, b)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		docs[it.Number] = it
	}
	for _, tc := range []struct{ number, want string }{
		{"29/2013/QH13", content.ValidityExpired}, // replaced by 93/2025/QH15 from 01/10/2025
		{"93/2025/QH15", content.ValidityInForce},
		{"272/KH-SKHCN", content.ValidityExpired}, // the 2022 plan
		{"34/KH-UBND", content.ValidityExpired},
		{"305/HD-STTTT", content.ValidityExpired},
		{"1256/QĐ-UBND", content.ValidityExpired}, // 2021–2025
		{"649/QĐ-UBND", content.ValidityExpired},
		{"93/QĐ-UBND", content.ValidityExpired},
	} {
		it, ok := docs[tc.number]
		if !ok {
			t.Errorf("%s: not in the demo registry", tc.number)
			continue
		}
		if got := it.DocumentValidity(today); got != tc.want {
			t.Errorf("%s on %s: %q, want %q", tc.number, vntext.Date(today), got, tc.want)
		}
	}
	// The day before it expired, the old law was still in force.
	if it := docs["29/2013/QH13"]; it != nil {
		if got := it.DocumentValidity(time.Date(2025, 9, 30, 23, 0, 0, 0, vntext.Zone)); got != content.ValidityInForce {
			t.Errorf("29/2013/QH13 on 30/09/2025: %q, want %q", got, content.ValidityInForce)
		}
	}
}

// TestDemoThreeIndices checks that no demo text claims a fourth index: the
// plan and the documents it names speak of the PAR Index, PAPI and PCI.
func TestDemoThreeIndices(t *testing.T) {
	err := fs.WalkDir(demo.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".md") {
			return err
		}
		b, err := fs.ReadFile(demo.FS, p)
		if err != nil {
			return err
		}
		if strings.Contains(string(b), "SIPAS") || strings.Contains(string(b), "Bốn bộ chỉ số") {
			t.Errorf("%s claims a fourth index; the plan names the PAR Index, PAPI and PCI", p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
