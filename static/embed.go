// Package static embeds the files served as they are at the site root
// (favicon and the like).
package static

import "embed"

// FS holds the static files.
//
//go:embed favicon.svg
var FS embed.FS
