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

// A server that stores URLs as Node.js's new URL(u).href does (space and
// non-ASCII percent-encoded in path, query and fragment) shows no drift:
// after each apply the plans are empty (the test framework checks), a
// refresh-only plan too, and no URL is written twice.
func TestAccCustomerWebhook_whatwgStoredURLsShowNoDrift(t *testing.T) {
	d := sovxtest.DefaultDialect()
	d.Name, d.NormalizeStore = "whatwg", true
	api := newFakeAPIIn(t, d, "cus_1")
	urls := []string{
		"https://hooks.example/pin?q=a b",
		"https://hooks.example/pin?city=münchen",
		"https://hooks.example/pin?q=\"x\"#frag ment",
		"https://hooks.example/pin/a b/münchen",
	}
	var steps []resource.TestStep
	for i, url := range urls {
		steps = append(steps, resource.TestStep{
			Config: webhookConfig(api, "cus_1", fmt.Sprintf("  url    = %q\n  verify = false", url)),
			Check: resource.ComposeTestCheckFunc(
				checkAPI(func() error {
					if got, _ := api.Webhook("cus_1"); got.URL == url {
						return fmt.Errorf("the fake stored %q as sent, want it encoded", url)
					}
					return nil
				}),
				checkAPI(func() error {
					if n := api.CountRequests(http.MethodPut, "cus_1") + api.CountRequests(http.MethodPost, "cus_1"); n != i+1 {
						return fmt.Errorf("%d write(s) after %d URL(s): a URL was written again", n, i+1)
					}
					return nil
				}),
			),
		})
	}
	steps = append(steps, resource.TestStep{
		RefreshState:      true,
		RefreshPlanChecks: resource.RefreshPlanChecks{PostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
	})
	resource.ParallelTest(t, resource.TestCase{ProtoV6ProviderFactories: testFactories(), Steps: steps})
}
