package provider

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/sovera/terraform-provider-sovx/internal/sovxtest"
)

// A webhook someone else configured stops the plan, before any write.
func TestAccCustomerWebhook_existingWebhookIsNotTakenOver(t *testing.T) {
	api := newFakeAPI(t, "cus_1")
	existing := sovxtest.Webhook{URL: "https://theirs.example/hook", Headers: []sovxtest.Header{{Key: "X-Key", Value: "theirs"}}}
	api.SetWebhook("cus_1", existing)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{{
			Config:   webhookConfig(api, "cus_1", `  url = "https://mine.example/hook"`),
			PlanOnly: true,
			// The message neither prints a made-up address nor promises what the
			// take-over contradicts; Terraform shows the address after "with".
			ExpectError: errorMatching(`Webhook already configured.*with sovx_customer_webhook.this.*another URL or other ` +
				`header names.*nothing was written.*import \{.*to = <this resource>.*id = "cus_1"`),
		}},
	})
	if n := api.CountWrites(); n != 0 {
		t.Errorf("create over an existing webhook sent %d write(s)", n)
	}
	expectStoredNow(t, api, "cus_1", existing)
}

// The documented errors, in every dialect: what the user reads must not
// depend on codes or wording.
func TestAccCustomerWebhook_documentedErrors(t *testing.T) {
	forEachDialect(t, func(t *testing.T, d sovxtest.Dialect) {
		cases := map[string]struct {
			customer, token, want string
		}{
			"rejected token":   {customer: "cus_1", token: "wrong", want: `API token invalid or expired.*SOVX_TOKEN`},
			"unknown customer": {customer: "cus_missing", want: `Customer not found.*cus_missing`},
		}
		for name, tc := range cases {
			t.Run(name, func(t *testing.T) {
				api := newFakeAPIIn(t, d, "cus_1")
				testFailedCreate(t, api, tc.customer, tc.token, tc.want)
			})
		}
	})
}

// Errors after faults (the default dialect): retried 5xx, a rejected body.
func TestAccCustomerWebhook_apiErrors(t *testing.T) {
	cases := map[string]struct {
		fault sovxtest.Fault
		want  string
	}{
		"server error after retries": {
			fault: sovxtest.Fault{Method: http.MethodPost, Status: http.StatusInternalServerError},
			want:  `server error.*HTTP 500.*after 5 attempts.*trace_id 0000`,
		},
		"validation failed": {
			fault: sovxtest.Fault{Method: http.MethodPost, Status: http.StatusUnprocessableEntity,
				Body: `{"success":false,"error":{"code":"VALIDATION_FAILED","message":"url is not reachable"}}`},
			want: `rejected the webhook configuration.*url is not reachable`,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			api := newFakeAPI(t, "cus_1")
			api.InjectFault(tc.fault)
			testFailedCreate(t, api, "cus_1", "", tc.want)
		})
	}
}

// testFailedCreate applies a webhook for customer with token (the fake's when
// empty), expects the error want, and that the API was left without one.
func testFailedCreate(t *testing.T, api *sovxtest.Server, customer, token, want string) {
	if token == "" {
		token = api.Token
	}
	config := fmt.Sprintf("provider \"sovx\" {\n  endpoint = %q\n  token = %q\n}\n", api.URL, token) + fmt.Sprintf(`
resource "sovx_customer_webhook" "this" {
  customer_id = %q
  url         = "https://example.com/hook"
}
`, customer)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps:                    []resource.TestStep{{Config: config, ExpectError: errorMatching(want)}},
	})
	if _, ok := api.Webhook(customer); ok {
		t.Errorf("a failed create left a webhook configured")
	}
}

// A create whose test fails shows the endpoint's answer (not the header
// value it echoed), removes what it wrote and records nothing, on every
// engine: fixing the URL and applying again is all it takes.
func TestAccCustomerWebhook_verifyFailureLeavesNothingAndShowsResponse(t *testing.T) {
	forEachDialect(t, testVerifyFailureLeavesNothing)
}

func testVerifyFailureLeavesNothing(t *testing.T, d sovxtest.Dialect) {
	api := newFakeAPIIn(t, d, "cus_1")
	hook := newReceiver(t)
	hook.Answer(http.StatusUnauthorized, `{"error":"bad signature","echo":"secret-key"}`)
	fixed := webhookConfig(api, "cus_1", twoHeaders(hook.URL+"/pin", "Bearer token123", "secret-key"))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{
			{
				Config: webhookConfig(api, "cus_1", twoHeaders(hook.URL+"/typo", "Bearer token123", "secret-key")),
				// The API's wording of the failure is its own; the status is in it.
				ExpectError: errorMatching(`Webhook test failed.*401.*"echo": "\(sensitive value\)".*"error": "bad signature".*` +
					`removed again, so the failed create leaves nothing behind`),
			},
			{
				PreConfig: func() {
					if w, ok := api.Webhook("cus_1"); ok || api.CountRequests(http.MethodDelete, "cus_1") != 1 {
						t.Errorf("after the failed create the API holds %+v (%v), after %d DELETE(s); want nothing, after one",
							w, ok, api.CountRequests(http.MethodDelete, "cus_1"))
					}
					hook.Answer(http.StatusOK, `{}`)
				},
				Config: fixed,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(webhookAddr, plancheck.ResourceActionCreate),
				}},
				Check: resource.ComposeTestCheckFunc(
					expectCount(api, "VERIFY", 2),
					expectCount(api, http.MethodPost, 2),
					expectStored(api, "cus_1", sovxtest.Webhook{URL: hook.URL + "/pin", Headers: []sovxtest.Header{
						{Key: "Authorization", Value: "Bearer token123"}, {Key: "X-API-Key", Value: "secret-key"}}}),
				),
			},
			{Config: fixed, PlanOnly: true},
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

// Turning verify on runs the test without rewriting the webhook, and hides
// header values the endpoint echoes back.
func TestAccCustomerWebhook_turningVerifyOnRunsTheTest(t *testing.T) {
	api := newFakeAPI(t, "cus_1")
	hook := newReceiver(t)
	hook.Answer(http.StatusForbidden, `{"got":"secret-key"}`)
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

// gatewayBodies are what a server that is not the API answers an unknown
// route with, at an endpoint that ends in /sovx/v1 (a gateway, a proxy):
// every shape, the API's own envelope included.
var gatewayBodies = map[string]struct{ contentType, body string }{
	"html":     {"text/html", "<html><head><title>404 Not Found</title></head><body><center>nginx</center></body></html>"},
	"text":     {"text/plain", "404 page not found\n"},
	"json":     {"application/json", `{"message":"Not Found"}`},
	"envelope": {"application/json", `{"success":false,"error":{"code":"NOT_FOUND","message":"Not Found"}}`},
	"empty":    {"", ""},
}

// newGateway is a server that is not the API, answering every request 404
// with body.
func newGateway(t *testing.T, contentType, body string) *httptest.Server {
	gateway := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		if contentType != "" {
			w.Header().Set("Content-Type", contentType)
		}
		w.WriteHeader(http.StatusNotFound)
		_, _ = io.WriteString(w, body)
	}))
	t.Cleanup(gateway.Close)
	return gateway
}

// A wrong endpoint must fail the plan and a refresh with an error naming
// it, and never make Terraform forget a webhook and plan to create it again.
// Each gateway answer is paired with another dialect of the API (the API
// only has to hold the webhook meanwhile).
func TestAccCustomerWebhook_wrongEndpoint(t *testing.T) {
	dialects := testDialects(t)
	i := 0
	for _, name := range keys(gatewayBodies) {
		answer, d := gatewayBodies[name], dialects[i%len(dialects)]
		i++
		t.Run(name+"/"+d.Name, func(t *testing.T) { testWrongEndpoint(t, d, answer.contentType, answer.body) })
	}
}

func testWrongEndpoint(t *testing.T, d sovxtest.Dialect, contentType, body string) {
	api := newFakeAPIIn(t, d, "cus_1")
	hook := newReceiver(t)
	gateway := newGateway(t, contentType, body)
	resourceBlock := fmt.Sprintf("resource \"sovx_customer_webhook\" \"this\" {\n  customer_id = \"cus_1\"\n  url = %q\n}\n", hook.URL)
	at := func(endpoint string) string {
		return fmt.Sprintf("provider \"sovx\" {\n  endpoint = %q\n  token = %q\n}\n", endpoint, api.Token) + resourceBlock
	}
	wrong := errorMatching(`did not answer like the SX Customer Webhooks API.*` + regexp.QuoteMeta(gateway.URL+"/sovx/v1") + `.*endpoint is probably wrong`)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{
			{Config: at(api.URL)},
			{
				// Another server: a plan without refresh refuses to go on with a
				// webhook read from another endpoint, naming both.
				Config:   at(gateway.URL + "/sovx/v1"),
				PlanOnly: true,
				ExpectError: errorMatching(`Planned against another API endpoint.*` + regexp.QuoteMeta(api.URL) +
					`.*` + regexp.QuoteMeta(gateway.URL+"/sovx/v1") + `.*nothing was sent`),
			},
			{
				// terraform apply -refresh-only (with the step above's
				// configuration): the gateway's own 404 fails, and the webhook is kept.
				RefreshState: true,
				ExpectError:  wrong,
			},
			{
				// The API's host without the /sovx/v1 prefix: refused before any request.
				Config:      at(strings.TrimSuffix(api.URL, "/sovx/v1")),
				PlanOnly:    true,
				ExpectError: errorMatching(`Invalid API endpoint.*must end with the API's version prefix /sovx/v1`),
			},
			{
				// The state still holds the webhook: back at the right endpoint, nothing to do.
				Config: at(api.URL),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(webhookAddr, tfjsonpath.New("url"), knownvalue.StringExact(hook.URL)),
				},
			},
		},
	})
}

// A rejected configuration shows every field-level detail the server
// gives, in each common shape, with the trace id, and never the rejected
// value the server quotes back.
func TestAccCustomerWebhook_rejectedConfigurationShowsItsDetails(t *testing.T) {
	shapes := map[string]string{
		"nested":            `{"success":false,"error":{"code":"VALIDATION_FAILED","message":"Validation failed","details":[{"field":"headers[0].key","message":"header key is reserved"},{"field":"url","message":"host not allowed"}]},"meta":{"trace_id":"trace-422"}}`,
		"express-validator": `{"errors":[{"type":"field","msg":"header key is reserved","path":"headers[0].key","location":"body","value":"rejected-VALUE-1"},{"type":"field","msg":"host not allowed","path":"url","location":"body","value":"rejected-VALUE-1"}],"meta":{"trace_id":"trace-422"}}`,
		"problem":           `{"type":"about:blank","title":"Unprocessable Entity","status":422,"invalid-params":[{"name":"headers[0].key","reason":"header key is reserved"},{"name":"url","reason":"host not allowed"}],"trace_id":"x","meta":{"trace_id":"trace-422"}}`,
		"problem errors":    `{"title":"Validation failed","errors":[{"pointer":"headers[0].key","detail":"header key is reserved"},{"pointer":"url","detail":"host not allowed"}],"meta":{"trace_id":"trace-422"}}`,
		"map of fields":     `{"message":"Validation failed","errors":{"headers[0].key":["header key is reserved"],"url":["host not allowed"]},"meta":{"trace_id":"trace-422"}}`,
	}
	for name, body := range shapes {
		t.Run(name, func(t *testing.T) {
			api := newFakeAPI(t, "cus_1")
			api.InjectFault(sovxtest.Fault{Method: http.MethodPost, Status: http.StatusUnprocessableEntity, Body: body})
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testFactories(),
				Steps: []resource.TestStep{{
					Config: webhookConfig(api, "cus_1", `  url = "https://hooks.example/pin"
  verify = false
  headers = { "X-Reserved" = { value = "rejected-VALUE-1" } }`),
					ExpectError: regexp.MustCompile(`(?s)The API rejected the webhook configuration.*headers\[0\]\.key: header key is\s+reserved.*url:\s+host\s+not\s+allowed.*trace-422`),
				}},
			})
		})
	}
}
