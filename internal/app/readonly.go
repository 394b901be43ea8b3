package app

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"path/filepath"
	"time"

	"cchc/internal/config"
	"cchc/internal/database"
	"cchc/internal/locale"
)

// OpenReadOnly opens the data folder of cfg for a command that only reads
// (log verify, report, user list): nothing is created or migrated, and a
// data folder copied read-only works. Its errors are Vietnamese and say
// what to do.
func OpenReadOnly(ctx context.Context, cfg *config.Config, log *slog.Logger, now func() time.Time) (*Env, error) {
	path := filepath.Join(cfg.Data, database.FileName)
	db, err := database.OpenReadOnly(ctx, path)
	if err != nil {
		return nil, readOnlyError(path, err)
	}
	if err := db.CheckSchema(ctx); err != nil {
		db.Close()
		return nil, readOnlyError(path, err)
	}
	return newEnv(cfg, db, log, now), nil
}

// readOnlyError says why the database at path could not be opened for
// reading (a *locale.Error).
func readOnlyError(path string, err error) error {
	var se *database.SchemaError
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("--data (CCHC_DATA): %w", locale.NewError("cli.readonly.missing", path))
	case errors.Is(err, database.ErrWALWithoutSHM):
		return locale.NewError("cli.readonly.wal_without_shm", path, database.FileName)
	case errors.As(err, &se):
		return locale.NewError("cli.readonly.old_schema", path, len(se.Missing), se.Missing[0])
	case database.IsCorrupt(err):
		return locale.NewError("cli.readonly.corrupt", path, err, filepath.Dir(path))
	}
	return locale.NewError("cli.readonly.cannot_open", path, err)
}
