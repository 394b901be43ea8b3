//go:build browser

package admin_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"cchc/internal/vntext"
)

// pastedHTML is rich text as Word puts it on the clipboard (list
// paragraphs with mso-list styles and their marker spans, a <b>, a table)
// and as a web page does (h2, nested ul/ol, a link), with a script and an
// image that must come to nothing. The text is Unicode NFD on purpose.
var pastedHTML = `<html><head><style>p{margin:0}</style><script>window.pwned=1</script></head><body>
<h2>` + "Ke\u0302\u0301 hoa\u0323ch <i>na\u0306m</i> 2026" + `</h2>
<p class=MsoNormal>Đoạn có <b>chữ đậm</b>, <span style="font-style:italic">nghiêng</span> và <a href="https://skhcn.quangngai.gov.vn/cchc">liên kết</a>.<o:p></o:p></p>
<p class=MsoListParagraph style="mso-list:l0 level1 lfo1"><span style="mso-list:Ignore">1.<span>&nbsp;&nbsp;</span></span>Bước một<o:p></o:p></p>
<p class=MsoListParagraph style="mso-list:l0 level2 lfo1"><span style="mso-list:Ignore">·<span>&nbsp;&nbsp;</span></span>Ý nhỏ<o:p></o:p></p>
<p class=MsoListParagraph style="mso-list:l0 level1 lfo1"><span style="mso-list:Ignore">2.<span>&nbsp;&nbsp;</span></span>Bước hai<o:p></o:p></p>
<ul><li>Gạch đầu dòng<ol><li>Con số</li></ol></li><li>Thứ hai *sao*</li></ul>
<table><tr><th>Lĩnh vực</th><th>Số</th></tr><tr><td>Khoa học | công nghệ</td><td>12</td></tr><tr><td colspan=2>Gộp</td></tr></table>
<img src="https://example.com/x.png" alt="x"></body></html>`

// wantPasted is the Markdown the paste must give (NFC after the form's
// save; the textarea holds what the browser inserted).
const wantPasted = "## Kế hoạch năm 2026\n\n" +
	"Đoạn có **chữ đậm**, *nghiêng* và [liên kết](https://skhcn.quangngai.gov.vn/cchc).\n\n" +
	"1. Bước một\n   - Ý nhỏ\n2. Bước hai\n\n" +
	"- Gạch đầu dòng\n  1. Con số\n- Thứ hai \\*sao\\*\n\n" +
	"| Lĩnh vực | Số |\n| --- | --- |\n| Khoa học \\| công nghệ | 12 |\n| Gộp |  |"

// TestBrowserWordAndPaste: in a real browser an editor pastes rich text
// into the body — it becomes Markdown at the cursor, nothing in it runs —
// and then imports LibreOffice's table.docx with Nhập từ Word: the form
// comes back with the title typed and the document after the body.
func TestBrowserWordAndPaste(t *testing.T) {
	base, sctx := demoInBrowser(t, 60*time.Second)
	err := chromedp.Do(sctx,
		logIn(base, "editor"),
		chromedp.Navigate(base+"/quan-tri/tin-bai/moi"),
		chromedp.WaitVisible(chromedp.ID("f-title")),
		chromedp.SetValue(chromedp.ID("f-title"), "Tiêu đề gõ trong trình duyệt"),
	)
	if err != nil {
		t.Fatal(err)
	}
	type pasted struct {
		Value  string
		Pwned  bool
		Images int
	}
	js, err := json.Marshal(pastedHTML)
	if err != nil {
		t.Fatal(err)
	}
	got, err := chromedp.Run(sctx, chromedp.Evaluate[pasted](`(() => {
		const area = document.getElementById("f-body");
		area.focus();
		const dt = new DataTransfer();
		dt.setData("text/html", `+string(js)+`);
		dt.setData("text/plain", "plain");
		area.dispatchEvent(new ClipboardEvent("paste", {clipboardData: dt, bubbles: true, cancelable: true}));
		return {Value: area.value, Pwned: !!window.pwned, Images: performance.getEntriesByType("resource").filter(e => e.name.includes("example.com")).length};
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	if got.Value = vntext.NFC(got.Value); got.Value != wantPasted {
		t.Errorf("pasted:\n%s\nwant\n%s", got.Value, wantPasted)
	}
	if got.Pwned || got.Images != 0 {
		t.Errorf("the pasted HTML ran a script (%v) or loaded %d images", got.Pwned, got.Images)
	}

	abs, err := filepath.Abs(filepath.Join(fixtureDir, "table.docx"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(abs); err != nil {
		t.Fatal(err)
	}
	err = chromedp.Do(sctx,
		chromedp.SetUploadFiles(chromedp.ID("f-docx"), []string{abs}),
		chromedp.Click(chromedp.CSS(`#nhap-word button`)),
		chromedp.WaitVisible(chromedp.ID("ket-qua-word")),
	)
	if err != nil {
		t.Fatal(err)
	}
	title, err := chromedp.Run(sctx, chromedp.Value(chromedp.ID("f-title")))
	if err != nil {
		t.Fatal(err)
	}
	body, err := chromedp.Run(sctx, chromedp.Value(chromedp.ID("f-body")))
	if err != nil {
		t.Fatal(err)
	}
	body = vntext.NFC(body)
	if title != "Tiêu đề gõ trong trình duyệt" || !strings.Contains(body, "| Khoa học | 12 | 3 |") || !strings.HasPrefix(body, "## Kế hoạch năm 2026") {
		t.Errorf("after Nhập từ Word: title %q, body\n%s", title, body)
	}
}
