package provider

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/sovera/terraform-provider-sovx/internal/sovxtest"
)

// withRESTAPI adds the REST provider's stand-in to the provider under test.
func withRESTAPI(r sovxtest.RESTAPI) map[string]func() (tfprotov6.ProviderServer, error) {
	factories := testFactories()
	factories["restapi"] = providerserver.NewProtocol6WithError(r)
	return factories
}

// restAPIObject is restapi_object.this with the given paths and data.
func restAPIObject(api *sovxtest.Server, paths, data string) string {
	return fmt.Sprintf(`
provider "restapi" {
  uri = %q
}

resource "restapi_object" "this" {
%s
  data = %s
}
`, api.URL, paths, data)
}

// movedTo is the configuration after the move: the webhook resource and
// the moved block.
func movedTo(api *sovxtest.Server, body string) string {
	return webhookConfig(api, "cus_1", body) + `
moved {
  from = restapi_object.this
  to   = sovx_customer_webhook.this
}
`
}

// A restapi_object that managed cus_1's webhook moves to the resource: the
// plan updates it in place (the header values are not carried over), the
// apply sends one PUT, never a POST or a DELETE, and the next plan is clean.
// For both of the REST provider's schemas, with its paths written either
// way, and with data as configured or as a read left it (masks included).
func TestAccCustomerWebhook_movedFromRESTAPIObject(t *testing.T) {
	const url = "https://hooks.example.com/pin"
	const sent = `jsonencode({ url = "https://hooks.example.com/pin", headers = [{ key = "X-API-Key", value = "old" }] })`
	answer := `{"success":true,"data":{"url":"` + url + `","headers":[{"key":"X-API-Key","value":"***masked***"}]}}`
	cases := map[string]struct {
		restAPI sovxtest.RESTAPI
		paths   string
	}{
		"v2, one path": {sovxtest.RESTAPI{Version: 2}, `  path = "/sovx/v1/customers/cus_1/webhooks"`},
		"v3, paths by id": {sovxtest.RESTAPI{Version: 3}, `  path         = "/customers/cus_1/webhooks"
  read_path    = "/customers/{id}/webhooks"
  update_path  = "/customers/{id}/webhooks"
  destroy_path = "/customers/{id}/webhooks"
  object_id    = "cus_1"`},
		"v3, data after a read": {sovxtest.RESTAPI{Version: 3, Answer: answer}, `  path = "/customers/cus_1/webhooks"`},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			api := newFakeAPI(t, "cus_1")
			api.SetWebhook("cus_1", sovxtest.Webhook{URL: url, Headers: []sovxtest.Header{{Key: "X-API-Key", Value: "old"}}})
			after := movedTo(api, `  url     = "`+url+`"
  headers = { "X-API-Key" = { value = "new" } }
  verify  = false`)
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: withRESTAPI(c.restAPI),
				Steps: []resource.TestStep{
					// A read that puts the API's answer in data leaves a diff, as the REST provider does.
					{Config: restAPIObject(api, c.paths, sent), ExpectNonEmptyPlan: c.restAPI.Answer != ""},
					{
						PreConfig: api.ResetRequests,
						Config:    after,
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(webhookAddr, plancheck.ResourceActionUpdate),
							plancheck.ExpectSensitiveValue(webhookAddr, headerValue("X-API-Key")),
						}},
						ConfigStateChecks: []statecheck.StateCheck{
							statecheck.ExpectKnownValue(webhookAddr, tfjsonpath.New("id"), knownvalue.StringExact("cus_1")),
							statecheck.ExpectKnownValue(webhookAddr, tfjsonpath.New("url"), knownvalue.StringExact(url)),
							statecheck.ExpectKnownValue(webhookAddr, headerValue("X-API-Key"), knownvalue.StringExact("new")),
						},
						Check: resource.ComposeTestCheckFunc(
							expectCount(api, http.MethodPost, 0),
							expectCount(api, http.MethodDelete, 0),
							expectCount(api, http.MethodPut, 1),
							expectStoredVerbatim(api, "cus_1", sovxtest.Webhook{URL: url, Headers: []sovxtest.Header{{Key: "X-API-Key", Value: "new"}}}),
						),
					},
					{Config: after, PlanOnly: true},
				},
			})
		})
	}
}

// A restapi_object that is not one customer's webhook is not moved: the plan
// fails naming what it found and what to do, and nothing reaches the API.
func TestAccCustomerWebhook_movedFromRESTAPIObjectRefused(t *testing.T) {
	cases := map[string]struct{ paths, data, want string }{
		"another endpoint": {`  path = "/sovx/v1/customers/cus_1/settings"`, `jsonencode({ url = "https://hooks.example.com/pin" })`,
			`Cannot move this restapi_object.*customers/CUSTOMER_ID/webhooks.*Import the webhook instead`},
		"two customers": {`  path = "/customers/cus_1/webhooks"
  read_path = "/customers/cus_2/webhooks"`, `jsonencode({ url = "https://hooks.example.com/pin" })`,
			`Cannot move this restapi_object.*cus_1.*cus_2.*Import the webhook instead`},
		"no url in data": {`  path = "/customers/cus_1/webhooks"`, `jsonencode({ uri = "https://hooks.example.com/pin" })`,
			`Cannot move this restapi_object.*url.*Import the webhook instead`},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			api := newFakeAPI(t, "cus_1", "cus_2")
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: withRESTAPI(sovxtest.RESTAPI{Version: 3}),
				Steps: []resource.TestStep{
					{Config: restAPIObject(api, c.paths, c.data)},
					{
						Config:      movedTo(api, `  url = "https://hooks.example.com/pin"`),
						ExpectError: errorMatching(c.want),
					},
					{
						// The object stays where it was.
						Config: restAPIObject(api, c.paths, c.data),
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
							plancheck.ExpectEmptyPlan(),
						}},
						Check: checkAPI(func() error {
							if n := len(api.Requests()); n != 0 {
								return fmt.Errorf("the API received %d request(s), want none", n)
							}
							return nil
						}),
					},
				},
			})
		})
	}
}
