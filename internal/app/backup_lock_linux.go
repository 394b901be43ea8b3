package app

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
)

// backupLockName is the lock file of a backup folder.
const backupLockName = ".cchc-sao-luu.lock"

// lockBackupDir holds a shared lock on the backup folder dir for the length
// of a backup. First it tries for the exclusive lock: when no other backup
// holds the folder, the temporary files there are leftovers of killed
// runs, and clean(true) runs before the lock is shared; otherwise
// clean(false). The kernel drops the lock of a killed process, so a
// leftover lock file never blocks anyone.
func lockBackupDir(dir string, clean func(alone bool)) (unlock func(), err error) {
	f, err := os.OpenFile(filepath.Join(dir, backupLockName), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	fd := int(f.Fd())
	err = syscall.Flock(fd, syscall.LOCK_EX|syscall.LOCK_NB)
	alone := err == nil
	if err != nil && !errors.Is(err, syscall.EWOULDBLOCK) {
		f.Close()
		return nil, err
	}
	clean(alone)
	if err := syscall.Flock(fd, syscall.LOCK_SH); err != nil {
		f.Close()
		return nil, err
	}
	// Closing the file releases the lock.
	return func() { f.Close() }, nil
}
