package provider

import (
	"context"
	"fmt"
	"reflect"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// The resource's model, read from and written to the protocol's values by the attribute types of its own schema.

type customerWebhookModel struct {
	ID               types.String
	CustomerID       types.String
	URL              webhookURLValue
	Headers          types.Map
	HeadersWOVersion types.Int64
	Verify           types.Bool
	VerifyWait       types.String
	Verified         types.Bool
	APIEndpoint      types.String
	Timeouts         timeouts.Value
}

var headerObjectType = types.ObjectType{AttrTypes: map[string]attr.Type{
	"value":    types.StringType,
	"value_wo": types.StringType,
}}

// webhookSchema is the resource's schema, built once.
var webhookSchema = sync.OnceValue(func() schema.Schema {
	var resp resource.SchemaResponse
	(&customerWebhookResource{}).Schema(context.Background(), resource.SchemaRequest{}, &resp)
	return resp.Schema
})

// webhookAttributeTypes are the schema's attribute and block types by name.
var webhookAttributeTypes = sync.OnceValue(func() map[string]attr.Type {
	s := webhookSchema()
	types := make(map[string]attr.Type, len(s.Attributes)+len(s.Blocks))
	for name, a := range s.Attributes {
		types[name] = a.GetType()
	}
	for name, b := range s.Blocks {
		types[name] = b.Type()
	}
	return types
})

// readWebhookModel reads a plan, state or configuration value: one of the schema's type, as the framework hands every
// one (TestWebhookModelRoundTrip holds the model and the schema to the same attributes).
func readWebhookModel(ctx context.Context, raw tftypes.Value) (customerWebhookModel, diag.Diagnostics) {
	var m customerWebhookModel
	var diags diag.Diagnostics
	var values map[string]tftypes.Value
	if err := raw.As(&values); err != nil {
		diags.AddError("Provider bug: unreadable webhook value", err.Error())
		return m, diags
	}
	fields := m.fields()
	for name, v := range values {
		value, err := webhookAttributeTypes()[name].ValueFromTerraform(ctx, v)
		if err == nil {
			err = setField(fields[name], value)
		}
		if err != nil {
			diags.AddError("Provider bug: unreadable webhook value", fmt.Sprintf("attribute %q: %s", name, err))
		}
	}
	return m, diags
}

// terraformValue is the model as a value of the schema's type (typ: the type of the request's plan or state).
func (m customerWebhookModel) terraformValue(ctx context.Context, typ tftypes.Type) (tftypes.Value, diag.Diagnostics) {
	var diags diag.Diagnostics
	fields := m.fields()
	values := make(map[string]tftypes.Value, len(fields))
	for name, field := range fields {
		v, err := reflect.ValueOf(field).Elem().Interface().(attr.Value).ToTerraformValue(ctx)
		if err != nil {
			diags.AddError("Provider bug: unwritable webhook value", fmt.Sprintf("attribute %q: %s", name, err))
			continue
		}
		values[name] = v
	}
	if err := tftypes.ValidateValue(typ, values); err != nil {
		diags.AddError("Provider bug: unwritable webhook value", err.Error())
	}
	if diags.HasError() {
		return tftypes.Value{}, diags
	}
	return tftypes.NewValue(typ, values), diags
}

// fields are pointers to the model's fields by attribute name: the one
// place that pairs them, for reading and writing.
func (m *customerWebhookModel) fields() map[string]any {
	return map[string]any{
		"id": &m.ID, "customer_id": &m.CustomerID, "url": &m.URL, "headers": &m.Headers,
		"headers_wo_version": &m.HeadersWOVersion, "verify": &m.Verify, "verify_wait": &m.VerifyWait,
		"verified": &m.Verified, "api_endpoint": &m.APIEndpoint, "timeouts": &m.Timeouts,
	}
}

// setField sets the field a pointer from fields points to.
func setField(field any, v attr.Value) error {
	target, value := reflect.ValueOf(field).Elem(), reflect.ValueOf(v)
	if !value.IsValid() || !value.Type().AssignableTo(target.Type()) {
		return fmt.Errorf("a %T where the model has a %s", v, target.Type())
	}
	target.Set(value)
	return nil
}

// headerValueFields reads one element of the headers map.
func headerValueFields(element attr.Value) (value, valueWO types.String) {
	obj, _ := element.(types.Object)
	attrs := obj.Attributes()
	value, _ = attrs["value"].(types.String)
	valueWO, _ = attrs["value_wo"].(types.String)
	return value, valueWO
}

// writeWebhookModel stores the model in a state or a listed resource, in place of the value of the schema's type the
// framework hands in (null where there is none).
func writeWebhookModel(ctx context.Context, raw *tftypes.Value, m customerWebhookModel) diag.Diagnostics {
	value, diags := m.terraformValue(ctx, raw.Type())
	if !diags.HasError() {
		*raw = value
	}
	return diags
}
