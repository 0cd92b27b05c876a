// Package provider is the terraform-plugin-framework glue for the sovx
// provider. The API client lives in internal/sovx and the webhook rules in
// internal/webhook; this package only maps them onto Terraform's schema.
package provider

import (
	"context"
	"fmt"
	"math"
	"os"
	"strconv"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/float64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/sovera/terraform-provider-sovx/internal/sovx"
	"github.com/sovera/terraform-provider-sovx/internal/webhook"
)

// Environment variables read when the provider block leaves a setting out.
const (
	EnvEndpoint       = "SOVX_ENDPOINT"
	EnvToken          = "SOVX_TOKEN"
	EnvMaxRetries     = "SOVX_MAX_RETRIES"
	EnvRequestTimeout = "SOVX_REQUEST_TIMEOUT"
	EnvMaxRPS         = "SOVX_MAX_REQUESTS_PER_SECOND"
)

var (
	_ provider.Provider                  = (*sovxProvider)(nil)
	_ provider.ProviderWithActions       = (*sovxProvider)(nil)
	_ provider.ProviderWithListResources = (*sovxProvider)(nil)
)

// clientOption adjusts the client's configuration; tests use it to shorten
// retry waits.
type clientOption func(*sovx.Config)

type sovxProvider struct {
	version string
	options []clientOption
}

// New returns the provider for version, as main serves it.
func New(version string) func() provider.Provider {
	return newProvider(version)
}

func newProvider(version string, options ...clientOption) func() provider.Provider {
	return func() provider.Provider {
		return &sovxProvider{version: version, options: options}
	}
}

type providerModel struct {
	Endpoint       types.String  `tfsdk:"endpoint"`
	Token          types.String  `tfsdk:"token"`
	MaxRetries     types.Int64   `tfsdk:"max_retries"`
	MaxRPS         types.Float64 `tfsdk:"max_requests_per_second"`
	RequestTimeout types.String  `tfsdk:"request_timeout"`
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
					"Between 0 and 10; defaults to the `%s` environment variable, then to %d.", EnvMaxRetries, sovx.DefaultMaxRetries),
				Optional:   true,
				Validators: []validator.Int64{int64validator.Between(0, 10)},
			},
			"max_requests_per_second": schema.Float64Attribute{
				MarkdownDescription: fmt.Sprintf("A ceiling on this provider's requests per second, all resources together, "+
					"for when you know the account's quota (for example the share of it this configuration may use). Unset, "+
					"the provider sends as fast as Terraform asks until the API rate limits, then paces itself just under "+
					"the limit the API shows. At least 0.1; defaults to the `%s` environment variable.", EnvMaxRPS),
				Optional:   true,
				Validators: []validator.Float64{float64validator.AtLeast(0.1)},
			},
			"request_timeout": schema.StringAttribute{
				MarkdownDescription: fmt.Sprintf("Time limit for each attempt of a request, as a duration such as `30s` or `2m` "+
					"(between 1s and 10m). Defaults to the `%s` environment variable, then to `%s`.", EnvRequestTimeout, sovx.DefaultRequestTimeout),
				Optional:   true,
				Validators: []validator.String{durationValidator(time.Second, 10*time.Minute)},
			},
		},
	}
}

// providerData is handed to resources, data sources, actions and list resources.
type providerData struct {
	client *sovx.Client
	// tracksFailedCreates: the engine can record a failed create's state
	// (see engine.go).
	tracksFailedCreates bool
}

// clientOf is the client in provider data; nil before the provider is
// configured (the framework calls Configure then too).
func clientOf(data any) *sovx.Client {
	if d, ok := data.(*providerData); ok {
		return d.client
	}
	return nil
}

func (p *sovxProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var cfg providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	for name, v := range map[string]interface{ IsUnknown() bool }{
		"endpoint": cfg.Endpoint, "token": cfg.Token, "max_retries": cfg.MaxRetries, "request_timeout": cfg.RequestTimeout,
		"max_requests_per_second": cfg.MaxRPS,
	} {
		if v.IsUnknown() {
			resp.Diagnostics.AddAttributeError(path.Root(name), "Provider setting not known yet",
				fmt.Sprintf("The provider's %q depends on a value that is only known after apply. "+
					"Set it from a variable or an environment variable instead.", name))
		}
	}
	if resp.Diagnostics.HasError() {
		return
	}

	clientCfg := sovx.Config{
		Endpoint:   stringOr(cfg.Endpoint, os.Getenv(EnvEndpoint), sovx.DefaultEndpoint),
		Token:      stringOr(cfg.Token, os.Getenv(EnvToken), ""),
		UserAgent:  fmt.Sprintf("terraform-provider-sovx/%s Terraform/%s", p.version, req.TerraformVersion),
		MaxRetries: sovx.DefaultMaxRetries,
		Logger:     tflogLogger{},
	}
	if u, err := sovx.ParseEndpoint(clientCfg.Endpoint); err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("endpoint"), "Invalid API endpoint",
			fmt.Sprintf("%s. Set the provider's endpoint (or %s) to the API base URL, for example %s.", err, EnvEndpoint, sovx.DefaultEndpoint))
	} else if u.Scheme == "http" && !webhook.IsLoopback(u.Hostname()) {
		resp.Diagnostics.AddAttributeWarning(path.Root("endpoint"), "API endpoint is not encrypted",
			fmt.Sprintf("The endpoint %s uses plain http: the session token and header values would travel unencrypted. Use https://.", u.Redacted()))
	}
	switch {
	case !cfg.MaxRetries.IsNull():
		clientCfg.MaxRetries = int(cfg.MaxRetries.ValueInt64())
	case os.Getenv(EnvMaxRetries) != "":
		n, err := strconv.Atoi(os.Getenv(EnvMaxRetries))
		if err != nil || n < 0 || n > 10 {
			resp.Diagnostics.AddAttributeError(path.Root("max_retries"), "Invalid "+EnvMaxRetries,
				fmt.Sprintf("%s must be a whole number between 0 and 10.", EnvMaxRetries))
		}
		clientCfg.MaxRetries = n
	}
	switch {
	case !cfg.MaxRPS.IsNull():
		clientCfg.MaxRequestsPerSecond = cfg.MaxRPS.ValueFloat64()
	case os.Getenv(EnvMaxRPS) != "":
		n, err := strconv.ParseFloat(os.Getenv(EnvMaxRPS), 64)
		if err != nil || n < 0.1 || math.IsInf(n, 0) || math.IsNaN(n) {
			resp.Diagnostics.AddAttributeError(path.Root("max_requests_per_second"), "Invalid "+EnvMaxRPS,
				fmt.Sprintf("%s must be a number of requests per second, at least 0.1 (for example 20).", EnvMaxRPS))
		}
		clientCfg.MaxRequestsPerSecond = n
	}
	timeout := stringOr(cfg.RequestTimeout, os.Getenv(EnvRequestTimeout), "")
	if timeout != "" {
		d, err := parseDuration(timeout, time.Second, 10*time.Minute)
		if err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("request_timeout"), "Invalid request timeout",
				fmt.Sprintf("request_timeout (or %s) %s.", EnvRequestTimeout, err))
		}
		clientCfg.RequestTimeout = d
	}
	if resp.Diagnostics.HasError() {
		return
	}
	for _, opt := range p.options {
		opt(&clientCfg)
	}
	track, err := tracksFailedCreates(req.TerraformVersion)
	if err != nil {
		resp.Diagnostics.AddError("Invalid "+EnvTrackFailedCreates, err.Error()+".")
		return
	}
	client, err := sovx.NewClient(clientCfg)
	if err != nil {
		resp.Diagnostics.AddError("Could not set up the API client", err.Error())
		return
	}
	data := &providerData{client: client, tracksFailedCreates: track}
	resp.ResourceData = data
	resp.DataSourceData = data
	resp.ActionData = data
	resp.ListResourceData = data
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

// clientReady reports whether the provider was configured with a client that
// can call the API, adding a diagnostic that says what to do when not.
func clientReady(client *sovx.Client, diags *diag.Diagnostics) bool {
	if client == nil {
		diags.AddError("Provider not configured", "The sovx provider was not configured. This is a bug in the provider; please report it.")
		return false
	}
	if !client.HasToken() {
		diags.Append(apiErrorDiagnostic("call the API", "", sovx.ErrNoToken))
		return false
	}
	return true
}
