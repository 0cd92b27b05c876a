package sovxtest

import (
	"fmt"
	"math/rand/v2"
)

// A Dialect is one way of making every choice the API reference leaves open
// (see internal/sovx/CONTRACT.md). The client may rely on none of them, so the
// suite runs against several: DefaultDialect, LeanDialect and RandomDialect.
type Dialect struct {
	// Name identifies the dialect in test names; a random one carries its seed.
	Name string

	// ErrorCodes adds a machine-readable code to error answers.
	ErrorCodes bool
	// GenericCodes uses one code per status (NOT_FOUND for both 404s)
	// instead of one per cause (CUSTOMER_NOT_FOUND, WEBHOOK_NOT_FOUND).
	GenericCodes bool
	// ErrorShape is how an error answer carries its message.
	ErrorShape ErrorShape
	// ErrorEnvelope frames the JSON object shapes (nested, string, flat) like
	// success bodies, with "success": false and meta. The reference shows
	// the envelope on success bodies only.
	ErrorEnvelope bool
	// Seed drives ErrorGenerated's bodies.
	Seed uint64
	// Messages are the words of error answers.
	Messages Messages

	// CreatedStatus answers a successful POST: 201 (documented) or 200.
	CreatedStatus int
	// DeleteEnvelope answers DELETE with 200 and an envelope instead of 204.
	DeleteEnvelope bool
	// DeleteWithoutWebhook404 answers DELETE of a customer without a webhook
	// with 404 instead of success.
	DeleteWithoutWebhook404 bool
	// NoHeaders is how GET shows a webhook without headers.
	NoHeaders NoHeaders
	// Mask is how GET hides header values.
	Mask MaskStyle
	// HeaderOrder is the order in which GET lists headers.
	HeaderOrder HeaderOrder
	// ExtraFields adds fields the reference does not list to data and meta.
	ExtraFields bool
	// MetaFirst writes meta before data (JSON object order is not a contract).
	MetaFirst bool
	// TraceID is where the trace id travels.
	TraceID TraceIDPlace
	// ContentType of JSON answers.
	ContentType string

	// VerifySuccess is the message of a successful webhook test.
	VerifySuccess string
	// VerifyFailure formats the message of a failed test from the status the
	// endpoint answered (%d).
	VerifyFailure string
	// UnknownRouteText answers a path the API does not serve with Go's plain
	// text 404 page instead of an error in the dialect's shape.
	UnknownRouteText bool
	// AuthBeforeRouting answers 401 to any request without the token, to
	// paths the API does not serve too; otherwise those answer 404 whatever
	// the token.
	AuthBeforeRouting bool
	// NormalizeStore stores what it is sent normalized, as URL and HTTP
	// libraries do: the URL's scheme and host in lower case, a default port
	// dropped, "/" for an empty path; header names canonicalized
	// (x-api-key becomes X-Api-Key).
	NormalizeStore bool
}

// ErrorShape is how an error answer carries its message.
type ErrorShape int

// The error shapes a server may use.
const (
	// ErrorNested is {"success":false,"error":{"code":…,"message":…}}.
	ErrorNested ErrorShape = iota
	// ErrorString is {"success":false,"error":"…"} (a code, if any, beside it).
	ErrorString
	// ErrorFlat is {"success":false,"message":"…","code":…}.
	ErrorFlat
	// ErrorProblem is RFC 9457 problem details (application/problem+json):
	// {"type","title","status","detail","instance"}.
	ErrorProblem
	// ErrorBareString is the message as a JSON string.
	ErrorBareString
	// ErrorPlainText is the message as text/plain.
	ErrorPlainText
	// ErrorHTML is an HTML page whose title is the message.
	ErrorHTML
	// ErrorEmpty is no body at all.
	ErrorEmpty
	// ErrorGenerated draws every answer's shape at random from Seed: JSON
	// objects with any of the usual fields or none, other JSON values, text,
	// HTML, nothing; in any content type.
	ErrorGenerated

	errorShapes = iota
)

// Messages are the words of error answers.
type Messages struct {
	Unauthorized, CustomerNotFound, WebhookNotConfigured, InvalidURL, InvalidHeaderKey, Validation string
}

// NoHeaders is how GET shows a webhook without headers.
type NoHeaders int

// The ways to show no headers.
const (
	NoHeadersEmpty   NoHeaders = iota // "headers": []
	NoHeadersOmitted                  // no "headers" field
	NoHeadersNull                     // "headers": null
)

// HeaderOrder is the order in which GET lists headers.
type HeaderOrder int

// The header orders.
const (
	HeadersAsStored HeaderOrder = iota
	HeadersReversed
	HeadersSorted
)

// TraceIDPlace is where the trace id travels.
type TraceIDPlace int

// The places a trace id may travel.
const (
	TraceIDInMeta TraceIDPlace = iota
	TraceIDInRequestIDHeader
	TraceIDInTraceIDHeader
	TraceIDAbsent
)

var defaultMessages = Messages{
	Unauthorized:         "Invalid or expired session token",
	CustomerNotFound:     "Customer not found",
	WebhookNotConfigured: "Webhook not configured",
	InvalidURL:           "url must be an absolute http or https URL",
	InvalidHeaderKey:     "header key %q may contain only letters, digits, hyphens and underscores",
	Validation:           "validation failed: %s",
}

// leanMessages say as little as a server may: the two 404s read alike and
// neither names the customer.
var leanMessages = Messages{
	Unauthorized:         "unauthorized",
	CustomerNotFound:     "Not Found",
	WebhookNotConfigured: "Not Found",
	InvalidURL:           "bad url",
	InvalidHeaderKey:     "bad header key %q",
	Validation:           "unprocessable: %s",
}

// otherMessages are a third wording, chattier and differently phrased.
var otherMessages = Messages{
	Unauthorized:         "Authentication required: the session token was not accepted",
	CustomerNotFound:     "No customer exists with this id",
	WebhookNotConfigured: "This customer has no webhook set up",
	InvalidURL:           "The webhook url is not valid",
	InvalidHeaderKey:     "Header name %q contains characters that are not allowed",
	Validation:           "The request could not be processed (%s)",
}

// customerMessages name the customer in both 404s; only one says it is
// missing: words that blame the customer must say so, not merely name it.
var customerMessages = Messages{
	Unauthorized:         "Session expired",
	CustomerNotFound:     "Unknown customer",
	WebhookNotConfigured: "Nothing is configured for this customer yet",
	InvalidURL:           "Invalid url",
	InvalidHeaderKey:     "Invalid header name %q",
	Validation:           "Invalid request: %s",
}

// DefaultDialect follows the reference's examples and the most common REST
// conventions. It is what NewServer uses unless Options say otherwise.
func DefaultDialect() Dialect {
	return Dialect{
		Name:          "default",
		ErrorCodes:    true,
		ErrorShape:    ErrorNested,
		ErrorEnvelope: true,
		Messages:      defaultMessages,
		CreatedStatus: 201,
		NoHeaders:     NoHeadersEmpty,
		Mask:          MaskExample,
		HeaderOrder:   HeadersAsStored,
		TraceID:       TraceIDInMeta,
		ContentType:   "application/json",
		VerifySuccess: "Webhook test successful",
		VerifyFailure: "Webhook test failed: endpoint returned HTTP %d",
	}
}

// LeanDialect makes every open choice the other way from DefaultDialect:
// errors as a bare {"error": "…"} without the envelope or codes.
func LeanDialect() Dialect {
	return Dialect{
		Name:                    "lean",
		ErrorCodes:              false,
		ErrorShape:              ErrorString,
		ErrorEnvelope:           false,
		Messages:                leanMessages,
		CreatedStatus:           200,
		DeleteEnvelope:          true,
		DeleteWithoutWebhook404: true,
		NoHeaders:               NoHeadersOmitted,
		Mask:                    MaskOmitted,
		HeaderOrder:             HeadersReversed,
		ExtraFields:             true,
		MetaFirst:               true,
		TraceID:                 TraceIDInRequestIDHeader,
		ContentType:             "application/json; charset=utf-8",
		VerifySuccess:           "Webhook test successful (HTTP 200)",
		VerifyFailure:           "Delivery failed with status %d",
		UnknownRouteText:        true,
		AuthBeforeRouting:       true,
		NormalizeStore:          true,
	}
}

// ProblemDialect writes errors as RFC 9457 problem details and stores what
// it is sent normalized: a server written to the reference by someone else.
func ProblemDialect() Dialect {
	d := DefaultDialect()
	d.Name, d.ErrorShape, d.ErrorEnvelope, d.NormalizeStore = "problem-details", ErrorProblem, false, true
	// One code for both 404s: the words alone tell the customer from the webhook.
	d.GenericCodes, d.Messages = true, customerMessages
	d.Mask = MaskPartial
	d.TraceID = TraceIDInTraceIDHeader
	return d
}

// BareDialect answers errors with no body at all, and 404s with plain text
// on unknown routes.
func BareDialect() Dialect {
	d := LeanDialect()
	d.Name, d.ErrorShape, d.ErrorEnvelope = "empty-errors", ErrorEmpty, false
	d.Mask = MaskEmpty
	d.AuthBeforeRouting = false
	return d
}

// RandomDialect picks each choice independently from seed, so a failure can
// be replayed with the same seed.
func RandomDialect(seed uint64) Dialect {
	r := rand.New(rand.NewPCG(seed, seed^0x5eed))
	pick := func(n int) int { return r.IntN(n) }
	coin := func() bool { return r.IntN(2) == 1 }
	return Dialect{
		Name:                    fmt.Sprintf("random-seed-%d", seed),
		Seed:                    seed,
		ErrorCodes:              coin(),
		GenericCodes:            coin(),
		ErrorShape:              ErrorShape(pick(errorShapes)),
		ErrorEnvelope:           coin(),
		Messages:                []Messages{defaultMessages, leanMessages, otherMessages, customerMessages}[pick(4)],
		CreatedStatus:           []int{200, 201}[pick(2)],
		DeleteEnvelope:          coin(),
		DeleteWithoutWebhook404: coin(),
		NoHeaders:               NoHeaders(pick(3)),
		Mask:                    MaskStyle(pick(maskStyles)),
		HeaderOrder:             HeaderOrder(pick(3)),
		ExtraFields:             coin(),
		MetaFirst:               coin(),
		TraceID:                 TraceIDPlace(pick(4)),
		ContentType:             []string{"application/json", "application/json; charset=utf-8", "application/json;charset=UTF-8"}[pick(3)],
		VerifySuccess: []string{"Webhook test successful", "Webhook test successful (HTTP 200)",
			"webhook test successful.", "WEBHOOK TEST SUCCESSFUL - endpoint answered 204"}[pick(4)],
		VerifyFailure: []string{"Webhook test failed: endpoint returned HTTP %d", "Delivery failed with status %d",
			"Webhook test failed (status %d)"}[pick(3)],
		UnknownRouteText:  coin(),
		AuthBeforeRouting: coin(),
		NormalizeStore:    coin(),
	}
}
