package main

import (
	"strings"
	"testing"
	"time"
)

// TestHugoSlowed: a set of Hugo builds whose system time outweighs their
// own work — what stop 35's VM did to them (user 10-12 s, system 14-17
// s, against about 2 s before) — is not the measure of the import, and
// the import row says so instead of a verdict; builds as a machine
// normally runs them are.
func TestHugoSlowed(t *testing.T) {
	build := func(user, sys float64) *hugoResult {
		return &hugoResult{wall: 7 * time.Second, cpu: cpuTime{user: time.Duration(user * float64(time.Second)), sys: time.Duration(sys * float64(time.Second))}}
	}
	if why := hugoSlowed([]*hugoResult{build(9.6, 2.0), build(9.9, 1.7), build(10.1, 2.3)}); why != "" {
		t.Errorf("builds of the first minutes of stop 35 judged slowed: %s", why)
	}
	if why := hugoSlowed(nil); why != "" {
		t.Errorf("no builds judged slowed: %s", why)
	}
	why := hugoSlowed([]*hugoResult{build(10.3, 13.8), build(10.0, 15.7), build(10.9, 15.3)})
	if !strings.Contains(why, "15.30 s") || !strings.Contains(why, "10.30 s") {
		t.Errorf("builds of stop 35's later rounds: %q", why)
	}
	sr := &sizeResult{n: 10000, importWall: 5 * time.Second, importWalls: []time.Duration{5 * time.Second}, importRSS: 250 << 20,
		importCPU: []cpuTime{{user: 7 * time.Second, sys: time.Second}}, importSummary: "thêm mới: 10007, cập nhật: 0, không đổi: 0, lỗi: 0",
		hugo: []*hugoResult{build(10.3, 13.8), build(10.0, 15.7), build(10.9, 15.3)}, hugoRatios: []float64{0.42, 0.39, 0.45}, hugoVersion: "0.111.3"}
	var imp *row
	rows := (&report{opts: &options{}}).rows(sr)
	for i := range rows {
		if strings.HasPrefix(rows[i].what, "import into") {
			imp = &rows[i]
		}
	}
	if imp == nil || !strings.HasPrefix(imp.verdict, "not judged") || !strings.Contains(imp.ref, "system 15.30 s") || !strings.Contains(imp.result, "cpu 8.00 s (system 1.00 s)") {
		t.Errorf("the import's row with Hugo slowed: %+v", imp)
	}
}
