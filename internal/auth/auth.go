// Package auth holds the security rules of the editors' workspace that do
// not depend on the web or the database: password hashing (argon2id),
// session tokens, roles and their permissions — the workflow's permission
// table (workflow.go) included — and the login rate limiter.
//
// The web side (cookies, CSRF, the login screen) lives in internal/admin and
// the tables in internal/store (users.go, sessions.go, audit.go).
package auth
