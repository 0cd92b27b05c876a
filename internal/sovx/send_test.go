package sovx_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sovera/terraform-provider-sovx/internal/sovx"
	"github.com/sovera/terraform-provider-sovx/internal/sovxtest"
)

// One loop decides every re-send: a refused write (429) waits as long as
// the API asked, on the clock, and goes again with the same body, however
// often, without using up the retries that a 5xx spends.
func TestRefusalsWaitAndAreNoRetries(t *testing.T) {
	api := sovxtest.NewServer(sovxtest.Options{Customers: []string{"cus_1"}})
	t.Cleanup(api.Close)
	api.InjectFault(sovxtest.Fault{Method: http.MethodPost, Status: http.StatusTooManyRequests, RetryAfter: "7", Times: 3})
	api.InjectFault(sovxtest.Fault{Method: http.MethodPost, Status: http.StatusBadGateway, Times: 1})
	clock := sovxtest.NewClock()
	c := newClient(t, api, func(cfg *sovx.Config) { cfg.Clock, cfg.MaxRetries, cfg.RetryAfterMax = clock, 1, time.Minute })
	start := clock.Now()
	if _, err := c.ConfigureWebhook(context.Background(), "cus_1", sovx.WebhookConfig{URL: "https://e.example/h"}); err != nil {
		t.Fatalf("three refusals and one 502 with one retry: %v", err)
	}
	if waited := clock.Now().Sub(start); waited < 21*time.Second {
		t.Errorf("waited %s on the clock for three Retry-After: 7, want at least 21s", waited)
	}
	reqs := api.Requests()
	if len(reqs) != 5 {
		t.Fatalf("%d requests, want 3 refused, 1 failed, 1 carried out", len(reqs))
	}
	for _, r := range reqs[1:] {
		if string(r.Body) != string(reqs[0].Body) {
			t.Errorf("a request went again with body %s, want %s", r.Body, reqs[0].Body)
		}
	}
}

// The endpoint check is never retried: a 5xx to it decides nothing, so the
// next 404 asks again (one request each time, not MaxRetries more).
func TestEndpointCheckIsNotRetried(t *testing.T) {
	var tokenless atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") == "" {
			tokenless.Add(1)
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		w.WriteHeader(http.StatusNotFound)
	}))
	t.Cleanup(srv.Close)
	c, err := sovx.NewClient(sovx.Config{Endpoint: srv.URL + "/sovx/v1", Token: "t", MaxRetries: 3,
		RetryWaitMin: time.Millisecond, RetryWaitMax: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if _, err := c.GetWebhook(context.Background(), "cus_1"); !sovx.IsWrongEndpoint(err) {
			t.Fatalf("GET: %v, want an undecided 404", err)
		}
	}
	if n := tokenless.Load(); n != 2 {
		t.Errorf("%d endpoint checks for two 404s, want 2 (one each, none retried)", n)
	}
}
