package sovx

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"time"

	"github.com/hashicorp/go-retryablehttp"

	"github.com/sovera/terraform-provider-sovx/internal/pace"
)

// send is the one loop that decides every re-send of a request. Each attempt waits for a turn under the pacer, is
// bounded by the request timeout, and tells the pacer its answer; a 429 goes again after the API's wait (no retry),
// a 5xx or lost connection is retried up to maxRetries times (retryablehttp's policy and backoff).
func (c *Client) send(ctx context.Context, method string, u *url.URL, header http.Header, body []byte, maxRetries int) (*http.Response, int, error) {
	var refusedSince time.Time
	retries, refused := 0, 0
	for attempts := 1; ; attempts++ {
		if err := c.waitTurn(ctx); err != nil {
			return nil, attempts - 1, throttled(err, refusedSince, c.cfg.Clock.Now())
		}
		resp, err := c.attempt(ctx, method, u, header, body)
		now := c.cfg.Clock.Now()
		wait := time.Duration(0)
		if err != nil {
			c.pacer.Unanswered()
		} else {
			wait = c.pacer.Observe(now, pace.ReadAnswer(resp, now), refused+1)
		}
		switch {
		case err == nil && resp.StatusCode == http.StatusTooManyRequests:
			refused++
			if refusedSince.IsZero() {
				refusedSince = now
			}
			c.logRefusal(ctx, wait)
		case ctx.Err() == nil && retries < maxRetries && retryable(ctx, resp, err):
			retries, refused = retries+1, 0
			wait = backoff(c.cfg, retries, resp)
			c.logger.Log(ctx, LevelDebug, "sovx API attempt failed; trying again", map[string]any{
				"method": method, "path": u.EscapedPath(), "attempt": attempts, "error": failure(resp, err),
				"wait_ms": wait.Milliseconds()})
		default:
			return resp, attempts, err
		}
		if resp != nil {
			drain(resp)
		}
		if err := c.cfg.Clock.Sleep(ctx, wait); err != nil {
			return nil, attempts, throttled(err, refusedSince, c.cfg.Clock.Now())
		}
	}
}

// attempt sends the request once, bounded by the request timeout from
// sending it to closing its body: a wait for a turn does not count.
func (c *Client) attempt(ctx context.Context, method string, u *url.URL, header http.Header, body []byte) (*http.Response, error) {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.RequestTimeout)
	var reader io.Reader
	if body != nil {
		reader = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), reader)
	if err != nil {
		cancel()
		return nil, fmt.Errorf("building request: %w", err)
	}
	req.Header = header.Clone()
	resp, err := c.http.Do(req)
	if err != nil {
		cancel()
		return nil, err
	}
	resp.Body = cancelOnClose{ReadCloser: resp.Body, cancel: cancel}
	return resp, nil
}

// waitTurn waits until the pacer gives the request a turn.
func (c *Client) waitTurn(ctx context.Context) error {
	start := c.cfg.Clock.Now()
	for wait := c.pacer.Turn(start); wait > 0; wait = c.pacer.Turn(c.cfg.Clock.Now()) {
		if err := c.cfg.Clock.Sleep(ctx, wait); err != nil {
			return err
		}
	}
	if waited := c.cfg.Clock.Now().Sub(start); waited > time.Millisecond {
		c.logger.Log(ctx, LevelDebug, "sovx API request waited for its turn",
			c.pacer.LogFields(map[string]any{"waited_ms": waited.Milliseconds()}))
	}
	return nil
}

// logRefusal says at WARN, once per client, that the API rate limits, and
// at DEBUG how long each refused request waits.
func (c *Client) logRefusal(ctx context.Context, wait time.Duration) {
	if !c.warned.Swap(true) {
		c.logger.Log(ctx, LevelWarn, "sovx API is rate limiting: slowing down all requests", c.pacer.LogFields(map[string]any{}))
	}
	c.logger.Log(ctx, LevelDebug, "sovx API refused a request (429); it is sent again after the wait",
		c.pacer.LogFields(map[string]any{"wait_ms": wait.Milliseconds()}))
}

// retryable is what a retry can fix: a lost connection or a timeout (retryablehttp's policy), and a 5xx but 501.
// Never a 4xx, a host name that does not resolve, or an untrusted certificate.
func retryable(ctx context.Context, resp *http.Response, err error) bool {
	var dns *net.DNSError
	if errors.As(err, &dns) && dns.IsNotFound {
		return false
	}
	if err != nil {
		retry, _ := retryablehttp.DefaultRetryPolicy(ctx, resp, err)
		return retry
	}
	return resp.StatusCode >= 500 && resp.StatusCode != http.StatusNotImplemented
}

// backoff is retryablehttp's exponential backoff between the client's
// bounds, or a 503's Retry-After up to RetryAfterMax.
func backoff(cfg Config, retry int, resp *http.Response) time.Duration {
	if resp != nil && resp.StatusCode == http.StatusServiceUnavailable {
		if d, ok := pace.ParseRetryAfter(resp.Header.Get("Retry-After"), time.Now()); ok {
			return min(d, cfg.RetryAfterMax)
		}
	}
	return retryablehttp.DefaultBackoff(cfg.RetryWaitMin, cfg.RetryWaitMax, retry-1, nil)
}

// failure is an attempt's outcome in a log line.
func failure(resp *http.Response, err error) string {
	if err != nil {
		return err.Error()
	}
	return resp.Status
}

// throttledError is a call the API kept refusing (429) until its context ended.
type throttledError struct {
	For time.Duration
	Err error
}

func (e *throttledError) Error() string {
	return fmt.Sprintf("the API kept refusing the request (429) for %s: %v", e.For.Round(time.Second), e.Err)
}

func (e *throttledError) Unwrap() error { return e.Err }

// throttled is err, or a throttledError when the call was being refused.
func throttled(err error, refusedSince, now time.Time) error {
	if refusedSince.IsZero() {
		return err
	}
	return &throttledError{For: now.Sub(refusedSince), Err: err}
}

type cancelOnClose struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (c cancelOnClose) Close() error {
	err := c.ReadCloser.Close()
	c.cancel()
	return err
}

// maxDrain bounds how much of an unread answer is read so that its connection can be used again.
const maxDrain = 64 << 10

// drain reads what is left of an answer nobody reads and closes it.
func drain(resp *http.Response) {
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxDrain))
	_ = resp.Body.Close()
}
