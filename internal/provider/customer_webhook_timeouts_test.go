package provider

import (
	"net/http"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/sovera/terraform-provider-sovx/internal/sovxtest"
)

// The timeouts block bounds the whole operation, retries included: a create
// against an API that keeps failing stops at the create timeout.
func TestAccCustomerWebhook_createTimeoutBoundsRetries(t *testing.T) {
	api := newFakeAPI(t, "cus_1")
	api.InjectFault(sovxtest.Fault{Method: http.MethodPost, Delay: 20 * time.Second})
	// Timed from the step itself: ParallelTest first waits for serial tests.
	var start time.Time
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{{
			PreConfig: func() { start = time.Now() },
			Config: webhookConfig(api, "cus_1", `  url = "https://example.com/hook"
  timeouts {
    create = "2s"
  }`),
			ExpectError: errorMatching(`The operation ran out of time.*timeouts`),
		}},
	})
	if d := time.Since(start); d > 15*time.Second {
		t.Errorf("create ran %s despite a 2s create timeout", d)
	}
}
