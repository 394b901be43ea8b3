// Package themes embeds the default theme. A folder themes/NAME/ on disk
// overrides its files one by one.
package themes

import "embed"

// Default is the embedded default theme (layouts, partials, pages, assets).
//
//go:embed default
var Default embed.FS
