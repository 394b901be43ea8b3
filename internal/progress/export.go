package progress

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
	"unicode"

	"github.com/xuri/excelize/v2"

	"cchc/internal/publog"
	"cchc/internal/vntext"
)

// Table is one table of a report's summary, shared by every format so
// they all carry the same figures.
type Table struct {
	Title  string
	Header []string
	Rows   [][]string
}

// Summary is the report's figures as tables: the dashboard's content
// without the log rows. What the plan asks comes first and is judged;
// the unit's internal targets and the chain's head follow in appendices
// marked as such.
func (r *Report) Summary() []Table {
	var out []Table
	info := Table{Title: "Thông tin chung", Header: []string{"Mục", "Giá trị"}}
	info.Rows = append(info.Rows, []string{"Năm", strconv.Itoa(r.Year)})
	if r.Plan != nil {
		info.Rows = append(info.Rows, []string{"Kế hoạch", r.Plan.Number + " — " + r.Plan.Title})
	} else {
		info.Rows = append(info.Rows, []string{"Kế hoạch", "Chưa có kế hoạch cho năm này"})
	}
	info.Rows = append(info.Rows,
		[]string{"Số liệu tính đến ngày", vntext.Date(r.AsOf)},
		[]string{"Hạn báo cáo", r.Due.Text()},
		[]string{"Ngày đăng khai báo", r.DeclaredText()},
		[]string{"Lập báo cáo lúc", vntext.DateTime(r.Now)},
	)
	out = append(out, info)

	if len(r.Progress) > 0 {
		prog := Table{Title: "Kết quả thực hiện theo Kế hoạch (" + r.AsOfText() + ")", Header: []string{"Mục", "Yêu cầu của Kế hoạch", "Đánh giá", "Kết quả"}}
		for _, p := range r.Progress {
			if len(p.Official) == 0 {
				prog.Rows = append(prog.Rows, []string{p.Item.ID, p.Item.Title, p.Level.Label(), p.Reason})
				continue
			}
			for _, t := range p.Official {
				prog.Rows = append(prog.Rows, []string{p.Item.ID, t.Name, t.Level.Label(), t.Reason})
			}
		}
		out = append(out, prog)
	}

	totals := Table{Title: "Tổng số theo loại nội dung", Header: []string{"Loại", "Đăng tải", "Cập nhật", "Gỡ xuống", "Đăng lại", "Thôi đăng tải"}}
	for _, k := range append(append([]KindTotal(nil), r.Totals...), r.Total) {
		totals.Rows = append(totals.Rows, []string{k.Label(), itoa(k.Publish), itoa(k.Update), itoa(k.Withdraw), itoa(k.Republish), itoa(k.Unpublish)})
	}
	out = append(out, totals)

	months := Table{Title: "Số mục đăng tải theo tháng", Header: []string{"Tháng", "Tin bài", "Chỉ tiêu nội bộ", "Đánh giá", "Tất cả mục", "Lượt đăng tải, cập nhật", "Trong đó ngày khai báo"}}
	for _, a := range r.Areas {
		months.Header = append(months.Header, a.ID)
	}
	for _, m := range r.Months {
		row := []string{m.Name(), itoa(m.Articles), itoa(m.Target), m.Level.Label(), itoa(m.Items), itoa(m.Updates), itoa(m.Declared)}
		for _, n := range m.ByArea {
			row = append(row, itoa(n))
		}
		months.Rows = append(months.Rows, row)
	}
	out = append(out, months)

	cov := Table{Title: "Nội dung tuyên truyền theo quý", Header: []string{"Nội dung", "Tên", "Quý I", "Quý II", "Quý III", "Quý IV", "Cả năm"}}
	for _, row := range r.Coverage {
		line := []string{row.Area.ID, row.Area.Title}
		for _, c := range row.Cells {
			line = append(line, c.Text())
		}
		cov.Rows = append(cov.Rows, append(line, itoa(row.Total)))
	}
	out = append(out, cov)

	if len(r.Documents) > 0 {
		docs := Table{Title: "Văn bản kế hoạch nêu", Header: []string{"Số ký hiệu", "Tình trạng", "Số tin bài dẫn chiếu"}}
		for _, d := range r.Documents {
			docs.Rows = append(docs.Rows, []string{d.Number, d.State(), itoa(d.Cited)})
		}
		out = append(out, docs)
	}

	procs := Table{Title: "Thủ tục hành chính", Header: []string{"Mục", "Giá trị"}}
	ps := r.Procedures
	if ps.HasList {
		procs.Rows = append(procs.Rows,
			[]string{"Danh mục công bố", ps.DecisionText()},
			[]string{"Thủ tục trong danh mục", itoa(ps.Listed)},
			[]string{"Đã đăng tải", itoa(ps.Published)})
		for _, m := range ps.Missing {
			procs.Rows = append(procs.Rows, []string{"Chưa đăng tải", m.Code + " — " + m.Name})
		}
		for _, u := range ps.Unlisted {
			procs.Rows = append(procs.Rows, []string{"Không có trong danh mục công bố", u.Ref + " — " + u.Title})
		}
	} else {
		procs.Rows = append(procs.Rows,
			[]string{"Danh mục công bố", "Kế hoạch chưa nêu danh mục thủ tục được công bố"},
			[]string{"Đang công khai trên chuyên mục", itoa(ps.OnColumn)})
	}
	out = append(out, procs)

	gaps := Table{Title: "Những việc còn thiếu so với Kế hoạch", Header: []string{"Loại", "Chi tiết"}}
	for _, g := range r.OfficialGaps() {
		gaps.Rows = append(gaps.Rows, []string{g.Kind, g.Text})
	}
	out = append(out, gaps)

	if len(r.Withdrawals) > 0 {
		wd := Table{Title: "Nội dung đã gỡ xuống", Header: []string{"Ngày", "Tiêu đề", "Lý do"}}
		for _, e := range r.Withdrawals {
			wd.Rows = append(wd.Rows, []string{vntext.Date(e.At), e.Title, e.Note})
		}
		out = append(out, wd)
	}

	if its := r.InternalTargets(); len(its) > 0 {
		internal := Table{Title: "Phụ lục: Chỉ tiêu nội bộ (không phải yêu cầu của Kế hoạch)", Header: []string{"Mục", "Chỉ tiêu", "Nguồn", "Đánh giá", "Kết quả"}}
		for _, it := range its {
			internal.Rows = append(internal.Rows, []string{it.Item.ID, it.Name, it.SourceLabel(), it.Level.Label(), it.Reason})
		}
		for _, g := range r.InternalGaps() {
			internal.Rows = append(internal.Rows, []string{"", g.Kind, "", "", g.Text})
		}
		out = append(out, internal)
	}

	proof := Table{Title: "Phụ lục: Xác thực số liệu", Header: []string{"Mục", "Giá trị"}}
	proof.Rows = append(proof.Rows,
		[]string{"Chuỗi nhật ký", r.Chain.Summary()},
		// The head as of this report: written down or anchored, it pins
		// the chain the figures came from.
		[]string{"Hàng cuối chuỗi khi lập báo cáo", r.Chain.HeadText()},
		[]string{"Mốc kiểm chứng gần nhất", r.Chain.AnchorText()},
		[]string{"Độ trễ trung vị từ ngày ban hành đến ngày đăng tải văn bản", r.Delay.Text()},
	)
	out = append(out, proof)
	return out
}

// Text is the cell in words: the count, or why there is none to judge.
func (c Cell) Text() string {
	if c.Level == Pending && c.Count == 0 {
		return "chưa đến"
	}
	return itoa(c.Count)
}

// GapLine is one gap in words.
type GapLine struct {
	Kind string
	Text string
}

// GapLines lists every gap in words — against the plan, then against the
// internal targets (their kinds say so) — in the order the dashboard
// shows them.
func (r *Report) GapLines() []GapLine { return append(r.OfficialGaps(), r.InternalGaps()...) }

// OfficialGaps are what is missing against what the plan asks.
func (r *Report) OfficialGaps() []GapLine {
	var out []GapLine
	for _, p := range r.Progress {
		for _, t := range p.Official {
			out = append(out, t.Gaps...)
		}
	}
	return out
}

// InternalGaps are what is missing against the internal targets.
func (r *Report) InternalGaps() []GapLine {
	var out []GapLine
	for _, p := range r.Progress {
		for _, t := range p.Internal {
			out = append(out, t.Gaps...)
		}
	}
	return out
}

func roman(q int) string {
	return [...]string{"", "I", "II", "III", "IV"}[q]
}

func itoa(n int) string { return strconv.Itoa(n) }

// DetailHeader is the header of the log rows table.
var DetailHeader = []string{"Số thứ tự", "Ngày", "Giờ", "Sự kiện", "Loại nội dung", "Số/mã", "Tiêu đề", "Mục kế hoạch", "Nội dung tuyên truyền", "Tác giả", "Người thực hiện", "Ghi chú", "Nhập từ tệp", "Đường dẫn", "Ghi vào nhật ký lúc", "Ngày đăng khai báo"}

// detailRow is one log row as text.
func detailRow(e *publog.Entry) []string {
	yes := func(v bool) string {
		if v {
			return "Có"
		}
		return "Không"
	}
	return []string{strconv.FormatInt(e.Seq, 10), vntext.Date(e.At), e.Local().Format("15:04"), e.TypeLabel(), e.Kind.Label(), e.Ref, e.Title,
		e.PlanItem, strings.Join(e.Areas, ", "), e.Author, e.Actor, e.Note, yes(e.Imported), e.URL, vntext.DateTime(e.Recorded), yes(e.Declared)}
}

// SpreadsheetText is s made safe to put in a spreadsheet cell. A cell
// starting with = + - or @ is a formula to Excel and LibreOffice (one
// can open a link, fetch a URL, or on old setups run a program through
// DDE), and a leading tab, carriage return or NUL can hide one; OWASP's
// CSV injection advice (and ASVS 1.2.10, for XLSX too) is to put an
// apostrophe in front, which the spreadsheet reads as "this is text".
// Every text cell of the CSV and XLSX reports goes through it: titles,
// authors and notes come from editors' fields and imported files.
func SpreadsheetText(s string) string {
	if s != "" && strings.IndexByte("=+-@\t\r\x00", s[0]) >= 0 {
		return "'" + s
	}
	return s
}

// WriteCSV writes the summary and the year's log rows as CSV for Excel:
// UTF-8 with a byte order mark (without it Excel reads the bytes as the
// local code page and garbles Vietnamese), CRLF line ends.
func (r *Report) WriteCSV(w io.Writer) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return fmt.Errorf("progress: csv: %w", err)
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	write := func(rec ...string) {
		safe := make([]string, len(rec))
		for i, v := range rec {
			safe[i] = SpreadsheetText(v)
		}
		_ = cw.Write(safe) // the first error stays in cw.Error
	}
	write("BÁO CÁO " + r.Title())
	for _, t := range r.Summary() {
		write()
		write(t.Title)
		write(t.Header...)
		for _, row := range t.Rows {
			write(row...)
		}
	}
	write()
	write("Chi tiết nhật ký đăng tải năm " + itoa(r.Year) + " (" + r.AsOfText() + ")")
	write(DetailHeader...)
	for _, e := range r.Entries {
		write(detailRow(e)...)
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("progress: csv: %w", err)
	}
	return nil
}

// WriteMarkdown writes the report as Markdown tables.
func (r *Report) WriteMarkdown(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# Báo cáo %s\n\n", mdEscape(r.Title()))
	for _, t := range r.Summary() {
		fmt.Fprintf(&b, "## %s\n\n", mdEscape(t.Title))
		mdTable(&b, t.Header, t.Rows)
	}
	fmt.Fprintf(&b, "## Chi tiết nhật ký đăng tải năm %d (%s)\n\n", r.Year, r.AsOfText())
	rows := make([][]string, len(r.Entries))
	for i, e := range r.Entries {
		rows[i] = detailRow(e)
	}
	mdTable(&b, DetailHeader, rows)
	_, err := io.WriteString(w, b.String())
	if err != nil {
		return fmt.Errorf("progress: markdown: %w", err)
	}
	return nil
}

func mdTable(b *strings.Builder, header []string, rows [][]string) {
	if len(rows) == 0 {
		b.WriteString("(không có)\n\n")
		return
	}
	line := func(cells []string) {
		b.WriteString("|")
		for _, c := range cells {
			b.WriteString(" " + mdEscape(c) + " |")
		}
		b.WriteString("\n")
	}
	line(header)
	b.WriteString("|" + strings.Repeat("---|", len(header)) + "\n")
	for _, r := range rows {
		line(r)
	}
	b.WriteString("\n")
}

// mdEscape keeps a value inside its table cell and shows it as typed: a
// backslash is escaped first (else "\\|" would escape the escape and free
// the pipe), then every character Markdown would read as markup — a pipe,
// emphasis, code, a link's brackets, strikethrough, and the < and & that
// start raw HTML and entities, which a viewer such as pandoc passes on as
// they are — gets a backslash; line breaks become spaces.
func mdEscape(s string) string { return mdEscaper.Replace(s) }

var mdEscaper = strings.NewReplacer(`\`, `\\`, "|", `\|`, "\r\n", " ", "\r", " ", "\n", " ", "*", `\*`, "_", `\_`,
	"<", `\<`, ">", `\>`, "&", `\&`, "`", "\\`", "[", `\[`, "]", `\]`, "~", `\~`)

// textCell keeps a value on its line and in its column of the text report:
// tabs (the column separator) and line breaks become spaces.
func textCell(s string) string {
	s = strings.ReplaceAll(s, "\r\n", " ")
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return ' '
		}
		return r
	}, s)
}

// WriteText writes the report as plain text with aligned columns.
func (r *Report) WriteText(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "BÁO CÁO %s\n", textCell(r.Title()))
	for _, t := range r.Summary() {
		fmt.Fprintf(tw, "\n%s\n", strings.ToUpper(textCell(t.Title)))
		textRows(tw, t.Header, t.Rows)
	}
	fmt.Fprintf(tw, "\nCHI TIẾT NHẬT KÝ ĐĂNG TẢI NĂM %d (%d hàng, %s)\n", r.Year, len(r.Entries), r.AsOfText())
	rows := make([][]string, len(r.Entries))
	for i, e := range r.Entries {
		d := detailRow(e)
		rows[i] = []string{d[0], d[1], d[3], d[4], d[5], d[6], d[7], d[8], d[15]}
	}
	textRows(tw, []string{"STT", "Ngày", "Sự kiện", "Loại", "Số/mã", "Tiêu đề", "Mục", "Nội dung", "Ngày khai báo"}, rows)
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("progress: text: %w", err)
	}
	return nil
}

func textRows(w io.Writer, header []string, rows [][]string) {
	if len(rows) == 0 {
		fmt.Fprintln(w, "(không có)")
		return
	}
	line := func(cells []string) {
		for _, c := range cells {
			fmt.Fprint(w, textCell(c)+"\t")
		}
		fmt.Fprintln(w)
	}
	line(header)
	for _, r := range rows {
		line(r)
	}
}

// count reads a count: decimal digits, no sign, no leading zero.
func count(s string) (int, bool) {
	if s == "" || len(s) > 9 || (s[0] == '0' && len(s) > 1) {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}

// Sheet names of the workbook.
const (
	SheetSummary = "Tổng hợp"
	SheetDetail  = "Chi tiết"
)

// WriteXLSX writes the workbook: a summary sheet with every table of
// Summary (counts as numbers) and a detail sheet with the year's log rows,
// dates as real date cells shown dd/mm/yyyy.
func (r *Report) WriteXLSX(w io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", SheetSummary); err != nil {
		return fmt.Errorf("progress: xlsx: %w", err)
	}
	if _, err := f.NewSheet(SheetDetail); err != nil {
		return fmt.Errorf("progress: xlsx: %w", err)
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return fmt.Errorf("progress: xlsx: %w", err)
	}
	title, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 13}})
	if err != nil {
		return fmt.Errorf("progress: xlsx: %w", err)
	}
	dateFmt := "dd/mm/yyyy"
	date, err := f.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt})
	if err != nil {
		return fmt.Errorf("progress: xlsx: %w", err)
	}
	var firstErr error
	set := func(sheet string, col, row int, v any, style int) {
		if s, ok := v.(string); ok {
			// A string cell is never a formula when written, but it
			// becomes one when edited or when the sheet is saved as CSV.
			v = SpreadsheetText(s)
		}
		cell, err := excelize.CoordinatesToCellName(col, row)
		if err == nil {
			err = f.SetCellValue(sheet, cell, v)
		}
		if err == nil && style != 0 {
			err = f.SetCellStyle(sheet, cell, cell, style)
		}
		if err != nil && firstErr == nil {
			firstErr = err
		}
	}

	row := 1
	set(SheetSummary, 1, row, "BÁO CÁO "+r.Title(), title)
	row++
	for _, t := range r.Summary() {
		row++
		set(SheetSummary, 1, row, t.Title, title)
		row++
		for i, h := range t.Header {
			set(SheetSummary, i+1, row, h, bold)
		}
		row++
		for _, rec := range t.Rows {
			for i, v := range rec {
				// Counts go in as numbers, so Excel can add them up; a
				// title such as "+1" or "007" stays text.
				if n, ok := count(v); ok && i > 0 {
					set(SheetSummary, i+1, row, n, 0)
				} else {
					set(SheetSummary, i+1, row, v, 0)
				}
			}
			row++
		}
	}
	widths := []float64{34, 48, 14, 14, 14, 14, 12}
	for i, wd := range widths {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(SheetSummary, col, col, wd); err != nil {
			return fmt.Errorf("progress: xlsx: %w", err)
		}
	}

	for i, h := range DetailHeader {
		set(SheetDetail, i+1, 1, h, bold)
	}
	for n, e := range r.Entries {
		rec := detailRow(e)
		for i, v := range rec {
			switch i {
			case 0:
				set(SheetDetail, 1, n+2, e.Seq, 0)
			case 1:
				// A date cell for the day in Vietnam: excelize writes the
				// wall clock of the time it is given.
				l := e.Local()
				set(SheetDetail, 2, n+2, time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, time.UTC), date)
			default:
				set(SheetDetail, i+1, n+2, v, 0)
			}
		}
	}
	detailWidths := []float64{10, 12, 8, 14, 18, 18, 60, 12, 22, 30, 16, 30, 12, 50, 18, 12}
	for i, wd := range detailWidths {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(SheetDetail, col, col, wd); err != nil {
			return fmt.Errorf("progress: xlsx: %w", err)
		}
	}
	if err := f.SetPanes(SheetDetail, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return fmt.Errorf("progress: xlsx: %w", err)
	}
	if firstErr != nil {
		return fmt.Errorf("progress: xlsx: %w", firstErr)
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("progress: xlsx: %w", err)
	}
	return nil
}
