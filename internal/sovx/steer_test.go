package sovx

import (
	"context"
	"math"
	"net/http"
	"strconv"
	"testing"
	"time"
)

// These tests drive the scheduler with answers at chosen times, so the pace
// it sets is exact and does not depend on how busy the machine is.

func limitAnswer(remaining int) *http.Response {
	h := http.Header{}
	h.Set("X-RateLimit-Limit", "50")
	h.Set("X-RateLimit-Remaining", strconv.Itoa(remaining))
	return &http.Response{StatusCode: http.StatusOK, Header: h, Body: http.NoBody}
}

type steerRun struct {
	t     *testing.T
	s     *scheduler
	start time.Time
}

func newSteerRun(t *testing.T) *steerRun {
	return &steerRun{t: t, s: newScheduler(0, time.Second, discardLogger{}), start: time.Unix(1_700_000_000, 0)}
}

// answer feeds an answer with this much room, had at ms milliseconds.
func (r *steerRun) answer(ms, remaining int) float64 {
	resp := limitAnswer(remaining)
	defer func() { _ = resp.Body.Close() }()
	r.s.observeAt(context.Background(), resp, r.start.Add(time.Duration(ms)*time.Millisecond))
	return float64(r.s.limiter.Limit())
}

func (r *steerRun) wantPace(got, want float64) {
	r.t.Helper()
	if math.Abs(got-want) > 0.01 {
		r.t.Fatalf("pace %.2f requests/s, want %.2f", got, want)
	}
}

// A run that sees the room reported starts at half the announced limit, so
// runs that start together find each other in the room's drain before they
// empty it; until its first cut, it grows fast (a quarter a step), so a run
// alone soon paces at the limit.
func TestSteerStartsAtHalfTheLimitAndGrowsFastUntilTheFirstCut(t *testing.T) {
	r := newSteerRun(t)
	r.wantPace(r.answer(0, 9), 25)
	r.wantPace(r.answer(100, 9), 25*1.25)
	r.wantPace(r.answer(200, 9), 25*1.25*1.25)
	r.wantPace(r.answer(300, 9), 25*1.25*1.25*1.25)
	r.wantPace(r.answer(400, 9), 50)
}

// When the room drains, its speed is how far all runs together are over
// the limit: 6 requests in 100 ms is 60/s over a limit of 50, so each run
// keeps 47.5/110 of its pace, and together they land just under the limit.
func TestSteerCutsByHowFarTheAccountIsOver(t *testing.T) {
	r := newSteerRun(t)
	r.wantPace(r.answer(0, 9), 25)
	r.wantPace(r.answer(100, 3), 25*47.5/110)
	// Answers to requests already under way change nothing for a moment.
	r.wantPace(r.answer(200, 0), 25*47.5/110)
}

// While the room stays ample, the pace grows by equal steps (a share of the
// announced limit, the same in every run, so their shares even out), each
// larger than the last, and never past the limit: it is the whole account's.
func TestSteerStepsUpWhileRoomIsAmpleNeverPastTheLimit(t *testing.T) {
	r := newSteerRun(t)
	r.answer(0, 9)
	cut := r.answer(100, 3)
	r.wantPace(r.answer(300, 9), cut+1)
	r.wantPace(r.answer(400, 9), cut+1+2)
	r.wantPace(r.answer(500, 9), cut+1+2+3)
	r.wantPace(r.answer(550, 9), cut+1+2+3) // at most one step per 100 ms
	// A room no longer ample holds the pace and the next step is small again.
	r.wantPace(r.answer(650, 5), cut+1+2+3)
	r.wantPace(r.answer(750, 9), cut+1+2+3+1)
	pace := 0.0
	for ms := 850; ms < 3000; ms += 100 {
		pace = r.answer(ms, 9)
	}
	r.wantPace(pace, 50)
}

// A fixed window's room falls with every request of the window, however few,
// and starts afresh with the next window. Read as a bucket's drain, that
// would halve the pace at every window: once the room is seen to start
// afresh, the cut is undone, and the room's fall is read as the rate of all
// runs together (nothing refills a window).
func TestSteerReadsAFixedWindowsFallAsTheAccountsRate(t *testing.T) {
	r := newSteerRun(t)
	r.answer(0, 49)
	for ms, room := 100, 44; ms <= 900; ms, room = ms+100, room-5 {
		r.answer(ms, room)
	}
	if pace := float64(r.s.limiter.Limit()); pace >= 47.5 {
		t.Fatalf("pace %.2f: the drain of the first window was not read as overload; the test proves nothing", pace)
	}
	r.wantPace(r.answer(1010, 48), 47.5)
	// 40 requests a second, this run alone: under the limit, no cut, and
	// room to grow.
	room := 48
	for ms := 1110; ms <= 1910; ms += 100 {
		room -= 4
		if pace := r.answer(ms, room); pace < 47.5 {
			t.Fatalf("at %d ms (room %d) the pace fell to %.2f in a window used at 40/s", ms, room, pace)
		}
	}
	if pace := float64(r.s.limiter.Limit()); pace <= 47.5 {
		t.Fatalf("pace %.2f: a window used at 40 of 50 a second did not let it grow", pace)
	}
	// The next window: 90 requests a second, as three runs together; its
	// room is read every 200 ms.
	pace := r.answer(2010, 49)
	r.wantPace(r.answer(2110, 40), pace)
	r.wantPace(r.answer(2210, 31), pace*47.5/90)
}

// Answers overtake each other, so a later answer may show a little more room
// than the limit could have refilled: that is not a window starting afresh.
func TestSteerAnswersOvertakingEachOtherAreNoWindow(t *testing.T) {
	r := newSteerRun(t)
	r.answer(0, 9)
	r.answer(100, 5)
	r.answer(101, 7)
	if r.s.windowed {
		t.Fatal("two answers a millisecond apart, 2 apart in room, were read as a new window")
	}
	r.answer(102, 9+3)
	if !r.s.windowed {
		t.Fatal("a room rising faster than the limit refills it was not read as a new window")
	}
}
