package corpus

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"cchc/internal/content"
)

// Bodies are between minWords and maxWords words long (see countWords).
const (
	minWords = 400
	maxWords = 1500
)

// itemRand is the random stream of one item: it depends only on the seed,
// the kind and the index, so bodies can be written in any order.
func (c *corpus) itemRand(k content.Kind, i int) *rand.Rand {
	var tag uint64
	switch k {
	case content.Procedure:
		tag = 1
	case content.Document:
		tag = 2
	}
	return rand.New(rand.NewPCG(uint64(c.seed), tag<<40|uint64(i)))
}

// file is the name and bytes of item i of kind k.
func (c *corpus) file(k content.Kind, i int) (string, []byte) {
	r := c.itemRand(k, i)
	var fm frontMatter
	var w *writer
	var slug string
	switch k {
	case content.Document:
		d := c.docs[i]
		slug = d.slug
		w = c.newWriter(r, d.issued)
		c.documentFront(&fm, r, d)
		w.documentBody(d)
	case content.Procedure:
		p := c.procs[i]
		slug = p.slug
		date := randomTime(r, FirstYear, LastYear)
		w = c.newWriter(r, date)
		basis := c.procedureFront(&fm, r, p, date)
		w.procedureBody(p, basis)
	default:
		a := c.arts[i]
		slug = a.slug
		w = c.newWriter(r, a.date)
		c.articleFront(&fm, r, a)
		w.articleBody()
	}
	var b strings.Builder
	b.Grow(len(fm.b.String()) + w.b.Len() + 16)
	b.WriteString("---\n")
	b.WriteString(fm.b.String())
	b.WriteString("---\n")
	b.WriteString(w.b.String())
	return slug + ".md", []byte(b.String())
}

// frontMatter writes YAML fields in a fixed order.
type frontMatter struct{ b strings.Builder }

func (f *frontMatter) str(name, v string) {
	f.b.WriteString(name + ": " + yamlScalar(v) + "\n")
}

func (f *frontMatter) raw(name, v string) { f.b.WriteString(name + ": " + v + "\n") }

func (f *frontMatter) list(name string, vs []string) {
	q := make([]string, len(vs))
	for i, v := range vs {
		q[i] = yamlFlowItem(v)
	}
	f.b.WriteString(name + ": [" + strings.Join(q, ", ") + "]\n")
}

// yamlScalar writes v plain when that is unambiguous, else double-quoted.
func yamlScalar(v string) string {
	r, _ := utf8.DecodeRuneInString(v)
	if v == "" || !unicode.IsLetter(r) || strings.ContainsAny(v, ":#\"'[]{}|>*&!%@`\\") || strings.HasSuffix(v, " ") {
		return strconv.Quote(v)
	}
	return v
}

// yamlFlowItem is v inside a [a, b] list: plain only when it has no comma.
func yamlFlowItem(v string) string {
	if strings.Contains(v, ",") {
		return strconv.Quote(v)
	}
	return yamlScalar(v)
}

func rfc3339(t time.Time) string { return t.Format(time.RFC3339) }

func isoDay(t time.Time) string { return t.Format("2006-01-02") }

// vnDay is a date as Vietnamese text writes it: 5/3/2022.
func vnDay(t time.Time) string { return fmt.Sprintf("%d/%d/%d", t.Day(), int(t.Month()), t.Year()) }

func (c *corpus) documentFront(f *frontMatter, r *rand.Rand, d *docMeta) {
	f.str("number", d.number)
	f.str("type", d.typ)
	f.str("issuer", d.issuer)
	if r.IntN(10) == 0 {
		f.raw("issued", fmt.Sprintf("%02d/%02d/%d", d.issued.Day(), int(d.issued.Month()), d.issued.Year()))
	} else {
		f.raw("issued", isoDay(d.issued))
	}
	f.str("title", d.title)
	f.str("signer", pick(r, signers))
	effective := d.issued.AddDate(0, 0, r.IntN(46))
	f.raw("effective", isoDay(effective))
	if r.IntN(20) == 0 {
		f.raw("expires", isoDay(effective.AddDate(1+r.IntN(3), r.IntN(12), 0)))
	}
	f.str("field", pick(r, docFields))
	f.list("areas", areasFor(r, 1+r.IntN(2)))
	f.raw("date", rfc3339(d.issued.Add(time.Duration(24+r.IntN(14*24))*time.Hour+8*time.Hour)))
	f.str("summary", fmt.Sprintf("%s của %s %s.", d.typ, d.issuer, lowerFirst(d.title)))
}

func (c *corpus) procedureFront(f *frontMatter, r *rand.Rand, p *procMeta, date time.Time) []*docMeta {
	f.str("title", p.title)
	f.raw("code", strconv.Quote(p.code))
	f.str("field", pick(r, procFields))
	f.str("level", "Cấp tỉnh")
	f.str("agency", issuerDept)
	f.str("online", pick(r, content.OnlineLevels()))
	f.str("processing_time", fmt.Sprintf("%d ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ", []int{3, 5, 7, 10, 15, 20, 30}[r.IntN(7)]))
	if r.IntN(3) == 0 {
		f.str("fee", "Không")
	} else {
		f.str("fee", fmt.Sprintf("Phí thẩm định: %d.000 đồng/hồ sơ", 100*(1+r.IntN(30))))
	}
	subs := []string{"trực tiếp", "trực tuyến", "bưu chính"}
	f.list("submission", subs[:1+r.IntN(3)])
	f.str("applicants", pick(r, applicants))
	f.str("result", p.object)
	basis := c.citable(r, date, 2+r.IntN(3), "Luật", "Nghị định", "Thông tư", "Quyết định")
	nums := make([]string, len(basis))
	for i, d := range basis {
		nums[i] = d.number
	}
	f.list("legal_basis", nums)
	f.raw("portal_url", "https://dichvucong.gov.vn/p/home/dvc-chi-tiet-thu-tuc-hanh-chinh.html?ma_thu_tuc="+p.code)
	areas := []string{"II.2.c"}
	if r.IntN(3) == 0 {
		areas = append(areas, "II.3")
	}
	f.list("areas", areas)
	f.raw("date", rfc3339(date))
	f.str("summary", fmt.Sprintf("Thủ tục %s, do %s giải quyết.", lowerFirst(p.title), issuerDept))
	return basis
}

func (c *corpus) articleFront(f *frontMatter, r *rand.Rand, a *artMeta) {
	f.str("title", a.title)
	f.raw("date", rfc3339(a.date))
	if r.IntN(5) == 0 {
		f.raw("updated", rfc3339(a.date.AddDate(0, 0, 1+r.IntN(60))))
	}
	f.str("summary", upperFirst(pick(r, units))+" "+pick(r, did)+" "+pick(r, tasks)+", "+pick(r, purposes)+".")
	tags := map[string]bool{}
	var ts []string
	for range 1 + r.IntN(4) {
		t := pick(r, tagPool)
		if !tags[t] {
			tags[t] = true
			ts = append(ts, t)
		}
	}
	f.list("tags", ts)
	f.list("areas", areasFor(r, 1+r.IntN(2)))
	f.str("author", pick(r, authors))
	if r.IntN(100) == 0 {
		f.raw("draft", "true")
	}
}

// areasFor picks k distinct content areas, in plan order.
func areasFor(r *rand.Rand, k int) []string {
	idx := r.Perm(len(areaIDs))[:k]
	sort.Ints(idx)
	out := make([]string, k)
	for i, j := range idx {
		out[i] = areaIDs[j]
	}
	return out
}

// citable picks up to k distinct documents issued before at, of the given
// types (any type when none match).
func (c *corpus) citable(r *rand.Rand, at time.Time, k int, types ...string) []*docMeta {
	end := sort.Search(len(c.docs), func(i int) bool { return !c.docs[i].issued.Before(at) })
	if end == 0 {
		end = len(c.docs)
	}
	var out []*docMeta
	seen := map[*docMeta]bool{}
	for try := 0; try < 8*k && len(out) < k; try++ {
		d := c.docs[r.IntN(end)]
		if seen[d] || (try < 6*k && len(types) > 0 && !contains(types, d.typ)) {
			continue
		}
		seen[d] = true
		out = append(out, d)
	}
	return out
}

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

// writer builds a Markdown body up to a word target.
type writer struct {
	r      *rand.Rand
	c      *corpus
	at     time.Time
	b      strings.Builder
	words  int
	target int
}

func (c *corpus) newWriter(r *rand.Rand, at time.Time) *writer {
	// Lengths cluster around 900 words, as real articles do.
	target := minWords + (r.IntN(maxWords-minWords-60)+r.IntN(maxWords-minWords-60))/2
	w := &writer{r: r, c: c, at: at, target: target}
	w.b.Grow(target * 8)
	return w
}

func (w *writer) pick(xs []string) string { return xs[w.r.IntN(len(xs))] }

func (w *writer) full() bool { return w.words >= w.target }

// room reports whether about n more words fit under the target.
func (w *writer) room(n int) bool { return w.words+n <= w.target }

func (w *writer) add(s string) {
	w.b.WriteString(s)
	w.words += countWords(s)
}

func (w *writer) heading(h string) { w.add("## " + h + "\n\n") }

// paragraph writes 2–6 sentences, stopping at the target.
func (w *writer) paragraph() {
	n := 2 + w.r.IntN(5)
	var sents []string
	for i := 0; i < n && (i == 0 || w.words < w.target); i++ {
		s := w.sentence()
		sents = append(sents, s)
		w.words += countWords(s)
	}
	if len(sents) > 0 {
		w.b.WriteString(strings.Join(sents, " ") + "\n\n")
	}
}

func (w *writer) list(items []string, ordered bool) {
	for i, it := range items {
		if ordered {
			w.add(fmt.Sprintf("%d. %s\n", i+1, it))
		} else {
			w.add("- " + it + "\n")
		}
	}
	w.b.WriteString("\n")
}

func (w *writer) table(header []string, rows [][]string) {
	w.add("| " + strings.Join(header, " | ") + " |\n")
	w.b.WriteString("|" + strings.Repeat("---|", len(header)) + "\n")
	for _, row := range rows {
		w.add("| " + strings.Join(row, " | ") + " |\n")
	}
	w.b.WriteString("\n")
}

// ref is a legal reference as Vietnamese text writes it; about one in
// twenty-five cites a number the tree does not hold (MissingSymbol).
func (w *writer) ref() string {
	if w.r.IntN(25) == 0 {
		day := randomDay(w.r, firstDocYear, w.at.Year())
		return fmt.Sprintf("Quyết định số %d/%s ngày %s của Bộ trưởng Bộ Khoa học và Công nghệ", 1+w.r.IntN(3000), MissingSymbol, vnDay(day))
	}
	docs := w.c.citable(w.r, w.at, 1)
	return cite(docs[0])
}

func cite(d *docMeta) string {
	return fmt.Sprintf("%s số %s ngày %s của %s", d.typ, d.number, vnDay(d.issued), d.issuer)
}

func (w *writer) when() string {
	y := w.at.Year()
	switch w.r.IntN(6) {
	case 0:
		return fmt.Sprintf("trong năm %d", y)
	case 1:
		return fmt.Sprintf("trong 6 tháng đầu năm %d", y)
	case 2:
		return fmt.Sprintf("từ đầu năm %d đến nay", y)
	case 3:
		return fmt.Sprintf("trong quý %s/%d", []string{"I", "II", "III", "IV"}[w.r.IntN(4)], y)
	case 4:
		return "thời gian qua"
	}
	return fmt.Sprintf("trong giai đoạn %d–%d", y-1, y)
}

func (w *writer) percent() string {
	return fmt.Sprintf("%d,%d%%", 60+w.r.IntN(40), w.r.IntN(10))
}

// count is a Vietnamese-formatted count: 1.245.
func (w *writer) count(max int) string { return thousands(1 + w.r.IntN(max)) }

func thousands(n int) string {
	s := strconv.Itoa(n)
	var parts []string
	for len(s) > 3 {
		parts = append([]string{s[len(s)-3:]}, parts...)
		s = s[:len(s)-3]
	}
	return strings.Join(append([]string{s}, parts...), ".")
}

// sentence is one sentence from the templates.
func (w *writer) sentence() string {
	r := w.r
	switch r.IntN(18) {
	case 0, 1:
		return upperFirst(w.pick(units)) + " " + w.pick(did) + " " + w.pick(tasks) + " " + w.when() + ", " + w.pick(purposes) + "."
	case 2:
		return "Thực hiện " + w.ref() + ", " + w.pick(units) + " đã ban hành kế hoạch triển khai với " + strconv.Itoa(4+r.IntN(20)) + " nhiệm vụ cụ thể."
	case 3:
		return "Theo " + w.ref() + ", " + w.pick(unitGroups) + " " + w.pick(must) + " " + w.pick(tasks) + "."
	case 4:
		return "Kết quả, " + w.percent() + " hồ sơ được giải quyết đúng và trước hạn, " + w.percent() + " hồ sơ được tiếp nhận trực tuyến."
	case 5:
		return upperFirst(w.when()) + ", " + w.pick(units) + " đã tiếp nhận " + w.count(5000) + " hồ sơ, trong đó " + w.count(3000) + " hồ sơ nộp trực tuyến."
	case 6:
		return "Bên cạnh đó, " + w.pick(units) + " " + w.pick(did) + " " + w.pick(tasks) + ", " + w.pick(purposes) + "."
	case 7:
		return "Lãnh đạo Sở yêu cầu " + w.pick(unitGroups) + " " + w.pick(must) + " " + w.pick(tasks) + ", bảo đảm " + w.pick(qualities) + "."
	case 8:
		return upperFirst(w.when()) + ", Sở tiếp tục " + w.pick(tasks) + ", bảo đảm " + w.pick(qualities) + "."
	case 9:
		return "Người dân, doanh nghiệp có thể " + w.pick(citizenActions) + " " + w.pick(channels) + "."
	case 10:
		return "Qua kiểm tra, " + w.pick(units) + " nhận thấy " + w.pick(findings) + "; tuy nhiên, " + w.pick(issues) + "."
	case 11:
		return "Để khắc phục, " + w.pick(units) + " đề xuất " + w.pick(proposals) + "."
	case 12:
		return fmt.Sprintf("%s năm %d của tỉnh đạt %d,%02d điểm, %s.", w.pick(indices), w.at.Year()-1, 70+r.IntN(25), r.IntN(100), w.pick(rankPhrases))
	case 13:
		return fmt.Sprintf("Các nhiệm vụ khoa học và công nghệ về %s được nghiệm thu với tổng kinh phí %s triệu đồng.", w.pick(sciTopics), w.count(9000))
	case 14:
		return "Hội nghị có sự tham dự của " + w.pick(attendees) + "."
	case 15:
		return fmt.Sprintf("Ông (bà) %s, %s, nhấn mạnh: “%s”.", w.pick(people), w.pick(positions), upperFirst(w.pick(quotes)))
	case 16:
		return "Công tác " + w.pick(tasks) + " được " + w.pick(units) + " quan tâm chỉ đạo thường xuyên, " + w.pick(purposes) + "."
	}
	return "Các phòng, đơn vị " + w.pick(must) + " " + w.pick(proposals) + " " + w.when() + "."
}

// capTask is a task as a list item.
func (w *writer) capTask() string { return upperFirst(w.pick(tasks)) + "." }

func (w *writer) resultsTable() {
	y := w.at.Year()
	if w.r.IntN(2) == 0 {
		rows := [][]string{}
		for _, name := range []string{"Hồ sơ tiếp nhận", "Hồ sơ giải quyết đúng hạn", "Hồ sơ nộp trực tuyến", "Kết quả được số hóa", "Phản ánh, kiến nghị được xử lý"}[:3+w.r.IntN(3)] {
			plan := 200 + w.r.IntN(3000)
			done := plan * (80 + w.r.IntN(30)) / 100
			rows = append(rows, []string{name, thousands(plan), thousands(done), fmt.Sprintf("%d%%", done*100/plan)})
		}
		w.table([]string{"Chỉ tiêu", "Kế hoạch", "Thực hiện", "Tỷ lệ"}, rows)
		return
	}
	rows := [][]string{}
	for _, ix := range w.r.Perm(len(indices))[:2+w.r.IntN(3)] {
		a, b := 70+w.r.IntN(25), 70+w.r.IntN(25)
		rows = append(rows, []string{indices[ix], strconv.Itoa(a), strconv.Itoa(b), fmt.Sprintf("%+d", b-a)})
	}
	w.table([]string{"Chỉ số", fmt.Sprintf("Năm %d", y-2), fmt.Sprintf("Năm %d", y-1), "Thay đổi"}, rows)
}

func (w *writer) articleBody() {
	w.paragraph()
	headings := w.r.Perm(len(articleHeadings))
	for s := 0; !w.full(); s++ {
		w.heading(articleHeadings[headings[s%len(headings)]])
		for range 1 + w.r.IntN(2) {
			w.paragraph()
		}
		switch {
		case w.r.IntN(2) == 0 && w.room(60):
			items := make([]string, 2+w.r.IntN(4))
			for i := range items {
				items[i] = w.capTask()
			}
			w.list(items, w.r.IntN(3) == 0)
		case w.r.IntN(3) == 0 && w.room(50):
			w.resultsTable()
		}
	}
}

func (w *writer) documentBody(d *docMeta) {
	w.add(fmt.Sprintf("%s số %s của %s %s.", d.typ, d.number, d.issuer, lowerFirst(d.title)))
	w.b.WriteString(" ")
	w.paragraph()
	var items []string
	for _, c := range w.c.citable(w.r, d.issued, 1+w.r.IntN(3)) {
		if c != d {
			items = append(items, upperFirst(cite(c))+";")
		}
	}
	if len(items) > 0 {
		w.add("Căn cứ ban hành:\n\n")
		w.list(items, false)
	}
	headings := w.r.Perm(len(documentHeadings))
	for s := 0; !w.full(); s++ {
		w.heading(documentHeadings[headings[s%len(headings)]])
		w.paragraph()
		if w.r.IntN(3) == 0 && w.room(70) {
			rows := [][]string{}
			for i := range 2 + w.r.IntN(4) {
				rows = append(rows, []string{strconv.Itoa(i + 1), w.capTask(), w.pick(units),
					[]string{"Thường xuyên", fmt.Sprintf("Quý II/%d", d.issued.Year()), fmt.Sprintf("Quý IV/%d", d.issued.Year())}[w.r.IntN(3)]})
			}
			w.table([]string{"STT", "Nhiệm vụ", "Đơn vị chủ trì", "Thời hạn"}, rows)
		} else if w.r.IntN(2) == 0 && w.room(50) {
			items := make([]string, 2+w.r.IntN(3))
			for i := range items {
				items[i] = w.capTask()
			}
			w.list(items, false)
		}
	}
}

func (w *writer) procedureBody(p *procMeta, basis []*docMeta) {
	w.heading("Trình tự thực hiện")
	var steps []string
	for _, s := range procSteps {
		if w.r.IntN(4) > 0 {
			steps = append(steps, s)
		}
	}
	if len(steps) < 3 {
		steps = procSteps[:4]
	}
	w.list(steps, true)
	w.heading("Cách thức thực hiện")
	w.list([]string{"Nộp trực tiếp tại Bộ phận Một cửa của Sở.", "Nộp trực tuyến trên Cổng Dịch vụ công quốc gia.", "Gửi qua dịch vụ bưu chính công ích."}[:1+w.r.IntN(3)], false)
	w.heading("Thành phần hồ sơ")
	rows := [][]string{}
	for i, j := range w.r.Perm(len(dossierPapers))[:3+w.r.IntN(5)] {
		form := ""
		if w.r.IntN(2) == 0 {
			form = fmt.Sprintf("Mẫu %02d", i+1)
		}
		rows = append(rows, []string{dossierPapers[j], form, strconv.Itoa(w.r.IntN(2)), strconv.Itoa(w.r.IntN(2))})
	}
	w.table([]string{"Tên giấy tờ", "Mẫu đơn, tờ khai", "Bản chính", "Bản sao"}, rows)
	w.heading("Số lượng hồ sơ")
	w.add("01 bộ.\n\n")
	w.heading("Yêu cầu, điều kiện")
	var conds []string
	for _, j := range w.r.Perm(len(procConditions))[:2+w.r.IntN(3)] {
		conds = append(conds, procConditions[j])
	}
	w.list(conds, false)
	w.heading("Căn cứ pháp lý")
	var refs []string
	for _, d := range basis {
		refs = append(refs, upperFirst(cite(d))+";")
	}
	if len(refs) > 0 {
		w.list(refs, false)
	}
	headings := w.r.Perm(len(procedureExtraHeadings))
	for s := 0; !w.full(); s++ {
		w.heading(procedureExtraHeadings[headings[s%len(headings)]])
		for range 1 + w.r.IntN(2) {
			w.paragraph()
		}
	}
}

// countWords counts the words of Markdown text: runs of non-space that
// hold a letter or a digit (so "|", "-" and "##" are not words).
func countWords(s string) int {
	n := 0
	for _, f := range strings.Fields(s) {
		for _, r := range f {
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				n++
				break
			}
		}
	}
	return n
}

func upperFirst(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	if size == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[size:]
}

// lowerFirst lowers the first letter unless the first word is an
// abbreviation or a proper name written in capitals (TCVN, PAR).
func lowerFirst(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	if size == 0 {
		return s
	}
	if r2, _ := utf8.DecodeRuneInString(s[size:]); unicode.IsUpper(r2) {
		return s
	}
	return string(unicode.ToLower(r)) + s[size:]
}

// planYAML is plans/YEAR.yaml for p, in the shape of content/plans/2022.yaml.
func (c *corpus) planYAML(p *planMeta) string {
	var b strings.Builder
	nums := func(ds []*docMeta) string {
		q := make([]string, len(ds))
		for i, d := range ds {
			q[i] = d.number
		}
		return "[" + strings.Join(q, ", ") + "]"
	}
	fmt.Fprintf(&b, "number: %s\n", p.doc.number)
	fmt.Fprintf(&b, "title: %s\n", p.doc.title)
	fmt.Fprintf(&b, "issuer: %s\n", p.doc.issuer)
	fmt.Fprintf(&b, "issued: %s\n", isoDay(p.doc.issued))
	fmt.Fprintf(&b, "year: %d\n", p.year)
	fmt.Fprintf(&b, "implements: %s\n", nums(p.implements))
	fmt.Fprintf(&b, "report_due: %d-11-10\n", p.year)
	b.WriteString("areas:\n")
	for i, id := range areaIDs {
		fmt.Fprintf(&b, "  - {id: %s, title: %s}\n", id, strconv.Quote(areaTitles[i]))
	}
	fmt.Fprintf(&b, "documents: %s\n", nums(p.documents))
	b.WriteString("items:\n")
	items := []struct {
		id, title string
		tracked   bool
		targets   string
	}{
		{"III.1", "Mở mục tuyên truyền cải cách hành chính trên Trang Thông tin điện tử của Sở và cập nhật thông tin về cải cách hành chính", true, "{articles_per_month: 2}"},
		{"III.2", "Đăng tải công khai tất cả các thủ tục hành chính và các văn bản liên quan đến cải cách hành chính; cập nhật, đăng tải các nội dung tuyên truyền tại mục II", true, "{all_procedures: true, all_plan_documents: true, each_area_per_quarter: 1}"},
		{"III.3", "Thực hiện bản tin và chuyên mục khoa học và công nghệ trên sóng phát thanh, truyền hình và Báo Quảng Ngãi", false, ""},
		{"III.4", "Tổ chức các hoạt động hưởng ứng Ngày Khoa học và Công nghệ Việt Nam 18/5", false, ""},
		{"III.5", "Tập huấn duy trì, cải tiến và đánh giá nội bộ Hệ thống quản lý chất lượng theo TCVN ISO 9001:2015", false, ""},
		{"III.6", "Kiểm tra việc áp dụng Hệ thống quản lý chất lượng theo TCVN ISO 9001:2015 tại các cơ quan hành chính nhà nước", false, ""},
	}
	for _, it := range items {
		fmt.Fprintf(&b, "  - id: %s\n    title: %s\n", it.id, strconv.Quote(it.title))
		b.WriteString("    lead: Trung tâm Ứng dụng và Dịch vụ khoa học và công nghệ\n")
		b.WriteString("    partners: Các phòng, đơn vị thuộc Sở\n")
		fmt.Fprintf(&b, "    schedule: Thường xuyên trong năm %d\n", p.year)
		fmt.Fprintf(&b, "    tracked: %t\n", it.tracked)
		if it.targets != "" {
			fmt.Fprintf(&b, "    targets: %s\n", it.targets)
		}
	}
	return b.String()
}
