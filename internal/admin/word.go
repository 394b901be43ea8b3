package admin

import (
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"cchc/internal/auth"
	"cchc/internal/content"
	"cchc/internal/docx"
	"cchc/internal/locale"
	"cchc/internal/media"
	"cchc/internal/store"
	"cchc/internal/web"
)

// WordImportPath is the editor's *Nhập từ Word*: the item form posted
// with a .docx (multipart), shown again with the document as its body.
// Nothing is saved but the document's images, which go to the media
// library; the item is saved when the editor presses Lưu. The kind is the
// query's loai (the kind's admin segment, "bai-viet"); an edit carries
// the item's id and version in the form, as a save does.
const WordImportPath = "/quan-tri/nhap-word"

// MaxWordBytes is the largest .docx the editor takes: the media library's
// limit for a Word file.
const MaxWordBytes = media.MaxDocumentBytes

// wordConversions is how many .docx files are read at once. Reading one
// may decompress up to docx.DefaultLimits.TotalBytes (64 MiB) into
// memory; more requests wait their turn (or their client's patience), so
// a burst of uploads costs at most this many documents' memory.
const wordConversions = 2

// registerWordImport adds the Word import: multipart, bounded by the
// largest .docx plus the whole item form around it, refused when declared
// larger before RequireRole reads a byte. Editors and up, as the forms it
// serves and the library it writes to.
func (a *Admin) registerWordImport(r *gin.Engine) {
	up := r.Group("/quan-tri", a.limitBody(bodyPolicy{limit: MaxWordBytes + a.maxForm + uploadOverhead, multipart: true, tooBig: locale.T("admin.word.too_big")}),
		a.RequireRole(auth.AtLeast(auth.Editor)...))
	up.POST("/nhap-word", a.Handle(a.wordImport))
}

// WordURL is where kind k's form posts a .docx.
func WordURL(k content.Kind) string {
	return WordImportPath + "?loai=" + url.QueryEscape(kindSegment(k))
}

// WordResult is what an import did, shown above the form.
type WordResult struct {
	FileName string
	// Appended says the document went after a body already typed.
	Appended bool
	// NoAlt are the images stored without alt text: the body shows them as
	// ![](/tep/NAME) and a save is refused until each has its text.
	NoAlt []string
	// Skipped are the images the library refused (a type it does not
	// take), each with the reason; they are left out of the body.
	Skipped []string
	Images  int // images stored
}

// emptyAltImage finds an image without alt text in a body: what the Word
// import writes for an image the document did not describe.
var emptyAltImage = regexp.MustCompile(`!\[[ \t]*\]\(`)

// missingAlt is the form's message for a body with images without alt
// text, "" when there are none.
func missingAlt(body string) string {
	if n := len(emptyAltImage.FindAllStringIndex(body, -1)); n > 0 {
		return locale.T("admin.word.alt_missing", n)
	}
	return ""
}

func kindBySegment(seg string) (content.Kind, bool) {
	for _, k := range itemKinds {
		if kindSegment(k) == seg {
			return k, true
		}
	}
	return "", false
}

// wordImport is POST /quan-tri/nhap-word?loai=KIND: the item form with a
// .docx in the field docx. Everything typed comes back in the form; the
// document becomes the body (after the body typed, if any); its images
// are stored in the library. A file that is not a readable .docx comes
// back as the form (422) with the reason on the file field.
func (a *Admin) wordImport(c *gin.Context) error {
	k, ok := kindBySegment(c.Query("loai"))
	if !ok {
		return web.NotFound()
	}
	u := CurrentUser(c)
	values := c.Request.PostForm
	st := formState{values: values, errs: FieldErrors{}}
	if ids := values.Get("id"); ids != "" {
		id, err := strconv.ParseInt(ids, 10, 64)
		if err != nil || id <= 0 {
			return web.NotFound()
		}
		it, err := a.itemByID(c, id)
		if err != nil {
			return err
		}
		if it.Kind != k {
			return web.NotFound()
		}
		if err := a.pub.Allowed(u.Role, auth.ActSave, it); err != nil {
			return saveRefused(err, it)
		}
		st.item = it
		st.version, _ = strconv.Atoi(values.Get("version"))
	} else if err := a.pub.Allowed(u.Role, auth.ActSave, nil); err != nil {
		return workflowError(err)
	}
	res, msg, err := a.readWord(c, values)
	if err != nil {
		return err
	}
	if msg != "" {
		st.errs["docx"] = msg
		return a.renderWordForm(c, http.StatusUnprocessableEntity, k, st, nil)
	}
	return a.renderWordForm(c, http.StatusOK, k, st, res)
}

// renderWordForm draws the form after an import, with its result.
func (a *Admin) renderWordForm(c *gin.Context, status int, k content.Kind, st formState, res *WordResult) error {
	page, err := a.itemFormPage(c, k, st)
	if err != nil {
		return err
	}
	page.Word = res
	return a.Render(c, status, "item-form", page)
}

// readWord reads the posted .docx into values' body and stores its
// images. A problem with the file is msg (Vietnamese), with nothing
// stored and values unchanged.
func (a *Admin) readWord(c *gin.Context, values url.Values) (*WordResult, string, error) {
	fh, err := c.FormFile("docx")
	if err != nil || fh.Size == 0 {
		return nil, locale.T("admin.word.no_file"), nil
	}
	res := &WordResult{FileName: media.CleanName(fh.Filename, media.Type{})}
	if fh.Size > MaxWordBytes {
		return nil, locale.T("admin.word.too_big"), nil
	}
	lower := strings.ToLower(fh.Filename)
	if strings.HasSuffix(lower, ".docm") || strings.HasSuffix(lower, ".dotm") {
		return nil, locale.T("admin.word.macros"), nil
	}
	f, err := fh.Open()
	if err != nil {
		return nil, "", err
	}
	defer f.Close()
	doc, err := a.convertWord(c.Request.Context(), f, fh.Size)
	if err != nil {
		if msg := wordMessage(err); msg != "" {
			a.log.Info("word import refused", slog.String("file", res.FileName), slog.Any("err", err))
			return nil, msg, nil
		}
		return nil, "", err
	}
	stored := map[string]*store.Media{}
	var rows []*store.Media
	lib := media.New(a.store, a.now)
	for _, img := range doc.Images {
		alt := media.CleanAlt(img.Alt)
		if utf8.RuneCountInString(alt) > media.MaxAltLen {
			alt = string([]rune(alt)[:media.MaxAltLen])
		}
		m, err := lib.Write(media.Upload{FileName: img.Name, Data: img.Data, Alt: alt, By: CurrentUser(c).Name})
		var me *media.Error
		if errors.As(err, &me) {
			res.Skipped = append(res.Skipped, locale.T("admin.word.image_skipped", img.Name, me.Msg))
			continue
		} else if err != nil {
			return nil, "", err
		}
		stored[img.Placeholder] = m
		rows = append(rows, m)
		if alt == "" {
			res.NoAlt = append(res.NoAlt, m.Name)
		}
	}
	body := doc.MarkdownWith(func(img docx.Image) (string, string) {
		if m, ok := stored[img.Placeholder]; ok {
			return media.URL(m.Name), m.Alt
		}
		return "", ""
	})
	// An image the library refused has no address: leave it out.
	body = strings.ReplaceAll(body, "![]()", "")
	if strings.TrimSpace(body) == "" {
		return nil, locale.T("admin.word.empty"), nil
	}
	typed := strings.TrimSpace(strings.ReplaceAll(values.Get("body"), "\r\n", "\n"))
	if typed != "" {
		body = typed + "\n\n" + body
		res.Appended = true
	}
	if len(body) > content.MaxFileSize {
		return nil, locale.T("admin.form.body_too_long"), nil
	}
	if len(rows) > 0 {
		ctx := c.Request.Context()
		err := a.store.Tx(ctx, func(tx *sql.Tx) error {
			for _, m := range rows {
				if err := a.store.PutMedia(ctx, tx, m); err != nil {
					return err
				}
				if err := a.store.Audit(ctx, tx, store.AuditEntry{At: a.now(), Actor: CurrentUser(c).Name, Action: store.AuditUpload,
					Target: "media:" + m.Name, Detail: res.FileName + " › " + m.OriginalName, Address: clientAddr(c)}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return nil, "", err
		}
	}
	res.Images = len(rows)
	values.Set("body", body)
	return res, "", nil
}

// convertWord reads the document, at most wordConversions at a time.
func (a *Admin) convertWord(ctx context.Context, f multipart.File, size int64) (*docx.Doc, error) {
	select {
	case a.wordSem <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-a.wordSem }()
	return docx.Read(f, size)
}

// wordMessage says why a .docx was refused, "" for an error that is not
// about the file.
func wordMessage(err error) string {
	switch {
	case errors.Is(err, docx.ErrMacros):
		return locale.T("admin.word.macros")
	case errors.Is(err, docx.ErrOldOrEncrypted):
		return locale.T("admin.word.old_or_locked")
	case errors.Is(err, docx.ErrTooLarge):
		return locale.T("admin.word.too_large_inside")
	case errors.Is(err, docx.ErrNotDocx):
		return locale.T("admin.word.not_docx")
	case errors.Is(err, docx.ErrDamaged):
		return locale.T("admin.word.damaged")
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return ""
	}
	// Anything else the reader returns is about the file too (its
	// internal error included): refused, logged, never a 500.
	return locale.T("admin.word.damaged")
}
