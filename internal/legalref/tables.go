package legalref

import (
	"unicode"
	"unicode/utf8"

	"cchc/internal/vntext"
)

// abbreviations are the symbol parts, folded and in upper case, that Find
// takes for the symbol of a number even when typed in lower case ("số
// 1256/qđ-ubnd"): the types of documents of Nghị định 30/2020 and of the
// Party, and the most cited issuers.
var abbreviations = map[string]bool{
	// Types.
	"QD": true, "ND": true, "NQ": true, "KH": true, "HD": true, "TT": true,
	"TTR": true, "CT": true, "CTR": true, "TB": true, "BC": true, "CV": true,
	"KL": true, "QC": true, "QDI": true, "DA": true, "CD": true, "PA": true,
	"TTLT": true, "NQLT": true, "VBHN": true, "QH": true, "PL": true,
	"UBTVQH": true, "GM": true, "BB": true,
	// Issuers.
	"UBND": true, "HDND": true, "CP": true, "TTG": true, "VPCP": true,
	"TU": true, "HU": true, "TW": true, "VPTW": true, "BCH": true,
	"BTTTT": true, "STTTT": true, "BKHCN": true, "SKHCN": true,
	"BNV": true, "SNV": true, "BTC": true, "STC": true, "BCA": true,
	"BQP": true, "BYT": true, "SYT": true, "BGDDT": true, "SGDDT": true,
	"BCT": true, "SCT": true, "BXD": true, "SXD": true, "BTNMT": true,
	"STNMT": true, "BNNPTNT": true, "SNNPTNT": true, "BLDTBXH": true,
	"SLDTBXH": true, "BKHDT": true, "SKHDT": true, "BTP": true, "STP": true,
	"BVHTTDL": true, "SVHTTDL": true, "BGTVT": true, "SGTVT": true,
	"TTCP": true, "NHNN": true, "VPUB": true, "VP": true, "BCD": true,
}

// partyIssuers are the Party issuers whose documents are numbered
// number-TYPE/ISSUER (04-NQ/TU); Key uses them to put a spaced query such as
// "04 nq tu" together.
var partyIssuers = map[string]bool{
	"TU": true, "HU": true, "QU": true, "DU": true, "DUK": true, "TW": true,
	"VPTW": true, "BTGTW": true, "BTCTW": true, "UBKTTW": true,
	"BTGTU": true, "BTCTU": true, "UBKTTU": true, "BCSD": true,
}

// abbreviation reports whether a symbol part found in running text looks
// like an abbreviation: upper case in its first two letters (NĐ, TTg, L)
// with no accented letter but Đ (symbols never carry tone marks, so the
// heading "QUÝ 1/NĂM 2022" holds no number), or a known abbreviation in any
// case. Trailing digits are ignored (QH13).
func abbreviation(part string) bool {
	if upperStart(part) && unaccented(part) {
		return true
	}
	k := upper(vntext.Fold(part))
	for len(k) > 0 && isDigit(k[len(k)-1]) {
		k = k[:len(k)-1]
	}
	return abbreviations[k]
}

// upperStart reports whether the first letter of part, and the second if
// any, are upper case.
func upperStart(part string) bool {
	seen := 0
	for _, r := range part {
		if !unicode.IsLetter(r) {
			continue
		}
		if !unicode.IsUpper(r) {
			return false
		}
		if seen++; seen == 2 {
			break
		}
	}
	return seen > 0
}

// unaccented reports whether part has no letter with a diacritic other than
// Đ/đ, and no combining mark.
func unaccented(part string) bool {
	for _, r := range part {
		if r >= utf8.RuneSelf && r != 'Đ' && r != 'đ' {
			return false
		}
	}
	return true
}
