// Package demo embeds the demo content of the column: the documents plan
// 272/KH-SKHCN names, articles across 2022, procedures of the department,
// the activities of 2022 (III.3–III.6) with their placeholder evidence
// (minh-chung/), and the plan itself. serve imports it into an empty
// database when no content folder exists.
//
// The folder also holds two more agencies (agencies/: the Sở Tư pháp and
// a district's People's Committee, each with a small 2022 plan and a few
// articles, the district's report sent late), which `cchc import` and
// `serve` read from the folder. They are not embedded yet: until every
// layer of issue 20 is in (each agency's log and figures, the prefixed
// routes), the root column's reports and pages would count and link
// their items; add agencies to the list below then.
package demo

import "embed"

// FS is the demo content tree (articles/, procedures/, documents/,
// activities/, minh-chung/, plans/).
//
//go:embed articles documents procedures activities minh-chung plans
var FS embed.FS
