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

// Plain http to a host that is not loopback is an error unless allowed in
// so many words (then a warning); loopback is always fine.
func TestPlainHTTPEndpointIsRefusedExceptOnLoopbackOrOptIn(t *testing.T) {
	for _, tc := range []struct {
		endpoint, allowEnv string
		want               tfprotov6.DiagnosticSeverity // 0: no diagnostic
	}{
		{"http://api.example.com/sovx/v1", "", tfprotov6.DiagnosticSeverityError},
		{"http://api.example.com/sovx/v1", "false", tfprotov6.DiagnosticSeverityError},
		{"http://api.example.com/sovx/v1", "true", tfprotov6.DiagnosticSeverityWarning},
		{"https://api.example.com/sovx/v1", "", 0},
		{"http://127.0.0.1:8080/sovx/v1", "", 0},
		{"http://localhost/sovx/v1", "", 0},
		{"http://[::1]:8080/sovx/v1", "", 0},
		{"http://api.localhost/sovx/v1", "", tfprotov6.DiagnosticSeverityError}, // a name: a proxy may carry it anywhere
	} {
		t.Setenv(EnvAllowInsecureHTTP, tc.allowEnv)
		diags := configureDiagnostics(t, tc.endpoint, "t")
		got := tfprotov6.DiagnosticSeverity(0)
		if len(diags) == 1 && diags[0].Summary == "API endpoint is not encrypted" {
			got = diags[0].Severity
		}
		if got != tc.want || len(diags) > 1 || tc.want == 0 && len(diags) != 0 {
			t.Errorf("endpoint %s, %s=%q: diagnostics %+v, want severity %v", tc.endpoint, EnvAllowInsecureHTTP, tc.allowEnv, diags, tc.want)
		}
	}
}

// SOVX_TOKEN is checked like the token attribute, without being quoted; a
// missing token fails at plan (Configure), not half-way through an apply.
func TestTokenFromEnvironmentIsChecked(t *testing.T) {
	t.Setenv(EnvEndpoint, "https://api.example.com/sovx/v1")
	for token, want := range map[string]string{
		"tok_123\n":        "SOVX_TOKEN ends with a line break (as reading it from a file with cat can leave)",
		"Bearer tok_123":   `SOVX_TOKEN starts with "Bearer "`,
		"tok 123":          "SOVX_TOKEN contains whitespace or control characters",
		"":                 "Set the SOVX_TOKEN environment variable",
		"tok_123-correct1": "",
	} {
		t.Setenv(EnvToken, token)
		diags := configureDiagnostics(t, "", "")
		var text string
		for _, d := range diags {
			text += d.Summary + ": " + d.Detail
		}
		if want == "" && len(diags) != 0 || want != "" && !strings.Contains(text, want) {
			t.Errorf("SOVX_TOKEN=%q: %q, want %q", token, text, want)
		}
		if token != "" && strings.Contains(text, strings.TrimSpace(strings.TrimPrefix(token, "Bearer "))) {
			t.Errorf("the diagnostic quotes the token: %s", text)
		}
	}
}

func TestEndpointErrorsNeverShowAPassword(t *testing.T) {
	for _, endpoint := range []string{"https://user:hunter2@api.example.com/sovx/v1", "https://u:hunter2@bad host/%zz",
		"ftp://u:hunter2@x/sovx/v1", "https://api.example.com/sovx/v1?key=hunter2", "https://api.example.com/sovx/v1#hunter2",
		"https://api.example.com/v1?key=hunter2"} {
		diags := configureDiagnostics(t, endpoint, "t")
		if len(diags) == 0 {
			t.Errorf("%s: no diagnostic", endpoint)
		}
		for _, d := range diags {
			if strings.Contains(d.Summary+d.Detail, "hunter2") {
				t.Errorf("%s: %s", d.Summary, d.Detail)
			}
		}
	}
}

// A plain http webhook URL to a host that is not loopback warns once, in the
// plan that sets it: not from validation, which Terraform runs twice per
// plan (the warning showed twice), and not again in every later plan.
func TestPlainHTTPWebhookURLWarnsExceptOnLoopback(t *testing.T) {
	server := providerserver.NewProtocol6(New("test", context.Background())())()
	schema, err := server.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	p := &protocolServer{t: t, server: server, schema: schema}
	typ := schema.ResourceSchemas[webhookType].ValueType()
	withURL := func(url string) *tfprotov6.DynamicValue {
		return p.value(typ, map[string]tftypes.Value{
			"customer_id": tftypes.NewValue(tftypes.String, "cus_1"),
			"url":         tftypes.NewValue(tftypes.String, url),
		})
	}
	noState := p.noWebhook()
	for _, tc := range []struct {
		url   string
		prior *tfprotov6.DynamicValue
		warn  bool
	}{
		{"http://example.com/hook", noState, true},
		{"http://example.com/hook", withURL("https://example.com/hook"), true},
		{"http://example.com/hook", withURL("http://example.com/hook"), false}, // unchanged: warned when set
		{"https://example.com/hook", noState, false},
		{"http://127.0.0.1/hook", noState, false},
	} {
		validated, err := server.ValidateResourceConfig(context.Background(), &tfprotov6.ValidateResourceConfigRequest{
			TypeName: webhookType, Config: withURL(tc.url)})
		if err != nil || len(validated.Diagnostics) != 0 {
			t.Errorf("url %s: validation said %+v (%v), want nothing", tc.url, validated.Diagnostics, err)
		}
		planned, err := server.PlanResourceChange(context.Background(), &tfprotov6.PlanResourceChangeRequest{
			TypeName: webhookType, Config: withURL(tc.url), ProposedNewState: withURL(tc.url), PriorState: tc.prior})
		if err != nil {
			t.Fatal(err)
		}
		got := len(planned.Diagnostics) == 1 && planned.Diagnostics[0].Severity == tfprotov6.DiagnosticSeverityWarning &&
			strings.Contains(planned.Diagnostics[0].Detail, "unencrypted")
		if got != tc.warn || (!tc.warn && len(planned.Diagnostics) != 0) {
			t.Errorf("url %s: plan diagnostics %+v, want warning: %v", tc.url, planned.Diagnostics, tc.warn)
		}
	}
}
