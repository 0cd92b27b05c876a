package sovx

import (
	"errors"
	"net"
	"strings"
	"syscall"
	"testing"
)

func TestShowURL(t *testing.T) {
	for raw, want := range map[string]string{
		"https://example.com/hook":                                     "https://example.com/hook",
		"https://user:pass@example.com/hook":                           "https://(sensitive value)@example.com/hook",
		"https://a@b:c@example.com:8443/hook":                          "https://(sensitive value)@example.com:8443/hook",
		"https://example.com/hook?token=abc&x=1":                       "https://example.com/hook?(sensitive value)",
		"https://example.com/hook#frag":                                "https://example.com/hook#(sensitive value)",
		"https://u:p@example.com/h?t=1#f":                              "https://(sensitive value)@example.com/h?(sensitive value)#(sensitive value)",
		"https://example.com/hook?":                                    "https://example.com/hook?(sensitive value)",
		"https://u:p@bad host/%zz?t=secret":                            "https://(sensitive value)@bad host/%zz?(sensitive value)",
		"https://example.com/a@b/c":                                    "https://example.com/a@b/c",
		"not a url ?token=x":                                           "not a url ?(sensitive value)",
		"https://(sensitive value)@example.com/hook?(sensitive value)": "https://(sensitive value)@example.com/hook?(sensitive value)",
		"https://example.com/hooks.slack/services/T0/B0/X":             "https://example.com/hooks.slack/services/T0/B0/X",
	} {
		if got := ShowURL(raw); got != want {
			t.Errorf("ShowURL(%q) = %q, want %q", raw, got, want)
		}
	}
}

// An API that quotes a URL, one the client knows or not, in any text.
func TestRedactShowsEveryURLWithoutItsSecrets(t *testing.T) {
	var none Redactor
	for text, want := range map[string]string{
		"Webhook test failed: could not reach https://u:pw-123@h.example/p?token=tk-456.": "Webhook test failed: could not reach https://(sensitive value)@h.example/p?(sensitive value)",
		`{"error":"bad url https:\/\/u:pw-123@h.example\/p?token=tk-456"}`:                `{"error":"bad url https://(sensitive value)@h.example/p?(sensitive value)"}`,
		"two: http://a.example/x?k=tk-456 and https://b.example/#pw-123 end":              "two: http://a.example/x?(sensitive value) and https://b.example/#(sensitive value) end",
		"no url here": "no url here",
	} {
		if got := none.Redact(text); got != want {
			t.Errorf("Redact(%q) = %q, want %q", text, got, want)
		}
	}
	// A known URL's secrets are hidden in the forms a URL pattern misses too.
	known := NewRedactor("", WebhookConfig{URL: "https://user:pw-12345@h.example/p?token=tk-456789&v=1"}.Secrets()...)
	for _, quote := range []string{"tk-456789", "https%3A%2F%2Fuser%3Apw-12345%40h.example%2Fp%3Ftoken%3Dtk-456789", "pw-12345 alone"} {
		if got := known.Redact(quote); strings.Contains(got, "tk-456789") || strings.Contains(got, "pw-12345") {
			t.Errorf("Redact(%q) = %q: a secret part of the known URL is left", quote, got)
		}
	}
	if got := known.Redact("after 1 attempt"); got != "after 1 attempt" {
		t.Errorf("a query value shorter than %d characters is no secret: %q", shortSecret, got)
	}
}

func TestUnreachableProxyIsNamedAsTheProxy(t *testing.T) {
	e := &TransportError{Err: &net.OpError{Op: "proxyconnect", Net: "tcp", Err: syscall.ECONNREFUSED}}
	if e.Cause() != CauseProxy {
		t.Errorf("cause = %v, want CauseProxy (not a refused connection to the endpoint)", e.Cause())
	}
	if (&TransportError{Err: syscall.ECONNREFUSED}).Cause() != CauseRefused {
		t.Error("a refused connection without a proxy is CauseRefused")
	}
	if errors.Is(e, syscall.ECONNREFUSED) != true {
		t.Error("the cause stays in the chain")
	}
}
