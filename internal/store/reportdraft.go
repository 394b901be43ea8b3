package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"cchc/internal/agency"
)

// AuditReportDraft records a save of the year's report draft (migration
// 0050).
const AuditReportDraft AuditAction = "report_draft"

// ReportDraft is one revision of sections II and III of a year's report
// (table report_drafts, migration 0050).
type ReportDraft struct {
	Year     int
	Revision int // 1, 2, …
	// Shortcomings is section II (tồn tại, hạn chế và nguyên nhân);
	// Directions section III (phương hướng, nhiệm vụ và kiến nghị).
	Shortcomings, Directions string
	Author                   string
	SavedAt                  time.Time // UTC, whole seconds
}

const reportDraftCols = `year, revision, shortcomings, directions, author, saved_at`

func scanReportDraft(row interface{ Scan(...any) error }) (*ReportDraft, error) {
	var d ReportDraft
	var at int64
	if err := row.Scan(&d.Year, &d.Revision, &d.Shortcomings, &d.Directions, &d.Author, &at); err != nil {
		return nil, err
	}
	d.SavedAt = time.Unix(at, 0).UTC()
	return &d, nil
}

// ReportDraft returns the newest revision of the agency's draft for year,
// ErrNotFound when none was saved. Every method here reads and writes the
// drafts of the agency ctx acts for.
func (s *Store) ReportDraft(ctx context.Context, year int) (*ReportDraft, error) {
	d, err := scanReportDraft(s.db.Read.QueryRowContext(ctx, `SELECT `+reportDraftCols+`
		FROM report_drafts WHERE agency_id = ? AND year = ? ORDER BY revision DESC LIMIT 1`, agency.IDFrom(ctx), year))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("store: report draft %d: %w", year, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("store: report draft %d: %w", year, err)
	}
	return d, nil
}

// ReportDraftRevision returns revision rev of year's draft.
func (s *Store) ReportDraftRevision(ctx context.Context, year, rev int) (*ReportDraft, error) {
	d, err := scanReportDraft(s.db.Read.QueryRowContext(ctx, `SELECT `+reportDraftCols+`
		FROM report_drafts WHERE agency_id = ? AND year = ? AND revision = ?`, agency.IDFrom(ctx), year, rev))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("store: report draft %d/%d: %w", year, rev, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("store: report draft %d/%d: %w", year, rev, err)
	}
	return d, nil
}

// ReportDrafts lists every revision of year's draft, newest first.
func (s *Store) ReportDrafts(ctx context.Context, year int) ([]*ReportDraft, error) {
	rows, err := s.db.Read.QueryContext(ctx, `SELECT `+reportDraftCols+`
		FROM report_drafts WHERE agency_id = ? AND year = ? ORDER BY revision DESC`, agency.IDFrom(ctx), year)
	if err != nil {
		return nil, fmt.Errorf("store: report drafts %d: %w", year, err)
	}
	defer rows.Close()
	var out []*ReportDraft
	for rows.Next() {
		d, err := scanReportDraft(rows)
		if err != nil {
			return nil, fmt.Errorf("store: report drafts %d: %w", year, err)
		}
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: report drafts %d: %w", year, err)
	}
	return out, nil
}

// SaveReportDraft saves d as the revision after base (0: the first), with
// its audit entry, in one transaction. When the newest revision is no
// longer base — someone saved in between — nothing is written and the
// error wraps ErrConflict. d.Revision is set on success.
func (s *Store) SaveReportDraft(ctx context.Context, d *ReportDraft, base int, audit AuditEntry) error {
	return s.Tx(ctx, func(tx *sql.Tx) error {
		var newest int
		own := agency.IDFrom(ctx)
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(revision), 0) FROM report_drafts WHERE agency_id = ? AND year = ?`, own, d.Year).Scan(&newest); err != nil {
			return fmt.Errorf("store: save report draft %d: %w", d.Year, err)
		}
		if newest != base {
			return fmt.Errorf("store: save report draft %d over revision %d (now %d): %w", d.Year, base, newest, ErrConflict)
		}
		d.Revision = base + 1
		if _, err := tx.ExecContext(ctx, `INSERT INTO report_drafts (agency_id, `+reportDraftCols+`) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			own, d.Year, d.Revision, d.Shortcomings, d.Directions, d.Author, d.SavedAt.Unix()); err != nil {
			return fmt.Errorf("store: save report draft %d: %w", d.Year, err)
		}
		return s.Audit(ctx, tx, audit)
	})
}
