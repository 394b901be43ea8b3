// Package corpus generates a synthetic but realistic content tree (articles,
// procedures, documents and yearly plans) for benchmarks: Vietnamese prose
// with full diacritics about administrative reform and science and
// technology, front matter our importer accepts, GFM tables and lists, and
// legal references to documents that exist in the tree (and a few that do
// not). The tree for a given (n, seed) is byte-identical on every run, so a
// measurement can be repeated on another machine.
package corpus

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"time"

	"cchc/internal/content"
	"cchc/internal/legalref"
	"cchc/internal/vntext"
)

// Version changes whenever the tree generated for a given (n, seed)
// changes, so that cached trees can be told apart.
const Version = 1

// The years items are dated in; each has a plans/YEAR.yaml. Documents go
// back a few more years so that early items have something to cite.
const (
	FirstYear    = 2019
	LastYear     = 2025
	firstDocYear = 2016
)

// MinItems is the smallest tree Generate makes: one plan document per year
// plus at least one procedure and one article.
const MinItems = 10

// MissingSymbol is the symbol of every document number the generated text
// cites on purpose without a document in the tree (an editor citing a
// decision not yet entered). No generated document has this symbol.
const MissingSymbol = "QĐ-BKHCN"

// Counts is how many items of each kind a tree of n items holds.
type Counts struct {
	Articles, Procedures, Documents int
}

// Split divides n items into the kinds in the proportions of a real column:
// 70% articles, 15% procedures, 15% documents (at least one plan document
// per year).
func Split(n int) Counts {
	years := LastYear - FirstYear + 1
	d := max(n*15/100, years)
	p := max(n*15/100, 1)
	return Counts{Articles: n - d - p, Procedures: p, Documents: d}
}

// Generate writes a content tree of n items into dir (created if needed;
// it must be empty), deterministically for (n, seed).
func Generate(dir string, n int, seed int64) error {
	return GenerateAgencies(dir, n, 1, seed)
}

// AgencySlug is the folder name (and the slug) of agency k of a split
// tree, k from 2: agency 1 is the root column, the content folder itself.
func AgencySlug(k int) string { return fmt.Sprintf("cq-%02d", k) }

// GenerateAgencies writes the tree Generate writes for (n, seed), split
// into agencies (issue 20): the same items, bodies and references, each in
// one agency's folder. Agency 1 is dir itself (the root column); agency k
// ≥ 2 is agencies/cq-KK/ with an agency.yaml (prefix /cq-KK, a name that
// says it is test data). Each agency holds n/agencies items (one more for
// the first n%agencies), a mix of every kind; documents stay one registry
// cited across agencies exactly as the single tree cites them, only their
// keeper changes. The yearly plans, their documents and the documents they
// cite stay with agency 1, whose plans they are. With agencies = 1 the
// tree is byte-identical to Generate's.
func GenerateAgencies(dir string, n, agencies int, seed int64) error {
	if n < MinItems {
		return fmt.Errorf("corpus: cần ít nhất %d mục, không phải %d", MinItems, n)
	}
	if agencies < 1 || agencies > 99 || n/agencies < 1 {
		return fmt.Errorf("corpus: số cơ quan %d không hợp lệ cho %d mục (1–99, mỗi cơ quan ít nhất một mục)", agencies, n)
	}
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		return fmt.Errorf("corpus: %s: thư mục không trống", dir)
	} else if err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("corpus: %w", err)
	}
	c, err := plan(n, seed)
	if err != nil {
		return err
	}
	c.assign(agencies)
	for k := 1; k <= agencies; k++ {
		root := c.agencyDir(dir, k)
		for _, sub := range []string{content.Article.Dir(), content.Procedure.Dir(), content.Document.Dir()} {
			if err := os.MkdirAll(filepath.Join(root, sub), 0o755); err != nil {
				return fmt.Errorf("corpus: %w", err)
			}
		}
		if k > 1 {
			if err := os.WriteFile(filepath.Join(root, content.AgencyFileName), []byte(agencyYAML(k)), 0o644); err != nil {
				return fmt.Errorf("corpus: %w", err)
			}
		}
	}
	if err := os.MkdirAll(filepath.Join(dir, "plans"), 0o755); err != nil {
		return fmt.Errorf("corpus: %w", err)
	}
	for _, p := range c.plans {
		if err := os.WriteFile(filepath.Join(dir, "plans", fmt.Sprintf("%d.yaml", p.year)), []byte(c.planYAML(p)), 0o644); err != nil {
			return fmt.Errorf("corpus: %w", err)
		}
	}
	// Bodies are independent once the metadata is fixed: each item has its
	// own random stream, so writing them in parallel changes nothing.
	type job struct {
		kind content.Kind
		i    int
	}
	jobs := make(chan job)
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		firstErr error
	)
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for j := range jobs {
				name, data := c.file(j.kind, j.i)
				path := filepath.Join(c.agencyDir(dir, c.agencyOf(j.kind, j.i)), j.kind.Dir(), name)
				if err := os.WriteFile(path, data, 0o644); err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = fmt.Errorf("corpus: %w", err)
					}
					mu.Unlock()
				}
			}
		})
	}
	for i := range c.docs {
		jobs <- job{content.Document, i}
	}
	for i := range c.procs {
		jobs <- job{content.Procedure, i}
	}
	for i := range c.arts {
		jobs <- job{content.Article, i}
	}
	close(jobs)
	wg.Wait()
	return firstErr
}

// agencyDir is the folder of agency k's tree under dir.
func (c *corpus) agencyDir(dir string, k int) string {
	if k == 1 {
		return dir
	}
	return filepath.Join(dir, "agencies", AgencySlug(k))
}

// agencyOf is the agency (from 1) item i of kind k is in.
func (c *corpus) agencyOf(k content.Kind, i int) int {
	switch k {
	case content.Document:
		return c.docs[i].agency
	case content.Procedure:
		return c.procs[i].agency
	}
	return c.arts[i].agency
}

// assign gives every item its agency: the plans' documents (and those the
// plans cite) to agency 1 first, then every other item in turn, documents
// then procedures then articles, each to the next agency in a round that
// has room left in its share (n/agencies, one more for the first
// n%agencies). Each agency so holds a mix of every kind, and its count is
// exact unless agency 1's pinned documents alone exceed its share (tiny
// trees split many ways).
func (c *corpus) assign(agencies int) {
	n := len(c.docs) + len(c.procs) + len(c.arts)
	quota := make([]int, agencies+1)
	for k := 1; k <= agencies; k++ {
		quota[k] = n / agencies
		if k <= n%agencies {
			quota[k]++
		}
	}
	held := make([]int, agencies+1)
	for _, p := range c.plans {
		for _, d := range append([]*docMeta{p.doc}, append(p.implements, p.documents...)...) {
			if d.agency == 0 {
				d.agency = 1
				held[1]++
			}
		}
	}
	next := 0
	give := func() int {
		for range agencies {
			next = next%agencies + 1
			if held[next] < quota[next] {
				held[next]++
				return next
			}
		}
		held[1]++ // only when agency 1's pinned documents took more than its share
		return 1
	}
	for _, d := range c.docs {
		if d.agency == 0 {
			d.agency = give()
		}
	}
	for _, p := range c.procs {
		p.agency = give()
	}
	for _, a := range c.arts {
		a.agency = give()
	}
}

// agencyYAML is agencies/cq-KK/agency.yaml: a record that says it is test
// data, answering at the prefix /cq-KK.
func agencyYAML(k int) string {
	return fmt.Sprintf("name: Cơ quan thử nghiệm %02d\nshort_name: CQ thử nghiệm %02d\nprefix: /%s\n", k, k, AgencySlug(k))
}

// corpus is the metadata of a whole tree, fixed before any body is written.
type corpus struct {
	seed  int64
	docs  []*docMeta // sorted by issue date
	procs []*procMeta
	arts  []*artMeta
	plans []*planMeta
}

type docMeta struct {
	number, typ, issuer, title, slug string
	issued                           time.Time
	agency                           int // from 1; 0 until assigned
}

type procMeta struct {
	code, title, slug, object string
	agency                    int
}

type artMeta struct {
	title, slug string
	date        time.Time
	agency      int
}

type planMeta struct {
	year       int
	doc        *docMeta
	implements []*docMeta
	documents  []*docMeta
}

// docShape is one kind of document number: its type, issuer and format.
type docShape struct {
	typ, issuer string
	weight      int
	maxNum      int
	number      func(n, year int) string
}

const (
	issuerProvince = "Ủy ban nhân dân tỉnh Quảng Ngãi"
	issuerDept     = "Sở Khoa học và Công nghệ tỉnh Quảng Ngãi"
)

var docShapes = []docShape{
	{"Quyết định", issuerProvince, 18, 3000, func(n, _ int) string { return fmt.Sprintf("%d/QĐ-UBND", n) }},
	{"Kế hoạch", issuerProvince, 12, 300, func(n, _ int) string { return fmt.Sprintf("%d/KH-UBND", n) }},
	{"Chỉ thị", issuerProvince, 3, 40, func(n, _ int) string { return fmt.Sprintf("%d/CT-UBND", n) }},
	{"Nghị định", "Chính phủ", 10, 180, func(n, y int) string { return fmt.Sprintf("%d/%d/NĐ-CP", n, y) }},
	{"Nghị quyết", "Chính phủ", 5, 200, func(n, _ int) string { return fmt.Sprintf("%d/NQ-CP", n) }},
	{"Quyết định", "Thủ tướng Chính phủ", 6, 2000, func(n, _ int) string { return fmt.Sprintf("%d/QĐ-TTg", n) }},
	{"Thông tư", "Bộ Khoa học và Công nghệ", 10, 30, func(n, y int) string { return fmt.Sprintf("%02d/%d/TT-BKHCN", n, y) }},
	{"Luật", "Quốc hội", 2, 80, func(n, y int) string { return fmt.Sprintf("%d/%d/QH%d", n, y, legislature(y)) }},
	{"Nghị quyết", "Tỉnh ủy Quảng Ngãi", 3, 40, func(n, _ int) string { return fmt.Sprintf("%02d-NQ/TU", n) }},
	{"Nghị quyết", "Hội đồng nhân dân tỉnh Quảng Ngãi", 4, 150, func(n, _ int) string { return fmt.Sprintf("%d/NQ-HĐND", n) }},
	{"Quyết định", issuerDept, 12, 500, func(n, _ int) string { return fmt.Sprintf("%d/QĐ-SKHCN", n) }},
	{"Kế hoạch", issuerDept, 6, 400, func(n, _ int) string { return fmt.Sprintf("%d/KH-SKHCN", n) }},
	{"Công văn", issuerDept, 5, 2500, func(n, _ int) string { return fmt.Sprintf("%d/SKHCN-VP", n) }},
	{"Hướng dẫn", "Sở Nội vụ tỉnh Quảng Ngãi", 2, 100, func(n, _ int) string { return fmt.Sprintf("%d/HD-SNV", n) }},
	{"Thông báo", "Văn phòng Ủy ban nhân dân tỉnh Quảng Ngãi", 2, 600, func(n, _ int) string { return fmt.Sprintf("%d/TB-VPUBND", n) }},
}

// legislature is the National Assembly's term in year y (QH14, QH15).
func legislature(y int) int {
	switch {
	case y >= 2021 && y < 2026:
		return 15
	case y >= 2016:
		return 14
	}
	return 13
}

// plan fixes every item's identity: numbers, codes, titles, slugs, dates.
func plan(n int, seed int64) (*corpus, error) {
	r := rand.New(rand.NewPCG(uint64(seed), 0x636368632d6d6574)) // "cchc-met"
	counts := Split(n)
	c := &corpus{seed: seed}
	keys := map[string]bool{}
	docSlugs := map[string]bool{}
	addDoc := func(d *docMeta) error {
		if !legalref.Valid(d.number) {
			return fmt.Errorf("corpus: số ký hiệu sinh ra không hợp lệ: %s", d.number)
		}
		key, _ := legalref.Key(d.number)
		keys[key] = true
		d.slug = uniqueSlug(docSlugs, vntext.Slug(d.number))
		c.docs = append(c.docs, d)
		return nil
	}
	fresh := func(number string) bool {
		key, ok := legalref.Key(number)
		return ok && !keys[key]
	}

	// Each year's communication plan is itself a document of the tree.
	for y := FirstYear; y <= LastYear; y++ {
		var number string
		for attempt := 0; ; attempt++ {
			number = fmt.Sprintf("%d/KH-SKHCN", 100+r.IntN(300+attempt*10))
			if fresh(number) {
				break
			}
		}
		d := &docMeta{number: number, typ: "Kế hoạch", issuer: issuerDept,
			title:  fmt.Sprintf("Kế hoạch tuyên truyền cải cách hành chính năm %d của Sở Khoa học và Công nghệ", y),
			issued: time.Date(y, time.March, 1+r.IntN(28), 0, 0, 0, 0, vntext.Zone)}
		if err := addDoc(d); err != nil {
			return nil, err
		}
		c.plans = append(c.plans, &planMeta{year: y, doc: d})
	}
	total := 0
	for _, s := range docShapes {
		total += s.weight
	}
	for len(c.docs) < counts.Documents {
		w := r.IntN(total)
		var s docShape
		for _, s = range docShapes {
			if w < s.weight {
				break
			}
			w -= s.weight
		}
		issued := randomDay(r, firstDocYear, LastYear)
		var number string
		for attempt := 0; ; attempt++ {
			// The number range grows when a shape runs out of numbers
			// (large trees), as real registers do over the years.
			number = s.number(1+r.IntN(s.maxNum*(1+attempt/4)), issued.Year())
			if fresh(number) {
				break
			}
		}
		d := &docMeta{number: number, typ: s.typ, issuer: s.issuer, issued: issued, title: docTitle(r, s.typ, issued.Year())}
		if err := addDoc(d); err != nil {
			return nil, err
		}
	}
	slices.SortStableFunc(c.docs, func(a, b *docMeta) int { return a.issued.Compare(b.issued) })

	for _, p := range c.plans {
		for _, d := range c.docs {
			if d == p.doc || d.issued.After(p.doc.issued) || d.issued.Year() < p.year-1 {
				continue
			}
			if d.issuer == issuerProvince && d.typ == "Kế hoạch" && len(p.implements) < 2 {
				p.implements = append(p.implements, d)
			} else if len(p.documents) < 8 && r.IntN(3) == 0 {
				p.documents = append(p.documents, d)
			}
		}
	}

	codes := map[string]bool{}
	procSlugs := map[string]bool{}
	for range counts.Procedures {
		var code string
		for attempt := 0; ; attempt++ {
			code = fmt.Sprintf("%d.%06d", 1+r.IntN(2), 1000+r.IntN(12000*(1+attempt/4)))
			if r.IntN(3) > 0 {
				code += ".000.00.00.H48"
			}
			if !codes[code] {
				break
			}
		}
		codes[code] = true
		object := pick(r, procObjects)
		title := pick(r, procActions) + " " + object
		if q := pick(r, procQualifiers); q != "" {
			title += " " + q
		}
		c.procs = append(c.procs, &procMeta{code: code, title: title, object: object, slug: uniqueSlug(procSlugs, shortSlug(title))})
	}

	artSlugs := map[string]bool{}
	for range counts.Articles {
		date := randomTime(r, FirstYear, LastYear)
		title := articleTitle(r, date)
		c.arts = append(c.arts, &artMeta{title: title, date: date, slug: uniqueSlug(artSlugs, shortSlug(title))})
	}
	return c, nil
}

// shortSlug is the slug of a title cut to about 80 bytes at a hyphen:
// editors choose short file names.
func shortSlug(title string) string {
	s := vntext.Slug(title)
	if len(s) > 80 {
		s = s[:80]
		if i := lastHyphen(s); i > 40 {
			s = s[:i]
		}
	}
	for len(s) > 0 && s[len(s)-1] == '-' {
		s = s[:len(s)-1]
	}
	return s
}

func lastHyphen(s string) int {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == '-' {
			return i
		}
	}
	return -1
}

// uniqueSlug returns s, or s-2, s-3, … when taken, and records it.
func uniqueSlug(taken map[string]bool, s string) string {
	out := s
	for i := 2; taken[out]; i++ {
		out = fmt.Sprintf("%s-%d", s, i)
	}
	taken[out] = true
	return out
}

func pick(r *rand.Rand, xs []string) string { return xs[r.IntN(len(xs))] }

// randomDay is a day between 1 January of from and 31 December of to,
// midnight in Vietnam.
func randomDay(r *rand.Rand, from, to int) time.Time {
	start := time.Date(from, time.January, 1, 0, 0, 0, 0, vntext.Zone)
	days := int(time.Date(to, time.December, 31, 0, 0, 0, 0, vntext.Zone).Sub(start).Hours()/24) + 1
	return start.AddDate(0, 0, r.IntN(days))
}

// randomTime is a moment in office hours on a random day.
func randomTime(r *rand.Rand, from, to int) time.Time {
	d := randomDay(r, from, to)
	return d.Add(7*time.Hour + 30*time.Minute + time.Duration(r.IntN(9*60))*time.Minute)
}

func docTitle(r *rand.Rand, typ string, year int) string {
	topic := pick(r, docTopics)
	switch typ {
	case "Luật":
		return pick(r, lawNames)
	case "Nghị định":
		if r.IntN(2) == 0 {
			return "Quy định chi tiết một số điều và biện pháp thi hành " + pick(r, lawNames)
		}
		return "Quy định về " + topic
	case "Thông tư":
		return "Hướng dẫn " + topic
	case "Quyết định":
		switch r.IntN(4) {
		case 0:
			return "Về việc công bố danh mục thủ tục hành chính lĩnh vực " + lowerFirst(pick(r, procFields)) + " thuộc thẩm quyền giải quyết của Sở Khoa học và Công nghệ"
		case 1:
			return "Ban hành Quy chế " + topic
		case 2:
			return "Phê duyệt Đề án " + topic + " giai đoạn 2021–2025"
		}
		return fmt.Sprintf("Về việc kiện toàn Ban Chỉ đạo cải cách hành chính năm %d", year)
	case "Kế hoạch":
		return fmt.Sprintf("Triển khai %s năm %d", topic, year)
	case "Nghị quyết":
		return "Về đẩy mạnh " + topic
	case "Chỉ thị":
		return "Về tăng cường " + topic
	case "Công văn":
		return "V/v triển khai " + topic
	case "Hướng dẫn":
		return "Hướng dẫn " + topic
	}
	return "Kết luận của Chủ tịch Ủy ban nhân dân tỉnh về " + topic
}

func articleTitle(r *rand.Rand, date time.Time) string {
	unit := pick(r, titleUnits)
	title := pick(r, titleActions) + " " + pick(r, titleObjects)
	if unit != "" {
		title = unit + " " + title
	}
	switch t := pick(r, titleTimes); t {
	case "":
	case "tháng %d":
		title += fmt.Sprintf(" tháng %d/%d", int(date.Month()), date.Year())
	default:
		if n := countVerbs(t); n == 1 {
			title += " " + fmt.Sprintf(t, date.Year())
		} else {
			title += " " + t
		}
	}
	return upperFirst(title)
}

// countVerbs counts the %d verbs in a format.
func countVerbs(f string) int {
	n := 0
	for i := 0; i+1 < len(f); i++ {
		if f[i] == '%' && f[i+1] == 'd' {
			n++
		}
	}
	return n
}
