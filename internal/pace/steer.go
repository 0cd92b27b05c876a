package pace

import (
	"time"

	"golang.org/x/time/rate"
)

// When every answer reports the room left (X-RateLimit-Remaining), every client sharing the account reads the same
// room, and steers by it before any refusal: the room's drain is how far all of them together are over the limit.
const (
	// drainedRoom: a drain counts once the room is down to this share of the most seen.
	drainedRoom = 0.5
	// ampleRoom: at least this share of the most seen lets the pace step up.
	ampleRoom = 0.75
	// roomStep of the announced limit is one step up, the same in every
	// client, so that their shares even out; each step in a row is larger.
	roomStep = 0.02
	// longestStep: a reading that spans more readings due steps up as far as this many.
	longestStep = 10
	// startGrowthBy is each step up until the first cut: a client alone soon reaches the limit.
	startGrowthBy = 1.25
)

// room is the reading both steering modes share.
type room struct {
	limit    float64    // the announced limit, per second
	current  rate.Limit // the pace
	most     int        // the most room seen
	at       time.Time  // where the reading under way began
	then     int        // the room then
	last     int        // the last answer's room
	lastAt   time.Time
	calmAt   time.Time // until then, answers tell the same as the last cut
	cuts     int
	uncut    rate.Limit // the pace before the first cut
	refusals int
	ampleFor int // steps up in a row
}

func (r *room) pace(time.Time) rate.Limit { return r.current }

// cut lowers the pace; answers to requests already under way for the next
// moment are the same sign again and change nothing.
func (r *room) cut(now time.Time, to rate.Limit) {
	if r.cuts == 0 {
		r.uncut = r.current
	}
	r.cuts++
	r.ampleFor = 0
	r.current = max(to, rate.Limit(slowest))
	r.calmAt = now.Add(sameSignFor)
}

// steersBy takes what any answer tells (the limit, a refusal) and reports whether it shows the room to steer by.
func (r *room) steersBy(now time.Time, a Answer) bool {
	if a.Limit > 0 {
		r.limit = a.Limit
	}
	if a.Refused {
		r.refused(now)
		return false
	}
	return a.HasRemaining
}

// refused cuts the pace after a 429, once for the answers under way.
func (r *room) refused(now time.Time) {
	r.refusals++
	if !now.Before(r.calmAt) {
		r.cut(now, r.current*backoff)
	}
}

// stepUp raises the pace by the same step as in every other client, larger each time in a row, never past the limit:
// it is the whole account's. span is the reading's length in readings due: a slow client, whose answers come further
// apart, steps as far for the time (up to longestStep), or it would stay slow while the others climb.
func (r *room) stepUp(span float64) {
	r.ampleFor++
	next := r.current + rate.Limit(r.limit*roomStep*float64(r.ampleFor)*min(span, longestStep))
	if r.cuts == 0 {
		next = max(next, r.current*startGrowthBy)
	}
	r.current = min(next, rate.Limit(r.limit))
}

// read takes one answer's room; it reports whether the reading under way
// is due (since is how long it spans) and the room drained over it.
func (r *room) read(now time.Time, remaining int, every time.Duration) (drained int, since time.Duration, due bool) {
	r.most = max(r.most, remaining)
	r.last, r.lastAt = remaining, now
	if r.at.IsZero() {
		r.at, r.then = now, remaining
	}
	since = now.Sub(r.at)
	if since < every || now.Before(r.calmAt) {
		return 0, since, false
	}
	drained = r.then - remaining
	r.at, r.then = now, remaining
	return drained, since, true
}

// roomSteering steers by a token bucket's room: when it drains, each client cuts its pace by how far the account is
// over the limit (the drain's speed); when none is left, to plateauShare of it; while it stays ample, equal steps up.
type roomSteering struct{ room }

func newRoomSteering(limit float64) *roomSteering {
	return &roomSteering{room{limit: limit, current: rate.Limit(limit * startShare)}}
}

func (s *roomSteering) String() string { return "steering by the room" }

func (s *roomSteering) observe(now time.Time, a Answer, _ reading) mode {
	if !s.steersBy(now, a) {
		return s
	}
	// A room that rises faster than the limit refills it is a window that
	// starts afresh: its fall is every request of the window.
	if !s.lastAt.IsZero() && float64(a.Remaining-s.last) > s.limit*now.Sub(s.lastAt).Seconds() {
		return newWindowSteering(now, &s.room, a.Remaining)
	}
	drained, since, due := s.read(now, a.Remaining, beat)
	if !due {
		return s
	}
	level := float64(a.Remaining) / float64(s.most)
	if drained > 0 || level < ampleRoom {
		s.ampleFor = 0
	}
	switch {
	case drained > 0 && level <= drainedRoom:
		over := float64(drained) / since.Seconds() // requests a second over the limit, all clients together
		s.cut(now, s.current*rate.Limit(s.limit*headroom/(s.limit+over)))
	case a.Remaining == 0:
		s.cut(now, s.current*plateauShare)
	case level >= ampleRoom:
		s.stepUp(float64(since) / float64(beat))
	}
	return s
}

// windowSteering steers by a fixed window's room.
type windowSteering struct{ room }

func newWindowSteering(now time.Time, r *room, remaining int) *windowSteering {
	s := &windowSteering{*r}
	if s.refusals == 0 && s.cuts > 0 {
		// What the bucket's reading cut was the window's fall: undo it.
		s.current = max(s.current, s.uncut)
	}
	s.at, s.then, s.last, s.lastAt = now, remaining, remaining, now
	s.most = max(s.most, remaining)
	return s
}

func (s *windowSteering) String() string { return "steering by the window" }

func (s *windowSteering) observe(now time.Time, a Answer, _ reading) mode {
	if !s.steersBy(now, a) {
		return s
	}
	drained, since, due := s.read(now, a.Remaining, beat)
	if !due {
		return s
	}
	length := time.Duration(float64(s.most+1) / s.limit * float64(time.Second))
	account := float64(drained) / since.Seconds()
	switch {
	case since > length || (drained >= 0 && account < s.limit*headroom):
		s.stepUp(float64(since) / float64(beat))
	case drained < 0:
		// A new window began in between.
	case account > s.limit:
		s.cut(now, s.current*rate.Limit(s.limit*headroom/account))
	default:
		s.ampleFor = 0
	}
	return s
}
