package app

import (
	"context"
	"testing"
	"time"
)

// TestImportLockWaits: a second holder waits for the first, and gives up
// when its context ends.
func TestImportLockWaits(t *testing.T) {
	data := t.TempDir()
	unlock, err := lockImport(context.Background(), data)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	if _, err := lockImport(ctx, data); err == nil {
		t.Fatal("the lock was taken twice")
	}
	got := make(chan error, 1)
	go func() {
		u, err := lockImport(context.Background(), data)
		if err == nil {
			u()
		}
		got <- err
	}()
	unlock()
	select {
	case err := <-got:
		if err != nil {
			t.Errorf("the second holder: %v", err)
		}
	case <-time.After(30 * time.Second): // generous: it polls every 50 ms
		t.Error("the second holder never got the lock")
	}
}
