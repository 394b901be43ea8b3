// Package legalref recognises and normalises the numbers of Vietnamese legal
// and administrative documents ("số ký hiệu văn bản"), such as the
// 1256/QĐ-UBND in "Quyết định số 1256/QĐ-UBND ngày 22/12/2021".
//
// # Shapes
//
// A number is a leading number of 1 to 6 ASCII digits followed by symbol
// parts joined by '/' or '-':
//
//	34/KH-UBND, 1714/TTr-STTTT     number/TYPE-ISSUER
//	42/2022/NĐ-CP, 20/2020/QĐ-TTg  number/year/TYPE-ISSUER
//	67/2006/QH11                   number/year/ISSUER (laws)
//	04-NQ/TU, 36-HD/VPTW           number-TYPE/ISSUER (Party documents)
//	4946/BTTTT-CĐSQG, 2231/SNV-CCHC&PC   công văn: number/ISSUER-UNIT
//
// A symbol part starts with a letter (Vietnamese letters included, in NFC or
// NFD) and goes on with letters, ASCII digits and '&' (QH13, KH&CN). A year
// (19xx or 20xx) may follow the leading number, and then must be followed by
// '/'. Every number contains at least one '/' and at least one symbol part,
// which is why dates (15/3/2022), fractions (1/2), ranges (2021-2025) and
// phone numbers are never numbers. Spaces, tabs and no-break spaces (at most
// three) are tolerated around a separator ("56/ 2015/ NĐ - CP"), and the
// hyphens U+2010, U+2011 and the en dash U+2013 count as '-'.
//
// In running text (Find) a number must stand alone: the rune before it may
// not be a letter, digit, '/', '-', '&', '_', '@' or a '.' glued to a word,
// and the rune after it may not be a letter, digit, '/', '-', '&', '_' or
// '@'; trailing punctuation such as ".,;:)" is not part of the number. URLs
// and e-mail addresses are skipped. To keep prose such as "trang 5 - Hà Nội"
// or "QUÝ 1/NĂM 2022" out, the symbol right after the leading number (unless
// a year came first) and any symbol after a spaced separator must look like
// an abbreviation: upper case in its first two letters and without accents
// other than Đ (NĐ, TTg), or a known abbreviation in any case (qđ, ubnd). A spaced separator is not accepted
// after an unspaced one between symbols, so "76/NQ-CP - UBND tỉnh" yields
// 76/NQ-CP.
//
// # Keys
//
// The canonical key of a number folds diacritics (Đ→D), upper-cases
// everything, removes all spaces, turns every hyphen into '-', strips the
// leading zeros of the leading number, and keeps '/', '-' and '&'. So
// 1256/QĐ-UBND, 1256/QD-UBND and "1256 / qđ - ubnd" all have the key
// 1256/QD-UBND; 04-NQ/TU and 4-NQ/TU share 4-NQ/TU; 20/2020/QĐ-TTg gives
// 20/2020/QD-TTG. Keys contain no '*', '?' or '[', so a key is also a GLOB
// pattern that matches only itself.
//
// # Loose forms
//
// Valid accepts only slash forms. Key also accepts search-box forms: a
// leading type word ("Quyết định số 1256/QĐ-UBND") and space-separated parts
// ("1256 qd ubnd", "42 2022 nd cp", "04 nq tu"); see Key. A query that names
// too little to build a key ("qđ 1256", "quyết định 1256", "1256") goes to
// Loose, which returns an SQLite GLOB pattern over keys.
package legalref

import "strings"

// Match is one recognised document number in a text.
type Match struct {
	Start, End int    // byte offsets of the number itself in the input (not the type word)
	Text       string // the input text of the number, input[Start:End]
	Key        string // canonical key
	TypeWord   string // the Vietnamese type word before it if any, as written (e.g. "Quyết định số"), else ""
	WordStart  int    // byte offset where TypeWord starts (== Start when none)
}

// Find returns every document number in text, in order, non-overlapping.
// Text inside URLs (http://, https://, www.) and e-mail addresses is skipped;
// Markdown code spans and links are the caller's business.
func Find(text string) []Match {
	if strings.IndexByte(text, '/') < 0 {
		return nil
	}
	var out []Match
	skips := newSkipper(text)
	prevEnd := 0
	for i := 0; i < len(text); {
		if !isDigit(text[i]) {
			i++
			continue
		}
		if next, inside := skips.skip(i); inside {
			i = next
			continue
		}
		if end, ok := candidate(text, i); ok && !skips.overlaps(i, end) {
			out = append(out, newMatch(text, i, end, prevEnd))
			prevEnd = end
			i = end
			continue
		}
		i = digitsEnd(text, i)
	}
	return out
}

// candidate reports whether a number starts at i in running text, and where
// it ends.
func candidate(text string, i int) (int, bool) {
	if !leftBoundary(text, i) {
		return 0, false
	}
	end, ok := parse(text, i, false)
	if !ok || !rightBoundary(text, end) {
		return 0, false
	}
	return end, true
}

// newMatch builds the Match for text[start:end], looking for a type word
// no earlier than floor (the end of the previous match).
func newMatch(text string, start, end, floor int) Match {
	m := Match{Start: start, End: end, Text: text[start:end], Key: canonical(text[start:end]), WordStart: start}
	if ws, ok := typeWordBefore(text, start, floor); ok {
		m.TypeWord = trimHSpaceRight(text[ws:start])
		m.WordStart = ws
	}
	return m
}
