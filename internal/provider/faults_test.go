package provider

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/sovera/terraform-provider-sovx/internal/sovxtest"
)

// Transient faults on every call of a create and a refresh are survived:
// the apply succeeds, the API holds the configuration, the state is right.
func TestAccFaults_transientErrorsAreSurvived(t *testing.T) {
	faults := map[string]sovxtest.Fault{
		"502 burst":              {Status: http.StatusBadGateway, Times: 3},
		"503 burst":              {Status: http.StatusServiceUnavailable, Times: 3},
		"504 burst":              {Status: http.StatusGatewayTimeout, Times: 3},
		"429 with Retry-After":   {Status: http.StatusTooManyRequests, Times: 2, RetryAfter: "1"},
		"503 with Retry-After":   {Status: http.StatusServiceUnavailable, Times: 1, RetryAfter: "1"},
		"connection reset":       {Reset: true, Times: 2},
		"slow answers (latency)": {Status: http.StatusServiceUnavailable, Times: 1, Delay: 300 * time.Millisecond},
		"garbage 500 (not JSON)": {Status: http.StatusInternalServerError, Times: 2, Body: "<html>oops</html>", ContentType: "text/html"},
	}
	for name, fault := range faults {
		t.Run(name, func(t *testing.T) {
			api := newFakeAPI(t, "cus_1")
			hook := newReceiver(t)
			// Each step (and the destroy after the last) meets the fault
			// afresh on every kind of call it makes.
			injectOnEveryKind := func() {
				api.ClearFaults()
				for _, method := range []string{http.MethodGet, http.MethodPost, http.MethodPut, "VERIFY", http.MethodDelete} {
					f := fault
					f.Method = method
					api.InjectFault(f)
				}
			}
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testFactories(),
				CheckDestroy: resource.ComposeTestCheckFunc(
					checkAPI(func() error {
						if _, ok := api.Webhook("cus_1"); ok {
							return fmt.Errorf("webhook still configured after destroy")
						}
						return nil
					}),
					expectFaultsMet(api, http.MethodDelete),
				),
				Steps: []resource.TestStep{
					{
						PreConfig: injectOnEveryKind,
						Config:    webhookConfig(api, "cus_1", twoHeaders(hook.URL, "a", "b")),
						Check: resource.ComposeTestCheckFunc(
							expectStored(api, "cus_1", sovxtest.Webhook{URL: hook.URL, Headers: []sovxtest.Header{
								{Key: "Authorization", Value: "a"}, {Key: "X-API-Key", Value: "b"}}}),
							expectFaultsMet(api, http.MethodGet, http.MethodPost, "VERIFY"),
						),
					},
					{
						PreConfig: injectOnEveryKind,
						Config:    webhookConfig(api, "cus_1", twoHeaders(hook.URL+"/v2", "a", "c")),
						Check: resource.ComposeTestCheckFunc(
							expectStored(api, "cus_1", sovxtest.Webhook{URL: hook.URL + "/v2", Headers: []sovxtest.Header{
								{Key: "Authorization", Value: "a"}, {Key: "X-API-Key", Value: "c"}}}),
							expectFaultsMet(api, http.MethodGet, http.MethodPut, "VERIFY"),
						),
					},
					{
						PreConfig: injectOnEveryKind,
						Config:    webhookConfig(api, "cus_1", twoHeaders(hook.URL+"/v2", "a", "c")),
						PlanOnly:  true,
					},
				},
			})
		})
	}
}

// expectFaultsMet checks that calls of each kind met their fault.
func expectFaultsMet(api *sovxtest.Server, kinds ...string) resource.TestCheckFunc {
	return checkAPI(func() error {
		for _, kind := range kinds {
			if api.FaultsServed(kind) == 0 {
				return fmt.Errorf("no %s met its fault", kind)
			}
		}
		return nil
	})
}

// A persistent 500 fails the update with status and trace id, leaves the
// state as it was, and the next run converges.
func TestAccFaults_persistentServerErrorThenConverge(t *testing.T) {
	api := newFakeAPI(t, "cus_1")
	hook := newReceiver(t)
	v2 := webhookConfig(api, "cus_1", twoHeaders(hook.URL+"/v2", "a", "b"))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{
			{Config: webhookConfig(api, "cus_1", twoHeaders(hook.URL, "a", "b"))},
			{
				PreConfig: func() {
					api.InjectFault(sovxtest.Fault{Method: http.MethodPut, Status: http.StatusInternalServerError})
				},
				Config:      v2,
				ExpectError: errorMatching(`server error.*PUT .*HTTP 500.*after 5 attempts.*trace_id 00000000-`),
			},
			{
				PreConfig: api.ClearFaults,
				Config:    v2,
				Check: resource.ComposeTestCheckFunc(
					expectStored(api, "cus_1", sovxtest.Webhook{URL: hook.URL + "/v2", Headers: []sovxtest.Header{
						{Key: "Authorization", Value: "a"}, {Key: "X-API-Key", Value: "b"}}}),
					// 5 failed attempts, then the converging one.
					expectCount(api, http.MethodPut, 6),
				),
			},
			{Config: v2, PlanOnly: true},
		},
	})
}

// A client error is final: one attempt, through Terraform (the client's
// unit tests check every 4xx status: TestRetries).
func TestAccFaults_clientErrorIsNeverRetried(t *testing.T) {
	api := newFakeAPI(t, "cus_1")
	api.InjectFault(sovxtest.Fault{Method: http.MethodPost, Status: http.StatusUnprocessableEntity})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{{
			Config:      webhookConfig(api, "cus_1", `  url = "https://example.com/hook"`),
			ExpectError: errorMatching(`HTTP 422`),
		}},
	})
	if n := api.CountRequests(http.MethodPost, "cus_1"); n != 1 {
		t.Errorf("HTTP 422 was attempted %d times, want 1", n)
	}
}

// A hanging API is cut off by request_timeout, with a message that says so.
func TestAccFaults_hangingAPIIsCutOff(t *testing.T) {
	api := newFakeAPI(t, "cus_1")
	api.InjectFault(sovxtest.Fault{Method: http.MethodGet, Delay: time.Minute})
	// Timed from the step itself: ParallelTest first waits for serial tests.
	var start time.Time
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{{
			PreConfig: func() { start = time.Now() },
			Config: fmt.Sprintf(`
provider "sovx" {
  endpoint        = %q
  token           = %q
  request_timeout = "1s"
  max_retries     = 1
}

resource "sovx_customer_webhook" "this" {
  customer_id = "cus_1"
  url         = "https://example.com/hook"
}
`, api.URL, api.Token),
			ExpectError: errorMatching(`The API did not answer in time.*within the request timeout \(1s\) after 2 attempt\(s\).*request_timeout`),
		}},
	})
	if d := time.Since(start); d > 20*time.Second {
		t.Errorf("a hanging API held the apply for %s", d)
	}
}

// A 2xx answer that is not the documented envelope is a clear error.
func TestAccFaults_unexpectedResponseShape(t *testing.T) {
	for name, body := range map[string]string{
		"not json": "<html>maintenance</html>", "no data": `{"success":true}`, "wrong type": `{"success":true,"data":[1,2]}`,
	} {
		t.Run(name, func(t *testing.T) {
			api := newFakeAPI(t, "cus_1")
			api.InjectFault(sovxtest.Fault{Method: http.MethodPost, Status: http.StatusCreated, Body: body})
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testFactories(),
				Steps: []resource.TestStep{{
					Config:      webhookConfig(api, "cus_1", `  url = "https://example.com/hook"`),
					ExpectError: errorMatching(`Unexpected answer from the API.*unexpected response from ` + regexp.QuoteMeta(api.URL) + ` \(HTTP 201\)`),
				}},
			})
		})
	}
}

// A create whose answer never arrives may still have been stored: nothing
// is recorded, on every engine, and the next apply takes over the webhook it
// finds (the same URL and header names). Never "already configured", never
// lost, nothing deleted.
func TestAccFaults_unansweredCreateConverges(t *testing.T) {
	api := newFakeAPI(t, "cus_1")
	hook := newReceiver(t)
	config := webhookConfig(api, "cus_1", twoHeaders(hook.URL, "a", "b"))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{
			{
				// The API stores the webhook on every attempt but no answer arrives.
				PreConfig:   func() { api.InjectFault(sovxtest.Fault{Method: http.MethodPost, DropAnswer: true}) },
				Config:      config,
				ExpectError: errorMatching(`may have stored the webhook all the same. Nothing was recorded in state`),
			},
			{
				PreConfig: api.ClearFaults,
				Config:    config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(webhookAddr, plancheck.ResourceActionCreate),
				}},
				Check: resource.ComposeTestCheckFunc(
					expectStored(api, "cus_1", sovxtest.Webhook{URL: hook.URL, Headers: []sovxtest.Header{
						{Key: "Authorization", Value: "a"}, {Key: "X-API-Key", Value: "b"}}}),
					expectCount(api, http.MethodDelete, 0),
				),
			},
			{Config: config, PlanOnly: true},
		},
	})
}

// A redirect is never followed: a create answered 301 and a destroy answered
// 302 fail naming the status and where it pointed, nothing reaches that
// address, nothing is written or deleted, and the state keeps the webhook.
func TestAccFaults_redirectsAreNeverFollowed(t *testing.T) {
	api := newFakeAPI(t, "cus_1")
	var reached atomic.Int32
	target := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { reached.Add(1) }))
	t.Cleanup(target.Close)
	location := target.URL + "/sovx/v1/customers/cus_1/webhooks"
	config := webhookConfig(api, "cus_1", "  url = \"https://example.com/hook\"\n  verify = false")
	redirected := func(status int) *regexp.Regexp {
		return errorMatching(fmt.Sprintf(`redirected the request.*HTTP %d redirect to %s, not followed.*nothing was written or deleted`,
			status, regexp.QuoteMeta(location)))
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					api.InjectFault(sovxtest.Fault{Method: http.MethodPost, Status: http.StatusMovedPermanently, Location: location, Times: 1})
				},
				Config:      config,
				ExpectError: redirected(http.StatusMovedPermanently),
			},
			{Config: config, Check: expectStored(api, "cus_1", sovxtest.Webhook{URL: "https://example.com/hook", Headers: []sovxtest.Header{}})},
			{
				PreConfig: func() {
					api.InjectFault(sovxtest.Fault{Method: http.MethodDelete, Status: http.StatusFound, Location: location, Times: 1})
				},
				Config:      config,
				Destroy:     true,
				ExpectError: redirected(http.StatusFound),
			},
			{
				// The destroy failed: the webhook is still at the API and in
				// state (PlanOnly fails on any planned change).
				Config:   config,
				PlanOnly: true,
				PreConfig: func() {
					expectStoredNow(t, api, "cus_1", sovxtest.Webhook{URL: "https://example.com/hook", Headers: []sovxtest.Header{}})
				},
			},
		},
		CheckDestroy: checkAPI(func() error {
			if _, ok := api.Webhook("cus_1"); ok {
				return fmt.Errorf("webhook still configured after destroy")
			}
			return nil
		}),
	})
	if n := reached.Load(); n != 0 {
		t.Errorf("%d request(s) followed a redirect", n)
	}
}
