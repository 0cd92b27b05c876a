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
)

// steer paces by the room the API reports (X-RateLimit-Remaining against the
// most it has shown). Every run sharing the account reads the same room, so
// they all steer the same way: when it drains, the drain's speed is how far
// all runs together are over the limit, and each cuts its pace by that
// share; when none is left, a fixed cut; while it stays ample, equal
// additive steps up. Together they hold the account just under its limit
// without 429s. It reports false when the room tells too little to steer by.
func (s *scheduler) steer(now time.Time, remaining int) bool {
	current := s.limiter.Limit()
	s.room = max(s.room, remaining)
	// A room that rises faster than the announced limit refills it is a
	// window that starts afresh, not a bucket: its drain is every request
	// of the window, not how far they are over the limit. Undo any cut
	// steering made and steer no more.
	if !s.lastRoomAt.IsZero() && !s.windowed &&
		float64(remaining-s.lastRoom) > s.announced*now.Sub(s.lastRoomAt).Seconds()+refillSlack {
		s.windowed = true
		if s.troubleAt.IsZero() {
			s.setRate(max(current, rate.Limit(s.announced*headroom)))
		}
	}
	s.lastRoom, s.lastRoomAt = remaining, now
	if s.windowed || s.room < minRoom {
		return false
	}
	if current == rate.Inf || now.Before(s.lastDecrease) {
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
		// Never past the announced limit: it is the whole account's.
		s.ampleFor++
		s.setRate(min(current+rate.Limit(s.announced*roomStep*float64(s.ampleFor)), rate.Limit(s.announced)))
	}
	return true
}

// cut lowers the pace; answers to requests already under way for the next
// moment are the same sign again and change nothing.
func (s *scheduler) cut(now time.Time, r rate.Limit) {
	s.setRate(r)
	s.lastDecrease = now.Add(200 * time.Millisecond)
	s.lastIncrease = s.lastDecrease
}
