package provider

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/sovera/terraform-provider-sovx/internal/sovx"
)

// TestAccLive_lifecycle checks only what any API shows: plan, state and GET.
// make testacc-live (SOVX_LIVE=1) points it at a real endpoint (SOVX_ENDPOINT,
// SOVX_TOKEN, SOVX_TEST_CUSTOMER_ID); otherwise it runs against the fake, so
// it is exercised on every `make test` and never reaches the network by
// accident.
func TestAccLive_lifecycle(t *testing.T) {
	endpoint, token, customer := os.Getenv(EnvEndpoint), os.Getenv(EnvToken), os.Getenv("SOVX_TEST_CUSTOMER_ID")
	if os.Getenv("SOVX_LIVE") != "1" {
		api := newFakeAPI(t, "cus_live")
		endpoint, token, customer = api.URL, api.Token, "cus_live"
	}
	client, err := sovx.NewClient(sovx.Config{Endpoint: endpoint, Token: token})
	if err != nil {
		t.Fatal(err)
	}
	config := func(url, key string) string {
		return fmt.Sprintf(`
provider "sovx" {
  endpoint = %q
  token    = %q
}

resource "sovx_customer_webhook" "this" {
  customer_id = %q
  url         = %q
  headers     = { "X-API-Key" = { value = %q } }
  verify      = false
}
`, endpoint, token, customer, url, key)
	}
	remoteURL := func(want string) resource.TestCheckFunc {
		return checkAPI(func() error {
			w, err := client.GetWebhook(context.Background(), customer)
			if err != nil {
				return err
			}
			if w.URL != want || len(w.HeaderNames) != 1 || w.HeaderNames[0] != "X-API-Key" {
				return fmt.Errorf("GET returned %+v, want url %s with one X-API-Key header", w, want)
			}
			return nil
		})
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		CheckDestroy: checkAPI(func() error {
			if _, err := client.GetWebhook(context.Background(), customer); !sovx.IsNotFound(err) {
				return fmt.Errorf("after destroy GET = %w, want 404", err)
			}
			return nil
		}),
		Steps: []resource.TestStep{
			{
				Config: config("https://example.com/sovx-acc/v1", "k1"),
				Check:  remoteURL("https://example.com/sovx-acc/v1"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(webhookAddr, headerValue("X-API-Key"), knownvalue.StringExact("k1")),
				},
			},
			{
				Config: config("https://example.com/sovx-acc/v2", "k2"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(webhookAddr, plancheck.ResourceActionUpdate),
				}},
				Check: remoteURL("https://example.com/sovx-acc/v2"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(webhookAddr, tfjsonpath.New("url"), knownvalue.StringExact("https://example.com/sovx-acc/v2")),
				},
			},
			{Config: config("https://example.com/sovx-acc/v2", "k2"), PlanOnly: true},
		},
	})
}
