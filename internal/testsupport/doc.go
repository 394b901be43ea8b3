// Package testsupport is the set-up the tests of many packages share, so
// that each piece is written once: the service over a migrated database in
// a temporary folder (with the demo content, or the small plan year the
// report and log tests work out by hand), accounts to log in with, the
// bytes of small files of each kind the media library takes, requests to
// the real router, a browser-like client over HTTP, and `cchc serve`
// running in the test's process.
//
// Only tests import it: its files are not _test.go files so that tests of
// other packages can share them, but no package of the service may import
// it and the cchc binary does not link it (cmd/cchc's TestImportOrder
// checks both). It imports package app, so only external test packages
// (package x_test) can use it; a package's internal tests keep their own
// helpers. Helpers that one package alone needs stay in that package's
// tests.
package testsupport
