package sovx

import (
	"context"
	"io"
	"net/http"
	"time"
)

// attemptTimeout bounds one attempt, from sending it to closing its body, by
// the request timeout. It sits under the pacing, so a wait for a turn does
// not count.
type attemptTimeout struct {
	next    http.RoundTripper
	timeout time.Duration
}

func (t attemptTimeout) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx, cancel := context.WithTimeout(req.Context(), t.timeout)
	resp, err := t.next.RoundTrip(req.WithContext(ctx))
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

// paceLogger writes the pacing's lines through the client's Logger.
type paceLogger struct{ Logger }

func (l paceLogger) Warn(ctx context.Context, msg string, fields map[string]any) {
	l.Log(ctx, LevelWarn, msg, fields)
}

func (l paceLogger) Debug(ctx context.Context, msg string, fields map[string]any) {
	l.Log(ctx, LevelDebug, msg, fields)
}
