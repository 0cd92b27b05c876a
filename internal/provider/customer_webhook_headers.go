package provider

import (
	"fmt"
	"maps"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/sovera/terraform-provider-sovx/internal/sovx"
	"github.com/sovera/terraform-provider-sovx/internal/webhook"
)

// Conversions between the headers attribute and internal/webhook's plain types.

// plannedHeaders pairs each planned header with its configured write-only
// value (the configuration is the only place write-only values exist).
func plannedHeaders(planned, configured types.Map) map[string]webhook.Planned {
	plan, config := planned.Elements(), configured.Elements() // copies: taken once
	in := make(map[string]webhook.Planned, len(plan))
	for name, h := range plan {
		value, _ := headerValueFields(h)
		_, writeOnly := headerValueFields(config[name])
		in[name] = webhook.Planned{Value: value.ValueStringPointer(), WriteOnly: writeOnly.ValueStringPointer()}
	}
	return in
}

// webhookSecrets lists the header values Terraform knows and the URL's secret parts, to scrub them from anything the
// API or the webhook endpoint quotes back, when no request is built (a verify alone).
func webhookSecrets(url string, planned, configured types.Map) []string {
	in := plannedHeaders(planned, configured)
	cfg := sovx.WebhookConfig{URL: url}
	for name, h := range in {
		for _, v := range []*string{h.Value, h.WriteOnly} {
			if v != nil {
				cfg.Headers = append(cfg.Headers, sovx.Header{Key: name, Value: *v})
			}
		}
	}
	return cfg.Secrets()
}

// headerNames lists the configured header names (the map's keys), sorted as a read's are.
func headerNames(m types.Map) []string { return slices.Sorted(maps.Keys(m.Elements())) }

// requestHeaders builds the header list to send: names and values from the
// plan, write-only values from the configuration. It never returns the mask.
func requestHeaders(planned, configured types.Map) ([]sovx.Header, diag.Diagnostics) {
	var diags diag.Diagnostics
	headers, err := webhook.RequestHeaders(plannedHeaders(planned, configured))
	if err != nil {
		diags.AddAttributeError(path.Root("headers"), "Header value unknown",
			fmt.Sprintf("%s. The API never returns header values, so Terraform knows only the values set in "+
				"configuration (after an import, none), and every write sends all of them. Set the header's value "+
				"(or value_wo) in configuration, and remove headers from lifecycle.ignore_changes if it is there. "+
				"Nothing was sent.", err))
		return nil, diags
	}
	return headers, diags
}

// valuesByName reads the header values Terraform holds (nil map: null attribute).
func valuesByName(m types.Map) map[string]*string {
	if m.IsNull() || m.IsUnknown() {
		return nil
	}
	headers := m.Elements()
	held := make(map[string]*string, len(headers))
	for name, h := range headers {
		value, _ := headerValueFields(h)
		held[name] = value.ValueStringPointer()
	}
	return held
}

// headersAttribute builds the headers attribute from held values (nil: null).
func headersAttribute(held map[string]*string) (types.Map, diag.Diagnostics) {
	if held == nil {
		return types.MapNull(headerObjectType), nil
	}
	elems := make(map[string]attr.Value, len(held))
	var diags diag.Diagnostics
	for name, v := range held {
		obj, d := types.ObjectValue(headerObjectType.AttrTypes, map[string]attr.Value{
			"value":    types.StringPointerValue(v),
			"value_wo": types.StringNull(),
		})
		diags.Append(d...)
		elems[name] = obj
	}
	m, d := types.MapValue(headerObjectType, elems)
	diags.Append(d...)
	return m, diags
}

// headersWithoutValue lists the planned headers that have neither a value
// in the plan nor a write-only value in configuration (sorted).
func headersWithoutValue(planned, configured types.Map) []string {
	var missing []string
	for name, h := range plannedHeaders(planned, configured) {
		if h.Value == nil && h.WriteOnly == nil {
			missing = append(missing, name)
		}
	}
	slices.Sort(missing)
	return missing
}
