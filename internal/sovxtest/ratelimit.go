package sovxtest

import (
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// bucket is the fake's per-account request limit: a token bucket, or fixed
// one-second windows.
type bucket struct {
	lim      *rate.Limiter
	limit    string
	announce Announcement
	// window: fixed one-second windows of perWindow requests instead.
	window    bool
	perWindow int
	mu        sync.Mutex
	start     time.Time
	used      int
}

func newBucket(l RateLimit) *bucket {
	burst := max(l.Burst, 1)
	return &bucket{lim: rate.NewLimiter(rate.Limit(l.PerSecond), burst), limit: strconv.Itoa(int(math.Round(l.PerSecond))),
		announce: l.Announce, window: l.Window, perWindow: max(int(l.PerSecond), 1)}
}

// take admits one request in the current window and says how much room is
// left and when the window ends.
func (b *bucket) take(now time.Time) (ok bool, remaining int, reset time.Duration) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if now.Sub(b.start) >= time.Second {
		b.start, b.used = now.Truncate(time.Second), 0
	}
	reset = b.start.Add(time.Second).Sub(now)
	if b.used >= b.perWindow {
		return false, 0, reset
	}
	b.used++
	return true, b.perWindow - b.used, reset
}

// admit takes a token, or sets the headers of a 429 and returns false. The
// headers are X-RateLimit-Limit (per second), -Remaining and -Reset (seconds
// until a token is free), as such APIs commonly send them, on the answers
// the announcement says.
func (b *bucket) admit(w http.ResponseWriter) (ok bool) {
	now := time.Now()
	h := http.Header{}
	defer func() {
		for k, v := range h {
			if k == "Retry-After" || b.announce == OnEveryAnswer || (b.announce == OnRefusalsOnly && !ok) {
				w.Header()[k] = v
			}
		}
	}()
	h.Set("X-RateLimit-Limit", b.limit)
	if b.window {
		ok, remaining, reset := b.take(now)
		secs := strconv.Itoa(int(math.Max(1, math.Ceil(reset.Seconds()))))
		h.Set("X-RateLimit-Remaining", strconv.Itoa(remaining))
		h.Set("X-RateLimit-Reset", secs)
		if !ok {
			h.Set("Retry-After", secs)
		}
		return ok
	}
	if b.lim.AllowN(now, 1) {
		tokens := b.lim.TokensAt(now)
		h.Set("X-RateLimit-Remaining", strconv.Itoa(int(math.Max(0, math.Floor(tokens)))))
		h.Set("X-RateLimit-Reset", strconv.Itoa(int(math.Ceil(math.Max(0, 1-tokens)/float64(b.lim.Limit())))))
		return true
	}
	r := b.lim.ReserveN(now, 1)
	wait := r.DelayFrom(now)
	r.CancelAt(now)
	// Retry-After is whole seconds (RFC 9110), so it rounds up.
	secs := strconv.Itoa(int(math.Max(1, math.Ceil(wait.Seconds()))))
	h.Set("Retry-After", secs)
	h.Set("X-RateLimit-Remaining", "0")
	h.Set("X-RateLimit-Reset", secs)
	return false
}
