package provider

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/sovera/terraform-provider-sovx/internal/sovxtest"
)

// The lifecycle runs against every dialect of the fake: nothing the reference
// leaves open may change what the API receives or what Terraform stores.
func TestAccCustomerWebhook_lifecycle(t *testing.T) {
	forEachDialect(t, testLifecycle)
}

func testLifecycle(t *testing.T, d sovxtest.Dialect) {
	api := newFakeAPIIn(t, d, "cus_1")
	hook := newReceiver(t)
	v2 := hook.URL + "/v2"

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		CheckDestroy: checkAPI(func() error {
			if _, ok := api.Webhook("cus_1"); ok {
				return fmt.Errorf("webhook of cus_1 still configured after destroy")
			}
			return nil
		}),
		Steps: []resource.TestStep{
			{
				Config: webhookConfig(api, "cus_1", twoHeaders(hook.URL, "Bearer token123", "secret-key")),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(webhookAddr, plancheck.ResourceActionCreate),
					plancheck.ExpectSensitiveValue(webhookAddr, headerValue("X-API-Key")),
					// id is the customer id, known before apply.
					plancheck.ExpectKnownValue(webhookAddr, tfjsonpath.New("id"), knownvalue.StringExact("cus_1")),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(webhookAddr, tfjsonpath.New("id"), knownvalue.StringExact("cus_1")),
					statecheck.ExpectKnownValue(webhookAddr, tfjsonpath.New("url"), knownvalue.StringExact(hook.URL)),
					statecheck.ExpectKnownValue(webhookAddr, headerValue("Authorization"), knownvalue.StringExact("Bearer token123")),
					statecheck.ExpectSensitiveValue(webhookAddr, headerValue("Authorization")),
					statecheck.ExpectSensitiveValue(webhookAddr, headerValue("X-API-Key")),
					statecheck.ExpectKnownValue(webhookAddr, tfjsonpath.New("verify"), knownvalue.Bool(true)),
				},
				Check: resource.ComposeTestCheckFunc(
					checkAPI(func() error {
						want := fmt.Sprintf(`{"url":%q,"headers":[{"key":"Authorization","value":"Bearer token123"},{"key":"X-API-Key","value":"secret-key"}]}`, hook.URL)
						if got := lastBody(api, http.MethodPost); got != want {
							return fmt.Errorf("POST body = %s, want %s", got, want)
						}
						return nil
					}),
					expectStored(api, "cus_1", sovxtest.Webhook{URL: hook.URL, Headers: []sovxtest.Header{
						{Key: "Authorization", Value: "Bearer token123"}, {Key: "X-API-Key", Value: "secret-key"}}}),
					// The plan checks for an existing webhook, the apply's own plan of
					// the create checks again (the create uses that answer), then the
					// create posts once and verifies once.
					expectCount(api, http.MethodGet, 2),
					expectEndpointChecks(api, d.Name == sovxtest.DefaultDialect().Name),
					expectCount(api, http.MethodPost, 1),
					expectCount(api, "VERIFY", 1),
					checkAPI(func() error {
						calls := hook.Deliveries()
						if len(calls) != 1 || calls[0].Header.Get("X-API-Key") != "secret-key" || calls[0].Payload["event"] != "webhook.test" {
							return fmt.Errorf("the receiver got %d test payload(s) %+v, want one with the configured headers", len(calls), calls)
						}
						return nil
					}),
				),
			},
			{
				// Unchanged configuration: the refresh GET finds nothing to do.
				PreConfig: api.ResetRequests,
				Config:    webhookConfig(api, "cus_1", twoHeaders(hook.URL, "Bearer token123", "secret-key")),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
				Check: resource.ComposeTestCheckFunc(
					checkAPI(func() error {
						if n := api.CountWrites(); n != 0 {
							return fmt.Errorf("a no-op apply sent %d write(s)", n)
						}
						return nil
					}),
				),
			},
			{
				// New URL and a rotated key: one PUT, in place.
				PreConfig: api.ResetRequests,
				Config:    webhookConfig(api, "cus_1", twoHeaders(v2, "Bearer token123", "rotated-secret-key")),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(webhookAddr, plancheck.ResourceActionUpdate),
				}},
				Check: resource.ComposeTestCheckFunc(
					expectCount(api, http.MethodPut, 1),
					expectCount(api, http.MethodPost, 0),
					expectCount(api, "VERIFY", 1),
					expectStored(api, "cus_1", sovxtest.Webhook{URL: v2, Headers: []sovxtest.Header{
						{Key: "Authorization", Value: "Bearer token123"}, {Key: "X-API-Key", Value: "rotated-secret-key"}}}),
				),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(webhookAddr, headerValue("X-API-Key"), knownvalue.StringExact("rotated-secret-key")),
					statecheck.ExpectKnownValue(webhookAddr, tfjsonpath.New("url"), knownvalue.StringExact(v2)),
				},
			},
			{
				// Dropping a header and all but one: the PUT carries exactly the configured set.
				Config: webhookConfig(api, "cus_1", fmt.Sprintf(`  url = %q
  headers = { "X-API-Key" = { value = "rotated-secret-key" } }`, v2)),
				Check: expectStored(api, "cus_1", sovxtest.Webhook{URL: v2, Headers: []sovxtest.Header{
					{Key: "X-API-Key", Value: "rotated-secret-key"}}}),
			},
			{
				// No headers at all.
				Config: webhookConfig(api, "cus_1", fmt.Sprintf("  url = %q", v2)),
				Check: resource.ComposeTestCheckFunc(
					expectStored(api, "cus_1", sovxtest.Webhook{URL: v2, Headers: []sovxtest.Header{}}),
					resource.TestCheckNoResourceAttr(webhookAddr, "headers.%"),
				),
			},
		},
	})
}

func TestAccCustomerWebhook_customerIDChangeReplaces(t *testing.T) {
	api := newFakeAPI(t, "cus_1", "cus_2")
	hook := newReceiver(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{
			{Config: webhookConfig(api, "cus_1", twoHeaders(hook.URL, "a", "b"))},
			{
				Config: webhookConfig(api, "cus_2", twoHeaders(hook.URL, "a", "b")),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(webhookAddr, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				Check: resource.ComposeTestCheckFunc(
					checkAPI(func() error {
						if _, ok := api.Webhook("cus_1"); ok {
							return fmt.Errorf("the old customer's webhook was not deleted")
						}
						return nil
					}),
					expectStored(api, "cus_2", sovxtest.Webhook{URL: hook.URL, Headers: []sovxtest.Header{
						{Key: "Authorization", Value: "a"}, {Key: "X-API-Key", Value: "b"}}}),
				),
			},
		},
	})
}
