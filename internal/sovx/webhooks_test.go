package sovx_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sovera/terraform-provider-sovx/internal/sovx"
	"github.com/sovera/terraform-provider-sovx/internal/sovxtest"
)

// A create's existence check takes a JSON 404 as "no webhook" without
// asking, asks about any other 404 (the API's answers 401 without a
// token), and returns the errors the create would meet: a customer the
// answer says is missing, an endpoint that is not the API.
func TestExistingWebhookFailsWhereTheCreateWould(t *testing.T) {
	cases := []struct {
		name, contentType, body string
		isAPI                   bool
		asks                    int32
		want                    func(error) bool
	}{
		{"JSON 404", "application/json", `{"message":"Not Found"}`, true, 0, isNil},
		{"the API's page", "text/html", "<title>Not Found</title>", true, 1, isNil},
		{"a gateway's page", "text/html", "<title>404 Not Found</title>", false, 1, sovx.IsWrongEndpoint},
		{"a gateway's text", "text/plain", "404 page not found", false, 1, sovx.IsWrongEndpoint},
		{"customer code", "application/json", `{"error":{"code":"CUSTOMER_NOT_FOUND"}}`, true, 0, sovx.IsCustomerNotFound},
		{"customer words", "application/json", `{"message":"No customer exists with this id"}`, true, 0, sovx.IsCustomerNotFound},
		{"words that do not tell", "application/json", `{"message":"customer cus_1: nothing configured"}`, true, 0, isNil},
		{"words that name the customer", "application/json", `{"message":"Nothing is configured for this customer yet"}`, true, 0, isNil},
		{"words that blame it", "application/json", `{"code":"NOT_FOUND","message":"Unknown customer"}`, true, 0, sovx.IsCustomerNotFound},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var asked atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Header.Get("Authorization") == "" {
					asked.Add(1)
					if tc.isAPI {
						w.WriteHeader(http.StatusUnauthorized)
						return
					}
				}
				w.Header().Set("Content-Type", tc.contentType)
				w.WriteHeader(http.StatusNotFound)
				_, _ = w.Write([]byte(tc.body))
			}))
			t.Cleanup(srv.Close)
			c, err := sovx.NewClient(sovx.Config{Endpoint: srv.URL + "/sovx/v1", Token: "t", MaxRetries: 0})
			if err != nil {
				t.Fatal(err)
			}
			got, err := c.ExistingWebhook(context.Background(), "cus_1")
			if got != nil || !tc.want(err) || asked.Load() != tc.asks {
				t.Errorf("ExistingWebhook = %v, %v after %d tokenless request(s); want %d", got, err, asked.Load(), tc.asks)
			}
		})
	}
}

func isNil(err error) bool { return err == nil }

// A receiver coming up after 15 s passes with a wait: tests at 0, 1, 3, 7
// and 15 s on the virtual clock, each failure logged at DEBUG.
func TestVerifyWebhookWithinTestsAgainUntilItPasses(t *testing.T) {
	api, hook, clock := receiverAPI(t)
	hook.DownFor(clock, 15*time.Second, http.StatusServiceUnavailable)
	logs := &recordingLogger{}
	c := newClient(t, api, func(cfg *sovx.Config) { cfg.Clock, cfg.Logger = clock, logs })
	start := clock.Now()
	r, err := c.VerifyWebhookWithin(context.Background(), "cus_1", time.Minute)
	if err != nil || !r.Succeeded {
		t.Fatalf("VerifyWebhookWithin = %+v, %v; want a passed test", r, err)
	}
	if n, waited := api.CountRequests("VERIFY", "cus_1"), clock.Now().Sub(start); n != 5 || waited != 15*time.Second {
		t.Errorf("%d tests over %s, want 5 over 15s", n, waited)
	}
	if n := logs.count(sovx.LevelDebug, "sovx webhook test failed"); n != 4 {
		t.Errorf("%d failed tests logged at DEBUG, want 4", n)
	}
}

// Without a wait the test runs once; with one, never past the operation's
// deadline: the last failed result comes back, not a context error.
func TestVerifyWebhookWithinStopsAtTheWaitAndTheDeadline(t *testing.T) {
	for name, tc := range map[string]struct {
		wait     time.Duration
		deadline time.Duration
		tests    int
	}{
		"no wait":            {0, time.Minute, 1},
		"wait of 2s":         {2 * time.Second, time.Minute, 3}, // at 0, 1 and 2 s
		"deadline before it": {time.Hour, 500 * time.Millisecond, 1},
	} {
		t.Run(name, func(t *testing.T) {
			api, hook, clock := receiverAPI(t)
			hook.Answer(http.StatusServiceUnavailable, `{}`)
			c := newClient(t, api, func(cfg *sovx.Config) { cfg.Clock = clock })
			ctx, cancel := context.WithTimeout(context.Background(), tc.deadline)
			defer cancel()
			r, err := c.VerifyWebhookWithin(ctx, "cus_1", tc.wait)
			want := tc.tests
			if err != nil || r.Succeeded || api.CountRequests("VERIFY", "cus_1") != want {
				t.Errorf("= %+v, %v after %d test(s); want a failed result after %d", r, err, api.CountRequests("VERIFY", "cus_1"), want)
			}
		})
	}
}

// receiverAPI is a fake API whose cus_1 webhook points at a receiver, and
// a virtual clock.
func receiverAPI(t *testing.T) (*sovxtest.Server, *sovxtest.Receiver, *sovxtest.Clock) {
	t.Helper()
	api := sovxtest.NewServer(sovxtest.Options{})
	t.Cleanup(api.Close)
	hook := sovxtest.NewReceiver()
	t.Cleanup(hook.Close)
	api.SetWebhook("cus_1", sovxtest.Webhook{URL: hook.URL})
	return api, hook, sovxtest.NewClock()
}

// Field-level details are read in each common shape, as "field: reason",
// and the value a server quotes back beside them is never read.
func TestErrorDetailsNeverShowTheValue(t *testing.T) {
	for _, body := range []string{
		`{"errors":[{"type":"field","msg":"must be https","path":"url","location":"body","value":"quoted-VALUE-9"}]}`,
		`{"error":{"details":[{"field":"url","message":"must be https","value":"quoted-VALUE-9"}]}}`,
		`{"invalid-params":[{"name":"url","reason":"must be https","value":"quoted-VALUE-9"}]}`,
		`{"errors":{"url":["must be https"]},"input":{"url":"quoted-VALUE-9"}}`,
		`{"detail":[{"loc":["body","url"],"msg":"must be https","input":"quoted-VALUE-9"}]}`,
	} {
		c := apiAnswering(t, http.StatusUnprocessableEntity, "application/json", body)
		_, err := c.ConfigureWebhook(context.Background(), "cus_1", sovx.WebhookConfig{URL: "http://e.example"})
		e, ok := sovx.AsAPIError(err)
		if !ok || len(e.Details) != 1 || !strings.HasSuffix(e.Details[0], "must be https") || strings.Contains(err.Error(), "quoted-VALUE-9") {
			t.Errorf("%s: %v (details %q), want the field's reason and no value", body, err, e.Details)
		}
	}
}
