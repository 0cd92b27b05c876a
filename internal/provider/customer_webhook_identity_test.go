package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/sovera/terraform-provider-sovx/internal/sovxtest"
)

func TestCustomerWebhookIdentityThroughTheProtocol(t *testing.T) {
	api := sovxtest.NewServer(sovxtest.Options{Customers: []string{"cus_1"}, Strict: true})
	defer api.Close()
	api.SetWebhook("cus_1", sovxtest.Webhook{URL: "https://example.com/hook", Headers: []sovxtest.Header{{Key: "X-Key", Value: "secret"}}})
	p := newProtocolServer(t, api)
	ctx := context.Background()

	schemas, err := p.server.GetResourceIdentitySchemas(ctx, &tfprotov6.GetResourceIdentitySchemasRequest{})
	if err != nil {
		t.Fatal(err)
	}
	identitySchema := schemas.IdentitySchemas[webhookType]
	if identitySchema == nil || len(identitySchema.IdentityAttributes) != 1 ||
		identitySchema.IdentityAttributes[0].Name != "customer_id" || !identitySchema.IdentityAttributes[0].RequiredForImport {
		t.Fatalf("identity schema = %+v, want one required-for-import customer_id", identitySchema)
	}
	identityType := identitySchema.ValueType()
	stateType := p.schema.ResourceSchemas[webhookType].ValueType()

	// Import by identity, as `import { identity = { customer_id = "cus_1" } }` does.
	imported, err := p.server.ImportResourceState(ctx, &tfprotov6.ImportResourceStateRequest{
		TypeName: webhookType,
		Identity: &tfprotov6.ResourceIdentityData{IdentityData: p.value(identityType, map[string]tftypes.Value{
			"customer_id": tftypes.NewValue(tftypes.String, "cus_1"),
		})},
	})
	if err != nil {
		t.Fatal(err)
	}
	p.noErrors("ImportResourceState", imported.Diagnostics)
	if len(imported.ImportedResources) != 1 {
		t.Fatalf("imported %d resources", len(imported.ImportedResources))
	}
	res := imported.ImportedResources[0]
	state := p.decode(stateType, res.State)
	if stringOf(t, state["customer_id"]) != "cus_1" || stringOf(t, state["id"]) != "cus_1" {
		t.Errorf("imported state = %v", state)
	}
	if got := stringOf(t, p.decode(identityType, res.Identity.IdentityData)["customer_id"]); got != "cus_1" {
		t.Errorf("imported identity customer_id = %q", got)
	}

	// The read that follows an import fills the URL and keeps the identity.
	read, err := p.server.ReadResource(ctx, &tfprotov6.ReadResourceRequest{
		TypeName: webhookType, CurrentState: res.State, CurrentIdentity: res.Identity,
	})
	if err != nil {
		t.Fatal(err)
	}
	p.noErrors("ReadResource", read.Diagnostics)
	if got := stringOf(t, p.decode(stateType, read.NewState)["url"]); got != "https://example.com/hook" {
		t.Errorf("read url = %q", got)
	}
	if read.NewIdentity == nil || stringOf(t, p.decode(identityType, read.NewIdentity.IdentityData)["customer_id"]) != "cus_1" {
		t.Errorf("read identity = %+v", read.NewIdentity)
	}

	// A bad identity is rejected before any request.
	api.ResetRequests()
	bad, err := p.server.ImportResourceState(ctx, &tfprotov6.ImportResourceStateRequest{
		TypeName: webhookType,
		Identity: &tfprotov6.ResourceIdentityData{IdentityData: p.value(identityType, map[string]tftypes.Value{
			"customer_id": tftypes.NewValue(tftypes.String, "../x"),
		})},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(bad.Diagnostics) == 0 || bad.Diagnostics[0].Summary != "Invalid import id" || len(api.Requests()) != 0 {
		t.Errorf("bad identity: diagnostics %+v, %d requests", bad.Diagnostics, len(api.Requests()))
	}
}

// Identity import needs Terraform 1.12 (or OpenTofu 1.12); on older versions
// this is skipped and TestCustomerWebhookIdentityThroughTheProtocol covers
// the provider side.
func TestAccCustomerWebhook_importByIdentityThenConverge(t *testing.T) {
	testImportBlockConverges(t, sovxtest.DefaultDialect(), `identity = { customer_id = "cus_1" }`,
		[]tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)},
		[]statecheck.StateCheck{
			statecheck.ExpectIdentity(webhookAddr, map[string]knownvalue.Check{"customer_id": knownvalue.StringExact("cus_1")}),
		})
}
