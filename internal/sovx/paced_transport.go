package sovx

import (
	"context"
	"io"
	"net/http"
	"time"
)

// pacedTransport runs every attempt, retries included, through the
// scheduler, then bounds the attempt itself (not its wait for a turn) by the
// request timeout, until its body is closed.
type pacedTransport struct {
	next    http.RoundTripper
	sched   *scheduler
	timeout time.Duration
}

func (t pacedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if err := t.sched.wait(req.Context()); err != nil {
		t.sched.finishProbe()
		return nil, err
	}
	ctx, cancel := context.WithTimeout(req.Context(), t.timeout)
	resp, err := t.next.RoundTrip(req.WithContext(ctx))
	t.sched.observe(req.Context(), resp)
	if err != nil {
		cancel()
		return nil, err
	}
	resp.Body = cancelOnClose{ReadCloser: resp.Body, cancel: cancel}
	return resp, nil
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
