// Package media checks and stores the files editors upload: images for
// articles and the PDF, DOCX and XLSX attachments of documents. A file is
// stored under DATA/media/ by the SHA-256 of its bytes (content-addressed),
// its type is read from the bytes and must agree with the extension of the
// name it came with, and that name is never used as a path.
package media

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"image"
	_ "image/gif"  // image.DecodeConfig reads a GIF's header (checkPixels)
	_ "image/jpeg" // and a JPEG's
	_ "image/png"  // and a PNG's
	"net/http"
	"path"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	_ "golang.org/x/image/webp" // and a WebP's

	"cchc/internal/locale"
	"cchc/internal/vntext"
)

// Size limits of a file, by family.
const (
	MaxImageBytes    = 5 << 20
	MaxDocumentBytes = 20 << 20
	// MaxBytes is the largest file of any type.
	MaxBytes = MaxDocumentBytes
)

// Type is one kind of file the library accepts.
type Type struct {
	Ext         string // stored extension, without the dot
	ContentType string // sent as Content-Type
	Label       string // shown to people: "PDF", "JPEG"
	Image       bool   // shown inline and needs alt text; else a download
	MaxBytes    int64
}

// The accepted types.
var (
	JPEG = Type{Ext: "jpg", ContentType: "image/jpeg", Label: "JPEG", Image: true, MaxBytes: MaxImageBytes}
	PNG  = Type{Ext: "png", ContentType: "image/png", Label: "PNG", Image: true, MaxBytes: MaxImageBytes}
	GIF  = Type{Ext: "gif", ContentType: "image/gif", Label: "GIF", Image: true, MaxBytes: MaxImageBytes}
	WebP = Type{Ext: "webp", ContentType: "image/webp", Label: "WebP", Image: true, MaxBytes: MaxImageBytes}
	PDF  = Type{Ext: "pdf", ContentType: "application/pdf", Label: "PDF", MaxBytes: MaxDocumentBytes}
	DOCX = Type{Ext: "docx", ContentType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", Label: "DOCX", MaxBytes: MaxDocumentBytes}
	XLSX = Type{Ext: "xlsx", ContentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", Label: "XLSX", MaxBytes: MaxDocumentBytes}
)

// Types lists the accepted types.
var Types = []Type{JPEG, PNG, GIF, WebP, PDF, DOCX, XLSX}

// TypeByExt returns the type stored with extension ext ("pdf", no dot).
func TypeByExt(ext string) (Type, bool) {
	for _, t := range Types {
		if t.Ext == ext {
			return t, true
		}
	}
	return Type{}, false
}

// Error is a refusal of a file, with a Vietnamese message for people.
type Error struct{ Msg string }

func (e *Error) Error() string { return e.Msg }

// refuse is the refusal with the message of key, filled with args.
func refuse(key string, args ...any) error { return &Error{Msg: locale.T(key, args...)} }

// allowed is what may be uploaded, said after most refusals.
func allowed() string { return locale.T("media.allowed") }

// extOf is the lower-case extension of a file name as typed ("jpeg" is
// "jpg"), without the dot; "" when none.
func extOf(name string) string {
	name = name[strings.LastIndexAny(name, `/\`)+1:]
	ext := strings.ToLower(strings.TrimPrefix(path.Ext(name), "."))
	if ext == "jpeg" || ext == "jpe" {
		ext = "jpg"
	}
	return ext
}

// Sniff tells the type of data from its bytes alone. SVG and HTML are
// refused by name: both can carry script that would run on our origin.
func Sniff(data []byte) (Type, error) {
	if len(data) == 0 {
		return Type{}, refuse("media.empty")
	}
	head := data[:min(len(data), 1024)]
	if bytes.HasPrefix(data, []byte("%PDF-")) {
		return PDF, nil
	}
	ct := http.DetectContentType(data)
	switch {
	case strings.HasPrefix(ct, "image/jpeg"):
		return JPEG, nil
	case strings.HasPrefix(ct, "image/png"):
		return PNG, nil
	case strings.HasPrefix(ct, "image/gif"):
		return GIF, nil
	case strings.HasPrefix(ct, "image/webp"):
		return WebP, nil
	case strings.HasPrefix(ct, "application/zip"):
		return sniffOffice(data)
	}
	lower := bytes.ToLower(head)
	switch {
	case bytes.Contains(lower, []byte("<svg")):
		return Type{}, refuse("media.refused_svg")
	case strings.HasPrefix(ct, "text/html"):
		return Type{}, refuse("media.refused_html", allowed())
	}
	return Type{}, refuse("media.unknown", allowed())
}

// sniffOffice tells a DOCX or XLSX from any other ZIP by its parts: an
// Office Open XML package has [Content_Types].xml and a word/ or xl/ folder.
// Only the central directory is read; nothing is decompressed.
func sniffOffice(data []byte) (Type, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return Type{}, refuse("media.bad_zip", allowed())
	}
	var types, word, xl bool
	for _, f := range zr.File {
		switch {
		case f.Name == "[Content_Types].xml":
			types = true
		case strings.HasPrefix(f.Name, "word/"):
			word = true
		case strings.HasPrefix(f.Name, "xl/"):
			xl = true
		}
	}
	switch {
	case types && word && !xl:
		return DOCX, nil
	case types && xl && !word:
		return XLSX, nil
	}
	return Type{}, refuse("media.other_zip", allowed())
}

// Check sniffs data, checks the type against the extension of name (the
// name the file came with) and against the size limit of its type.
func Check(name string, data []byte) (Type, error) {
	ext := extOf(name)
	switch ext {
	case "svg", "svgz":
		return Type{}, refuse("media.refused_svg")
	case "html", "htm", "xhtml", "shtml":
		return Type{}, refuse("media.refused_html", allowed())
	}
	want, known := TypeByExt(ext)
	if !known {
		if ext == "" {
			return Type{}, refuse("media.no_ext", allowed())
		}
		return Type{}, refuse("media.bad_ext", ext, allowed())
	}
	if int64(len(data)) > MaxBytes {
		return Type{}, refuse("media.too_big", HumanSize(int64(len(data))), HumanSize(MaxBytes))
	}
	got, err := Sniff(data)
	if err != nil {
		return Type{}, err
	}
	if got != want {
		return Type{}, refuse("media.ext_mismatch", got.Label, ext)
	}
	if int64(len(data)) > got.MaxBytes {
		key := "media.too_big"
		if got.Image {
			key = "media.image_too_big"
		}
		return Type{}, refuse(key, HumanSize(int64(len(data))), HumanSize(got.MaxBytes))
	}
	if got.Image {
		if err := checkPixels(data); err != nil {
			return Type{}, err
		}
	}
	return got, nil
}

// The largest image the library takes, in pixels: a phone camera's photo
// (48 MP, 8,000 × 6,000) fits. A few kilobytes of PNG can declare 50,000 ×
// 50,000 pixels of one colour, which a reader's browser must decode into
// 10 GB to show: the page of a column would crash the phones it is read
// on.
const (
	MaxImagePixels = 50_000_000
	MaxImageSide   = 16_384
)

// checkPixels refuses an image whose header declares more than
// MaxImageSide pixels on a side or MaxImagePixels in all. Only the header
// is read (image.DecodeConfig); nothing is decoded. A header Go cannot
// read passes as before (the bytes were sniffed an image): what a browser
// cannot read either it shows as a broken image, and the formats Go
// does not read (a JPEG coded arithmetically) the browsers do not show.
func checkPixels(data []byte) error {
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil
	}
	w, h := cfg.Width, cfg.Height
	if w <= 0 || h <= 0 || w > MaxImageSide || h > MaxImageSide || int64(w)*int64(h) > MaxImagePixels {
		return refuse("media.image_pixels", vntext.Int(w), vntext.Int(h), vntext.Int(MaxImagePixels/1_000_000), vntext.Int(MaxImageSide))
	}
	return nil
}

// namePattern is the only shape of a stored file's name.
var namePattern = regexp.MustCompile(`^[0-9a-f]{64}\.(jpg|png|gif|webp|pdf|docx|xlsx)$`)

// ValidName reports whether name is the name of a stored file
// ("<sha256 hex>.<ext>"). Nothing else is ever opened under DATA/media/.
func ValidName(name string) bool { return namePattern.MatchString(name) }

// Name is the stored name of data of type t.
func Name(data []byte, t Type) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:]) + "." + t.Ext
}

// NameType is the type of a stored name; ok is false for a name that is
// not one.
func NameType(name string) (Type, bool) {
	if !ValidName(name) {
		return Type{}, false
	}
	return TypeByExt(name[65:])
}

// MaxOriginalNameLen bounds a kept original file name, in characters.
const MaxOriginalNameLen = 150

// CleanName turns the file name a browser or a content file gave into
// one fit to show and to offer in Content-Disposition: the last path
// element only, NFC, no control or invisible formatting characters (a
// right-to-left override could disguise the extension), no leading dots,
// single spaces, at most MaxOriginalNameLen characters with the extension
// kept. When nothing is left it is "tep.EXT" with the type's extension.
func CleanName(name string, t Type) string {
	name = strings.ToValidUTF8(name, "")
	name = name[strings.LastIndexAny(name, `/\`)+1:]
	name = vntext.NFC(name)
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == utf8.RuneError {
			return -1
		}
		if unicode.IsSpace(r) {
			return ' '
		}
		return r
	}, name)
	name = strings.Join(strings.Fields(name), " ")
	name = strings.TrimLeft(name, ". ")
	name = strings.TrimRight(name, ". ")
	if utf8.RuneCountInString(name) > MaxOriginalNameLen {
		ext := path.Ext(name)
		if utf8.RuneCountInString(ext) > 10 {
			ext = ""
		}
		r := []rune(strings.TrimSuffix(name, ext))
		name = strings.TrimRight(string(r[:MaxOriginalNameLen-utf8.RuneCountInString(ext)]), ". ") + ext
	}
	if name == "" {
		if t.Ext == "" {
			return "tep"
		}
		return "tep." + t.Ext
	}
	return name
}

// HumanSize writes a size as people read it, with a Vietnamese decimal
// comma: "812 byte", "245 KB", "1,2 MB".
func HumanSize(n int64) string {
	switch {
	case n < 1024:
		return strconv.FormatInt(n, 10) + " byte"
	case n < 1<<20:
		return strconv.FormatInt((n+1023)/1024, 10) + " KB"
	}
	tenths := (n*10 + (1<<20 - 1)) >> 20
	s := strconv.FormatInt(tenths/10, 10)
	if d := tenths % 10; d != 0 {
		s += "," + strconv.FormatInt(d, 10)
	}
	return s + " MB"
}

// escapeText escapes s for the text of a Markdown link or image, so that a
// bracket or asterisk in an alt text or a file name stays text.
func escapeText(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune("\\[]*_`<>&!#|~", r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// URL is the public address of a stored file.
func URL(name string) string { return "/tep/" + name }

// ImageMarkdown is the Markdown that shows a stored image.
func ImageMarkdown(name, alt string) string {
	return "![" + escapeText(alt) + "](" + URL(name) + ")"
}

// LinkMarkdown is the Markdown link to download a stored file.
func LinkMarkdown(name, originalName string) string {
	return "[" + locale.T("media.download", escapeText(originalName)) + "](" + URL(name) + ")"
}
