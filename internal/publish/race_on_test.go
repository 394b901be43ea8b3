//go:build race

package publish_test

// raceEnabled says the tests run under the race detector, which makes an
// import of a few hundred files several times slower.
const raceEnabled = true
