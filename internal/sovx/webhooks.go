package sovx

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode"
)

// maxVerifyMessage bounds a failed test's message as shown.
const maxVerifyMessage = 1000

// VerifySuccessMessage is the documented message of a successful webhook test.
const VerifySuccessMessage = "Webhook test successful"

// VerifySucceeded reports whether verify's message is the documented success message.
func VerifySucceeded(message string) bool {
	m := strings.ToLower(strings.TrimSpace(message))
	want := strings.ToLower(VerifySuccessMessage)
	if !strings.HasPrefix(m, want) {
		return false
	}
	rest := m[len(want):]
	// "successfully" or "successful-ish" is another word, not detail.
	return rest == "" || !unicode.IsLetter([]rune(rest)[0]) && !unicode.IsDigit([]rune(rest)[0])
}

// Header is one header the platform attaches to webhook calls.
type Header struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// WebhookConfig is the body of configure (POST) and update (PUT).
type WebhookConfig struct {
	URL     string   `json:"url"`
	Headers []Header `json:"headers"`
}

// Secrets are the header values and the URL's secret parts (userinfo, query, fragment): never logged, and scrubbed
// from anything the API or the webhook endpoint quotes back.
func (c WebhookConfig) Secrets() []string {
	out := urlSecrets(c.URL)
	for _, h := range c.Headers {
		if h.Value != "" {
			out = append(out, h.Value)
		}
	}
	return out
}

// Webhook is a configured webhook as GET shows it: the URL and the names of its headers.
type Webhook struct {
	URL string
	// HeaderNames are sorted: the API's order is not part of its contract,
	// and a list that reorders itself would churn whatever consumes it.
	HeaderNames []string
	TraceID     string
}

// wireWebhook is GET's data as sent; header values are not read.
type wireWebhook struct {
	URL     string `json:"url"`
	Headers []struct {
		Key string `json:"key"`
	} `json:"headers"`
}

// WriteResult is the answer to configure and update.
type WriteResult struct {
	Message string `json:"message"`
	URL     string `json:"url"`
	TraceID string `json:"-"`
}

// VerifyResult is the outcome of the API's webhook test.
type VerifyResult struct {
	Message string `json:"message"`
	// ResponseData is what the webhook endpoint answered on failure, as raw JSON.
	ResponseData json.RawMessage `json:"response_data,omitempty"`
	// Succeeded is true for the documented success message (see VerifySucceeded).
	Succeeded bool   `json:"-"`
	TraceID   string `json:"-"`
}

// Meta is the envelope's metadata.
type Meta struct {
	Timestamp string `json:"timestamp"`
	Version   string `json:"version"`
	TraceID   string `json:"trace_id"`
}

type envelope[T any] struct {
	Success bool `json:"success"`
	Data    *T   `json:"data"`
	Meta    Meta `json:"meta"`
}

// GetWebhook returns the customer's webhook with masked header values.
func (c *Client) GetWebhook(ctx context.Context, customerID string) (*Webhook, error) {
	return c.getWebhook(ctx, call{op: OpGet, method: http.MethodGet, customerID: customerID})
}

func (c *Client) getWebhook(ctx context.Context, in call) (*Webhook, error) {
	resp, err := c.do(ctx, in)
	if err != nil {
		return nil, err
	}
	wire, err := decodeData[wireWebhook](resp)
	if err != nil {
		return nil, err
	}
	w := &Webhook{URL: wire.URL, HeaderNames: make([]string, len(wire.Headers)), TraceID: resp.traceID}
	for i, h := range wire.Headers {
		w.HeaderNames[i] = h.Key
	}
	slices.Sort(w.HeaderNames)
	return w, nil
}

// ExistingWebhook is GetWebhook for a create's existence check: (nil, nil) when the API has no webhook for the
// customer.
func (c *Client) ExistingWebhook(ctx context.Context, customerID string) (*Webhook, error) {
	w, err := c.getWebhook(ctx, call{op: OpGet, method: http.MethodGet, customerID: customerID, trustJSONNotFound: true})
	if IsNotFound(err) && !IsCustomerNotFound(err) {
		return nil, nil
	}
	return w, err
}

// ConfigureWebhook sets (or overwrites) the customer's webhook with POST.
func (c *Client) ConfigureWebhook(ctx context.Context, customerID string, cfg WebhookConfig) (*WriteResult, error) {
	return c.write(ctx, OpConfigure, http.MethodPost, customerID, cfg)
}

// UpdateWebhook replaces the customer's webhook with PUT.
func (c *Client) UpdateWebhook(ctx context.Context, customerID string, cfg WebhookConfig) (*WriteResult, error) {
	return c.write(ctx, OpUpdate, http.MethodPut, customerID, cfg)
}

func (c *Client) write(ctx context.Context, op Operation, method, customerID string, cfg WebhookConfig) (*WriteResult, error) {
	if cfg.Headers == nil {
		// Always send the list: an empty one clearly means "no headers".
		cfg.Headers = []Header{}
	}
	resp, err := c.do(ctx, call{op: op, method: method, customerID: customerID, body: cfg, secrets: cfg.Secrets()})
	if err != nil {
		return nil, err
	}
	r, err := decodeData[WriteResult](resp)
	if err != nil {
		return nil, err
	}
	r.TraceID = resp.traceID
	return r, nil
}

// DeleteWebhook removes the customer's webhook. Any 2xx is success, with or
// without a body (the reference shows 204; a 200 with an envelope is fine).
func (c *Client) DeleteWebhook(ctx context.Context, customerID string) error {
	_, err := c.do(ctx, call{op: OpDelete, method: http.MethodDelete, customerID: customerID})
	return err
}

// VerifyWebhook asks the API to send a test payload to the configured URL. The API answers 200 either way; Succeeded
// tells the outcome.
func (c *Client) VerifyWebhook(ctx context.Context, customerID string, secrets ...string) (*VerifyResult, error) {
	resp, err := c.do(ctx, call{op: OpVerify, method: http.MethodPost, customerID: customerID, suffix: "/verify", secrets: secrets})
	if err != nil {
		return nil, err
	}
	r, err := decodeData[VerifyResult](resp)
	if err != nil {
		return nil, err
	}
	r.Succeeded = VerifySucceeded(r.Message)
	r.TraceID = resp.traceID
	if !r.Succeeded {
		red := resp.redactor()
		r.Message = red.Line(r.Message, maxVerifyMessage)
		if len(r.ResponseData) > 0 {
			// Kept as JSON for the caller to scrub by name and lay out; it shows it through Block.
			r.ResponseData = json.RawMessage(red.Redact(cut(string(r.ResponseData), maxScanned)))
		}
	}
	return r, nil
}

// Pauses between webhook tests while a receiver comes up: short at first,
// as most come up within seconds, then no longer than a slow one needs.
const (
	firstTestPause = time.Second
	maxTestPause   = 15 * time.Second
)

// VerifyWebhookWithin runs the webhook test and, while it fails, runs it again with backoff for up to wait (0: once),
// never past ctx's deadline. It returns the last result; an error means a test could not run.
func (c *Client) VerifyWebhookWithin(ctx context.Context, customerID string, wait time.Duration, secrets ...string) (*VerifyResult, error) {
	until := c.cfg.Clock.Now().Add(wait)
	pause := firstTestPause
	for attempt := 1; ; attempt++ {
		result, err := c.VerifyWebhook(ctx, customerID, secrets...)
		if err != nil || result.Succeeded {
			return result, err
		}
		next := min(pause, until.Sub(c.cfg.Clock.Now()))
		again := next > 0 && fitsDeadline(ctx, next)
		c.logger.Log(ctx, LevelDebug, "sovx webhook test failed", map[string]any{
			"attempt": attempt, "message": result.Message, "again": again, "next_in_ms": next.Milliseconds()})
		// Out of time (or no more wait): the last failed test is the outcome.
		if !again || !c.slept(ctx, next) {
			return result, nil
		}
		pause = min(2*pause, maxTestPause)
	}
}

// slept reports whether the clock waited d before ctx ended.
func (c *Client) slept(ctx context.Context, d time.Duration) bool {
	return c.cfg.Clock.Sleep(ctx, d) == nil
}

// fitsDeadline reports whether ctx allows waiting d and testing once more.
func fitsDeadline(ctx context.Context, d time.Duration) bool {
	deadline, ok := ctx.Deadline()
	return !ok || time.Until(deadline) > d
}

// decodeData unwraps the envelope, rejecting bodies that are not the
// documented shape rather than returning zero values.
func decodeData[T any](resp *response) (*T, error) {
	var env envelope[T]
	err := json.Unmarshal(resp.body, &env)
	if err == nil && env.Data == nil {
		err = errors.New(`the body has no "data" object`)
	}
	if err != nil {
		return nil, &DecodeError{Status: resp.status, TraceID: resp.traceID, Endpoint: resp.endpoint,
			Body: resp.redactor().Line(textOf(cut(string(resp.body), maxScanned)), 200), Err: err}
	}
	return env.Data, nil
}

// traceIDOf takes the trace id from the envelope, or a response header when the body has none (error bodies are not
// always JSON), as it may be shown: sanitized, redacted by red, bounded.
func traceIDOf(h http.Header, raw []byte, red Redactor) string {
	var probe struct {
		Meta Meta `json:"meta"`
	}
	id := ""
	if json.Unmarshal(raw, &probe) == nil {
		id = probe.Meta.TraceID
	}
	for _, name := range []string{"X-Trace-Id", "X-Request-Id"} {
		if id == "" {
			id = h.Get(name)
		}
	}
	return red.Line(id, maxTraceID)
}
