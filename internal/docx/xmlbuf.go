package docx

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// xmlBuf builds one XML part. The first text that XML cannot carry (a
// control character, a byte that is not UTF-8) is remembered in err and
// written as nothing, so the writer reports it instead of producing a part
// that no program would open.
type xmlBuf struct {
	strings.Builder
	err error
}

const xmlHeader = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"

// empty writes <name a1="v1" …/>; attrs alternate names and values.
func (b *xmlBuf) empty(name string, attrs ...string) {
	b.start(name, attrs...)
	b.WriteString("/>")
}

// open writes <name a1="v1" …>.
func (b *xmlBuf) open(name string, attrs ...string) {
	b.start(name, attrs...)
	b.WriteByte('>')
}

func (b *xmlBuf) start(name string, attrs ...string) {
	b.WriteByte('<')
	b.WriteString(name)
	for i := 0; i+1 < len(attrs); i += 2 {
		b.WriteByte(' ')
		b.WriteString(attrs[i])
		b.WriteString(`="`)
		b.escape(attrs[i+1])
		b.WriteByte('"')
	}
}

// close writes </name>.
func (b *xmlBuf) close(name string) {
	b.WriteString("</")
	b.WriteString(name)
	b.WriteByte('>')
}

// elem writes <name>text</name>.
func (b *xmlBuf) elem(name, text string, attrs ...string) {
	b.open(name, attrs...)
	b.escape(text)
	b.close(name)
}

// val writes <name w:val="v"/>, the shape of most properties.
func (b *xmlBuf) val(name, v string) { b.empty(name, "w:val", v) }

// escape writes s as XML character data, valid in text and attributes.
func (b *xmlBuf) escape(s string) {
	for i, r := range s {
		switch {
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '"':
			b.WriteString("&quot;")
		case r == '\t' || r == '\n' || r == '\r':
			// Only reached in attribute values and core properties;
			// kept as references so they survive attribute normalisation.
			fmt.Fprintf(&b.Builder, "&#x%X;", r)
		case r == utf8.RuneError && isBadByte(s, i):
			b.fail(fmt.Errorf("docx: text %q is not UTF-8", clip(s)))
		case !xmlChar(r):
			b.fail(fmt.Errorf("docx: text %q holds U+%04X, which XML cannot carry", clip(s), r))
		default:
			b.WriteRune(r)
		}
	}
}

func (b *xmlBuf) fail(err error) {
	if b.err == nil {
		b.err = err
	}
}

// isBadByte reports whether the RuneError at s[i] stands for a byte that
// is not UTF-8 rather than a U+FFFD written in the text.
func isBadByte(s string, i int) bool {
	_, size := utf8.DecodeRuneInString(s[i:])
	return size == 1
}

// xmlChar reports whether r may appear in an XML 1.0 document.
func xmlChar(r rune) bool {
	return r == 0x9 || r == 0xA || r == 0xD ||
		r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD ||
		r >= 0x10000 && r <= 0x10FFFF
}

func clip(s string) string {
	if len(s) <= 40 {
		return s
	}
	return strings.ToValidUTF8(s[:40], "") + "…"
}

func itoa(n int) string { return strconv.Itoa(n) }
