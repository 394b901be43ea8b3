// Package demo embeds the demo content of the column: the documents plan
// 272/KH-SKHCN names, articles across 2022, procedures of the department,
// the activities of 2022 (III.3–III.6) with their placeholder evidence
// (minh-chung/), and the plan itself. serve imports it into an empty database when no content
// folder exists.
package demo

import "embed"

// FS is the demo content tree (articles/, procedures/, documents/,
// activities/, minh-chung/, plans/).
//
//go:embed articles documents procedures activities minh-chung plans
var FS embed.FS
