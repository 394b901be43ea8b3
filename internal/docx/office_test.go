//go:build office

// Tests against LibreOffice and pandoc, the programs people will open our
// documents with and a reference reader of theirs. They need Debian's
// libreoffice-writer-nogui and pandoc, which .ci/run installs; without
// them they fail, never skip:
//
//	apt-get install --no-install-recommends libreoffice-writer-nogui pandoc
//	go test -tags office ./internal/docx
//
// -regenerate rebuilds the fixtures' .docx files from their .fodt sources.
package docx

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"

	"cchc/internal/vntext"
)

var regenerate = flag.Bool("regenerate", false, "rebuild testdata/fixtures/*.docx from the .fodt sources with LibreOffice")

// profile is LibreOffice's user profile for the whole run: made once (the
// first start fills it, some seconds), removed at the end.
var profile string

func TestMain(m *testing.M) {
	flag.Parse()
	dir, err := os.MkdirTemp("", "cchc-soffice-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	profile = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// tool is the path of a program the tests need, or a failure saying how
// to install it.
func tool(t *testing.T, name, pkg string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		t.Fatalf("%s not found: apt-get install --no-install-recommends %s (these tests fail rather than skip)", name, pkg)
	}
	return path
}

// soffice converts files into dir ("txt:Text", "docx", "pdf").
func soffice(t *testing.T, to, dir string, files ...string) {
	t.Helper()
	bin := tool(t, "soffice", "libreoffice-writer-nogui")
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	args := append([]string{"-env:UserInstallation=file://" + profile, "--headless", "--norestore", "--convert-to", to, "--outdir", dir}, files...)
	cmd := exec.CommandContext(ctx, bin, args...)
	start := time.Now()
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("soffice %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	t.Logf("soffice --convert-to %s, %d files: %v", to, len(files), time.Since(start).Round(time.Millisecond))
}

// converted is the file soffice made from src in dir with extension ext;
// soffice exits 0 even when it could not load a file, so a missing
// output is the failure.
func converted(t *testing.T, dir, src, ext string) []byte {
	t.Helper()
	name := strings.TrimSuffix(filepath.Base(src), filepath.Ext(src)) + "." + ext
	data, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatalf("LibreOffice did not convert %s: %v", filepath.Base(src), err)
	}
	return data
}

// TestLibreOfficeOpensWritten writes the annual report and has LibreOffice
// open it and convert it to text, PDF and its own DOCX: every text of the
// form is where it belongs, the PDF has pages, and LibreOffice's DOCX
// reads back to the same Markdown (it understood the headings, the
// numbering, the lists and the merged cells as we meant them).
func TestLibreOfficeOpensWritten(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "bao-cao.docx")
	data := writeBytes(t, reportDocument())
	if err := os.WriteFile(src, data, 0o644); err != nil {
		t.Fatal(err)
	}
	outTxt, outPDF, outDocx := filepath.Join(dir, "txt"), filepath.Join(dir, "pdf"), filepath.Join(dir, "docx")
	soffice(t, "txt:Text (encoded):UTF8", outTxt, src)
	soffice(t, "pdf", outPDF, src)
	soffice(t, "docx:MS Word 2007 XML", outDocx, src)

	text := string(converted(t, outTxt, src, "txt"))
	for _, want := range []string{
		"UBND TỈNH QUẢNG NGÃI", "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
		"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
		"Số: 215/BC-SKHCN", "Quảng Ngãi, ngày 15 tháng 12 năm 2026",
		"BÁO CÁO", "I. KẾT QUẢ ĐẠT ĐƯỢC", "1. Chuyên mục cải cách hành chính", "2. Thủ tục hành chính",
		"II. NHIỆM VỤ NĂM 2027", "a) Về nhân lực",
		"An toàn bức xạ và hạt nhân — nhóm 5", "Tổng cộng", "735",
		"Nơi nhận:", "- Lưu: VT, VP.", "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Văn An",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("LibreOffice's text lacks %q", want)
		}
	}

	pdf := converted(t, outPDF, src, "pdf")
	pages := len(regexp.MustCompile(`/Type\s*/Page[^s]`).FindAll(pdf, -1))
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) || pages < 3 {
		t.Errorf("PDF: %d bytes, %d pages; want a PDF of 3 pages or more (a table across pages, a page break)", len(pdf), pages)
	}
	t.Logf("DOCX %d bytes; PDF %d bytes, %d pages", len(data), len(pdf), pages)

	again, err := readBytes(converted(t, outDocx, src, "docx"))
	if err != nil {
		t.Fatal(err)
	}
	ours, err := readBytes(data)
	if err != nil {
		t.Fatal(err)
	}
	if a, b := again.Markdown(), ours.Markdown(); a != b {
		t.Errorf("LibreOffice's copy reads differently:\n--- LibreOffice\n%s\n--- ours\n%s", a, b)
	}
}

// TestFixturesLibreOffice converts the .fodt sources with LibreOffice as
// they were converted once, and checks the committed .docx files still
// read the same as what LibreOffice makes now (the files differ in
// timestamps and identifiers). With -regenerate it replaces them.
func TestFixturesLibreOffice(t *testing.T) {
	sources, err := filepath.Glob("testdata/fixtures/*.fodt")
	if err != nil || len(sources) == 0 {
		t.Fatalf("no sources: %v", err)
	}
	dir := t.TempDir()
	soffice(t, "docx:Office Open XML Text", dir, sources...)
	for _, src := range sources {
		fresh := converted(t, dir, src, "docx")
		committedPath := strings.TrimSuffix(src, ".fodt") + ".docx"
		if *regenerate {
			if err := os.WriteFile(committedPath, fresh, 0o644); err != nil {
				t.Fatal(err)
			}
			t.Logf("wrote %s (%d bytes)", committedPath, len(fresh))
			continue
		}
		committed, err := os.ReadFile(committedPath)
		if err != nil {
			t.Fatalf("%v (run with -regenerate)", err)
		}
		a, err := readBytes(fresh)
		if err != nil {
			t.Fatal(err)
		}
		b, err := readBytes(committed)
		if err != nil {
			t.Fatal(err)
		}
		if a.Markdown() != b.Markdown() {
			t.Errorf("%s: LibreOffice now makes a document that reads\n%s\nthe committed one reads\n%s\n(-regenerate replaces it)", src, a.Markdown(), b.Markdown())
		}
		if len(a.Images) != len(b.Images) {
			t.Errorf("%s: %d images now, %d committed", src, len(a.Images), len(b.Images))
		}
		for i := range min(len(a.Images), len(b.Images)) {
			if !bytes.Equal(a.Images[i].Data, b.Images[i].Data) || a.Images[i].Alt != b.Images[i].Alt {
				t.Errorf("%s: image %d differs", src, i+1)
			}
		}
	}
}

// TestPandocKeepsTheSameText reads each fixture and the written report
// with pandoc as well, and compares the words pandoc keeps with those of
// our Markdown (read by pandoc too, so both pass through its plain-text
// writer): what one reader keeps and the other drops shows here. Words
// are letters and digits, NFC, lower case; markup and layout are not
// compared, and where pandoc's layout of a table reorders words, only
// that each word is kept as many times.
func TestPandocKeepsTheSameText(t *testing.T) {
	bin := tool(t, "pandoc", "pandoc")
	files, _ := filepath.Glob("testdata/fixtures/*.docx")
	dir := t.TempDir()
	written := filepath.Join(dir, "bao-cao.docx")
	if err := os.WriteFile(written, writeBytes(t, reportDocument()), 0o644); err != nil {
		t.Fatal(err)
	}
	files = append(files, written)
	pandoc := func(input []byte, args ...string) string {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, bin, append(args, "-t", "plain", "--wrap=none", "--columns=100000")...)
		cmd.Stdin = bytes.NewReader(input)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("pandoc %v: %v\n%s", args, err, out)
		}
		return string(out)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			d, err := readBytes(data)
			if err != nil {
				t.Fatal(err)
			}
			theirs := words(unlabel(pandoc(data, "-f", "docx")))
			ours := words(unlabel(pandoc([]byte(d.Markdown()), "-f", "gfm")))
			if strings.Join(theirs, " ") == strings.Join(ours, " ") {
				t.Logf("%d words, the same in the same order", len(ours))
				return
			}
			// pandoc lays a table whose cells hold several paragraphs out
			// line by line across the columns, so the order of words in
			// such tables differs; the words themselves may not.
			t.Logf("the order differs (tables of several lines a cell):\n%s", wordDiff(theirs, ours))
			a, b := slices.Clone(theirs), slices.Clone(ours)
			slices.Sort(a)
			slices.Sort(b)
			if !slices.Equal(a, b) {
				t.Errorf("pandoc keeps other words than we do: %s", countDiff(a, b))
			}
			t.Logf("%d words, the same", len(ours))
		})
	}
}

// listLabel is a list's number or bullet at the start of a line of
// pandoc's plain text: "I.  ", "1.  ", "a)  ", "-   ".
var listLabel = regexp.MustCompile(`(?m)^[ \t]*(?:[0-9]+|[IVXLCDM]+|[ivxlcdm]+|[a-zA-Z])[.)][ \t]+|^[ \t]*[-*+][ \t]+`)

// unlabel drops the numbers and bullets of lists. Numbers are the one
// thing the two readers compute rather than read: pandoc 2.17 starts a
// numbered list again after a paragraph between its items (the report's
// second section comes out "1. Thủ tục hành chính", its second part
// "I. NHIỆM VỤ"); LibreOffice and Word continue it, as we do
// (TestLibreOfficeOpensWritten checks our numbers against LibreOffice's).
func unlabel(s string) string { return listLabel.ReplaceAllString(s, "") }

func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(vntext.NFC(s)), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.Mn, r)
	})
}

// wordDiff shows where two word lists part.
func wordDiff(a, b []string) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	from := max(i-5, 0)
	return fmt.Sprintf("word %d: pandoc … %s …\n         ours   … %s …",
		i, strings.Join(a[from:min(i+10, len(a))], " "), strings.Join(b[from:min(i+10, len(b))], " "))
}

// countDiff names the words one list has more often than the other.
func countDiff(theirs, ours []string) string {
	n := map[string]int{}
	for _, w := range theirs {
		n[w]++
	}
	for _, w := range ours {
		n[w]--
	}
	var more, less []string
	for w, c := range n {
		switch {
		case c > 0:
			more = append(more, fmt.Sprintf("%q×%d", w, c))
		case c < 0:
			less = append(less, fmt.Sprintf("%q×%d", w, -c))
		}
	}
	slices.Sort(more)
	slices.Sort(less)
	return fmt.Sprintf("only pandoc's: %v; only ours: %v", more, less)
}
