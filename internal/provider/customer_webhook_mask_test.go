package provider

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/sovera/terraform-provider-sovx/internal/sovxtest"
)

// The reference says only that GET masks header values; its example spells
// the mask "***masked***". Every dialect of the fake, with every spelling
// of the mask: a webhook applies once and then plans clean (no diff, no
// second write), and an import whose headers are in ignore_changes stops a
// URL change before it sends anything, a mask least of all (the fake is
// strict: a mask sent back fails the test).
func TestAccCustomerWebhook_anyMaskSpelling(t *testing.T) {
	forEachDialect(t, func(t *testing.T, d sovxtest.Dialect) {
		for _, style := range sovxtest.MaskStyles {
			t.Run(style.String(), func(t *testing.T) {
				spelled := d
				spelled.Mask = style
				testMaskSpelling(t, spelled)
			})
		}
	})
}

func testMaskSpelling(t *testing.T, d sovxtest.Dialect) {
	api := newFakeAPIIn(t, d, "cus_1")
	hook := newReceiver(t)
	api.SetWebhook("cus_2", sovxtest.Webhook{URL: hook.URL, Headers: []sovxtest.Header{
		{Key: "Authorization", Value: "Bearer imported-secret"}, {Key: "X-API-Key", Value: "imported-key"}}})
	managed := webhookConfig(api, "cus_1", twoHeaders(hook.URL, "Bearer token-value-1", "key-value-1"))
	imported := managed + fmt.Sprintf(`
import {
  to = sovx_customer_webhook.imported
  id = "cus_2"
}

resource "sovx_customer_webhook" "imported" {
  customer_id = "cus_2"
  url         = "%s/moved"
  headers = {
    "Authorization" = { value = "Bearer new" }
    "X-API-Key"     = { value = "new" }
  }
  lifecycle {
    ignore_changes = [headers]
  }
}
`, hook.URL)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{
			// The test framework plans again after the apply, refreshing, and
			// fails the step unless that plan is empty.
			{Config: managed, Check: expectCount(api, http.MethodPost, 1)},
			{
				// Headers ignore_changes leaves without a value fail the plan.
				Config:      imported,
				ExpectError: errorMatching(`Header value unknown.*header "Authorization" has no value.*never returns header values.*lifecycle.ignore_changes`),
			},
		},
		CheckDestroy: checkAPI(func() error {
			if n := api.CountRequests(http.MethodPut, "cus_2"); n != 0 {
				return fmt.Errorf("the imported webhook got %d PUT(s), want none", n)
			}
			return nil
		}),
	})
}
