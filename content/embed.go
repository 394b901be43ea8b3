// Package demo embeds the demo content of the column: the documents plan
// 272/KH-SKHCN names, articles across 2022, procedures of the department,
// the activities of 2022 (III.3–III.6) with their placeholder evidence
// (minh-chung/), and the plan itself. serve imports it into an empty
// database when no content folder exists.
//
// It also holds two more agencies (agencies/: the Sở Tư pháp under
// /so-tu-phap and a district's People's Committee, each with a small 2022
// plan and a few articles, the district's report sent late), so that the
// binary alone, run outside the repository, shows the three columns and
// the province's roll-up as `serve` does from the folder.
package demo

import "embed"

// FS is the demo content tree (articles/, procedures/, documents/,
// activities/, minh-chung/, plans/, and the other agencies' trees under
// agencies/).
//
//go:embed articles documents procedures activities minh-chung plans agencies
var FS embed.FS
