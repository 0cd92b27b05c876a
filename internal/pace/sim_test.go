package pace

import (
	"container/heap"
	"fmt"
	"math"
	"math/rand/v2"
	"net/http"
	"strconv"
	"time"

	"golang.org/x/time/rate"
)

// The simulation runs clients (provider processes) with many requests at
// once each against one account's limit, on virtual time: exact, fast, and
// the same on a busy machine.

// headerStyle is how a simulated API announces its limit.
type headerStyle int

const (
	onEveryAnswer  headerStyle = iota // X-RateLimit-* on every answer
	onRefusalsOnly                    // X-RateLimit-* on 429s only
	retryAfterOnly                    // only Retry-After on 429s
)

func (s headerStyle) String() string {
	return [...]string{"X-RateLimit-* on every answer", "X-RateLimit-* on 429s only", "Retry-After only"}[s]
}

// simAPI is a token bucket (or fixed one-second windows) of limit a second.
type simAPI struct {
	style  headerStyle
	window bool
	limit  float64
	burst  float64

	tokens   float64
	filledAt time.Time
	windowAt time.Time
	used     int
}

// simAnswer is an answer's status and headers (it has no body).
type simAnswer struct {
	status int
	header http.Header
}

func (a *simAnswer) read(now time.Time) Answer {
	return ReadAnswer(&http.Response{StatusCode: a.status, Header: a.header}, now)
}

// answer admits or refuses a request that arrives at now.
func (s *simAPI) answer(now time.Time) *simAnswer {
	var ok bool
	var remaining int
	var wait time.Duration
	if s.window {
		if now.Sub(s.windowAt) >= time.Second {
			s.windowAt, s.used = now.Truncate(time.Second), 0
		}
		ok = s.used < int(s.limit)
		if ok {
			s.used++
		}
		remaining, wait = int(s.limit)-s.used, s.windowAt.Add(time.Second).Sub(now)
	} else {
		if s.filledAt.IsZero() {
			s.tokens, s.filledAt = s.burst, now
		}
		s.tokens = min(s.burst, s.tokens+now.Sub(s.filledAt).Seconds()*s.limit)
		s.filledAt = now
		ok = s.tokens >= 1
		if ok {
			s.tokens--
		}
		remaining, wait = int(s.tokens), time.Duration((1-s.tokens)/s.limit*float64(time.Second))
	}
	resp := &simAnswer{status: http.StatusOK, header: http.Header{}}
	secs := strconv.Itoa(int(math.Max(1, math.Ceil(wait.Seconds()))))
	if !ok {
		resp.status = http.StatusTooManyRequests
		resp.header.Set("Retry-After", secs)
	}
	if s.style == onEveryAnswer || (s.style == onRefusalsOnly && !ok) {
		resp.header.Set("X-RateLimit-Limit", strconv.Itoa(int(s.limit)))
		resp.header.Set("X-RateLimit-Remaining", strconv.Itoa(remaining))
		resp.header.Set("X-RateLimit-Reset", secs)
	}
	return resp
}

type simRun struct {
	pacer   *Pacer
	left    int // requests not yet started
	doneAt  time.Time
	pending int // requests started, not finished
	ok, no  int // answers since the last trace
	// walkAt is how many requests are left when the next walk (provider
	// process) starts (0: none), and goesAt when its first may go.
	walkAt int
	goesAt time.Time
}

type simWorker struct {
	run      *simRun
	at       time.Time
	arriving bool       // the request is on its way to the API
	answer   *simAnswer // the answer on its way back, if any
	inARow   int
	started  bool
}

type simQueue []*simWorker

func (q simQueue) Len() int           { return len(q) }
func (q simQueue) Less(i, j int) bool { return q[i].at.Before(q[j].at) }
func (q simQueue) Swap(i, j int)      { q[i], q[j] = q[j], q[i] }
func (q *simQueue) Push(x any)        { *q = append(*q, x.(*simWorker)) }
func (q *simQueue) Pop() any {
	old := *q
	w := old[len(old)-1]
	*q = old[:len(old)-1]
	return w
}

// simFleet is one fleet: runs clients of parallelism requests at once
// sharing requests in all, each answer latency after it was sent.
type simFleet struct {
	api         *simAPI
	runs        int
	parallelism int
	requests    int
	latency     time.Duration
	ceiling     float64       // the user's cap in every client
	stagger     time.Duration // between the starts of the runs
	// planShare of each run's requests go in a first provider process (a
	// plan), the rest in a second (its apply), each with a Pacer of its own,
	// planToApply apart; 0: all in one.
	planShare float64
	seed      uint64 // of the network's jitter
	rand      *rand.Rand
	// trace, when set, sees every run's pace each traceEvery.
	trace func(at time.Duration, paces []string)
}

const (
	traceEvery = 250 * time.Millisecond
	// planToApply is how long Terraform takes from a plan to its apply: it
	// saves the plan and starts the provider again.
	planToApply = 500 * time.Millisecond
)

// simResult: when the last run finished, how many requests were sent and
// how many of them were refused.
type simResult struct {
	wall          time.Duration
	sent, refused int
	runs          []*simRun
}

// floor is the least time the requests need at the limit.
func (f simFleet) floor() time.Duration {
	floor := time.Duration(float64(f.requests) / f.api.limit * float64(time.Second))
	if f.planShare > 0 {
		floor += planToApply // Terraform's own time
	}
	return floor
}

func (f simFleet) simulate() simResult {
	if f.rand == nil {
		f.rand = rand.New(rand.NewPCG(f.seed+1, uint64(f.stagger)))
	}
	start := time.Unix(1_700_000_000, 0)
	var q simQueue
	var res simResult
	for i := range f.runs {
		r := &simRun{pacer: NewPacer(f.ceiling, time.Minute), left: f.requests / f.runs}
		if f.planShare > 0 {
			r.walkAt = r.left - int(float64(r.left)*f.planShare)
		}
		res.runs = append(res.runs, r)
		for range f.parallelism {
			// Runs do not start at the same instant.
			heap.Push(&q, &simWorker{run: r, at: start.Add(time.Duration(i) * f.stagger)})
		}
	}
	nextTrace := start
	for q.Len() > 0 {
		w := heap.Pop(&q).(*simWorker)
		for f.trace != nil && !w.at.Before(nextTrace) {
			var paces []string
			for _, r := range res.runs {
				pace := "    -" // unpaced
				if p := r.pacer.Pace(); p != rate.Inf {
					pace = fmt.Sprintf("%5.1f", float64(p))
				}
				paces = append(paces, fmt.Sprintf("%s %2d/%2d", pace, r.ok, r.no))
				r.ok, r.no = 0, 0
			}
			f.trace(nextTrace.Sub(start), paces)
			nextTrace = nextTrace.Add(traceEvery)
		}
		if f.step(w, &res) {
			heap.Push(&q, w)
		}
	}
	for _, r := range res.runs {
		res.wall = max(res.wall, r.doneAt.Sub(start))
	}
	return res
}

// step moves a worker on at its time; false when it has no more requests.
func (f simFleet) step(w *simWorker, res *simResult) bool {
	r := w.run
	if w.arriving {
		w.arriving = false
		w.answer = f.api.answer(w.at)
		if w.answer.status == http.StatusTooManyRequests {
			res.refused++
		}
		w.at = w.at.Add(f.halfTrip())
		return true
	}
	if w.answer != nil {
		resp := w.answer
		w.answer = nil
		if resp.status == http.StatusTooManyRequests {
			r.no++
			w.inARow++
			w.at = w.at.Add(r.pacer.Observe(w.at, resp.read(w.at), w.inARow))
			return true
		}
		r.pacer.Observe(w.at, resp.read(w.at), 0)
		r.ok++
		w.inARow, w.started = 0, false
		r.pending--
		if r.left == 0 && r.pending == 0 {
			r.doneAt = w.at
		}
	}
	if !w.started {
		if r.left == 0 {
			return false
		}
		if r.left == r.walkAt && !f.nextWalk(w) {
			return true
		}
		if r.goesAt.After(w.at) {
			w.at = r.goesAt
		}
		r.left--
		r.pending++
		w.started = true
	}
	if d := r.pacer.Turn(w.at); d > 0 {
		w.at = w.at.Add(d)
		return true
	}
	res.sent++
	w.arriving = true
	w.at = w.at.Add(f.halfTrip())
	return true
}

// nextWalk starts the run's next walk once every request of the last one is
// answered: false when the worker must wait for that.
func (f simFleet) nextWalk(w *simWorker) bool {
	r := w.run
	if r.pending > 0 {
		w.at = w.at.Add(5 * time.Millisecond)
		return false
	}
	r.walkAt, r.goesAt = 0, w.at.Add(planToApply)
	r.pacer = NewPacer(f.ceiling, time.Minute)
	return true
}

// halfTrip is half an answer's latency, give or take a fifth: networks jitter,
// and runs that keep the same beat would lock in step.
func (f simFleet) halfTrip() time.Duration {
	return time.Duration(float64(f.latency) / 2 * (0.8 + 0.4*f.rand.Float64()))
}
