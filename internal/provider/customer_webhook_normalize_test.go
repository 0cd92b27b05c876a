package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/sovera/terraform-provider-sovx/internal/sovxtest"
)

// A server that stores the URL and the header names normalized (as URL and
// HTTP libraries do) has not changed them: after the apply the plan is
// empty, and a second apply sends nothing. State keeps what was configured.
func TestAccCustomerWebhook_normalizingServerShowsNoDrift(t *testing.T) {
	d := sovxtest.DefaultDialect()
	d.Name, d.NormalizeStore = "normalizing", true
	api := newFakeAPIIn(t, d, "cus_1")
	const configured = "HTTPS://Hooks.Example.COM:443/pin"
	config := webhookConfig(api, "cus_1", fmt.Sprintf(`  url    = %q
  verify = false
  headers = {
    "x-api-key" = { value = "k" }
  }`, configured))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{
			{
				Config: config,
				Check: expectStoredVerbatim(api, "cus_1", sovxtest.Webhook{
					URL: "https://hooks.example.com/pin", Headers: []sovxtest.Header{{Key: "X-Api-Key", Value: "k"}}}),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(webhookAddr, tfjsonpath.New("url"), knownvalue.StringExact(configured)),
					statecheck.ExpectKnownValue(webhookAddr, headerValue("x-api-key"), knownvalue.StringExact("k")),
				},
			},
			{
				PreConfig:        api.ResetRequests,
				Config:           config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check: checkAPI(func() error {
					if n := api.CountWrites(); n != 0 {
						return fmt.Errorf("a second apply sent %d write(s)", n)
					}
					return nil
				}),
			},
		},
	})
}
