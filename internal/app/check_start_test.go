package app

import (
	"bytes"
	"database/sql"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	demo "cchc/content"
	"cchc/internal/config"
	"cchc/internal/database"
)

// TestCheckAtStartInBackground: when the start check outlasts its wait
// (here no wait at all), serving starts at once and the check, finishing
// in the background, still marks a damaged database and logs it.
func TestCheckAtStartInBackground(t *testing.T) {
	cfg := config.Defaults
	cfg.Data = t.TempDir()
	env, err := Open(t.Context(), &cfg, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.Publish.Import(t.Context(), demo.FS, "content"); err != nil {
		t.Fatal(err)
	}
	var root, pageSize int64
	if err := env.DB.Read.QueryRow(`SELECT rootpage FROM sqlite_schema WHERE name = 'items_kind_slug'`).Scan(&root); err != nil {
		t.Fatal(err)
	}
	if err := env.DB.Read.QueryRow(`PRAGMA page_size`).Scan(&pageSize); err != nil {
		t.Fatal(err)
	}
	env.Close()
	f, err := os.OpenFile(filepath.Join(cfg.Data, database.FileName), os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteAt([]byte{0xde, 0xad, 0xbe, 0xef, 0xde, 0xad, 0xbe, 0xef}, (root-1)*pageSize+8); err != nil {
		t.Fatal(err)
	}
	f.Close()

	var logBuf syncBuf
	log := slog.New(slog.NewTextHandler(&logBuf, nil))
	env, err = Open(t.Context(), &cfg, log, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer env.Close()
	var bg sync.WaitGroup
	env.checkAtStart(t.Context(), &bg, 0)
	bg.Wait()
	if env.DB.Damage() == "" {
		t.Error("the background check did not mark the damaged database")
	}
	out := logBuf.String()
	if !strings.Contains(out, `level=ERROR msg="database damaged`) {
		t.Errorf("log lacks the damage:\n%s", out)
	}
	if err := env.DB.Tx(t.Context(), func(*sql.Tx) error { return nil }); !database.IsCorrupt(err) {
		t.Errorf("Tx after the check: %v, want the damage refusal", err)
	}
}

type syncBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuf) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuf) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
