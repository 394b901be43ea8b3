//go:build race

package site_test

// raceSlowdown is how many times slower the race detector makes SQLite
// (pure Go here): bounds on time widen by it, so that `go test -race`
// fails on a race, not on the clock (70 s under it for 2.5 s without).
const raceSlowdown = 10
