package testsupport

import (
	"embed"
	"io/fs"
	"testing/fstest"
	"time"

	"cchc/internal/vntext"
)

//go:embed testdata/plan-2022
var planYear embed.FS

// PlanYear is a small year of content against plan 272/KH-SKHCN of 2022,
// the base of the years package publog's and package progress's tests
// work out by hand (progress adds its plan's targets and official list):
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

// With is the content tree base with files added, or replacing base's
// files of the same name.
func With(base fs.FS, files fstest.MapFS) fstest.MapFS {
	out := fstest.MapFS{}
	err := fs.WalkDir(base, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(base, p)
		out[p] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		panic(err) // for embedded and in-memory trees, which read without fail
	}
	for p, f := range files {
		out[p] = f
	}
	return out
}
