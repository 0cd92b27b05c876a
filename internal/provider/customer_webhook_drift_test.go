package provider

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/sovera/terraform-provider-sovx/internal/sovxtest"
)

// Each drift changes the API behind Terraform's back; the plan must show it,
// and one apply put the configuration back. The drifts follow each other in
// one test per dialect, each starting from a converged webhook.
func TestAccCustomerWebhook_drift(t *testing.T) {
	configured := []sovxtest.Header{{Key: "Authorization", Value: "a"}, {Key: "X-API-Key", Value: "b"}}
	drifts := []struct {
		name   string
		drift  func(api *sovxtest.Server, url string)
		action plancheck.ResourceActionType
		// headers is what the API holds once the apply has converged.
		headers []sovxtest.Header
	}{
		{
			name: "url changed",
			drift: func(api *sovxtest.Server, url string) {
				api.SetWebhook("cus_1", sovxtest.Webhook{URL: "https://elsewhere.example/hook", Headers: []sovxtest.Header{
					{Key: "Authorization", Value: "a"}, {Key: "X-API-Key", Value: "b"}}})
			},
			action:  plancheck.ResourceActionUpdate,
			headers: configured,
		},
		{
			name: "header added",
			drift: func(api *sovxtest.Server, url string) {
				api.SetWebhook("cus_1", sovxtest.Webhook{URL: url, Headers: []sovxtest.Header{
					{Key: "Authorization", Value: "a"}, {Key: "X-API-Key", Value: "b"}, {Key: "X-Extra", Value: "intruder"}}})
			},
			action:  plancheck.ResourceActionUpdate,
			headers: configured,
		},
		{
			name: "header removed",
			drift: func(api *sovxtest.Server, url string) {
				api.SetWebhook("cus_1", sovxtest.Webhook{URL: url, Headers: []sovxtest.Header{{Key: "Authorization", Value: "a"}}})
			},
			action:  plancheck.ResourceActionUpdate,
			headers: configured,
		},
		{
			name: "header name case changed",
			drift: func(api *sovxtest.Server, url string) {
				api.SetWebhook("cus_1", sovxtest.Webhook{URL: url, Headers: []sovxtest.Header{
					{Key: "authorization", Value: "a"}, {Key: "X-API-KEY", Value: "b"}}})
			},
			// Header names are case-insensitive: nothing to do, nothing sent.
			action:  plancheck.ResourceActionNoop,
			headers: []sovxtest.Header{{Key: "authorization", Value: "a"}, {Key: "X-API-KEY", Value: "b"}},
		},
		{
			name:    "webhook deleted",
			drift:   func(api *sovxtest.Server, _ string) { api.RemoveWebhook("cus_1") },
			action:  plancheck.ResourceActionCreate,
			headers: configured,
		},
	}
	forEachDialect(t, func(t *testing.T, d sovxtest.Dialect) {
		api := newFakeAPIIn(t, d, "cus_1")
		hook := newReceiver(t)
		config := webhookConfig(api, "cus_1", twoHeaders(hook.URL, "a", "b"))
		steps := []resource.TestStep{{Config: config}}
		for _, tc := range drifts {
			converge := expectStored(api, "cus_1", sovxtest.Webhook{URL: hook.URL, Headers: tc.headers})
			if tc.action == plancheck.ResourceActionNoop {
				// Nothing is sent: the API keeps the drifted webhook as it was set.
				converge = expectStoredVerbatim(api, "cus_1", sovxtest.Webhook{URL: hook.URL, Headers: tc.headers})
			}
			steps = append(steps, resource.TestStep{
				PreConfig: func() { t.Log("drift: " + tc.name); tc.drift(api, hook.URL) },
				Config:    config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(webhookAddr, tc.action),
				}},
				Check: converge,
			})
		}
		resource.ParallelTest(t, resource.TestCase{ProtoV6ProviderFactories: testFactories(), Steps: steps})
	})
}

func TestAccCustomerWebhook_destroyAfterOutOfBandDelete(t *testing.T) {
	forEachDialect(t, testDestroyAfterOutOfBandDelete)
}

func testDestroyAfterOutOfBandDelete(t *testing.T, d sovxtest.Dialect) {
	api := newFakeAPIIn(t, d, "cus_1")
	hook := newReceiver(t)
	config := webhookConfig(api, "cus_1", fmt.Sprintf("  url = %q", hook.URL))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{
			{Config: config},
			{
				// The DELETE answers 404-free here, but a refresh finds nothing
				// and the destroy must still succeed.
				PreConfig: func() { api.RemoveWebhook("cus_1") },
				Config:    config,
				Destroy:   true,
			},
		},
		CheckDestroy: expectCount(api, http.MethodDelete, 0),
	})
}

func TestAccCustomerWebhook_deleteTreats404AsGone(t *testing.T) {
	api := newFakeAPI(t, "cus_1")
	hook := newReceiver(t)
	config := webhookConfig(api, "cus_1", fmt.Sprintf("  url = %q", hook.URL))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{
			{Config: config},
			{
				// The API answers the DELETE with its 404: the webhook is gone
				// as far as Terraform can tell, so the destroy succeeds.
				PreConfig: func() {
					api.InjectFault(sovxtest.Fault{Method: http.MethodDelete, Status: http.StatusNotFound, Times: 1})
				},
				Config:  config,
				Destroy: true,
			},
		},
		CheckDestroy: expectCount(api, http.MethodDelete, 1),
	})
}
