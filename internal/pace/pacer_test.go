package pace

import (
	"math"
	"testing"
	"time"

	"golang.org/x/time/rate"
)

// These tests drive a Pacer at chosen times: the paces are exact.

var t0 = time.Unix(1_700_000_000, 0)

func at(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }

var (
	accepted = Answer{}
	refused  = Answer{Refused: true, Wait: time.Second, HasWait: true}
)

// limit50 is an answer that announces a limit of 50 a second, with this
// much room left.
func limit50(remaining int) Answer {
	return Answer{Limit: 50, Remaining: remaining, HasRemaining: true}
}

// turns counts the requests that get a turn at now, at most n.
func turns(p *Pacer, now time.Time, n int) int {
	got := 0
	for range n {
		if p.Turn(now) == 0 {
			got++
		}
	}
	return got
}

func pace(p *Pacer) float64 { return float64(p.Pace()) }

// mode names how the pacer sets the pace.
func modeOf(p *Pacer) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.mode.String()
}

func near(got, want float64) bool { return math.Abs(got-want) < 1e-6*max(1, want) }

// Until an answer shows a limit, requests go as in TCP's slow start: one at
// first, and startGrowth more for each accepted answer (a request only once
// whole: 1, 1, 2, 3, 4, 6, 9, 14 a round trip), and nothing else holds them.
func TestSlowStartGrowsEachRoundTrip(t *testing.T) {
	p := NewPacer(0, time.Minute)
	now := 0
	for _, want := range []int{1, 1, 2, 3, 4, 6, 9, 14, 21} {
		if got := turns(p, at(now), 100); got != want {
			t.Fatalf("round trip at %dms: %d requests went, want %d", now, got, want)
		}
		now += 25
		for range want {
			p.Observe(at(now), accepted, 0)
		}
	}
	if p.Pace() != rate.Inf {
		t.Errorf("pace %.1f without a limit, want none", pace(p))
	}
}

// A first refusal paces every request at once: at backoff of the share the
// accepted answers so far show (one is enough), or, when there were none,
// so that the next request goes when the API said one may (1s here). Only
// the refused request waits what the API asked.
func TestAFirstRefusalPacesAtTheShareSoFar(t *testing.T) {
	for _, tc := range []struct {
		accepted int
		share    float64
	}{{1, 1 / shortestSpan.Seconds()}, {0, 1 / backoff}} {
		p := NewPacer(0, time.Minute)
		turns(p, at(0), 1)
		for range tc.accepted {
			p.Observe(at(25), accepted, 0)
		}
		turns(p, at(25), 1)
		if wait := p.Observe(at(50), refused, 1); wait != time.Second {
			t.Fatalf("the refused request waits %s, want the API's 1s", wait)
		}
		if got, mode := p.Pace(), modeOf(p); !near(float64(got), backoff*tc.share) || mode != "cubic" {
			t.Errorf("after %d accepted answers and a refusal: pace %.3f by %q, want %.3f by cubic",
				tc.accepted, float64(got), mode, backoff*tc.share)
		}
		next := time.Duration(float64(time.Second) / (backoff * tc.share))
		if turns(p, at(50).Add(next+time.Millisecond), 1) != 1 {
			t.Errorf("after %d accepted answers: no request went a turn after the refusal", tc.accepted)
		}
	}
}

// An announced limit starts the pace at a share of it (runs that start
// together must not empty the account at once), which climbs to the limit
// and never past it: steering by the room when answers report it (up to the
// limit: the room tells when to stop), by refusals when they do not (just
// under it).
func TestAnnouncedLimitStartsAtAShareAndClimbs(t *testing.T) {
	for _, tc := range []struct {
		mode         string
		answer       Answer
		first, final float64
	}{
		{"steering by the room", limit50(9), 50 * startShare, 50},
		{"cubic", Answer{Limit: 50}, 50 * startShare, 50 * headroom},
	} {
		p := NewPacer(0, time.Minute)
		turns(p, at(0), 1)
		p.Observe(at(25), tc.answer, 0)
		if got, mode := p.Pace(), modeOf(p); !near(float64(got), tc.first) || mode != tc.mode {
			t.Fatalf("first pace %.2f by %q, want %.2f by %q", float64(got), mode, tc.first, tc.mode)
		}
		last := 0.0
		for ms := 100; ms <= 30_000; ms += 20 {
			p.Observe(at(ms), tc.answer, 0)
			got := pace(p)
			if got < last || got > tc.final+1e-9 {
				t.Fatalf("%s: at %dms the pace is %.2f after %.2f: it must climb, and stay under %.2f", tc.mode, ms, got, last, tc.final)
			}
			last = got
		}
		if !near(last, tc.final) {
			t.Errorf("%s: after 30s without a refusal the pace is %.2f, want %.2f", tc.mode, last, tc.final)
		}
	}
}

// feed gives the pacer n accepted answers spread evenly over the second
// before ms, so that it reads a share of n a second.
func feed(p *Pacer, ms, n int) {
	for i := range n {
		p.Observe(at(ms-1000+i*1000/n), accepted, 0)
	}
}

// A refusal cuts the pace to backoff of the share the API let through
// (accepted answers a second); the answers to requests already under way
// tell the same for sameSignFor and cut nothing more.
func TestARefusalCutsToTheShareLetThrough(t *testing.T) {
	p := NewPacer(0, time.Minute)
	turns(p, at(0), 1)
	feed(p, 2000, 40)
	p.Observe(at(2000), refused, 1)
	want := 40 * backoff
	if got := pace(p); !near(got, want) {
		t.Fatalf("pace after the refusal %.3f, want %.3f (backoff × 40/s let through)", got, want)
	}
	p.Observe(at(2000+int(sameSignFor.Milliseconds())-1), refused, 1)
	if got := pace(p); got < want-1e-6 {
		t.Errorf("a refusal within sameSignFor cut again to %.3f", got)
	}
	p.Observe(at(2000+int(sameSignFor.Milliseconds())), refused, 1)
	if got := pace(p); got >= want {
		t.Errorf("a refusal after sameSignFor did not cut (%.3f)", got)
	}
}

// An answer that used the last of the room is a refusal that came early:
// the pace is cut before any 429.
func TestRoomRunOutCutsBeforeA429(t *testing.T) {
	p := NewPacer(0, time.Minute)
	turns(p, at(0), 1)
	p.Observe(at(25), limit50(9), 0)
	for ms := 100; ms <= 10_000; ms += 50 {
		p.Observe(at(ms), limit50(5), 0)
	}
	before := pace(p)
	p.Observe(at(10_100), limit50(0), 0) // the room is read every steerEvery
	if got := pace(p); got >= before {
		t.Errorf("pace %.2f after the room ran out, %.2f before: want a cut", got, before)
	}
}

// After a cut the pace climbs back to plateauShare of where it was refused
// by the plateau, then probes beyond it, by as many requests a second in a
// slow client as in a fast one.
func TestTheCurveClimbsBackThenProbes(t *testing.T) {
	for _, share := range []int{4, 20} {
		p := NewPacer(0, time.Minute)
		turns(p, at(0), 1)
		feed(p, 2000, share)
		p.Observe(at(2000), refused, 1)
		level := float64(share) * plateauShare
		k := time.Duration(math.Cbrt((level-float64(share)*backoff)/steepness) * float64(time.Second))
		for _, c := range []struct {
			after time.Duration
			check func(float64) bool
			want  string
		}{
			{k / 2, func(r float64) bool { return r > float64(share)*backoff && r < level }, "between the cut and the plateau"},
			{k, func(r float64) bool { return near(r, level) }, "at the plateau"},
			{k + time.Second, func(r float64) bool { return near(r, level+steepness) }, "steepness above the plateau"},
		} {
			now := at(2000).Add(c.after)
			p.Turn(now) // the pace follows the curve without answers too
			if r := p.Pace(); !c.check(float64(r)) {
				t.Errorf("share %d: %s after the cut the pace is %.3f, want it %s (%.3f)", share, c.after, float64(r), c.want, level)
			}
		}
	}
}

// A paced client that is refused is cut from the pace it sent at, not from
// its accepted answers alone: its own refusals made those fewer.
func TestAPacedClientIsCutFromWhatItSent(t *testing.T) {
	p := NewPacer(0, time.Minute)
	turns(p, at(0), 1)
	feed(p, 1000, 20)
	p.Observe(at(1000), refused, 1) // paced from here
	// A second at 10 a second sent, every other one refused.
	for ms := 3000; ms < 4000; ms += 100 {
		if p.Turn(at(ms)) != 0 {
			t.Fatalf("at %dms the pace %.2f held a request back", ms, pace(p))
		}
		if ms%200 == 0 {
			p.Observe(at(ms), accepted, 0)
		}
	}
	before := pace(p)
	p.Observe(at(4000), refused, 1)
	// Refused below the 20 a second of the last refusal: it yields more.
	if want := backoff * min(before, 10) * yieldShare; !near(pace(p), want) {
		t.Errorf("cut to %.3f from %.3f, want %.3f: backoff of the 10 a second sent, not of the 5 accepted", pace(p), before, want)
	}
}

// A run refused below where it was refused the last time has lost share to
// another run: its curve flattens out lower than plateauShare of the pace
// refused (yieldShare of it), so that the other's share grows sooner. One
// refused above its last refusal keeps plateauShare.
func TestARunRefusedLowerYieldsMore(t *testing.T) {
	for _, tc := range []struct {
		second, want float64
	}{{10, 10 * yieldShare * plateauShare}, {30, 30 * plateauShare}} {
		p := NewPacer(0, time.Minute)
		turns(p, at(0), 1)
		feed(p, 1000, 20)
		p.Observe(at(1000), refused, 1) // refused at 20 a second
		feed(p, 5000, int(tc.second))
		p.Observe(at(5000), refused, 1)
		if got := float64(p.mode.(*cubic).level()); !near(got, tc.want) {
			t.Errorf("refused at 20/s, then at %.0f/s: the curve flattens out at %.3f, want %.3f", tc.second, got, tc.want)
		}
	}
}

// Answers that report the room after a refusal (the first answer was a 429
// with the limit's headers) hand the pace to steering by the room, no
// faster than it was.
func TestRoomReportedAfterARefusalSteersByIt(t *testing.T) {
	p := NewPacer(0, time.Minute)
	turns(p, at(0), 1)
	p.Observe(at(25), Answer{Refused: true, Limit: 50, HasRemaining: true, Wait: time.Second, HasWait: true}, 1)
	p.Turn(at(50))
	before := pace(p) // the curve's, at 50ms
	p.Observe(at(50), limit50(9), 0)
	if got, mode := p.Pace(), modeOf(p); mode != "steering by the room" || float64(got) > before+1e-9 {
		t.Errorf("after a room report: pace %.2f by %q, want at most %.2f by steering by the room", float64(got), mode, before)
	}
}

// A refusal that names a short wait holds only the refused request: the
// others go on at the new pace. A wait longer than holdAllBeyond is the API
// asking for a break, and holds every request.
func TestOnlyALongWaitHoldsEveryRequest(t *testing.T) {
	for _, tc := range []struct {
		wait    time.Duration
		holdAll bool
	}{{time.Second, false}, {holdAllBeyond + time.Second, true}} {
		p := NewPacer(0, time.Minute)
		turns(p, at(0), 1)
		feed(p, 2000, 40)
		p.Observe(at(2000), Answer{Refused: true, Wait: tc.wait, HasWait: true}, 1)
		next := time.Duration(float64(time.Second) / pace(p))
		held := p.Turn(at(2000).Add(next+time.Millisecond)) != 0
		if held != tc.holdAll {
			t.Errorf("after a refusal naming %s, a request one turn later was held: %v, want %v", tc.wait, held, tc.holdAll)
		}
	}
}

// max_requests_per_second caps the pace even when the API announces none.
func TestTheUsersCeiling(t *testing.T) {
	p := NewPacer(5, time.Minute)
	sent := 0
	for ms := 0; ms < 10_000; ms++ {
		if p.Turn(at(ms)) == 0 {
			sent++
			p.Observe(at(ms), accepted, 0)
		}
	}
	if sent < 49 || sent > 50+turnBurst {
		t.Errorf("%d requests in 10s under a ceiling of 5/s", sent)
	}
	if r := p.Pace(); r != 5 {
		t.Errorf("pace %v, want the ceiling 5", r)
	}
}

// A wait the API asks for is capped by maxWait; without one, the n-th
// refusal in a row waits about firstBackoff × 2^(n-1), jittered.
func TestRefusalWaits(t *testing.T) {
	p := NewPacer(0, 300*time.Millisecond)
	if w := p.Observe(at(0), refused, 1); w != 300*time.Millisecond {
		t.Errorf("wait %s, want the API's 1s capped at 300ms", w)
	}
	for n := 1; n <= 3; n++ {
		base := firstBackoff << (n - 1)
		for range 20 {
			if w := backoffWait(n, time.Minute); w < base/2 || w >= base*3/2 {
				t.Fatalf("refusal %d in a row waits %s, want within [%s, %s)", n, w, base/2, base*3/2)
			}
		}
	}
	if w := backoffWait(100, 30*time.Second); w >= 45*time.Second {
		t.Errorf("the 100th refusal waits %s, want at most about the longest wait, 30s", w)
	}
}
