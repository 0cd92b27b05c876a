package provider

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// invalidInputs lists every class of bad input with the message that must
// name the attribute and say what is allowed. The resource page's table mirrors it.
var invalidInputs = []struct {
	name     string
	customer string
	body     string
	provider string // replaces the provider block when set
	want     string
}{
	{name: "url scheme", body: `url = "ftp://example.com/hook"`, want: `url "ftp://example.com/hook" must use https://`},
	{name: "url without host", body: `url = "https:///hook"`, want: `url "https:///hook" must include a host`},
	{name: "url relative", body: `url = "/webhook/pin"`, want: `url "/webhook/pin" must be an absolute URL`},
	{name: "url empty", body: `url = ""`, want: `url "" must not be empty`},
	{name: "url scheme, with credentials and a query", body: `url = "ftp://user:hunter2@example.com/hook?token=t0k3n"`,
		want: `url "ftp://\(sensitive value\)@example.com/hook\?\(sensitive value\)" must use https://`},
	{name: "header name characters", body: `url = "https://example.com/h"
  headers = { "X API Key" = { value = "v" } }`, want: `Invalid header name.*Header name "X API Key" may hold only letters, digits, hyphens and underscores`},
	{name: "header names equal ignoring case", body: `url = "https://example.com/h"
  headers = {
    "X-Key" = { value = "a" }
    "x-key" = { value = "b" }
  }`, want: `Duplicate header name.*\["X-Key" "x-key"\]`},
	{name: "header value with line feed", body: `url = "https://example.com/h"
  headers = { "X-Key" = { value = "a\nInjected: yes" } }`, want: `headers\["X-Key"\].value must not contain carriage returns or line feeds`},
	{name: "header value with carriage return", body: `url = "https://example.com/h"
  headers = { "X-Key" = { value_wo = "a\rb" } }`, want: `headers\["X-Key"\].value_wo must not contain carriage returns`},
	{name: "header value with NUL", body: `url = "https://example.com/h"
  headers = { "X-Key" = { value = "a\u0000b" } }`, want: `headers\["X-Key"\].value must not contain control characters \(found U\+0000 at byte 1\)`},
	{name: "header value with escape", body: `url = "https://example.com/h"
  headers = { "X-Key" = { value_wo = "\u001b[31m" } }`, want: `headers\["X-Key"\].value_wo must not contain control characters`},
	{name: "header name too long", body: `url = "https://example.com/h"
  headers = { "` + strings.Repeat("X", 129) + `" = { value = "v" } }`, want: `Invalid header name.*Header name "X+"… is 129 characters long; at most 128`},
	{name: "header with value and value_wo", body: `url = "https://example.com/h"
  headers = { "X-Key" = { value = "a", value_wo = "b" } }`, want: `Header value set twice.*headers\["X-Key"\] sets both value and value_wo: set exactly one`},
	{name: "header with neither value", body: `url = "https://example.com/h"
  headers = { "X-Key" = {} }`, want: `Header value missing.*headers\["X-Key"\] has no value: set value = "..." \(kept in state\) or value_wo = "..." \(write-only: never stored\)`},
	{name: "customer id empty", customer: "", want: `customer_id "" must not be empty`},
	{name: "customer id with slash", customer: "cus/1", want: `customer_id "cus/1" must not contain a slash`},
	{name: "customer id with whitespace", customer: "cus 1", want: `customer_id "cus 1" must not contain whitespace`},
	{name: "customer id dot-dot", customer: "..", want: `customer_id ".." must not be ".."`},
	{name: "customer id too long", customer: strings.Repeat("c", 129), want: `customer_id "c+" is 129 characters long; a customer id has at most 128`},
	{name: "provider endpoint malformed", provider: `provider "sovx" {
  endpoint = "api.example.com/sovx/v1"
}`, want: `Invalid API endpoint.*must start with https://`},
	{name: "provider endpoint with credentials", provider: `provider "sovx" {
  endpoint = "https://user:hunter2@api.example.com/sovx/v1"
}`, want: `Invalid API endpoint.*"https://\(sensitive value\)@api.example.com/sovx/v1" must not contain credentials`},
	{name: "provider endpoint in clear text", customer: "cus_1", provider: `provider "sovx" {
  endpoint = "http://api.example.com/sovx/v1"
  token    = "t"
}`, want: `API endpoint is not encrypted.*allow_insecure_http = true`},
	{name: "provider token with a line break", provider: `provider "sovx" {
  token = "tok\n"
}`, want: `token ends with a line break`},
	{name: "provider token empty", provider: `provider "sovx" {
  token = ""
}`, want: `Empty API token.*SOVX_TOKEN`},
	{name: "provider request_timeout", provider: `provider "sovx" {
  request_timeout = "5 minutes"
}`, want: `request_timeout must be a duration such as 30s`},
}

func TestAccCustomerWebhook_invalidInputFailsAtPlanWithoutAPICalls(t *testing.T) {
	api := newFakeAPI(t, "cus_1")
	for _, tc := range invalidInputs {
		t.Run(tc.name, func(t *testing.T) {
			customer := tc.customer
			if customer == "" && tc.body != "" {
				customer = "cus_1"
			}
			body := tc.body
			if body == "" {
				body = `url = "https://example.com/h"`
			}
			config := providerBlock(api)
			if tc.provider != "" {
				config = tc.provider
			}
			config += resourceBlock(customer, "  "+body)
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testFactories(),
				// Write-only attributes in the configuration need 1.11.
				TerraformVersionChecks: []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
				Steps: []resource.TestStep{{
					Config:      config,
					PlanOnly:    true,
					ExpectError: errorMatching(tc.want),
				}},
			})
		})
	}
	if reqs := api.Requests(); len(reqs) != 0 {
		t.Fatalf("invalid configurations reached the API %d time(s), first: %s %s", len(reqs), reqs[0].Method, reqs[0].Path)
	}
}
