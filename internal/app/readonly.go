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

// readOnlyError says in Vietnamese why the database at path could not be
// opened for reading.
func readOnlyError(path string, err error) error {
	var se *database.SchemaError
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("--data (CCHC_DATA): không có cơ sở dữ liệu %s (lệnh này chỉ đọc nên không tạo cơ sở dữ liệu mới)", path)
	case errors.Is(err, database.ErrWALWithoutSHM):
		return fmt.Errorf("%s: có tệp %s-wal (những thay đổi chưa gộp vào tệp chính) nhưng thiếu tệp %s-shm, và thư mục không ghi được: "+
			"hãy chép cả tệp -shm cùng lúc với hai tệp kia, hoặc chạy lệnh trên một bản chép có quyền ghi", path, database.FileName, database.FileName)
	case errors.As(err, &se):
		return fmt.Errorf("%s: cơ sở dữ liệu do phiên bản cũ của cchc tạo và chưa được nâng cấp (thiếu %d bước nâng cấp, bắt đầu từ %s); "+
			"lệnh chỉ đọc không nâng cấp: hãy chạy cchc serve hoặc cchc import một lần trên thư mục dữ liệu có quyền ghi", path, len(se.Missing), se.Missing[0])
	case database.IsCorrupt(err):
		return fmt.Errorf("%s: cơ sở dữ liệu bị hỏng (%v); chạy cchc check --data %s để biết chỗ hỏng và cách khôi phục từ bản sao lưu",
			path, err, filepath.Dir(path))
	}
	return fmt.Errorf("%s: không mở được để đọc: %w", path, err)
}
