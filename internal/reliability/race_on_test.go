//go:build race

package reliability_test

// raceEnabled is true under the race detector, which makes SQLite (pure Go
// here) several times slower: the concurrency test then does fewer rounds.
const raceEnabled = true
