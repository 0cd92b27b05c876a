// Package provider is the terraform-plugin-framework glue for the sovx
// provider. The API client lives in internal/sovx and the webhook rules in
// internal/webhook; this package only maps them onto Terraform's schema.
package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/float64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/sovera/terraform-provider-sovx/internal/sovx"
)

// Address is the provider's registry address, which also names its logger.
const Address = "registry.terraform.io/sovera/sovx"

// Environment variables read when the provider block leaves a setting out.
const (
	EnvEndpoint       = "SOVX_ENDPOINT"
	EnvToken          = "SOVX_TOKEN"
	EnvMaxRetries     = "SOVX_MAX_RETRIES"
	EnvRequestTimeout = "SOVX_REQUEST_TIMEOUT"
	EnvMaxRPS         = "SOVX_MAX_REQUESTS_PER_SECOND"
	// EnvAllowInsecureHTTP: see the allow_insecure_http attribute.
	EnvAllowInsecureHTTP = "SOVX_ALLOW_INSECURE_HTTP"
)

var (
	_ provider.Provider                  = (*sovxProvider)(nil)
	_ provider.ProviderWithActions       = (*sovxProvider)(nil)
	_ provider.ProviderWithListResources = (*sovxProvider)(nil)
)

// clientOption adjusts the client's configuration; tests use it to shorten retry waits.
type clientOption func(*sovx.Config)

type sovxProvider struct {
	version string
	options []clientOption
}

// New returns the provider for version, as main serves it: its reads end
// once interrupted is done (see process.Setup).
func New(version string, interrupted context.Context) func() provider.Provider {
	return newProvider(version, func(c *sovx.Config) { c.Interrupted = interrupted })
}

func newProvider(version string, options ...clientOption) func() provider.Provider {
	return func() provider.Provider {
		return &sovxProvider{version: version, options: options}
	}
}

type providerModel struct {
	Endpoint          types.String  `tfsdk:"endpoint"`
	Token             types.String  `tfsdk:"token"`
	MaxRetries        types.Int64   `tfsdk:"max_retries"`
	MaxRPS            types.Float64 `tfsdk:"max_requests_per_second"`
	RequestTimeout    types.String  `tfsdk:"request_timeout"`
	AllowInsecureHTTP types.Bool    `tfsdk:"allow_insecure_http"`
}

func (p *sovxProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "sovx"
	resp.Version = p.version
}

func (p *sovxProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The `sovx` provider manages the webhooks of the SX Customers **Customer Webhooks** API: " +
			"the URL and auth headers the platform calls with withdrawal PIN notifications.",
		Attributes: map[string]schema.Attribute{
			"endpoint": schema.StringAttribute{
				MarkdownDescription: fmt.Sprintf("Base URL of the API, including the `/sovx/v1` prefix. "+
					"Defaults to the `%s` environment variable, then to `%s`.", EnvEndpoint, sovx.DefaultEndpoint),
				Optional:   true,
				Validators: []validator.String{endpointValidator()},
			},
			"token": schema.StringAttribute{
				MarkdownDescription: fmt.Sprintf("Session token sent as `Authorization: Bearer <token>`. Defaults to the `%s` "+
					"environment variable; prefer the variable, so the token stays out of configuration files.", EnvToken),
				Optional:   true,
				Sensitive:  true,
				Validators: []validator.String{tokenValidator()},
			},
			"max_retries": schema.Int64Attribute{
				MarkdownDescription: fmt.Sprintf("How many times a request is retried after a connection error or a 5xx "+
					"answer (4xx errors are never retried), with exponential backoff that honours `Retry-After`. A 429 (rate "+
					"limited) does not count: it is sent again when the API allows, until the operation's timeout. "+
					"Between 0 and %d; defaults to the `%s` environment variable, then to %d.", maxRetriesLimit, EnvMaxRetries, sovx.DefaultMaxRetries),
				Optional:   true,
				Validators: []validator.Int64{int64validator.Between(0, maxRetriesLimit)},
			},
			"max_requests_per_second": schema.Float64Attribute{
				MarkdownDescription: fmt.Sprintf("A ceiling on this provider's requests per second, all resources together, "+
					"for when you know the account's quota (for example the share of it this configuration may use). Unset, "+
					"the provider sends as fast as Terraform asks until the API rate limits, then paces itself just under "+
					"the limit the API shows. At least %g; defaults to the `%s` environment variable.", minRequestsPerSecond, EnvMaxRPS),
				Optional:   true,
				Validators: []validator.Float64{float64validator.AtLeast(minRequestsPerSecond)},
			},
			"request_timeout": schema.StringAttribute{
				MarkdownDescription: fmt.Sprintf("Time limit for each attempt of a request, as a duration such as `30s` or `2m` "+
					"(between %s and %s). Defaults to the `%s` environment variable, then to `%s`.", minRequestTimeout, maxRequestTimeout,
					EnvRequestTimeout, sovx.DefaultRequestTimeout),
				Optional:   true,
				Validators: []validator.String{durationValidator(minRequestTimeout, maxRequestTimeout)},
			},
			"allow_insecure_http": schema.BoolAttribute{
				MarkdownDescription: fmt.Sprintf("Allow an `http://` endpoint on a host that is not loopback. Off by default: "+
					"over plain http the session token and every header value cross the network unencrypted, readable "+
					"and changeable by anyone on the path. Turn it on only for a network you trust end to end. Loopback "+
					"endpoints (`localhost`, `127.0.0.1`, `::1`) are always allowed. Defaults to the `%s` environment "+
					"variable.", EnvAllowInsecureHTTP),
				Optional: true,
			},
		},
	}
}

// clientOf is the client the provider hands to resources, data sources, actions and list resources; nil before the
// provider is configured (the framework calls their Configure then too).
func clientOf(data any) *sovx.Client {
	client, _ := data.(*sovx.Client)
	return client
}

func (p *sovxProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{NewCustomerWebhookResource}
}

func (p *sovxProvider) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{NewCustomerWebhookDataSource}
}

func (p *sovxProvider) Actions(context.Context) []func() action.Action {
	return []func() action.Action{NewCustomerWebhookVerifyAction}
}

// ListResources serves `terraform query`.
func (p *sovxProvider) ListResources(context.Context) []func() list.ListResource {
	return []func() list.ListResource{NewCustomerWebhookList}
}

// stringOr returns the configured value, else the environment's, else def.
func stringOr(v types.String, env, def string) string {
	if !v.IsNull() && !v.IsUnknown() {
		return v.ValueString()
	}
	if env != "" {
		return env
	}
	return def
}

// clientReady reports whether the provider was configured (Configure fails
// without a token, so a client always has one).
func clientReady(client *sovx.Client, diags *diag.Diagnostics) bool {
	if client == nil {
		diags.AddError("Provider not configured", "The sovx provider was not configured. This is a bug in the provider; please report it.")
		return false
	}
	return true
}
