package database

import (
	"context"
	"sync"
)

// HoldWrites makes every write transaction begun from now on wait until
// release is called (or its own context ends), while reads go on: serve
// checks the file (PRAGMA quick_check) at start in the background and
// answers the public at once, but writes nothing into it until the check
// has said whether it is damaged. release may be called more than once.
func (db *DB) HoldWrites() (release func()) {
	ch := make(chan struct{})
	db.held.Store(&ch)
	var once sync.Once
	return func() {
		once.Do(func() {
			db.held.CompareAndSwap(&ch, nil)
			close(ch)
		})
	}
}

// waitHeld waits for a HoldWrites in force to be released.
func (db *DB) waitHeld(ctx context.Context) error {
	ch := db.held.Load()
	if ch == nil {
		return nil
	}
	select {
	case <-*ch:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
