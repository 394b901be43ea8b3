package admin

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"cchc/internal/auth"
	"cchc/internal/content"
	"cchc/internal/locale"
	"cchc/internal/store"
	"cchc/internal/web"
)

// RevisionRow is one revision in the history list.
type RevisionRow struct {
	store.Revision
	Current    bool // the item's content now
	From, To   bool // preselected for comparison
	RestoreURL string
}

// RevisionsPageSize is the number of revisions on one page of an item's
// history: an item saved every working day for years has thousands.
const RevisionsPageSize = 50

// RevisionsPage is an item's history: every save, newest first, a page at
// a time.
type RevisionsPage struct {
	Layout
	Item       *store.Item
	EditURL    string
	DiffURL    string
	Rows       []RevisionRow
	Pager      Pager
	CanRestore bool
	Version    int
}

func (a *Admin) revisions(k content.Kind) web.HandlerFunc {
	return func(c *gin.Context) error {
		ctx := c.Request.Context()
		it, err := a.loadItem(c, k)
		if err != nil {
			return err
		}
		n, err := PageNumber(c)
		if err != nil {
			return err
		}
		revs, total, err := a.store.RevisionList(ctx, it.ID, RevisionsPageSize, (n-1)*RevisionsPageSize)
		if err != nil {
			return err
		}
		pager := NewPager(n, total, RevisionsPageSize, EditURL(it)+"/lich-su")
		if n > pager.Pages { // Pages is at least 1
			return web.NotFound()
		}
		// The newest revision is the item's content now; the comparison
		// starts preselected from the one before it to it.
		newest := 0
		if last, err := a.store.LastRevision(ctx, it.ID); err == nil {
			newest = last.N
		} else if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		page := RevisionsPage{Layout: a.Layout(c, locale.T("admin.revisions.title", it.Title), kindSegment(k)), Item: it,
			EditURL: EditURL(it), DiffURL: EditURL(it) + "/so-sanh", Version: it.Version, Pager: pager,
			CanRestore: a.can(CurrentUser(c), it, auth.ActSave)}
		for _, r := range revs {
			page.Rows = append(page.Rows, RevisionRow{Revision: r, Current: r.N == newest, To: r.N == newest, From: r.N == max(newest-1, 1),
				RestoreURL: EditURL(it) + "/lich-su/" + strconv.Itoa(r.N) + "/khoi-phuc"})
		}
		return a.Render(c, http.StatusOK, "revisions", page)
	}
}

// revisionItem is the item as revision r saved it.
func revisionItem(r *store.Revision) (content.Item, error) {
	var it content.Item
	if err := json.Unmarshal([]byte(r.Meta), &it); err != nil {
		return it, fmt.Errorf("admin: revision %d of item %d: %w", r.N, r.ItemID, err)
	}
	it.Body = r.Body
	return it, nil
}

// RevisionDiffPage compares two revisions of an item.
type RevisionDiffPage struct {
	Layout
	Item       *store.Item
	EditURL    string
	HistoryURL string
	From, To   *store.Revision
	Lines      []DiffLine
	Changed    bool
}

func (a *Admin) revisionDiff(k content.Kind) web.HandlerFunc {
	return func(c *gin.Context) error {
		ctx := c.Request.Context()
		it, err := a.loadItem(c, k)
		if err != nil {
			return err
		}
		last, err := a.store.LastRevision(ctx, it.ID)
		if err != nil {
			return err
		}
		// Only the two revisions compared are read, with their texts.
		pick := func(param string, def int) (*store.Revision, error) {
			n := def
			if v := c.Query(param); v != "" {
				var err error
				if n, err = strconv.Atoi(v); err != nil {
					return nil, web.BadRequest(locale.T("admin.revisions.bad_number"))
				}
			}
			return a.store.Revision(ctx, it.ID, n)
		}
		to, err := pick("den", last.N)
		if err != nil {
			return err
		}
		from, err := pick("tu", max(to.N-1, 1))
		if err != nil {
			return err
		}
		if from.N > to.N {
			from, to = to, from
		}
		a1, err := revisionItem(from)
		if err != nil {
			return err
		}
		b1, err := revisionItem(to)
		if err != nil {
			return err
		}
		sc := a.pub.Schema()
		lines := diffLines(itemText(sc, &a1), itemText(sc, &b1))
		page := RevisionDiffPage{Layout: a.Layout(c, locale.T("admin.revisions.diff_title", from.N, to.N), kindSegment(k)),
			Item: it, EditURL: EditURL(it), HistoryURL: EditURL(it) + "/lich-su", From: from, To: to,
			Lines: withContext(lines, 3), Changed: changed(lines)}
		return a.Render(c, http.StatusOK, "revision-diff", page)
	}
}

func (a *Admin) revisionRestore(k content.Kind) web.HandlerFunc {
	return func(c *gin.Context) error {
		ctx := c.Request.Context()
		u := CurrentUser(c)
		it, err := a.loadItem(c, k)
		if err != nil {
			return err
		}
		n, err := strconv.Atoi(c.Param("n"))
		if err != nil || n <= 0 {
			return web.NotFound()
		}
		if err := a.pub.Allowed(u.Role, auth.ActSave, it); err != nil {
			return saveRefused(err, it)
		}
		version, _ := strconv.Atoi(c.PostForm("version"))
		saved, _, err := a.pub.RestoreRevision(ctx, actor(c), it.ID, version, n)
		var ce content.Errors
		switch {
		case errors.As(err, &ce):
			msgs := make([]string, len(ce))
			for i, e := range ce {
				msgs[i] = sentence(e.Msg)
			}
			return &web.Error{Status: http.StatusUnprocessableEntity,
				Message: locale.T("admin.revisions.restore_failed", n, strings.Join(msgs, " "))}
		case err != nil:
			return workflowError(err)
		}
		return a.Redirect(c, EditURL(saved), locale.T("admin.done.revision_restore", n))
	}
}

// itemText is an item as lines to compare: "Label: value" for each field
// of its form that has a value, then its body.
func itemText(s *content.Schema, it *content.Item) []string {
	v := itemValues(s, it)
	var out []string
	for _, f := range formFields(s, it.Kind) {
		vals := v[f.Name]
		if len(vals) == 0 {
			continue
		}
		s := strings.Join(vals, ", ")
		if f.Widget == content.WidgetLines {
			s = strings.ReplaceAll(s, "\n", "; ")
		}
		out = append(out, f.Label+": "+strings.ReplaceAll(s, "\n", " ⏎ "))
	}
	out = append(out, "", locale.T("admin.revisions.body_marker"))
	if it.Body != "" {
		out = append(out, strings.Split(strings.TrimRight(it.Body, "\n"), "\n")...)
	}
	return out
}

// ConflictPage answers a save of an item that someone else changed since
// the editor opened it (409): the form again with what they typed, ready
// to be saved over the current version, the current version with who
// saved it and when, and the differences between the two.
type ConflictPage struct {
	*ItemFormPage
	Current      *store.Item
	CurrentActor string
	CurrentAt    time.Time
	CurrentText  []string
	Lines        []DiffLine
}

func (a *Admin) renderConflict(c *gin.Context, k content.Kind, cur *store.Item, typed content.Item, values url.Values) error {
	// Re-read: the caller's copy may be older than what won.
	if fresh, err := a.store.ItemByID(c.Request.Context(), cur.ID); err == nil {
		cur = fresh
	}
	form, err := a.itemFormPage(c, k, formState{item: cur, values: values, version: cur.Version})
	if err != nil {
		return err
	}
	form.Title = locale.T("admin.conflict.title")
	page := ConflictPage{ItemFormPage: form, Current: cur, CurrentText: itemText(a.pub.Schema(), &cur.Item), CurrentAt: cur.Modified}
	if rev, err := a.store.LastRevision(c.Request.Context(), cur.ID); err == nil {
		page.CurrentActor, page.CurrentAt = rev.Actor, rev.Created
	}
	typed.Kind = k
	page.Lines = withContext(diffLines(page.CurrentText, itemText(a.pub.Schema(), &typed)), 3)
	return a.Render(c, http.StatusConflict, "item-conflict", page)
}

// DiffLine is one line of a comparison.
type DiffLine struct {
	Op       string // "same", "del" (only in the old), "ins" (only in the new), "gap" (unchanged lines left out)
	Text     string
	Old, New int // 1-based line numbers; 0 when the line is not on that side
}

// maxDiffCells bounds the table of the line comparison (old × new lines
// left after the common start and end are set aside): beyond it the
// differing middle is shown as removed then added, which is still
// correct, only less precise.
const maxDiffCells = 4 << 20

// diffLines compares two texts line by line (longest common subsequence)
// and returns every line of both, in order.
func diffLines(a, b []string) []DiffLine {
	var out []DiffLine
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		out = append(out, DiffLine{Op: "same", Text: a[pre], Old: pre + 1, New: pre + 1})
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	ma, mb := a[pre:len(a)-suf], b[pre:len(b)-suf]
	n, m := len(ma), len(mb)
	if n > 0 && m > 0 && n*m <= maxDiffCells {
		// lcs[i][j] is the length of the common subsequence of ma[i:] and mb[j:].
		w := m + 1
		lcs := make([]int32, (n+1)*w)
		for i := n - 1; i >= 0; i-- {
			for j := m - 1; j >= 0; j-- {
				if ma[i] == mb[j] {
					lcs[i*w+j] = lcs[(i+1)*w+j+1] + 1
				} else {
					lcs[i*w+j] = max(lcs[(i+1)*w+j], lcs[i*w+j+1])
				}
			}
		}
		i, j := 0, 0
		for i < n && j < m {
			switch {
			case ma[i] == mb[j]:
				out = append(out, DiffLine{Op: "same", Text: ma[i], Old: pre + i + 1, New: pre + j + 1})
				i++
				j++
			case lcs[(i+1)*w+j] >= lcs[i*w+j+1]:
				out = append(out, DiffLine{Op: "del", Text: ma[i], Old: pre + i + 1})
				i++
			default:
				out = append(out, DiffLine{Op: "ins", Text: mb[j], New: pre + j + 1})
				j++
			}
		}
		for ; i < n; i++ {
			out = append(out, DiffLine{Op: "del", Text: ma[i], Old: pre + i + 1})
		}
		for ; j < m; j++ {
			out = append(out, DiffLine{Op: "ins", Text: mb[j], New: pre + j + 1})
		}
	} else {
		for i, s := range ma {
			out = append(out, DiffLine{Op: "del", Text: s, Old: pre + i + 1})
		}
		for j, s := range mb {
			out = append(out, DiffLine{Op: "ins", Text: s, New: pre + j + 1})
		}
	}
	for k := 0; k < suf; k++ {
		out = append(out, DiffLine{Op: "same", Text: a[len(a)-suf+k], Old: len(a) - suf + k + 1, New: len(b) - suf + k + 1})
	}
	return out
}

// changed reports whether a comparison found any difference.
func changed(lines []DiffLine) bool {
	for _, l := range lines {
		if l.Op != "same" {
			return true
		}
	}
	return false
}

// withContext keeps the changed lines and n unchanged lines around each,
// replacing each longer run of unchanged lines with one "gap" line.
func withContext(lines []DiffLine, n int) []DiffLine {
	keep := make([]bool, len(lines))
	for i, l := range lines {
		if l.Op == "same" {
			continue
		}
		for j := max(0, i-n); j <= min(len(lines)-1, i+n); j++ {
			keep[j] = true
		}
	}
	var out []DiffLine
	skipped := 0
	for i, l := range lines {
		if keep[i] {
			if skipped > 0 {
				out = append(out, DiffLine{Op: "gap", Text: locale.T("admin.revisions.unchanged_lines", skipped)})
				skipped = 0
			}
			out = append(out, l)
			continue
		}
		skipped++
	}
	if skipped > 0 && len(out) > 0 {
		out = append(out, DiffLine{Op: "gap", Text: locale.T("admin.revisions.unchanged_lines", skipped)})
	}
	return out
}
