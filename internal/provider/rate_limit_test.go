package provider

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/sovera/terraform-provider-sovx/internal/sovxtest"
)

// fleetConfig is n webhooks, cus_0..cus_<n-1>.
func fleetConfig(api *sovxtest.Server, n int) string {
	return providerBlock(api) + fmt.Sprintf(`
resource "sovx_customer_webhook" "fleet" {
  count       = %d
  customer_id = "cus_${count.index}"
  url         = "https://example.com/hooks/${count.index}"
  headers     = { "X-API-Key" = { value = "key-${count.index}" } }
  verify      = false
}
`, n)
}

// A fleet against an API that rate-limits completes: every webhook is
// created, refreshed and destroyed, whether the API announces its limit
// on every answer (the provider paces itself under it, for a token bucket or
// fixed windows), only on its 429s, or only answers 429 with Retry-After
// (the provider learns the pace from the 429s). plugin-testing's own plan
// after the apply checks that the refresh finds nothing to change.
func TestAccRateLimit_fleetCompletes(t *testing.T) {
	followsAnnouncedLimit := func(api *sovxtest.Server) error {
		if total, throttled := len(api.Requests()), api.Throttled(); throttled*10 > int64(total) {
			return fmt.Errorf("%d of %d requests were answered 429: the announced limit was not followed", throttled, total)
		}
		return nil
	}
	refusedSome := func(api *sovxtest.Server) error {
		if api.Throttled() == 0 {
			return fmt.Errorf("the API never answered 429: the case proves nothing")
		}
		return nil
	}
	cases := map[string]struct {
		limit sovxtest.RateLimit
		check func(api *sovxtest.Server) error
	}{
		"limit announced":        {limit: sovxtest.RateLimit{PerSecond: 25, Burst: 3}, check: followsAnnouncedLimit},
		"fixed windows":          {limit: sovxtest.RateLimit{PerSecond: 25, Window: true}, check: followsAnnouncedLimit},
		"limit on refusals only": {limit: sovxtest.RateLimit{PerSecond: 25, Burst: 3, Announce: sovxtest.OnRefusalsOnly}, check: refusedSome},
		"only Retry-After":       {limit: sovxtest.RateLimit{PerSecond: 25, Burst: 3, Announce: sovxtest.RetryAfterOnly}, check: refusedSome},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			const n = 20
			customers := make([]string, n)
			for i := range customers {
				customers[i] = fmt.Sprintf("cus_%d", i)
			}
			api := newFakeAPI(t, customers...)
			api.SetRateLimit(tc.limit)
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testFactories(),
				CheckDestroy: checkAPI(func() error {
					for _, id := range customers {
						if _, ok := api.Webhook(id); ok {
							return fmt.Errorf("%s still has a webhook after destroy", id)
						}
					}
					return nil
				}),
				Steps: []resource.TestStep{
					{
						Config: fleetConfig(api, n),
						Check: resource.ComposeTestCheckFunc(
							checkAPI(func() error {
								for i, id := range customers {
									w, ok := api.Webhook(id)
									if !ok || w.URL != fmt.Sprintf("https://example.com/hooks/%d", i) || w.Headers[0].Value != fmt.Sprintf("key-%d", i) {
										return fmt.Errorf("%s: stored %+v", id, w)
									}
								}
								return nil
							}),
							checkAPI(func() error { return tc.check(api) }),
						),
					},
				},
			})
		})
	}
}

// A 429 storm that outlasts the create timeout fails with a message that
// says so and what to do; nothing is left half-done.
func TestAccRateLimit_stormLongerThanTimeoutFails(t *testing.T) {
	api := newFakeAPI(t, "cus_1")
	api.InjectFault(sovxtest.Fault{Method: http.MethodGet, Status: http.StatusTooManyRequests, RetryAfter: "1"})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{{
			Config: webhookConfig(api, "cus_1", `  url = "https://example.com/hook"
  timeouts {
    create = "3s"
  }`),
			ExpectError: errorMatching(`API kept rate limiting requests.*answered 429.*for [23]s.*max_requests_per_second.*timeouts \{ create = "15m" \}`),
		}},
	})
	if n := api.CountRequests(http.MethodGet, "cus_1"); n < 2 || n > 5 {
		t.Errorf("the API got %d GETs in a 3s storm with Retry-After: 1, want 2 to 5", n)
	}
	if api.CountWrites() != 0 {
		t.Errorf("a create that never got past the existence check sent %d write(s)", api.CountWrites())
	}
}

// Retry-After as an HTTP date is honoured, end to end.
func TestAccRateLimit_retryAfterAsHTTPDate(t *testing.T) {
	api := newFakeAPI(t, "cus_1")
	var injected time.Time
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{{
			PreConfig: func() {
				injected = time.Now()
				api.InjectFault(sovxtest.Fault{Method: http.MethodPost, Status: http.StatusTooManyRequests, Times: 1,
					RetryAfter: injected.Add(2 * time.Second).UTC().Format(http.TimeFormat)})
			},
			Config: webhookConfig(api, "cus_1", `  url = "https://example.com/hook"
  verify = false`),
			Check: resource.ComposeTestCheckFunc(
				expectCount(api, http.MethodPost, 2),
				expectStored(api, "cus_1", sovxtest.Webhook{URL: "https://example.com/hook", Headers: []sovxtest.Header{}}),
				checkAPI(func() error {
					// The date has whole seconds: the resend came at least a second after the 429.
					if waited := time.Since(injected); waited < time.Second {
						return fmt.Errorf("the apply finished %s after the 429 that asked to wait ~2s", waited)
					}
					return nil
				}),
			),
		}},
	})
}

// Headers no server should send pace nothing: every answer announcing
// 0.001 requests a second (or NaN, Inf, 1e308, a negative limit) with no
// room left, a Reset a day away, is no announcement at all. Four webhooks
// are created, refreshed and destroyed promptly, with no failure.
func TestAccRateLimit_hostileHeadersStallNothing(t *testing.T) {
	for _, limit := range []string{"0.001", "NaN", "+Inf", "1e308", "-5"} {
		t.Run(limit, func(t *testing.T) {
			api := newFakeAPI(t, "cus_0", "cus_1", "cus_2", "cus_3")
			api.SetAnswerHeaders(http.Header{"X-Ratelimit-Limit": {limit}, "X-Ratelimit-Remaining": {"0"},
				"X-Ratelimit-Reset": {"86400"}})
			start := time.Now()
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testFactories(),
				Steps:                    []resource.TestStep{{Config: fleetConfig(api, 4)}},
			})
			// About a second here; 0.001 a second heeded took 17 s.
			if took := time.Since(start); took > 8*time.Second {
				t.Errorf("four webhooks took %s against hostile rate-limit headers", took.Round(time.Second))
			}
		})
	}
}
