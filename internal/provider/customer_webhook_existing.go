package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/sovera/terraform-provider-sovx/internal/sovx"
	"github.com/sovera/terraform-provider-sovx/internal/webhook"
)

// What a create may find at the API before it writes. A customer has one
// webhook, and POST overwrites it, so a create writes only over nothing or
// over the very webhook it is about to write (same URL and header names):
// what a create leaves behind when the API stored it but Terraform could not
// record it (an interrupted apply, a lost answer, a failed create on an engine
// that cannot record one). The plan says which of the three it is; the create
// checks again right before it writes.

// A replacement is planned as a create too, and the webhook it would find is
// the one it deletes first: not one to take over or refuse. Terraform tells
// the provider nothing of it, so the plan skips the check for a customer
//   - whose webhook this process refreshed a moment ago (Terraform refreshes
//     every object in state, tainted ones included, before planning it), or
//   - named by the private state of the old object's plan, which Terraform
//     hands to the create of a replacement it decided on (-replace, a
//     changed customer_id; tainted objects are planned without it).
// Only a tainted object planned with -refresh=false escapes both: its
// replacement is then checked like a new webhook.

// planCreateKey is the private state key that marks a plan of an object
// already in state with its customer.
const planCreateKey = "replaces_customer"

// findingFresh bounds how old a plan's finding may be for the create that
// follows it to write without asking again, and how old a refresh may be to
// tell a replacement. In an apply the engine plans each object once more
// right before creating it, and in a plan it plans each object right after
// refreshing it: milliseconds apart unless the API's rate limit holds a
// request back.
const findingFresh = 10 * time.Second

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

// existingDiagnostic says what a verdict means for the create (nil for none).
func existingDiagnostic(customerID string, existing *sovx.Webhook, verdict existingVerdict) diag.Diagnostic {
	switch verdict {
	case sameWebhook:
		return diag.NewAttributeWarningDiagnostic(path.Root("customer_id"), "Existing webhook taken over",
			fmt.Sprintf("Customer %q already has a webhook with this URL and these header names, probably left by an "+
				"apply that was interrupted or failed before Terraform could record it. This create takes it over: "+
				"Terraform manages it from now on and writes the configured header values over the ones it has.",
				customerID))
	case otherWebhook:
		return diag.NewAttributeErrorDiagnostic(path.Root("customer_id"), "Webhook already configured",
			fmt.Sprintf("Customer %q already has a webhook (%s). A customer has one webhook, and this resource will not "+
				"overwrite one it did not create. Import it instead:\n\n"+
				"  terraform import sovx_customer_webhook.NAME %s\n\nor add an import block:\n\n"+
				"  import {\n    to = sovx_customer_webhook.NAME\n    id = %q\n  }", customerID, sovx.ShowURL(existing.URL), customerID, customerID))
	}
	return nil
}

// recentFindings keeps what the plans of one provider process found, so that
// the create the engine runs right after planning it once more does not ask
// the API a second time.
type recentFindings struct {
	mu         sync.Mutex
	byCustomer map[string]finding
	refreshed  map[string]time.Time // customers whose webhook is in state, when
	now        func() time.Time
}

type finding struct {
	existing *sovx.Webhook
	at       time.Time
}

func newRecentFindings(now func() time.Time) *recentFindings {
	return &recentFindings{byCustomer: map[string]finding{}, refreshed: map[string]time.Time{}, now: now}
}

// refresh notes that a resource in state holds the customer's webhook.
func (f *recentFindings) refresh(customerID string) {
	if f == nil {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.refreshed[customerID] = f.now()
}

// inState reports whether this process refreshed the customer's webhook a
// moment ago: Terraform plans an object right after refreshing it. (A
// process that serves several commands, as in debug mode, must not take an
// old refresh for this plan's.)
func (f *recentFindings) inState(customerID string) bool {
	if f == nil {
		return false
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	at, ok := f.refreshed[customerID]
	return ok && f.now().Sub(at) <= findingFresh
}

func (f *recentFindings) put(customerID string, existing *sovx.Webhook) {
	if f == nil {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.byCustomer[customerID] = finding{existing: existing, at: f.now()}
}

// take hands out a finding once, and only while it is fresh.
func (f *recentFindings) take(customerID string) (*sovx.Webhook, bool) {
	if f == nil {
		return nil, false
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	got, ok := f.byCustomer[customerID]
	delete(f.byCustomer, customerID)
	if !ok || f.now().Sub(got.at) > findingFresh {
		return nil, false
	}
	return got.existing, true
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
