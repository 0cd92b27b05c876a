// Command floor is make bench's floor: the sovx provider's own schema on the
// same framework, without any I/O. Create and update copy the plan into the
// state, read keeps it, delete forgets it. What Terraform and the framework
// cost with this schema is then measured apart from what the provider adds
// (its HTTP client, its pacing, the API's answers, the rules). With
// SOVX_FLOOR_LATENCY set (a duration), it waits that long wherever the
// provider sends a request, and no more: a create's plan (the check for an
// existing webhook), a create, a read, an update and a delete.
package main

import (
	"context"
	"log"
	"os"
	"time"

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
	if req.State.Raw.IsNull() && !req.Plan.Raw.IsNull() {
		request(ctx)
	}
	r.Resource.(resource.ResourceWithModifyPlan).ModifyPlan(ctx, req, resp)
}

func (floorResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	request(ctx)
	resp.Diagnostics.Append(planToState(ctx, req.Plan, &resp.State, resp.Identity)...)
}

func (floorResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	request(ctx)
	var customerID types.String
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("customer_id"), &customerID)...)
	resp.Diagnostics.Append(resp.Identity.SetAttribute(ctx, path.Root("customer_id"), customerID)...)
}

func (floorResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	request(ctx)
	resp.Diagnostics.Append(planToState(ctx, req.Plan, &resp.State, resp.Identity)...)
}

// planToState stores the plan, with what an apply learns known (id, the
// API, a passed test), and the identity.
func planToState(ctx context.Context, plan tfsdk.Plan, state *tfsdk.State, identity *tfsdk.ResourceIdentity) diag.Diagnostics {
	state.Raw = plan.Raw
	var customerID types.String
	var verified types.Bool
	diags := plan.GetAttribute(ctx, path.Root("customer_id"), &customerID)
	diags.Append(plan.GetAttribute(ctx, path.Root("verified"), &verified)...)
	if verified.IsUnknown() {
		diags.Append(state.SetAttribute(ctx, path.Root("verified"), true)...)
	}
	diags.Append(state.SetAttribute(ctx, path.Root("api_endpoint"), "https://floor.invalid/sovx/v1")...)
	diags.Append(state.SetAttribute(ctx, path.Root("id"), customerID)...)
	diags.Append(identity.SetAttribute(ctx, path.Root("customer_id"), customerID)...)
	return diags
}

func (floorResource) Delete(ctx context.Context, _ resource.DeleteRequest, _ *resource.DeleteResponse) {
	request(ctx)
}

// latency is how long a request takes (SOVX_FLOOR_LATENCY; 0: none).
var latency, _ = time.ParseDuration(os.Getenv("SOVX_FLOOR_LATENCY"))

// request waits as long as a request to the API takes.
func request(ctx context.Context) {
	if latency <= 0 {
		return
	}
	t := time.NewTimer(latency)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}
