package sovx_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/sovera/terraform-provider-sovx/internal/sovx"
	"github.com/sovera/terraform-provider-sovx/internal/sovxtest"
)

func TestRetries(t *testing.T) {
	cases := []struct {
		name         string
		fault        sovxtest.Fault
		wantAttempts int
		wantErr      bool
	}{
		{"503 twice then success", sovxtest.Fault{Status: 503, Times: 2}, 3, false},
		{"502 once", sovxtest.Fault{Status: 502, Times: 1}, 2, false},
		{"504 once", sovxtest.Fault{Status: 504, Times: 1}, 2, false},
		{"429 with Retry-After", sovxtest.Fault{Status: 429, Times: 1, RetryAfter: "0"}, 2, false},
		{"connection reset", sovxtest.Fault{Reset: true, Times: 1}, 2, false},
		{"persistent 500", sovxtest.Fault{Status: 500}, 4, true},
		{"501 not retried", sovxtest.Fault{Status: 501}, 1, true},
		{"400 not retried", sovxtest.Fault{Status: 400}, 1, true},
		{"401 not retried", sovxtest.Fault{Status: 401}, 1, true},
		{"403 not retried", sovxtest.Fault{Status: 403}, 1, true},
		{"404 not retried", sovxtest.Fault{Status: 404}, 1, true}, // and one endpoint check
		{"422 not retried", sovxtest.Fault{Status: 422}, 1, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			api := newAPI(t)
			api.SetWebhook("cus_1", sovxtest.Webhook{URL: "https://example.com"})
			api.InjectFault(tc.fault)
			_, err := newClient(t, api).GetWebhook(context.Background(), "cus_1")
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, want error: %v", err, tc.wantErr)
			}
			wantRequests := tc.wantAttempts
			if tc.fault.Status == http.StatusNotFound {
				wantRequests++ // the same request without the token: is the endpoint the API?
			}
			if got := api.CountRequests(http.MethodGet, "cus_1"); got != wantRequests {
				t.Errorf("the API got %d requests, want %d", got, wantRequests)
			}
			if apiErr, ok := sovx.AsAPIError(err); ok && apiErr.Attempts != tc.wantAttempts {
				t.Errorf("APIError.Attempts = %d, want %d", apiErr.Attempts, tc.wantAttempts)
			}
		})
	}
}

func TestRetryAfterIsHonouredUpToTheCap(t *testing.T) {
	api := newAPI(t)
	api.SetWebhook("cus_1", sovxtest.Webhook{URL: "https://example.com"})
	api.InjectFault(sovxtest.Fault{Status: 429, Times: 1, RetryAfter: "1"})
	c := newClient(t, api, func(cfg *sovx.Config) { cfg.RetryAfterMax = 300 * time.Millisecond })
	start := time.Now()
	if _, err := c.GetWebhook(context.Background(), "cus_1"); err != nil {
		t.Fatal(err)
	}
	// The server asked for 1s; the cap allows 300ms; plain backoff would be ~1ms.
	if d := time.Since(start); d < 250*time.Millisecond || d > 900*time.Millisecond {
		t.Errorf("retry waited %s, want about 300ms (Retry-After capped)", d)
	}
}

// Every call is safe to repeat, the POSTs included: configure overwrites and
// verify only sends a test payload. A reset mid-request is retried.
func TestPostsAreRetriedAfterAConnectionReset(t *testing.T) {
	api := newAPI(t)
	receiver := sovxtest.NewReceiver()
	defer receiver.Close()
	api.InjectFault(sovxtest.Fault{Method: "POST", Reset: true, Times: 1})
	api.InjectFault(sovxtest.Fault{Method: "VERIFY", Reset: true, Times: 1})
	c := newClient(t, api)
	if _, err := c.ConfigureWebhook(context.Background(), "cus_1", sovx.WebhookConfig{URL: receiver.URL}); err != nil {
		t.Fatal(err)
	}
	res, err := c.VerifyWebhook(context.Background(), "cus_1")
	if err != nil || !res.Succeeded {
		t.Fatalf("verify = %+v, %v", res, err)
	}
	if p, v := api.CountRequests("POST", "cus_1"), api.CountRequests("VERIFY", "cus_1"); p != 2 || v != 2 {
		t.Errorf("POST sent %d times, verify %d times; want 2 each (one reset, one retry)", p, v)
	}
}

func TestRequestTimeout(t *testing.T) {
	api := newAPI(t)
	api.InjectFault(sovxtest.Fault{Delay: 5 * time.Second})
	c := newClient(t, api, func(cfg *sovx.Config) { cfg.RequestTimeout = 50 * time.Millisecond; cfg.MaxRetries = 1 })
	start := time.Now()
	_, err := c.GetWebhook(context.Background(), "cus_1")
	var te *sovx.TransportError
	if !errors.As(err, &te) || !te.IsTimeout() || te.Attempts != 2 {
		t.Fatalf("err = %v, want a timeout after 2 attempts", err)
	}
	if !strings.Contains(err.Error(), "did not answer within the request timeout (50ms)") {
		t.Errorf("message %q does not explain the timeout", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("a hanging API held the client for %s", d)
	}
}

func TestContextCancellationStopsPromptly(t *testing.T) {
	api := newAPI(t)
	api.InjectFault(sovxtest.Fault{Delay: 10 * time.Second})
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := newClient(t, api).GetWebhook(ctx, "cus_1")
	var te *sovx.TransportError
	if !errors.As(err, &te) || !te.IsDeadline() || te.IsTimeout() || time.Since(start) > 2*time.Second {
		t.Fatalf("err = %v after %s, want a prompt stop at the caller's deadline", err, time.Since(start))
	}
	if !strings.Contains(err.Error(), "ran out of time") {
		t.Errorf("message %q does not say the operation ran out of time", err)
	}
}
