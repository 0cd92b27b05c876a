package provider

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/sovera/terraform-provider-sovx/internal/sovxtest"
)

func TestAccCustomerWebhook_importCommandThenConverge(t *testing.T) {
	api := newFakeAPI(t, "cus_1")
	hook := newReceiver(t)
	seedImported(api, hook.URL)
	config := webhookConfig(api, "cus_1", twoHeaders(hook.URL, "Bearer new", "new"))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{
			{
				Config:             config,
				ResourceName:       webhookAddr,
				ImportState:        true,
				ImportStateId:      "cus_1",
				ImportStatePersist: true,
				ImportStateCheck: func(states []*terraform.InstanceState) error {
					if len(states) != 1 {
						return fmt.Errorf("imported %d instances, want 1", len(states))
					}
					got := states[0].Attributes
					want := map[string]string{
						"id": "cus_1", "customer_id": "cus_1", "url": hook.URL, "verify": "true", "headers.%": "2",
					}
					for k, v := range want {
						if got[k] != v {
							return fmt.Errorf("imported %s = %q, want %q", k, got[k], v)
						}
					}
					// The names only: a value never comes from a read.
					for _, k := range []string{"headers.Authorization.value", "headers.X-API-Key.value"} {
						if v, set := got[k]; set {
							return fmt.Errorf("imported %s = %q, want no value", k, v)
						}
					}
					if n := api.CountWrites(); n != 0 {
						return fmt.Errorf("import sent %d write(s)", n)
					}
					return nil
				},
			},
			{
				// The first apply writes the configured values once...
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(webhookAddr, plancheck.ResourceActionUpdate),
				}},
				Check: resource.ComposeTestCheckFunc(
					expectCount(api, http.MethodPut, 1),
					expectStored(api, "cus_1", sovxtest.Webhook{URL: hook.URL, Headers: []sovxtest.Header{
						{Key: "Authorization", Value: "Bearer new"}, {Key: "X-API-Key", Value: "new"}}}),
				),
			},
			// ...and then the plan is clean.
			{Config: config, PlanOnly: true},
		},
	})
}

func TestAccCustomerWebhook_importBlockThenConverge(t *testing.T) {
	forEachDialect(t, func(t *testing.T, d sovxtest.Dialect) {
		testImportBlockConverges(t, d, `id = "cus_1"`, nil, nil)
	})
}

// testImportBlockConverges imports cus_1's webhook with an import block
// (importArgs names it) and checks that the one apply writes the configured
// values with a single PUT, and that the plan is clean afterwards.
func testImportBlockConverges(t *testing.T, d sovxtest.Dialect, importArgs string, versions []tfversion.TerraformVersionCheck, stateChecks []statecheck.StateCheck) {
	api := newFakeAPIIn(t, d, "cus_1")
	hook := newReceiver(t)
	seedImported(api, hook.URL)
	config := webhookConfig(api, "cus_1", twoHeaders(hook.URL, "Bearer new", "new")) + `
import {
  to = sovx_customer_webhook.this
  ` + importArgs + `
}
`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		TerraformVersionChecks:   versions,
		Steps: []resource.TestStep{
			{
				// Imported with masked values, so the first apply writes the configured ones.
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(webhookAddr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: stateChecks,
				Check: resource.ComposeTestCheckFunc(
					expectCount(api, http.MethodPost, 0),
					expectCount(api, http.MethodPut, 1),
					expectStored(api, "cus_1", sovxtest.Webhook{URL: hook.URL, Headers: []sovxtest.Header{
						{Key: "Authorization", Value: "Bearer new"}, {Key: "X-API-Key", Value: "new"}}}),
				),
			},
			{Config: config, PlanOnly: true},
		},
	})
}
