package publish_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"testing/fstest"
	"time"

	demo "cchc/content"
	"cchc/internal/content"
	"cchc/internal/publish"
)

// agencyYAML is a record for slug with its own prefix, naming parent when
// it is not empty.
func agencyYAML(slug, parent string) string {
	s := "name: Cơ quan " + slug + "\nshort_name: CQ " + slug + "\nprefix: /" + slug + "\n"
	if parent != "" {
		s += "parent: " + parent + "\n"
	}
	return s
}

// TestImportAgencyFolders2000: 2,000 agency folders — a chain of 1,000
// whose every folder sorts before its parent's, 500 empty folders and 500
// with a broken record. Every good agency goes in with its parent, every
// bad folder is one path: message, and the import stays bounded: before,
// the parents-first passes wrote one agency of the chain per pass, asking
// the store for every waiting agency's parent each time (half a million
// queries for 1,000).
func TestImportAgencyFolders2000(t *testing.T) {
	e := newEnv(t)
	fsys := tree(map[string]string{"articles/a.md": goodArticle})
	const chain = 1000
	for i := range chain {
		// c0000's parent is c0001, …: each folder sorts before its parent.
		parent := ""
		if i < chain-1 {
			parent = fmt.Sprintf("c%04d", i+1)
		}
		slug := fmt.Sprintf("c%04d", i)
		fsys["agencies/"+slug+"/agency.yaml"] = &fstest.MapFile{Data: []byte(agencyYAML(slug, parent))}
	}
	for i := range 500 {
		fsys[fmt.Sprintf("agencies/e%04d/articles", i)] = &fstest.MapFile{Mode: 0o755 | 1<<31}
		fsys[fmt.Sprintf("agencies/x%04d/agency.yaml", i)] = &fstest.MapFile{Data: []byte("name: [\n")}
	}
	var before runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	res := e.importFS(t, fsys)
	took := time.Since(start)
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	t.Logf("2,000 agency folders: %v, %d MiB allocated, %d errors", took, (after.TotalAlloc-before.TotalAlloc)>>20, len(res.Errors))
	// The work is bounded by what it allocates, not by its time (which the
	// race detector multiplies by ten and the machine's load by more): it
	// was 1.3 GB (and 31 s) before the store's agencies were read once and
	// the loop check made one query; 56–60 MiB (2.4 s) since.
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 200<<20 {
		t.Errorf("the import allocated %d MiB", alloc>>20)
	}
	if n := e.count(t, `SELECT COUNT(*) FROM agencies WHERE slug LIKE 'c%'`); n != chain {
		t.Errorf("%d agencies of the chain of %d", n, chain)
	}
	if n := e.count(t, `SELECT COUNT(*) FROM agencies c JOIN agencies p ON p.id = c.parent_id WHERE c.slug LIKE 'c%' AND p.slug LIKE 'c%'`); n != chain-1 {
		t.Errorf("%d agencies of the chain have their parent, want %d", n, chain-1)
	}
	if res.Failed != 1000 || len(res.Errors) != 1000 {
		t.Errorf("failed %d with %d errors, want one per bad folder", res.Failed, len(res.Errors))
	}
	for _, err := range res.Errors {
		if msg := err.Error(); !strings.HasPrefix(msg, "content/agencies/e") && !strings.HasPrefix(msg, "content/agencies/x") {
			t.Errorf("a problem not of a bad folder: %s", msg)
			break
		}
	}
	// The chain's top names its bottom as parent: a loop 1,000 long,
	// refused; nothing else changes.
	top := fmt.Sprintf("c%04d", chain-1)
	fsys["agencies/"+top+"/agency.yaml"].Data = []byte(agencyYAML(top, "c0000"))
	start = time.Now()
	res = e.importFS(t, fsys)
	t.Logf("the same with a loop 1,000 long: %v", time.Since(start))
	var loop bool
	for _, err := range res.Errors {
		loop = loop || strings.HasPrefix(err.Error(), "content/agencies/"+top+"/agency.yaml:4: parent: ")
	}
	if !loop || res.Failed != 1001 {
		t.Errorf("the loop is not refused (failed %d)", res.Failed)
	}
	if n := e.count(t, `SELECT COUNT(*) FROM agencies WHERE slug = ? AND parent_id IS NULL`, top); n != 1 {
		t.Errorf("the chain's top took a parent")
	}
}

// TestImportAgencyParentLoop: agencies naming each other, or themselves,
// as parent are refused with path:line: messages; the others go in.
func TestImportAgencyParentLoop(t *testing.T) {
	e := newEnv(t)
	fsys := tree(map[string]string{
		"agencies/a/agency.yaml":  agencyYAML("a", "b"),
		"agencies/b/agency.yaml":  agencyYAML("b", "a"),
		"agencies/s/agency.yaml":  agencyYAML("s", "s"),
		"agencies/ok/agency.yaml": agencyYAML("ok", ""),
	})
	res := e.importFS(t, fsys)
	if res.Failed != 3 {
		t.Fatalf("failed %d, want 3: %v", res.Failed, res.Errors)
	}
	for _, err := range res.Errors {
		if msg := err.Error(); !strings.Contains(msg, "/agency.yaml:4: parent: ") {
			t.Errorf("problem %q", msg)
		}
	}
	if n := e.count(t, `SELECT COUNT(*) FROM agencies WHERE slug IN ('a', 'b', 's')`); n != 0 {
		t.Errorf("%d agencies of the loop written", n)
	}
	// Stored without a parent, then made a loop: refused by the store's
	// check, the stored records kept.
	delete(fsys, "agencies/b/agency.yaml")
	fsys["agencies/a/agency.yaml"].Data = []byte(agencyYAML("a", ""))
	fsys["agencies/s/agency.yaml"].Data = []byte(agencyYAML("s", ""))
	e.importFS(t, fsys)
	fsys["agencies/a/agency.yaml"].Data = []byte(agencyYAML("a", "ok"))
	fsys["agencies/ok/agency.yaml"].Data = []byte(agencyYAML("ok", "a"))
	fsys["agencies/s/agency.yaml"].Data = []byte(agencyYAML("s", "s"))
	res = e.importFS(t, fsys)
	if res.Failed != 2 {
		t.Errorf("failed %d, want the loop's second and the self-parent: %v", res.Failed, res.Errors)
	}
	if n := e.count(t, `SELECT COUNT(*) FROM agencies c JOIN agencies p ON p.id = c.parent_id WHERE p.parent_id = c.id OR p.id = c.id`); n != 0 {
		t.Errorf("a loop was stored")
	}
}

// TestImportAgencyNamesLookAlike: records whose name reads as the Sở Tư
// pháp's — in NFD, with a zero-width character (U+200B, U+200C, U+200D,
// U+2060, U+FEFF, U+00AD) or a bidi override inside — and records whose
// prefix or host is another's but for case and a trailing dot or slash.
// The NFD name and the prefix are the same after cleaning and refused as
// taken; every invisible character is refused (before, a zero-width space
// made a second "Sở Tư pháp tỉnh Quảng Ngãi" in the roll-up and the
// province's results); each problem is path:line: message.
func TestImportAgencyNamesLookAlike(t *testing.T) {
	e := newEnv(t)
	e.importFS(t, tree(map[string]string{"agencies/so-tu-phap/agency.yaml": stpRecord}))
	files := map[string]string{
		"agencies/so-tu-phap/agency.yaml": stpRecord,
		"agencies/b-nfd/agency.yaml":      "name: So\u031b\u0309 Tu\u031b pha\u0301p ti\u0309nh Qua\u0309ng Nga\u0303i\nshort_name: B\nprefix: /b-nfd\n",
		"agencies/d-bidi/agency.yaml":     "name: Sở Tư pháp \u202etỉnh Quảng Ngãi\nshort_name: D\nprefix: /d-bidi\n",
		"agencies/e-prefix/agency.yaml":   "name: E\nshort_name: E\nprefix: /SO-TU-PHAP/\n",
		"agencies/f-host/agency.yaml":     "name: F\nshort_name: F\nhost: Son.Example.gov.vn.\n",
		"agencies/g-host/agency.yaml":     "name: G\nshort_name: G\nhost: son.example.gov.vn\n",
	}
	invisible := []rune{0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x00AD, 0x200E, 0x200F}
	for i, r := range invisible {
		slug := fmt.Sprintf("z%d", i)
		files["agencies/"+slug+"/agency.yaml"] = "name: Sở Tư" + string(r) + " pháp tỉnh Quảng Ngãi\nshort_name: Z" + slug + "\nprefix: /" + slug + "\n"
	}
	res := e.importFS(t, tree(files))
	if n := e.count(t, `SELECT COUNT(*) FROM agencies`); n != 3 {
		t.Errorf("%d agencies, want the root, the Sở Tư pháp and one of the hosts: %v", n, res.Errors)
	}
	if want := 4 + len(invisible); res.Failed != want {
		t.Errorf("failed %d, want %d: %v", res.Failed, want, res.Errors)
	}
	for _, err := range res.Errors {
		if msg := err.Error(); !strings.HasPrefix(msg, "content/agencies/") || !strings.Contains(msg, "/agency.yaml:") {
			t.Errorf("problem %q is not path:line: message", msg)
		}
	}
}

// TestImportSameNumber50Agencies: 50 agencies' trees all give the same
// document number: the root's file keeps it, each of the 50 others is
// refused naming that file, and the import's time and memory stay
// bounded.
func TestImportSameNumber50Agencies(t *testing.T) {
	e := newEnv(t)
	fsys := tree(map[string]string{"documents/k.md": goodDocument})
	for i := range 50 {
		slug := fmt.Sprintf("so-%02d", i)
		fsys["agencies/"+slug+"/agency.yaml"] = &fstest.MapFile{Data: []byte(agencyYAML(slug, ""))}
		fsys["agencies/"+slug+"/documents/k.md"] = &fstest.MapFile{Data: []byte(goodDocument)}
		fsys["agencies/"+slug+"/articles/a.md"] = &fstest.MapFile{Data: []byte(stpArticle)}
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	res := e.importFS(t, fsys)
	took := time.Since(start)
	runtime.ReadMemStats(&after)
	t.Logf("50 agencies, one number: %v, %d MiB allocated", took, (after.TotalAlloc-before.TotalAlloc)>>20)
	if took > 60*time.Second {
		t.Errorf("the import took %v", took)
	}
	if res.Failed != 50 || len(res.Errors) != 50 {
		t.Fatalf("failed %d with %d errors, want 50", res.Failed, len(res.Errors))
	}
	for _, err := range res.Errors {
		msg := err.Error()
		if !strings.HasPrefix(msg, "content/agencies/so-") || !strings.Contains(msg, "/documents/k.md:") || !strings.Contains(msg, "content/documents/k.md") {
			t.Errorf("problem %q", msg)
		}
	}
	if n := e.count(t, `SELECT COUNT(*) FROM items WHERE number_key IS NOT NULL`); n != 1 {
		t.Errorf("%d documents stored", n)
	}
	if n := e.count(t, `SELECT COUNT(*) FROM items WHERE kind = 'article'`); n != 50 {
		t.Errorf("%d articles stored, want every agency's", n)
	}
}

// TestImportNumberReleasedAndTaken: a stored document of an agency gives
// its number up and another tree's new file takes it in the same import
// (in both orders of the trees): nothing escapes as an error of the
// import, nothing is half-written, and a second import settles it.
func TestImportNumberReleasedAndTaken(t *testing.T) {
	e := newEnv(t)
	doc := func(number string) string { return strings.Replace(goodDocument, "1256/QĐ-UBND", number, 1) }
	fsys := tree(map[string]string{
		"documents/r.md":               doc("1/KH-A"),
		"agencies/a-so/agency.yaml":    agencyYAML("a-so", ""),
		"agencies/a-so/documents/a.md": doc("2/KH-A"),
		"agencies/z-so/agency.yaml":    agencyYAML("z-so", ""),
		"agencies/z-so/documents/z.md": doc("3/KH-A"),
	})
	if res := e.importFS(t, fsys); res.Failed != 0 {
		t.Fatalf("first import: %v", res.Errors)
	}
	// The root gives 1 up and a-so's new file takes it; z-so gives 3 up
	// and the root's new file takes it (z-so is claimed after the root).
	fsys["documents/r.md"].Data = []byte(doc("4/KH-A"))
	fsys["agencies/a-so/documents/new.md"] = &fstest.MapFile{Data: []byte(doc("1/KH-A"))}
	fsys["agencies/z-so/documents/z.md"].Data = []byte(doc("5/KH-A"))
	fsys["documents/new.md"] = &fstest.MapFile{Data: []byte(doc("3/KH-A"))}
	res := e.importFS(t, fsys)
	// The root's tree is claimed before z-so's: its new file cannot take
	// the number z-so's stored document still holds then, and is refused
	// for this import, naming where; a-so's takes the root's.
	if res.Failed != 1 || !strings.HasPrefix(res.Errors[0].Error(), "content/documents/new.md:2: ") {
		t.Errorf("second import: failed %d: %v", res.Failed, res.Errors)
	}
	if n := e.count(t, `SELECT COUNT(*) FROM items WHERE number_key IS NOT NULL`); n != 3+res.Added {
		t.Errorf("%d documents for %d added", n, res.Added)
	}
	res = e.importFS(t, fsys)
	if res.Failed != 0 {
		t.Errorf("third import: %v", res.Errors)
	}
	if n := e.count(t, `SELECT COUNT(*) FROM items WHERE number_key IS NOT NULL`); n != 5 {
		t.Errorf("%d documents, want 5", n)
	}
}

// TestImportAgenciesTwiceConcurrently: two imports of the same tree with
// agencies at once on one database: neither fails with a store error, and
// the result is the one import's.
func TestImportAgenciesTwiceConcurrently(t *testing.T) {
	e := newEnv(t)
	fsys := tree(map[string]string{"articles/a.md": goodArticle})
	for i := range 10 {
		slug := fmt.Sprintf("so-%02d", i)
		fsys["agencies/"+slug+"/agency.yaml"] = &fstest.MapFile{Data: []byte(agencyYAML(slug, ""))}
		fsys["agencies/"+slug+"/articles/a.md"] = &fstest.MapFile{Data: []byte(stpArticle)}
		fsys["agencies/"+slug+"/plans/2022.yaml"] = &fstest.MapFile{Data: []byte(strings.Replace(testPlan, "tracked: true}", "tracked: true, lead: Văn phòng; Phòng "+slug+"}", 1))}
	}
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Go(func() {
			_, errs[i] = e.svc.Import(context.Background(), fsys, "content")
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Errorf("an import failed: %v", err)
		}
	}
	if n := e.count(t, `SELECT COUNT(*) FROM agencies`); n != 11 {
		t.Errorf("%d agencies", n)
	}
	if n := e.count(t, `SELECT COUNT(*) FROM units u JOIN agencies a ON a.id = u.agency_id WHERE a.id <> 1`); n != 20 {
		t.Errorf("%d units, want two per agency", n)
	}
	if n := e.count(t, `SELECT COUNT(*) FROM items`); n != 11 {
		t.Errorf("%d items", n)
	}
}

// TestImportDemoTwiceChangesNothing: the whole demo, three agencies, a
// second time: no revision, no log row, no audit row, no unit, no agency.
func TestImportDemoTwiceChangesNothing(t *testing.T) {
	e := newEnv(t)
	res := e.importFS(t, demo.FS)
	if res.Failed != 0 {
		t.Fatalf("first import: %v", res.Errors)
	}
	q := map[string]string{
		"revisions": `SELECT COUNT(*) FROM revisions`,
		"log rows":  `SELECT COUNT(*) FROM publog`,
		"audit":     `SELECT COUNT(*) FROM audit_log`,
		"units":     `SELECT COUNT(*) FROM units`,
		"agencies":  `SELECT COUNT(*) FROM agencies`,
		"plans":     `SELECT COUNT(*) FROM plans`,
		"media":     `SELECT COUNT(*) FROM media`,
	}
	before := map[string]int{}
	for k, s := range q {
		before[k] = e.count(t, s)
	}
	if before["agencies"] != 3 {
		t.Fatalf("%d agencies after the demo", before["agencies"])
	}
	e.now = e.now.Add(24 * time.Hour)
	res = e.importFS(t, demo.FS)
	if res.Added != 0 || res.Updated != 0 || res.Failed != 0 || res.Rerendered != 0 {
		t.Errorf("second import: added %d, updated %d, failed %d, re-rendered %d", res.Added, res.Updated, res.Failed, res.Rerendered)
	}
	for k, s := range q {
		if n := e.count(t, s); n != before[k] {
			t.Errorf("%s: %d after the second import, %d before", k, n, before[k])
		}
	}
}

// unitPlan is a plan for year whose one item puts leads in charge.
func unitPlan(year int, leads string) string {
	return fmt.Sprintf("number: %d/KH-X\ntitle: Kế hoạch thử\nissued: %d-03-25\nyear: %d\nareas:\n  - {id: II.1, title: Văn bản chỉ đạo}\n"+
		"items:\n  - id: III.4\n    title: Hội nghị\n    tracked: true\n    lead: %q\n", year, year, year, leads)
}

// TestImportUnitsBounded: an agency's unit list (the accounts' choice on
// the account page) stays bounded whatever its plans name: 40 years of
// plans each naming 50 new leads, a plan whose one lead names 30,000
// units in its 256 KiB, edits naming new ones at every import. Leads that
// differ only by spaces or case (NFD is NFC by then) are one unit. Before,
// each plan added its 50: 2,000 units, and more at every edit.
func TestImportUnitsBounded(t *testing.T) {
	e := newEnv(t)
	fsys := tree(map[string]string{"agencies/so-tu-phap/agency.yaml": stpRecord})
	names := func(year, n int) string {
		var b strings.Builder
		for i := range n {
			if i > 0 {
				b.WriteString("; ")
			}
			fmt.Fprintf(&b, "Phòng %d-%d", year, i)
		}
		return b.String()
	}
	for y := 2000; y < 2040; y++ {
		fsys[fmt.Sprintf("agencies/so-tu-phap/plans/%d.yaml", y)] = &fstest.MapFile{Data: []byte(unitPlan(y, names(y, 50)))}
	}
	var short strings.Builder
	for i := range 30_000 {
		fmt.Fprintf(&short, "P%d; ", i)
	}
	huge := unitPlan(2040, short.String())
	if len(huge) > 256<<10 {
		t.Fatalf("the plan is %d bytes", len(huge))
	}
	fsys["agencies/so-tu-phap/plans/2040.yaml"] = &fstest.MapFile{Data: []byte(huge)}
	fsys["agencies/so-tu-phap/plans/2041.yaml"] = &fstest.MapFile{Data: []byte(unitPlan(2041,
		"Văn phòng Sở; Văn  phòng   Sở; VĂN PHÒNG SỞ; văn phòng sở; Va\u0306n pho\u0300ng Sơ\u0309; Văn phòng\u00a0Sở"))}
	start := time.Now()
	res := e.importFS(t, fsys)
	took := time.Since(start)
	t.Logf("42 hostile plans: %v, %d units", took, e.count(t, `SELECT COUNT(*) FROM units WHERE agency_id <> 1`))
	if took > 30*time.Second {
		t.Errorf("the import took %v", took)
	}
	if res.Failed != 0 {
		t.Errorf("failed: %v", res.Errors)
	}
	units := func() int { return e.count(t, `SELECT COUNT(*) FROM units WHERE agency_id <> 1`) }
	if n := units(); n > 100 {
		t.Errorf("the agency has %d units, want at most 100", n)
	}
	// Edits naming new leads: still bounded.
	for round := range 3 {
		for y := 2000; y < 2010; y++ {
			fsys[fmt.Sprintf("agencies/so-tu-phap/plans/%d.yaml", y)].Data = []byte(unitPlan(y, names(y*10+round, 50)))
		}
		e.importFS(t, fsys)
	}
	if n := units(); n > 100 {
		t.Errorf("after three edits the agency has %d units, want at most 100", n)
	}
	// The look-alike leads are one unit when the plan adds them alone.
	e2 := newEnv(t)
	e2.importFS(t, tree(map[string]string{
		"agencies/so-tu-phap/agency.yaml":     stpRecord,
		"agencies/so-tu-phap/plans/2041.yaml": string(fsys["agencies/so-tu-phap/plans/2041.yaml"].Data),
	}))
	if got := e2.str(t, `SELECT group_concat(name, ' | ') FROM units WHERE agency_id <> 1`); got != "Văn phòng Sở" {
		t.Errorf("the look-alike leads made the units %q", got)
	}
}

// TestImportAgencyFolderHostileOnDisk: on a real content folder, an
// agency folder that is a link out of the content folder, a link to
// another agency's folder inside it, or a FIFO; an agency.yaml that is a
// FIFO or a link out; an agency's articles/ that is a link out. Each is one
// path: message, the import neither hangs nor stops, and the good agency
// goes in.
func TestImportAgencyFolderHostileOnDisk(t *testing.T) {
	base := t.TempDir()
	outside := filepath.Join(base, "outside")
	dir := filepath.Join(base, "content")
	write := func(rel, text string) {
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.MkdirAll(filepath.Join(outside, "articles"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(outside, "agency.yaml"), []byte(agencyYAML("out-link", "")), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(outside, "articles", "x.md"), []byte(stpArticle), 0o644); err != nil {
		t.Fatal(err)
	}
	write("plans/2022.yaml", testPlan)
	write("agencies/so-tu-phap/agency.yaml", stpRecord)
	write("agencies/so-tu-phap/articles/a.md", stpArticle)
	write("agencies/yaml-link/articles/a.md", stpArticle)
	write("agencies/articles-link/agency.yaml", agencyYAML("articles-link", ""))
	write("agencies/yaml-fifo/articles/a.md", stpArticle)
	for _, l := range []struct{ target, link string }{
		{outside, "agencies/out-link"},
		{"so-tu-phap", "agencies/in-link"},
		{filepath.Join(outside, "agency.yaml"), "agencies/yaml-link/agency.yaml"},
		{filepath.Join(outside, "articles"), "agencies/articles-link/articles"},
	} {
		if err := os.Symlink(l.target, filepath.Join(dir, l.link)); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []string{"agencies/fifo", "agencies/yaml-fifo/agency.yaml"} {
		if err := syscall.Mkfifo(filepath.Join(dir, f), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	d, err := publish.OpenContentDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	e := newEnv(t)
	done := make(chan *publish.ImportResult, 1)
	go func() {
		res, err := e.svc.Import(context.Background(), d, "content")
		if err != nil {
			t.Errorf("Import: %v", err)
		}
		done <- res
	}()
	var res *publish.ImportResult
	select {
	case res = <-done:
	case <-time.After(60 * time.Second): // a FIFO opened blocking would hang forever
		t.Fatal("the import hangs")
	}
	if res == nil {
		return
	}
	want := []string{"content/agencies/fifo: ", "content/agencies/in-link: ", "content/agencies/out-link: ",
		"content/agencies/yaml-fifo/agency.yaml: ", "content/agencies/yaml-link/agency.yaml: ", "content/agencies/articles-link/articles: "}
	for _, w := range want {
		if !slices.ContainsFunc(res.Errors, func(err *content.Error) bool { return strings.HasPrefix(err.Error(), w) }) {
			t.Errorf("no problem at %q: %v", w, res.Errors)
		}
	}
	if len(res.Errors) != len(want) {
		t.Errorf("%d problems, want %d: %v", len(res.Errors), len(want), res.Errors)
	}
	if n := e.count(t, `SELECT COUNT(*) FROM agencies`); n != 3 {
		t.Errorf("%d agencies, want the root, the Sở Tư pháp and articles-link", n)
	}
	if n := e.count(t, `SELECT COUNT(*) FROM items`); n != 1 {
		t.Errorf("%d items, want the Sở Tư pháp's article", n)
	}
}

// TestImportReleasedNumberWriteFails: the root's stored document gives its
// number up in a change whose body then fails to render at the write
// (past the renderer's heading limit, which the claims pass does not
// render), while an agency's new file takes the number. The failing file
// keeps its stored number, so the taker must be refused, not break the
// import on UNIQUE after the root's tree was written.
func TestImportReleasedNumberWriteFails(t *testing.T) {
	e := newEnv(t)
	doc := func(number string) string { return strings.Replace(goodDocument, "1256/QĐ-UBND", number, 1) }
	fsys := tree(map[string]string{
		"documents/r.md":            doc("1/KH-A"),
		"agencies/a-so/agency.yaml": agencyYAML("a-so", ""),
	})
	if res := e.importFS(t, fsys); res.Failed != 0 {
		t.Fatalf("first import: %v", res.Errors)
	}
	fsys["documents/r.md"].Data = []byte(doc("4/KH-A") + strings.Repeat("## Mục\n\n", 2100))
	fsys["articles/b.md"] = &fstest.MapFile{Data: []byte(goodArticle)}
	fsys["agencies/a-so/documents/new.md"] = &fstest.MapFile{Data: []byte(doc("1/KH-A"))}
	res, err := e.svc.Import(context.Background(), fsys, "content")
	if err != nil {
		t.Fatalf("the import stopped: %v", err)
	}
	var msgs []string
	for _, x := range res.Errors {
		msgs = append(msgs, x.Error())
	}
	all := strings.Join(msgs, "\n")
	if !strings.Contains(all, "content/documents/r.md:") || !strings.Contains(all, "content/agencies/a-so/documents/new.md:") {
		t.Errorf("problems %q, want the unrenderable file and the one its number stays with", all)
	}
	if !strings.Contains(all, "content/agencies/a-so/documents/new.md:2: số ký hiệu \"1/KH-A\" đã có ở tệp content/documents/r.md") {
		t.Errorf("the taker is not told which file keeps the number: %q", all)
	}
	if n := e.count(t, `SELECT COUNT(*) FROM items WHERE number_key IS NOT NULL`); n != 1 {
		t.Errorf("%d documents", n)
	}
	if n := e.count(t, `SELECT COUNT(*) FROM items WHERE kind = 'article'`); n != 1 {
		t.Errorf("the root's new article: %d rows", n)
	}
	// Mended, the next import writes both.
	fsys["documents/r.md"].Data = []byte(doc("4/KH-A"))
	if res := e.importFS(t, fsys); res.Failed != 0 {
		t.Errorf("the import after the mend: %v", res.Errors)
	}
	if n := e.count(t, `SELECT COUNT(*) FROM items WHERE number_key IS NOT NULL`); n != 2 {
		t.Errorf("%d documents after the mend", n)
	}
}

// TestImportReleasedSlugWriteFails: the same within one tree, for a slug:
// a stored article renamed, whose body fails at its render, and a new file
// taking its old slug.
func TestImportReleasedSlugWriteFails(t *testing.T) {
	e := newEnv(t)
	article := func(slug, body string) string {
		return "---\ntitle: Bài thử\nslug: " + slug + "\ndate: 2022-03-20\n---\n" + body
	}
	fsys := tree(map[string]string{"articles/a.md": article("cu", "Nội dung.\n")})
	if res := e.importFS(t, fsys); res.Failed != 0 {
		t.Fatalf("first import: %v", res.Errors)
	}
	fsys["articles/a.md"].Data = []byte(article("moi", strings.Repeat("## Mục\n\n", 2100)))
	fsys["articles/b.md"] = &fstest.MapFile{Data: []byte(article("cu", "Bài mới.\n"))}
	res, err := e.svc.Import(context.Background(), fsys, "content")
	if err != nil {
		t.Fatalf("the import stopped: %v", err)
	}
	if res.Failed != 2 || len(res.Errors) != 2 || !strings.HasPrefix(res.Errors[1].Error(), "content/articles/b.md:3: slug \"cu\" đã được dùng ở tệp content/articles/a.md") {
		t.Errorf("failed %d: %v", res.Failed, res.Errors)
	}
	if got := e.str(t, `SELECT group_concat(slug || ':' || source_path) FROM items`); got != "cu:articles/a.md" {
		t.Errorf("items %q", got)
	}
}
