package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/sovera/terraform-provider-sovx/internal/sovxtest"
)

// BenchmarkReadResource is one refresh through the plugin protocol: what the
// provider spends per resource in a plan, the API round trip included.
func BenchmarkReadResource(b *testing.B) {
	p, api := benchProtocol(b)
	api.SetWebhook("cus_1", sovxtest.Webhook{URL: "https://example.com/hook", Headers: []sovxtest.Header{
		{Key: "Authorization", Value: "a"}, {Key: "X-API-Key", Value: "b"}}})
	stateType := p.schema.ResourceSchemas[webhookType].ValueType()
	headerType := stateType.(tftypes.Object).AttributeTypes["headers"].(tftypes.Map).ElementType
	header := func(v string) tftypes.Value {
		return tftypes.NewValue(headerType, map[string]tftypes.Value{
			"value": tftypes.NewValue(tftypes.String, v), "value_wo": tftypes.NewValue(tftypes.String, nil)})
	}
	state := p.value(stateType, map[string]tftypes.Value{
		"id":          tftypes.NewValue(tftypes.String, "cus_1"),
		"customer_id": tftypes.NewValue(tftypes.String, "cus_1"),
		"url":         tftypes.NewValue(tftypes.String, "https://example.com/hook"),
		"verify":      tftypes.NewValue(tftypes.Bool, true),
		"headers": tftypes.NewValue(tftypes.Map{ElementType: headerType}, map[string]tftypes.Value{
			"Authorization": header("a"), "X-API-Key": header("b")}),
	})
	ctx := context.Background()
	req := &tfprotov6.ReadResourceRequest{TypeName: webhookType, CurrentState: state}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		resp, err := p.server.ReadResource(ctx, req)
		if err != nil || len(resp.Diagnostics) > 0 {
			b.Fatalf("read: %v %+v", err, resp.Diagnostics)
		}
	}
}

// BenchmarkPlanCreate is the plan of one create through the plugin
// protocol: the check of what the create will find included (a 404).
func BenchmarkPlanCreate(b *testing.B) {
	p, _ := benchProtocol(b)
	config := p.webhookValue("cus_1", "https://example.com/hook")
	b.ReportAllocs()
	for b.Loop() {
		if planned := p.planCreate(config, nil); len(planned.Diagnostics) > 0 {
			b.Fatalf("plan: %+v", planned.Diagnostics)
		}
	}
}

// BenchmarkCreate is one create as an apply does it through the protocol:
// its plan (with the check of what it will find) and the create.
func BenchmarkCreate(b *testing.B) {
	p, _ := benchProtocol(b)
	config := p.webhookValue("cus_1", "https://example.com/hook")
	b.ReportAllocs()
	for b.Loop() {
		p.noErrors("create", p.apply(config, p.planCreate(config, nil), p.noWebhook()).Diagnostics)
	}
}

// BenchmarkUpdate is one update of the URL as an apply does it through the
// protocol: its plan and the update.
func BenchmarkUpdate(b *testing.B) {
	p, _ := benchProtocol(b)
	config := p.webhookValue("cus_1", "https://example.com/new")
	prior := p.planCreate(p.webhookValue("cus_1", "https://example.com/old"), nil).PlannedState
	b.ReportAllocs()
	for b.Loop() {
		plan, err := p.server.PlanResourceChange(context.Background(), &tfprotov6.PlanResourceChangeRequest{
			TypeName: webhookType, Config: config, ProposedNewState: config, PriorState: prior})
		if err != nil {
			b.Fatal(err)
		}
		p.noErrors("plan", plan.Diagnostics)
		p.noErrors("update", p.apply(config, plan, prior).Diagnostics)
	}
}

// benchProtocol is a protocol server against a fake API with customer
// cus_1, and the fake.
func benchProtocol(b *testing.B) (*protocolServer, *sovxtest.Server) {
	api := sovxtest.NewServer(sovxtest.Options{Customers: []string{"cus_1"}})
	b.Cleanup(api.Close)
	return newProtocolServer(b, api), api
}
