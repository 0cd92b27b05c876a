package sovx

import (
	"context"
	"math"
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Rate limiting: one scheduler per Client paces every request of the
// provider process (every resource, data source, action and list resource
// share the client). Nothing is paced until the API shows a limit; then:
//   - a 429 pauses all requests until the time the API named (Retry-After,
//     else X-RateLimit-Reset, else a jittered backoff) and lowers the pace;
//   - X-RateLimit-Limit (read as requests per second) sets the first pace
//     just under it, and the pace never goes past it;
//   - with X-RateLimit-Remaining too, the pace starts at half the limit and
//     steers by the room left (see steer): every run sharing the account
//     reads the same room, so they hold the account just under its limit
//     together, before any 429;
//   - without it, after a 429 the pace climbs back quickly to just under
//     where the API pushed back; when that happened at or under the
//     announced pace, other runs share the account, and the pace grows by
//     equal additive steps instead (additive increase, multiplicative
//     decrease), so the runs' shares even out;
//   - 429s are retried until the caller's deadline, never counted as retries.
const (
	// headroom keeps the pace just under an announced limit.
	headroom = 0.95
	// decrease is the factor applied to the pace on a 429; gentleDecrease
	// when the API's room runs low before any 429.
	decrease       = 0.6
	gentleDecrease = 0.85
	// recoverBy is how fast the pace climbs back, every half second, to just
	// under the pace at which the API last pushed back.
	recoverBy = 1.15
	// slowStartBy is the climb, every half second, when no limit is known.
	slowStartBy = 1.5
	// increaseEvery is how often a quiet API lets the pace grow, by
	// increaseStep of itself (at least minIncrease).
	increaseEvery = time.Second
	increaseStep  = 0.02
	minIncrease   = 0.1
	// sharedStep is the additive step, per second, as a share of an
	// announced limit.
	sharedStep = 0.03
	// troubleMemory is how long the pace at which the API last pushed back
	// caps growth (just under it), so a run that shares the account does
	// not bounce off the limit again and again.
	troubleMemory = 30 * time.Second
	// quietAfter ends a throttling episode (for the log) when no 429 came for this long.
	quietAfter = 5 * time.Second
	// probeWait bounds how long later requests wait for the first answer's headers.
	probeWait = 2 * time.Second
	// lookAhead is how far ahead a request books its turn.
	lookAhead = 100 * time.Millisecond
	// sameSignFor is how long after a cut the answers to requests already
	// under way are taken as the same sign again, and change nothing.
	sameSignFor = 200 * time.Millisecond
	// minRate is the slowest pace the scheduler falls to (requests per second).
	minRate = 0.2
)

type scheduler struct {
	logger        Logger
	ceiling       rate.Limit // the user's max_requests_per_second, or rate.Inf
	retryAfterMax time.Duration

	limiter *rate.Limiter

	probeOnce  sync.Once
	probeStart sync.Once
	probeDone  chan struct{}

	mu           sync.Mutex
	pausedUntil  time.Time
	lastDecrease time.Time
	lastIncrease time.Time
	troubleRate  rate.Limit
	troubleAt    time.Time
	shared       bool
	// announced is the API's X-RateLimit-Limit (0: none seen).
	announced      float64
	consecutive429 int
	// episode: when throttling started (zero: not throttling), its last 429, how long requests waited.
	throttledAt time.Time
	last429     time.Time
	waited      time.Duration
	throttled   int
	// room is the most X-RateLimit-Remaining the API has shown; roomThen
	// was the room at roomAt, where the reading under way began.
	room     int
	roomAt   time.Time
	roomThen int
	// lastRoom is the room of the last answer; windowed: the room was seen
	// to start afresh (a fixed window), and steerWindow reads it.
	lastRoom   int
	lastRoomAt time.Time
	windowed   bool
	// settled: steering has cut the pace once; until then it grows by
	// startGrowth (a run that starts alone soon reaches the limit).
	settled bool
	// ampleFor counts steps up in a row: each is larger than the last, so a
	// run left alone on the account soon takes up the room.
	ampleFor int
	// accepted are the times of recent answers that were not 429, to
	// estimate what the API lets through when it announces no limit.
	accepted []time.Time
}

func newScheduler(ceiling float64, retryAfterMax time.Duration, logger Logger) *scheduler {
	limit := rate.Inf
	if ceiling > 0 {
		limit = rate.Limit(ceiling)
	}
	return &scheduler{
		logger:        logger,
		ceiling:       limit,
		retryAfterMax: retryAfterMax,
		// A burst of 2: a turn taken a little late (timers wake late) does
		// not lose its share of the pace.
		limiter:   rate.NewLimiter(limit, 2),
		probeDone: make(chan struct{}),
	}
}

// wait blocks until the request may go: after the first answer of the
// process (so its rate-limit headers are known before a burst), after any
// pause, and at the current pace. It fails only when ctx ends first.
func (s *scheduler) wait(ctx context.Context) error {
	start := time.Now()
	first := false
	s.probeStart.Do(func() { first = true })
	if !first {
		select {
		case <-s.probeDone: // the usual case: no timer needed
		default:
			probe := time.NewTimer(probeWait)
			select {
			case <-s.probeDone:
			case <-probe.C:
			case <-ctx.Done():
				probe.Stop()
				return ctx.Err()
			}
			probe.Stop()
		}
	}
	for {
		s.mu.Lock()
		pause := time.Until(s.pausedUntil)
		s.mu.Unlock()
		if pause > 0 {
			if err := sleepCtx(ctx, pause); err != nil {
				return err
			}
			continue
		}
		if err := s.take(ctx); err != nil {
			return err
		}
		// A pause that began while this request waited for its turn holds it too.
		s.mu.Lock()
		paused := time.Now().Before(s.pausedUntil)
		s.mu.Unlock()
		if !paused {
			break
		}
	}
	waited := time.Since(start)
	if waited > time.Millisecond {
		s.mu.Lock()
		if !s.throttledAt.IsZero() {
			s.waited += waited
		}
		pace := s.rateForLog()
		s.mu.Unlock()
		s.logger.Log(ctx, LevelDebug, "sovx API request waited for its turn", map[string]any{
			"waited_ms": waited.Milliseconds(), "requests_per_second": pace,
		})
	}
	return nil
}

// take waits for the pace to let one request go. It books no turn ahead
// (as rate.Limiter.Wait would): a turn booked at a slow pace would keep its
// late time after the pace rises. Instead it looks again at least every
// lookAhead.
func (s *scheduler) take(ctx context.Context) error {
	for {
		now := time.Now()
		if s.limiter.AllowN(now, 1) {
			return nil
		}
		missing := 1 - s.limiter.TokensAt(now)
		d := time.Duration(missing / float64(s.limiter.Limit()) * float64(time.Second))
		if err := sleepCtx(ctx, min(max(d, time.Millisecond), lookAhead)); err != nil {
			return err
		}
	}
}

// finishProbe lets the requests waiting for the first answer go.
func (s *scheduler) finishProbe() { s.probeOnce.Do(func() { close(s.probeDone) }) }

// observe learns from one answer (nil: no answer was had).
func (s *scheduler) observe(ctx context.Context, resp *http.Response) {
	defer s.finishProbe()
	if resp == nil {
		return
	}
	s.observeAt(ctx, resp, time.Now())
}

// observeAt is observe for an answer had at now.
func (s *scheduler) observeAt(ctx context.Context, resp *http.Response, now time.Time) {
	h := resp.Header
	s.mu.Lock()
	defer s.mu.Unlock()
	remaining, hasRemaining := atoi(h.Get("X-RateLimit-Remaining"))
	if limit, err := strconv.ParseFloat(h.Get("X-RateLimit-Limit"), 64); err == nil && limit > 0 {
		if s.announced == 0 && s.limiter.Limit() == rate.Inf {
			// The first sight of a limit: pace just under it from now on
			// (from half of it when the room is reported, see steer).
			start := headroom
			if hasRemaining {
				start = startShare
			}
			s.setRate(rate.Limit(limit * start))
		}
		s.announced = limit
	}
	if resp.StatusCode != http.StatusTooManyRequests {
		s.consecutive429 = 0
		s.accepted = append(s.accepted, now)
		if len(s.accepted) > 256 {
			s.accepted = s.accepted[len(s.accepted)-256:]
		}
	}
	switch {
	case resp.StatusCode == http.StatusTooManyRequests:
		s.consecutive429++
		s.throttled++
		pause, named := retryAfter(h, now, s.retryAfterMax)
		if !named {
			pause = jitteredBackoff(s.consecutive429)
		}
		s.slowDown(now, decrease, now.Add(pause))
		s.pauseUntil(now.Add(pause))
		s.last429 = now
		if s.throttledAt.IsZero() {
			s.throttledAt = now
			s.waited = 0
			s.logger.Log(ctx, LevelWarn, "sovx API is rate limiting: pausing and slowing down all requests", map[string]any{
				"pause_ms": pause.Milliseconds(), "requests_per_second": s.rateForLog(),
			})
		}
	case hasRemaining && s.announced > 0 && s.steer(now, remaining):
	case hasRemaining && remaining == 0:
		// The last token went to this request: slow down before a 429
		// (no pause: the request got through).
		s.slowDown(now, gentleDecrease, now)
	default:
		s.speedUp(now)
	}
	if !s.throttledAt.IsZero() && now.Sub(s.last429) > quietAfter {
		s.logger.Log(ctx, LevelWarn, "sovx API rate limiting has ended", map[string]any{
			"throttled_for_ms": s.last429.Sub(s.throttledAt).Milliseconds(), "requests_waited_ms": s.waited.Milliseconds(),
			"answers_429": s.throttled, "requests_per_second": s.rateForLog(),
		})
		s.throttledAt, s.throttled = time.Time{}, 0
	}
}

func (s *scheduler) pauseUntil(t time.Time) {
	if t.After(s.pausedUntil) {
		s.pausedUntil = t
	}
}

// slowDown lowers the pace on a sign of overload, once: the answers to
// requests already under way (until the pause ends, or for sameSignFor
// when there is no pause) are the same sign again.
func (s *scheduler) slowDown(now time.Time, factor float64, pausedUntil time.Time) {
	if now.Before(s.lastDecrease) {
		return
	}
	s.lastDecrease = now.Add(sameSignFor)
	if pausedUntil.After(s.lastDecrease) {
		s.lastDecrease = pausedUntil
	}
	s.lastIncrease = s.lastDecrease
	current := s.limiter.Limit()
	if current == rate.Inf {
		// No limit announced. A first 429 costs only its pause; a second
		// one soon after sets the pace from what the API let through in the
		// last two seconds (from there it climbs fast until the next 429).
		again := !s.troubleAt.IsZero() && now.Sub(s.troubleAt) < troubleMemory
		s.troubleRate, s.troubleAt = current, now
		if !again {
			return
		}
		n := 0
		for _, t := range s.accepted {
			if now.Sub(t) <= 2*time.Second {
				n++
			}
		}
		s.setRate(rate.Limit(max(float64(n)/2, 1)) * rate.Limit(factor))
		return
	}
	// Pushed back while at or under the announced pace: other runs share the
	// account. Then only equal additive steps, so the runs' shares even out.
	s.shared = s.announced > 0 && float64(current) <= s.announced*headroom*1.01
	s.troubleRate, s.troubleAt = current, now
	s.setRate(current * rate.Limit(factor))
}

// speedUp raises the pace: quickly back to just under the pace at which the
// API last pushed back, then slowly (additive increase) to find more room.
func (s *scheduler) speedUp(now time.Time) {
	current := s.limiter.Limit()
	if current == rate.Inf {
		return
	}
	if s.lastIncrease.IsZero() {
		s.lastIncrease = now // the pace was just set: grow from here
		return
	}
	// No limit known (troubleRate Inf): climb fast until the next 429.
	unknown := s.troubleRate == rate.Inf
	safe := s.troubleRate * 0.97
	recent := s.troubleRate > 0 && now.Sub(s.troubleAt) < troubleMemory
	since := now.Sub(s.lastIncrease)
	// Additive steps are the same for every run sharing the account (a share
	// of the announced limit), so their paces converge to equal shares.
	step := max(current*increaseStep, minIncrease)
	if s.announced > 0 {
		step = rate.Limit(s.announced * sharedStep)
	}
	switch {
	case recent && !s.shared && (unknown || current < safe) && since >= increaseEvery/2:
		s.lastIncrease = now
		factor := recoverBy
		if unknown {
			factor = slowStartBy
		}
		// One step per half second gone by, however few answers came.
		next := current * rate.Limit(math.Pow(factor, since.Seconds()/(increaseEvery/2).Seconds()))
		if !unknown {
			next = min(next, safe)
		}
		s.setRate(next)
	case (!recent || s.shared) && since >= increaseEvery:
		s.lastIncrease = now
		s.setRate(current + step*rate.Limit(min(since.Seconds()/increaseEvery.Seconds(), 2)))
	}
}

func (s *scheduler) setRate(r rate.Limit) {
	r = max(min(r, s.ceiling), minRate)
	s.limiter.SetLimit(r)
}

func (s *scheduler) rateForLog() any {
	if r := s.limiter.Limit(); r != rate.Inf {
		return float64(r)
	}
	return "unlimited"
}

// retryAfter reads the wait a 429 names: Retry-After (seconds or an HTTP
// date), else X-RateLimit-Reset; capped at maxWait.
func retryAfter(h http.Header, now time.Time, maxWait time.Duration) (time.Duration, bool) {
	if d, ok := parseRetryAfter(h.Get("Retry-After"), now); ok {
		return min(d, maxWait), true
	}
	return resetAfter(h, now, maxWait)
}

// resetAfter reads X-RateLimit-Reset: seconds from now, or (when it is
// larger than any sane wait) a Unix time in seconds.
func resetAfter(h http.Header, now time.Time, maxWait time.Duration) (time.Duration, bool) {
	v, err := strconv.ParseFloat(h.Get("X-RateLimit-Reset"), 64)
	if err != nil || v < 0 {
		return 0, false
	}
	d := time.Duration(v * float64(time.Second))
	if v > 1e9 {
		d = time.Unix(int64(v), 0).Sub(now)
	}
	return min(max(d, 0), maxWait), true
}

// jitteredBackoff is the pause after the n-th 429 in a row that named no wait.
func jitteredBackoff(n int) time.Duration {
	base := 500 * time.Millisecond << min(n-1, 6)
	return base/2 + time.Duration(rand.Int64N(int64(base)))
}

func atoi(v string) (int, bool) {
	n, err := strconv.Atoi(v)
	return n, err == nil && n >= 0
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
