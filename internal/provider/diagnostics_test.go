package provider

import (
	"context"
	"errors"
	"net"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sovera/terraform-provider-sovx/internal/sovx"
	"github.com/sovera/terraform-provider-sovx/internal/sovxtest"
)

// Each kind of failure gets a summary that names it and advice that says
// what to do, never advice meant for another kind.
func TestAPIErrorDiagnosticSaysWhatToDo(t *testing.T) {
	cases := map[string]struct {
		err          error
		timeoutKey   string
		wantSummary  string
		wantDetail   []string
		unwantDetail []string
	}{
		"rejected token": {
			err:         &sovx.APIError{Op: sovx.OpGet, StatusCode: 401, RouteConfirmed: true, Message: "nope"},
			wantSummary: "API token invalid or expired", wantDetail: []string{"SOVX_TOKEN"},
		},
		"rejected token, in a body that is not the API's envelope": {
			err:         &sovx.APIError{Op: sovx.OpGet, StatusCode: 401, RouteConfirmed: false, Message: "Unauthorized"},
			wantSummary: "API token invalid or expired", wantDetail: []string{"SOVX_TOKEN"},
			unwantDetail: []string{"endpoint is probably wrong"},
		},
		"forbidden": {
			err:         &sovx.APIError{Op: sovx.OpConfigure, StatusCode: 403, RouteConfirmed: true, Message: "nope"},
			wantSummary: "API token lacks permission", wantDetail: []string{"does not let it do this"},
			unwantDetail: []string{"invalid or expired"},
		},
		"Ctrl-C": {
			err:         &sovx.TransportError{Method: "POST", Path: "/p", Attempts: 1, Err: context.Canceled, ContextErr: context.Canceled},
			wantSummary: "Cancelled", wantDetail: []string{"interrupted"},
			unwantDetail: []string{"network", "endpoint"},
		},
		"out of time in an update": {
			err: &sovx.TransportError{Method: "PUT", Path: "/p", Attempts: 3, Err: context.DeadlineExceeded,
				ContextErr: context.DeadlineExceeded},
			timeoutKey:  "update",
			wantSummary: "The operation ran out of time", wantDetail: []string{`"update" timeout`, `timeouts { update = "10m" }`},
			unwantDetail: []string{"create"},
		},
		"a 404 that is not the API's": {
			err: &sovx.APIError{Op: sovx.OpGet, StatusCode: 404, RouteConfirmed: false, Message: "404 Not Found",
				Endpoint: "https://gateway.example/sovx/v1"},
			wantSummary: "did not answer like the SX Customer Webhooks API",
			wantDetail:  []string{"https://gateway.example/sovx/v1", "endpoint is probably wrong", "state was left as it was"},
		},
		"rate limited until the deadline": {
			err: &sovx.APIError{Op: sovx.OpConfigure, StatusCode: 429, RouteConfirmed: true, Message: "kept rate limiting",
				RateLimitedFor: 4*time.Minute + 58*time.Second},
			timeoutKey:  "create",
			wantSummary: "The API kept rate limiting requests",
			wantDetail:  []string{"4m58s", "max_requests_per_second", `timeouts { create = "15m" }`},
		},
		"proxy refused": {
			err: &sovx.TransportError{Method: "GET", Path: "/p", Attempts: 1, Endpoint: "https://api.example/sovx/v1",
				Proxy: "http://(sensitive value)@proxy.example:3128",
				Err:   &net.OpError{Op: "proxyconnect", Net: "tcp", Err: syscall.ECONNREFUSED}},
			wantSummary:  "Could not reach the proxy",
			wantDetail:   []string{"http://(sensitive value)@proxy.example:3128", "HTTPS_PROXY", "NO_PROXY"},
			unwantDetail: []string{"nothing accepts connections"},
		},
		"501, not retried": {
			err:         &sovx.APIError{Op: sovx.OpConfigure, StatusCode: 501, Attempts: 1, Endpoint: "https://gw.example/sovx/v1"},
			wantSummary: "does not implement", wantDetail: []string{"https://gw.example/sovx/v1", "SOVX_ENDPOINT"},
			unwantDetail: []string{"Retries", "sent", "trace id"},
		},
		"500 after retries, with a trace id": {
			err:         &sovx.APIError{Op: sovx.OpConfigure, StatusCode: 500, Attempts: 5, TraceID: "tr-1"},
			wantSummary: "server error", wantDetail: []string{"sent 5 times", "trace id (tr-1)"},
		},
		"500 once, no trace id": {
			err:          &sovx.APIError{Op: sovx.OpConfigure, StatusCode: 500, Attempts: 1},
			wantSummary:  "server error",
			unwantDetail: []string{"times", "trace id"},
		},
		"502 from a gateway": {
			err:         &sovx.APIError{Op: sovx.OpGet, StatusCode: 502, Attempts: 5, Endpoint: "https://gw.example/sovx/v1"},
			wantSummary: "server error", wantDetail: []string{"gateway or proxy", "https://gw.example/sovx/v1", "SOVX_ENDPOINT"},
		},
		"customer missing on POST": {
			err:         &sovx.APIError{Op: sovx.OpConfigure, StatusCode: 404, RouteConfirmed: true, Message: "Not Found"},
			wantSummary: "Customer not found", wantDetail: []string{"customer_id"},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			d := apiErrorDiagnostic("do the thing", tc.timeoutKey, tc.err)
			if !strings.Contains(d.Summary(), tc.wantSummary) {
				t.Errorf("summary %q, want %q", d.Summary(), tc.wantSummary)
			}
			for _, w := range tc.wantDetail {
				if !strings.Contains(d.Detail(), w) {
					t.Errorf("detail lacks %q:\n%s", w, d.Detail())
				}
			}
			for _, w := range tc.unwantDetail {
				if strings.Contains(d.Detail(), w) {
					t.Errorf("detail says %q, advice for another failure:\n%s", w, d.Detail())
				}
			}
		})
	}
	if !errors.Is(&sovx.TransportError{Err: context.Canceled}, context.Canceled) {
		t.Error("a TransportError does not unwrap to its cause")
	}
}

// A verify call that fails is a test that could not run, and says why.
func TestFailedVerifyCallIsAnError(t *testing.T) {
	api := sovxtest.NewServer(sovxtest.Options{Customers: []string{"cus_1"}})
	defer api.Close()
	api.SetWebhook("cus_1", sovxtest.Webhook{URL: "https://example.com/hook"})
	api.InjectFault(sovxtest.Fault{Method: "VERIFY", Status: 500})
	cfg := sovx.Config{Endpoint: api.URL, Token: api.Token, MaxRetries: 0}
	client, err := sovx.NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	outcome, diags := runTest(context.Background(), client, verifyRun{customerID: "cus_1", timeoutKey: "create"})
	if outcome != testNotRun || !diags.HasError() || !strings.Contains(diags[0].Summary(), "could not run") ||
		!strings.Contains(diags[0].Summary(), "server error") {
		t.Fatalf("diagnostics = %v, want the server error", diags)
	}
}
