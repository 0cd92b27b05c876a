// Package sovx is a typed client for the SX Customers Customer Webhooks API.
//
// It decides only from what the API reference documents (status codes, the
// operation, success bodies); CONTRACT.md lists every choice the reference
// leaves open and the rule the client follows for it.
//
// It has no Terraform dependencies: the provider wires logging in through the
// Logger interface and inspects failures with errors.As on *APIError.
package sovx

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-cleanhttp"

	"github.com/sovera/terraform-provider-sovx/internal/pace"
)

// Defaults for Config fields left at their zero value.
const (
	DefaultMaxRetries     = 4
	DefaultRetryWaitMin   = 1 * time.Second
	DefaultRetryWaitMax   = 30 * time.Second
	DefaultRetryAfterMax  = 60 * time.Second
	DefaultRequestTimeout = 30 * time.Second
	DefaultCallTimeout    = 5 * time.Minute
)

// maxTraceID bounds a trace id as shown: real ones are a few dozen bytes.
const maxTraceID = 100

// maxResponseBytes bounds how much of a response body is read, so a broken
// or hostile endpoint cannot exhaust the provider's memory.
const maxResponseBytes = 4 << 20

// Config holds everything a Client needs. Zero durations and a negative MaxRetries take the package defaults.
type Config struct {
	Endpoint  string
	Token     string
	UserAgent string

	// MaxRetries is the number of retries after the first attempt (0 disables retries).
	MaxRetries int
	// RetryWaitMin and RetryWaitMax bound the exponential backoff between attempts.
	RetryWaitMin time.Duration
	RetryWaitMax time.Duration
	// RetryAfterMax caps how long a server-sent Retry-After may make the client wait.
	RetryAfterMax time.Duration
	// RequestTimeout bounds each attempt, from dialing to reading the body.
	RequestTimeout time.Duration
	// MaxRequestsPerSecond caps the pace of all requests (0: no cap; the
	// client still slows down when the API rate limits).
	MaxRequestsPerSecond float64
	// CallTimeout bounds a call, 429 waits included, when the caller's context has no deadline of its own.
	CallTimeout time.Duration

	// Logger receives request logs; nil discards them.
	Logger Logger
	// BaseTransport carries the requests under the client's pacing (a
	// pooled transport when nil); tests set it to trust a test server.
	BaseTransport http.RoundTripper
	// Interrupted, when done, ends every read (GET) under way and to come;
	// writes are bound by their callers' contexts alone.
	Interrupted context.Context
	// Clock paces requests and times the waits between webhook tests (the
	// wall clock when nil); tests share a virtual one with the fake.
	Clock pace.Clock
}

// Client talks to the Customer Webhooks API. It is safe for concurrent use and
// shares one pooled transport across all calls, so connections are reused.
type Client struct {
	cfg    Config
	base   *url.URL
	http   *http.Client
	pacer  *pace.Pacer
	logger Logger
	route  routeCheck
	// warned: the log was told, once at WARN, that the API rate limits.
	warned atomic.Bool
	// tokenRedactor hides the token: built once, for the answers of calls that carry no secrets of their own (every
	// read, the 404 of each create's existence check).
	tokenRedactor Redactor
}

// withDefaults fills the fields left at their zero value (MaxRetries: negative) with the package defaults.
func (cfg *Config) withDefaults() {
	if cfg.MaxRetries < 0 {
		cfg.MaxRetries = DefaultMaxRetries
	}
	orDefault := func(d *time.Duration, def time.Duration) {
		if *d <= 0 {
			*d = def
		}
	}
	orDefault(&cfg.RetryWaitMin, DefaultRetryWaitMin)
	orDefault(&cfg.RetryWaitMax, DefaultRetryWaitMax)
	cfg.RetryWaitMax = max(cfg.RetryWaitMax, cfg.RetryWaitMin)
	orDefault(&cfg.RetryAfterMax, DefaultRetryAfterMax)
	orDefault(&cfg.RequestTimeout, DefaultRequestTimeout)
	orDefault(&cfg.CallTimeout, DefaultCallTimeout)
	if cfg.Clock == nil {
		cfg.Clock = pace.RealClock{}
	}
}

// NewClient validates cfg and builds a client with its own pooled transport.
func NewClient(cfg Config) (*Client, error) {
	if cfg.Endpoint == "" {
		cfg.Endpoint = DefaultEndpoint
	}
	base, err := ParseEndpoint(cfg.Endpoint)
	if err != nil {
		return nil, err
	}
	if cfg.Token == "" {
		return nil, ErrNoToken
	}
	cfg.withDefaults()
	transport := cfg.BaseTransport
	if transport == nil {
		pooled := cleanhttp.DefaultPooledTransport()
		// Terraform runs 10 operations at once by default; keep a warm connection for each of them and some headroom.
		pooled.MaxIdleConnsPerHost = 16
		transport = pooled
	}
	logger := cfg.Logger
	if logger == nil {
		logger = discardLogger{}
	}
	httpClient := &http.Client{
		Transport: transport,
		// Never follow a redirect: see RedirectError.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	return &Client{cfg: cfg, base: base, http: httpClient, pacer: pace.NewPacer(cfg.MaxRequestsPerSecond, cfg.RetryAfterMax),
		logger: logger, tokenRedactor: NewRedactor(cfg.Token)}, nil
}

// Endpoint is the API base URL the client sends to, as ParseEndpoint
// normalizes it: the one spelling plans and state compare.
func (c *Client) Endpoint() string { return c.base.String() }

// ErrNoToken: every call of the API needs a token.
var ErrNoToken = errors.New("no API token configured")

// ErrInvalidCustomerID is returned before any request is made for a customer
// id that cannot be placed safely in the URL path.
var ErrInvalidCustomerID = errors.New("invalid customer id")

// webhooksURL builds .../customers/<escaped id>/webhooks[/suffix], escaping the
// id so that nothing in it can leave the customer's path.
func (c *Client) webhooksURL(customerID, suffix string) (*url.URL, error) {
	if customerID == "" || customerID == "." || customerID == ".." {
		return nil, fmt.Errorf("%w: %q", ErrInvalidCustomerID, customerID)
	}
	rel := "/customers/" + customerID + "/webhooks" + suffix
	relEscaped := "/customers/" + url.PathEscape(customerID) + "/webhooks" + suffix
	u := *c.base
	u.Path = c.base.Path + rel
	u.RawPath = c.base.EscapedPath() + relEscaped
	return &u, nil
}

type call struct {
	op         Operation
	method     string
	customerID string
	suffix     string
	body       any
	// secrets are request values (header values) that must never be logged.
	secrets []string
	// trustJSONNotFound takes a 404 with a JSON object body as the API's without asking (a create's existence check,
	// on every plan of a create: its POST fails on a wrong endpoint anyway).
	trustJSONNotFound bool
}

type response struct {
	status   int
	body     []byte
	traceID  string
	endpoint string
	// token and secrets (the request's own) are hidden in any text of the
	// answer that is shown; tokenRedactor hides the token alone.
	token         string
	secrets       []string
	tokenRedactor Redactor
}

// redactor hides the answer's secrets. Compiling one costs a millisecond or two, so it is built only when
// text is shown, and only when the call has secrets besides the token.
func (r *response) redactor() Redactor {
	if len(r.secrets) == 0 {
		return r.tokenRedactor
	}
	return NewRedactor(r.token, r.secrets...)
}

// do sends one call with retries and returns the response, or an *APIError for any non-2xx status, a *RedirectError
// for a 3xx, or a *TransportError when no response was had.
func (c *Client) do(ctx context.Context, in call) (*response, error) {
	u, err := c.webhooksURL(in.customerID, in.suffix)
	if err != nil {
		return nil, err
	}
	ctx = c.logger.Mask(ctx, append([]string{c.cfg.Token}, in.secrets...)...)
	if in.method == http.MethodGet && c.cfg.Interrupted != nil {
		var cancel context.CancelFunc
		ctx, cancel = context.WithCancel(ctx)
		defer cancel()
		defer context.AfterFunc(c.cfg.Interrupted, cancel)()
	}
	if _, ok := ctx.Deadline(); !ok {
		// Reads have no timeouts block: bound them (429 waits included) too.
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.cfg.CallTimeout)
		defer cancel()
	}
	body, err := encode(in.body)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	resp, attempts, err := c.send(ctx, in.method, u, c.header(body != nil), body, c.cfg.MaxRetries)
	if err != nil {
		return nil, c.unanswered(ctx, in, u, attempts, start, err)
	}
	defer func() { _ = resp.Body.Close() }()
	return c.decodeResponse(ctx, in, u, resp, attempts, start)
}

func encode(body any) ([]byte, error) {
	if body == nil {
		return nil, nil
	}
	b, err := json.Marshal(body)
	if err != nil {
		return nil, fmt.Errorf("encoding request: %w", err)
	}
	return b, nil
}

func (c *Client) header(hasBody bool) http.Header {
	h := http.Header{"Authorization": {"Bearer " + c.cfg.Token}, "Accept": {"application/json"}}
	if hasBody {
		h.Set("Content-Type", "application/json")
	}
	if c.cfg.UserAgent != "" {
		h.Set("User-Agent", c.cfg.UserAgent)
	}
	return h
}

// unanswered is the error of a call that got no usable answer.
func (c *Client) unanswered(ctx context.Context, in call, u *url.URL, attempts int, start time.Time, err error) error {
	path := u.EscapedPath()
	if throttled, ok := errors.AsType[*throttledError](err); ok {
		return &APIError{Op: in.op, Method: in.method, Path: path, StatusCode: http.StatusTooManyRequests,
			Message: "the API kept rate limiting requests until the operation ran out of time", Attempts: attempts,
			Endpoint: c.base.String(), RateLimitedFor: throttled.For.Round(time.Second)}
	}
	// ContextErr tells the caller's deadline or cancellation apart from the
	// per-attempt timeout (both wrap context.DeadlineExceeded).
	terr := &TransportError{Method: in.method, Path: path, Attempts: attempts, Timeout: c.cfg.RequestTimeout, Err: err,
		ContextErr: contextErr(ctx), Endpoint: c.base.String()}
	if terr.Cause() == CauseProxy {
		if proxy, _ := http.ProxyFromEnvironment(&http.Request{URL: u}); proxy != nil {
			terr.Proxy = ShowURL(proxy.String())
		}
	}
	c.logger.Log(ctx, LevelDebug, "sovx API request failed", map[string]any{
		"method": in.method, "path": path, "duration_ms": time.Since(start).Milliseconds(),
		"attempts": attempts, "error": terr.Error(),
	})
	return terr
}

// decodeResponse reads an answer: a 2xx is the response; a 3xx, a 404 and every
// other status become the errors CONTRACT.md describes.
func (c *Client) decodeResponse(ctx context.Context, in call, u *url.URL, resp *http.Response, attempts int, start time.Time) (*response, error) {
	path := u.EscapedPath()
	raw, readErr := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes))
	out := &response{status: resp.StatusCode, body: raw, traceID: traceIDOf(resp.Header, raw, c.tokenRedactor),
		endpoint: c.base.String(), token: c.cfg.Token, secrets: in.secrets, tokenRedactor: c.tokenRedactor}
	c.logger.Log(ctx, LevelDebug, "sovx API request", map[string]any{
		"method": in.method, "path": path, "status": resp.StatusCode,
		"duration_ms": time.Since(start).Milliseconds(), "trace_id": out.traceID, "attempts": attempts,
	})
	switch {
	case readErr != nil:
		return nil, &TransportError{Method: in.method, Path: path, Attempts: attempts, Timeout: c.cfg.RequestTimeout,
			Err: readErr, Endpoint: c.base.String()}
	case resp.StatusCode >= 300 && resp.StatusCode <= 399:
		return nil, newRedirectError(in.method, u, c.base.String(), resp.StatusCode, resp.Header.Get("Location"))
	case resp.StatusCode >= 200 && resp.StatusCode <= 299:
		return out, nil
	}
	// The API's words go on the terminal: redacted before they are cut.
	apiErr := decodeAPIError(in.op, in.method, path, resp.StatusCode, out.traceID, attempts, raw, out.redactor())
	apiErr.Endpoint = c.base.String()
	if apiErr.StatusCode == http.StatusNotFound {
		apiErr.RouteConfirmed = in.trustJSONNotFound && isJSONObject(raw) || c.confirmRoute(ctx, in.method, u)
	}
	return nil, apiErr
}

// contextErr is ctx.Err(), and DeadlineExceeded from the instant the deadline passes: the HTTP client's own timer for
// the same deadline may fire, and end the call, a moment before ctx's.
func contextErr(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if deadline, ok := ctx.Deadline(); ok && !time.Now().Before(deadline) {
		return context.DeadlineExceeded
	}
	return nil
}

func isJSONObject(raw []byte) bool {
	trimmed := bytes.TrimSpace(raw)
	return len(trimmed) > 0 && trimmed[0] == '{' && json.Valid(trimmed)
}
