//go:build race

package web

// raceSlowdown is how many times slower the race detector makes a loop
// over bytes: bounds on time widen by it, so that `go test -race` fails
// on a race, not on the clock (3.8 s under it for 0.38 s without).
const raceSlowdown = 15
