package admin

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"cchc/internal/auth"
	"cchc/internal/content"
	"cchc/internal/locale"
	"cchc/internal/publish"
	"cchc/internal/store"
	"cchc/internal/tthclist"
	"cchc/internal/web"
)

// TTHCImportPath is the workspace's import of a list from the national
// procedure database: the upload, then the editor's choice field by field.
const TTHCImportPath = "/quan-tri/nhap-tthc"

// registerTTHCImport adds the import's routes: the form and the choice for
// anyone who writes drafts, and the upload — multipart, bounded by the
// list reader's own limit — refused when too big before RequireRole reads it.
func (a *Admin) registerTTHCImport(r *gin.Engine) {
	roles := auth.RolesWith(auth.WriteDrafts)
	g := r.Group("/quan-tri", a.RequireRole(roles...))
	g.GET("/nhap-tthc", a.Handle(a.tthcForm))
	g.POST("/nhap-tthc/ap-dung", a.Handle(a.tthcApply))
	up := r.Group("/quan-tri", a.limitBody(bodyPolicy{limit: tthclist.MaxSize + uploadOverhead, multipart: true, tooBig: locale.T("admin.tthc.too_big")}),
		a.RequireRole(roles...))
	up.POST("/nhap-tthc", a.Handle(a.tthcUpload))
}

// TTHCImportPage is the import screen: the upload form, and after an
// upload what it did and what differs.
type TTHCImportPage struct {
	Layout
	// Problems are the list's bad rows (path:line: message); nothing of
	// the list was used.
	Problems []string
	FileName string
	Result   *publish.TTHCResult
	Done     bool // an upload was read
}

// EditURL is a procedure's address in the workspace.
func (p TTHCImportPage) EditURL(it *store.Item) string { return EditURL(it) }

// ChoiceName is the form name of the choice of field f of item id.
func (p TTHCImportPage) ChoiceName(id int64, f string) string {
	return fmt.Sprintf("gia-tri-%d-%s", id, f)
}

func (a *Admin) tthcForm(c *gin.Context) error {
	return a.Render(c, http.StatusOK, "tthc-import", TTHCImportPage{Layout: a.Layout(c, locale.T("admin.tthc.title"), "thu-tuc")})
}

// tthcUpload is POST /quan-tri/nhap-tthc: the list is read by
// internal/tthclist; a list with problems comes back (422) with every
// problem and nothing done; otherwise codes the column lacks become
// drafts and the procedures that differ are shown field by field.
func (a *Admin) tthcUpload(c *gin.Context) error {
	page := TTHCImportPage{Layout: a.Layout(c, locale.T("admin.tthc.title"), "thu-tuc")}
	fh, err := c.FormFile("file")
	if err != nil {
		page.Problems = []string{locale.T("admin.tthc.no_file")}
		return a.Render(c, http.StatusUnprocessableEntity, "tthc-import", page)
	}
	name := strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r < ' ' || r == 0x7f {
			return '_'
		}
		return r
	}, fh.Filename)
	page.FileName = name
	if fh.Size > tthclist.MaxSize {
		page.Problems = []string{locale.T("admin.tthc.too_big")}
		return a.Render(c, http.StatusUnprocessableEntity, "tthc-import", page)
	}
	f, err := fh.Open()
	if err != nil {
		return err
	}
	data := make([]byte, fh.Size) // at most MaxSize, checked above
	_, err = io.ReadFull(f, data)
	f.Close()
	if err != nil {
		return err
	}
	list, err := tthclist.Parse(name, data)
	var es tthclist.Errors
	if errors.As(err, &es) {
		for _, e := range es {
			page.Problems = append(page.Problems, e.Error())
		}
		return a.Render(c, http.StatusUnprocessableEntity, "tthc-import", page)
	} else if err != nil {
		return err
	}
	res, err := a.pub.ImportTTHC(c.Request.Context(), actor(c), name, list)
	if err != nil {
		return err
	}
	page.Result, page.Done = res, true
	return a.Render(c, http.StatusOK, "tthc-import", page)
}

// tthcApply is POST /quan-tri/nhap-tthc/ap-dung: for each procedure, the
// fields the editor ticked take the list's value (sent back with the
// form), saved as an edit of the version shown — a procedure changed
// meanwhile is left as it is and named. Each procedure is its own save.
func (a *Admin) tthcApply(c *gin.Context) error {
	ctx := c.Request.Context()
	chosen := map[int64][]string{}
	var order []int64
	for _, v := range c.PostFormArray("chon") {
		ids, field, ok := strings.Cut(v, ":")
		id, err := strconv.ParseInt(ids, 10, 64)
		if !ok || err != nil || id <= 0 {
			return web.BadRequest(locale.T("admin.tthc.bad_choice"))
		}
		if _, ok := a.pub.Schema().Field(content.Procedure, field); !ok || !publish.TTHCSets(field) {
			return web.BadRequest(locale.T("admin.tthc.bad_choice"))
		}
		if _, seen := chosen[id]; !seen {
			order = append(order, id)
		}
		chosen[id] = append(chosen[id], field)
	}
	if len(order) == 0 {
		return a.Redirect(c, TTHCImportPath, locale.T("admin.tthc.nothing_chosen"))
	}
	var done, problems []string
	for _, id := range order {
		cur, err := a.itemByID(c, id)
		if errors.Is(err, store.ErrNotFound) || (err == nil && cur.Kind != content.Procedure) {
			return web.NotFound()
		}
		if err != nil {
			return err
		}
		version, err := strconv.Atoi(c.PostForm(fmt.Sprintf("phien-ban-%d", id)))
		if err != nil {
			return web.BadRequest(locale.T("admin.tthc.bad_choice"))
		}
		it := cur.Item
		for _, f := range chosen[id] {
			row, _ := a.pub.Schema().Field(content.Procedure, f)
			row.Set(&it, c.PostForm(fmt.Sprintf("gia-tri-%d-%s", id, f)))
		}
		_, _, err = a.pub.Save(ctx, actor(c), publish.SaveRequest{ID: id, Version: version, Item: it})
		var ce *publish.ConflictError
		var ve content.Errors
		switch {
		case err == nil:
			done = append(done, cur.Code)
		case errors.As(err, &ce):
			problems = append(problems, locale.T("admin.tthc.conflict", cur.Code))
		case errors.As(err, &ve):
			problems = append(problems, locale.T("admin.tthc.invalid", cur.Code, ve[0].Msg))
		case errors.Is(err, auth.ErrForbidden), errors.Is(err, auth.ErrState):
			problems = append(problems, locale.T("admin.tthc.forbidden", cur.Code))
		default:
			return err
		}
	}
	var msg []string
	if len(done) > 0 {
		msg = append(msg, locale.T("admin.tthc.applied", len(done), strings.Join(done, ", ")))
	}
	return a.Redirect(c, TTHCImportPath, strings.Join(append(msg, problems...), " "))
}
