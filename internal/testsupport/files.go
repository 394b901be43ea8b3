package testsupport

import (
	"archive/zip"
	"bytes"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"mime/multipart"
)

// The builders below panic instead of taking a *testing.T: encoding a
// 4×4 image or a few zip entries into memory fails only on a broken
// encoder, never on a test's input.

// picture is a 4×4 opaque image drawn from n: pixel k is black when bit
// k of n is set, white otherwise, and the last pixel carries n's low 24
// bits as its colour. Images of different n so encode to different bytes
// (the media library names files by their hash), a lossy JPEG's too.
func picture(n int) image.Image {
	m := image.NewRGBA(image.Rect(0, 0, 4, 4))
	for k := range 16 {
		c := color.RGBA{R: 255, G: 255, B: 255, A: 255}
		if n>>k&1 == 1 {
			c = color.RGBA{A: 255}
		}
		m.Set(k%4, k/4, c)
	}
	m.Set(3, 3, color.RGBA{R: byte(n), G: byte(n >> 8), B: byte(n >> 16), A: 255})
	return m
}

// PNG is a small valid PNG image, different for every n.
func PNG(n int) []byte {
	var b bytes.Buffer
	must(png.Encode(&b, picture(n)))
	return b.Bytes()
}

// JPEG is a small valid JPEG image, different for every n.
func JPEG(n int) []byte {
	var b bytes.Buffer
	must(jpeg.Encode(&b, picture(n), nil))
	return b.Bytes()
}

// GIF is a small valid GIF image.
func GIF(n int) []byte {
	var b bytes.Buffer
	must(gif.Encode(&b, picture(n), nil))
	return b.Bytes()
}

// WebP is the header of a lossy WebP image: enough for sniffing.
func WebP() []byte {
	return append([]byte("RIFF\x24\x00\x00\x00WEBPVP8 \x18\x00\x00\x00"), make([]byte, 24)...)
}

// PDF is a small PDF document: its header, one object and its end.
func PDF() []byte {
	return []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
}

// Zip is a zip archive holding the named entries, each "<x/>".
func Zip(names ...string) []byte {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, n := range names {
		w, err := zw.Create(n)
		must(err)
		_, err = w.Write([]byte("<x/>"))
		must(err)
	}
	must(zw.Close())
	return b.Bytes()
}

// DOCX is the smallest package that sniffs as a Word document.
func DOCX() []byte { return Zip("[Content_Types].xml", "_rels/.rels", "word/document.xml") }

// XLSX is the smallest package that sniffs as an Excel workbook.
func XLSX() []byte { return Zip("[Content_Types].xml", "_rels/.rels", "xl/workbook.xml") }

// UploadBody is the multipart body of the media library's upload form
// (csrf, alt, file) and its Content-Type.
func UploadBody(csrf, alt, fileName string, data []byte) (body []byte, contentType string) {
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	must(w.WriteField("csrf", csrf))
	must(w.WriteField("alt", alt))
	f, err := w.CreateFormFile("file", fileName)
	must(err)
	_, err = f.Write(data)
	must(err)
	must(w.Close())
	return b.Bytes(), w.FormDataContentType()
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}
