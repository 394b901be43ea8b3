package testsupport

import (
	"embed"
	"io/fs"
	"time"

	"cchc/internal/vntext"
)

//go:embed testdata/plan-2022
var planYear embed.FS

// PlanYear is a small year of content against plan 272/KH-SKHCN of 2022,
// whose figures package progress's TestReportFigures works out by hand:
// the plan (three areas, documents 1256/QĐ-UBND, 76/NQ-CP and 999/QĐ-UBND,
// items III.1–III.3), two of its documents, a public and a draft
// procedure, and thirteen articles from 20/12/2021 (a12: last year) to
// 10/09/2022 (a11: scheduled, not public at PlanClock), a04 updated and
// a13 counted against III.2. Imported at PlanClock it gives 16 log rows.
func PlanYear() fs.FS {
	sub, err := fs.Sub(planYear, "testdata/plan-2022")
	if err != nil {
		panic(err) // the folder is embedded: the build checks the pattern
	}
	return sub
}

// PlanClock is the time of PlanYear's tests: 15/8/2022, so January–July
// are over, August is the current month, Q3 the current quarter, Q4 to
// come.
func PlanClock() time.Time { return time.Date(2022, 8, 15, 10, 0, 0, 0, vntext.Zone) }
