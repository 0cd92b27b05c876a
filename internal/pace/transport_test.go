package pace

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// api answers 429 (with Retry-After: 2) to the first refusals requests, then
// 200 with the body it was sent.
func api(t *testing.T, refusals int) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if int(calls.Add(1)) <= refusals {
			w.Header().Set("Retry-After", "2")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		_, _ = w.Write(body)
	}))
	t.Cleanup(srv.Close)
	return srv, &calls
}

func post(t *testing.T, tr http.RoundTripper, ctx context.Context, url string, rewindable bool) (*http.Response, error) {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, strings.NewReader(`{"url":"https://e.com"}`))
	if err != nil {
		t.Fatal(err)
	}
	if !rewindable {
		req.GetBody = nil
	}
	return tr.RoundTrip(req)
}

// scripted answers 429 (Retry-After: 2) to the first refusals requests,
// then 200, and keeps the body of every request it was sent.
type scripted struct {
	refusals int
	bodies   []string
}

func (s *scripted) RoundTrip(req *http.Request) (*http.Response, error) {
	body, _ := io.ReadAll(req.Body)
	s.bodies = append(s.bodies, string(body))
	resp := &http.Response{StatusCode: http.StatusOK, Header: http.Header{}, Body: io.NopCloser(strings.NewReader("")), Request: req}
	if len(s.bodies) <= s.refusals {
		resp.StatusCode = http.StatusTooManyRequests
		resp.Header.Set("Retry-After", "2")
	}
	return resp, nil
}

// A refused request waits as long as the API asked, on the clock, and is
// sent again with the same body: the caller sees only the answer.
func TestTransportSendsARefusedRequestAgain(t *testing.T) {
	next := &scripted{refusals: 2}
	clock := newVirtualClock()
	tr := NewTransport(next, NewPacer(0, time.Minute), clock, nil)
	resp, err := post(t, tr, context.Background(), "https://api.example/sovx/v1", true)
	if err != nil {
		t.Fatal(err)
	}
	closeBody(resp)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("got %d, want 200", resp.StatusCode)
	}
	want := []string{`{"url":"https://e.com"}`, `{"url":"https://e.com"}`, `{"url":"https://e.com"}`}
	if fmt.Sprint(next.bodies) != fmt.Sprint(want) {
		t.Errorf("the API got %q, want the same body three times (two refused)", next.bodies)
	}
	var waited time.Duration
	for _, d := range clock.slept {
		waited += d
	}
	if waited < 4*time.Second || waited > 5*time.Second {
		t.Errorf("waited %s in all, want the 2×2s the API asked for", waited)
	}
}

// A request the API refuses until the caller's deadline fails with how long
// it was refused, and the deadline's error.
func TestTransportGivesUpAtTheDeadline(t *testing.T) {
	srv, _ := api(t, 1000)
	clock := newVirtualClock()
	clock.deadline = clock.now.Add(7 * time.Second)
	tr := NewTransport(http.DefaultTransport, NewPacer(0, time.Minute), clock, nil)
	resp, err := post(t, tr, context.Background(), srv.URL, true)
	closeBody(resp)
	var throttled *ThrottledError
	if !errors.As(err, &throttled) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want a ThrottledError wrapping the deadline", err)
	}
	if throttled.For != 7*time.Second {
		t.Errorf("refused for %s, want 7s (until the deadline)", throttled.For)
	}
}

// A body that cannot be read again is not sent again: the caller gets the 429.
func TestTransportReturnsTheRefusalOfABodyItCannotSendAgain(t *testing.T) {
	srv, calls := api(t, 1)
	tr := NewTransport(http.DefaultTransport, NewPacer(0, time.Minute), newVirtualClock(), nil)
	resp, err := post(t, tr, context.Background(), srv.URL, false)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusTooManyRequests || calls.Load() != 1 {
		t.Errorf("got %d after %d requests, want the 429 after one", resp.StatusCode, calls.Load())
	}
}

type failing struct{ calls atomic.Int32 }

func (f *failing) RoundTrip(*http.Request) (*http.Response, error) {
	f.calls.Add(1)
	return nil, errors.New("connection refused")
}

// A request that got no answer gives its turn back: slow start lets the
// next one go at once instead of waiting for an answer that never comes.
func TestTransportFailedRequestGivesItsTurnBack(t *testing.T) {
	clock := newVirtualClock()
	next := &failing{}
	tr := NewTransport(next, NewPacer(0, time.Minute), clock, nil)
	for range 3 {
		resp, err := post(t, tr, context.Background(), "http://127.0.0.1:1", true)
		closeBody(resp)
		if err == nil {
			t.Fatal("want the transport's error")
		}
	}
	if len(clock.slept) != 0 || next.calls.Load() != 3 {
		t.Errorf("3 failing requests: %d sent, slept %v; want 3 sent without waiting", next.calls.Load(), clock.slept)
	}
}

func closeBody(resp *http.Response) {
	if resp != nil {
		_ = resp.Body.Close()
	}
}
