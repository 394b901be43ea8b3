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
// without the log rows.
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
		[]string{"Hạn báo cáo", r.Due.Text()},
		[]string{"Tin bài tính chỉ tiêu trong năm", strconv.Itoa(r.ArticleTotal())},
		[]string{"Độ trễ trung vị từ ngày ban hành đến ngày đăng tải văn bản", r.Delay.Text()},
		[]string{"Chuỗi nhật ký", r.Chain.Summary()},
		// The head as of this report: written down or anchored, it pins
		// the chain the figures came from.
		[]string{"Hàng cuối chuỗi khi lập báo cáo", r.Chain.HeadText()},
		[]string{"Lập báo cáo lúc", vntext.DateTime(r.Now)},
		[]string{"Mốc kiểm chứng gần nhất", r.Chain.AnchorText()},
	)
	out = append(out, info)

	totals := Table{Title: "Tổng số theo loại nội dung", Header: []string{"Loại", "Xuất bản", "Cập nhật", "Gỡ xuống", "Đăng lại", "Hủy xuất bản"}}
	for _, k := range append(append([]KindTotal(nil), r.Totals...), r.Total) {
		totals.Rows = append(totals.Rows, []string{k.Label(), itoa(k.Publish), itoa(k.Update), itoa(k.Withdraw), itoa(k.Republish), itoa(k.Unpublish)})
	}
	out = append(out, totals)

	months := Table{Title: "Số mục đăng tải theo tháng", Header: []string{"Tháng", "Tin bài (chỉ tiêu tháng)", "Chỉ tiêu", "Đánh giá", "Tất cả mục"}}
	for _, a := range r.Areas {
		months.Header = append(months.Header, a.ID)
	}
	for _, m := range r.Months {
		row := []string{m.Name(), itoa(m.Articles), itoa(m.Target), m.Level.Label(), itoa(m.Items)}
		for _, n := range m.ByArea {
			row = append(row, itoa(n))
		}
		months.Rows = append(months.Rows, row)
	}
	out = append(out, months)

	if len(r.Progress) > 0 {
		prog := Table{Title: "Tiến độ theo mục kế hoạch", Header: []string{"Mục", "Nội dung", "Đánh giá", "Lý do"}}
		for _, p := range r.Progress {
			prog.Rows = append(prog.Rows, []string{p.Item.ID, p.Item.Title, p.Level.Label(), p.Reason})
		}
		out = append(out, prog)
	}

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
	procs.Rows = append(procs.Rows,
		[]string{"Trong danh mục", itoa(r.Procedures.Total)},
		[]string{"Đã đăng tải", itoa(r.Procedures.Published)})
	for _, p := range r.Procedures.Missing {
		procs.Rows = append(procs.Rows, []string{"Chưa đăng tải", p.Ref + " — " + p.Title})
	}
	out = append(out, procs)

	gaps := Table{Title: "Những việc còn thiếu", Header: []string{"Loại", "Chi tiết"}}
	for _, g := range r.GapLines() {
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

// GapLines lists the gaps in words, in the order the dashboard shows them.
func (r *Report) GapLines() []GapLine {
	var out []GapLine
	for _, m := range r.Gaps.Months {
		out = append(out, GapLine{"Tháng dưới chỉ tiêu", fmt.Sprintf("Tháng %02d/%d: %d tin bài, chỉ tiêu %d", m.Month, r.Year, m.Articles, m.Target)})
	}
	for _, g := range r.Gaps.Areas {
		out = append(out, GapLine{"Nội dung chưa có bài trong quý", fmt.Sprintf("Quý %s: %s %s (%d/%d bài)", roman(g.Quarter), g.Area.ID, g.Area.Title, g.Count, g.Need)})
	}
	for _, d := range r.Gaps.MissingDocuments {
		out = append(out, GapLine{"Văn bản chưa có trong cơ sở dữ liệu", d.Number})
	}
	for _, d := range r.Gaps.UnpublishedDocuments {
		out = append(out, GapLine{"Văn bản chưa đăng tải", d.Number + " — " + d.Item.Title})
	}
	for _, d := range r.Gaps.UncitedDocuments {
		out = append(out, GapLine{"Văn bản chưa được tin bài nào dẫn chiếu", d.Number + " — " + d.Item.Title})
	}
	for _, p := range r.Gaps.UnpublishedProcedures {
		out = append(out, GapLine{"Thủ tục chưa đăng tải", p.Ref + " — " + p.Title})
	}
	return out
}

func roman(q int) string {
	return [...]string{"", "I", "II", "III", "IV"}[q]
}

func itoa(n int) string { return strconv.Itoa(n) }

// DetailHeader is the header of the log rows table.
var DetailHeader = []string{"Số thứ tự", "Ngày", "Giờ", "Sự kiện", "Loại nội dung", "Số/mã", "Tiêu đề", "Mục kế hoạch", "Nội dung tuyên truyền", "Tác giả", "Người thực hiện", "Ghi chú", "Nhập từ tệp", "Đường dẫn"}

// detailRow is one log row as text.
func detailRow(e *publog.Entry) []string {
	imported := "Không"
	if e.Imported {
		imported = "Có"
	}
	return []string{strconv.FormatInt(e.Seq, 10), vntext.Date(e.At), e.Local().Format("15:04"), e.TypeLabel(), e.Kind.Label(), e.Ref, e.Title,
		e.PlanItem, strings.Join(e.Areas, ", "), e.Author, e.Actor, e.Note, imported, e.URL}
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
	write("Chi tiết nhật ký xuất bản năm " + itoa(r.Year))
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
	fmt.Fprintf(&b, "## Chi tiết nhật ký xuất bản năm %d\n\n", r.Year)
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
	fmt.Fprintf(tw, "\nCHI TIẾT NHẬT KÝ XUẤT BẢN NĂM %d (%d hàng)\n", r.Year, len(r.Entries))
	rows := make([][]string, len(r.Entries))
	for i, e := range r.Entries {
		d := detailRow(e)
		rows[i] = []string{d[0], d[1], d[3], d[4], d[5], d[6], d[7], d[8]}
	}
	textRows(tw, []string{"STT", "Ngày", "Sự kiện", "Loại", "Số/mã", "Tiêu đề", "Mục", "Nội dung"}, rows)
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
	detailWidths := []float64{10, 12, 8, 14, 18, 18, 60, 12, 22, 30, 16, 30, 12, 50}
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
