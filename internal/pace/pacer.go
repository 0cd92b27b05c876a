// Package pace is the limiter of one client of an API that limits how many
// requests it takes, in the shape of aws-sdk-go-v2's adaptive retryer: the
// client's send loop asks it for a turn (Turn) and tells it each answer
// (Observe, Unanswered). Nothing is paced until an answer shows a limit;
// then the pace follows a CUBIC curve (mode.go), capped by an announced
// X-RateLimit-Limit, cut by refusals to this client's share, and steered by
// the room X-RateLimit-Remaining reports (steer.go).
package pace

import (
	"math/rand/v2"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

const (
	// beat is how often the pace is looked at: the longest a request waits before it looks again (a turn booked at a
	// slow pace would keep its late time after the pace rises), and how often the room an API reports is read (see
	// steer.go).
	beat = 100 * time.Millisecond
	// shortestWait bounds how often a waiting request looks again.
	shortestWait = time.Millisecond
	// turnBurst: a turn taken a little late (timers wake late) does not lose its share of the pace.
	turnBurst = 2
	// holdAllBeyond: a refusal that names a longer wait is the API asking
	// for a break, not for a turn, and holds every request until then.
	holdAllBeyond = 2 * time.Second
	// firstBackoff is the wait after a first 429 that names none; each 429 in a row for the same request doubles it,
	// up to the longest wait the Pacer takes.
	firstBackoff = 500 * time.Millisecond
)

// Pacer decides when each request may go, from the answers to the earlier ones. It is pure on time: every method
// takes the time it is asked at, so the client's send loop, tests and simulations drive it with any clock.
type Pacer struct {
	ceiling rate.Limit // the user's cap, or rate.Inf
	maxWait time.Duration

	mu        sync.Mutex
	turns     *rate.Limiter
	mode      mode
	accepted  meter
	sent      meter
	heldUntil time.Time
	start     slowStart
}

// NewPacer paces at most at ceiling requests per second (0: no cap of its
// own), and never waits longer than maxWait for one refusal.
func NewPacer(ceiling float64, maxWait time.Duration) *Pacer {
	limit := rate.Inf
	if ceiling > 0 {
		limit = rate.Limit(ceiling)
	}
	return &Pacer{ceiling: limit, maxWait: maxWait, turns: rate.NewLimiter(limit, turnBurst), mode: unpaced{}}
}

// Turn takes a turn for a request at now and returns 0, or returns how long to wait before asking again.
func (p *Pacer) Turn(now time.Time) time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	if now.Before(p.heldUntil) {
		return min(p.heldUntil.Sub(now), beat)
	}
	if wait := p.start.wait(); wait > 0 {
		return wait
	}
	p.turns.SetLimitAt(now, min(p.mode.pace(now), p.ceiling))
	if p.turns.AllowN(now, 1) {
		p.sent.add(now)
		p.start.take()
		return 0
	}
	missing := 1 - p.turns.TokensAt(now)
	wait := time.Duration(missing / float64(p.turns.Limit()) * float64(time.Second))
	return min(max(wait, shortestWait), beat)
}

// Unanswered ends a turn that had no answer (the request failed or was never sent), so the requests behind it go.
func (p *Pacer) Unanswered() {
	p.mu.Lock()
	p.start.answered(false)
	p.mu.Unlock()
}

// Observe learns from an answer had at now, and ends its turn. For a refusal it returns how long the refused request
// waits before it is sent again; refusedInARow counts this request's 429s, this one included.
func (p *Pacer) Observe(now time.Time, a Answer, refusedInARow int) time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.start.answered(!a.Refused)
	if !a.Refused {
		p.accepted.add(now)
	}
	wait := time.Duration(0)
	if a.Refused {
		wait = backoffWait(refusedInARow, p.maxWait)
		if a.HasWait {
			wait = a.Wait
		}
		wait = min(wait, p.maxWait)
	}
	seen := p.reading(now)
	seen.retryIn = wait
	p.mode = p.mode.observe(now, a, seen)
	if _, unpaced := p.mode.(unpaced); !unpaced && (a.Refused || (a.HasRemaining && a.Remaining == 0)) {
		p.start.done = true // the pace holds from here
	}
	p.turns.SetLimitAt(now, min(p.mode.pace(now), p.ceiling))
	if !a.Refused {
		return 0
	}
	// The next turn comes at the new pace: the API has no room just now.
	// (A rate.Limiter drops its saved turns only when they are taken.)
	for p.turns.Limit() != rate.Inf && p.turns.AllowN(now, 1) {
	}
	if wait > holdAllBeyond && now.Add(wait).After(p.heldUntil) {
		p.heldUntil = now.Add(wait)
	}
	return wait
}

// reading is what the Pacer has seen of this client lately.
func (p *Pacer) reading(now time.Time) reading {
	return reading{pace: p.mode.pace(now), accepted: p.accepted.perSecond(now),
		measured: p.accepted.count > 0, sent: p.sent.perSecond(now)}
}

// Pace is the current pace in requests per second (rate.Inf: unpaced).
func (p *Pacer) Pace() rate.Limit {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.turns.Limit()
}

// LogFields adds the pace (a number, or "unpaced") and how it is set to fields.
func (p *Pacer) LogFields(fields map[string]any) map[string]any {
	p.mu.Lock()
	defer p.mu.Unlock()
	fields["requests_per_second"], fields["pacing"] = "unpaced", p.mode.String()
	if pace := p.turns.Limit(); pace != rate.Inf {
		fields["requests_per_second"] = float64(pace)
	}
	return fields
}

// backoffWait is the wait after the n-th 429 in a row of a request that named none: doubling up to longest, jittered
// so that refused requests do not return together.
func backoffWait(n int, longest time.Duration) time.Duration {
	base := min(firstBackoff<<min(n-1, 16), longest)
	return base/2 + time.Duration(rand.Int64N(int64(base)))
}
