package tthclist

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"

	"cchc/internal/locale"
	"cchc/internal/vntext"
)

// separators are tried in this order: ',' (the national database's
// export), ';' (Excel's "CSV" where the decimal mark is a comma, as in
// Vietnam) and tab (copied from a spreadsheet).
var separators = []rune{',', ';', '\t'}

// ParseCSV reads a list from CSV data (UTF-8, with or without a byte
// order mark), named path in messages.
func ParseCSV(path string, data []byte) (*List, error) {
	if len(data) > MaxSize {
		return nil, tooBig(path, len(data))
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	if l := vntext.ValidUTF8Line(data); l > 0 {
		return nil, Errors{{Path: path, Line: l, Msg: locale.T("tthclist.not_utf8")}}
	}
	sep, ok := separator(data)
	if !ok {
		return nil, Errors{{Path: path, Msg: locale.T("tthclist.no_header", headerSearch)}}
	}
	r := newReader(path)
	err := eachRecord(data, sep, func(line int, rec []string) bool {
		r.row(line, rec)
		return len(r.errs) < 100 // enough to fix a file by; the rest after
	})
	if err != nil {
		return nil, append(r.errs, csvError(path, err))
	}
	return r.done()
}

// separator finds the separator with which one of the first rows is a
// header.
func separator(data []byte) (rune, bool) {
	for _, sep := range separators {
		found, n := false, 0
		_ = eachRecord(data, sep, func(_ int, rec []string) bool {
			_, found = findHeader(rec)
			n++
			return !found && n < headerSearch
		})
		if found {
			return sep, true
		}
	}
	return 0, false
}

// eachRecord calls fn with each record of data and its line, until fn
// returns false or the data ends.
func eachRecord(data []byte, sep rune, fn func(line int, rec []string) bool) error {
	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comma = sep
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		line, _ := cr.FieldPos(0)
		if !fn(line, rec) {
			return nil
		}
	}
}

// csvError is a CSV syntax error at its line, in words.
func csvError(path string, err error) *Error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		msg := locale.T("tthclist.csv.bad_line")
		switch {
		case errors.Is(pe.Err, csv.ErrQuote), errors.Is(pe.Err, csv.ErrBareQuote):
			msg = locale.T("tthclist.csv.quote")
		}
		return &Error{Path: path, Line: pe.Line, Msg: msg}
	}
	return &Error{Path: path, Msg: locale.T("tthclist.csv.unreadable")}
}
