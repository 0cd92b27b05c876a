package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/sovera/terraform-provider-sovx/internal/sovx"
	"github.com/sovera/terraform-provider-sovx/internal/webhook"
)

// Default time limits for each operation, retries and verify included.
const (
	defaultCreateTimeout = 5 * time.Minute
	defaultUpdateTimeout = 5 * time.Minute
	defaultDeleteTimeout = 5 * time.Minute
)

var (
	_ resource.ResourceWithConfigure   = (*customerWebhookResource)(nil)
	_ resource.ResourceWithImportState = (*customerWebhookResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*customerWebhookResource)(nil)
)

// NewCustomerWebhookResource returns the sovx_customer_webhook resource.
func NewCustomerWebhookResource() resource.Resource { return &customerWebhookResource{} }

type customerWebhookResource struct {
	client *sovx.Client
}

func (r *customerWebhookResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_customer_webhook"
}

func (r *customerWebhookResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The webhook of one customer: the URL the platform calls with withdrawal PIN notifications " +
			"and the auth headers it sends. A customer has at most one webhook.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The customer id (a customer has one webhook); known at plan time.",
				Computed:            true,
			},
			"customer_id": schema.StringAttribute{
				MarkdownDescription: "The customer whose webhook this is, for example `cus_123`. Changing it replaces the webhook.",
				Required:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
				Validators:          []validator.String{customerIDValidator()},
			},
			"url": schema.StringAttribute{
				MarkdownDescription: "The absolute `https://` URL that receives PIN notifications. Plain `http://` is " +
					"accepted with a warning (headers would travel unencrypted), except for loopback hosts.",
				Required:   true,
				CustomType: webhookURLType{},
				Validators: []validator.String{webhookURLValidator()},
			},
			"headers": schema.MapNestedAttribute{
				MarkdownDescription: "Headers sent with every notification, keyed by header name (letters, digits, `-` and " +
					"`_`; unique ignoring case). Each sets exactly one of `value` or `value_wo`. The API never returns " +
					"header values (a read masks them), so the provider keeps the values you configured and reads " +
					"only which headers exist.",
				Optional: true,
				Validators: []validator.Map{
					mapvalidator.KeysAre(stringvalidator.RegexMatches(webhook.HeaderNamePattern,
						"must be a header name of letters, digits, hyphens and underscores only"),
						stringvalidator.LengthAtMost(webhook.MaxHeaderNameLength)),
					uniqueHeaderNamesValidator{},
				},
				NestedObject: schema.NestedAttributeObject{
					Validators: []validator.Object{oneHeaderValueValidator{}},
					Attributes: map[string]schema.Attribute{
						"value": schema.StringAttribute{
							MarkdownDescription: "The header value. Sensitive: hidden in plans and output, but kept in state.",
							Optional:            true,
							Sensitive:           true,
							Validators:          []validator.String{headerValueValidator()},
						},
						"value_wo": schema.StringAttribute{
							MarkdownDescription: "The header value, write-only: sent to the API but never stored in plan or " +
								"state (Terraform 1.11 or later). Terraform cannot see changes to it: change " +
								"`headers_wo_version` to send a new value.",
							Optional:   true,
							Sensitive:  true,
							WriteOnly:  true,
							Validators: []validator.String{headerValueValidator()},
						},
					},
				},
			},
			"headers_wo_version": schema.Int64Attribute{
				MarkdownDescription: "Any number; change it to send the `value_wo` header values again (for example " +
					"after rotating a secret), since Terraform cannot detect changes to write-only values.",
				Optional: true,
			},
			"verify": schema.BoolAttribute{
				MarkdownDescription: "Whether to run the API's webhook test after each create or update: the platform " +
					"sends a test payload to `url`. Defaults to `true`. A failed test fails the apply; after a create, the " +
					"webhook is removed again, so nothing is left behind. Set to `false` while the receiving endpoint is " +
					"not deployed yet.",
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(true),
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true, Update: true, Delete: true}),
		},
	}
}

// ModifyPlan makes id known at plan time (it is the customer id, so other
// resources can use it in the same plan), warns about clear-text URLs, and
// says before apply what a create will find at the API.
func (r *customerWebhookResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return
	}
	plan, diags := readWebhookModel(ctx, req.Plan.Raw)
	resp.Diagnostics.Append(diags...)
	if diags.HasError() {
		return
	}
	if !plan.CustomerID.IsUnknown() && !plan.ID.Equal(plan.CustomerID) {
		plan.ID = plan.CustomerID
		resp.Diagnostics.Append(writeWebhookModel(ctx, &resp.Plan.Raw, plan)...)
	}
	var stored webhookURLValue
	if req.State.Raw.IsNull() {
		r.planCreate(ctx, req, resp, plan)
	} else {
		state, diags := readWebhookModel(ctx, req.State.Raw)
		resp.Diagnostics.Append(diags...)
		stored = state.URL
		resp.Diagnostics.Append(markReplaced(ctx, resp.Private, state.CustomerID.ValueString())...)
	}
	if !plan.URL.Equal(stored) {
		warnURL(path.Root("url"), plan.URL.StringValue, &resp.Diagnostics)
	}
}

// planCreate asks the API what a create will find (one GET) and says it in
// the plan: nothing, a webhook it takes over, or one it refuses to
// overwrite (an error now rather than half-way through the apply).
func (r *customerWebhookResource) planCreate(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse,
	plan customerWebhookModel) {
	id := plan.CustomerID.ValueString()
	if r.client == nil || plan.CustomerID.IsUnknown() || plan.URL.IsUnknown() || plan.Headers.IsUnknown() ||
		replacedCustomer(ctx, req.Private) == id {
		// Unknown values: the create checks at apply what the plan could
		// not. A replacement: the webhook there is deleted first.
		return
	}
	// The create's time limit bounds its check at plan too.
	timeout, diags := plan.Timeouts.Create(ctx, defaultCreateTimeout)
	resp.Diagnostics.Append(diags...)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	existing, err := r.client.FindWebhook(ctx, id)
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiagnostic(fmt.Sprintf("check for an existing webhook of customer %q", id), "create", err))
		return
	}
	if d := existingDiagnostic(id, existing, judgeExisting(existing, plan.URL.ValueString(), headerNames(plan.Headers))); d != nil {
		resp.Diagnostics.Append(d)
	}
}

func (r *customerWebhookResource) Configure(_ context.Context, req resource.ConfigureRequest, _ *resource.ConfigureResponse) {
	r.client = clientOf(req.ProviderData)
}

// Create writes the webhook and, with verify, tests it. A create that fails
// returns no state, whatever failed and on every engine (Terraform 1.16.0 to
// 1.16.4 crash on a failed create's state; see the known engine issues
// guide): a failed test removes what the create wrote, and a write whose
// outcome is unknown is found by the next plan and taken over.
func (r *customerWebhookResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	plan, diags := readWebhookModel(ctx, req.Plan.Raw)
	resp.Diagnostics.Append(diags...)
	config, diags := readWebhookModel(ctx, req.Config.Raw)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() || !clientReady(r.client, &resp.Diagnostics) {
		return
	}
	timeout, diags := plan.Timeouts.Create(ctx, defaultCreateTimeout)
	resp.Diagnostics.Append(diags...)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	customerID := plan.CustomerID.ValueString()
	plan.ID = plan.CustomerID
	headers, diags := requestHeaders(plan.Headers, config.Headers)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	want := sovx.WebhookConfig{URL: plan.URL.ValueString(), Headers: headers}
	if _, err := r.client.ConfigureWebhook(ctx, customerID, want); err != nil {
		failed := diag.Diagnostics{apiErrorDiagnostic(fmt.Sprintf("create the webhook of customer %q", customerID), "create", err)}
		if sovx.MayHaveWritten(err) {
			failed = withNote(failed, "The API may have stored the webhook all the same. Nothing was recorded in "+
				"state: the next plan finds it and, as long as it still has this URL and these header names, the "+
				"apply takes it over.")
		}
		resp.Diagnostics.Append(failed...)
		return
	}
	if plan.Verify.ValueBool() {
		verified := verifyWebhook(ctx, r.client, verifyRun{customerID: customerID, timeoutKey: "create",
			secrets: want.Secrets(), headerNames: headerNames(plan.Headers)})
		if verified.HasError() {
			resp.Diagnostics.Append(withNote(verified, r.removeUnverified(ctx, customerID))...)
			return
		}
	}
	resp.Diagnostics.Append(writeWebhookModel(ctx, &resp.State.Raw, plan)...)
	setIdentity(resp.Identity, customerID)
}

// removeUnverified deletes a webhook whose test failed right after its
// create, so that the failed create leaves nothing behind, and says so.
func (r *customerWebhookResource) removeUnverified(ctx context.Context, customerID string) string {
	const fix = "Fix the receiving endpoint (or set verify = false while it is not deployed yet) and apply again."
	if err := r.client.DeleteWebhook(ctx, customerID); err != nil && !sovx.IsNotFound(err) {
		return fmt.Sprintf("The webhook could not be removed again (%s), so the API keeps it and Terraform does not "+
			"record it: the next apply takes it over if it still has this URL and these header names. %s", err, fix)
	}
	return "The webhook was removed again, so the failed create leaves nothing behind. " + fix
}

func (r *customerWebhookResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	state, diags := readWebhookModel(ctx, req.State.Raw)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() || !clientReady(r.client, &resp.Diagnostics) {
		return
	}
	customerID := state.CustomerID.ValueString()
	// Set first: the framework wants an identity even when the resource is gone.
	setIdentity(resp.Identity, customerID)
	remote, err := r.client.GetWebhook(ctx, customerID)
	if sovx.IsNotFound(err) {
		// Gone (webhook or customer): let Terraform plan to create it again.
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiagnostic(fmt.Sprintf("read the webhook of customer %q", customerID), "", err))
		return
	}
	state.Headers, diags = headersValue(webhook.Reconcile(heldValues(state.Headers), remote.HeaderNames))
	resp.Diagnostics.Append(diags...)
	state.ID = state.CustomerID
	state.URL = newWebhookURL(remote.URL)
	if state.Verify.IsNull() {
		state.Verify = types.BoolValue(true)
	}
	resp.Diagnostics.Append(writeWebhookModel(ctx, &resp.State.Raw, state)...)
}

func (r *customerWebhookResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	plan, diags := readWebhookModel(ctx, req.Plan.Raw)
	resp.Diagnostics.Append(diags...)
	state, diags := readWebhookModel(ctx, req.State.Raw)
	resp.Diagnostics.Append(diags...)
	config, diags := readWebhookModel(ctx, req.Config.Raw)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() || !clientReady(r.client, &resp.Diagnostics) {
		return
	}
	timeout, diags := plan.Timeouts.Update(ctx, defaultUpdateTimeout)
	resp.Diagnostics.Append(diags...)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	customerID := plan.CustomerID.ValueString()
	plan.ID = plan.CustomerID
	setIdentity(resp.Identity, customerID)
	// Only verify or timeouts changed: nothing to send to the API.
	if webhook.SameURL(plan.URL.ValueString(), state.URL.ValueString()) && plan.Headers.Equal(state.Headers) && plan.HeadersWOVersion.Equal(state.HeadersWOVersion) {
		resp.Diagnostics.Append(writeWebhookModel(ctx, &resp.State.Raw, plan)...)
		if plan.Verify.ValueBool() && !state.Verify.ValueBool() {
			resp.Diagnostics.Append(verifyWebhook(ctx, r.client, verifyRun{
				customerID: customerID, timeoutKey: "update", headerNames: headerNames(plan.Headers),
				secrets: webhookSecrets(plan.URL.ValueString(), plan.Headers, config.Headers),
			})...)
		}
		return
	}

	headers, diags := requestHeaders(plan.Headers, config.Headers)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	want := sovx.WebhookConfig{URL: plan.URL.ValueString(), Headers: headers}
	if _, err := r.client.UpdateWebhook(ctx, customerID, want); err != nil {
		resp.Diagnostics.Append(apiErrorDiagnostic(fmt.Sprintf("update the webhook of customer %q", customerID), "update", err))
		return
	}
	resp.Diagnostics.Append(writeWebhookModel(ctx, &resp.State.Raw, plan)...)
	if plan.Verify.ValueBool() {
		resp.Diagnostics.Append(withNote(verifyWebhook(ctx, r.client, verifyRun{
			customerID: customerID, timeoutKey: "update", secrets: want.Secrets(), headerNames: headerNames(plan.Headers),
		}), "The webhook was updated and the new configuration is saved in state. Fix the receiving endpoint, "+
			"or set verify = false while it is not deployed yet.")...)
	}
}

func (r *customerWebhookResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	state, diags := readWebhookModel(ctx, req.State.Raw)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() || !clientReady(r.client, &resp.Diagnostics) {
		return
	}
	timeout, diags := state.Timeouts.Delete(ctx, defaultDeleteTimeout)
	resp.Diagnostics.Append(diags...)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	customerID := state.CustomerID.ValueString()
	if err := r.client.DeleteWebhook(ctx, customerID); err != nil && !sovx.IsNotFound(err) {
		resp.Diagnostics.Append(apiErrorDiagnostic(fmt.Sprintf("delete the webhook of customer %q", customerID), "delete", err))
	}
}
