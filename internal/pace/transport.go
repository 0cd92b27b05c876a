// Package pace paces the requests of one client to an API that limits how
// many it takes, from what the API's answers show, as aws-sdk-go-v2's
// adaptive retryer and client-go's flowcontrol do for theirs.
//
// Nothing is paced until an answer shows a limit. Then the pace follows a
// CUBIC curve (see cubic.go): an announced X-RateLimit-Limit caps it, and
// refusals (429, or an answer that used the last of the X-RateLimit-Remaining
// room) bring it down to this client's share and let it climb back. A
// refused request waits as long as the API asked (Retry-After, seconds or an
// HTTP date, else X-RateLimit-Reset) and is sent again, for as long as the
// caller's context allows; the others go on at the new pace, unless the API
// asked for a break longer than holdAllBeyond.
package pace

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"sync/atomic"
	"time"
)

// Logger receives the pacing's log lines: warn when the API starts and
// stops refusing, debug for each wait.
type Logger interface {
	Warn(ctx context.Context, msg string, fields map[string]any)
	Debug(ctx context.Context, msg string, fields map[string]any)
}

// Transport is an http.RoundTripper that paces every request through one
// Pacer and sends the requests the API refused (429) again. It is safe for
// concurrent use; share one per API account and process.
type Transport struct {
	next   http.RoundTripper
	pacer  *Pacer
	clock  Clock
	logger Logger
	// warned: the log was told, once at WARN, that the API rate limits.
	warned atomic.Bool
}

// NewTransport paces requests to next with pacer. A nil clock is the wall
// clock; a nil logger discards.
func NewTransport(next http.RoundTripper, pacer *Pacer, clock Clock, logger Logger) *Transport {
	if clock == nil {
		clock = RealClock{}
	}
	if logger == nil {
		logger = discard{}
	}
	return &Transport{next: next, pacer: pacer, clock: clock, logger: logger}
}

// ThrottledError is the error of a request the API kept refusing (429)
// until the caller's context ended.
type ThrottledError struct {
	// For is how long the API refused it.
	For time.Duration
	// Err is the context's error.
	Err error
}

func (e *ThrottledError) Error() string {
	return fmt.Sprintf("the API kept refusing the request (429) for %s: %v", e.For.Round(time.Second), e.Err)
}

func (e *ThrottledError) Unwrap() error { return e.Err }

// RoundTrip waits for a turn, sends req, and sends it again while the API
// refuses it. A request whose body cannot be read again (no GetBody) gets
// its first 429 back.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	var refusedSince time.Time
	for refused := 0; ; refused++ {
		if err := t.waitTurn(ctx); err != nil {
			return nil, t.unanswered(err, refusedSince)
		}
		resp, err := t.next.RoundTrip(req)
		now := t.clock.Now()
		if err != nil {
			t.pacer.Unanswered()
			if ctx.Err() != nil {
				// The deadline came while a re-sent request was under way.
				return nil, t.unanswered(err, refusedSince)
			}
			return nil, err
		}
		a := ReadAnswer(resp, now)
		wait := t.pacer.Observe(now, a, refused+1)
		if !a.Refused || (req.Body != nil && req.GetBody == nil) {
			return resp, nil
		}
		if !t.warned.Swap(true) {
			t.logger.Warn(ctx, "sovx API is rate limiting: slowing down all requests", t.pacer.logFields(map[string]any{}))
		}
		t.logger.Debug(ctx, "sovx API refused a request (429); it is sent again after the wait",
			t.pacer.logFields(map[string]any{"wait_ms": wait.Milliseconds()}))
		if refusedSince.IsZero() {
			refusedSince = now
		}
		Drain(resp)
		if err := t.clock.Sleep(ctx, wait); err != nil {
			return nil, &ThrottledError{For: t.clock.Now().Sub(refusedSince), Err: err}
		}
		if req, err = again(req); err != nil {
			return nil, err
		}
	}
}

// waitTurn asks the pacer for a turn until it gives one.
func (t *Transport) waitTurn(ctx context.Context) error {
	start := t.clock.Now()
	for {
		wait := t.pacer.Turn(t.clock.Now())
		if wait == 0 {
			break
		}
		if err := t.clock.Sleep(ctx, wait); err != nil {
			return err
		}
	}
	if waited := t.clock.Now().Sub(start); waited > time.Millisecond {
		t.logger.Debug(ctx, "sovx API request waited for its turn", t.pacer.logFields(map[string]any{"waited_ms": waited.Milliseconds()}))
	}
	return nil
}

func (t *Transport) unanswered(err error, refusedSince time.Time) error {
	if refusedSince.IsZero() {
		return err
	}
	return &ThrottledError{For: t.clock.Now().Sub(refusedSince), Err: err}
}

// again is req ready to be sent once more, with a fresh body.
func again(req *http.Request) (*http.Request, error) {
	if req.Body == nil || req.GetBody == nil {
		return req, nil
	}
	body, err := req.GetBody()
	if err != nil {
		return nil, err
	}
	next := req.Clone(req.Context())
	next.Body = body
	return next, nil
}

// maxDrain bounds how much of an answer's body is read so that its
// connection can be used again.
const maxDrain = 64 << 10

// Drain reads what is left of an answer nobody reads (up to maxDrain) and
// closes it, so that its connection can be used again.
func Drain(resp *http.Response) {
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxDrain))
	_ = resp.Body.Close()
}

type discard struct{}

func (discard) Warn(context.Context, string, map[string]any)  {}
func (discard) Debug(context.Context, string, map[string]any) {}
