//go:build !race

package site_test

// raceSlowdown: see race_on_test.go.
const raceSlowdown = 1
