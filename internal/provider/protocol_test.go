package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/sovera/terraform-provider-sovx/internal/sovxtest"
)

// protocolServer drives the provider through the plugin protocol, for
// features Terraform 1.11 cannot exercise (identity import, actions).
type protocolServer struct {
	t      testing.TB
	server tfprotov6.ProviderServer
	schema *tfprotov6.GetProviderSchemaResponse
}

// newProtocolServer returns a provider configured for the fake API.
func newProtocolServer(t testing.TB, api *sovxtest.Server) *protocolServer {
	t.Helper()
	ctx := context.Background()
	p := &protocolServer{t: t, server: providerserver.NewProtocol6(newProvider("test", fastRetries)())()}
	var err error
	if p.schema, err = p.server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{}); err != nil {
		t.Fatal(err)
	}
	config := p.value(p.schema.Provider.ValueType(), map[string]tftypes.Value{
		"endpoint":        tftypes.NewValue(tftypes.String, api.URL),
		"token":           tftypes.NewValue(tftypes.String, api.Token),
		"max_retries":     tftypes.NewValue(tftypes.Number, nil),
		"request_timeout": tftypes.NewValue(tftypes.String, nil),
	})
	resp, err := p.server.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{TerraformVersion: "1.14.0", Config: config})
	if err != nil {
		t.Fatal(err)
	}
	p.noErrors("ConfigureProvider", resp.Diagnostics)
	return p
}

// value encodes an object of the given type, filling unnamed attributes with null.
func (p *protocolServer) value(typ tftypes.Type, attrs map[string]tftypes.Value) *tfprotov6.DynamicValue {
	p.t.Helper()
	obj := typ.(tftypes.Object)
	full := make(map[string]tftypes.Value, len(obj.AttributeTypes))
	for name, at := range obj.AttributeTypes {
		if v, ok := attrs[name]; ok {
			full[name] = v
		} else {
			full[name] = tftypes.NewValue(at, nil)
		}
	}
	dv, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, full))
	if err != nil {
		p.t.Fatal(err)
	}
	return &dv
}

// decode returns the attributes of an object-typed dynamic value.
func (p *protocolServer) decode(typ tftypes.Type, dv *tfprotov6.DynamicValue) map[string]tftypes.Value {
	p.t.Helper()
	v, err := dv.Unmarshal(typ)
	if err != nil {
		p.t.Fatal(err)
	}
	var attrs map[string]tftypes.Value
	if err := v.As(&attrs); err != nil {
		p.t.Fatal(err)
	}
	return attrs
}

func (p *protocolServer) noErrors(call string, diags []*tfprotov6.Diagnostic) {
	p.t.Helper()
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			p.t.Fatalf("%s: %s: %s", call, d.Summary, d.Detail)
		}
	}
}

func stringOf(t testing.TB, v tftypes.Value) string {
	t.Helper()
	var s string
	if err := v.As(&s); err != nil {
		t.Fatal(err)
	}
	return s
}

// configure sends ConfigureProvider with the given endpoint and token and
// returns the diagnostics.
func configureDiagnostics(t *testing.T, endpoint, token string) []*tfprotov6.Diagnostic {
	t.Helper()
	server := providerserver.NewProtocol6(New("test")())()
	schema, err := server.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	p := &protocolServer{t: t, server: server, schema: schema}
	resp, err := server.ConfigureProvider(context.Background(), &tfprotov6.ConfigureProviderRequest{
		TerraformVersion: "1.11.4",
		Config: p.value(schema.Provider.ValueType(), map[string]tftypes.Value{
			"endpoint": tftypes.NewValue(tftypes.String, endpoint),
			"token":    tftypes.NewValue(tftypes.String, token),
		}),
	})
	if err != nil {
		t.Fatal(err)
	}
	return resp.Diagnostics
}

func TestPlainHTTPEndpointWarnsExceptOnLoopback(t *testing.T) {
	for endpoint, warn := range map[string]bool{
		"http://api.example.com/sovx/v1":  true,
		"https://api.example.com/sovx/v1": false,
		"http://127.0.0.1:8080/sovx/v1":   false,
		"http://localhost/sovx/v1":        false,
	} {
		diags := configureDiagnostics(t, endpoint, "t")
		got := len(diags) == 1 && diags[0].Severity == tfprotov6.DiagnosticSeverityWarning &&
			diags[0].Summary == "API endpoint is not encrypted"
		if got != warn || (!warn && len(diags) != 0) {
			t.Errorf("endpoint %s: diagnostics %+v, want warning: %v", endpoint, diags, warn)
		}
	}
}

func TestPlainHTTPWebhookURLWarnsExceptOnLoopback(t *testing.T) {
	server := providerserver.NewProtocol6(New("test")())()
	schema, err := server.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	p := &protocolServer{t: t, server: server, schema: schema}
	for url, warn := range map[string]bool{
		"http://example.com/hook":  true,
		"https://example.com/hook": false,
		"http://127.0.0.1/hook":    false,
	} {
		resp, err := server.ValidateResourceConfig(context.Background(), &tfprotov6.ValidateResourceConfigRequest{
			TypeName: webhookType,
			Config: p.value(schema.ResourceSchemas[webhookType].ValueType(), map[string]tftypes.Value{
				"customer_id": tftypes.NewValue(tftypes.String, "cus_1"),
				"url":         tftypes.NewValue(tftypes.String, url),
			}),
		})
		if err != nil {
			t.Fatal(err)
		}
		got := len(resp.Diagnostics) == 1 && resp.Diagnostics[0].Severity == tfprotov6.DiagnosticSeverityWarning &&
			strings.Contains(resp.Diagnostics[0].Detail, "unencrypted")
		if got != warn || (!warn && len(resp.Diagnostics) != 0) {
			t.Errorf("url %s: diagnostics %+v, want warning: %v", url, resp.Diagnostics, warn)
		}
	}
}
