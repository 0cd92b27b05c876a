// Package sovxtest is an in-memory fake of the Customer Webhooks API for
// tests and demos, in the spirit of net/http/httptest: NewServer starts it on
// a loopback port, and methods on Server seed data, read what the API stored,
// change it behind the provider's back, inject faults and record requests.
package sovxtest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Mask is the value GET returns for every header.
const Mask = "***masked***"

// BasePath is the API prefix the fake serves under.
const BasePath = "/sovx/v1"

// DefaultToken is the token a Server accepts unless Options say otherwise.
const DefaultToken = "sovxtest-token"

// Header is one stored webhook header.
type Header struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// Webhook is a stored webhook with real (unmasked) values.
type Webhook struct {
	URL     string   `json:"url"`
	Headers []Header `json:"headers"`
}

// Request is one request the fake received.
type Request struct {
	Method string
	// Path is the escaped request path, e.g. /sovx/v1/customers/cus_1/webhooks.
	Path string
	// CustomerID is the unescaped customer id from the path ("" when unparsed).
	CustomerID string
	Header     http.Header
	Body       []byte
	// At is when the request arrived.
	At time.Time
}

// Options configure a Server.
type Options struct {
	// Token is the accepted Bearer token (DefaultToken when empty).
	Token string
	// Customers are seeded as existing customers without webhooks.
	Customers []string
	// Strict rejects, and records as a violation, any request whose body
	// contains the mask string: the client must never send it back.
	Strict bool
	// VerifyClient sends verify's test payloads (a 5s-timeout client by default).
	VerifyClient *http.Client
	// Dialect makes the choices the reference leaves open (DefaultDialect
	// when its Name is empty).
	Dialect Dialect
	// RateLimit, when PerSecond is set, enforces a per-account token bucket
	// (or fixed windows) as APIs usually do: 429 with Retry-After and
	// X-RateLimit-* headers.
	RateLimit RateLimit
}

// RateLimit is a token bucket: PerSecond tokens a second, Burst at most.
type RateLimit struct {
	PerSecond float64
	Burst     int
	// Announce is how the limit is told: the API reference documents no
	// rate-limit headers, so APIs differ.
	Announce Announcement
	// Window counts requests in fixed one-second windows instead (PerSecond
	// in each, Burst unused), as other APIs do: X-RateLimit-Remaining falls
	// through the window and starts afresh with the next.
	Window bool
}

// Announcement is how an API tells its rate limit.
type Announcement int

const (
	// OnEveryAnswer: X-RateLimit-Limit, -Remaining and -Reset on every
	// answer, and Retry-After on a 429.
	OnEveryAnswer Announcement = iota
	// OnRefusalsOnly: the X-RateLimit-* headers and Retry-After on 429s only.
	OnRefusalsOnly
	// RetryAfterOnly: only Retry-After, on 429s.
	RetryAfterOnly
)

// String names the announcement as tables and flags do.
func (a Announcement) String() string {
	return [...]string{"on every answer", "on refusals only", "Retry-After only"}[a]
}

// Announcements lists every way, for tests and benchmarks that try each.
var Announcements = []Announcement{OnEveryAnswer, OnRefusalsOnly, RetryAfterOnly}

// Server is a running fake API.
type Server struct {
	// URL is the API base URL including /sovx/v1, ready for SOVX_ENDPOINT.
	URL string
	// Token is the accepted Bearer token.
	Token string

	ts           *httptest.Server
	dialect      Dialect
	strict       bool
	verifyClient *http.Client
	connections  atomic.Int64
	traceSeq     atomic.Int64
	inFlight     atomic.Int64
	maxInFlight  atomic.Int64

	throttled atomic.Int64
	limiter   atomic.Pointer[bucket]

	mu              sync.Mutex
	customers       map[string]*Webhook // nil value: customer without webhook
	requests        []Request
	faults          []*Fault
	latency         time.Duration
	customerLatency map[string]time.Duration
	maskViolations  int
	issuedMasks     map[string]map[string]bool // by customer: the masks GET showed
	errorRand       *rand.Rand                 // ErrorGenerated's draws
	expiry          *tokenExpiry
	answerHeaders   http.Header
}

// SetAnswerHeaders adds headers to every answer from now on (nil: none), as
// a hostile or broken server does: X-RateLimit-Limit: 0.001, say.
func (s *Server) SetAnswerHeaders(h http.Header) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.answerHeaders = h.Clone()
}

// tokenExpiry is a token that expires after so many more requests.
type tokenExpiry struct {
	left  int
	fresh string
}

// ExpireTokenAfter makes the token expire after n more requests, as a
// session token does in the middle of an apply, and returns the fresh token
// the API accepts from then on.
func (s *Server) ExpireTokenAfter(n int) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.expiry = &tokenExpiry{left: n, fresh: fmt.Sprintf("%s-renewed-%d", s.Token, s.traceSeq.Add(1))}
	return s.expiry.fresh
}

// acceptedToken is the token the request recorded last is checked against.
// Callers hold s.mu.
func (s *Server) acceptedToken() string {
	switch {
	case s.expiry == nil:
		return s.Token
	case s.expiry.left > 0:
		s.expiry.left--
		return s.Token
	}
	return s.expiry.fresh
}

// NewServer starts a fake API on a loopback port. Call Close when done.
func NewServer(opts Options) *Server {
	s := NewUnstartedServer(opts)
	s.Start()
	return s
}

// NewUnstartedServer returns a Server that listens only after Start, so a
// caller can choose the listener (Listener field of the embedded httptest server).
func NewUnstartedServer(opts Options) *Server {
	s := &Server{
		Token:        opts.Token,
		strict:       opts.Strict,
		verifyClient: opts.VerifyClient,
		dialect:      opts.Dialect,
		customers:    map[string]*Webhook{},
	}
	if s.dialect.Name == "" {
		s.dialect = DefaultDialect()
	}
	if s.Token == "" {
		s.Token = DefaultToken
	}
	if s.verifyClient == nil {
		s.verifyClient = &http.Client{Timeout: 5 * time.Second}
	}
	for _, id := range opts.Customers {
		s.customers[id] = nil
	}
	s.SetRateLimit(opts.RateLimit)
	s.ts = httptest.NewUnstartedServer(s.routes())
	s.ts.Config.ConnState = func(_ net.Conn, state http.ConnState) {
		if state == http.StateNew {
			s.connections.Add(1)
		}
	}
	return s
}

// SetListener makes an unstarted server listen on l (a specific address)
// instead of a random loopback port.
func (s *Server) SetListener(l net.Listener) {
	_ = s.ts.Listener.Close()
	s.ts.Listener = l
}

// Start begins serving.
func (s *Server) Start() {
	s.ts.Start()
	s.URL = s.ts.URL + BasePath
}

// Close shuts the server down and blocks until outstanding requests finish.
func (s *Server) Close() {
	s.ts.CloseClientConnections()
	s.ts.Close()
}

// Dialect is the dialect the server speaks.
func (s *Server) Dialect() Dialect { return s.dialect }

// Webhook returns a copy of the customer's stored webhook with real values.
func (s *Server) Webhook(customerID string) (Webhook, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	w := s.customers[customerID]
	if w == nil {
		return Webhook{}, false
	}
	return copyWebhook(*w), true
}

// SetWebhook stores a webhook out of band (drift), creating the customer if needed.
func (s *Server) SetWebhook(customerID string, w Webhook) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := copyWebhook(w)
	s.customers[customerID] = &c
}

// RemoveWebhook deletes a customer's webhook out of band.
func (s *Server) RemoveWebhook(customerID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.customers[customerID]; ok {
		s.customers[customerID] = nil
	}
}

// SetLatency delays every API request by d (0 turns it off).
func (s *Server) SetLatency(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.latency = d
}

// SetLatencyFor adds a delay to every request about one customer, on top of
// SetLatency's: answers then arrive out of order.
func (s *Server) SetLatencyFor(customerID string, d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.customerLatency == nil {
		s.customerLatency = map[string]time.Duration{}
	}
	s.customerLatency[customerID] = d
}

// SetRateLimit changes the rate limit (a zero PerSecond turns it off).
func (s *Server) SetRateLimit(l RateLimit) {
	if l.PerSecond <= 0 {
		s.limiter.Store(nil)
		return
	}
	s.limiter.Store(newBucket(l))
}

// Throttled counts the requests answered 429 by the rate limit.
func (s *Server) Throttled() int64 { return s.throttled.Load() }

// Requests returns every API request received so far, oldest first.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// Kind is the request's method, or "VERIFY" for the verify endpoint (a POST),
// so verify calls are told apart from configure calls.
func (r Request) Kind() string {
	if r.Method == http.MethodPost && strings.HasSuffix(r.Path, "/verify") {
		return "VERIFY"
	}
	return r.Method
}

// CountRequests counts received requests by kind (see Request.Kind) and, when
// customerID is not empty, only those for that customer.
func (s *Server) CountRequests(method, customerID string) int {
	n := 0
	for _, r := range s.Requests() {
		if r.Kind() == method && (customerID == "" || r.CustomerID == customerID) {
			n++
		}
	}
	return n
}

// CountWrites counts POST, PUT and DELETE requests (verify excluded).
func (s *Server) CountWrites() int {
	n := 0
	for _, r := range s.Requests() {
		switch r.Kind() {
		case http.MethodPost, http.MethodPut, http.MethodDelete:
			n++
		}
	}
	return n
}

// ResetRequests forgets recorded requests.
func (s *Server) ResetRequests() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = nil
}

// MaskViolations counts writes (in strict mode) that sent a mask GET showed
// back as a header's value.
func (s *Server) MaskViolations() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.maskViolations
}

// Connections counts TCP connections accepted so far.
func (s *Server) Connections() int64 { return s.connections.Load() }

// MaxInFlight is the most API requests that were being served at once.
func (s *Server) MaxInFlight() int64 { return s.maxInFlight.Load() }

// ResetStats zeroes the connection and in-flight counters.
func (s *Server) ResetStats() {
	s.connections.Store(0)
	s.maxInFlight.Store(0)
	s.throttled.Store(0)
}

func copyWebhook(w Webhook) Webhook {
	w.Headers = append([]Header{}, w.Headers...)
	return w
}

// sleep waits for d or until the request is abandoned.
func sleep(ctx context.Context, d time.Duration) {
	if d <= 0 {
		return
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}
