package media_test

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"strings"
	"testing"

	"cchc/internal/media"
)

// pngBomb is a whole, valid PNG of w × h pixels of one grey: zlib packs
// its rows of zeros a thousand to one, so a few hundred kilobytes declare
// gigabytes of pixels.
func pngBomb(t *testing.T, w, h int) []byte {
	t.Helper()
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	chunk := func(typ string, data []byte) {
		binary.Write(&b, binary.BigEndian, uint32(len(data)))
		crc := crc32.NewIEEE()
		crc.Write([]byte(typ))
		crc.Write(data)
		b.WriteString(typ)
		b.Write(data)
		binary.Write(&b, binary.BigEndian, crc.Sum32())
	}
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], uint32(w))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(h))
	ihdr[8], ihdr[9] = 1, 0 // 1 bit a pixel, grey
	chunk("IHDR", ihdr)
	var z bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&z, zlib.BestCompression)
	row := make([]byte, 1+(w+7)/8) // the filter byte, then the row's bits
	for range h {
		zw.Write(row)
	}
	zw.Close()
	chunk("IDAT", z.Bytes())
	chunk("IEND", nil)
	return b.Bytes()
}

// jpegSized is a valid JPEG of 8 × 8 pixels whose frame header then says
// w × h, as a crafted file's would.
func jpegSized(t *testing.T, w, h int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, image.NewGray(image.Rect(0, 0, 8, 8)), nil); err != nil {
		t.Fatal(err)
	}
	data := b.Bytes()
	i := bytes.Index(data, []byte{0xff, 0xc0}) // SOF0: length, precision, height, width
	if i < 0 {
		t.Fatal("no frame header")
	}
	binary.BigEndian.PutUint16(data[i+5:], uint16(h))
	binary.BigEndian.PutUint16(data[i+7:], uint16(w))
	return data
}

// webpSized is the header of an extended WebP (VP8X) of w × h pixels.
func webpSized(w, h int) []byte {
	var b bytes.Buffer
	b.WriteString("RIFF")
	binary.Write(&b, binary.LittleEndian, uint32(4+8+10))
	b.WriteString("WEBPVP8X")
	binary.Write(&b, binary.LittleEndian, uint32(10))
	b.Write([]byte{0, 0, 0, 0})
	put24 := func(v int) { b.Write([]byte{byte(v), byte(v >> 8), byte(v >> 16)}) }
	put24(w - 1)
	put24(h - 1)
	return b.Bytes()
}

// TestCheckPixels: an image declaring more pixels than a phone can show is
// refused by its header alone, whatever its size in bytes; a camera's
// photo is taken, and an image whose header Go cannot read as before.
func TestCheckPixels(t *testing.T) {
	var small, gifs bytes.Buffer
	if err := png.Encode(&small, image.NewGray(image.Rect(0, 0, 40, 30))); err != nil {
		t.Fatal(err)
	}
	pal := image.NewPaletted(image.Rect(0, 0, 20, 20), color.Palette{color.Black, color.White})
	if err := gif.Encode(&gifs, pal, nil); err != nil {
		t.Fatal(err)
	}
	bomb := pngBomb(t, 50_000, 50_000)
	if len(bomb) > 1<<20 {
		t.Fatalf("the bomb is %d bytes: not the few hundred kilobytes it should be", len(bomb))
	}
	for _, tt := range []struct {
		name, file string
		data       []byte
		refused    string // "" when taken
	}{
		{"a small PNG", "a.png", small.Bytes(), ""},
		{"a small GIF", "a.gif", gifs.Bytes(), ""},
		{"a 48 MP photo", "a.jpg", jpegSized(t, 8000, 6000), ""},
		{"a WebP photo", "a.webp", webpSized(4000, 3000), ""},
		{"2.5 billion pixels of PNG in " + strings.TrimSpace(media.HumanSize(int64(len(bomb)))), "bomb.png", bomb, "50.000 × 50.000"},
		{"a side too long", "wide.png", pngBomb(t, 20_000, 10), "20.000 × 10"},
		{"a JPEG over 50 MP", "big.jpg", jpegSized(t, 10_000, 8_000), "10.000 × 8.000"},
		{"a WebP over 50 MP", "big.webp", webpSized(16_000, 16_000), "16.000 × 16.000"},
		{"a PNG cut in its header, as before", "cut.png", bomb[:20], ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := media.Check(tt.file, tt.data)
			switch {
			case tt.refused == "" && err != nil:
				t.Errorf("refused: %v", err)
			case tt.refused != "" && (err == nil || !strings.Contains(err.Error(), tt.refused)):
				t.Errorf("got %v, want a refusal saying %q", err, tt.refused)
			}
		})
	}
}
