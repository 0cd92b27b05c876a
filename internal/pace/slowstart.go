package pace

import "time"

const (
	// Slow start (TCP's, for requests): the first request goes alone, and
	// each accepted answer lets startGrowth more go at once (about 1.5
	// times as many each round trip; a request goes only once whole), until
	// a refusal lets a share be read, or startOpen go at once. The first
	// answer's headers may announce a limit before a burst empties the
	// account, and clients starting together overshoot it by one round
	// trip's worth at most: one request each in the second round trip. An
	// API without a limit costs about eleven round trips at the start.
	startOpen   = 64
	startGrowth = 0.5
	// startWait: a slow answer does not hold the others for longer; then
	// twice as many go.
	startWait = 2 * time.Second
	// startPoll is how often a request held by slow start looks again.
	startPoll = 5 * time.Millisecond
)

// slowStart holds requests beyond open at once until a pace holds them.
type slowStart struct {
	done     bool
	open     float64   // how many may be under way
	underWay int       // turns taken, not yet answered
	grownAt  time.Time // when open last grew
}

// wait says how long a request must wait at now before it may go.
func (s *slowStart) wait(now time.Time) time.Duration {
	if s.done {
		return 0
	}
	if s.grownAt.IsZero() {
		s.open, s.grownAt = 1, now
	}
	if now.Sub(s.grownAt) >= startWait {
		s.grow(now, s.open)
	}
	if float64(s.underWay+1) > max(s.open, 1) { // only whole requests go
		return startPoll
	}
	return 0
}

// take counts a request that goes.
func (s *slowStart) take() {
	if !s.done {
		s.underWay++
	}
}

func (s *slowStart) grow(now time.Time, by float64) {
	s.open += by
	s.grownAt = now
	s.done = s.done || s.open >= startOpen
}

// answered ends a turn: an accepted answer opens one more, a refusal
// halves how many may be under way.
func (s *slowStart) answered(now time.Time, accepted, refused bool) {
	if s.done {
		return
	}
	s.underWay = max(s.underWay-1, 0)
	switch {
	case accepted:
		s.grow(now, startGrowth)
	case refused:
		s.open, s.grownAt = max(s.open/2, 1), now
	}
}
