package provider

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/sovera/terraform-provider-sovx/internal/sovx"
	"github.com/sovera/terraform-provider-sovx/internal/webhook"
)

// stringCheck adapts a check of a known, non-null string into a framework
// validator; the checks below are the provider's own rules.
type stringCheck struct {
	description string
	check       func(p path.Path, value string, diags *diag.Diagnostics)
}

func (v stringCheck) Description(context.Context) string         { return v.description }
func (v stringCheck) MarkdownDescription(context.Context) string { return v.description }

func (v stringCheck) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	v.check(req.Path, req.ConfigValue.ValueString(), &resp.Diagnostics)
}

// endpointValidator checks the provider's endpoint at plan time.
func endpointValidator() validator.String {
	return stringCheck{"must be an absolute http(s) URL with a host", func(p path.Path, v string, diags *diag.Diagnostics) {
		if _, err := sovx.ParseEndpoint(v); err != nil {
			diags.AddAttributeError(p, "Invalid API endpoint", fmt.Sprintf("%s. Set endpoint to the API's base URL.", err))
		}
	}}
}

// tokenValidator rejects an empty or malformed token without echoing it.
func tokenValidator() validator.String {
	return stringCheck{"must be a non-empty token without whitespace", func(p path.Path, token string, diags *diag.Diagnostics) {
		if token == "" {
			diags.AddAttributeError(p, "Empty API token",
				"token is set to an empty string. Remove it to use the SOVX_TOKEN environment variable, or set a session token.")
			return
		}
		if err := checkToken(token); err != nil {
			diags.AddAttributeError(p, "Invalid API token", fmt.Sprintf("token %s.", err))
		}
	}}
}

// checkToken is the rule for a token from the attribute or SOVX_TOKEN; it never quotes the token.
func checkToken(token string) error {
	trimmed := strings.TrimRight(token, "\r\n")
	switch {
	case trimmed != token && !strings.ContainsAny(trimmed, " \t\r\n"):
		return fmt.Errorf("ends with a line break (as reading it from a file with cat can leave): set only the token itself")
	case strings.HasPrefix(token, "Bearer "):
		return fmt.Errorf("starts with \"Bearer \": set only the session token itself, the provider adds the prefix")
	case strings.IndexFunc(token, breaksToken) >= 0:
		return fmt.Errorf("contains whitespace or control characters: set only the session token itself")
	}
	return nil
}

func breaksToken(r rune) bool { return r <= ' ' || r == 0x7f }

// durationValidator checks a Go duration string within bounds.
func durationValidator(lo, hi time.Duration) validator.String {
	return stringCheck{fmt.Sprintf("must be a duration such as 30s or 2m, between %s and %s", lo, hi),
		func(p path.Path, v string, diags *diag.Diagnostics) {
			if _, err := parseDuration(v, lo, hi); err != nil {
				diags.AddAttributeError(p, "Invalid duration", fmt.Sprintf("%s %s.", p, err))
			}
		}}
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
func customerIDValidator() validator.String {
	return stringCheck{"must be a customer id: not empty, no slashes or whitespace", func(p path.Path, id string, diags *diag.Diagnostics) {
		if err := webhook.CheckCustomerID(id); err != nil {
			diags.AddAttributeError(p, "Invalid customer id", fmt.Sprintf("customer_id %q %s.", id, err))
		}
	}}
}

// webhookURLValidator applies webhook.CheckURL's errors for unusable URLs. Its warning for plain http comes from the
// plan (warnURL): Terraform validates a configuration twice per plan, and would show it twice.
func webhookURLValidator() validator.String {
	return stringCheck{"must be an absolute https (or http) URL with a host", func(p path.Path, url string, diags *diag.Diagnostics) {
		if _, err := webhook.CheckURL(url); err != nil {
			diags.AddAttributeError(p, "Invalid webhook URL", fmt.Sprintf("url %q %s.", sovx.ShowURL(url), err))
		}
	}}
}

// warnURL warns, once per plan that sets it, that a webhook URL is plain http to a host that is not loopback.
func warnURL(p path.Path, url types.String, diags *diag.Diagnostics) {
	if url.IsNull() || url.IsUnknown() {
		return
	}
	if warning, err := webhook.CheckURL(url.ValueString()); err == nil && warning != "" {
		diags.AddAttributeWarning(p, "Webhook URL is not encrypted", warning)
	}
}

// headerValueValidator rejects line breaks and control characters in a header value. Unlike the generic regex
// validator it never prints the value, which is a secret.
func headerValueValidator() validator.String {
	return stringCheck{"must not contain line breaks or control characters", func(p path.Path, v string, diags *diag.Diagnostics) {
		if err := webhook.CheckHeaderValue(v); err != nil {
			diags.AddAttributeError(p, "Invalid header value",
				fmt.Sprintf("The value of %s %s: an HTTP header value is a single line of text.", p, err))
		}
	}}
}

// headerNamesValidator checks the headers map's keys: what the API accepts as a header key, and unique ignoring case,
// which HTTP treats as the same header. Each error names the key and what to write.
type headerNamesValidator struct{}

func (headerNamesValidator) Description(context.Context) string {
	return fmt.Sprintf("header names are letters, digits, hyphens and underscores, at most %d characters, unique "+
		"ignoring case", webhook.MaxHeaderNameLength)
}

func (v headerNamesValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (headerNamesValidator) ValidateMap(_ context.Context, req validator.MapRequest, resp *validator.MapResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	names := headerNames(req.ConfigValue)
	for _, name := range names {
		if err := webhook.CheckHeaderName(name); err != nil {
			resp.Diagnostics.AddAttributeError(req.Path.AtMapKey(name), "Invalid header name", capitalized(err)+".")
		}
	}
	for _, group := range webhook.DuplicateNames(names) {
		resp.Diagnostics.AddAttributeError(req.Path, "Duplicate header name",
			fmt.Sprintf("headers %q name the same HTTP header (names are case-insensitive). Keep one of them.", group))
	}
}

// oneHeaderValueValidator asks for exactly one of value and value_wo in a
// header, in words (the framework's ExactlyOneOf prints attribute paths).
type oneHeaderValueValidator struct{}

func (oneHeaderValueValidator) Description(context.Context) string {
	return "exactly one of value or value_wo must be set"
}

func (v oneHeaderValueValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (oneHeaderValueValidator) ValidateObject(_ context.Context, req validator.ObjectRequest, resp *validator.ObjectResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	attrs := req.ConfigValue.Attributes()
	set := func(name string) bool { v, ok := attrs[name]; return ok && !v.IsNull() }
	unknown := func(name string) bool { v, ok := attrs[name]; return ok && v.IsUnknown() }
	if unknown("value") || unknown("value_wo") {
		return
	}
	switch {
	case set("value") && set("value_wo"):
		resp.Diagnostics.AddAttributeError(req.Path, "Header value set twice",
			fmt.Sprintf("%s sets both value and value_wo: set exactly one. value is kept in state; value_wo is "+
				"write-only (never stored) and needs headers_wo_version to send a new value.", req.Path))
	case !set("value") && !set("value_wo"):
		resp.Diagnostics.AddAttributeError(req.Path, "Header value missing",
			fmt.Sprintf("%s has no value: set value = \"...\" (kept in state) or value_wo = \"...\" (write-only: "+
				"never stored).", req.Path))
	}
}

// capitalized is an error's text as a sentence.
func capitalized(err error) string {
	s := err.Error()
	return strings.ToUpper(s[:1]) + s[1:]
}
