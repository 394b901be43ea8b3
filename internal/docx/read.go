package docx

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path"
	"strings"
	"time"
)

// Errors of Read. Callers tell them apart with errors.Is and say them in
// Vietnamese; the wrapped text names the part or the limit, in English,
// for the log.
var (
	// ErrNotDocx: the file is not a Word document: not a zip, or a zip
	// without a main document part.
	ErrNotDocx = errors.New("docx: not a Word document (.docx)")
	// ErrOldOrEncrypted: an OLE compound file — a Word 97–2003 document
	// (.doc) or a .docx protected by a password, which Word stores the
	// same way.
	ErrOldOrEncrypted = errors.New("docx: an old Word document (.doc) or one protected by a password")
	// ErrDamaged: the zip or an XML part cannot be read.
	ErrDamaged = errors.New("docx: the document is damaged")
	// ErrTooLarge: the document passes one of the Limits; the error is a
	// *LimitError naming it.
	ErrTooLarge = errors.New("docx: the document is too large")
	// ErrMacros: the package holds macros (a .docm, or a .docx with a
	// vbaProject part). The column never runs them, but a file that
	// carries them is refused rather than passed on.
	ErrMacros = errors.New("docx: a document with macros (.docm)")
)

// errInternal marks a panic of the reader turned into an error: a bug to
// fix, never an answer about the file (the fuzz targets fail on it).
var errInternal = errors.New("docx: internal error")

// LimitError is a document past one of the Limits.
type LimitError struct {
	What  string // "zip entries", "uncompressed size of word/document.xml", …
	Limit int64
}

// Error names the limit and its value.
func (e *LimitError) Error() string {
	return fmt.Sprintf("docx: %s past the limit of %d", e.What, e.Limit)
}

// Is makes errors.Is(err, ErrTooLarge) true.
func (e *LimitError) Is(target error) bool { return target == ErrTooLarge }

// Limits bound the work and memory of reading one document, which comes
// from outside. Every one is checked before the work it bounds, or as it
// goes, never after.
type Limits struct {
	// Entries is the most zip entries; checked in the zip's directory
	// before any is read.
	Entries int
	// DirectoryBytes is the largest zip central directory.
	DirectoryBytes int64
	// PartBytes is the largest uncompressed XML part (document.xml,
	// styles, numbering, footnotes, relationships).
	PartBytes int64
	// TotalBytes is the most bytes decompressed in all, images included.
	TotalBytes int64
	// ImageBytes is the largest image; Images the most distinct images.
	ImageBytes int64
	Images     int
	// Depth is the deepest XML nesting; Tokens the most XML tokens in all
	// parts together.
	Depth  int
	Tokens int
	// Paragraphs is the most paragraphs (body, cells, notes, text boxes).
	Paragraphs int
	// Cells is the most table cells in all, counted on the grid (a cell
	// spanning three columns counts three); Columns the widest table.
	Cells   int
	Columns int
}

// DefaultLimits are generous for any report or article a person writes in
// Word — the annual report of this package's tests, 33 table rows over
// three pages, is 41 KB of XML and 4,069 tokens; a thousand pages of it
// would be some 1,400,000 — and keep a hostile file to a few seconds of
// work (docs/RELIABILITY.md has the figures). Images and cells follow the
// column's own limits: 5 MiB an image (media.MaxImageBytes), 64 columns
// and 50,000 cells (markdown's limits).
var DefaultLimits = Limits{
	Entries:        1000,
	DirectoryBytes: 1 << 20,
	PartBytes:      16 << 20,
	TotalBytes:     64 << 20,
	ImageBytes:     5 << 20,
	Images:         200,
	Depth:          256,
	Tokens:         2_000_000,
	Paragraphs:     100_000,
	Cells:          50_000,
	Columns:        64,
}

// Doc is a document read: its blocks, its notes and its images.
type Doc struct {
	// Title is the title in the document's properties (File › Info), NFC;
	// "" when none. Word fills it rarely; the first heading is often a
	// better guess.
	Title string
	// Created is when the document was first made (File › Info), zero
	// when the properties do not say; Word and LibreOffice write it in UTC.
	Created time.Time
	// Images are the document's embedded images, in order of first
	// appearance, each once.
	Images []Image

	blocks []block
	notes  []note
	links  []string // link ids are 1-based indexes
}

// Image is an image embedded in the document. Markdown writes it as
// ![Alt](Placeholder) unless MarkdownWith is told where it was stored.
type Image struct {
	// Placeholder is "docx-image-N", N from 1.
	Placeholder string
	// Name is the image's file name in the document, with the extension of
	// ContentType ("image1.png").
	Name string
	// ContentType is read from the bytes: image/png, image/jpeg,
	// image/gif, image/webp, image/bmp; for formats the bytes do not tell,
	// from the name (image/x-emf, image/x-wmf, image/tiff, image/svg+xml),
	// else application/octet-stream. The caller decides what it stores.
	ContentType string
	Data        []byte
	// Alt is the image's description in the document (Word's alt text,
	// "descr"; else its title), NFC, on one line; "" when it has none, so
	// the caller asks for one.
	Alt string
}

// Read reads a .docx of size bytes from r with DefaultLimits.
func Read(r io.ReaderAt, size int64) (*Doc, error) {
	return ReadLimits(r, size, DefaultLimits)
}

// ReadLimits reads a .docx with other limits (tests use small ones).
// Start from DefaultLimits: a zero limit refuses everything it bounds.
func ReadLimits(r io.ReaderAt, size int64, lim Limits) (doc *Doc, err error) {
	defer func() {
		if p := recover(); p != nil {
			doc, err = nil, fmt.Errorf("%w: %v", errInternal, p)
		}
	}()
	pk, err := openPackage(r, size, lim)
	if err != nil {
		return nil, err
	}
	return pk.read()
}

// pkg is an opened package: its entries by lower-case name (part names
// are case-insensitive in OPC) and what has been spent of the limits.
type pkg struct {
	lim     Limits
	files   map[string]*zip.File
	spent   int64 // bytes decompressed so far
	tokens  int   // XML tokens so far
	paras   int
	cells   int
	doc     *Doc
	images  map[string]int // part name → index in doc.Images
	notes   map[noteKey]int
	noteIDs []noteKey
}

var oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

func openPackage(r io.ReaderAt, size int64, lim Limits) (*pkg, error) {
	head := make([]byte, 8)
	n, _ := r.ReadAt(head, 0)
	head = head[:n]
	switch {
	case bytes.Equal(head, oleMagic):
		return nil, ErrOldOrEncrypted
	case !bytes.HasPrefix(head, []byte("PK")):
		return nil, ErrNotDocx
	}
	if err := checkDirectory(r, size, lim); err != nil {
		return nil, err
	}
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, fmt.Errorf("%w: zip: %v", ErrDamaged, err)
	}
	if len(zr.File) > lim.Entries {
		return nil, &LimitError{What: "zip entries", Limit: int64(lim.Entries)}
	}
	files := make(map[string]*zip.File, len(zr.File))
	for _, f := range zr.File {
		key := strings.ToLower(f.Name)
		if _, dup := files[key]; dup {
			// Two entries of one name: which one a program reads differs,
			// and that difference is how a file shows one thing and says
			// another.
			return nil, fmt.Errorf("%w: two zip entries named %q", ErrDamaged, f.Name)
		}
		files[key] = f
	}
	return &pkg{lim: lim, files: files, doc: &Doc{}, images: map[string]int{}, notes: map[noteKey]int{}}, nil
}

// open returns the reader of part name (no leading slash), bounded by
// limit and by what is left of TotalBytes, and whether the part exists.
func (p *pkg) open(name string, limit int64) (io.ReadCloser, bool, error) {
	f, ok := p.files[strings.ToLower(name)]
	if !ok {
		return nil, false, nil
	}
	if f.UncompressedSize64 > uint64(limit) {
		return nil, true, &LimitError{What: "uncompressed size of " + name, Limit: limit}
	}
	left := max(p.lim.TotalBytes-p.spent, 0)
	if f.UncompressedSize64 > uint64(left) {
		return nil, true, &LimitError{What: "uncompressed size of all parts", Limit: p.lim.TotalBytes}
	}
	rc, err := f.Open()
	if err != nil {
		return nil, true, fmt.Errorf("%w: %s: %v", ErrDamaged, name, err)
	}
	// The declared size was checked; the counting reader holds the data
	// to the limits too, whatever the compressed stream really holds.
	c := &countingReader{rc: rc, p: p, left: limit, over: &LimitError{What: "uncompressed size of " + name, Limit: limit}}
	if left < limit {
		c.left, c.over = left, &LimitError{What: "uncompressed size of all parts", Limit: p.lim.TotalBytes}
	}
	c.name = name
	return c, true, nil
}

// readAll reads a whole part (an image).
func (p *pkg) readAll(name string, limit int64) ([]byte, bool, error) {
	rc, ok, err := p.open(name, limit)
	if !ok || err != nil {
		return nil, ok, err
	}
	defer rc.Close()
	data, err := io.ReadAll(rc)
	if err != nil {
		return nil, true, err
	}
	return data, true, nil
}

// countingReader counts what is decompressed against the package's total
// and fails past its limit.
type countingReader struct {
	rc   io.ReadCloser
	p    *pkg
	name string
	left int64
	over *LimitError // returned past left
}

func (c *countingReader) Read(b []byte) (int, error) {
	if int64(len(b)) > c.left+1 {
		b = b[:c.left+1]
	}
	n, err := c.rc.Read(b)
	c.p.spent += int64(n)
	c.left -= int64(n)
	if c.left < 0 {
		return n, c.over
	}
	if err != nil && err != io.EOF {
		err = fmt.Errorf("%w: %s: %v", ErrDamaged, c.name, err)
	}
	return n, err
}

func (c *countingReader) Close() error { return c.rc.Close() }

// relationship is one entry of a part's .rels.
type relationship struct {
	typ, target string
	external    bool
}

// rels reads the relationships of part name ("word/document.xml" →
// "word/_rels/document.xml.rels"), with targets resolved to part names.
// A missing .rels file is no relationships.
func (p *pkg) rels(name string) (map[string]relationship, error) {
	dir, base := path.Split(name)
	relsName := dir + "_rels/" + base + ".rels"
	out := map[string]relationship{}
	err := p.parse(relsName, func(x *xmlReader) error {
		for {
			tok, err := x.next()
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return err
			}
			se, ok := tok.(startElement)
			if !ok || se.Name.Local != "Relationship" {
				continue
			}
			r := relationship{typ: attr(se, "Type"), external: strings.EqualFold(attr(se, "TargetMode"), "External")}
			target := attr(se, "Target")
			if r.external {
				r.target = target
			} else {
				r.target = resolve(dir, target)
			}
			if id := attr(se, "Id"); id != "" {
				out[id] = r
			}
		}
	})
	return out, err
}

// resolve turns a relationship's target, relative to dir or absolute from
// the package root, into a part name without a leading slash.
func resolve(dir, target string) string {
	if strings.HasPrefix(target, "/") {
		return strings.TrimPrefix(path.Clean(target), "/")
	}
	return strings.TrimPrefix(path.Clean("/"+dir+target), "/")
}

// relOfType finds the first relationship whose type ends with suffix
// ("/officeDocument"), the same in transitional and strict OOXML.
func relOfType(rels map[string]relationship, suffix string) (relationship, bool) {
	// Map order is random: choose the smallest id for a stable answer.
	var best string
	var found relationship
	for id, r := range rels {
		if !r.external && strings.HasSuffix(r.typ, suffix) && (best == "" || id < best) {
			best, found = id, r
		}
	}
	return found, best != ""
}

func (p *pkg) read() (*Doc, error) {
	for name := range p.files {
		if path.Base(name) == "vbaproject.bin" {
			return nil, ErrMacros
		}
	}
	// A .docm declares its main part macro-enabled even when Word or
	// LibreOffice wrote no macros (yet): it is refused the same way.
	if types, ok, err := p.readAll("[Content_Types].xml", p.lim.PartBytes); err != nil {
		return nil, err
	} else if ok && bytes.Contains(bytes.ToLower(types), []byte("macroenabled")) {
		return nil, ErrMacros
	}
	root, err := p.rels("")
	if err != nil {
		return nil, err
	}
	main := "word/document.xml"
	if r, ok := relOfType(root, "/officeDocument"); ok {
		main = r.target
	}
	if _, ok := p.files[strings.ToLower(main)]; !ok {
		return nil, ErrNotDocx
	}
	if r, ok := relOfType(root, "/metadata/core-properties"); ok {
		if err := p.readCore(r.target); err != nil {
			return nil, err
		}
	}
	mainRels, err := p.rels(main)
	if err != nil {
		return nil, err
	}
	st := newStyles()
	if r, ok := relOfType(mainRels, "/styles"); ok {
		if err := p.readStyles(r.target, st); err != nil {
			return nil, err
		}
	}
	num := newNumbering()
	if r, ok := relOfType(mainRels, "/numbering"); ok {
		if err := p.readNumbering(r.target, num); err != nil {
			return nil, err
		}
	}
	ps := &parser{pkg: p, styles: st, numbering: num, rels: mainRels}
	var body []block
	err = p.parse(main, func(x *xmlReader) error {
		var err error
		body, err = ps.document(x)
		return err
	})
	if err != nil {
		return nil, err
	}
	p.doc.blocks = body
	if len(p.noteIDs) > 0 {
		if err := p.readNotes(ps, mainRels); err != nil {
			return nil, err
		}
	}
	p.doc.links = ps.links
	return p.doc, nil
}

// image returns the index in doc.Images of the image part name, reading
// it the first time.
func (p *pkg) image(name, alt string) (int, error) {
	if i, ok := p.images[name]; ok {
		if p.doc.Images[i].Alt == "" {
			p.doc.Images[i].Alt = alt
		}
		return i, nil
	}
	if len(p.doc.Images) >= p.lim.Images {
		return 0, &LimitError{What: "images", Limit: int64(p.lim.Images)}
	}
	data, ok, err := p.readAll(name, p.lim.ImageBytes)
	if err != nil {
		return 0, err
	}
	if !ok {
		return -1, nil // a relationship to nothing: no image
	}
	ct, ext := imageType(data, name)
	n := len(p.doc.Images) + 1
	base := path.Base(name)
	base = strings.TrimSuffix(base, path.Ext(base)) + "." + ext
	p.doc.Images = append(p.doc.Images, Image{
		Placeholder: fmt.Sprintf("docx-image-%d", n),
		Name:        base,
		ContentType: ct,
		Data:        data,
		Alt:         alt,
	})
	p.images[name] = n - 1
	return n - 1, nil
}

// imageType tells an image's type from its bytes, or from its name for
// the formats whose bytes net/http does not know.
func imageType(data []byte, name string) (contentType, ext string) {
	ct := http.DetectContentType(data)
	switch ct {
	case "image/png":
		return ct, "png"
	case "image/jpeg":
		return ct, "jpg"
	case "image/gif":
		return ct, "gif"
	case "image/webp":
		return ct, "webp"
	case "image/bmp":
		return ct, "bmp"
	}
	switch ext := strings.ToLower(strings.TrimPrefix(path.Ext(name), ".")); ext {
	case "emf":
		return "image/x-emf", ext
	case "wmf":
		return "image/x-wmf", ext
	case "tif", "tiff":
		return "image/tiff", "tiff"
	case "svg":
		return "image/svg+xml", ext
	}
	return "application/octet-stream", "bin"
}
