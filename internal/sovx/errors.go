package sovx

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"
)

// Error codes the API (and the fake) use. Codes are optional on the wire;
// helpers below fall back to the status and message when they are missing.
const (
	CodeUnauthorized     = "UNAUTHORIZED"
	CodeCustomerNotFound = "CUSTOMER_NOT_FOUND"
	CodeWebhookNotFound  = "WEBHOOK_NOT_FOUND"
	CodeInvalidURL       = "INVALID_URL"
	CodeInvalidHeaderKey = "INVALID_HEADER_KEY"
	CodeValidationFailed = "VALIDATION_FAILED"
	CodeInternal         = "INTERNAL_ERROR"
)

// APIError is a non-2xx answer from the API.
type APIError struct {
	Method     string
	Path       string
	StatusCode int
	// Code is the API's machine-readable error code, when it sent one.
	Code string
	// Message is the API's human-readable message, or a short excerpt of a
	// non-JSON body.
	Message string
	// TraceID identifies the request in the API's logs.
	TraceID string
	// Attempts is how many times the request was sent (more than 1 after retries).
	Attempts int
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

// IsUnauthorized reports a rejected or missing token.
func IsUnauthorized(err error) bool {
	e, ok := AsAPIError(err)
	return ok && (e.StatusCode == http.StatusUnauthorized || e.StatusCode == http.StatusForbidden)
}

// IsNotFound reports any 404: the customer or its webhook does not exist.
func IsNotFound(err error) bool {
	e, ok := AsAPIError(err)
	return ok && e.StatusCode == http.StatusNotFound
}

// IsCustomerNotFound reports a 404 that the API attributes to the customer.
func IsCustomerNotFound(err error) bool {
	e, ok := AsAPIError(err)
	if !ok || e.StatusCode != http.StatusNotFound {
		return false
	}
	if e.Code != "" {
		return e.Code == CodeCustomerNotFound
	}
	return strings.Contains(strings.ToLower(e.Message), "customer")
}

// IsWebhookNotConfigured reports a 404 meaning the customer exists but has no
// webhook. A 404 that names neither is treated as this one on GET, since
// that is the documented meaning there.
func IsWebhookNotConfigured(err error) bool {
	e, ok := AsAPIError(err)
	if !ok || e.StatusCode != http.StatusNotFound {
		return false
	}
	if e.Code != "" {
		return e.Code == CodeWebhookNotFound
	}
	return !IsCustomerNotFound(err)
}

// errorBody covers the shapes an error may come in:
// {"error":{"code","message"}}, {"error":"..."}, {"message":"...","code":"..."}.
type errorBody struct {
	Error   json.RawMessage `json:"error"`
	Message string          `json:"message"`
	Code    string          `json:"code"`
	Meta    *Meta           `json:"meta"`
}

type errorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

func decodeAPIError(method, path string, status int, traceID string, attempts int, raw []byte) *APIError {
	e := &APIError{Method: method, Path: path, StatusCode: status, TraceID: traceID, Attempts: attempts}
	var body errorBody
	if err := json.Unmarshal(raw, &body); err == nil {
		e.Code, e.Message = body.Code, body.Message
		var detail errorDetail
		var text string
		switch {
		case json.Unmarshal(body.Error, &detail) == nil && (detail.Code != "" || detail.Message != ""):
			e.Code = firstNonEmpty(detail.Code, e.Code)
			e.Message = firstNonEmpty(detail.Message, e.Message)
		case json.Unmarshal(body.Error, &text) == nil:
			e.Message = firstNonEmpty(text, e.Message)
		}
	} else {
		e.Message = excerpt(string(raw), 200)
	}
	if e.Message == "" {
		e.Message = http.StatusText(status)
	}
	return e
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// excerpt keeps the start of a non-JSON body on one line.
func excerpt(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
