package app

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"cchc/internal/config"
	"cchc/internal/database"
	"cchc/internal/locale"
	"cchc/internal/vntext"
)

// open opens the data folder of cfg for a command whose messages start
// with prefix ("cchc import"), which says on stderr, in Vietnamese, when
// it upgrades the database first: the first command of a new version over
// 100,000 items spends tens of seconds there, and one that said nothing
// would seem to hang (docs/DEPLOY.md). serve logs the same steps.
func (c *cli) open(ctx context.Context, cfg *config.Config, prefix string) (*Env, error) {
	return Open(ctx, cfg, nil, nil, c.upgradeNews(prefix))
}

// openExisting is open for a command that works on the column already
// there (export, reindex, build-static, log anchor, user passwd): a data
// folder without a database is a mistyped --data, and is said to be one,
// rather than given a new empty database that the command then exports,
// mirrors or anchors as if it were the column.
func (c *cli) openExisting(ctx context.Context, cfg *config.Config, prefix string) (*Env, error) {
	path := filepath.Join(cfg.Data, database.FileName)
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("--data (CCHC_DATA): %w", locale.NewError("cli.open.missing", path))
	}
	return c.open(ctx, cfg, prefix)
}

// upgradeNews is the option of database.Open that says each step of an
// upgrade on stderr, after prefix.
func (c *cli) upgradeNews(prefix string) database.Option {
	return database.OnUpgrade(func(u database.Upgrade) {
		if msg := upgradeText(u); msg != "" {
			fmt.Fprintf(c.stderr, "%s: %s\n", prefix, msg)
		}
	})
}

// upgradeText says step u of an upgrade in Vietnamese, "" for a step not
// told. Why a compaction failed is said in words for the two causes an
// operator meets (another process writing, a full disk); SQLite's own
// words otherwise.
func upgradeText(u database.Upgrade) string {
	switch u.Step {
	case database.UpgradeStarted:
		return locale.T("cli.upgrade.started", u.Migrations)
	case database.Upgraded:
		return locale.T("cli.upgrade.done", seconds(u.Took))
	case database.Compacted:
		return locale.T("cli.upgrade.compacted", u.SizeMiB, u.AfterMiB, seconds(u.Took))
	case database.NotCompacted:
		cause := locale.Text(u.Err)
		switch {
		case database.IsBusy(u.Err):
			cause = locale.T("cli.upgrade.compact_busy")
		case database.IsFull(u.Err):
			cause = locale.T("cli.upgrade.compact_full")
		}
		return locale.T("cli.upgrade.not_compacted", cause)
	}
	return ""
}

// seconds writes d in seconds to a tenth, with a decimal comma.
func seconds(d time.Duration) string {
	return vntext.Decimal(d.Round(100*time.Millisecond).Seconds(), 1)
}
