package provider

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/sovera/terraform-provider-sovx/internal/sovxtest"
)

func writeOnlyConfig(api *sovxtest.Server, url, secret string, version int) string {
	return webhookConfig(api, "cus_1", fmt.Sprintf(`  url = %q
  headers = {
    "Authorization" = { value = "Bearer kept" }
    "X-API-Key"     = { value_wo = %q }
  }
  headers_wo_version = %d`, url, secret, version))
}

func TestAccCustomerWebhook_writeOnlyHeader(t *testing.T) {
	api := newFakeAPI(t, "cus_1")
	hook := newReceiver(t)
	stored := func(secret string) resource.TestCheckFunc {
		return expectStored(api, "cus_1", sovxtest.Webhook{URL: hook.URL, Headers: []sovxtest.Header{
			{Key: "Authorization", Value: "Bearer kept"}, {Key: "X-API-Key", Value: secret}}})
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		Steps: []resource.TestStep{
			{
				Config: writeOnlyConfig(api, hook.URL, "wo-secret-1", 1),
				// The value reaches the API; state holds null for it.
				Check: stored("wo-secret-1"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(webhookAddr, headerValue("X-API-Key"), knownvalue.Null()),
					statecheck.ExpectKnownValue(webhookAddr, headerValue("Authorization"), knownvalue.StringExact("Bearer kept")),
				},
			},
			{
				// A new write-only value alone is invisible to Terraform...
				PreConfig: api.ResetRequests,
				Config:    writeOnlyConfig(api, hook.URL, "wo-secret-2", 1),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
				Check: resource.ComposeTestCheckFunc(stored("wo-secret-1"), expectCount(api, http.MethodPut, 0)),
			},
			{
				// ...until headers_wo_version changes, which re-sends it.
				Config: writeOnlyConfig(api, hook.URL, "wo-secret-2", 2),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(webhookAddr, plancheck.ResourceActionUpdate),
				}},
				Check: resource.ComposeTestCheckFunc(stored("wo-secret-2"), expectCount(api, http.MethodPut, 1)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(webhookAddr, headerValue("X-API-Key"), knownvalue.Null()),
				},
			},
		},
	})
}
