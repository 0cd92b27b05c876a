package sovxtest

import (
	"encoding/json"
	"net/http"
	"strings"
)

// MaskStyle is how GET hides a header value. The reference says only that
// values "are masked" and shows "***masked***" in its example.
type MaskStyle int

// The mask styles a server may use.
const (
	// MaskExample is the reference example's "***masked***".
	MaskExample MaskStyle = iota
	// MaskStars is a row of stars, as long as the value or fixed.
	MaskStars
	// MaskPartial keeps the first and last characters, as dashboards do
	// ("s3c******2d"): it differs per value and looks like a value.
	MaskPartial
	// MaskEmpty is an empty string.
	MaskEmpty
	// MaskOmitted leaves the value out: {"key": "X-API-Key"}.
	MaskOmitted

	maskStyles = iota
)

// MaskStyles lists every style, for tests that try each.
var MaskStyles = []MaskStyle{MaskExample, MaskStars, MaskPartial, MaskEmpty, MaskOmitted}

// String names the style in test names.
func (m MaskStyle) String() string {
	return [...]string{"example-mask", "stars", "partial", "empty", "omitted"}[m]
}

// mask is what GET shows for a value; false when the value is left out.
func (m MaskStyle) mask(value string) (string, bool) {
	switch m {
	case MaskStars:
		return "********", true
	case MaskPartial:
		if len(value) < 8 {
			return strings.Repeat("*", len(value)), true
		}
		return value[:3] + strings.Repeat("*", len(value)-5) + value[len(value)-2:], true
	case MaskEmpty:
		return "", true
	case MaskOmitted:
		return "", false
	}
	return Mask, true
}

// maskedHeaders is GET's header list in the dialect's mask style.
func (d Dialect) maskedHeaders(headers []Header) []object {
	out := make([]object, len(headers))
	for i, h := range headers {
		out[i] = object{{"key", h.Key}}
		if masked, shown := d.Mask.mask(h.Value); shown {
			out[i] = append(out[i], field{"value", masked})
		}
	}
	return out
}

// sentBack reports whether a write's body holds, as a header's value, a
// mask this customer's GET showed that is not that header's real value: a
// value read from the API sent back to it (strict mode). issued holds the
// masks shown; stored is the webhook before the write (nil: none).
func sentBack(body []byte, issued map[string]bool, stored *Webhook) bool {
	var sent struct {
		Headers []Header `json:"headers"`
	}
	if json.Unmarshal(body, &sent) != nil {
		return false
	}
	for _, h := range sent.Headers {
		if issued[h.Value] && !stored.holds(h) {
			return true
		}
	}
	return false
}

// holds reports whether w (nil: none) has header h with h's very value.
func (w *Webhook) holds(h Header) bool {
	if w == nil {
		return false
	}
	for _, have := range w.Headers {
		if strings.EqualFold(have.Key, h.Key) && have.Value == h.Value {
			return true
		}
	}
	return false
}

// issueMasks notes the masks a GET of the customer's headers shows.
func (s *Server) issueMasks(customerID string, headers []Header) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.issuedMasks == nil {
		s.issuedMasks = map[string]map[string]bool{}
	}
	if s.issuedMasks[customerID] == nil {
		s.issuedMasks[customerID] = map[string]bool{}
	}
	for _, h := range headers {
		if masked, shown := s.dialect.Mask.mask(h.Value); shown {
			s.issuedMasks[customerID][masked] = true
		}
	}
}

// maskSentBack counts and reports a write that sends a mask back.
func (s *Server) maskSentBack(method, customerID string, body []byte) bool {
	if method != http.MethodPost && method != http.MethodPut {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !sentBack(body, s.issuedMasks[customerID], s.customers[customerID]) {
		return false
	}
	s.maskViolations++
	return true
}
