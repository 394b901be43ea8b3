package agency

import (
	"slices"
	"strings"
)

// Shared lists the first path segments of Reserved that every column
// answers at the root addresses, whatever column a page belongs to: the
// theme's assets and stored files (the same bytes for everyone), the
// workspace and the reports (one login page; they act for the account's
// agency), the province's pages (/toan-tinh: the same address whichever
// column links to them). A prefixed column's pages link to them
// unprefixed, and the column does not answer them under its prefix.
var Shared = []string{"assets", "bao-cao", "favicon.svg", "quan-tri", "tep", "toan-tinh"}

// RootOnly lists the segments of Shared that only the root column's host
// answers as they should (the province's pages link every agency's items
// by the root host's paths): a column on its own host links to them at
// the root column's absolute address.
var RootOnly = []string{"toan-tinh"}

// InColumn reports whether seg, a first path segment without slashes
// ("tin-tuc", "" for the home page), addresses a page of a column: one
// of Reserved that is not Shared, or a sitemap file. Those are the paths
// a prefixed column answers under its prefix and the links its pages
// write with it.
func InColumn(seg string) bool {
	if seg == "" || strings.HasPrefix(seg, "sitemap") {
		return true
	}
	return slices.Contains(Reserved, seg) && !slices.Contains(Shared, seg)
}
