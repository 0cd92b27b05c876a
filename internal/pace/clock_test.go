package pace

import (
	"context"
	"sync"
	"time"
)

// virtualClock is time that moves only when something sleeps: tests run on
// it at exact times and never wait. Past deadline, a sleep ends there with
// context.DeadlineExceeded, as the caller's deadline would end it.
type virtualClock struct {
	mu       sync.Mutex
	now      time.Time
	deadline time.Time // zero: none
	slept    []time.Duration
}

func newVirtualClock() *virtualClock { return &virtualClock{now: time.Unix(1_700_000_000, 0)} }

func (c *virtualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *virtualClock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := ctx.Err(); err != nil {
		return err
	}
	c.slept = append(c.slept, d)
	if !c.deadline.IsZero() && c.now.Add(d).After(c.deadline) {
		c.now = c.deadline
		return context.DeadlineExceeded
	}
	c.now = c.now.Add(d)
	return nil
}
