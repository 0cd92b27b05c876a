package sovx

import (
	"fmt"
	"net/url"
	"strings"
)

// DefaultEndpoint is the sandbox base URL, including the API version prefix.
const DefaultEndpoint = "https://api.sandbox.sovera.io" + APIPrefix

// APIPrefix is the path every endpoint ends with: the API's name and version.
const APIPrefix = "/sovx/v1"

// ParseEndpoint checks that an endpoint is an absolute http(s) URL with a host, no query or fragment, ending with
// /sovx/v1, and returns it without a trailing slash.
func ParseEndpoint(raw string) (*url.URL, error) {
	shown := ShowURL(raw)
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("endpoint %q is not a valid URL", shown)
	}
	if u.Scheme != "https" && u.Scheme != "http" {
		return nil, fmt.Errorf("endpoint %q must start with https:// (or http://)", shown)
	}
	if u.Host == "" || u.Hostname() == "" {
		return nil, fmt.Errorf("endpoint %q has no host", shown)
	}
	if u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return nil, fmt.Errorf("endpoint %q must not contain credentials, a query or a fragment", shown)
	}
	// Lower case, as Go's proxy bypass compares hosts: LOCALHOST is loopback.
	u.Host = strings.ToLower(u.Host)
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	if !strings.HasSuffix(u.Path, APIPrefix) {
		return nil, fmt.Errorf("endpoint %q must end with the API's version prefix %s (for example %s)", shown, APIPrefix, DefaultEndpoint)
	}
	return u, nil
}
