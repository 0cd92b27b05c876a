package webhook

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"regexp"
	"sort"
	"strings"

	"github.com/sovera/terraform-provider-sovx/internal/sovx"
)

// HeaderNamePattern is what the API accepts as a header key.
var HeaderNamePattern = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

// Length caps: far above any real customer id or header name, low enough
// that a mistake (a file's content, a pasted token) fails at plan time.
const (
	MaxCustomerIDLength = 128
	MaxHeaderNameLength = 128
)

// CheckCustomerID rejects ids that cannot address one customer safely.
func CheckCustomerID(id string) error {
	switch {
	case id == "":
		return fmt.Errorf("must not be empty")
	case len(id) > MaxCustomerIDLength:
		return fmt.Errorf("is %d characters long; a customer id has at most %d", len(id), MaxCustomerIDLength)
	case id == "." || id == "..":
		return fmt.Errorf("must not be %q", id)
	case strings.ContainsAny(id, "/\\"):
		return fmt.Errorf("must not contain a slash; use the customer's id, for example cus_123")
	case strings.IndexFunc(id, breaksCustomerID) >= 0:
		return fmt.Errorf("must not contain whitespace or control characters")
	}
	return nil
}

func breaksCustomerID(r rune) bool { return r <= ' ' || r == 0x7f || r == 0x85 || r == 0xa0 }

// CheckURL validates a webhook URL. It returns a warning (not an error) for
// plain http to a non-loopback host: header values would travel in clear text.
func CheckURL(raw string) (warning string, err error) {
	if raw == "" {
		return "", fmt.Errorf("must not be empty; set an absolute https:// URL")
	}
	if strings.TrimSpace(raw) != raw {
		return "", fmt.Errorf("must not start or end with whitespace")
	}
	u, perr := url.Parse(raw)
	if perr != nil {
		// url.Error quotes the URL, which may hold a secret: its cause alone.
		var quoting *url.Error
		if errors.As(perr, &quoting) {
			perr = quoting.Err
		}
		return "", fmt.Errorf("is not a valid URL: %w", perr)
	}
	switch {
	case !u.IsAbs():
		return "", fmt.Errorf("must be an absolute URL starting with https:// (or http://), got a relative one")
	case u.Scheme != "https" && u.Scheme != "http":
		return "", fmt.Errorf("must use https:// (or http://), not %s://", u.Scheme)
	case u.Hostname() == "":
		return "", fmt.Errorf("must include a host, for example https://example.com/webhook/pin-notification")
	}
	if u.Scheme == "http" && !IsLoopback(u.Hostname()) {
		return "The URL uses plain http: the webhook's headers (credentials) will travel unencrypted. Use https:// unless this endpoint is on a trusted network.", nil
	}
	return "", nil
}

// IsLoopback reports "localhost" and loopback addresses. Other names (api.localhost included) may resolve anywhere,
// and a proxy resolves them itself: a request to them may cross the network.
func IsLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// CheckHeaderName rejects what the API does not take as a header key, with
// the rule; it quotes at most the start of the name.
func CheckHeaderName(name string) error {
	switch {
	case !HeaderNamePattern.MatchString(name):
		return fmt.Errorf("header name %q may hold only letters, digits, hyphens and underscores (the API's rule for "+
			"a header key), for example \"X-API-Key\". Rename it", sovx.Shown(name, 200))
	case len(name) > MaxHeaderNameLength:
		return fmt.Errorf("header name %q… is %d characters long; at most %d. Shorten it", name[:40], len(name),
			MaxHeaderNameLength)
	}
	return nil
}

// CheckHeaderValue rejects values that cannot travel in an HTTP header: line breaks (which would split it) and other
// control characters such as NUL; a tab is allowed. It never echoes the value: header values are secrets.
func CheckHeaderValue(v string) error {
	if strings.ContainsAny(v, "\r\n") {
		return fmt.Errorf("must not contain carriage returns or line feeds (CR/LF)")
	}
	if i := strings.IndexFunc(v, func(r rune) bool { return r < ' ' && r != '\t' || r == 0x7f }); i >= 0 {
		return fmt.Errorf("must not contain control characters (found U+%04X at byte %d)", v[i], i)
	}
	return nil
}

// DuplicateNames returns the groups of names that are equal ignoring case
// (HTTP header names are case-insensitive), each group sorted.
func DuplicateNames(names []string) [][]string {
	groups := map[string][]string{}
	for _, n := range names {
		groups[strings.ToLower(n)] = append(groups[strings.ToLower(n)], n)
	}
	var dups [][]string
	for _, g := range groups {
		if len(g) > 1 {
			sort.Strings(g)
			dups = append(dups, g)
		}
	}
	sort.Slice(dups, func(i, j int) bool { return dups[i][0] < dups[j][0] })
	return dups
}

// LooksLikeOurs reports whether a webhook the API already has is the one a create is about to write, as far as a read
// can tell (the same URL once normalized, the same header names ignoring case; values are masked): what a create that
// the API carried out leaves behind when Terraform could not record it.
func LooksLikeOurs(remote []string, remoteURL, url string, names []string) bool {
	if !SameURL(remoteURL, url) || len(remote) != len(names) {
		return false
	}
	want := make(map[string]bool, len(names))
	for _, n := range names {
		want[strings.ToLower(n)] = true
	}
	for _, name := range remote {
		if !want[strings.ToLower(name)] {
			return false
		}
		delete(want, strings.ToLower(name))
	}
	return len(want) == 0
}
