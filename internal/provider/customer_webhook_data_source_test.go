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
	api := newFakeAPI(t, "cus_1", "cus_empty")
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
					// In the API's order, not sorted.
					statecheck.ExpectKnownValue(ds, tfjsonpath.New("header_names"), knownvalue.ListExact([]knownvalue.Check{
						knownvalue.StringExact("X-Second"), knownvalue.StringExact("Authorization")})),
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
				Config:      providerBlock(api) + `data "sovx_customer_webhook" "this" { customer_id = "cus_empty" }`,
				ExpectError: errorMatching(`No webhook configured.*Customer "cus_empty" has no webhook`),
			},
			{
				Config:      providerBlock(api) + `data "sovx_customer_webhook" "this" { customer_id = "cus_nobody" }`,
				ExpectError: errorMatching(`Customer not found`),
			},
		},
	})
	if n := api.CountWrites(); n != 0 {
		t.Errorf("the data source sent %d write(s)", n)
	}
}
