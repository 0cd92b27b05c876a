package webhook

import (
	"net/url"
	"strings"
	"testing"
)

// FuzzCheckURL: whatever CheckURL accepts, the API's own rule accepts too
// (absolute http or https with a host), so nothing valid at plan time is
// rejected by the API as an invalid URL.
func FuzzCheckURL(f *testing.F) {
	for _, s := range []string{"https://example.com/webhook/pin-notification", "http://127.0.0.1:8080/x", "ftp://x",
		"https:///x", "/relative", "", "http://[::1]/", "https://exa mple.com", "HTTPS://EXAMPLE.COM"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		warning, err := CheckURL(raw)
		if err != nil {
			if warning != "" {
				t.Fatal("an error and a warning at once")
			}
			return
		}
		u, perr := url.Parse(raw)
		if perr != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			t.Fatalf("CheckURL accepted %q, which the API rejects", raw)
		}
		if (warning != "") != (u.Scheme == "http" && !IsLoopback(u.Hostname())) {
			t.Fatalf("CheckURL(%q) warning = %q", raw, warning)
		}
	})
}

// FuzzHeaderRules: accepted names are exactly the API's key alphabet, and
// accepted values cannot split an HTTP header.
func FuzzHeaderRules(f *testing.F) {
	f.Add("X-API-Key", "Bearer token123")
	f.Add("x y", "a\r\nInjected: 1")
	f.Add("", "")
	f.Add("Ünïcode", "välue")
	f.Fuzz(func(t *testing.T, name, value string) {
		if CheckHeaderName(name) == nil {
			if name == "" || len(name) > MaxHeaderNameLength || strings.Trim(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") != "" {
				t.Fatalf("accepted header name %q", name)
			}
		}
		if CheckHeaderValue(value) == nil && strings.ContainsAny(value, "\r\n") {
			t.Fatalf("accepted header value %q", value)
		}
		if CheckCustomerID(name) == nil && (strings.ContainsAny(name, "/\\ \t\r\n") || name == "" || name == "..") {
			t.Fatalf("accepted customer id %q", name)
		}
	})
}

// FuzzReconcile checks the masked-read merge against its rules for any held
// and remote header sets (names from a small alphabet so they collide).
func FuzzReconcile(f *testing.F) {
	f.Add("Auth,X-Key", "auth,X-New", "s1,s2", false)
	f.Add("", "A", "", true)
	f.Add("A,a", "A", "v,w", false)
	f.Fuzz(func(t *testing.T, heldNames, remoteNames, valuesByName string, heldNull bool) {
		var held map[string]*string
		if !heldNull {
			held = map[string]*string{}
			values := strings.Split(valuesByName, ",")
			for i, n := range strings.Split(heldNames, ",") {
				if n == "" {
					continue
				}
				if i < len(values) && values[i] != "" {
					v := values[i]
					held[n] = &v
				} else {
					held[n] = nil
				}
			}
		}
		var remote []string
		for _, n := range strings.Split(remoteNames, ",") {
			if n != "" {
				remote = append(remote, n)
			}
		}
		out := Reconcile(held, remote)
		if len(remote) == 0 && (out == nil) != (held == nil) {
			t.Fatalf("null-ness changed: held %v, out %v", held, out)
		}
		for name, v := range out {
			// Every output header is one the API has.
			found := false
			for _, r := range remote {
				found = found || strings.EqualFold(r, name)
			}
			if !found {
				t.Fatalf("%q is in the result but not in the API", name)
			}
			// A held header keeps its held value; a new one has none.
			if hv, ok := held[name]; ok {
				if (hv == nil) != (v == nil) || hv != nil && *hv != *v {
					t.Fatalf("%q changed from %v to %v on a read", name, hv, v)
				}
			} else if v != nil {
				t.Fatalf("new header %q got the value %q: values never come from a read", name, *v)
			}
		}
		// Every API header (first of each case-fold) is in the result.
		for _, r := range remote {
			if _, _, ok := lookupFold(out, r); !ok {
				t.Fatalf("API header %q missing from the result", r)
			}
		}
	})
}

// FuzzSameURL: SameURL is an equivalence (reflexive, symmetric), a URL is
// the same as its normal form, and normalizing twice changes nothing more;
// lower-casing a host never makes a different URL.
func FuzzSameURL(f *testing.F) {
	for _, s := range []string{"https://example.com/webhook/pin-notification", "HTTP://LocalHost:80/a/./b/../c?x=%7e#f",
		"https://bücher.example", "http://[::1]:8080/%2f", "https://user@h/p?", "https://h:443"} {
		f.Add(s, s)
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		if _, err := CheckURL(a); err != nil {
			return
		}
		if !SameURL(a, a) || SameURL(a, b) != SameURL(b, a) {
			t.Fatalf("SameURL is not an equivalence on %q, %q", a, b)
		}
		n, err := NormalizeURL(a)
		if err != nil {
			return
		}
		if !SameURL(a, n) {
			t.Fatalf("%q is not the same as its normal form %q", a, n)
		}
		if n2, err := NormalizeURL(n); err != nil || n2 != n {
			t.Fatalf("normalizing %q twice: %q then %q (%v)", a, n, n2, err)
		}
		if lower, ok := lowerCaseHost(a); ok && !SameURL(a, lower) {
			t.Fatalf("lower-casing the host of %q made %q, another URL", a, lower)
		}
	})
}

// lowerCaseHost lower-cases the host where it stands in raw, not the first
// text that looks like it: in "http://A@A" the first "A" is the user.
func lowerCaseHost(raw string) (string, bool) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "", false
	}
	start := strings.Index(raw, "//") + 2
	authority := raw[start:]
	if end := strings.IndexAny(authority, "/?#"); end >= 0 {
		authority = authority[:end]
	}
	hostAt := start + strings.LastIndex(authority, "@") + 1
	if !strings.HasPrefix(raw[hostAt:], u.Host) {
		return "", false // written with escapes the parser removed
	}
	return raw[:hostAt] + strings.ToLower(u.Host) + raw[hostAt+len(u.Host):], true
}

// FuzzReadRESTAPIObject: any state either fails or yields a valid customer
// id, a URL and header names that are valid and unique ignoring case.
func FuzzReadRESTAPIObject(f *testing.F) {
	for _, s := range []string{`{"path":"/customers/cus_1/webhooks","data":"{\"url\":\"https://e.com\"}"}`,
		`{"path":"/sovx/v1/customers/{id}/webhooks","id":"c","data":"{\"data\":{\"url\":\"u\",\"headers\":[{\"key\":\"K\"}]}}"}`,
		`{}`, `null`, `[]`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, state []byte) {
		got, err := ReadRESTAPIObject(state)
		if err != nil {
			return
		}
		if CheckCustomerID(got.CustomerID) != nil || got.URL == "" || len(DuplicateNames(got.HeaderNames)) > 0 {
			t.Fatalf("%+v from %s", got, state)
		}
		for _, n := range got.HeaderNames {
			if !HeaderNamePattern.MatchString(n) {
				t.Fatalf("header name %q from %s", n, state)
			}
		}
	})
}
