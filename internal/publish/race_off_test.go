//go:build !race

package publish_test

// raceEnabled says the tests run under the race detector (race_on_test.go).
const raceEnabled = false
