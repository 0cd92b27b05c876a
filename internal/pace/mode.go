package pace

import (
	"math"
	"time"

	"golang.org/x/time/rate"
)

// A mode sets the pace from the API's answers. The Pacer starts unpaced and
// a mode hands over to the next when the answers show more.
type mode interface {
	// observe learns from an answer had at now and returns the mode for the next answer.
	observe(now time.Time, a Answer, seen reading) mode
	// pace is the pace at now (rate.Inf: none).
	pace(now time.Time) rate.Limit
	// String names the mode in logs.
	String() string
}

// reading is what the Pacer knows beside the answer.
type reading struct {
	pace rate.Limit
	// accepted is this client's accepted answers per second, lately; measured tells whether any came to read it from.
	accepted float64
	measured bool
	// sent is this client's requests per second, lately (turns taken).
	sent float64
	// retryIn is how long a refused request waits (0: the answer was accepted).
	retryIn time.Duration
}

// unpaced sends every request at once: nothing has shown a limit. Most
// accounts never meet theirs, and pacing them would only cost time.
type unpaced struct{}

func (unpaced) String() string { return "unpaced" }

func (unpaced) pace(time.Time) rate.Limit { return rate.Inf }

func (unpaced) observe(now time.Time, a Answer, seen reading) mode {
	switch {
	case a.Refused || (a.HasRemaining && a.Remaining == 0 && a.Limit > 0):
		// Refused while sending at will: the accepted answers are the share (a whole answer is enough: waiting for
		// more costs every client that starts together another refusal).
		return newCubic().observe(now, a, seen)
	case a.Limit > 0 && a.HasRemaining && !a.Refused:
		// Accepted answers report the room: steer by it before any refusal.
		return newRoomSteering(a.Limit)
	case a.Limit > 0:
		// A limit, but no room to steer by: pace under it by refusals.
		c := newCubic()
		c.ceiling = rate.Limit(a.Limit * headroom)
		c.startAt(now, rate.Limit(a.Limit*startShare))
		return c
	}
	return unpaced{}
}

// After a refusal the pace follows CUBIC's curve (RFC 9438; aws-sdk-go-v2's adaptive retryer uses it too): it falls
// to backoff of the pace refused, climbs back fast and flattens out under it, then climbs ever faster past it: the
// other clients are done, or the share read low.
const (
	// backoff is the share of the refused pace kept after a refusal.
	backoff = 0.6
	// plateauShare of the refused pace is where the curve flattens out: under where the API refused, so that it does
	// not again soon.
	plateauShare = 0.8
	// steepness (requests a second, per second cubed) shapes the curve: the plateau comes cbrt(refused ×
	// (plateauShare-backoff) / steepness) after a cut (0.7 s if refused at 3 a second, 1.7 s at 50); 1 s past the
	// plateau the pace is 2 a second above it, 2 s past it 16 above.
	steepness = 2.0
	// yieldShare: a run refused below where it was refused last time has lost share to a newcomer, and yields more
	// than plateauShare (RFC 9438's fast convergence), so the newcomer's share grows sooner.
	yieldShare = (1 + plateauShare) / 2
	// headroom keeps the pace just under an announced limit.
	headroom = 0.95
	// startShare of an announced limit is the pace a client starts at: several starting together must not empty the
	// account at once (when answers report the room, they find each other in its drain); startGrowthBy takes a client
	// alone to the limit soon.
	startShare = 0.2
	// sameSignFor: the answers to requests already under way when the pace
	// was cut tell the same again, and cut nothing more.
	sameSignFor = 150 * time.Millisecond
	// slowest is the least pace (requests per second): slower than a request every holdAllBeyond is a break, which a
	// refusal asks for in so many words.
	slowest = float64(time.Second) / float64(holdAllBeyond)
)

// cubic paces by refusals: a 429, or an accepted answer that used the last
// of the room the API reports. An announced limit caps the pace.
type cubic struct {
	ceiling rate.Limit // just under the announced limit, or Inf
	refused rate.Limit // the pace of the last refusal
	plateau time.Time  // when the curve is back at refused
	// The answers to requests already under way at a cut, until calmAt, complete the reading of the share (they were
	// let through or refused at the same time), and cut nothing more; cutFrom was the pace then.
	calmAt  time.Time
	cutFrom rate.Limit
}

func newCubic() *cubic { return &cubic{ceiling: rate.Inf} }

func (c *cubic) String() string { return "cubic" }

func (c *cubic) observe(now time.Time, a Answer, seen reading) mode {
	share := rate.Limit(max(seen.accepted, slowest))
	if !seen.measured {
		// No answer accepted yet: all the API said is when one request may go. The pace lets the next go then (after
		// firstBackoff at the soonest: "Retry-After: 0" shows no share either).
		share = rate.Limit(1 / max(seen.retryIn, firstBackoff).Seconds() / backoff)
	}
	if a.Limit > 0 {
		c.ceiling = rate.Limit(a.Limit * headroom)
	}
	if !a.Refused && a.Limit > 0 && a.HasRemaining {
		// Accepted answers report the room after all: steer by it.
		s := newRoomSteering(a.Limit)
		s.current = max(min(c.pace(now), s.current), rate.Limit(slowest))
		return s
	}
	switch {
	case now.Before(c.calmAt):
		c.refused = max(c.refused, min(c.cutFrom, share))
	case a.Refused || (a.HasRemaining && a.Remaining == 0):
		c.calmAt, c.cutFrom = now.Add(sameSignFor), seen.pace
		last := c.refused
		c.refused = share
		if seen.pace != rate.Inf {
			// Paced: cut from what it really sent. A slow client's last second holds few answers, and its refusals
			// make them fewer: cutting from the accepted ones alone cut it twice.
			c.refused = min(seen.pace, max(share, rate.Limit(seen.sent)))
		}
		if c.refused < last {
			c.refused *= yieldShare
		}
	default:
		return c
	}
	c.plateau = now.Add(c.toPlateau(c.refused * (plateauShare - backoff)))
	return c
}

// level is the pace of the curve's plateau.
func (c *cubic) level() rate.Limit { return c.refused * plateauShare }

// pace follows the curve: refused × backoff at the cut, the level at the
// plateau, climbing ever faster beyond it; never past the ceiling.
func (c *cubic) pace(now time.Time) rate.Limit {
	t := now.Sub(c.plateau).Seconds()
	curve := c.level() + rate.Limit(steepness*t*t*t)
	return max(min(curve, c.ceiling), rate.Limit(slowest))
}

// toPlateau is how long the curve takes to climb by below to the plateau.
func (c *cubic) toPlateau(below rate.Limit) time.Duration {
	return time.Duration(math.Cbrt(float64(below)/steepness) * float64(time.Second))
}

// startAt places the curve so that it is at pace now and flattens out at
// the ceiling: a first pace that climbs to the limit unless refused first.
func (c *cubic) startAt(now time.Time, pace rate.Limit) {
	c.refused = c.ceiling / plateauShare // a plateau at the ceiling
	c.plateau = now.Add(c.toPlateau(c.ceiling - pace))
}
