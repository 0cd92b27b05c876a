package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

func webhookSchemaType(t *testing.T) tftypes.Object {
	t.Helper()
	var resp resource.SchemaResponse
	(&customerWebhookResource{}).Schema(context.Background(), resource.SchemaRequest{}, &resp)
	return resp.Schema.Type().TerraformType(context.Background()).(tftypes.Object)
}

// Every attribute survives a read and a write unchanged, whether known,
// null or unknown: the model and the schema agree field by field.
func TestWebhookModelRoundTrip(t *testing.T) {
	ctx := context.Background()
	typ := webhookSchemaType(t)
	headers := typ.AttributeTypes["headers"].(tftypes.Map)
	header := headers.ElementType.(tftypes.Object)
	limits := typ.AttributeTypes["timeouts"].(tftypes.Object)
	full := tftypes.NewValue(typ, map[string]tftypes.Value{
		"id":          tftypes.NewValue(tftypes.String, "cus_1"),
		"customer_id": tftypes.NewValue(tftypes.String, "cus_1"),
		"url":         tftypes.NewValue(tftypes.String, "https://example.com/hook"),
		"headers": tftypes.NewValue(headers, map[string]tftypes.Value{
			"X-API-Key": tftypes.NewValue(header, map[string]tftypes.Value{
				"value": tftypes.NewValue(tftypes.String, "k"), "value_wo": tftypes.NewValue(tftypes.String, nil)}),
			"Authorization": tftypes.NewValue(header, map[string]tftypes.Value{
				"value": tftypes.NewValue(tftypes.String, nil), "value_wo": tftypes.NewValue(tftypes.String, "w")}),
		}),
		"headers_wo_version": tftypes.NewValue(tftypes.Number, 3),
		"verify":             tftypes.NewValue(tftypes.Bool, false),
		"verify_wait":        tftypes.NewValue(tftypes.String, "2m"),
		"verified":           tftypes.NewValue(tftypes.Bool, true),
		"api_endpoint":       tftypes.NewValue(tftypes.String, "https://api.example/sovx/v1"),
		"timeouts": tftypes.NewValue(limits, map[string]tftypes.Value{
			"create": tftypes.NewValue(tftypes.String, "1m"), "update": tftypes.NewValue(tftypes.String, nil),
			"delete": tftypes.NewValue(tftypes.String, tftypes.UnknownValue)}),
	})
	sparse := tftypes.NewValue(typ, map[string]tftypes.Value{
		"id":                 tftypes.NewValue(tftypes.String, tftypes.UnknownValue),
		"customer_id":        tftypes.NewValue(tftypes.String, tftypes.UnknownValue),
		"url":                tftypes.NewValue(tftypes.String, tftypes.UnknownValue),
		"headers":            tftypes.NewValue(headers, tftypes.UnknownValue),
		"headers_wo_version": tftypes.NewValue(tftypes.Number, nil),
		"verify":             tftypes.NewValue(tftypes.Bool, nil),
		"verify_wait":        tftypes.NewValue(tftypes.String, nil),
		"verified":           tftypes.NewValue(tftypes.Bool, tftypes.UnknownValue),
		"api_endpoint":       tftypes.NewValue(tftypes.String, nil),
		"timeouts":           tftypes.NewValue(limits, nil),
	})
	for name, value := range map[string]tftypes.Value{"known": full, "unknown and null": sparse} {
		t.Run(name, func(t *testing.T) {
			m, diags := readWebhookModel(ctx, value)
			if diags.HasError() {
				t.Fatalf("read: %v", diags)
			}
			out := tftypes.NewValue(typ, nil)
			if diags := writeWebhookModel(ctx, &out, m); diags.HasError() {
				t.Fatalf("write: %v", diags)
			}
			if diff, err := value.Diff(out); err != nil || len(diff) > 0 {
				t.Errorf("written back differently: %v %v", diff, err)
			}
		})
	}
}
