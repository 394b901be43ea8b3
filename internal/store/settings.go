package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"cchc/internal/agency"
	"cchc/internal/settings"
)

// AuditSettings records a change to the site's settings (migration 0060).
const AuditSettings AuditAction = "settings"

// SiteSettings is the settings record with who changed it last.
type SiteSettings struct {
	settings.Settings
	UpdatedBy string
	UpdatedAt time.Time // UTC; zero when never changed
}

// Settings reads the settings record of the agency ctx acts for (table
// settings, whose id is the agency's; migration 0151). An agency that
// never saved its settings reads the defaults: every value empty.
func (s *Store) Settings(ctx context.Context) (*SiteSettings, error) {
	var out SiteSettings
	var at int64
	err := s.db.Read.QueryRowContext(ctx, `SELECT desk_address, desk_phone, desk_email, desk_hours, content_unit, portal_url,
		COALESCE(logo, ''), updated_by, updated_at FROM settings WHERE id = ?`, agency.IDFrom(ctx)).Scan(
		&out.DeskAddress, &out.DeskPhone, &out.DeskEmail, &out.DeskHours, &out.ContentUnit, &out.PortalURL, &out.Logo, &out.UpdatedBy, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return &SiteSettings{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: settings: %w", err)
	}
	if at > 0 {
		out.UpdatedAt = time.Unix(at, 0).UTC()
	}
	return &out, nil
}

// SaveSettings writes the settings record of the agency ctx acts for and
// its audit entry in one transaction: both, or neither. The record moves
// the site's version (a trigger), so the page cache drops every page.
func (s *Store) SaveSettings(ctx context.Context, v settings.Settings, by string, at time.Time, audit AuditEntry) error {
	var logo any
	if v.Logo != "" {
		logo = v.Logo
	}
	return s.Tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO settings (id, desk_address, desk_phone, desk_email, desk_hours,
			content_unit, portal_url, logo, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET desk_address = excluded.desk_address, desk_phone = excluded.desk_phone,
			desk_email = excluded.desk_email, desk_hours = excluded.desk_hours, content_unit = excluded.content_unit,
			portal_url = excluded.portal_url, logo = excluded.logo, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
			agency.IDFrom(ctx), v.DeskAddress, v.DeskPhone, v.DeskEmail, v.DeskHours, v.ContentUnit, v.PortalURL, logo, by, at.Unix())
		if err != nil {
			return fmt.Errorf("store: save settings: %w", err)
		}
		return s.Audit(ctx, tx, audit)
	})
}
