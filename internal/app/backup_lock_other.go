//go:build !linux

package app

// lockBackupDir does not lock dir where this program has no flock: another
// backup may be writing into it, so clean(false) takes only temporary
// files older than staleAge for leftovers.
func lockBackupDir(dir string, clean func(alone bool)) (unlock func(), err error) {
	clean(false)
	return func() {}, nil
}
