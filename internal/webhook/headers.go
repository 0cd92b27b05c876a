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

// Reconcile merges the headers a GET returned (values masked) into the
// headers Terraform holds, keyed by header name; a nil value is a null one
// (a write-only header). The rules:
//   - a header both have (names matched ignoring case) keeps Terraform's
//     name and value, so masked reads do not show as changes;
//   - a header only the API has is added with the value the API returned
//     (the mask), so the next plan shows it will be removed;
//   - a header the API no longer has is dropped;
//   - a real (unmasked) value from the API replaces a stored value.
//
// held == nil means the attribute was null; it stays null when the API has
// no headers, so an omitted `headers` argument does not plan a change.
func Reconcile(held map[string]*string, remote []sovx.Header) map[string]*string {
	if len(remote) == 0 {
		if held == nil {
			return nil
		}
		return map[string]*string{}
	}
	out := make(map[string]*string, len(remote))
	taken := make(map[string]bool, len(remote))
	for _, h := range remote {
		fold := strings.ToLower(h.Key)
		if taken[fold] {
			continue
		}
		taken[fold] = true
		name, value, ok := lookupFold(held, h.Key)
		if !ok {
			v := h.Value
			out[h.Key] = &v
			continue
		}
		if h.Value != sovx.MaskedValue && value != nil && *value != h.Value {
			v := h.Value
			value = &v
		}
		out[name] = value
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

// Build returns the header list for a POST or PUT, sorted by name so the
// body is stable. It refuses to send the mask string or an empty slot.
func Build(headers map[string]Planned) ([]sovx.Header, error) {
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
		if err := sovx.RefuseMask(name, *v); err != nil {
			return nil, err
		}
		out = append(out, sovx.Header{Key: name, Value: *v})
	}
	return out, nil
}
