package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	demo "cchc/content"
	"cchc/internal/agency"
	"cchc/internal/app"
	"cchc/internal/auth"
	"cchc/internal/config"
	"cchc/internal/content"
	"cchc/internal/media"
	"cchc/internal/publish"
	"cchc/internal/store"
	"cchc/internal/testsupport"
	"cchc/internal/vntext"
)

// TestExportRoundTrip imports the demo content plus items made in the
// workspace, exports it, imports the export into an empty database and
// expects the same items.
func TestExportRoundTrip(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2022, 12, 1, 9, 0, 0, 0, vntext.Zone)
	open := func(dir string) *app.Env {
		cfg := config.Defaults
		cfg.Data = dir
		env, err := app.Open(ctx, &cfg, nil, func() time.Time { return now })
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { env.Close() })
		return env
	}
	src := open(t.TempDir())
	// The repository's content folder: the embedded demo and the other
	// agencies (agencies/SLUG/), which go out and come back too.
	if _, err := src.Publish.Import(ctx, repoContent, "content"); err != nil {
		t.Fatal(err)
	}
	// Something only the workspace can make: a draft with awkward text.
	ed := publish.Actor{Name: "lan", Role: auth.Editor}
	draft := demoDraft()
	if _, _, err := src.Publish.Save(ctx, ed, publish.SaveRequest{Item: draft}); err != nil {
		t.Fatal(err)
	}
	// A document imported with its attachment, and a draft document whose
	// file was uploaded in the workspace.
	pdf := []byte("%PDF-1.4\n% quy chế\n%%EOF\n")
	res, err := src.Publish.Import(ctx, fstest.MapFS{
		"documents/999-qd-skhcn.md":    {Data: []byte(attachedDocument)},
		"tep-dinh-kem/Quy chế 999.pdf": {Data: pdf},
	}, "them")
	if err != nil || res.Failed != 0 || res.Added != 1 {
		t.Fatalf("import of the attached document: %+v %v %v", res, res.Errors, err)
	}
	xlsx := testsupport.XLSX()
	up, err := media.New(src.Store, nil).Add(ctx, media.Upload{FileName: "Số liệu.xlsx", Data: xlsx, By: "lan"})
	if err != nil {
		t.Fatal(err)
	}
	var doc content.Item
	doc.Kind, doc.Number, doc.Type, doc.Issuer, doc.Title = content.Document, "12/BC-SKHCN", "Báo cáo", "Sở Khoa học và Công nghệ", "Số liệu cải cách hành chính quý I"
	doc.Issued = time.Date(2022, 4, 2, 0, 0, 0, 0, vntext.Zone)
	doc.File = up.Name
	if _, _, err := src.Publish.Save(ctx, ed, publish.SaveRequest{Item: doc}); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "xuat")
	var stdout, stderr bytes.Buffer
	code := app.Run(ctx, []string{"export", "--data", src.Config.Data, out}, func(string) string { return "" }, nil, &stdout, &stderr)
	src.Close()
	if code != 0 {
		t.Fatalf("export exit %d: %s", code, stderr.String())
	}
	// The demo's items plus the three made above: the draft article, the
	// attached document and the document with an uploaded file.
	items := demoItems(t) + 3
	if want := fmt.Sprintf("đã xuất %d mục", items); !strings.Contains(stdout.String(), want) {
		t.Errorf("export said %q, want %q", stdout.String(), want)
	}
	if _, err := os.Stat(filepath.Join(out, "plans", "2022.yaml")); err != nil {
		t.Errorf("plan not exported: %v", err)
	}
	// The plan's official list of procedures, as it was given.
	if got, err := os.ReadFile(filepath.Join(out, "plans", "2022-tthc.csv")); err != nil || !bytes.Equal(got, mustRead(t, demo.FS, "plans/2022-tthc.csv")) {
		t.Errorf("official list not exported as given: %v", err)
	}
	for rel, want := range map[string][]byte{"tep-dinh-kem/Quy chế 999.pdf": pdf, "tep/" + up.Name: xlsx} {
		if got, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(rel))); err != nil || !bytes.Equal(got, want) {
			t.Errorf("attachment %s not exported: %v", rel, err)
		}
	}
	if b, err := os.ReadFile(filepath.Join(out, "documents", "999-qd-skhcn.md")); err != nil || !strings.Contains(string(b), `file: "tep-dinh-kem/Quy chế 999.pdf"`) {
		t.Errorf("the exported document does not name its file by its path:\n%s", b)
	}
	// Exporting into a folder that is not empty is refused.
	if code := app.Run(ctx, []string{"export", "--data", src.Config.Data, out}, func(string) string { return "" }, nil, &stdout, &stderr); code != 2 {
		t.Errorf("export into a non-empty folder: exit %d, want 2", code)
	}

	dst := open(t.TempDir())
	res, err = dst.Publish.Import(ctx, os.DirFS(out), "xuat")
	if err != nil {
		t.Fatal(err)
	}
	if res.Failed != 0 || res.Added != items+demoRecords(t) { // and the plans and reports sent
		t.Fatalf("re-import: %+v %v", res, res.Errors)
	}
	a, b := snapshot(t, ctx, open(src.Config.Data).Store), snapshot(t, ctx, dst.Store)
	if len(a) != len(b) {
		t.Fatalf("%d items exported, %d imported", len(a), len(b))
	}
	for key, want := range a {
		if got := b[key]; got != want {
			t.Errorf("%s differs after the round trip:\n got %s\nwant %s", key, got, want)
		}
	}
	// The other agencies went out under agencies/SLUG/ with their records,
	// items, plans and reports sent, and came back the same.
	srcAgencies, err := open(src.Config.Data).Store.Agencies(ctx)
	if err != nil {
		t.Fatal(err)
	}
	dstAgencies, err := dst.Store.Agencies(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(srcAgencies) != 3 || fmt.Sprint(srcAgencies) != fmt.Sprint(dstAgencies) {
		t.Errorf("agencies after the round trip:\n got %v\nwant %v", dstAgencies, srcAgencies)
	}
	for _, a := range srcAgencies[1:] {
		actx := agency.WithID(ctx, a.ID)
		sa, da := snapshot(t, actx, open(src.Config.Data).Store), snapshot(t, actx, dst.Store)
		if len(sa) == 0 || fmt.Sprint(sa) != fmt.Sprint(da) {
			t.Errorf("%s: %d items exported, %d back, or they differ", a.Slug, len(sa), len(da))
		}
		sent, err := dst.Store.ReportSendings(actx, 2022, vntext.Zone)
		if err != nil {
			t.Fatal(err)
		}
		if want := map[string]int{"so-tu-phap": 0, "ubnd-huyen-son-tinh": 1}[a.Slug]; len(sent) != want {
			t.Errorf("%s: %d reports sent after the round trip, want %d", a.Slug, len(sent), want)
		}
	}
	// The activities' evidence went out with them and came back into the
	// new library.
	all, err := dst.Store.AllItems(ctx)
	if err != nil {
		t.Fatal(err)
	}
	evidence := 0
	for _, it := range all {
		for _, v := range it.Evidence {
			if name, ok := strings.CutPrefix(v, "/tep/"); ok {
				evidence++
				if _, err := dst.Store.MediaFile(ctx, name); err != nil {
					t.Errorf("%s: evidence %s is not in the new library: %v", it.Slug, v, err)
				}
			}
		}
	}
	if evidence == 0 {
		t.Error("no activity with evidence from the library: the check above checks nothing")
	}
}

// attachedDocument is a document with a file in the content folder.
const attachedDocument = `---
number: 999/QĐ-SKHCN
type: Quyết định
issuer: Sở Khoa học và Công nghệ tỉnh Quảng Ngãi
issued: 2022-05-02
title: Ban hành Quy chế thử nghiệm kênh tin của chuyên mục
file: tep-dinh-kem/Quy chế 999.pdf
areas: [II.1]
date: 2022-05-03
---
`

// demoItems counts the items (not plans) of the repository's content
// folder, every agency's.
// demoEvidence is the number of placeholder evidence files the demo's
// activities bring into the media library (content/minh-chung).
func demoEvidence(t *testing.T) int {
	t.Helper()
	files, err := fs.Glob(demo.FS, "minh-chung/*")
	if err != nil {
		t.Fatal(err)
	}
	return len(files)
}

func demoItems(t *testing.T) int {
	t.Helper()
	n := 0
	for _, tree := range []string{"", "agencies/*/"} { // the root's and the other agencies'
		for _, dir := range []string{"articles", "procedures", "documents", "activities"} {
			files, err := fs.Glob(repoContent, tree+dir+"/*.md")
			if err != nil {
				t.Fatal(err)
			}
			n += len(files)
		}
	}
	return n
}

// repoContent is the repository's content folder.
var repoContent = os.DirFS(filepath.Join("..", "..", "content"))

// demoRecords counts the plans and the files of reports sent
// (reports/YEAR.yaml) of every agency of the demo: an import counts each
// as added.
func demoRecords(t *testing.T) int {
	t.Helper()
	n := 0
	for _, pattern := range []string{"plans/*.yaml", "agencies/*/plans/*.yaml", "reports/*.yaml", "agencies/*/reports/*.yaml"} {
		files, err := fs.Glob(repoContent, pattern)
		if err != nil {
			t.Fatal(err)
		}
		n += len(files)
	}
	return n
}

func demoDraft() (it content.Item) {
	it.Kind = "article"
	it.Title = `Bản nháp: "dấu ngoặc", dấu hai chấm: và # dấu thăng`
	it.Summary = "Dòng tóm tắt — có ký tự đặc biệt: [ ] { } & * ! | > ' \" %"
	it.Tags = []string{"thử: nghiệm", "- gạch"}
	it.Areas = []string{"II.1"}
	it.Body = "Nội dung nháp.\n\n---\n\nDòng sau đường kẻ ngang.\n"
	return it
}

// snapshot describes every item by what the content format carries.
func snapshot(t *testing.T, ctx context.Context, st *store.Store) map[string]string {
	t.Helper()
	items, err := st.AllItems(ctx)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, it := range items {
		c := it.Item
		// Draft is carried by the status; the workspace does not set the flag.
		c.Date, c.Lines, c.Draft = time.Time{}, nil, false
		meta, _ := json.Marshal(c)
		out[string(it.Kind)+"/"+it.Slug] = string(meta) + "|" + string(it.Status) + "|" + it.Published.UTC().String() + "|" + it.Body + "|" + it.HTML
	}
	return out
}

func mustRead(t *testing.T, fsys fs.FS, name string) []byte {
	t.Helper()
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
