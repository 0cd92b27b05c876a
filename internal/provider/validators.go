package provider

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/sovera/terraform-provider-sovx/internal/sovx"
	"github.com/sovera/terraform-provider-sovx/internal/webhook"
)

// endpointValidator checks the provider's endpoint at plan time.
type endpointValidator struct{}

func (endpointValidator) Description(context.Context) string {
	return "must be an absolute http(s) URL with a host"
}
func (v endpointValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (endpointValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := sovx.ParseEndpoint(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid API endpoint",
			fmt.Sprintf("%s. Set endpoint to the API base URL including /sovx/v1, for example %s.", err, sovx.DefaultEndpoint))
	}
}

// tokenValidator rejects an empty or malformed token without echoing it.
type tokenValidator struct{}

func (tokenValidator) Description(context.Context) string {
	return "must be a non-empty token without whitespace"
}
func (v tokenValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (tokenValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	token := req.ConfigValue.ValueString()
	switch {
	case token == "":
		resp.Diagnostics.AddAttributeError(req.Path, "Empty API token",
			"token is set to an empty string. Remove it to use the SOVX_TOKEN environment variable, or set a session token.")
	case strings.ContainsAny(token, " \t\r\n"):
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid API token",
			"token contains whitespace or a line break. Set only the session token itself, without the \"Bearer \" prefix.")
	}
}

// durationValidator checks a Go duration string within bounds.
type durationValidator struct{ min, max time.Duration }

func (v durationValidator) Description(context.Context) string {
	return fmt.Sprintf("must be a duration such as 30s or 2m, between %s and %s", v.min, v.max)
}
func (v durationValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v durationValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := parseDuration(req.ConfigValue.ValueString(), v.min, v.max); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid duration", fmt.Sprintf("%s %s.", req.Path, err))
	}
}

func parseDuration(s string, lo, hi time.Duration) (time.Duration, error) {
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("must be a duration such as 30s or 2m, got %q", s)
	}
	if d < lo || d > hi {
		return 0, fmt.Errorf("must be between %s and %s, got %s", lo, hi, d)
	}
	return d, nil
}

// customerIDValidator applies webhook.CheckCustomerID.
type customerIDValidator struct{}

func (customerIDValidator) Description(context.Context) string {
	return "must be a customer id: not empty, no slashes or whitespace"
}
func (v customerIDValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (customerIDValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if err := webhook.CheckCustomerID(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid customer id",
			fmt.Sprintf("customer_id %q %s.", req.ConfigValue.ValueString(), err))
	}
}

// webhookURLValidator applies webhook.CheckURL: errors for unusable URLs, a
// warning for plain http to a non-loopback host.
type webhookURLValidator struct{}

func (webhookURLValidator) Description(context.Context) string {
	return "must be an absolute https (or http) URL with a host"
}
func (v webhookURLValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (webhookURLValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	warning, err := webhook.CheckURL(req.ConfigValue.ValueString())
	if err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid webhook URL",
			fmt.Sprintf("url %q %s.", req.ConfigValue.ValueString(), err))
		return
	}
	if warning != "" {
		resp.Diagnostics.AddAttributeWarning(req.Path, "Webhook URL is not encrypted", warning)
	}
}

// headerValueValidator rejects CR/LF in a header value. Unlike the generic
// regex validator it never prints the value, which is a secret.
type headerValueValidator struct{}

func (headerValueValidator) Description(context.Context) string {
	return "must not contain carriage returns or line feeds"
}
func (v headerValueValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (headerValueValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if err := webhook.CheckHeaderValue(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid header value",
			fmt.Sprintf("The value of %s %s: an HTTP header value is a single line.", req.Path, err))
	}
}

// uniqueHeaderNamesValidator rejects header names equal ignoring case, which
// HTTP treats as the same header.
type uniqueHeaderNamesValidator struct{}

func (uniqueHeaderNamesValidator) Description(context.Context) string {
	return "header names must be unique ignoring case"
}
func (v uniqueHeaderNamesValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (uniqueHeaderNamesValidator) ValidateMap(_ context.Context, req validator.MapRequest, resp *validator.MapResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	names := make([]string, 0, len(req.ConfigValue.Elements()))
	for name := range req.ConfigValue.Elements() {
		names = append(names, name)
	}
	for _, group := range webhook.DuplicateNames(names) {
		resp.Diagnostics.AddAttributeError(req.Path, "Duplicate header name",
			fmt.Sprintf("headers %q name the same HTTP header (names are case-insensitive). Keep one of them.",
				group))
	}
}
