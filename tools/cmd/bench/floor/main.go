// Command floor is make bench's floor: the sovx provider's own schema on the
// same framework, without any I/O. Create and update copy the plan into the
// state, read keeps it, delete forgets it. What Terraform and the framework
// cost with this schema is then measured apart from what the provider adds
// (its HTTP client, the API's answers, the rules).
package main

import (
	"context"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/sovera/terraform-provider-sovx/internal/process"
	sovxprovider "github.com/sovera/terraform-provider-sovx/internal/provider"
)

func main() {
	process.Setup(sovxprovider.Address)
	err := providerserver.Serve(context.Background(), func() provider.Provider {
		return floorProvider{Provider: sovxprovider.New("floor", context.Background())()}
	}, providerserver.ServeOpts{Address: sovxprovider.Address, ProtocolVersion: 6})
	if err != nil {
		log.Fatal(err)
	}
}

// floorProvider has the real provider's name and schema, and no client.
type floorProvider struct{ provider.Provider }

func (floorProvider) Configure(context.Context, provider.ConfigureRequest, *provider.ConfigureResponse) {
}

func (floorProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{func() resource.Resource {
		return floorResource{Resource: sovxprovider.NewCustomerWebhookResource()}
	}}
}

// floorResource has the real resource's type name, schema, identity and
// plan modification, so Terraform does the same work around it.
type floorResource struct{ resource.Resource }

var (
	_ resource.ResourceWithIdentity   = floorResource{}
	_ resource.ResourceWithModifyPlan = floorResource{}
)

func (r floorResource) IdentitySchema(ctx context.Context, req resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	r.Resource.(resource.ResourceWithIdentity).IdentitySchema(ctx, req, resp)
}

func (r floorResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	r.Resource.(resource.ResourceWithModifyPlan).ModifyPlan(ctx, req, resp)
}

func (floorResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	resp.Diagnostics.Append(planToState(ctx, req.Plan, &resp.State, resp.Identity)...)
}

func (floorResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var customerID types.String
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("customer_id"), &customerID)...)
	resp.Diagnostics.Append(resp.Identity.SetAttribute(ctx, path.Root("customer_id"), customerID)...)
}

func (floorResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	resp.Diagnostics.Append(planToState(ctx, req.Plan, &resp.State, resp.Identity)...)
}

// planToState stores the plan, with id (the customer id) known, and the
// identity.
func planToState(ctx context.Context, plan tfsdk.Plan, state *tfsdk.State, identity *tfsdk.ResourceIdentity) diag.Diagnostics {
	state.Raw = plan.Raw
	var customerID types.String
	diags := plan.GetAttribute(ctx, path.Root("customer_id"), &customerID)
	diags.Append(state.SetAttribute(ctx, path.Root("id"), customerID)...)
	diags.Append(identity.SetAttribute(ctx, path.Root("customer_id"), customerID)...)
	return diags
}

func (floorResource) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}
