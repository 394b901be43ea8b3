package app

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"cchc/internal/config"
	"cchc/internal/database"
	"cchc/internal/locale"
)

// open opens the data folder of cfg for a command whose messages start
// with prefix ("cchc import"), which says on stderr, in Vietnamese, when
// it upgrades the database first: the first command of a new version over
// 100,000 items spends tens of seconds there, and one that said nothing
// would seem to hang (docs/DEPLOY.md). serve logs the same steps.
func (c *cli) open(ctx context.Context, cfg *config.Config, prefix string) (*Env, error) {
	return Open(ctx, cfg, nil, nil, c.upgradeNews(prefix))
}

// upgradeNews is the option of database.Open that says each step of an
// upgrade on stderr, after prefix.
func (c *cli) upgradeNews(prefix string) database.Option {
	return database.OnUpgrade(func(u database.Upgrade) {
		var msg string
		switch u.Step {
		case database.UpgradeStarted:
			msg = locale.T("cli.upgrade.started", u.Migrations)
		case database.Upgraded:
			msg = locale.T("cli.upgrade.done", seconds(u.Took))
		case database.Compacted:
			msg = locale.T("cli.upgrade.compacted", u.SizeMiB, u.AfterMiB, seconds(u.Took))
		case database.NotCompacted:
			msg = locale.T("cli.upgrade.not_compacted", locale.Text(u.Err))
		default:
			return
		}
		fmt.Fprintf(c.stderr, "%s: %s\n", prefix, msg)
	})
}

// seconds writes d in seconds to a tenth, with a decimal comma.
func seconds(d time.Duration) string {
	return strings.Replace(strconv.FormatFloat(d.Round(100*time.Millisecond).Seconds(), 'f', 1, 64), ".", ",", 1)
}
