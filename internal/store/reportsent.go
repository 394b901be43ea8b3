package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"cchc/internal/agency"
)

// AuditReportSent records that a year's report was sent (migration 0032).
const AuditReportSent AuditAction = "report_sent"

// ReportSending records that a year's report was sent (table
// report_sendings, migration 0032).
type ReportSending struct {
	ID         int64
	Year       int
	Report     string    // which report: "" the unit's (the Trung tâm's), "so" the Sở's consolidated one (migration 0101)
	SentOn     time.Time // the dispatch's date: midnight in Vietnam
	Number     string    // số/ký hiệu
	File       string    // media name of the signed copy; "" when none
	Note       string
	RecordedBy string
	RecordedAt time.Time // UTC, whole seconds
}

// InsertReportSending records r in tx for the agency ctx acts for
// (report_sendings.agency_id, issue 20) and sets its ID.
func (s *Store) InsertReportSending(ctx context.Context, tx *sql.Tx, r *ReportSending) error {
	var file any
	if r.File != "" {
		file = r.File
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO report_sendings (agency_id, year, report, sent_on, number, file, note, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		agency.IDFrom(ctx), r.Year, r.Report, r.SentOn.Format("2006-01-02"), r.Number, file, r.Note, r.RecordedBy, r.RecordedAt.Unix())
	if err != nil {
		return fmt.Errorf("store: report sending %d: %w", r.Year, err)
	}
	if r.ID, err = res.LastInsertId(); err != nil {
		return fmt.Errorf("store: report sending %d: %w", r.Year, err)
	}
	return nil
}

// ReportSendings lists the records of year's reports (both) of the agency
// ctx acts for, newest first; zone is where the dispatch dates are read
// (Vietnam).
func (s *Store) ReportSendings(ctx context.Context, year int, zone *time.Location) ([]*ReportSending, error) {
	rows, err := s.db.Read.QueryContext(ctx, `SELECT id, year, report, sent_on, number, COALESCE(file, ''), note, recorded_by, recorded_at
		FROM report_sendings WHERE year = ? AND agency_id = ? ORDER BY id DESC`, year, agency.IDFrom(ctx))
	if err != nil {
		return nil, fmt.Errorf("store: report sendings %d: %w", year, err)
	}
	defer rows.Close()
	var out []*ReportSending
	for rows.Next() {
		var r ReportSending
		var on string
		var at int64
		if err := rows.Scan(&r.ID, &r.Year, &r.Report, &on, &r.Number, &r.File, &r.Note, &r.RecordedBy, &at); err != nil {
			return nil, fmt.Errorf("store: report sendings %d: %w", year, err)
		}
		if r.SentOn, err = time.ParseInLocation("2006-01-02", on, zone); err != nil {
			return nil, fmt.Errorf("store: report sendings %d: %w", year, err)
		}
		r.RecordedAt = time.Unix(at, 0).UTC()
		out = append(out, &r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: report sendings %d: %w", year, err)
	}
	return out, nil
}

// RecordReportSending records r and its audit entry in one transaction:
// both, or neither.
func (s *Store) RecordReportSending(ctx context.Context, r *ReportSending, audit AuditEntry) error {
	return s.Tx(ctx, func(tx *sql.Tx) error {
		if err := s.InsertReportSending(ctx, tx, r); err != nil {
			return err
		}
		return s.Audit(ctx, tx, audit)
	})
}
