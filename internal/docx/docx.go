// Package docx writes and reads Word documents (Office Open XML, .docx)
// with the standard library alone: archive/zip and encoding/xml.
//
// Writing (Write) turns a small typed model — Document, Paragraph, Table,
// PageBreak — into a .docx that Word and LibreOffice open, laid out as the
// form of Nghị định 30/2020/NĐ-CP asks when built with Decree30 and the
// helpers of form.go. The same Document gives the same bytes: the zip's
// timestamps are fixed and every part is written in one order.
//
// Reading (Read) turns a .docx an editor uploads into Markdown for the
// column: headings, emphasis, lists, tables, links, footnotes and images
// (returned as attachments). The file comes from outside, so everything
// read is bounded (Limits) and every problem is an error value, never a
// panic.
package docx

import "math"

// Length is a distance in twentieths of a point (twips, 1/1440 inch), the
// unit of most WordprocessingML measures.
type Length int

// MM is mm millimetres as a Length.
func MM(mm float64) Length { return Length(math.Round(mm * 1440 / 25.4)) }

// Pt is pt points as a Length.
func Pt(pt float64) Length { return Length(math.Round(pt * 20)) }

// Namespaces of the parts written and read. Strict OOXML (ISO 29500
// strict) uses other names for the same vocabularies; the reader accepts
// both.
const (
	nsW        = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
	nsWStrict  = "http://purl.oclc.org/ooxml/wordprocessingml/main"
	nsR        = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
	nsRStrict  = "http://purl.oclc.org/ooxml/officeDocument/relationships"
	nsMC       = "http://schemas.openxmlformats.org/markup-compatibility/2006"
	nsPkgRels  = "http://schemas.openxmlformats.org/package/2006/relationships"
	nsTypes    = "http://schemas.openxmlformats.org/package/2006/content-types"
	relOffice  = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
	relCore    = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
	relStyles  = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"
	relSetting = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings"
	relNumber  = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering"
	relHeader  = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/header"
	relFooter  = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer"
)
