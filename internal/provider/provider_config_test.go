package provider

import (
	"fmt"
	"net/http"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// These tests set process environment variables, so they do not run in parallel.

// envConfiguredWebhook leaves the provider block empty: everything comes
// from the environment.
const envConfiguredWebhook = `
provider "sovx" {}

resource "sovx_customer_webhook" "pin" {
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

resource "sovx_customer_webhook" "pin" {
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

resource "sovx_customer_webhook" "pin" {
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
