package admin

import (
	"database/sql"
	"errors"
	"io"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"cchc/internal/auth"
	"cchc/internal/locale"
	"cchc/internal/media"
	"cchc/internal/store"
	"cchc/internal/web"
)

// mediaRoot is the media library screen (items.go calls it mediaRoot for
// the editor's link; one name each, so neither file depends on the other).
const mediaRoot = "/quan-tri/tep"

// mediaPageSize is the number of files on one page of the library.
const mediaPageSize = 30

// uploadOverhead is what an upload's body may carry beside the file: the
// multipart boundaries and headers, the form token and the alt text.
const uploadOverhead = 64 << 10

// MaxUploadBody is the largest upload body accepted: the largest file of
// any type plus the form around it.
const MaxUploadBody = media.MaxBytes + uploadOverhead

// registerMedia adds the library's routes: the list and a file's page for
// editors and up, and the upload — the one route that takes multipart
// bodies — whose oversized body is refused before RequireRole starts
// reading it.
func (a *Admin) registerMedia(r *gin.Engine, editors *gin.RouterGroup) {
	editors.GET("/tep", a.Handle(a.mediaList))
	editors.GET("/tep/:name", a.Handle(a.mediaFile))
	uploads := r.Group("/quan-tri", a.limitBody(bodyPolicy{limit: a.maxUpload, multipart: true, tooBig: locale.T("admin.media.upload_too_big")}),
		a.RequireRole(auth.AtLeast(auth.Editor)...))
	uploads.POST("/tep", a.Handle(a.mediaUpload))
}

// MediaItem is one file of the library as the screens show it.
type MediaItem struct {
	*store.Media
	Type media.Type
	URL  string
	Size string // "245 KB"
	// Markdown is what to paste into a body: the image, or a download link.
	Markdown string
}

func mediaItem(m *store.Media) MediaItem {
	t, _ := media.NameType(m.Name)
	it := MediaItem{Media: m, Type: t, URL: media.URL(m.Name), Size: media.HumanSize(m.Size)}
	if t.Image {
		it.Markdown = media.ImageMarkdown(m.Name, m.Alt)
	} else {
		it.Markdown = media.LinkMarkdown(m.Name, m.OriginalName)
	}
	return it
}

// MediaPage is the library: the upload form and the files, newest first.
type MediaPage struct {
	Layout
	Files []MediaItem
	Pager Pager
	// The upload form, shown again after a refusal with what was typed.
	Alt       Input
	FileError string
	FileName  string // the file chosen before a refusal (browsers cannot keep it)
	HasErrors bool
	Accept    string
}

// MediaFilePage shows one file with the Markdown and file: value to use.
type MediaFilePage struct {
	Layout
	File MediaItem
}

func (a *Admin) mediaList(c *gin.Context) error {
	return a.renderMedia(c, http.StatusOK, "", "", FieldErrors{})
}

func (a *Admin) renderMedia(c *gin.Context, status int, alt, fileName string, errs FieldErrors) error {
	n, err := PageNumber(c)
	if err != nil {
		return err
	}
	list, total, err := a.store.MediaFiles(c.Request.Context(), mediaPageSize, (n-1)*mediaPageSize)
	if err != nil {
		return err
	}
	pager := NewPager(n, total, mediaPageSize, mediaRoot)
	if n > pager.Pages && status == http.StatusOK {
		// A page past the last is not found, as in the workspace's lists;
		// a refused upload still comes back with what was typed.
		return web.NotFound()
	}
	page := MediaPage{Layout: a.Layout(c, locale.T("admin.media.title"), "media"), Pager: pager,
		Alt: Input{Name: "alt", Label: locale.T("admin.media.alt"),
			Hint:  locale.T("admin.media.alt.hint"),
			Value: alt, Error: errs["alt"]},
		FileError: errs["file"], FileName: fileName, HasErrors: len(errs) > 0,
		Accept: ".jpg,.jpeg,.png,.gif,.webp,.pdf,.docx,.xlsx"}
	for _, m := range list {
		page.Files = append(page.Files, mediaItem(m))
	}
	return a.Render(c, status, "media", page)
}

func (a *Admin) mediaFile(c *gin.Context) error {
	name := c.Param("name")
	if !media.ValidName(name) {
		return web.NotFound()
	}
	// A file the agency does not own (first uploader or since, through
	// media_owners) is not found, as another agency's items are.
	m, err := a.store.MediaFile(c.Request.Context(), name)
	if errors.Is(err, store.ErrNotFound) {
		return web.NotFound()
	}
	if err != nil {
		return err
	}
	return a.Render(c, http.StatusOK, "media-file", MediaFilePage{Layout: a.Layout(c, locale.T("admin.media.file_title", m.OriginalName), "media"), File: mediaItem(m)})
}

// mediaUpload stores one uploaded file. The file is checked from its bytes
// before anything is written; an image needs its alt text; a refusal shows
// the form again (422) with the alt text typed and the reason.
func (a *Admin) mediaUpload(c *gin.Context) error {
	ctx := c.Request.Context()
	me := CurrentUser(c)
	alt := c.PostForm("alt")
	errs := FieldErrors{}
	fh, err := c.FormFile("file")
	if err != nil {
		errs["file"] = locale.T("admin.media.no_file")
		return a.renderMedia(c, http.StatusUnprocessableEntity, alt, "", errs)
	}
	shownName := media.CleanName(fh.Filename, media.Type{})
	if fh.Size > media.MaxBytes {
		errs["file"] = locale.T("admin.media.upload_too_big")
		return a.renderMedia(c, http.StatusUnprocessableEntity, alt, shownName, errs)
	}
	f, err := fh.Open()
	if err != nil {
		return err
	}
	// Exactly the file's size (checked above), never a growing buffer.
	data := make([]byte, fh.Size)
	_, err = io.ReadFull(f, data)
	f.Close()
	if err != nil {
		return err
	}
	t, err := media.Check(fh.Filename, data)
	var me2 *media.Error
	if errors.As(err, &me2) {
		errs["file"] = me2.Msg
	} else if err != nil {
		return err
	}
	clean := media.CleanAlt(alt)
	switch {
	case err == nil && t.Image && clean == "":
		errs["alt"] = locale.T("admin.media.alt.required")
	case utf8.RuneCountInString(clean) > media.MaxAltLen:
		errs["alt"] = locale.T("admin.media.alt.too_long", media.MaxAltLen)
	}
	if len(errs) > 0 {
		return a.renderMedia(c, http.StatusUnprocessableEntity, alt, shownName, errs)
	}
	if !t.Image {
		clean = ""
	}
	m, err := media.New(a.store, a.now).Write(media.Upload{FileName: fh.Filename, Data: data, Alt: clean, By: me.Name})
	if err != nil {
		return err
	}
	err = a.store.Tx(ctx, func(tx *sql.Tx) error {
		// The same bytes in another agency's library are one file (its
		// name is their hash): PutMedia makes this agency an owner too
		// (media_owners) and leaves the first owner's row as it was.
		if err := a.store.PutMedia(ctx, tx, m); err != nil {
			return err
		}
		return a.store.Audit(ctx, tx, store.AuditEntry{At: a.now(), Actor: me.Name, Action: store.AuditUpload,
			Target: "media:" + m.Name, Detail: m.OriginalName, Address: clientAddr(c)})
	})
	if err != nil {
		return err
	}
	return a.Redirect(c, mediaRoot+"/"+m.Name, locale.T("admin.done.upload", strings.TrimSpace(m.OriginalName)))
}
