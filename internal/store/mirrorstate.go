package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"strings"
	"time"

	"cchc/internal/agency"
	"cchc/internal/content"
)

// MirrorItem is what a static mirror knows of a public item.
type MirrorItem struct {
	// Stamp changes whenever the item's row or areas do.
	Stamp string
	Kind  content.Kind
	// Areas are the content areas it belongs to.
	Areas []string
}

// MirrorStamps maps the path of each of the agency's items public at now (content.URL) to
// a stamp of what its page is made of: its row's state (version, times,
// status, slug) and its areas. A static mirror renders again the pages of
// the items whose stamp changed, came or went since its last run
// (mirror.Inputs); a scheduled item falling due comes in so.
func (s *Store) MirrorStamps(ctx context.Context, now time.Time) (map[string]MirrorItem, error) {
	rows, err := s.db.Read.QueryContext(ctx, `SELECT kind, slug, id, status, version, modified_at, COALESCE(updated_at, 0),
		published_at, withdrawn_reason, live, content_hash,
		COALESCE((SELECT group_concat(area, ',') FROM (SELECT area FROM item_areas WHERE item_id = items.id ORDER BY area)), '')
		FROM items
		WHERE agency_id = ? AND deleted_at IS NULL AND status IN ('published', 'withdrawn') AND published_at IS NOT NULL AND published_at <= ?`,
		agency.IDFrom(ctx), now.Unix())
	if err != nil {
		return nil, fmt.Errorf("store: mirror stamps: %w", err)
	}
	defer rows.Close()
	out := map[string]MirrorItem{}
	for rows.Next() {
		var kind, slug, status, reason, hash, areas string
		var id, version, modified, updated, published, live int64
		if err := rows.Scan(&kind, &slug, &id, &status, &version, &modified, &updated, &published, &reason, &live, &hash, &areas); err != nil {
			return nil, fmt.Errorf("store: mirror stamps: %w", err)
		}
		k, ok := content.ParseKind(kind)
		if !ok {
			continue
		}
		sum := sha256.Sum256(fmt.Appendf(nil, "%d\x1f%s\x1f%d\x1f%d\x1f%d\x1f%d\x1f%s\x1f%d\x1f%s\x1f%s",
			id, status, version, modified, updated, published, reason, live, hash, areas))
		it := MirrorItem{Stamp: hex.EncodeToString(sum[:12]), Kind: k}
		if areas != "" {
			it.Areas = strings.Split(areas, ",")
		}
		out[content.URL(k, slug)] = it
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: mirror stamps: %w", err)
	}
	return out, nil
}

// MirrorGlobal fingerprints what the agency's public pages show besides
// the items: the settings (the desk's address in every footer, the logo),
// the plans and the stored files. A change of it makes a static mirror
// render every page again.
func (s *Store) MirrorGlobal(ctx context.Context) (string, error) {
	h := sha256.New()
	for _, q := range []string{
		`SELECT * FROM settings WHERE id = ?`,
		`SELECT year, number, title, content_hash, data, procedure_list FROM plans WHERE agency_id = ? ORDER BY year`,
		`SELECT name, content_type, size, original_name, alt FROM media WHERE ` + mediaOwned + ` ORDER BY name`,
	} {
		args := make([]any, strings.Count(q, "?"))
		for i := range args {
			args[i] = agency.IDFrom(ctx)
		}
		if err := s.hashRows(ctx, h, q, args...); err != nil {
			return "", fmt.Errorf("store: mirror inputs: %w", err)
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// hashRows writes every value of the rows of query into h.
func (s *Store) hashRows(ctx context.Context, h hash.Hash, query string, args ...any) error {
	rows, err := s.db.Read.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	fmt.Fprintf(h, "%q\x1e", query)
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		for _, v := range vals {
			fmt.Fprintf(h, "%T:%v\x1f", v, v)
		}
		h.Write([]byte{0x1e})
	}
	return rows.Err()
}
