package pace

import (
	"time"

	"golang.org/x/time/rate"
)

const (
	// hintLife is how long a Hint holds: a plan applied at once
	// (-auto-approve, a CI pipeline) starts its apply within seconds; one
	// approved by hand later starts afresh, as the account's other clients
	// may have come or gone.
	hintLife = time.Minute
	// resumeBeyond is how far past its plateau a new Pacer resumes the curve
	// at most (2 requests a second above it). Further on, the curve probes
	// for room the last process may have found or not; every process of a
	// fleet starting there at once empties the account (ten runs' refreshes
	// resuming the whole curve: 18.9 % 429s, make bench-fleet).
	resumeBeyond = time.Second
	// fastestHint bounds the pace a Hint may give (requests a second): a file
	// that says more was not written by a Pacer.
	fastestHint = 1e6
)

// A Hint is what one Pacer learned of its share of an account's limit, for
// the next Pacer of the same account to start from. Terraform plans and
// applies in two provider processes, and each would otherwise learn the
// limit again from refusals.
type Hint struct {
	// Refused is the pace (requests a second) the API last refused.
	Refused float64 `json:"refused"`
	// Ceiling is just under the limit the API announced (0: none).
	Ceiling float64 `json:"ceiling,omitempty"`
	// At is when it refused.
	At time.Time `json:"at"`
	// Plateau is when the curve after that refusal flattens out (see cubic):
	// the next Pacer goes on along the same curve.
	Plateau time.Time `json:"plateau"`
}

// Hint is what this Pacer learned from its last refusal; false when it was
// never refused (nothing to learn, or the API reports its room on every
// answer, which a new Pacer reads at once).
func (p *Pacer) Hint() (Hint, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	c, ok := p.mode.(*cubic)
	if !ok || c.refusedAt.IsZero() {
		return Hint{}, false
	}
	h := Hint{Refused: float64(c.refused), At: c.refusedAt, Plateau: c.plateau}
	if c.ceiling != rate.Inf {
		h.Ceiling = float64(c.ceiling)
	}
	return h, true
}

// StartFrom starts a Pacer that has taken no turn yet from h, if h is no
// older than hintLife at now: on the curve h's refusal left (no further than
// resumeBeyond past its plateau), without a slow start. It reports whether it
// did.
func (p *Pacer) StartFrom(now time.Time, h Hint) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, unpaced := p.mode.(unpaced); !unpaced || !p.start.grownAt.IsZero() || !h.usable(now) {
		return false
	}
	c := newCubic()
	c.refused, c.refusedAt, c.plateau = rate.Limit(h.Refused), h.At, later(h.Plateau, now.Add(-resumeBeyond))
	if h.Ceiling > 0 {
		c.ceiling = rate.Limit(h.Ceiling)
	}
	p.mode, p.start.done = c, true
	p.turns.SetLimitAt(now, min(c.pace(now), p.ceiling))
	return true
}

// usable tells whether h may start a Pacer at now: it is recent, and it is
// what a Pacer writes (a file may hold anything).
func (h Hint) usable(now time.Time) bool {
	age := now.Sub(h.At)
	return age >= 0 && age <= hintLife && h.Refused >= slowest && h.Refused <= fastestHint &&
		!h.Plateau.Before(h.At) && h.Plateau.Sub(h.At) <= hintLife
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
