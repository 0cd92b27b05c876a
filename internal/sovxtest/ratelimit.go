package sovxtest

import (
	"math"
	"net/http"
	"strconv"
	"time"

	"golang.org/x/time/rate"
)

// bucket is the fake's per-account request limit.
type bucket struct {
	lim     *rate.Limiter
	limit   string
	headers bool
}

func newBucket(l RateLimit) *bucket {
	burst := max(l.Burst, 1)
	return &bucket{lim: rate.NewLimiter(rate.Limit(l.PerSecond), burst), limit: strconv.Itoa(int(math.Round(l.PerSecond))),
		headers: !l.OnlyRetryAfter}
}

// admit takes a token, or sets the headers of a 429 and returns false. Every
// answer carries X-RateLimit-Limit (per second), -Remaining and -Reset
// (seconds until a token is free), as such APIs commonly do.
func (b *bucket) admit(w http.ResponseWriter) bool {
	now := time.Now()
	h := http.Header{}
	defer func() {
		for k, v := range h {
			if b.headers || k == "Retry-After" {
				w.Header()[k] = v
			}
		}
	}()
	h.Set("X-RateLimit-Limit", b.limit)
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
