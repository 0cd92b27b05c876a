package provider

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/sovera/terraform-provider-sovx/internal/sovx"
	"github.com/sovera/terraform-provider-sovx/internal/webhook"
)

// What a create may find at the API before it writes.

// planCreateKey is the private state key that marks a plan of an object already in state with its customer.
const planCreateKey = "replaces_customer"

type existingVerdict int

const (
	noWebhook    existingVerdict = iota // nothing to overwrite
	sameWebhook                         // the one this create writes: taken over
	otherWebhook                        // someone else's: refused
)

func judgeExisting(existing *sovx.Webhook, url string, names []string) existingVerdict {
	switch {
	case existing == nil:
		return noWebhook
	case webhook.LooksLikeOurs(existing.HeaderNames, existing.URL, url, names):
		return sameWebhook
	default:
		return otherWebhook
	}
}

// existingDiagnostic says what a verdict means for the create (nil for none). The provider is not told the resource's
// address: Terraform shows it above the message ("with …"), and the message refers to it.
func existingDiagnostic(customerID string, existing *sovx.Webhook, verdict existingVerdict) diag.Diagnostic {
	switch verdict {
	case sameWebhook:
		return diag.NewAttributeWarningDiagnostic(path.Root("customer_id"), "Existing webhook taken over",
			fmt.Sprintf("Customer %q already has a webhook with this URL and these header names: one an apply stored "+
				"before it failed or was interrupted, or one another configuration manages. This create takes it "+
				"over and writes the configured header values over it. If another configuration manages it, both "+
				"now write the same webhook: remove it from one of them (terraform state rm there).", customerID))
	case otherWebhook:
		return diag.NewAttributeErrorDiagnostic(path.Root("customer_id"), "Webhook already configured",
			fmt.Sprintf("Customer %q already has a webhook (%s) with another URL or other header names than this "+
				"configuration. A customer has one webhook, and creating this one would overwrite it, so nothing was "+
				"written. To manage the existing webhook here, import it into this resource (its address is shown "+
				"above, after \"with\"):\n\n  import {\n    to = <this resource>\n    id = %q\n  }\n\nor run "+
				"terraform import <this resource> %s. Or give this resource another customer_id.",
				customerID, sovx.ShowURL(existing.URL), customerID, customerID))
	}
	return nil
}

// replacedCustomer reads the mark planCreateKey leaves ("" without one).
func replacedCustomer(ctx context.Context, private interface {
	GetKey(context.Context, string) ([]byte, diag.Diagnostics)
}) string {
	raw, diags := private.GetKey(ctx, planCreateKey)
	var customerID string
	if diags.HasError() || len(raw) == 0 || json.Unmarshal(raw, &customerID) != nil {
		return ""
	}
	return customerID
}

// markReplaced leaves the mark on the plan of an object in state.
func markReplaced(ctx context.Context, private interface {
	SetKey(context.Context, string, []byte) diag.Diagnostics
}, customerID string) diag.Diagnostics {
	raw, err := json.Marshal(customerID)
	if err != nil {
		return nil
	}
	return private.SetKey(ctx, planCreateKey, raw)
}
