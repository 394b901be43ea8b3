package site

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/textproto"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"cchc/internal/content"
	"cchc/internal/media"
	"cchc/internal/store"
	"cchc/internal/vntext"
	"cchc/internal/web"
)

// FileCSP is the Content-Security-Policy of a stored file: nothing may
// load, and a file opened as a page is sandboxed, so a file that slipped
// past the checks still runs no script on the column's origin.
const FileCSP = "default-src 'none'; sandbox"

// registerFiles serves the media library at /tep/NAME, outside the page
// cache: the files are large, content-addressed and cached for a year.
func (s *Site) registerFiles(e *gin.Engine) {
	h := web.Wrap(s.log, s.RenderError, s.file)
	e.GET("/tep/:name", h)
	e.HEAD("/tep/:name", h)
}

// file serves one stored file. Only a name of the stored shape is looked
// up, and the type sent is the one sniffed at upload, never a guess.
func (s *Site) file(c *gin.Context) error {
	name := c.Param("name")
	if !media.ValidName(name) {
		return web.NotFound()
	}
	ctx := c.Request.Context()
	m, err := s.store.MediaFile(ctx, name)
	if err != nil {
		return err
	}
	f, err := media.New(s.store, s.now).Open(name)
	if err != nil {
		if errors.Is(err, store.ErrNotFound) {
			s.log.Warn("media row without its file", slog.String("name", name))
		}
		return err
	}
	defer f.Close()
	h := c.Writer.Header()
	h.Set("Content-Type", m.ContentType)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", FileCSP)
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Set("ETag", `"`+name[:64]+`"`)
	h.Set("Content-Disposition", Disposition(m))
	tameRange(c.Request, m.Size)
	http.ServeContent(c.Writer, c.Request, "", m.Uploaded, f)
	return nil
}

// maxRanges is the most ranges a request for a stored file gets as
// asked. Each costs a part header of about 130 bytes: 658 one-byte ranges
// of a 658-byte file made an answer of 85 KB. A request for more gets
// the whole file, which anyone may download anyway; no reader needs more
// (a PDF viewer asks for one range at a time).
const maxRanges = 32

// tameRange bounds the Range header of r, for a file of size bytes,
// before http.ServeContent reads it: more than maxRanges ranges and the
// header goes (the whole file is sent); a range of the last 0 bytes
// ("-0"), which ServeContent answers with an empty 206, is dropped, as
// RFC 9110 counts it unsatisfiable. When nothing is left the header asks
// for a range past the end, which ServeContent answers with a 416 — after
// the conditions (If-None-Match, If-Range) it checks first.
//
// The header is read as ServeContent reads it (net/http's parseRange):
// "bytes=" exactly, ranges split at commas and trimmed, a suffix trimmed
// and parsed by strconv.ParseInt, so "-0", "- 0", "-+0" and "-000" are
// the same empty range to both, and a header ServeContent refuses
// ("bytes = 0-1") is left for it to refuse, never made one it accepts.
func tameRange(r *http.Request, size int64) {
	set, ok := strings.CutPrefix(r.Header.Get("Range"), "bytes=")
	if !ok {
		return // no range, or one ServeContent refuses
	}
	var kept []string
	n := 0
	for spec := range strings.SplitSeq(set, ",") {
		spec = textproto.TrimString(spec)
		if spec == "" {
			continue
		}
		n++
		if emptySuffix(spec) {
			continue
		}
		kept = append(kept, spec)
	}
	switch {
	case n > maxRanges:
		r.Header.Del("Range")
	case n > 0 && len(kept) == 0:
		r.Header.Set("Range", "bytes="+strconv.FormatInt(size, 10)+"-")
	case len(kept) < n:
		r.Header.Set("Range", "bytes="+strings.Join(kept, ","))
	}
}

// emptySuffix reports whether spec, one trimmed range of a Range header,
// asks for the last 0 bytes as ServeContent reads it: no start, and an
// end it parses as 0.
func emptySuffix(spec string) bool {
	start, end, ok := strings.Cut(spec, "-")
	if !ok || textproto.TrimString(start) != "" {
		return false
	}
	end = textproto.TrimString(end)
	if end == "" || end[0] == '-' {
		return false // ServeContent refuses it
	}
	v, err := strconv.ParseInt(end, 10, 64)
	return err == nil && v == 0
}

// Disposition is the Content-Disposition of a stored file: images open in
// the browser, documents download under their original name (RFC 6266,
// with an ASCII fallback for old clients).
func Disposition(m *store.Media) string {
	if t, ok := media.NameType(m.Name); ok && t.Image {
		return "inline"
	}
	name := m.OriginalName
	if name == "" {
		name = m.Name
	}
	return `attachment; filename="` + asciiName(name) + `"; filename*=UTF-8''` + pctEncode(name)
}

// asciiName is name folded to printable ASCII for the plain filename
// parameter: Vietnamese letters lose their marks, anything else is "_".
func asciiName(name string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' || r == '%' {
			return '_'
		}
		return r
	}, vntext.Fold(name))
}

// pctEncode encodes s as an RFC 8187 value: attr-chars stay, every other
// byte of the UTF-8 is %XX.
func pctEncode(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if ch < 0x80 && (ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || strings.IndexByte("!#$&+-.^_`|~", ch) >= 0) {
			b.WriteByte(ch)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[ch>>4])
		b.WriteByte(hex[ch&15])
	}
	return b.String()
}

// Attachment is a document's attached file as its page links it.
type Attachment struct {
	URL      string
	Label    string // "PDF"; empty for a file elsewhere
	Size     string // "245 KB"
	External bool   // the file is on another site (file: https://…)
}

// attachment finds the attached file of document it: a stored file (with
// its type and size) or an address elsewhere; nil when it has none or the
// stored file is missing.
func (s *Site) attachment(ctx context.Context, it *store.Item) (*Attachment, error) {
	if it.Kind != content.Document || it.File == "" {
		return nil, nil
	}
	if u, err := url.Parse(it.File); err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" {
		return &Attachment{URL: it.File, External: true}, nil
	}
	t, ok := media.NameType(it.File)
	if !ok {
		return nil, nil
	}
	m, err := s.store.MediaFile(ctx, it.File)
	if errors.Is(err, store.ErrNotFound) {
		s.log.Warn("document names a file not in the library", slog.String("slug", it.Slug), slog.String("file", it.File))
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &Attachment{URL: media.URL(m.Name), Label: t.Label, Size: media.HumanSize(m.Size)}, nil
}
