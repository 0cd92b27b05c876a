// Package webhook holds the provider's rules for webhook configuration in
// plain Go: input checks, how masked reads reconcile with state, and how the
// header list sent to the API is built. The framework glue calls into it.
package webhook

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/sovera/terraform-provider-sovx/internal/sovx"
)

// Reconcile merges the header names a GET returned into the headers
// Terraform holds, keyed by header name; a nil value is a null one. Values
// come only from the configuration: the API masks every value it returns, so
// a read says which headers exist and nothing about their values. The rules:
//   - a header both have (names matched ignoring case) keeps Terraform's
//     name and value, so masked reads do not show as changes;
//   - a header only the API has is added with a null value, so the next
//     plan shows it will be removed;
//   - a header the API no longer has is dropped.
//
// held == nil means the attribute was null; it stays null when the API has
// no headers, so an omitted `headers` argument does not plan a change.
func Reconcile(held map[string]*string, remote []string) map[string]*string {
	if len(remote) == 0 {
		if held == nil {
			return nil
		}
		return map[string]*string{}
	}
	out := make(map[string]*string, len(remote))
	taken := make(map[string]bool, len(remote))
	for _, key := range remote {
		fold := strings.ToLower(key)
		if taken[fold] {
			continue
		}
		taken[fold] = true
		if name, value, ok := lookupFold(held, key); ok {
			out[name] = value
		} else {
			out[key] = nil
		}
	}
	return out
}

func lookupFold(m map[string]*string, key string) (string, *string, bool) {
	if v, ok := m[key]; ok {
		return key, v, true
	}
	for k, v := range m {
		if strings.EqualFold(k, key) {
			return k, v, true
		}
	}
	return "", nil, false
}

// Planned is one header as an apply sees it: Value from the plan (which
// honours ignore_changes), WriteOnly from the configuration.
type Planned struct {
	Value     *string
	WriteOnly *string
}

// ErrNoValue means a header has neither value nor value_wo to send.
var ErrNoValue = errors.New("header has no value")

// RequestHeaders returns the header list for a POST or PUT, sorted by name so the body is stable. It refuses a header
// with no value to send (an imported header, or one whose value only the API knows): a value is never made up.
func RequestHeaders(headers map[string]Planned) ([]sovx.Header, error) {
	names := make([]string, 0, len(headers))
	for name := range headers {
		names = append(names, name)
	}
	sort.Strings(names)
	out := make([]sovx.Header, 0, len(names))
	for _, name := range names {
		h := headers[name]
		var v *string
		switch {
		case h.Value != nil:
			v = h.Value
		case h.WriteOnly != nil:
			v = h.WriteOnly
		default:
			return nil, fmt.Errorf("%w: %q", ErrNoValue, name)
		}
		out = append(out, sovx.Header{Key: name, Value: *v})
	}
	return out, nil
}
