package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"cchc/internal/agency"
	"cchc/internal/locale"
)

// AuditAction names what an audit entry records.
type AuditAction string

// The actions of the audit log. The workflow records its own with the
// same Audit call, in the transaction of the change.
const (
	AuditLogin          AuditAction = "login"           // good login
	AuditLoginFailed    AuditAction = "login_failed"    // wrong name or password, or disabled account
	AuditLoginThrottled AuditAction = "login_throttled" // refused by the rate limit, password not checked
	AuditLogout         AuditAction = "logout"
	AuditUserAdd        AuditAction = "user_add"
	AuditUserChange     AuditAction = "user_change"   // role or display name
	AuditUserPassword   AuditAction = "user_password" // password set or reset
	AuditUserDisable    AuditAction = "user_disable"
	AuditUserEnable     AuditAction = "user_enable"

	AuditSave     AuditAction = "save"
	AuditSubmit   AuditAction = "submit"
	AuditPublish  AuditAction = "publish"
	AuditSchedule AuditAction = "schedule"
	AuditReject   AuditAction = "reject"
	AuditWithdraw AuditAction = "withdraw"
	AuditDelete   AuditAction = "delete"
	AuditRestore  AuditAction = "restore"
	AuditUpload   AuditAction = "upload"
)

// Label is the action's Vietnamese name for the audit screen.
func (a AuditAction) Label() string {
	switch a {
	case AuditReportSent:
		return locale.T("audit.report_sent")
	case AuditReportDraft:
		return locale.T("audit.report_draft")
	case AuditSettings:
		return locale.T("audit.settings")
	case AuditLogin:
		return locale.T("audit.login")
	case AuditLoginFailed:
		return locale.T("audit.login_failed")
	case AuditLoginThrottled:
		return locale.T("audit.login_throttled")
	case AuditLogout:
		return locale.T("audit.logout")
	case AuditUserAdd:
		return locale.T("audit.user_add")
	case AuditUserChange:
		return locale.T("audit.user_change")
	case AuditUserPassword:
		return locale.T("audit.user_password")
	case AuditUserDisable:
		return locale.T("audit.user_disable")
	case AuditUserEnable:
		return locale.T("audit.user_enable")
	case AuditSave:
		return locale.T("audit.save")
	case AuditSubmit:
		return locale.T("audit.submit")
	case AuditPublish:
		return locale.T("audit.publish")
	case AuditSchedule:
		return locale.T("audit.schedule")
	case AuditReject:
		return locale.T("audit.reject")
	case AuditWithdraw:
		return locale.T("audit.withdraw")
	case AuditDelete:
		return locale.T("audit.delete")
	case AuditRestore:
		return locale.T("audit.restore")
	case AuditUpload:
		return locale.T("audit.upload")
	}
	return string(a)
}

// Anonymous reports whether the action is taken by someone not logged in
// (a failed or refused login); such a row without an address sums up
// attempts from several addresses.
func (a AuditAction) Anonymous() bool { return a == AuditLoginFailed || a == AuditLoginThrottled }

// AuditEntry is one row of the audit log: who did what, to what, when and
// from where.
type AuditEntry struct {
	ID      int64
	At      time.Time
	Actor   string // account name; "" for an unknown name, "cli" for the command line
	Action  AuditAction
	Target  string // what was acted on, e.g. "user:bientap" or "item:42"
	Detail  string // free text for people, never a password or token
	Address string // client address; "" from the command line, or for a summary of anonymous attempts from several addresses
}

// Audit appends e to the audit log of the agency ctx acts for. With a tx
// it joins that transaction, so the entry commits with the change it
// records; with nil it writes in a transaction of its own. A zero At is the current time: pass the
// service's clock when you have one.
func (s *Store) Audit(ctx context.Context, tx *sql.Tx, e AuditEntry) error {
	if tx == nil {
		return s.Tx(ctx, func(tx *sql.Tx) error { return s.Audit(ctx, tx, e) })
	}
	if e.At.IsZero() {
		e.At = time.Now()
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO audit_log (agency_id, at, actor, action, target, detail, address) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		agency.IDFrom(ctx), e.At.Unix(), e.Actor, string(e.Action), e.Target, e.Detail, e.Address)
	if err != nil {
		return fmt.Errorf("store: audit %s: %w", e.Action, err)
	}
	return nil
}

// AuditEntries returns one page of the audit log of the agency ctx acts
// for, newest first, and the number of its entries in all.
func (s *Store) AuditEntries(ctx context.Context, limit, offset int) ([]AuditEntry, int, error) {
	own := agency.IDFrom(ctx)
	var total int
	if err := s.db.Read.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log WHERE agency_id = ?`, own).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: audit log: %w", err)
	}
	rows, err := s.db.Read.QueryContext(ctx, `SELECT id, at, actor, action, target, detail, address FROM audit_log
		WHERE agency_id = ? ORDER BY at DESC, id DESC LIMIT ? OFFSET ?`, own, limit, offset)
	if err != nil {
		return nil, 0, fmt.Errorf("store: audit log: %w", err)
	}
	defer rows.Close()
	var out []AuditEntry
	for rows.Next() {
		var e AuditEntry
		var at int64
		var action string
		if err := rows.Scan(&e.ID, &at, &e.Actor, &action, &e.Target, &e.Detail, &e.Address); err != nil {
			return nil, 0, fmt.Errorf("store: audit log: %w", err)
		}
		e.At, e.Action = time.Unix(at, 0).UTC(), AuditAction(action)
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("store: audit log: %w", err)
	}
	return out, total, nil
}
