package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/sovera/terraform-provider-sovx/internal/sovxtest"
)

func TestAccCustomerWebhookDataSource(t *testing.T) {
	forEachDialect(t, testDataSource)
}

func testDataSource(t *testing.T, d sovxtest.Dialect) {
	api := newFakeAPIIn(t, d, "cus_1", "cus_empty")
	api.SetWebhook("cus_1", sovxtest.Webhook{URL: "https://example.com/hook", Headers: []sovxtest.Header{
		{Key: "X-Second", Value: "v-secret-2"}, {Key: "Authorization", Value: "v-secret-1"}}})
	const ds = "data.sovx_customer_webhook.this"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{
			{
				Config: providerBlock(api) + `data "sovx_customer_webhook" "this" { customer_id = "cus_1" }`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(ds, tfjsonpath.New("id"), knownvalue.StringExact("cus_1")),
					statecheck.ExpectKnownValue(ds, tfjsonpath.New("url"), knownvalue.StringExact("https://example.com/hook")),
					// Sorted, whatever order the API lists them in.
					statecheck.ExpectKnownValue(ds, tfjsonpath.New("header_names"), knownvalue.ListExact([]knownvalue.Check{
						knownvalue.StringExact("Authorization"), knownvalue.StringExact("X-Second")})),
				},
				Check: func(s *terraform.State) error {
					for k, v := range s.RootModule().Resources[ds].Primary.Attributes {
						if v == "v-secret-1" || v == "v-secret-2" || v == sovxtest.Mask {
							return fmt.Errorf("state attribute %s holds a header value", k)
						}
					}
					return nil
				},
			},
			{
				// The URL may carry a secret the API cannot flag: Terraform keeps it out of output.
				Config: providerBlock(api) + `data "sovx_customer_webhook" "this" { customer_id = "cus_1" }
output "url" { value = data.sovx_customer_webhook.this.url }`,
				ExpectError: errorMatching(`Output refers to sensitive values`),
			},
			{
				Config:      providerBlock(api) + `data "sovx_customer_webhook" "this" { customer_id = "cus_empty" }`,
				ExpectError: errorMatching(`No webhook configured.*Customer "cus_empty" has no webhook`),
			},
			{
				Config: providerBlock(api) + `data "sovx_customer_webhook" "this" { customer_id = "cus_nobody" }`,
				// The reference lets a GET's 404 leave open which of the two is missing.
				ExpectError: errorMatching(`(Customer not found|No webhook configured).*cus_nobody`),
			},
		},
	})
	if n := api.CountWrites(); n != 0 {
		t.Errorf("the data source sent %d write(s)", n)
	}
}
