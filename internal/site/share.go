package site

import "net/url"

// Share is what an item page offers to pass on (issue 17.8): its
// absolute address to copy, and plain links to share it on Facebook and
// Zalo. Plain links only: no third party's script or frame reaches the
// page, and none is told who reads it before they click. Printing needs
// nothing here: the page says how, and the print styles do the rest.
type Share struct {
	// URL is the page's absolute address: --base-url when set, else the
	// same public base feeds and the sitemap use (config.PublicBase);
	// never the request's Host.
	URL      string
	Facebook string
	Zalo     string
}

// facebookSharer is Facebook's share dialog, which takes the address in u.
const facebookSharer = "https://www.facebook.com/sharer/sharer.php?u="

// zaloSharer is the page Zalo's share button opens, with the address in
// url. Zalo documents its button only through its SDK script, which the
// column does not load (CSP script-src 'self'); this is the address that
// script's button leads to, kept in one place should Zalo change it.
const zaloSharer = "https://sp.zalo.me/share_inline?url="

// share builds the Share of the page at path.
func (s *Site) share(path string) Share {
	u := s.publicBase + path
	q := url.QueryEscape(u)
	return Share{URL: u, Facebook: facebookSharer + q, Zalo: zaloSharer + q}
}
