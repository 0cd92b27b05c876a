package sovx

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"syscall"
	"time"
)

// Operation names an API call, because the reference gives a status a different meaning per call (a 404 on GET is
// "customer or webhook not configured", on POST, PUT and DELETE "customer not found").
type Operation string

// The API's operations.
const (
	OpGet       Operation = "get"
	OpConfigure Operation = "configure"
	OpUpdate    Operation = "update"
	OpDelete    Operation = "delete"
	OpVerify    Operation = "verify"
)

// APIError is a non-2xx answer. Only the status and the operation are documented; code and message are whatever the
// server sent, found wherever a server may put them, and may only refine a decision (see CONTRACT.md).
type APIError struct {
	Op         Operation
	Method     string
	Path       string
	StatusCode int
	// Code is a machine-readable error code, when the server sent one.
	Code string
	// Message is the server's human-readable message, or a short excerpt of a body that is not JSON.
	Message string
	// Details are the server's field-level reasons ("url: must be https"), when it gave any.
	Details []string
	// TraceID identifies the request in the API's logs.
	TraceID string
	// Attempts is how many times the request was sent (more than 1 after retries).
	Attempts int
	// RouteConfirmed is set on a 404 when the endpoint proved to be the API: it answered 401 to the same path without
	// a token, as the reference says every endpoint does.
	RouteConfirmed bool
	// Endpoint is the base URL the request was sent to.
	Endpoint string
	// RateLimitedFor is how long the API kept answering 429 before the
	// call ran out of time (429s are retried until then).
	RateLimitedFor time.Duration
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: HTTP %d", e.Method, e.Path, e.StatusCode)
	if e.Code != "" {
		fmt.Fprintf(&b, " %s", e.Code)
	}
	if e.Message != "" {
		fmt.Fprintf(&b, ": %s", e.Message)
	}
	if len(e.Details) > 0 {
		fmt.Fprintf(&b, " (%s)", strings.Join(e.Details, "; "))
	}
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " (after %d attempts)", e.Attempts)
	}
	if e.TraceID != "" {
		fmt.Fprintf(&b, " (trace_id %s)", e.TraceID)
	}
	return b.String()
}

// AsAPIError returns the *APIError in err's chain, if any.
func AsAPIError(err error) (*APIError, bool) {
	var apiErr *APIError
	ok := errors.As(err, &apiErr)
	return apiErr, ok
}

// IsUnauthorized reports a 401: the token is missing, invalid or expired.
func IsUnauthorized(err error) bool {
	e, ok := AsAPIError(err)
	return ok && e.StatusCode == http.StatusUnauthorized
}

// IsForbidden reports a 403: the token is valid but may not do this.
func IsForbidden(err error) bool {
	e, ok := AsAPIError(err)
	return ok && e.StatusCode == http.StatusForbidden
}

// IsNotFound reports a 404 from an endpoint that proved to be the API: the customer or its webhook does not exist.
// Any other 404 is not one: see IsWrongEndpoint.
func IsNotFound(err error) bool {
	e, ok := AsAPIError(err)
	return ok && e.StatusCode == http.StatusNotFound && e.RouteConfirmed
}

// IsWrongEndpoint reports a 404 from an endpoint that did not prove to be the API (see APIError.RouteConfirmed): the
// endpoint is probably wrong, and nothing may be concluded about the webhook.
func IsWrongEndpoint(err error) bool {
	e, ok := AsAPIError(err)
	return ok && e.StatusCode == http.StatusNotFound && !e.RouteConfirmed
}

// IsCustomerNotFound reports an API 404 that means the customer does not exist: documented for configure, update and
// delete; on get and verify only when the answer clearly says so.
func IsCustomerNotFound(err error) bool {
	if !IsNotFound(err) {
		return false
	}
	e, _ := AsAPIError(err)
	switch e.Op {
	case OpConfigure, OpUpdate, OpDelete:
		return true
	}
	return saysCustomerMissing(e)
}

// IsWebhookNotConfigured reports an API 404 on get or verify that does not
// clearly blame the customer: the documented "no webhook configured".
func IsWebhookNotConfigured(err error) bool {
	if !IsNotFound(err) {
		return false
	}
	e, _ := AsAPIError(err)
	return (e.Op == OpGet || e.Op == OpVerify) && !saysCustomerMissing(e)
}

// saysCustomerMissing reads the optional code and message: they blame the customer when they say it is missing and do
// not name the webhook.
func saysCustomerMissing(e *APIError) bool {
	code := strings.ToUpper(e.Code)
	if strings.Contains(code, "WEBHOOK") || strings.Contains(strings.ToLower(e.Message), "webhook") {
		return false
	}
	return strings.Contains(code, "CUSTOMER") || customerMissing.MatchString(e.Message)
}

var customerMissing = regexp.MustCompile(`(?i)\b(no (such )?customer|unknown customer|customer\b.*\b(not found|does ?n[o']t exist|not exist|unknown))\b`)

// TransportError is a failure to get any HTTP response: the API could not be
// reached, the connection broke, or every attempt timed out.
type TransportError struct {
	Method   string
	Path     string
	Attempts int
	Timeout  time.Duration
	Err      error
	// ContextErr is the caller's context error when that ended the call.
	ContextErr error
	// Endpoint is the base URL the request was sent to.
	Endpoint string
	// Proxy is the proxy the request went through (HTTPS_PROXY or HTTP_PROXY, as ShowURL shows it; "" for none).
	Proxy string
}

// Cause names why no answer came, in words a user can act on.
type Cause int

// The causes of a TransportError.
const (
	CauseOther       Cause = iota
	CauseUnknownHost       // the endpoint's host name does not resolve
	CauseRefused           // nothing listens at the endpoint's host and port
	CauseTimeout           // no answer within the request timeout
	CauseTLS               // the TLS handshake failed (an untrusted certificate, say)
	CauseProxy             // the proxy could not be reached
)

// Cause tells an unknown host, a refused connection, a timeout and a TLS failure apart.
func (e *TransportError) Cause() Cause {
	var dns *net.DNSError
	var tlsErr *tls.CertificateVerificationError
	var unknownAuthority x509.UnknownAuthorityError
	var hostname x509.HostnameError
	var op *net.OpError
	switch {
	case errors.As(e.Err, &op) && op.Op == "proxyconnect": // net/http's name for it
		return CauseProxy
	case errors.As(e.Err, &dns) && dns.IsNotFound:
		return CauseUnknownHost
	case errors.Is(e.Err, syscall.ECONNREFUSED):
		return CauseRefused
	case e.IsTimeout():
		return CauseTimeout
	case errors.As(e.Err, &tlsErr) || errors.As(e.Err, &unknownAuthority) || errors.As(e.Err, &hostname):
		return CauseTLS
	}
	return CauseOther
}

func (e *TransportError) Error() string {
	what := "could not reach the API"
	switch {
	case errors.Is(e.ContextErr, context.DeadlineExceeded):
		return fmt.Sprintf("%s %s: stopped after %d attempt(s): the operation ran out of time", e.Method, e.Path, e.Attempts)
	case e.ContextErr != nil:
		return fmt.Sprintf("%s %s: cancelled after %d attempt(s)", e.Method, e.Path, e.Attempts)
	case e.IsTimeout():
		what = fmt.Sprintf("the API did not answer within the request timeout (%s)", e.Timeout)
	}
	return fmt.Sprintf("%s %s: %s after %d attempt(s): %v", e.Method, e.Path, what, e.Attempts, e.Err)
}

func (e *TransportError) Unwrap() error { return e.Err }

// IsTimeout reports whether the last attempt ran into the request timeout (not the caller's own deadline).
func (e *TransportError) IsTimeout() bool {
	if e.ContextErr != nil {
		return false
	}
	var ne net.Error
	return errors.As(e.Err, &ne) && ne.Timeout()
}

// IsDeadline reports whether the caller's deadline (the resource's timeouts) ended the call.
func (e *TransportError) IsDeadline() bool { return errors.Is(e.ContextErr, context.DeadlineExceeded) }

// IsCancelled reports whether the caller cancelled the call (Ctrl-C).
func (e *TransportError) IsCancelled() bool {
	return e.ContextErr != nil && !errors.Is(e.ContextErr, context.DeadlineExceeded)
}

// MayHaveWritten reports whether a write that failed with err may have been carried out all the same: the request
// went and no answer came (a timeout, a broken connection, Ctrl-C), the API failed with a 5xx (a server may fail
// after storing), or it answered 2xx in a shape it does not document.
func MayHaveWritten(err error) bool {
	var transport *TransportError
	var decode *DecodeError
	switch {
	case errors.As(err, &transport):
		switch transport.Cause() {
		case CauseUnknownHost, CauseRefused, CauseTLS, CauseProxy:
			return false
		}
		return true
	case errors.As(err, &decode):
		return true
	}
	e, ok := AsAPIError(err)
	return ok && e.StatusCode >= 500
}

// DecodeError is a 2xx response whose body is not the documented envelope.
type DecodeError struct {
	Status  int
	TraceID string
	// Endpoint is the base URL that answered.
	Endpoint string
	// Body is the start of the body, secrets redacted.
	Body string
	Err  error
}

func (e *DecodeError) Error() string {
	msg := fmt.Sprintf("unexpected response from %s (HTTP %d): %v", e.Endpoint, e.Status, e.Err)
	if e.Body != "" {
		msg += fmt.Sprintf("; it begins: %s", e.Body)
	} else {
		msg += "; the body is empty"
	}
	if e.TraceID != "" {
		msg += fmt.Sprintf(" (trace_id %s)", e.TraceID)
	}
	return msg
}

func (e *DecodeError) Unwrap() error { return e.Err }

// RedirectError is a 3xx answer, which the client never follows: a redirected POST or PUT would carry every header
// value, and any request the token, to wherever Location points, and a 301 or 302 turns a write into a GET whose 200
// would look like success.
type RedirectError struct {
	Method     string
	Path       string
	StatusCode int
	// Location is where the answer pointed, without userinfo, query or
	// fragment ("" when it had none or it could not be read).
	Location string
	// Endpoint is the base URL that answered.
	Endpoint string
	// ToHTTPS reports an http endpoint sent to https on the same host.
	ToHTTPS bool
}

func (e *RedirectError) Error() string {
	to := "without a usable Location"
	if e.Location != "" {
		to = "to " + e.Location
	}
	return fmt.Sprintf("%s %s: HTTP %d redirect %s, not followed: the request was not carried out", e.Method, e.Path, e.StatusCode, to)
}

// newRedirectError reads a 3xx answer to a request for u.
func newRedirectError(method string, u *url.URL, endpoint string, status int, location string) *RedirectError {
	e := &RedirectError{Method: method, Path: u.EscapedPath(), StatusCode: status, Endpoint: endpoint}
	target, err := u.Parse(location)
	if location == "" || err != nil {
		return e
	}
	target.User, target.RawQuery, target.ForceQuery, target.Fragment, target.RawFragment = nil, "", false, "", ""
	e.Location = target.String()
	e.ToHTTPS = u.Scheme == "http" && target.Scheme == "https" && strings.EqualFold(u.Hostname(), target.Hostname())
	return e
}
