package provider

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// These tests set process environment variables, so they do not run in parallel.

// envConfiguredWebhook leaves the provider block empty: everything comes
// from the environment.
const envConfiguredWebhook = `
provider "sovx" {}

resource "sovx_customer_webhook" "this" {
  customer_id = "cus_1"
  url         = "https://example.com/hook"
  verify      = false
}
`

func TestAccProvider_environmentConfiguresTheClient(t *testing.T) {
	api := newFakeAPI(t, "cus_1")
	t.Setenv(EnvEndpoint, api.URL)
	t.Setenv(EnvToken, api.Token)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{{
			Config: envConfiguredWebhook,
			Check: resource.ComposeTestCheckFunc(
				expectCount(api, http.MethodPost, 1),
				checkAPI(func() error {
					ua := regexp.MustCompile(`^terraform-provider-sovx/test Terraform/\d+\.\d+\.\d+`)
					for _, r := range api.Requests() {
						if !ua.MatchString(r.Header.Get("User-Agent")) {
							return fmt.Errorf("User-Agent = %q", r.Header.Get("User-Agent"))
						}
					}
					return nil
				}),
			),
		}},
	})
}

func TestAccProvider_blockWinsOverEnvironment(t *testing.T) {
	api := newFakeAPI(t, "cus_1")
	t.Setenv(EnvEndpoint, "http://127.0.0.1:1/sovx/v1")
	t.Setenv(EnvToken, "not-the-token")
	t.Setenv(EnvRequestTimeout, "not a duration")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
provider "sovx" {
  endpoint        = %q
  token           = %q
  request_timeout = "10s"
  max_retries     = 0
}

resource "sovx_customer_webhook" "this" {
  customer_id = "cus_1"
  url         = "https://example.com/hook"
  verify      = false
}
`, api.URL, api.Token),
			Check: expectCount(api, http.MethodPost, 1),
		}},
	})
}

func TestAccProvider_missingTokenFailsBeforeAnyRequest(t *testing.T) {
	api := newFakeAPI(t, "cus_1")
	t.Setenv(EnvEndpoint, api.URL)
	t.Setenv(EnvToken, "")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{{
			Config:      envConfiguredWebhook,
			ExpectError: errorMatching(`No API token configured.*Set the SOVX_TOKEN environment variable`),
		}},
	})
	if n := len(api.Requests()); n != 0 {
		t.Errorf("%d request(s) were sent without a token", n)
	}
}

func TestAccProvider_invalidEnvironmentIsReported(t *testing.T) {
	api := newFakeAPI(t, "cus_1")
	cases := map[string][2]string{
		"endpoint":                {EnvEndpoint, "api.example.com"},
		"max_retries":             {EnvMaxRetries, "lots"},
		"request_timeout":         {EnvRequestTimeout, "forever"},
		"max_requests_per_second": {EnvMaxRPS, "fast"},
	}
	for name, env := range cases {
		t.Run(name, func(t *testing.T) {
			t.Setenv(EnvEndpoint, api.URL)
			t.Setenv(EnvToken, api.Token)
			t.Setenv(env[0], env[1])
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testFactories(),
				Steps: []resource.TestStep{{
					Config:      `data "sovx_customer_webhook" "x" { customer_id = "cus_1" }`,
					ExpectError: regexp.MustCompile(env[0]),
				}},
			})
		})
	}
	if n := len(api.Requests()); n != 0 {
		t.Errorf("%d request(s) were sent with an invalid configuration", n)
	}
}

// A ceiling from the environment paces every request of the provider.
func TestAccProvider_maxRequestsPerSecondFromEnvironment(t *testing.T) {
	api := newFakeAPI(t, "cus_0", "cus_1", "cus_2", "cus_3", "cus_4")
	t.Setenv(EnvEndpoint, api.URL)
	t.Setenv(EnvToken, api.Token)
	t.Setenv(EnvMaxRPS, "10")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{{
			Config: `
provider "sovx" {}

resource "sovx_customer_webhook" "this" {
  count       = 5
  customer_id = "cus_${count.index}"
  url         = "https://example.com/hook"
  verify      = false
}
`,
			Check: checkAPI(func() error {
				// Within one provider process (the apply: 5 GETs and 5 POSTs)
				// requests are at least 1/10 s apart, give or take the timer.
				var posts []time.Time
				for _, r := range api.Requests() {
					if r.Kind() == http.MethodPost {
						posts = append(posts, r.At)
					}
				}
				if len(posts) != 5 {
					return fmt.Errorf("%d POSTs, want 5", len(posts))
				}
				if spread := posts[4].Sub(posts[0]); spread < 300*time.Millisecond {
					return fmt.Errorf("5 POSTs within %s at a ceiling of 10 requests a second", spread)
				}
				return nil
			}),
		}},
	})
}

func TestPlainHTTPEndpointWarnsExceptOnLoopback(t *testing.T) {
	for endpoint, warn := range map[string]bool{
		"http://api.example.com/sovx/v1":  true,
		"https://api.example.com/sovx/v1": false,
		"http://127.0.0.1:8080/sovx/v1":   false,
		"http://localhost/sovx/v1":        false,
	} {
		diags := configureDiagnostics(t, endpoint, "t")
		got := len(diags) == 1 && diags[0].Severity == tfprotov6.DiagnosticSeverityWarning &&
			diags[0].Summary == "API endpoint is not encrypted"
		if got != warn || (!warn && len(diags) != 0) {
			t.Errorf("endpoint %s: diagnostics %+v, want warning: %v", endpoint, diags, warn)
		}
	}
}

func TestPlainHTTPWebhookURLWarnsExceptOnLoopback(t *testing.T) {
	server := providerserver.NewProtocol6(New("test")())()
	schema, err := server.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	p := &protocolServer{t: t, server: server, schema: schema}
	for url, warn := range map[string]bool{
		"http://example.com/hook":  true,
		"https://example.com/hook": false,
		"http://127.0.0.1/hook":    false,
	} {
		resp, err := server.ValidateResourceConfig(context.Background(), &tfprotov6.ValidateResourceConfigRequest{
			TypeName: webhookType,
			Config: p.value(schema.ResourceSchemas[webhookType].ValueType(), map[string]tftypes.Value{
				"customer_id": tftypes.NewValue(tftypes.String, "cus_1"),
				"url":         tftypes.NewValue(tftypes.String, url),
			}),
		})
		if err != nil {
			t.Fatal(err)
		}
		got := len(resp.Diagnostics) == 1 && resp.Diagnostics[0].Severity == tfprotov6.DiagnosticSeverityWarning &&
			strings.Contains(resp.Diagnostics[0].Detail, "unencrypted")
		if got != warn || (!warn && len(resp.Diagnostics) != 0) {
			t.Errorf("url %s: diagnostics %+v, want warning: %v", url, resp.Diagnostics, warn)
		}
	}
}
