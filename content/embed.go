// Package demo embeds the demo content of the column: the documents plan
// 272/KH-SKHCN names, articles across 2022, procedures of the department and
// the plan itself. serve imports it into an empty database when no content
// folder exists.
package demo

import "embed"

// FS is the demo content tree (articles/, procedures/, documents/, plans/).
//
//go:embed articles documents procedures plans
var FS embed.FS
