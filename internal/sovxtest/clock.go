package sovxtest

import (
	"context"
	"sync"
	"time"
)

// Clock is a virtual clock whose Sleep moves it on at once. A provider
// under test and a Receiver that share one make a test of waiting take no
// time: the receiver comes up when the provider has waited long enough.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock returns a virtual clock.
func NewClock() *Clock { return &Clock{now: time.Unix(1_800_000_000, 0)} }

// Now is the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Sleep moves the clock on by d, unless ctx has ended.
func (c *Clock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(max(d, 0))
	return nil
}
