package main

import (
	"context"
	"os/exec"
	"sync"
	"syscall"
	"time"
)

// children tracks every process the harness starts, so that all of them
// are stopped when it ends, however it ends.
type children struct {
	mu    sync.Mutex
	procs map[*exec.Cmd]chan struct{}
}

// command is exec.CommandContext with the kernel told to kill the child
// when the harness dies (Pdeathsig), even by SIGKILL.
func (c *children) command(ctx context.Context, name string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	cmd.WaitDelay = 5 * time.Second
	return cmd
}

// start starts cmd and returns a channel closed when it has exited (and
// been waited for).
func (c *children) start(cmd *exec.Cmd) (<-chan struct{}, error) {
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	done := make(chan struct{})
	c.mu.Lock()
	if c.procs == nil {
		c.procs = map[*exec.Cmd]chan struct{}{}
	}
	c.procs[cmd] = done
	c.mu.Unlock()
	go func() {
		cmd.Wait()
		c.mu.Lock()
		delete(c.procs, cmd)
		c.mu.Unlock()
		close(done)
	}()
	return done, nil
}

// run starts cmd and waits for it.
func (c *children) run(cmd *exec.Cmd) error {
	done, err := c.start(cmd)
	if err != nil {
		return err
	}
	<-done
	if cmd.ProcessState != nil && !cmd.ProcessState.Success() {
		return &exec.ExitError{ProcessState: cmd.ProcessState}
	}
	return nil
}

// stop asks cmd to end (SIGTERM, as serve shuts down gracefully) and kills
// it when it has not within a few seconds.
func (c *children) stop(cmd *exec.Cmd, done <-chan struct{}) {
	if cmd.Process == nil {
		return
	}
	cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		cmd.Process.Kill()
		<-done
	}
}

// killAll kills every child still running and waits for them.
func (c *children) killAll() {
	c.mu.Lock()
	var waits []chan struct{}
	for cmd, done := range c.procs {
		if cmd.Process != nil {
			cmd.Process.Kill()
		}
		waits = append(waits, done)
	}
	c.mu.Unlock()
	for _, w := range waits {
		<-w
	}
}
