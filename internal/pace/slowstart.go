package pace

import "time"

// Slow start (TCP's, for requests), until an answer shows a limit: one request may be under way at first, and each
// accepted answer lets startGrowth more go (about one and a half times as many each round trip; a request goes only
// once whole).
const startGrowth = 0.5

// startPoll is how often a request held by slow start looks again.
const startPoll = 5 * time.Millisecond

// slowStart holds the requests beyond its window until a pace holds them.
type slowStart struct {
	done     bool
	open     float64 // how many more than one may be under way
	underWay int     // turns taken, not yet answered
}

// wait says how long a request must wait before it may go.
func (s *slowStart) wait() time.Duration {
	if s.done || float64(s.underWay) <= s.open { // one more goes only once whole
		return 0
	}
	return startPoll
}

// take counts a request that goes.
func (s *slowStart) take() {
	s.underWay++
}

// answered ends a turn; an accepted answer opens the window.
func (s *slowStart) answered(accepted bool) {
	s.underWay = max(s.underWay-1, 0)
	if accepted {
		s.open += startGrowth
	}
}
