package provider

import (
	"context"
	"fmt"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/sovera/terraform-provider-sovx/internal/webhook"
)

var _ resource.ResourceWithIdentity = (*customerWebhookResource)(nil)

// customerWebhookIdentity identifies a webhook for Terraform 1.12+ import
// blocks (`identity = { customer_id = "…" }`) and list queries.
type customerWebhookIdentity struct {
	CustomerID types.String `tfsdk:"customer_id"`
}

func (r *customerWebhookResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"customer_id": identityschema.StringAttribute{
				RequiredForImport: true,
				Description:       "The customer whose webhook this is; a customer has one webhook.",
			},
		},
	}
}

// setIdentity records the identity. The framework hands a nil identity to clients that do not support identities, and
// does not pre-fill it in Update on Terraform < 1.12, so it is set explicitly after every operation.
func setIdentity(identity *tfsdk.ResourceIdentity, customerID string) {
	if identity == nil {
		return
	}
	// The value is built directly: Set reflects over a struct (see
	// customer_webhook_model.go), and this runs for every webhook.
	identity.Raw = tftypes.NewValue(webhookIdentityType(), map[string]tftypes.Value{
		"customer_id": tftypes.NewValue(tftypes.String, customerID),
	})
}

// webhookIdentityType is the identity schema's type.
var webhookIdentityType = sync.OnceValue(func() tftypes.Type {
	var resp resource.IdentitySchemaResponse
	(&customerWebhookResource{}).IdentitySchema(context.Background(), resource.IdentitySchemaRequest{}, &resp)
	return resp.IdentitySchema.Type().TerraformType(context.Background())
})

// ImportState accepts the customer id as a plain import id or as identity.
func (r *customerWebhookResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	customerID := req.ID
	if customerID == "" && req.Identity != nil {
		var identity customerWebhookIdentity
		resp.Diagnostics.Append(req.Identity.Get(ctx, &identity)...)
		customerID = identity.CustomerID.ValueString()
	}
	if err := webhook.CheckCustomerID(customerID); err != nil {
		resp.Diagnostics.AddError("Invalid import id",
			fmt.Sprintf("Import a webhook by its customer id: %q %s.", customerID, err))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("customer_id"), customerID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), customerID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("verify"), true)...)
	setIdentity(resp.Identity, customerID)
}
