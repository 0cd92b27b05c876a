package pace

import (
	"testing"
	"time"
)

// steerAt starts a pacer steering by the room of a limit of 50 a second: the
// probe's answer at 25ms showed room.
func steerAt(t *testing.T, room int) *Pacer {
	t.Helper()
	p := NewPacer(0, time.Minute)
	turns(p, at(0), 1)
	p.Observe(at(25), limit50(room), 0)
	if mode := modeOf(p); mode != "steering by the room" {
		t.Fatalf("mode %q after an answer that reports the room", mode)
	}
	return p
}

// When the room drains, its speed is how far all runs together are over the
// limit: 6 requests in 100 ms is 60/s over a limit of 50, so each run keeps
// 47.5/110 of its pace, and together they land just under the limit.
func TestSteeringCutsByHowFarTheAccountIsOver(t *testing.T) {
	p := steerAt(t, 10)
	p.Observe(at(100), limit50(10), 0) // the reading starts
	before := pace(p)
	p.Observe(at(200), limit50(4), 0)
	if got, want := pace(p), before*50*headroom/(50+60); !near(got, want) {
		t.Errorf("pace %.3f after the room fell by 6 in 100ms, want %.3f", got, want)
	}
}

// While the room stays ample the pace steps up by equal steps (a share of
// the limit, the same in every run, so their shares even out), each larger
// than the last, and faster before the first cut; never past the limit.
func TestSteeringStepsUpWhileTheRoomIsAmple(t *testing.T) {
	p := steerAt(t, 10)
	p.Observe(at(100), limit50(10), 0)
	p.Observe(at(200), limit50(4), 0) // a cut: steps from here are the shared ones
	last := pace(p)
	var steps []float64
	for ms := 400; ms <= 800; ms += 100 {
		p.Observe(at(ms), limit50(10), 0)
		steps = append(steps, pace(p)-last)
		last = pace(p)
	}
	// Step n is n roomSteps; the first reading after the cut's calm spans
	// two readings due, so step 1 goes twice as far: 2, 2, 3, 4, 5.
	for i, units := range []float64{2, 2, 3, 4, 5} {
		if want := 50 * roomStep * units; !near(steps[i], want) {
			t.Fatalf("step %d was %.3f, want %.3f (steps %v)", i+1, steps[i], want, steps)
		}
	}
	for ms := 900; ms <= 5000; ms += 100 {
		p.Observe(at(ms), limit50(10), 0)
	}
	if got := pace(p); !near(got, 50) {
		t.Errorf("after 5s of ample room the pace is %.2f, want the limit, 50", got)
	}
}

// A client whose answers come further apart steps up as far for the time:
// one reading over 500ms steps five times as far as one over 100ms.
func TestSteeringStepsAsFarForTheTimeWhenAnswersAreFewer(t *testing.T) {
	var steps []float64
	for _, every := range []int{100, 500} {
		p := steerAt(t, 10)
		p.Observe(at(100), limit50(10), 0)
		p.Observe(at(200), limit50(4), 0)  // a cut
		p.Observe(at(400), limit50(10), 0) // the first step after the calm
		before := pace(p)
		p.Observe(at(400+every), limit50(10), 0)
		steps = append(steps, pace(p)-before)
	}
	if !near(steps[1], 5*steps[0]) {
		t.Errorf("a reading over 500ms stepped %.3f, one over 100ms %.3f: want five times as far", steps[1], steps[0])
	}
}

// A fixed window's room falls with every request and starts afresh with the
// next window. Read as a bucket's drain, the first window cuts the pace; once
// the room is seen to start afresh, the cut is undone, and the room's fall
// is read as the rate of all runs together (nothing refills a window).
func TestSteeringReadsAFixedWindowsFallAsTheAccountsRate(t *testing.T) {
	p := steerAt(t, 49)
	start := pace(p)
	room := 49
	ms := 25
	for ; room > 20; ms += 100 {
		room -= 5 // 50/s: the pace of everyone, the limit
		p.Observe(at(ms), limit50(room), 0)
	}
	if pace(p) >= start {
		t.Fatalf("the first window's fall should read as a drain and cut (%.2f, from %.2f)", pace(p), start)
	}
	p.Observe(at(ms), limit50(48), 0) // a new window
	if got, mode := p.Pace(), modeOf(p); float64(got) < start || mode != "steering by the window" {
		t.Fatalf("after the window started afresh: %.2f by %q, want the cut undone (≥ %.2f) by the window", float64(got), mode, start)
	}
	// 30 requests in 200ms is 150/s, three times the limit: cut to a third.
	before := pace(p)
	p.Observe(at(ms+200), limit50(18), 0)
	if got, want := pace(p), before*50*headroom/150; !near(got, want) {
		t.Errorf("pace %.3f when the window fell at 150/s, want %.3f", got, want)
	}
}

// A 429 while steering cuts the pace by backoff, once for the answers under way.
func TestSteeringCutsOnARefusal(t *testing.T) {
	p := steerAt(t, 10)
	before := pace(p)
	p.Observe(at(50), refused, 1)
	p.Observe(at(60), refused, 1)
	if got := pace(p); !near(got, before*backoff) {
		t.Errorf("pace %.3f after two refusals under way, want one cut to %.3f", got, before*backoff)
	}
}
