package database

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestHoldWrites: while writes are held, reads go on, a write waits (or
// gives up when its context ends) and runs once released; a file marked
// damaged meanwhile refuses the held write; releasing twice is harmless.
func TestHoldWrites(t *testing.T) {
	db := openTemp(t)
	ctx := t.Context()
	release := db.HoldWrites()

	short, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	if err := within(t, func() error { return db.Tx(short, insertPlan(ctx, 2020)) }); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("held Tx whose context ended: %v, want the context's end", err)
	}

	done := make(chan error, 1)
	go func() { done <- db.Tx(ctx, insertPlan(ctx, 2021)) }()
	// Held until released: no machine is slow enough to answer within
	// 300 ms a write that waits for release.
	select {
	case err := <-done:
		t.Fatalf("held Tx returned before the release: %v", err)
	case <-time.After(300 * time.Millisecond):
	}
	if n := count(t, db.Read, `SELECT COUNT(*) FROM plans`); n != 0 {
		t.Fatalf("read while held: %d plans, want 0", n)
	}
	release()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("held Tx after the release: %v", err)
		}
	case <-time.After(time.Minute):
		t.Fatal("held Tx still waiting a minute after the release")
	}
	release() // again: nothing
	if err := within(t, func() error { return db.Tx(ctx, insertPlan(ctx, 2022)) }); err != nil {
		t.Fatal(err)
	}
	if n := count(t, db.Read, `SELECT COUNT(*) FROM plans`); n != 2 {
		t.Errorf("%d plans, want 2", n)
	}

	// Damage found while a write waits: the write is refused.
	release = db.HoldWrites()
	go func() { done <- db.Tx(ctx, insertPlan(ctx, 2023)) }()
	time.Sleep(100 * time.Millisecond)
	db.MarkDamaged("test")
	release()
	select {
	case err := <-done:
		if !errors.Is(err, ErrDamaged) {
			t.Errorf("held Tx over a file found damaged: %v, want ErrDamaged", err)
		}
	case <-time.After(time.Minute):
		t.Fatal("held Tx still waiting a minute after the release")
	}
	if n := count(t, db.Read, `SELECT COUNT(*) FROM plans`); n != 2 {
		t.Errorf("%d plans after the refused write, want 2", n)
	}
}
