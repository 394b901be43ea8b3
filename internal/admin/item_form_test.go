package admin

import (
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"cchc/internal/content"
	"cchc/internal/vntext"
)

func TestParseItemForm(t *testing.T) {
	vn := func(y int, m time.Month, d, h, min int) time.Time {
		return time.Date(y, m, d, h, min, 0, 0, vntext.Zone)
	}
	cases := []struct {
		name string
		kind content.Kind
		form url.Values
		want content.Item
		errs []string // fields with an error
	}{
		{name: "article", kind: content.Article,
			form: url.Values{"title": {"  Cải  cách\nhành chính "}, "tags": {"kế hoạch, , tuyên truyền,kế hoạch"}, "date": {"20/3/2022 08:30"},
				"areas": {"II.1", "II.2.a"}, "image": {"https://skhcn.example/tep/anh.jpg"}, "body": {"Dòng 1\r\nDòng 2"}},
			want: content.Item{Kind: content.Article, Title: "Cải cách hành chính", Tags: []string{"kế hoạch", "tuyên truyền"},
				Date: vn(2022, 3, 20, 8, 30), Areas: []string{"II.1", "II.2.a"}, Image: "anh.jpg", Body: "Dòng 1\nDòng 2"}},
		{name: "NFD input", kind: content.Article, form: url.Values{"title": {"Ca\u0309i ca\u0301ch"}},
			want: content.Item{Kind: content.Article, Title: "Cải cách"}},
		{name: "procedure", kind: content.Procedure,
			form: url.Values{"title": {"Thủ tục"}, "code": {"1.001193"}, "online": {"một phần"}, "submission": {"trực tiếp", "bưu chính"},
				"legal_basis": {"08/2014/NĐ-CP\r\n\r\n 1256/QĐ-UBND \n"}, "portal_url": {"https://dichvucong.gov.vn/p/home"}, "fee": {" Không \r\n"}},
			want: content.Item{Kind: content.Procedure, Title: "Thủ tục", Code: "1.001193", Online: "một phần", Submission: []string{"trực tiếp", "bưu chính"},
				LegalBasis: []string{"08/2014/NĐ-CP", "1256/QĐ-UBND"}, PortalURL: "https://dichvucong.gov.vn/p/home", Fee: "Không"}},
		{name: "document", kind: content.Document,
			form: url.Values{"number": {"1256/QĐ-UBND"}, "type": {"Quyết định"}, "issuer": {"UBND tỉnh"}, "issued": {"2021-12-22"}, "title": {"Trích yếu"},
				"validity": {"Còn hiệu lực"}, "file": {"/tep/abc.pdf"}},
			want: content.Item{Kind: content.Document, Number: "1256/QĐ-UBND", Type: "Quyết định", Issuer: "UBND tỉnh", Issued: vn(2021, 12, 22, 0, 0),
				Title: "Trích yếu", Validity: "Còn hiệu lực", File: "abc.pdf"}},
		{name: "missing required", kind: content.Document, form: url.Values{},
			want: content.Item{Kind: content.Document}, errs: []string{"issued", "issuer", "number", "title", "type"}},
		{name: "bad values", kind: content.Procedure,
			form: url.Values{"title": {"T"}, "code": {"1.001193"}, "online": {"có"}, "submission": {"fax"}, "portal_url": {"javascript:alert(1)"}, "date": {"30/02/2022"}},
			want: content.Item{Kind: content.Procedure, Title: "T", Code: "1.001193"}, errs: []string{"date", "online", "portal_url", "submission"}},
		{name: "not text", kind: content.Article, form: url.Values{"title": {"a\xffb"}, "summary": {"x\x00y"}, "body": {"\x01"}},
			want: content.Item{Kind: content.Article}, errs: []string{"body", "summary", "title"}},
		{name: "too long", kind: content.Article, form: url.Values{"title": {strings.Repeat("a", maxLineRunes+1)}},
			want: content.Item{Kind: content.Article}, errs: []string{"title"}},
		{name: "fields of another kind are ignored", kind: content.Article, form: url.Values{"title": {"T"}, "code": {"x"}, "number": {"y"}},
			want: content.Item{Kind: content.Article, Title: "T"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, errs := parseItemForm(content.DefaultSchema(), tc.kind, tc.form)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("item\n got %+v\nwant %+v", got, tc.want)
			}
			var fields []string
			for f := range errs {
				fields = append(fields, f)
			}
			if len(fields) != len(tc.errs) {
				t.Errorf("errors %v, want fields %v", errs, tc.errs)
			}
			for _, f := range tc.errs {
				if errs[f] == "" {
					t.Errorf("no error on %s (errors %v)", f, errs)
				}
			}
		})
	}
}

// TestListFieldsStopAtTheirLimit: a list field (tags split on commas,
// lines, or repeated values) holding many more values than maxListLen is
// refused after reading maxListLen+1 distinct ones, whatever follows.
// Each value used to be compared with every one kept before it and all
// were kept before the count was checked: 150,000 tags (1.4 MB) took 24 s
// to refuse, 100,000 lines of evidence 5.9 s. Counted here as allocations
// (a part read is at least one), for 20,000 distinct values: 20,000 or
// more before, a few hundred now.
func TestListFieldsStopAtTheirLimit(t *testing.T) {
	const n = 20000
	var many []string
	for i := range n {
		many = append(many, "v"+strconv.Itoa(i))
	}
	for _, tc := range []struct {
		kind  content.Kind
		field string
		form  url.Values
	}{
		{content.Article, "tags", url.Values{"tags": {strings.Join(many, ",")}}},
		{content.Procedure, "legal_basis", url.Values{"legal_basis": {strings.Join(many, "\r\n")}}},
		{content.Activity, "evidence", url.Values{"evidence": {strings.Join(many, "\n")}}},
		{content.Article, "areas", url.Values{"areas": many}},
		{content.Procedure, "submission", url.Values{"submission": many}},
	} {
		t.Run(tc.field, func(t *testing.T) {
			f, ok := content.DefaultSchema().Field(tc.kind, tc.field)
			if !ok {
				t.Fatalf("no field %s", tc.field)
			}
			var msg string
			allocs := testing.AllocsPerRun(1, func() {
				_, msg = formValue(f, tc.form[tc.field])
			})
			if want := "Nhiều nhất 100 giá trị."; msg != want {
				t.Errorf("message %q, want %q", msg, want)
			}
			if allocs > 10*maxListLen {
				t.Errorf("%v allocations reading %d values, want at most %d: the reading did not stop at the limit", allocs, n, 10*maxListLen)
			}
			t.Logf("%d values refused after %v allocations", n, allocs)
		})
	}
	// Under the limit, repeats and blank parts still count once.
	f, _ := content.DefaultSchema().Field(content.Article, "tags")
	v, msg := formValue(f, []string{strings.Repeat("a, ,b,", 50000) + strings.Join(many[:maxListLen-2], ",")})
	if msg != "" || len(v.([]string)) != maxListLen {
		t.Errorf("%d distinct tags among repeats: got %d values, message %q", maxListLen, len(v.([]string)), msg)
	}
}

// FuzzParseItemForm: any form is read without a panic, every value kept
// is valid UTF-8 in NFC, and a form read without errors comes back the
// same through itemValues.
func FuzzParseItemForm(f *testing.F) {
	f.Add("article", "title=C%E1%BA%A3i+c%C3%A1ch&tags=a%2C+b&date=20%2F3%2F2022+08%3A30&areas=II.1&body=%7C+a+%7C%0A%7C---%7C")
	f.Add("procedure", "title=T&code=1.001193&online=kh%C3%B4ng&submission=tr%E1%BB%B1c+ti%E1%BA%BFp&legal_basis=08%2F2014%2FN%C4%90-CP%0D%0Ax")
	f.Add("document", "number=1256%2FQ%C4%90-UBND&type=Q&issuer=U&issued=2021-12-22&title=T&file=%2Ftep%2Fa.pdf&validity=")
	f.Add("article", "title=%FF%FE&body=%00")
	f.Fuzz(func(t *testing.T, kind, query string) {
		k, ok := content.ParseKind(kind)
		if !ok {
			k = content.Article
		}
		form, err := url.ParseQuery(query)
		if err != nil {
			return
		}
		it, errs := parseItemForm(content.DefaultSchema(), k, form)
		for _, s := range []string{it.Title, it.Summary, it.Body, it.Number, it.Code, it.File, it.Image} {
			if !utf8.ValidString(s) || vntext.NFC(s) != s {
				t.Fatalf("kept a value that is not NFC UTF-8: %q", s)
			}
		}
		for f, msg := range errs {
			if msg == "" || !utf8.ValidString(msg) {
				t.Fatalf("empty or invalid message for %s", f)
			}
		}
		if len(errs) > 0 {
			return
		}
		again, errs2 := parseItemForm(content.DefaultSchema(), k, itemValues(content.DefaultSchema(), &it))
		if len(errs2) > 0 {
			t.Fatalf("the form of a valid item has errors %v (item %+v)", errs2, it)
		}
		if !reflect.DeepEqual(again, it) {
			t.Fatalf("round trip changed the item\n got %+v\nwant %+v", again, it)
		}
	})
}

func TestDiffLines(t *testing.T) {
	cases := []struct {
		name string
		a, b string
		want string // ops: " " same, "-" del, "+" ins
	}{
		{"equal", "a\nb", "a\nb", "  "},
		{"append", "a", "a\nb", " +"},
		{"remove", "a\nb\nc", "a\nc", " - "},
		{"replace middle", "a\nb\nc", "a\nx\nc", " -+ "},
		{"from empty", "", "a", "-+"},
		{"reorder", "a\nb\nc\nd", "b\na\nc\nd", "- +  "},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a, b := strings.Split(tc.a, "\n"), strings.Split(tc.b, "\n")
			var ops strings.Builder
			var olds, news []string
			for _, l := range diffLines(a, b) {
				switch l.Op {
				case "same":
					ops.WriteByte(' ')
					olds, news = append(olds, l.Text), append(news, l.Text)
				case "del":
					ops.WriteByte('-')
					olds = append(olds, l.Text)
				case "ins":
					ops.WriteByte('+')
					news = append(news, l.Text)
				}
			}
			if ops.String() != tc.want {
				t.Errorf("ops %q, want %q", ops.String(), tc.want)
			}
			// Both texts can be read back from the comparison.
			if strings.Join(olds, "\n") != tc.a || strings.Join(news, "\n") != tc.b {
				t.Errorf("old %q new %q", olds, news)
			}
		})
	}
}

func TestDiffLinesLarge(t *testing.T) {
	// Past the table's bound the middle is removed then added: still both
	// texts, in order.
	var a, b []string
	for i := range 3000 {
		a = append(a, "a"+strings.Repeat("x", i%7))
		b = append(b, "b"+strings.Repeat("y", i%5))
	}
	lines := diffLines(a, b)
	if len(lines) != 6000 || lines[0].Op != "del" || lines[5999].Op != "ins" {
		t.Errorf("%d lines, first %s, last %s", len(lines), lines[0].Op, lines[len(lines)-1].Op)
	}
}

func TestWithContext(t *testing.T) {
	var a, b []string
	for i := range 20 {
		a = append(a, strings.Repeat("x", i+1))
		b = append(b, strings.Repeat("x", i+1))
	}
	b[10] = "changed"
	got := withContext(diffLines(a, b), 2)
	var ops []string
	for _, l := range got {
		ops = append(ops, l.Op)
	}
	want := "gap same same del ins same same gap"
	if strings.Join(ops, " ") != want {
		t.Errorf("ops %v, want %s", ops, want)
	}
	if !strings.Contains(got[0].Text, "8 dòng") || !strings.Contains(got[len(got)-1].Text, "7 dòng") {
		t.Errorf("gaps %q, %q", got[0].Text, got[len(got)-1].Text)
	}
}

func BenchmarkDiffLines(b *testing.B) {
	var x, y []string
	for i := range 400 {
		x = append(x, "Dòng số "+strings.Repeat("a", i%13))
		y = append(y, "Dòng số "+strings.Repeat("a", i%11))
	}
	for b.Loop() {
		diffLines(x, y)
	}
}

func TestParseScheduleTime(t *testing.T) {
	want := time.Date(2026, 3, 20, 8, 0, 0, 0, vntext.Zone)
	for _, s := range []string{"2026-03-20T08:00", "2026-03-20T08:00:00", "20/03/2026 08:00", " 20/3/2026   08:00 "} {
		if got, ok := parseScheduleTime(s); !ok || !got.Equal(want) {
			t.Errorf("%q: %v %v", s, got, ok)
		}
	}
	for _, s := range []string{"", "mai", "20/03/2026", "20/03/2026 25:00", "2026-13-01T08:00"} {
		if _, ok := parseScheduleTime(s); ok {
			t.Errorf("%q accepted", s)
		}
	}
}
