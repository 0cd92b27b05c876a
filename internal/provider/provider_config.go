package provider

import (
	"context"
	"fmt"
	"math"
	"os"
	"strconv"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"

	"github.com/sovera/terraform-provider-sovx/internal/sovx"
	"github.com/sovera/terraform-provider-sovx/internal/webhook"
)

// Bounds of the provider's settings, read by the schema's validators and by the environment path alike.
const (
	maxRetriesLimit      = 10
	minRequestsPerSecond = 0.1
	minRequestTimeout    = time.Second
	maxRequestTimeout    = 10 * time.Minute
)

// Configure reads every setting from the provider block, else from its
// environment variable, checks both the same way, and builds the client.
func (p *sovxProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var cfg providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() || !settingsKnown(cfg, &resp.Diagnostics) {
		return
	}
	diags := &resp.Diagnostics
	clientCfg := sovx.Config{
		Endpoint:             readEndpoint(cfg, diags),
		Token:                readToken(cfg, diags),
		UserAgent:            fmt.Sprintf("terraform-provider-sovx/%s Terraform/%s", p.version, req.TerraformVersion),
		MaxRetries:           readMaxRetries(cfg, diags),
		MaxRequestsPerSecond: readMaxRPS(cfg, diags),
		RequestTimeout:       readRequestTimeout(cfg, diags),
		Logger:               tflogLogger{},
	}
	if diags.HasError() {
		return
	}
	for _, opt := range p.options {
		opt(&clientCfg)
	}
	client, err := sovx.NewClient(clientCfg)
	if err != nil {
		diags.AddError("Could not set up the API client", err.Error())
		return
	}
	resp.ResourceData, resp.DataSourceData, resp.ActionData, resp.ListResourceData = client, client, client, client
}

// settingsKnown refuses settings that are only known after apply.
func settingsKnown(cfg providerModel, diags *diag.Diagnostics) bool {
	for name, v := range map[string]interface{ IsUnknown() bool }{
		"endpoint": cfg.Endpoint, "token": cfg.Token, "max_retries": cfg.MaxRetries, "request_timeout": cfg.RequestTimeout,
		"max_requests_per_second": cfg.MaxRPS, "allow_insecure_http": cfg.AllowInsecureHTTP,
	} {
		if v.IsUnknown() {
			diags.AddAttributeError(path.Root(name), "Provider setting not known yet",
				fmt.Sprintf("The provider's %q depends on a value that is only known after apply. "+
					"Set it from a variable or an environment variable instead.", name))
		}
	}
	return !diags.HasError()
}

// readEndpoint checks the endpoint; plain http to a host that is not
// loopback is refused unless allowed in so many words.
func readEndpoint(cfg providerModel, diags *diag.Diagnostics) string {
	endpoint := stringOr(cfg.Endpoint, os.Getenv(EnvEndpoint), sovx.DefaultEndpoint)
	u, err := sovx.ParseEndpoint(endpoint)
	if err != nil {
		diags.AddAttributeError(path.Root("endpoint"), "Invalid API endpoint",
			fmt.Sprintf("%s. Set the provider's endpoint (or %s) to the API's base URL.", err, EnvEndpoint))
		return endpoint
	}
	if u.Scheme != "http" || webhook.IsLoopback(u.Hostname()) {
		return endpoint
	}
	allowed := cfg.AllowInsecureHTTP.ValueBool()
	if cfg.AllowInsecureHTTP.IsNull() && os.Getenv(EnvAllowInsecureHTTP) != "" {
		var err error
		if allowed, err = strconv.ParseBool(os.Getenv(EnvAllowInsecureHTTP)); err != nil {
			diags.AddAttributeError(path.Root("allow_insecure_http"), "Invalid "+EnvAllowInsecureHTTP,
				fmt.Sprintf("%s must be true or false.", EnvAllowInsecureHTTP))
		}
	}
	risk := fmt.Sprintf("The endpoint %s uses plain http: the session token and every header value would cross the "+
		"network unencrypted.", u.Redacted())
	if !allowed {
		diags.AddAttributeError(path.Root("endpoint"), "API endpoint is not encrypted", risk+
			fmt.Sprintf(" Use the https:// endpoint. Only on a network you trust end to end, set allow_insecure_http = true "+
				"(or %s=true).", EnvAllowInsecureHTTP))
		return endpoint
	}
	diags.AddAttributeWarning(path.Root("endpoint"), "API endpoint is not encrypted", risk+" allow_insecure_http is set.")
	return endpoint
}

// readToken checks the token from the environment as the attribute's validator checks the attribute, and refuses a
// missing one at plan time rather than half-way through an apply.
func readToken(cfg providerModel, diags *diag.Diagnostics) string {
	if !cfg.Token.IsNull() {
		return cfg.Token.ValueString() // checked by tokenValidator
	}
	token := os.Getenv(EnvToken)
	if token == "" {
		diags.AddAttributeError(path.Root("token"), "No API token configured",
			fmt.Sprintf("Set the %s environment variable (or the provider's token argument) to a session token.", EnvToken))
		return ""
	}
	if err := checkToken(token); err != nil {
		diags.AddAttributeError(path.Root("token"), "Invalid "+EnvToken, fmt.Sprintf("%s %s.", EnvToken, err))
	}
	return token
}

func readMaxRetries(cfg providerModel, diags *diag.Diagnostics) int {
	if !cfg.MaxRetries.IsNull() {
		return int(cfg.MaxRetries.ValueInt64())
	}
	return fromEnv("max_retries", EnvMaxRetries, sovx.DefaultMaxRetries, func(s string) (int, error) {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 || n > maxRetriesLimit {
			return 0, fmt.Errorf("must be a whole number between 0 and %d", maxRetriesLimit)
		}
		return n, nil
	}, diags)
}

func readMaxRPS(cfg providerModel, diags *diag.Diagnostics) float64 {
	if !cfg.MaxRPS.IsNull() {
		return cfg.MaxRPS.ValueFloat64()
	}
	return fromEnv("max_requests_per_second", EnvMaxRPS, 0, func(s string) (float64, error) {
		n, err := strconv.ParseFloat(s, 64)
		if err != nil || n < minRequestsPerSecond || math.IsInf(n, 0) || math.IsNaN(n) {
			return 0, fmt.Errorf("must be a number of requests per second, at least %g (for example 20)", minRequestsPerSecond)
		}
		return n, nil
	}, diags)
}

func readRequestTimeout(cfg providerModel, diags *diag.Diagnostics) time.Duration {
	parse := func(s string) (time.Duration, error) { return parseDuration(s, minRequestTimeout, maxRequestTimeout) }
	if !cfg.RequestTimeout.IsNull() {
		d, _ := parse(cfg.RequestTimeout.ValueString()) // checked by the attribute's validator
		return d
	}
	return fromEnv("request_timeout", EnvRequestTimeout, 0, parse, diags)
}

// fromEnv reads a setting the provider block leaves out from its environment
// variable (def when that is unset too), checked as the attribute is.
func fromEnv[T any](attribute, env string, def T, parse func(string) (T, error), diags *diag.Diagnostics) T {
	raw := os.Getenv(env)
	if raw == "" {
		return def
	}
	v, err := parse(raw)
	if err != nil {
		diags.AddAttributeError(path.Root(attribute), "Invalid "+env, fmt.Sprintf("%s %s.", env, err))
	}
	return v
}
