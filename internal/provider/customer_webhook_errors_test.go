package provider

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/sovera/terraform-provider-sovx/internal/sovxtest"
)

func TestAccCustomerWebhook_existingWebhookIsNotTakenOver(t *testing.T) {
	api := newFakeAPI(t, "cus_1")
	existing := sovxtest.Webhook{URL: "https://theirs.example/hook", Headers: []sovxtest.Header{{Key: "X-Key", Value: "theirs"}}}
	api.SetWebhook("cus_1", existing)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{{
			Config:      webhookConfig(api, "cus_1", `  url = "https://mine.example/hook"`),
			ExpectError: errorMatching(`Webhook already configured.*terraform import\s+sovx_customer_webhook.NAME cus_1.*import \{`),
		}},
	})
	if n := api.CountWrites(); n != 0 {
		t.Errorf("create over an existing webhook sent %d write(s)", n)
	}
	expectStoredNow(t, api, "cus_1", existing)
}

func TestAccCustomerWebhook_apiErrors(t *testing.T) {
	cases := map[string]struct {
		setup func(api *sovxtest.Server)
		token string
		want  string
	}{
		"invalid token": {token: "wrong", want: `API token invalid or expired.*SOVX_TOKEN`},
		"unknown customer": {
			setup: func(*sovxtest.Server) {},
			want:  `Customer not found.*cus_missing`,
		},
		"server error after retries": {
			setup: func(api *sovxtest.Server) {
				api.InjectFault(sovxtest.Fault{Method: http.MethodPost, Status: http.StatusInternalServerError})
			},
			want: `server error.*HTTP 500.*after 5 attempts.*trace_id 0000`,
		},
		"validation failed": {
			setup: func(api *sovxtest.Server) {
				api.InjectFault(sovxtest.Fault{Method: http.MethodPost, Status: http.StatusUnprocessableEntity,
					Body: `{"success":false,"error":{"code":"VALIDATION_FAILED","message":"url is not reachable"}}`})
			},
			want: `rejected the webhook configuration.*url is not reachable`,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			api := newFakeAPI(t, "cus_1")
			customer := "cus_1"
			if name == "unknown customer" {
				customer = "cus_missing"
			}
			if tc.setup != nil {
				tc.setup(api)
			}
			config := webhookConfig(api, customer, `  url = "https://example.com/hook"`)
			if tc.token != "" {
				config = fmt.Sprintf("provider \"sovx\" {\n  endpoint = %q\n  token = %q\n}\n", api.URL, tc.token) +
					config[len(providerBlock(api)):]
			}
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testFactories(),
				Steps:                    []resource.TestStep{{Config: config, ExpectError: errorMatching(tc.want)}},
			})
			if _, ok := api.Webhook(customer); ok {
				t.Errorf("a failed create left a webhook configured")
			}
		})
	}
}

func TestAccCustomerWebhook_verifyFailureTaintsAndShowsResponse(t *testing.T) {
	api := newFakeAPI(t, "cus_1")
	hook := newReceiver(t)
	hook.answer(http.StatusUnauthorized, `{"error":"bad signature","echo":"secret-key"}`)
	config := webhookConfig(api, "cus_1", twoHeaders(hook.URL, "Bearer token123", "secret-key"))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{
			{
				Config: config,
				// The endpoint's answer is shown, but not the header value it echoed.
				ExpectError: errorMatching(`Webhook test failed.*HTTP 401.*"echo": "\(sensitive value\)".*"error": "bad signature".*trace_id.*tainted`),
			},
			{
				// The webhook was saved (and so is tracked) but tainted: replaced next.
				PreConfig: func() { hook.answer(http.StatusOK, `{}`) },
				Config:    config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(pin, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				Check: expectCount(api, "VERIFY", 2),
			},
		},
	})
}

func TestAccCustomerWebhook_verifyFalseSkipsTheTest(t *testing.T) {
	api := newFakeAPI(t, "cus_1")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{
			{
				// The endpoint does not exist yet: with verify = false that is fine.
				Config: webhookConfig(api, "cus_1", `  url = "https://not-deployed.invalid/hook"
  verify = false`),
				Check: resource.ComposeTestCheckFunc(
					expectCount(api, "VERIFY", 0),
					expectCount(api, http.MethodPost, 1),
				),
			},
			{
				// Changing only verify sends nothing to the API.
				PreConfig: api.ResetRequests,
				Config: webhookConfig(api, "cus_1", `  url = "https://not-deployed.invalid/hook"
  verify = false
  timeouts {
    update = "1m"
  }`),
				Check: checkAPI(func() error {
					if n := api.CountWrites(); n != 0 {
						return fmt.Errorf("changing timeouts sent %d write(s)", n)
					}
					return nil
				}),
			},
		},
	})
}

func expectStoredNow(t *testing.T, api *sovxtest.Server, customerID string, want sovxtest.Webhook) {
	t.Helper()
	if err := expectStored(api, customerID, want)(nil); err != nil {
		t.Error(err)
	}
}

// Turning verify on runs the test without rewriting the webhook, and hides
// header values the endpoint echoes back.
func TestAccCustomerWebhook_turningVerifyOnRunsTheTest(t *testing.T) {
	api := newFakeAPI(t, "cus_1")
	hook := newReceiver(t)
	hook.answer(http.StatusForbidden, `{"got":"secret-key"}`)
	body := func(verify bool) string {
		return twoHeaders(hook.URL, "Bearer token123", "secret-key") + fmt.Sprintf("\n  verify = %t", verify)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{
			{Config: webhookConfig(api, "cus_1", body(false)), Check: expectCount(api, "VERIFY", 0)},
			{
				PreConfig:   api.ResetRequests,
				Config:      webhookConfig(api, "cus_1", body(true)),
				ExpectError: errorMatching(`Webhook test failed.*HTTP 403.*"got": "\(sensitive value\)"`),
			},
		},
		CheckDestroy: resource.ComposeTestCheckFunc(expectCount(api, http.MethodPut, 0), expectCount(api, "VERIFY", 1)),
	})
}
