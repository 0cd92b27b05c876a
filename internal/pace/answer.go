package pace

import (
	"net/http"
	"strconv"
	"time"
)

// Answer is what one API answer tells about the limit. The API reference documents no rate-limit headers: every one
// is optional, and an answer without any tells nothing.
type Answer struct {
	// Refused: the API answered 429 (the request was not processed).
	Refused bool
	// Limit is X-RateLimit-Limit, read as requests per second (0: none).
	Limit float64
	// Remaining is X-RateLimit-Remaining, when HasRemaining.
	Remaining    int
	HasRemaining bool
	// Wait is how long the API asked to wait (Retry-After, else X-RateLimit-Reset), when HasWait.
	Wait    time.Duration
	HasWait bool
}

// The limits an answer may announce: outside them (0.001 a second, 1e308, NaN, Inf, negative) it announces nothing,
// so no header can pace the provider slower than its own backoff would.
const (
	leastLimit = 1
	mostLimit  = 1e6
)

// ReadAnswer reads the rate-limit headers of an answer had at now.
func ReadAnswer(resp *http.Response, now time.Time) Answer {
	h := resp.Header
	a := Answer{Refused: resp.StatusCode == http.StatusTooManyRequests}
	if limit, err := strconv.ParseFloat(h.Get("X-RateLimit-Limit"), 64); err == nil && limit >= leastLimit && limit <= mostLimit {
		a.Limit = limit
	}
	if n, err := strconv.Atoi(h.Get("X-RateLimit-Remaining")); err == nil && n >= 0 {
		a.Remaining, a.HasRemaining = n, true
	}
	if d, ok := ParseRetryAfter(h.Get("Retry-After"), now); ok {
		a.Wait, a.HasWait = d, true
	} else if d, ok := parseReset(h.Get("X-RateLimit-Reset"), now); ok {
		a.Wait, a.HasWait = d, true
	}
	return a
}

// longestWait caps any wait read from a header, so an absurd value cannot overflow a Duration.
const longestWait = 24 * time.Hour

// ParseRetryAfter reads a Retry-After value: seconds, or an HTTP date.
func ParseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		return time.Duration(min(secs, int64(longestWait/time.Second))) * time.Second, true
	}
	when, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	return min(max(when.Sub(now), 0), longestWait), true
}

// unixTimeFrom tells a Unix time from seconds to wait in X-RateLimit-Reset: no sane wait is this long.
const unixTimeFrom = 1e9

// parseReset reads X-RateLimit-Reset: seconds from now, or a Unix time.
func parseReset(v string, now time.Time) (time.Duration, bool) {
	secs, err := strconv.ParseFloat(v, 64)
	if err != nil || secs < 0 {
		return 0, false
	}
	if secs > unixTimeFrom {
		return min(max(time.Unix(int64(secs), 0).Sub(now), 0), longestWait), true
	}
	return time.Duration(min(secs, longestWait.Seconds()) * float64(time.Second)), true
}
