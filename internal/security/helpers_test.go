// Package security_test proves the service's defences (issue 9, items 4
// and 7) from the outside: XSS payloads in every field, opened in headless
// Chromium; path traversal; oversized requests; sessions, cookies and
// headers; forwarded headers; accessibility (axe-core) and keyboard use;
// and, by class (issue 12), every anonymous route under bursts and every
// input against every output it reaches. It holds tests only.
package security_test

import (
	"net/http"
	"testing"
	"time"

	"cchc/internal/app"
	"cchc/internal/auth"
	"cchc/internal/config"
	"cchc/internal/testsupport"
)

// adminName is the admin account of the test sites; its password is
// testsupport.Password.
const adminName = "quantri"

// site is the whole service over a fresh data folder holding the demo
// content and an admin account.
type site struct {
	env *app.Env
	h   http.Handler
}

func newSite(t testing.TB, edit ...func(*config.Config)) *site {
	t.Helper()
	cfg := config.Defaults
	for _, e := range edit {
		e(&cfg)
	}
	env := testsupport.Demo(t, cfg, nil)
	testsupport.AddUser(t, env, adminName, auth.Admin, time.Now())
	return &site{env: env, h: testsupport.Handler(t, env)}
}

// newClient is a browser against base, logged in when login is called.
func newClient(t testing.TB, base string) *testsupport.Browser {
	return testsupport.NewBrowser(t, base)
}
