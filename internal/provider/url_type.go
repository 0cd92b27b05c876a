package provider

import (
	"context"
	"fmt"
	"strconv"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/sovera/terraform-provider-sovx/internal/sovx"
	"github.com/sovera/terraform-provider-sovx/internal/webhook"
)

// The url attribute's type: a string whose semantic equality is webhook.SameURL, so a server that stores the URL
// normalized (host in lower case, default port dropped, ...) shows no drift and triggers no update.

var (
	_ basetypes.StringTypable                    = webhookURLType{}
	_ basetypes.StringValuableWithSemanticEquals = webhookURLValue{}
)

type webhookURLType struct {
	basetypes.StringType
}

func (t webhookURLType) Equal(o attr.Type) bool {
	other, ok := o.(webhookURLType)
	return ok && t.StringType.Equal(other.StringType)
}

func (t webhookURLType) String() string { return "webhookURLType" }

func (t webhookURLType) ValueFromString(_ context.Context, in basetypes.StringValue) (basetypes.StringValuable, diag.Diagnostics) {
	return webhookURLValue{StringValue: in}, nil
}

func (t webhookURLType) ValueFromTerraform(ctx context.Context, in tftypes.Value) (attr.Value, error) {
	v, err := t.StringType.ValueFromTerraform(ctx, in)
	if err != nil {
		return nil, err
	}
	s, ok := v.(basetypes.StringValue)
	if !ok {
		return nil, fmt.Errorf("unexpected value type %T", v)
	}
	return webhookURLValue{StringValue: s}, nil
}

func (t webhookURLType) ValueType(context.Context) attr.Value { return webhookURLValue{} }

type webhookURLValue struct {
	basetypes.StringValue
}

func newWebhookURL(s string) webhookURLValue {
	return webhookURLValue{StringValue: basetypes.NewStringValue(s)}
}

func (v webhookURLValue) Type(context.Context) attr.Type { return webhookURLType{} }

func (v webhookURLValue) Equal(o attr.Value) bool {
	other, ok := o.(webhookURLValue)
	return ok && v.StringValue.Equal(other.StringValue)
}

// String is the URL without its secret parts: terraform-plugin-framework v1.19.0 logs a value's String() at TRACE as
// "tf_value_type" before it calls StringSemanticEquals (fwschemadata).
func (v webhookURLValue) String() string {
	if v.IsNull() || v.IsUnknown() {
		return v.StringValue.String()
	}
	return strconv.Quote(sovx.ShowURL(v.ValueString()))
}

// StringSemanticEquals: the same webhook URL, however normalized.
func (v webhookURLValue) StringSemanticEquals(_ context.Context, o basetypes.StringValuable) (bool, diag.Diagnostics) {
	other, ok := o.(webhookURLValue)
	if !ok {
		return false, nil
	}
	return webhook.SameURL(v.ValueString(), other.ValueString()), nil
}
