package sovxtest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"time"
)

// Receiver is a customer's webhook endpoint for tests, as httptest.Server is
// an HTTP server: it records every test payload delivered to it and answers
// as told (200 with {"ok":true} until then). Close it when done.
type Receiver struct {
	// URL is the endpoint to configure: the server's address and
	// /webhook/pin-notification.
	URL string

	srv    *httptest.Server
	mu     sync.Mutex
	status int
	body   func(*http.Request) string
	got    []Delivery
	// clock and upAt: see DownFor.
	clock *Clock
	upAt  time.Time
}

// Delivery is one request the receiver got.
type Delivery struct {
	Header http.Header
	// Payload is the JSON body decoded (nil when it was not JSON).
	Payload map[string]any
}

// NewReceiver starts a receiver on a loopback port.
func NewReceiver() *Receiver {
	r := &Receiver{status: http.StatusOK, body: func(*http.Request) string { return `{"ok":true}` }}
	r.srv = httptest.NewServer(http.HandlerFunc(r.serve))
	r.URL = r.srv.URL + "/webhook/pin-notification"
	return r
}

func (r *Receiver) serve(w http.ResponseWriter, req *http.Request) {
	raw, _ := io.ReadAll(io.LimitReader(req.Body, 1<<20))
	var payload map[string]any
	_ = json.Unmarshal(raw, &payload)
	r.mu.Lock()
	r.got = append(r.got, Delivery{Header: req.Header.Clone(), Payload: payload})
	if r.clock != nil && !r.clock.Now().Before(r.upAt) {
		r.status, r.body, r.clock = http.StatusOK, func(*http.Request) string { return `{"ok":true}` }, nil
	}
	status, body := r.status, r.body
	r.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body(req))
}

// Answer sets the status and body of every answer from now on.
func (r *Receiver) Answer(status int, body string) {
	r.AnswerWith(status, func(*http.Request) string { return body })
}

// AnswerWith sets the status and a body made from each request (for
// example EchoHeaders, as a careless endpoint quotes what it got).
func (r *Receiver) AnswerWith(status int, body func(*http.Request) string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.status, r.body, r.clock = status, body, nil
}

// DownFor answers status (a 503, say) until clock has moved on by d from
// now, then 200 with {"ok":true}: a receiver deployed in the same apply.
func (r *Receiver) DownFor(clock *Clock, d time.Duration, status int) {
	up := clock.Now().Add(d)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.status, r.body = status, func(*http.Request) string { return `{"error":"starting"}` }
	r.upAt, r.clock = up, clock
}

// Deliveries returns what the receiver got, oldest first.
func (r *Receiver) Deliveries() []Delivery {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Delivery(nil), r.got...)
}

// Count is how many requests the receiver got.
func (r *Receiver) Count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.got)
}

// Close shuts the receiver down.
func (r *Receiver) Close() { r.srv.Close() }

// EchoHeaders is a body that quotes every request header back, with an
// error message: the worst an endpoint can do with a failing test payload.
func EchoHeaders(req *http.Request) string {
	b, _ := json.Marshal(map[string]any{"error": "signature rejected", "received_headers": req.Header})
	return string(b)
}
