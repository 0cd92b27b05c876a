package sovx_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sovera/terraform-provider-sovx/internal/sovx"
	"github.com/sovera/terraform-provider-sovx/internal/sovxtest"
)

// recordingLogger keeps the client's log lines: the message, by level.
type recordingLogger struct {
	mu    sync.Mutex
	lines map[sovx.Level][]string
}

func (l *recordingLogger) Mask(ctx context.Context, _ ...string) context.Context { return ctx }
func (l *recordingLogger) Log(_ context.Context, level sovx.Level, msg string, _ map[string]any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.lines == nil {
		l.lines = map[sovx.Level][]string{}
	}
	l.lines[level] = append(l.lines[level], msg)
}

func (l *recordingLogger) warnings() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.lines[sovx.LevelWarn]...)
}

// count is how many lines at level said msg.
func (l *recordingLogger) count(level sovx.Level, msg string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, m := range l.lines[level] {
		if m == msg {
			n++
		}
	}
	return n
}

// getAll reads cus_0..cus_n-1 with workers at once and returns the errors.
func getAll(c *sovx.Client, n, workers int) []error {
	var mu sync.Mutex
	var errs []error
	var wg sync.WaitGroup
	ids := make(chan string, n)
	for i := range n {
		ids <- fmt.Sprintf("cus_%d", i)
	}
	close(ids)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for id := range ids {
				if _, err := c.GetWebhook(context.Background(), id); err != nil {
					mu.Lock()
					errs = append(errs, err)
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	return errs
}

func seededAPI(t *testing.T, n int, limit sovxtest.RateLimit) *sovxtest.Server {
	t.Helper()
	api := sovxtest.NewServer(sovxtest.Options{RateLimit: limit})
	t.Cleanup(api.Close)
	for i := range n {
		api.SetWebhook(fmt.Sprintf("cus_%d", i), sovxtest.Webhook{URL: "https://e.com"})
	}
	return api
}

// A limit slows the client down but never fails it, and 429s do not spend
// the retry budget (MaxRetries is 0 here): a token bucket, as the fake
// usually keeps, and fixed one-second windows, whose room falls with every
// request and must not be read as overload.
func TestRateLimitSlowsDownNeverFails(t *testing.T) {
	for name, limit := range map[string]sovxtest.RateLimit{
		"token bucket":  {PerSecond: 40, Burst: 5},
		"fixed windows": {PerSecond: 40, Window: true},
	} {
		t.Run(name, func(t *testing.T) {
			api := seededAPI(t, 60, limit)
			log := &recordingLogger{}
			c := newClient(t, api, func(cfg *sovx.Config) { cfg.MaxRetries = 0; cfg.Logger = log })
			start := time.Now()
			if errs := getAll(c, 60, 20); len(errs) > 0 {
				t.Fatalf("%d calls failed, first: %v", len(errs), errs[0])
			}
			elapsed := time.Since(start)
			total := len(api.Requests())
			if throttled := api.Throttled(); float64(throttled) > 0.1*float64(total) {
				t.Errorf("%d of %d requests were answered 429, want at most 10%%", throttled, total)
			}
			// 60 requests at 40/s: about 1.5s; pacing just under the limit
			// should not take more than twice that.
			if elapsed > 3*time.Second {
				t.Errorf("60 calls took %s at a limit of 40/s", elapsed)
			}
			if w := log.warnings(); len(w) > 1 {
				t.Errorf("WARN lines %q: want at most one (throttling started) during a run", w)
			}
		})
	}
}

// A limit the user sets is a ceiling even when the API announces none.
func TestMaxRequestsPerSecondIsACeiling(t *testing.T) {
	api := seededAPI(t, 12, sovxtest.RateLimit{})
	c := newClient(t, api, func(cfg *sovx.Config) { cfg.MaxRequestsPerSecond = 20 })
	start := time.Now()
	if errs := getAll(c, 12, 12); len(errs) > 0 {
		t.Fatal(errs[0])
	}
	// 12 requests at 20/s, at most two turns saved up: at least 10 gaps of 50ms.
	if elapsed := time.Since(start); elapsed < 500*time.Millisecond {
		t.Errorf("12 calls took %s with a ceiling of 20/s", elapsed)
	}
	if api.MaxInFlight() > 3 {
		t.Errorf("%d requests were in flight at once under a 20/s ceiling", api.MaxInFlight())
	}
}

// Without a limit the pacing stays out of the way after a slow start: the
// first request goes alone (its answer may announce a limit), and each
// answer lets one more go at once: 1, 2, 4, 8, 16, then all 30.
func TestNoLimitNoPacing(t *testing.T) {
	api := seededAPI(t, 90, sovxtest.RateLimit{})
	api.SetLatency(50 * time.Millisecond)
	c := newClient(t, api)
	start := time.Now()
	if errs := getAll(c, 90, 30); len(errs) > 0 {
		t.Fatal(errs[0])
	}
	// Paced at one a latency, 90 calls would take 4.5s; slow start and then
	// 30 at once take about eight latencies.
	if elapsed := time.Since(start); elapsed > 900*time.Millisecond {
		t.Errorf("90 calls 30 at a time took %s without any limit", elapsed)
	}
	if api.MaxInFlight() < 25 {
		t.Errorf("only %d requests were in flight at once without any limit", api.MaxInFlight())
	}
}

// A 429 that asks for a break (a Retry-After longer than a turn: 3s, as an
// HTTP date here) pauses every request of the client until then.
func TestRetryAfterAsHTTPDatePausesEveryRequest(t *testing.T) {
	api := seededAPI(t, 5, sovxtest.RateLimit{})
	c := newClient(t, api, func(cfg *sovx.Config) { cfg.RetryAfterMax = 5 * time.Second })
	// Warm up: the first request of a client goes alone.
	if _, err := c.GetWebhook(context.Background(), "cus_0"); err != nil {
		t.Fatal(err)
	}
	when := time.Now().Add(4 * time.Second).UTC().Truncate(time.Second)
	api.InjectFault(sovxtest.Fault{Status: http.StatusTooManyRequests, Times: 1, RetryAfter: when.Format(http.TimeFormat)})
	start := time.Now()
	if errs := getAll(c, 5, 5); len(errs) > 0 {
		t.Fatal(errs[0])
	}
	if finished := time.Now(); finished.Before(when.Add(-100*time.Millisecond)) || finished.Sub(start) > 6*time.Second {
		t.Errorf("the calls finished at %s; the API asked to wait until %s", finished.Format(time.RFC3339Nano), when.Format(time.RFC3339))
	}
	if n := api.CountRequests(http.MethodGet, ""); n != 1+5+1 {
		t.Errorf("the API got %d GETs, want 7 (warm-up, five, one resend): the others must wait out the pause", n)
	}
}

// A 429 storm outlasting the caller's deadline fails with how long it lasted.
func TestRateLimitedUntilTheDeadline(t *testing.T) {
	api := seededAPI(t, 1, sovxtest.RateLimit{})
	api.InjectFault(sovxtest.Fault{Status: http.StatusTooManyRequests, RetryAfter: "1"})
	c := newClient(t, api, func(cfg *sovx.Config) { cfg.MaxRetries = 0 })
	ctx, cancel := context.WithTimeout(context.Background(), 2500*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.GetWebhook(ctx, "cus_0")
	apiErr, ok := sovx.AsAPIError(err)
	if !ok || apiErr.StatusCode != 429 || apiErr.RateLimitedFor < 2*time.Second || !strings.Contains(err.Error(), "kept rate limiting") {
		t.Fatalf("err = %v (%+v), want a 429 that says how long the API kept rate limiting", err, apiErr)
	}
	if elapsed := time.Since(start); elapsed > 3*time.Second {
		t.Errorf("gave up after %s, want at the 2.5s deadline", elapsed)
	}
	if n := api.CountRequests(http.MethodGet, ""); n < 2 || n > 4 {
		t.Errorf("the API got %d GETs in 2.5s with Retry-After: 1, want 2 to 4", n)
	}
}

// An API that says only Retry-After: the pace is learned from the 429s.
func TestRateLimitWithoutLimitHeaders(t *testing.T) {
	api := seededAPI(t, 80, sovxtest.RateLimit{PerSecond: 40, Burst: 5, Announce: sovxtest.RetryAfterOnly})
	c := newClient(t, api, func(cfg *sovx.Config) { cfg.MaxRetries = 0 })
	if errs := getAll(c, 80, 20); len(errs) > 0 {
		t.Fatalf("%d calls failed, first: %v", len(errs), errs[0])
	}
	total := len(api.Requests())
	if throttled := api.Throttled(); float64(throttled) > 0.35*float64(total) {
		t.Errorf("%d of %d requests were answered 429", throttled, total)
	}
}

// Three clients (three provider processes: runs sharing an account) against
// one limit find their shares: none fails, few 429s, close to the floor.
func TestRateLimitSharedByThreeClients(t *testing.T) {
	const perClient, limit = 60, 60.0
	api := seededAPI(t, 3*perClient, sovxtest.RateLimit{PerSecond: limit, Burst: 10})
	api.SetLatency(25 * time.Millisecond)
	start := time.Now()
	var wg sync.WaitGroup
	var failed sync.Map
	for i := range 3 {
		c := newClient(t, api, func(cfg *sovx.Config) { cfg.MaxRetries = 0 })
		wg.Add(1)
		go func() {
			defer wg.Done()
			ids := make(chan string, perClient)
			for j := range perClient {
				ids <- fmt.Sprintf("cus_%d", i*perClient+j)
			}
			close(ids)
			var inner sync.WaitGroup
			for range 30 {
				inner.Add(1)
				go func() {
					defer inner.Done()
					for id := range ids {
						if _, err := c.GetWebhook(context.Background(), id); err != nil {
							failed.Store(id, err)
						}
					}
				}()
			}
			inner.Wait()
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	failed.Range(func(id, err any) bool { t.Errorf("%s: %v", id, err); return true })
	total, throttled := len(api.Requests()), api.Throttled()
	floor := time.Duration(float64(3*perClient) / limit * float64(time.Second))
	t.Logf("%d requests, %d answered 429 (%.1f %%), %s for a floor of %s (%.2f×)", total, throttled,
		100*float64(throttled)/float64(total), elapsed.Round(time.Millisecond), floor, elapsed.Seconds()/floor.Seconds())
	if float64(throttled) > 0.1*float64(total) {
		t.Errorf("%d of %d requests were answered 429", throttled, total)
	}
	if elapsed > 3*floor {
		t.Errorf("took %s, over three times the floor of %s", elapsed, floor)
	}
}
