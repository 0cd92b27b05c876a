package provider

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sovera/terraform-provider-sovx/internal/sovx"
)

// The errors of a newcomer's first hour, from real failures through the
// client: each names the endpoint and the real cause and says the one thing
// to do; where no retry can help, none is made.
func TestFirstHourMessages(t *testing.T) {
	refused := func() string { // a port nothing listens on
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := l.Addr().String()
		_ = l.Close()
		return "http://" + addr + "/sovx/v1"
	}()
	tlsServer := httptest.NewTLSServer(http.NotFoundHandler())
	t.Cleanup(tlsServer.Close)
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte(`<html><title>Welcome to nginx!</title></html>`))
	}))
	t.Cleanup(other.Close)
	var dnsAttempts atomic.Int32
	unknownHost := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		dnsAttempts.Add(1)
		return nil, &net.OpError{Op: "dial", Net: "tcp", Err: &net.DNSError{Err: "no such host", Name: r.URL.Hostname(), IsNotFound: true}}
	})
	cases := map[string]struct {
		endpoint  string
		transport http.RoundTripper
		summary   string
		detail    []string
	}{
		"unknown host": {"https://api.sandbox.sovera.invalid/sovx/v1", unknownHost, "API host not found",
			[]string{"https://api.sandbox.sovera.invalid/sovx/v1", "its host name does not resolve", "Nothing was retried"}},
		"connection refused": {refused, nil, "API connection refused",
			[]string{refused, "nothing accepts connections at its host and port"}},
		"untrusted certificate": {tlsServer.URL + "/sovx/v1", nil, "The API's certificate is not trusted",
			[]string{tlsServer.URL + "/sovx/v1", "SSL_CERT_FILE"}},
		"another service answering 200": {other.URL + "/sovx/v1", nil, "Unexpected answer from the API",
			[]string{other.URL + "/sovx/v1 answered, but not like the SX Customer Webhooks API", "it begins: Welcome to nginx!"}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			client, err := sovx.NewClient(sovx.Config{Endpoint: tc.endpoint, Token: "t", MaxRetries: 2,
				RetryWaitMin: time.Millisecond, RetryWaitMax: time.Millisecond, BaseTransport: tc.transport})
			if err != nil {
				t.Fatal(err)
			}
			_, err = client.GetWebhook(context.Background(), "cus_1")
			d := apiErrorDiagnostic(`read the webhook of customer "cus_1"`, "", err)
			if d.Summary() != tc.summary {
				t.Errorf("summary %q, want %q (%v)", d.Summary(), tc.summary, err)
			}
			for _, w := range tc.detail {
				if !strings.Contains(d.Detail(), w) {
					t.Errorf("detail lacks %q:\n%s", w, d.Detail())
				}
			}
		})
	}
	if n := dnsAttempts.Load(); n != 1 {
		t.Errorf("an unknown host was tried %d times, want once", n)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
