package sovx

import (
	"time"

	"golang.org/x/time/rate"
)

const (
	// Steering by the room the API reports, every steerEvery: down when
	// the room drained by minDrain or more to drainedRoom of the most seen
	// or less, by roomOutBy when none is left, up by roomStep of the
	// announced limit (more each time in a row) while the room is at least
	// ampleRoom of the most seen. minRoom: less room is no signal.
	// refillSlack: how much more room than the limit refills a later answer
	// may show (answers overtake each other).
	steerEvery  = 100 * time.Millisecond
	minDrain    = 2
	drainedRoom = 0.5
	roomOutBy   = 0.8
	roomStep    = 0.02
	ampleRoom   = 0.75
	minRoom     = 4
	refillSlack = 2
	// windowSteerEvery: a window's room is read over longer, as every
	// request, not only those over the limit, moves it.
	windowSteerEvery = 200 * time.Millisecond
	// startShare of an announced limit is the first pace, when the room is
	// reported: runs that start together find each other in the room's
	// drain before they empty it. Until the first cut, the pace grows by
	// startGrowth a step.
	startShare  = 0.5
	startGrowth = 1.25
)

// steer paces by the room the API reports (X-RateLimit-Remaining against the
// most it has shown). Every run sharing the account reads the same room, so
// they all steer the same way: when it drains, the drain's speed is how far
// all runs together are over the limit, and each cuts its pace by that
// share; when none is left, a fixed cut; while it stays ample, equal
// additive steps up. Together they hold the account just under its limit
// without 429s. It reports false when the room tells too little to steer by.
func (s *scheduler) steer(now time.Time, remaining int) bool {
	current := s.limiter.Limit() // finite: a limit was announced, or the user set a ceiling
	s.room = max(s.room, remaining)
	// A room that rises faster than the announced limit refills it is a
	// window that starts afresh, not a bucket: its drain is every request
	// of the window, not how far they are over the limit. The first time,
	// undo any cut the drain made.
	if !s.lastRoomAt.IsZero() && float64(remaining-s.lastRoom) > s.announced*now.Sub(s.lastRoomAt).Seconds()+refillSlack {
		if !s.windowed && s.troubleAt.IsZero() {
			s.setRate(max(current, rate.Limit(s.announced*headroom)))
		}
		s.windowed = true
		s.roomAt, s.roomThen = now, remaining // read the new window from its start
	}
	s.lastRoom, s.lastRoomAt = remaining, now
	if s.room < minRoom {
		return false
	}
	if s.windowed {
		s.steerWindow(now, remaining, current)
		return true
	}
	if now.Before(s.lastDecrease) {
		return true
	}
	if s.roomAt.IsZero() {
		s.roomAt, s.roomThen = now, remaining
	}
	since := now.Sub(s.roomAt)
	if since < steerEvery {
		return true
	}
	drained := s.roomThen - remaining
	s.roomAt, s.roomThen = now, remaining
	level := float64(remaining) / float64(s.room)
	if drained > 0 || level < ampleRoom {
		s.ampleFor = 0
	}
	switch {
	case drained >= minDrain && level <= drainedRoom:
		over := float64(drained) / since.Seconds() // requests per second over the limit, all runs together
		s.cut(now, current*rate.Limit(s.announced*headroom/(s.announced+over)))
	case remaining == 0:
		s.cut(now, current*roomOutBy)
	case level >= ampleRoom:
		s.stepUp(current)
	}
	return true
}

// steerWindow paces by a fixed window's room. Nothing refills it within the
// window, so how fast it falls is the rate of all runs together. Each run
// cuts its pace by how far that is over the limit, or steps up while it is
// well under. A reading that spans the start of a window tells nothing;
// answers more than a window apart tell that this run is slow: it steps up.
func (s *scheduler) steerWindow(now time.Time, remaining int, current rate.Limit) {
	if now.Before(s.lastDecrease) {
		return
	}
	since := now.Sub(s.roomAt)
	if since < windowSteerEvery {
		return
	}
	drained := s.roomThen - remaining
	s.roomAt, s.roomThen = now, remaining
	length := time.Duration(float64(s.room+1) / s.announced * float64(time.Second))
	account := float64(drained) / since.Seconds()
	switch {
	case since > length || (drained >= 0 && account < s.announced*headroom):
		s.stepUp(current)
	case drained < 0:
		// A new window began in between.
	case account > s.announced:
		s.ampleFor = 0
		s.cut(now, current*rate.Limit(s.announced*headroom/account))
	default:
		s.ampleFor = 0
	}
}

// stepUp raises the pace by the same step as in every other run (a share of
// the announced limit, larger each time in a row), never past the limit: it
// is the whole account's.
func (s *scheduler) stepUp(current rate.Limit) {
	s.ampleFor++
	next := current + rate.Limit(s.announced*roomStep*float64(s.ampleFor))
	if !s.settled {
		next = max(next, current*startGrowth)
	}
	s.setRate(min(next, rate.Limit(s.announced)))
}

// cut lowers the pace; answers to requests already under way for the next
// moment are the same sign again and change nothing.
func (s *scheduler) cut(now time.Time, r rate.Limit) {
	s.settled = true
	s.setRate(r)
	s.lastDecrease = now.Add(sameSignFor)
	s.lastIncrease = s.lastDecrease
}
