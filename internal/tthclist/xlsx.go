package tthclist

import (
	"bytes"
	"errors"

	"github.com/xuri/excelize/v2"

	"cchc/internal/locale"
)

// Unzip limits for an XLSX list: a workbook is a ZIP of XML, and a small
// file can inflate to gigabytes. A real export of a few thousand rows
// inflates to a few megabytes.
const (
	maxUnzipped    = 64 << 20
	maxUnzippedXML = 16 << 20
)

// ParseXLSX reads a list from the first sheet of an XLSX workbook that has
// a header row, named path in messages; a row's line is its row number.
func ParseXLSX(path string, data []byte) (*List, error) {
	if len(data) > MaxSize {
		return nil, tooBig(path, len(data))
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: maxUnzipped, UnzipXMLSizeLimit: maxUnzippedXML})
	if err != nil {
		return nil, Errors{{Path: path, Msg: locale.T("tthclist.xlsx.unreadable")}}
	}
	defer f.Close()
	var last error
	for _, sheet := range f.GetSheetList() {
		list, found, err := parseSheet(path, f, sheet)
		if found {
			return list, err
		}
		last = err
	}
	if last != nil {
		return nil, last
	}
	return nil, Errors{{Path: path, Msg: locale.T("tthclist.xlsx.no_header", headerSearch)}}
}

// parseSheet reads one sheet; found reports whether it has a header.
func parseSheet(path string, f *excelize.File, sheet string) (list *List, found bool, err error) {
	rows, err := f.Rows(sheet)
	if err != nil {
		return nil, false, Errors{{Path: path, Msg: locale.T("tthclist.xlsx.bad_sheet", sheet)}}
	}
	defer rows.Close()
	r := newReader(path)
	line := 0
	// The iterator yields every row number in turn, empty ones included,
	// so the count is the row's number in the sheet.
	for rows.Next() {
		line++
		if r.layout == nil && line > headerSearch {
			return nil, false, nil
		}
		if line > MaxRows+headerSearch+1000 {
			// Blank rows count too: a sheet with a million formatted rows
			// is refused rather than walked.
			r.fail(line, tooLong())
			break
		}
		cells, err := rows.Columns()
		if err != nil {
			return nil, r.layout != nil, Errors{{Path: path, Line: line, Msg: locale.T("tthclist.xlsx.bad_row")}}
		}
		r.row(line, cells)
		if len(r.errs) >= 100 {
			break
		}
	}
	if err := rows.Error(); err != nil && !errors.Is(err, excelize.ErrMaxRows) {
		return nil, r.layout != nil, Errors{{Path: path, Line: line, Msg: locale.T("tthclist.xlsx.bad_book")}}
	}
	if r.layout == nil {
		return nil, false, nil
	}
	list, err = r.done()
	return list, true, err
}
