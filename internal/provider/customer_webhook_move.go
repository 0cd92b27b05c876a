package provider

import (
	"context"
	"fmt"
	"path"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/sovera/terraform-provider-sovx/internal/sovx"
	"github.com/sovera/terraform-provider-sovx/internal/webhook"
)

var _ resource.ResourceWithMoveState = (*customerWebhookResource)(nil)

// MoveState moves a restapi_object of the generic REST provider (Mastercard/restapi, v2 and v3) that managed a
// customer's webhook into this resource with a moved block.
func (r *customerWebhookResource) MoveState(context.Context) []resource.StateMover {
	return []resource.StateMover{{StateMover: moveFromRESTAPIObject}}
}

func moveFromRESTAPIObject(ctx context.Context, req resource.MoveStateRequest, resp *resource.MoveStateResponse) {
	if req.SourceTypeName != "restapi_object" || !isRESTAPIProvider(req.SourceProviderAddress) {
		return // not a move this resource knows: Terraform says so
	}
	if req.SourceRawState == nil || req.SourceRawState.JSON == nil {
		resp.Diagnostics.AddError("Cannot move this restapi_object", "Its state is in a format too old to read."+importInstead)
		return
	}
	found, err := webhook.ReadRESTAPIObject(req.SourceRawState.JSON)
	if err != nil {
		resp.Diagnostics.AddError("Cannot move this restapi_object",
			fmt.Sprintf("It does not map precisely onto a customer's webhook: %s.%s", err, importInstead))
		return
	}
	moved := webhookWithoutValues(found.CustomerID, &sovx.Webhook{URL: found.URL, HeaderNames: found.HeaderNames})
	resp.Diagnostics.Append(writeWebhookModel(ctx, &resp.TargetState.Raw, moved)...)
	setIdentity(resp.TargetIdentity, found.CustomerID)
}

// isRESTAPIProvider tells the REST provider by its type, whichever host and
// namespace it is installed from (a mirror, a fork keeping its schema).
func isRESTAPIProvider(address string) bool {
	return strings.EqualFold(path.Base(address), "restapi")
}

// importInstead is what to do when a move cannot be made.
const importInstead = " Nothing was changed. Import the webhook instead: remove the moved block, run " +
	"terraform state rm on the restapi_object, and add an import block for sovx_customer_webhook with the customer " +
	"id as its id (see the guide \"Moving from restapi_object\")."

// webhookWithoutValues is the resource as known from something other than its configuration (a query, a moved
// restapi_object): the header names with no values, since the API masks them.
func webhookWithoutValues(customerID string, w *sovx.Webhook) customerWebhookModel {
	var names map[string]*string // null values: nothing known
	if len(w.HeaderNames) > 0 {
		names = make(map[string]*string, len(w.HeaderNames))
		for _, name := range w.HeaderNames {
			names[name] = nil
		}
	}
	headers, _ := headersAttribute(names) // cannot fail: the values match the type
	timeoutsType := webhookAttributeTypes()["timeouts"].(timeouts.Type)
	return customerWebhookModel{
		ID:               types.StringValue(customerID),
		CustomerID:       types.StringValue(customerID),
		URL:              newWebhookURL(w.URL),
		Headers:          headers,
		HeadersWOVersion: types.Int64Null(),
		Verify:           types.BoolValue(true),
		Timeouts:         timeouts.Value{Object: types.ObjectNull(timeoutsType.AttrTypes)},
	}
}
