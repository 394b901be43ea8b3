package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"cchc/internal/agency"
)

// MediaDirName is the folder of stored files inside the data folder.
const MediaDirName = "media"

// Media is one stored file of the media library.
type Media struct {
	Name         string // sha256hex.ext, also the file's name under MediaDir
	ContentType  string
	Size         int64
	OriginalName string // as uploaded, cleaned; only ever shown or offered as a download name
	Alt          string // an image's text alternative
	SourcePath   string // relative path in the content folder, for files that came with an import
	UploadedBy   string
	Uploaded     time.Time
}

// MediaDir is the folder the stored files live in: media/ next to the
// database file, inside the data folder.
func (s *Store) MediaDir() string {
	return filepath.Join(filepath.Dir(s.db.Path), MediaDirName)
}

// PutMedia adds m to the library of the agency ctx acts for. The same
// file added again keeps its first row — who uploaded it and when — but
// takes a newly typed alt text and a source path it did not have, when
// the agency is the row's (its first uploader's). Another agency adding
// the same bytes owns the file too (media_owners, migration 0151) and
// changes nothing of the row: the alt text it typed is its own, kept on
// its ownership row (migration 0220) and read back by it alone.
func (s *Store) PutMedia(ctx context.Context, tx *sql.Tx, m *Media) error {
	own := agency.IDFrom(ctx)
	_, err := tx.ExecContext(ctx, `INSERT INTO media (name, content_type, size, original_name, alt, source_path, uploaded_by, uploaded_at, agency_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (name) DO UPDATE SET
			alt = CASE WHEN excluded.alt <> '' THEN excluded.alt ELSE media.alt END,
			source_path = CASE WHEN media.source_path = '' THEN excluded.source_path ELSE media.source_path END,
			original_name = CASE WHEN media.original_name = '' THEN excluded.original_name ELSE media.original_name END
		WHERE media.agency_id = excluded.agency_id`,
		m.Name, m.ContentType, m.Size, m.OriginalName, m.Alt, m.SourcePath, m.UploadedBy, m.Uploaded.Unix(), own)
	if err != nil {
		return fmt.Errorf("store: media %q: %w", m.Name, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO media_owners (name, agency_id, alt) SELECT name, ?, ? FROM media WHERE name = ? AND agency_id <> ?
		ON CONFLICT (agency_id, name) DO UPDATE SET alt = excluded.alt WHERE excluded.alt <> ''`, own, m.Alt, m.Name, own); err != nil {
		return fmt.Errorf("store: media %q: %w", m.Name, err)
	}
	return nil
}

// mediaOwned is the condition on media that the file is the agency's
// (first argument, twice): uploaded by it first, or since.
const mediaOwned = `(agency_id = ? OR name IN (SELECT name FROM media_owners WHERE agency_id = ?))`

const mediaColumns = `name, content_type, size, original_name, alt, source_path, uploaded_by, uploaded_at`

// mediaOwnColumns are mediaColumns as the agency (first argument) reads
// its library: its own alt text when it is an owner that typed one, else
// the first uploader's.
const mediaOwnColumns = `name, content_type, size, original_name,
	COALESCE(NULLIF((SELECT o.alt FROM media_owners o WHERE o.agency_id = ? AND o.name = media.name), ''), alt),
	source_path, uploaded_by, uploaded_at`

func scanMedia(row interface{ Scan(...any) error }) (*Media, error) {
	m := &Media{}
	var at int64
	if err := row.Scan(&m.Name, &m.ContentType, &m.Size, &m.OriginalName, &m.Alt, &m.SourcePath, &m.UploadedBy, &at); err != nil {
		return nil, err
	}
	m.Uploaded = time.Unix(at, 0).UTC()
	return m, nil
}

// MediaFile returns the library row of the file called name, when the
// agency ctx acts for owns it.
func (s *Store) MediaFile(ctx context.Context, name string) (*Media, error) {
	own := agency.IDFrom(ctx)
	m, err := scanMedia(s.db.Read.QueryRowContext(ctx, `SELECT `+mediaOwnColumns+` FROM media WHERE name = ? AND `+mediaOwned, own, name, own, own))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("store: media %q: %w", name, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("store: media %q: %w", name, err)
	}
	return m, nil
}

// mediaPageQuery finds the names of one page of an agency's library
// (arguments: the agency three times, limit, offset), newest first: the
// files it uploaded first, in the order of the index media_agency, merged
// with the few it came to own since (media_owners). mediaOwned's OR read
// and sorted every file of the agency for each page.
const mediaPageQuery = `SELECT name, uploaded_at FROM media WHERE agency_id = ?
	UNION ALL SELECT m.name, m.uploaded_at FROM media_owners o JOIN media m ON m.name = o.name WHERE o.agency_id = ? AND m.agency_id <> ?
	ORDER BY 2 DESC, 1 LIMIT ? OFFSET ?`

// mediaCountQuery counts an agency's library (the agency three times)
// through the same two paths.
const mediaCountQuery = `SELECT (SELECT count(*) FROM media WHERE agency_id = ?)
	+ (SELECT count(*) FROM media_owners o JOIN media m ON m.name = o.name WHERE o.agency_id = ? AND m.agency_id <> ?)`

// MediaFiles lists the library of the agency ctx acts for newest first,
// limit rows from offset, with the number of rows in all.
func (s *Store) MediaFiles(ctx context.Context, limit, offset int) ([]*Media, int, error) {
	own := agency.IDFrom(ctx)
	var total int
	if err := s.db.Read.QueryRowContext(ctx, mediaCountQuery, own, own, own).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: media: %w", err)
	}
	if offset >= total {
		return nil, total, nil
	}
	rows, err := s.db.Read.QueryContext(ctx, mediaPageQuery, own, own, own, limit, offset)
	if err != nil {
		return nil, 0, fmt.Errorf("store: media: %w", err)
	}
	defer rows.Close()
	var names []any
	for rows.Next() {
		var name string
		var at int64
		if err := rows.Scan(&name, &at); err != nil {
			return nil, 0, fmt.Errorf("store: media: %w", err)
		}
		names = append(names, name)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("store: media: %w", err)
	}
	if len(names) == 0 {
		return nil, total, nil
	}
	out, err := s.queryMedia(ctx, `SELECT `+mediaOwnColumns+` FROM media WHERE name IN (?`+strings.Repeat(", ?", len(names)-1)+`)
		ORDER BY uploaded_at DESC, name`, append([]any{own}, names...)...)
	return out, total, err
}

// AllMedia lists every row of the library by name, of every agency: the
// files of the data folder, which a backup copies and a check reads
// whoever owns them.
func (s *Store) AllMedia(ctx context.Context) ([]*Media, error) {
	return s.queryMedia(ctx, `SELECT `+mediaColumns+` FROM media ORDER BY name`)
}

func (s *Store) queryMedia(ctx context.Context, query string, args ...any) ([]*Media, error) {
	rows, err := s.db.Read.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: media: %w", err)
	}
	defer rows.Close()
	var out []*Media
	for rows.Next() {
		m, err := scanMedia(rows)
		if err != nil {
			return nil, fmt.Errorf("store: media: %w", err)
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: media: %w", err)
	}
	return out, nil
}
