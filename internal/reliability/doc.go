// Package reliability holds the tests that prove the service survives what
// a government portal meets in production: the process killed at any
// moment, many people editing at once, sustained load, a shutdown in the
// middle of requests, a backup taken while it serves (or killed half-way),
// and a data folder copied read-only. Most of them run
// the real cchc binary and talk HTTP to it; docs/RELIABILITY.md lists them
// with their latest figures. The package has no code of its own.
package reliability
