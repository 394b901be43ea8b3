package docx

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// TestEmphasisRendersAsRead writes paragraphs of random runs — letters,
// Vietnamese letters, punctuation, Markdown's own characters, spaces
// (NBSP among them) — each bold, italic, struck or not, some in links,
// beside images or note marks, and checks that
// the column shows exactly their text: no emphasis marker left stray, no
// character lost. Seeded, so a failure repeats.
func TestEmphasisRendersAsRead(t *testing.T) {
	rng := rand.New(rand.NewPCG(30, 2020))
	alphabet := []string{"a", "b", "ứ", "Đ", "1", "(", ")", ".", ",", "*", "_", "~", "\\", "[", "]", " ", " ", "\u00a0", "-", "#", "'", "\"", "!", "&amp;", "&lt;", "€", "\u0301"}
	props := []string{"", "", "<w:b/>", "<w:i/>", "<w:b/><w:i/>", "<w:strike/>", "<w:b/><w:strike/>"}
	written, kept := 0, 0
	for i := range 1500 {
		var body strings.Builder
		for range 1 + rng.IntN(4) {
			body.WriteString("<w:p>")
			for range 1 + rng.IntN(6) {
				var text strings.Builder
				for range 1 + rng.IntN(5) {
					text.WriteString(alphabet[rng.IntN(len(alphabet))])
				}
				p := props[rng.IntN(len(props))]
				r := run(text.String())
				if p != "" {
					r = runProp(p, text.String())
					written++
				}
				switch rng.IntN(10) {
				case 0:
					r = `<w:hyperlink r:id="rLink">` + r + `</w:hyperlink>`
				case 1:
					r += drawing(strings.ReplaceAll(text.String(), `"`, "&quot;"), "", "rImg")
				case 2:
					r += `<w:r><w:footnoteReference w:id="1"/></w:r>`
				}
				body.WriteString(r)
				if rng.IntN(8) == 0 {
					body.WriteString(`<w:r><w:br/></w:r>`)
				}
			}
			body.WriteString("</w:p>")
		}
		d, err := readBytes(buildDocx(t, map[string]string{"word/document.xml": wordBody(body.String()), "word/footnotes.xml": footnotesWord}))
		if err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		if got, ok := renderedText(t, d.Markdown()); ok && got != docText(d) {
			t.Fatalf("case %d: the column shows\n%q\nthe document holds\n%q\nbody: %s\nMarkdown:\n%s", i, got, docText(d), body.String(), d.Markdown())
		}
		kept += strings.Count(d.Markdown(), "**")/2 + strings.Count(d.Markdown(), "~~")/2
	}
	// Most emphasis survives: it is dropped only where Markdown could not
	// say it (the counts are of marker pairs, a rough measure).
	t.Logf("%d emphasised runs written, %d bold or struck spans in the Markdown", written, kept)
}
