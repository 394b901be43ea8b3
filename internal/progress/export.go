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

	"cchc/internal/locale"
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
	info := Table{Title: locale.T("report.info"), Header: []string{locale.T("report.col.item"), locale.T("report.col.value")}}
	info.Rows = append(info.Rows, []string{locale.T("report.info.year"), strconv.Itoa(r.Year)})
	if r.Plan != nil {
		info.Rows = append(info.Rows, []string{locale.T("report.info.plan"), r.Plan.Number + " — " + r.Plan.Title})
	} else {
		info.Rows = append(info.Rows, []string{locale.T("report.info.plan"), locale.T("report.info.no_plan")})
	}
	if r.Department && r.Plan != nil && r.Plan.DepartmentReport != nil {
		s := r.Plan.DepartmentReport
		info.Rows = append(info.Rows, []string{locale.T("report.info.level"), locale.T("report.info.level.department", s.Unit, s.To)})
	}
	info.Rows = append(info.Rows,
		[]string{locale.T("report.info.as_of"), vntext.Date(r.AsOf)},
		[]string{locale.T("report.info.due"), r.Due.Text()},
		[]string{locale.T("report.declared"), r.DeclaredText()},
		[]string{locale.T("report.info.made"), vntext.DateTime(r.Now)},
	)
	if d := r.DepartmentDue; d != nil {
		info.Rows = append(info.Rows, []string{locale.T("report.info.department_due"), d.Text()})
	}
	out = append(out, info)

	if len(r.Progress) > 0 {
		prog := Table{Title: locale.T("report.progress", r.AsOfText()), Header: []string{locale.T("report.col.item"), locale.T("report.col.requirement"), locale.T("report.col.level"), locale.T("report.col.result")}}
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
		out = append(out, r.activityTables()...)
	}

	totals := Table{Title: locale.T("report.totals"), Header: []string{locale.T("report.col.kind"), locale.T("publog.type.publish"), locale.T("publog.type.update"), locale.T("publog.type.withdraw"), locale.T("publog.type.republish"), locale.T("publog.type.unpublish")}}
	for _, k := range append(append([]KindTotal(nil), r.Totals...), r.Total) {
		totals.Rows = append(totals.Rows, []string{k.Label(), itoa(k.Publish), itoa(k.Update), itoa(k.Withdraw), itoa(k.Republish), itoa(k.Unpublish)})
	}
	out = append(out, totals)

	months := Table{Title: locale.T("report.months"), Header: []string{locale.T("report.col.month"), locale.T("kind.article"), locale.T("report.col.internal_target"), locale.T("report.col.level"), locale.T("report.col.items"), locale.T("report.col.updates"), locale.T("report.col.declared")}}
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

	cov := Table{Title: locale.T("report.coverage"), Header: []string{locale.T("report.col.content"), locale.T("report.col.name"), locale.T("report.quarter", "I"), locale.T("report.quarter", "II"), locale.T("report.quarter", "III"), locale.T("report.quarter", "IV"), locale.T("report.col.year")}}
	for _, row := range r.Coverage {
		line := []string{row.Area.ID, row.Area.Title}
		for _, c := range row.Cells {
			line = append(line, c.Text())
		}
		cov.Rows = append(cov.Rows, append(line, itoa(row.Total)))
	}
	out = append(out, cov)

	if len(r.Documents) > 0 {
		docs := Table{Title: locale.T("report.documents"), Header: []string{locale.T("field.number"), locale.T("report.col.state"), locale.T("report.col.cited")}}
		for _, d := range r.Documents {
			docs.Rows = append(docs.Rows, []string{d.Number, d.State(), itoa(d.Cited)})
		}
		out = append(out, docs)
	}

	procs := Table{Title: locale.T("kind.procedure"), Header: []string{locale.T("report.col.item"), locale.T("report.col.value")}}
	ps := r.Procedures
	if ps.HasList {
		procs.Rows = append(procs.Rows,
			[]string{locale.T("report.procedures.list"), ps.DecisionText()},
			[]string{locale.T("report.procedures.listed"), itoa(ps.Listed)},
			[]string{locale.T("report.published"), itoa(ps.Published)})
		for _, m := range ps.Missing {
			procs.Rows = append(procs.Rows, []string{locale.T("report.procedures.unpublished"), m.Code + " — " + m.Name})
		}
		for _, u := range ps.Unlisted {
			procs.Rows = append(procs.Rows, []string{locale.T("report.procedures.not_listed"), u.Ref + " — " + u.Title})
		}
	} else {
		procs.Rows = append(procs.Rows,
			[]string{locale.T("report.procedures.list"), locale.T("report.procedures.no_list")},
			[]string{locale.T("report.procedures.on_column"), itoa(ps.OnColumn)})
	}
	out = append(out, procs)

	gaps := Table{Title: locale.T("report.gaps"), Header: []string{locale.T("report.col.kind"), locale.T("report.col.detail")}}
	for _, g := range r.OfficialGaps() {
		gaps.Rows = append(gaps.Rows, []string{g.Kind, g.Text})
	}
	out = append(out, gaps)

	if len(r.Withdrawals) > 0 {
		wd := Table{Title: locale.T("report.withdrawals"), Header: []string{locale.T("report.col.date"), locale.T("report.col.title"), locale.T("report.col.reason")}}
		for _, e := range r.Withdrawals {
			wd.Rows = append(wd.Rows, []string{vntext.Date(e.At), e.Title, e.Note})
		}
		out = append(out, wd)
	}

	if its := r.InternalTargets(); len(its) > 0 {
		internal := Table{Title: locale.T("report.internal"), Header: []string{locale.T("report.col.item"), locale.T("report.col.target"), locale.T("report.col.source"), locale.T("report.col.level"), locale.T("report.col.result")}}
		for _, it := range its {
			internal.Rows = append(internal.Rows, []string{it.Item.ID, it.Name, it.SourceLabel(), it.Level.Label(), it.Reason})
		}
		for _, g := range r.InternalGaps() {
			internal.Rows = append(internal.Rows, []string{"", g.Kind, "", "", g.Text})
		}
		out = append(out, internal)
	}

	proof := Table{Title: locale.T("report.proof"), Header: []string{locale.T("report.col.item"), locale.T("report.col.value")}}
	proof.Rows = append(proof.Rows,
		[]string{locale.T("report.info.chain"), r.Chain.Summary()},
		// The head as of this report: written down or anchored, it pins
		// the chain the figures came from.
		[]string{locale.T("report.info.head"), r.Chain.HeadText()},
		[]string{locale.T("report.info.anchor"), r.Chain.AnchorText()},
		[]string{locale.T("report.info.delay"), r.Delay.Text()},
	)
	out = append(out, proof)
	return out
}

// Text is the cell in words: the count, or why there is none to judge.
func (c Cell) Text() string {
	if c.Level == Pending && c.Count == 0 {
		return locale.T("report.cell.pending")
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
func DetailHeader() []string {
	return []string{locale.T("report.detail.seq"), locale.T("report.col.date"), locale.T("report.detail.time"), locale.T("report.detail.event"),
		locale.T("report.detail.kind"), locale.T("report.detail.ref"), locale.T("report.col.title"), locale.T("field.plan_item"),
		locale.T("report.col.areas"), locale.T("field.author"), locale.T("report.detail.actor"), locale.T("report.col.note"),
		locale.T("report.detail.imported"), locale.T("report.detail.url"), locale.T("report.detail.logged"), locale.T("report.declared")}
}

// detailRow is one log row as text.
func detailRow(e *publog.Entry) []string {
	yes := func(v bool) string {
		if v {
			return locale.T("report.yes")
		}
		return locale.T("report.no")
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
	return writeCSV(w, locale.T("report.heading", r.Title()), r.Summary(), func(write func(...string)) {
		write()
		write(locale.T("report.detail", r.Year, r.AsOfText()))
		write(DetailHeader()...)
		for _, e := range r.Entries {
			write(detailRow(e)...)
		}
	})
}

// WriteTablesCSV writes heading and tables as WriteCSV writes a report's
// summary (byte order mark, CRLF, every text cell through
// SpreadsheetText): the province's roll-up uses it, so its CSV is the
// same kind of file as every agency's.
func WriteTablesCSV(w io.Writer, heading string, tables []Table) error {
	return writeCSV(w, heading, tables, nil)
}

// writeCSV writes heading, tables, then what tail writes.
func writeCSV(w io.Writer, heading string, tables []Table, tail func(write func(...string))) error {
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
	write(heading)
	for _, t := range tables {
		write()
		write(t.Title)
		write(t.Header...)
		for _, row := range t.Rows {
			write(row...)
		}
	}
	if tail != nil {
		tail(write)
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
	fmt.Fprintf(&b, "# %s\n\n", locale.T("report.md.heading", mdEscape(r.Title())))
	for _, t := range r.Summary() {
		fmt.Fprintf(&b, "## %s\n\n", mdEscape(t.Title))
		mdTable(&b, t.Header, t.Rows)
	}
	fmt.Fprintf(&b, "## %s\n\n", locale.T("report.detail", r.Year, r.AsOfText()))
	rows := make([][]string, len(r.Entries))
	for i, e := range r.Entries {
		rows[i] = detailRow(e)
	}
	mdTable(&b, DetailHeader(), rows)
	_, err := io.WriteString(w, b.String())
	if err != nil {
		return fmt.Errorf("progress: markdown: %w", err)
	}
	return nil
}

func mdTable(b *strings.Builder, header []string, rows [][]string) {
	if len(rows) == 0 {
		b.WriteString(locale.T("report.none") + "\n\n")
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
	fmt.Fprintf(tw, "%s\n", locale.T("report.heading", textCell(r.Title())))
	for _, t := range r.Summary() {
		fmt.Fprintf(tw, "\n%s\n", strings.ToUpper(textCell(t.Title)))
		textRows(tw, t.Header, t.Rows)
	}
	fmt.Fprintf(tw, "\n%s\n", locale.T("report.text.detail", r.Year, len(r.Entries), r.AsOfText()))
	rows := make([][]string, len(r.Entries))
	for i, e := range r.Entries {
		d := detailRow(e)
		rows[i] = []string{d[0], d[1], d[3], d[4], d[5], d[6], d[7], d[8], d[15]}
	}
	textRows(tw, []string{locale.T("report.text.seq"), locale.T("report.col.date"), locale.T("report.detail.event"), locale.T("report.col.kind"), locale.T("report.detail.ref"), locale.T("report.col.title"), locale.T("report.col.item"), locale.T("report.col.content"), locale.T("report.text.declared")}, rows)
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("progress: text: %w", err)
	}
	return nil
}

func textRows(w io.Writer, header []string, rows [][]string) {
	if len(rows) == 0 {
		fmt.Fprintln(w, locale.T("report.none"))
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
	sheetSummary = "report.sheet.summary"
	sheetDetail  = "report.sheet.detail"
)

// SheetSummary is the name of the workbook's summary sheet.
func SheetSummary() string { return locale.T(sheetSummary) }

// SheetDetail is the name of the workbook's sheet of log rows.
func SheetDetail() string { return locale.T(sheetDetail) }

// WriteXLSX writes the workbook: a summary sheet with every table of
// Summary (counts as numbers) and a detail sheet with the year's log rows,
// dates as real date cells shown dd/mm/yyyy.
func (r *Report) WriteXLSX(w io.Writer) error {
	b, err := newBook(SheetSummary())
	if err != nil {
		return err
	}
	defer b.f.Close()
	if _, err := b.f.NewSheet(SheetDetail()); err != nil {
		return fmt.Errorf("progress: xlsx: %w", err)
	}
	if err := b.tables(SheetSummary(), locale.T("report.heading", r.Title()), r.Summary(), []float64{34, 48, 14, 14, 14, 14, 12}); err != nil {
		return err
	}
	for i, h := range DetailHeader() {
		b.set(SheetDetail(), i+1, 1, h, b.bold)
	}
	for n, e := range r.Entries {
		rec := detailRow(e)
		for i, v := range rec {
			switch i {
			case 0:
				b.set(SheetDetail(), 1, n+2, e.Seq, 0)
			case 1:
				// A date cell for the day in Vietnam: excelize writes the
				// wall clock of the time it is given.
				l := e.Local()
				b.set(SheetDetail(), 2, n+2, time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, time.UTC), b.date)
			default:
				b.set(SheetDetail(), i+1, n+2, v, 0)
			}
		}
	}
	if err := b.widths(SheetDetail(), []float64{10, 12, 8, 14, 18, 18, 60, 12, 22, 30, 16, 30, 12, 50, 18, 12}); err != nil {
		return err
	}
	if err := b.f.SetPanes(SheetDetail(), &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return fmt.Errorf("progress: xlsx: %w", err)
	}
	return b.write(w)
}

// WriteTablesXLSX writes heading and tables on one sheet named sheet, as
// WriteXLSX writes a report's summary sheet (counts as numbers, text
// through SpreadsheetText), with the columns' widths in characters: the
// province's roll-up uses it.
func WriteTablesXLSX(w io.Writer, sheet, heading string, tables []Table, widths []float64) error {
	b, err := newBook(sheet)
	if err != nil {
		return err
	}
	defer b.f.Close()
	if err := b.tables(sheet, heading, tables, widths); err != nil {
		return err
	}
	return b.write(w)
}

// book is a workbook being written: its styles and the first error of
// its cells.
type book struct {
	f                 *excelize.File
	bold, title, date int
	err               error
}

// newBook starts a workbook whose first sheet is named first.
func newBook(first string) (*book, error) {
	f := excelize.NewFile()
	b := &book{f: f}
	var err error
	if err = f.SetSheetName("Sheet1", first); err == nil {
		b.bold, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	}
	if err == nil {
		b.title, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 13}})
	}
	if err == nil {
		dateFmt := "dd/mm/yyyy"
		b.date, err = f.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt})
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("progress: xlsx: %w", err)
	}
	return b, nil
}

// set writes v in a cell; the first error is kept for write.
func (b *book) set(sheet string, col, row int, v any, style int) {
	if s, ok := v.(string); ok {
		// A string cell is never a formula when written, but it
		// becomes one when edited or when the sheet is saved as CSV.
		v = SpreadsheetText(s)
	}
	cell, err := excelize.CoordinatesToCellName(col, row)
	if err == nil {
		err = b.f.SetCellValue(sheet, cell, v)
	}
	if err == nil && style != 0 {
		err = b.f.SetCellStyle(sheet, cell, cell, style)
	}
	if err != nil && b.err == nil {
		b.err = err
	}
}

// tables writes heading then each table (title, bold header, rows) down
// sheet, and sets the columns' widths.
func (b *book) tables(sheet, heading string, tables []Table, widths []float64) error {
	row := 1
	b.set(sheet, 1, row, heading, b.title)
	row++
	for _, t := range tables {
		row++
		b.set(sheet, 1, row, t.Title, b.title)
		row++
		for i, h := range t.Header {
			b.set(sheet, i+1, row, h, b.bold)
		}
		row++
		for _, rec := range t.Rows {
			for i, v := range rec {
				// Counts go in as numbers, so Excel can add them up; a
				// title such as "+1" or "007" stays text.
				if n, ok := count(v); ok && i > 0 {
					b.set(sheet, i+1, row, n, 0)
				} else {
					b.set(sheet, i+1, row, v, 0)
				}
			}
			row++
		}
	}
	return b.widths(sheet, widths)
}

func (b *book) widths(sheet string, widths []float64) error {
	for i, wd := range widths {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := b.f.SetColWidth(sheet, col, col, wd); err != nil {
			return fmt.Errorf("progress: xlsx: %w", err)
		}
	}
	return nil
}

// write writes the workbook to w, or the first error of its cells.
func (b *book) write(w io.Writer) error {
	if b.err != nil {
		return fmt.Errorf("progress: xlsx: %w", b.err)
	}
	if _, err := b.f.WriteTo(w); err != nil {
		return fmt.Errorf("progress: xlsx: %w", err)
	}
	return nil
}

// GapSentences are the gaps against what the plan asks, one paragraph a
// plan item, each kind of gap once with its count written as a report
// writes it ("(02)") and its cases after it — not one machine line a case.
func (r *Report) GapSentences() []string {
	return r.gapSentences(func(p ItemProgress) []Target { return p.Official })
}

// InternalGapSentences are the same for the internal targets.
func (r *Report) InternalGapSentences() []string {
	return r.gapSentences(func(p ItemProgress) []Target { return p.Internal })
}

func (r *Report) gapSentences(targets func(ItemProgress) []Target) []string {
	var out []string
	for _, p := range r.Progress {
		var kinds []string
		cases := map[string][]string{}
		for _, t := range targets(p) {
			for _, g := range t.Gaps {
				if cases[g.Kind] == nil {
					kinds = append(kinds, g.Kind)
				}
				cases[g.Kind] = append(cases[g.Kind], g.Text)
			}
		}
		if len(kinds) == 0 {
			continue
		}
		parts := make([]string, len(kinds))
		for i, k := range kinds {
			parts[i] = locale.T("report.gap.group", k, Count2(len(cases[k])), strings.Join(cases[k], "; "))
		}
		out = append(out, locale.T("report.gap.item", p.Item.ID, strings.Join(parts, ". ")))
	}
	return out
}

// Count2 writes a count as administrative reports do: two digits from
// one to nine ("02 bài"), 0 as is.
func Count2(n int) string {
	if n == 0 {
		return "0"
	}
	return fmt.Sprintf("%02d", n)
}

// Count2 is the same, for templates.
func (r *Report) Count2(n int) string { return Count2(n) }
