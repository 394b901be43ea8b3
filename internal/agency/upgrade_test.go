package agency_test

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"cchc/internal/agency"
	"cchc/internal/app"
	"cchc/internal/config"
	"cchc/internal/content"
	"cchc/internal/database"
	"cchc/internal/mirror"
	"cchc/internal/settings"
	"cchc/internal/store"
	"cchc/internal/testsupport"
	"cchc/internal/vntext"
)

// firstAgencyMigration is the first migration of issue 20.
const firstAgencyMigration = 130

// upgradeFrom is where TestUpgradeChangesNoPublicURL's "before" database
// stops: the first migration the store does not need to serve a column.
// The test runs one binary on both sides, and since the store acts for
// an agency (issue 20, h20-store) every query it makes names agency_id,
// which a database below 0130 does not have: that split can no longer be
// served. 0130 (the columns, every row agency 1's) was checked across that
// split when it landed; from 0150 on (uniqueness per agency, settings per
// agency) the store writes and reads both schemas, so every later
// migration is checked here, byte for byte, against the column as it was.
const upgradeFrom = 150

// upgradeNeeds are the migrations from upgradeFrom on that the "before"
// database has all the same: the store names their objects in queries a
// column needs (0151: media_owners, in every read of the media library;
// 0220: its alt column, in the same reads; 0240: item_bodies, in every
// read and write of an item's texts). Their own effect is checked by
// their own tests (0151's settings row: TestSettingsBecomeAgency1s; 0220's
// alt text per owner: TestMediaAltPerOwner; 0240's texts moved:
// TestBodiesAfterUpgrade).
var upgradeNeeds = map[int]bool{151: true, 220: true, 240: true}

const base = "https://cchc.example.gov.vn"

var clock = time.Date(2026, 1, 1, 9, 0, 0, 0, vntext.Zone)

// answer is what the router sent for one URL.
type answer struct {
	status                              int
	ctype, location, etag, lastModified string
	cacheControl, contentDisposition    string
	body                                []byte
}

// crawl asks h for "/", the sitemap, robots.txt and seeds, then every URL of this
// site their bodies link to (HTML attributes, CSS url(), absolute URLs in
// feeds, the sitemap and JSON), queries and redirects' targets included,
// as an anonymous reader would. The workspace's and the reports' pages
// are asked for (their answer to a stranger is public too) but not
// followed. At most limit URLs: more fails the test.
func crawl(t *testing.T, h http.Handler, limit int, seeds ...string) map[string]answer {
	t.Helper()
	out := map[string]answer{}
	queue := append([]string{"/", "/sitemap.xml", "/robots.txt"}, seeds...)
	seen := map[string]bool{}
	for _, q := range queue {
		seen[q] = true
	}
	add := func(link, from string) {
		u, err := url.Parse(strings.TrimPrefix(link, base))
		if err != nil || u.Scheme != "" || u.Host != "" {
			return // another site's
		}
		fu, _ := url.Parse(from)
		r := fu.ResolveReference(u)
		r.Fragment = ""
		if r.Path == "" {
			return
		}
		p := r.RequestURI()
		if !seen[p] {
			seen[p] = true
			queue = append(queue, p)
		}
	}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		if len(out) >= limit {
			t.Fatalf("more than %d URLs: the crawl does not end", limit)
		}
		req := httptest.NewRequest(http.MethodGet, base+p, nil)
		req.RemoteAddr = "127.0.0.1:40000"
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		res := rec.Result()
		body, _ := io.ReadAll(res.Body)
		a := answer{status: res.StatusCode, ctype: res.Header.Get("Content-Type"), location: res.Header.Get("Location"),
			etag: res.Header.Get("ETag"), lastModified: res.Header.Get("Last-Modified"),
			cacheControl: res.Header.Get("Cache-Control"), contentDisposition: res.Header.Get("Content-Disposition"), body: body}
		out[p] = a
		if a.location != "" {
			add(a.location, p)
		}
		if strings.HasPrefix(p, "/quan-tri") || strings.HasPrefix(p, "/bao-cao") {
			continue
		}
		for _, l := range mirror.Links(body, a.ctype, base) {
			add(l, p)
		}
		if strings.HasPrefix(a.ctype, "text/html") {
			for _, l := range formLinks(body) {
				add(l, p)
			}
		}
	}
	return out
}

var (
	getForm     = regexp.MustCompile(`(?is)<form\b([^>]*)>(.*?)</form>`)
	formAction  = regexp.MustCompile(`(?i)\saction="([^"]*)"`)
	formGet     = regexp.MustCompile(`(?i)\smethod="get"`)
	formSelect  = regexp.MustCompile(`(?is)<select\b[^>]*\sname="([^"]+)"[^>]*>(.*?)</select>`)
	formOption  = regexp.MustCompile(`(?i)<option\b[^>]*\svalue="([^"]*)"`)
	formSearch  = regexp.MustCompile(`(?i)<input\b[^>]*\stype="(?:search|text)"[^>]*\sname="([^"]+)"`)
	searchTerms = []string{"cải cách", "ISO 9001", "1256/QĐ-UBND", "khoa học công nghệ", "zzzz"}
)

// formLinks is what a reader can submit through the page's GET forms
// (the search box, a directory's filters): each choice of each list
// alone, and a few searches typed into each search field.
func formLinks(body []byte) []string {
	var out []string
	for _, f := range getForm.FindAllSubmatch(body, -1) {
		act := formAction.FindSubmatch(f[1])
		if act == nil || !formGet.Match(f[1]) {
			continue
		}
		action := html.UnescapeString(string(act[1]))
		for _, sel := range formSelect.FindAllSubmatch(f[2], -1) {
			for _, o := range formOption.FindAllSubmatch(sel[2], -1) {
				if v := html.UnescapeString(string(o[1])); v != "" {
					out = append(out, action+"?"+url.Values{string(sel[1]): {v}}.Encode())
				}
			}
		}
		for _, in := range formSearch.FindAllSubmatch(f[2], -1) {
			for _, q := range searchTerms {
				out = append(out, action+"?"+url.Values{string(in[1]): {q}}.Encode())
			}
		}
	}
	return out
}

// migrateTo applies the migrations of dir numbered below stop, and those
// in need, to the empty file path as the runner does (each file in one
// transaction with its row, foreign keys on), and records every other one
// as applied without running it, so that the service opens the file at
// that schema.
func migrateTo(t *testing.T, path, dir string, stop int, need map[int]bool) (applied, held []string) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+"?_pragma=foreign_keys(1)&_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, `CREATE TABLE schema_migrations (
		version INTEGER PRIMARY KEY,
		name TEXT NOT NULL,
		applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
	) STRICT`); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries { // ReadDir sorts by name: by number, the names being zero-padded
		num, _, _ := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if err != nil {
			t.Fatalf("migration %s: %v", e.Name(), err)
		}
		if v >= stop && !need[v] {
			if _, err := db.ExecContext(ctx, `INSERT INTO schema_migrations (version, name) VALUES (?, ?)`, v, e.Name()); err != nil {
				t.Fatal(err)
			}
			held = append(held, e.Name())
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tx.ExecContext(ctx, string(b)); err != nil {
			t.Fatalf("migration %s: %v", e.Name(), err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name) VALUES (?, ?)`, v, e.Name()); err != nil {
			t.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		applied = append(applied, e.Name())
	}
	return applied, held
}

// TestUpgradeChangesNoPublicURL is issue 20's point 1 check: the demo
// column, imported into a database at the schema just before the
// agencies (and one article moved, so a 301 is among the answers), is
// crawled through the real router; a copy of its data folder is then
// opened by the service, which migrates it to the agencies in place, and
// crawled again. Every URL answers the same status, the same headers a
// cache reads and the same bytes; the log's chain is the same, row for
// row, and `cchc log verify` passes on the copy; every existing row is
// the first agency's and no foreign key fails.
func TestUpgradeChangesNoPublicURL(t *testing.T) {
	ctx := context.Background()
	before := t.TempDir()
	applied, held := migrateTo(t, filepath.Join(before, database.FileName), filepath.Join("..", "database", "migrations"), upgradeFrom, upgradeNeeds)
	if len(held) == 0 || len(applied) < 20 {
		t.Fatalf("%d migrations applied, %d held back: the split is wrong", len(applied), len(held))
	}
	t.Logf("before: %d migrations applied (last %s); held back: %v", len(applied), applied[len(applied)-1], held)

	open := func(dir string) *app.Env {
		cfg := config.Defaults
		cfg.Data = dir
		cfg.BaseURL = base
		env, err := app.Open(ctx, &cfg, nil, func() time.Time { return clock })
		if err != nil {
			t.Fatalf("app.Open %s: %v", dir, err)
		}
		return env
	}
	env := open(before)
	if n := testsupport.Count(t, env.DB, `SELECT COUNT(*) FROM sqlite_schema WHERE name = 'slug_history' AND sql LIKE '%agency_id%'`); n != 0 {
		t.Fatalf("the database before the upgrade already has migration %d's objects", upgradeFrom)
	}
	// The root column's demo: the schema below 0150 cannot hold the demo's
	// other agencies' plans for 2022 (plans are one per year there).
	testsupport.Import(t, env, testsupport.DemoRoot(t))
	moved := moveArticle(t, env)
	seeds := append([]string{moved, "/khong-co-trang-nay", "/tin-tuc/khong-co", "/quan-tri/dang-nhap", "/bao-cao/"}, mediaURLs(t, env.DB)...)
	old := crawl(t, testsupport.Handler(t, env), 20000, seeds...)
	oldGlobal, err := env.Store.MirrorGlobal(ctx)
	if err != nil {
		t.Fatal(err)
	}
	oldLog := logRows(t, env.DB)
	if err := env.Close(); err != nil {
		t.Fatal(err)
	}
	if old[moved].status != http.StatusMovedPermanently {
		t.Fatalf("the moved article's old address answered %d, want 301", old[moved].status)
	}
	if len(oldLog) < 10 {
		t.Fatalf("only %d log rows before the upgrade", len(oldLog))
	}

	// The copy: the data folder as it is, then the held-back migrations
	// let go, as a binary that has them finds it.
	after := t.TempDir()
	if err := os.CopyFS(after, os.DirFS(before)); err != nil {
		t.Fatal(err)
	}
	raw := testsupport.FileDB(t, filepath.Join(after, database.FileName), false)
	if _, err := raw.Exec(`DELETE FROM schema_migrations WHERE version >= ? AND version NOT IN (SELECT value FROM json_each(?))`,
		upgradeFrom, needList()); err != nil {
		t.Fatal(err)
	}
	raw.Close()

	env = open(after)
	defer env.Close()
	for _, q := range []string{
		`SELECT COUNT(*) FROM agencies WHERE id = 1`,
		`SELECT COUNT(*) FROM schema_migrations WHERE version >= 130`,
	} {
		if n := testsupport.Count(t, env.DB, q); n < 1 {
			t.Fatalf("%s: %d after the upgrade", q, n)
		}
	}
	for _, table := range []string{"items", "plans", "users", "units", "media", "publog", "log_anchors", "report_sendings", "report_drafts", "audit_log"} {
		all := testsupport.Count(t, env.DB, `SELECT COUNT(*) FROM `+table)
		if first := testsupport.Count(t, env.DB, `SELECT COUNT(*) FROM `+table+` WHERE agency_id = 1`); first != all {
			t.Errorf("%s: %d of %d rows are the first agency's", table, first, all)
		}
	}
	if n := testsupport.Count(t, env.DB, `SELECT COUNT(*) FROM items`); n < 50 {
		t.Errorf("only %d items: the demo was not imported", n)
	}
	if n := testsupport.Count(t, env.DB, `SELECT COUNT(*) FROM pragma_foreign_key_check`); n != 0 {
		t.Errorf("foreign_key_check: %d problems", n)
	}
	var ic string
	if err := env.DB.Read.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&ic); err != nil || ic != "ok" {
		t.Errorf("integrity_check: %q, %v", ic, err)
	}
	first, err := env.Store.Agency(ctx, agency.Root)
	if err != nil || first.Name != "Sở Khoa học và Công nghệ tỉnh Quảng Ngãi" {
		t.Errorf("first agency after the upgrade: %+v, %v", first, err)
	}

	got := crawl(t, testsupport.Handler(t, env), 20000, seeds...)
	compare(t, old, got)
	if g, err := env.Store.MirrorGlobal(ctx); err != nil || g != oldGlobal {
		t.Errorf("the static mirror's inputs moved (%v): every page would be rendered again", err)
	}
	if rows := logRows(t, env.DB); !slices.Equal(rows, oldLog) {
		t.Errorf("the log changed: %d rows before, %d after", len(oldLog), len(rows))
	}
	if err := env.Close(); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	code := app.Run(ctx, []string{"log", "verify", "--data", after}, func(string) string { return "" }, strings.NewReader(""), &out, &errb)
	head := oldLog[len(oldLog)-1][strings.LastIndexByte(oldLog[len(oldLog)-1], ':')+1:]
	if code != 0 || !strings.Contains(out.String(), head) {
		t.Errorf("cchc log verify after the upgrade: exit %d\nstdout: %s\nstderr: %s", code, out.String(), errb.String())
	}

	statuses := map[int]int{}
	for p, a := range old {
		statuses[a.status]++
		if os.Getenv("CRAWL_LIST") != "" {
			t.Log(a.status, p)
		}
	}
	t.Logf("%d URLs crawled before and after, identical (statuses %v); %d log rows, the same chain", len(old), statuses, len(oldLog))
}

// formToken is the login form's one-time token: random on every answer,
// before as after, so left out of the comparison.
var formToken = regexp.MustCompile(`name="csrf" value="[^"]*"`)

// compare fails the test on every URL whose answer differs, or that only
// one crawl found. Bodies are compared byte for byte but for formToken.
func compare(t *testing.T, old, got map[string]answer) {
	t.Helper()
	bad := 0
	for p, a := range old {
		b, ok := got[p]
		switch {
		case !ok:
			t.Errorf("%s: answered %d before, not reached after", p, a.status)
		case a.status != b.status:
			t.Errorf("%s: status %d before, %d after", p, a.status, b.status)
		case a.ctype != b.ctype || a.location != b.location || a.etag != b.etag || a.lastModified != b.lastModified ||
			a.cacheControl != b.cacheControl || a.contentDisposition != b.contentDisposition:
			t.Errorf("%s: headers differ:\nbefore %+v\nafter  %+v", p, headers(a), headers(b))
		case !bytes.Equal(formToken.ReplaceAll(a.body, nil), formToken.ReplaceAll(b.body, nil)):
			t.Errorf("%s: body differs (%d bytes before, %d after) from byte %d", p, len(a.body), len(b.body), firstDiff(a.body, b.body))
		default:
			continue
		}
		if bad++; bad >= 20 {
			t.Fatal("more than 20 URLs differ")
		}
	}
	for p := range got {
		if _, ok := old[p]; !ok {
			t.Errorf("%s: reached after the upgrade only", p)
		}
	}
}

func headers(a answer) string {
	return fmt.Sprintf("type=%q location=%q etag=%q last-modified=%q cache-control=%q disposition=%q",
		a.ctype, a.location, a.etag, a.lastModified, a.cacheControl, a.contentDisposition)
}

func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

// logRows is the publication log as its hashes, in order.
func logRows(t *testing.T, db *database.DB) []string {
	t.Helper()
	rows, err := db.Read.Query(`SELECT seq || ':' || prev_hash || ':' || hash FROM publog ORDER BY seq`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// moveArticle gives a published article a new slug (a trigger keeps the
// old one, migration 0007), so that its old address answers 301 to the
// new one, and returns the old address.
func moveArticle(t *testing.T, env *app.Env) string {
	t.Helper()
	ctx := context.Background()
	items, _, err := env.Store.PublicItems(ctx, store.PublicQuery{Kind: content.Article, Now: clock, Limit: 1})
	if err != nil || len(items) == 0 {
		t.Fatalf("public article: %v", err)
	}
	if _, err := env.DB.Write.ExecContext(ctx, `UPDATE items SET slug = slug || '-doi-ten' WHERE id = ?`, items[0].ID); err != nil {
		t.Fatal(err)
	}
	env.Pages.Invalidate()
	return items[0].URL()
}

// mediaURLs are the addresses of every stored file, linked or not.
func mediaURLs(t *testing.T, db *database.DB) []string {
	t.Helper()
	rows, err := db.Read.Query(`SELECT name FROM media ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		out = append(out, "/tep/"+name)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestFirstAgencyNamedByPlan: the first agency takes its name from the
// newest plan that names its issuer as text, trimmed; a plan whose data is
// not JSON, or whose issuer is not text or is blank, is passed over.
func TestFirstAgencyNamedByPlan(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), database.FileName)
	migrateTo(t, path, filepath.Join("..", "database", "migrations"), firstAgencyMigration, nil)
	raw := testsupport.FileDB(t, path, false)
	for _, p := range []struct {
		year int
		data string
	}{
		{2022, `{"issuer": "Sở Khoa học và Công nghệ tỉnh Quảng Ngãi"}`},
		{2023, `{"issuer": "  UBND huyện Sơn Tịnh  "}`},
		{2024, `{"issuer": 5}`},
		{2025, `{"issuer": "   "}`},
		{2026, `{không phải JSON`},
	} {
		if _, err := raw.Exec(`INSERT INTO plans (year, number, title, data, content_hash) VALUES (?, 'x', 'x', ?, 'h')`, p.year, p.data); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := raw.Exec(`DELETE FROM schema_migrations WHERE version >= ?`, firstAgencyMigration); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	db, err := database.Open(ctx, path)
	if err != nil {
		t.Fatalf("upgrade: %v", err)
	}
	defer db.Close()
	a, err := store.New(db).Agency(ctx, agency.Root)
	if err != nil {
		t.Fatal(err)
	}
	if a.Name != "UBND huyện Sơn Tịnh" || a.Slug != "so-khcn" || !a.IsRoot() {
		t.Errorf("first agency %+v, want the 2023 plan's issuer", a)
	}
	if n := testsupport.Count(t, db, `SELECT COUNT(*) FROM plans WHERE agency_id = 1`); n != 5 {
		t.Errorf("%d of 5 plans are the first agency's", n)
	}
}

// needList is upgradeNeeds as a JSON array, for json_each.
func needList() string {
	var v []string
	for n := range upgradeNeeds {
		v = append(v, strconv.Itoa(n))
	}
	return "[" + strings.Join(v, ",") + "]"
}

// TestSettingsBecomeAgency1s: migration 0151 turns the one settings row
// into agency 1's, every value as it was, and a row may then be another
// agency's (not before: CHECK (id = 1)).
func TestSettingsBecomeAgency1s(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), database.FileName)
	migrateTo(t, path, filepath.Join("..", "database", "migrations"), 151, nil)
	raw := testsupport.FileDB(t, path, false)
	if _, err := raw.Exec(`UPDATE settings SET desk_address = 'Số 1 đường Hùng Vương', desk_phone = '0255 3822 222', desk_hours = 'Sáng thứ Hai – thứ Sáu',
		content_unit = 'Trung tâm Ứng dụng', portal_url = 'https://dichvucong.quangngai.gov.vn', updated_by = 'quantri', updated_at = 1700000000`); err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`INSERT INTO settings (id) VALUES (2)`); err == nil {
		t.Fatal("before 0151 a second settings row was accepted")
	}
	var before string
	if err := raw.QueryRow(`SELECT json_array(id, desk_address, desk_phone, desk_email, desk_hours, content_unit, portal_url, logo, updated_by, updated_at) FROM settings`).Scan(&before); err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`DELETE FROM schema_migrations WHERE version >= 151`); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	db, err := database.Open(ctx, path)
	if err != nil {
		t.Fatalf("upgrade: %v", err)
	}
	defer db.Close()
	var after string
	if err := db.Read.QueryRow(`SELECT json_array(id, desk_address, desk_phone, desk_email, desk_hours, content_unit, portal_url, logo, updated_by, updated_at) FROM settings`).Scan(&after); err != nil {
		t.Fatal(err)
	}
	if after != before {
		t.Errorf("settings after 0151:\n%s\nwant\n%s", after, before)
	}
	st := store.New(db)
	got, err := st.Settings(ctx)
	if err != nil || got.DeskPhone != "0255 3822 222" || got.UpdatedBy != "quantri" {
		t.Errorf("agency 1's settings after 0151: %+v, %v", got, err)
	}
	id, err := st.CreateAgency(ctx, agency.Agency{Slug: "so-tu-phap", Name: "Sở Tư pháp tỉnh Quảng Ngãi", ShortName: "Sở Tư pháp", Prefix: "/so-tu-phap"},
		store.AuditEntry{At: clock, Actor: "admin"})
	if err != nil {
		t.Fatal(err)
	}
	two := agency.WithID(ctx, id)
	if err := st.SaveSettings(two, settings.Settings{DeskPhone: "0255 3711 111"}, "stp.quantri", clock, store.AuditEntry{At: clock, Actor: "stp.quantri"}); err != nil {
		t.Fatalf("agency %d's settings after 0151: %v", id, err)
	}
	if got, err := st.Settings(ctx); err != nil || got.DeskPhone != "0255 3822 222" {
		t.Errorf("agency 1's settings after agency %d saved its own: %+v, %v", id, got, err)
	}
}

// TestUnitsBecomePerAgency: migration 0230 makes a unit's slug and name
// unique per agency (they were unique across the instance), keeping every
// unit's id and every account's unit.
func TestUnitsBecomePerAgency(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), database.FileName)
	migrateTo(t, path, filepath.Join("..", "database", "migrations"), 230, nil)
	raw := testsupport.FileDB(t, path, false)
	for _, q := range []string{
		`INSERT INTO agencies (id, slug, name, short_name, prefix) VALUES (2, 'so-tu-phap', 'Sở Tư pháp tỉnh Quảng Ngãi', 'Sở Tư pháp', '/so-tu-phap')`,
		`INSERT INTO users (name, role, password_hash, created_at, modified_at, password_changed_at, unit_id)
			VALUES ('bientap', 'editor', 'x', 1, 1, 1, (SELECT id FROM units WHERE slug = 'phong-hanh-chinh-tong-hop'))`,
		`INSERT INTO users (name, role, password_hash, created_at, modified_at, password_changed_at, unit_id)
			VALUES ('bientap2', 'editor', 'x', 1, 1, 1, (SELECT id FROM units WHERE slug = 'chi-cuc-tieu-chuan-do-luong-chat-luong'))`,
		`INSERT INTO users (name, role, password_hash, created_at, modified_at, password_changed_at) VALUES ('duyet', 'approver', 'x', 1, 1, 1)`,
	} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	sameName := `INSERT INTO units (slug, name, agency_id) VALUES ('phong-hanh-chinh-tong-hop', 'Phòng Hành chính – Tổng hợp', 2)`
	if _, err := raw.Exec(sameName); err == nil {
		t.Fatal("before 0230 another agency's unit took a name agency 1's unit has")
	}
	snapshot := func(q interface {
		QueryRow(string, ...any) *sql.Row
	}) string {
		var s string
		if err := q.QueryRow(`SELECT json_group_array(json_array(u.name, u.unit_id)) FROM (SELECT name, unit_id FROM users ORDER BY id) u`).Scan(&s); err != nil {
			t.Fatal(err)
		}
		var units string
		if err := q.QueryRow(`SELECT json_group_array(json_array(id, slug, name, short_name, agency_id)) FROM (SELECT * FROM units ORDER BY id)`).Scan(&units); err != nil {
			t.Fatal(err)
		}
		return s + units
	}
	before := snapshot(raw)
	if _, err := raw.Exec(`DELETE FROM schema_migrations WHERE version >= 230`); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	db, err := database.Open(ctx, path)
	if err != nil {
		t.Fatalf("upgrade: %v", err)
	}
	defer db.Close()
	if after := snapshot(db.Read); after != before {
		t.Errorf("accounts and units after 0230:\n%s\nwant\n%s", after, before)
	}
	var fk int
	if err := db.Read.QueryRow(`SELECT COUNT(*) FROM pragma_foreign_key_check`).Scan(&fk); err != nil || fk != 0 {
		t.Errorf("foreign_key_check after 0230: %d rows, %v", fk, err)
	}
	if _, err := db.Write.Exec(sameName); err != nil {
		t.Errorf("after 0230 agency 2 cannot have a unit named as agency 1's: %v", err)
	}
	if _, err := db.Write.Exec(`INSERT INTO units (slug, name, agency_id) VALUES ('khac', 'Phòng Hành chính – Tổng hợp', 1)`); err == nil {
		t.Error("after 0230 agency 1 took a second unit of the same name")
	}
	if _, err := db.Write.Exec(`INSERT INTO units (slug, name, agency_id) VALUES ('phong-hanh-chinh-tong-hop', 'Tên khác', 1)`); err == nil {
		t.Error("after 0230 agency 1 took a second unit of the same slug")
	}
	if _, err := db.Write.Exec(`UPDATE users SET unit_id = 999 WHERE name = 'duyet'`); err == nil {
		t.Error("after 0230 an account took a unit that does not exist: the foreign key is gone")
	}
}
