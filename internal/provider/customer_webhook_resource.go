package provider

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
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
				Optional:   true,
				Validators: []validator.Map{headerNamesValidator{}},
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
								"state. Terraform cannot see changes to it: change `headers_wo_version` to send a new value. " +
								"Plans show `value_wo = (sensitive, write-only attribute)` under every header, also one set " +
								"with `value`: that is how Terraform shows a write-only argument, set or not.",
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
					"webhook is removed again, so nothing is left behind; after an update, `verified` stays `false` until " +
					"a test passes. Set to `false` while the receiving endpoint is not deployed yet.",
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(true),
			},
			"verify_wait": schema.StringAttribute{
				MarkdownDescription: "How long to keep testing a receiver that is still coming up (deployed in the same " +
					"apply, behind a new DNS name or certificate), as a duration such as `2m`. A failed test is repeated " +
					"after 1s, 2s, 4s and so on (at most 15s apart) until one passes or this time runs out, and never " +
					"beyond the create or update timeout. Left out, the webhook is tested once.",
				Optional:   true,
				Validators: []validator.String{durationValidator(time.Second, time.Hour)},
			},
			"verified": schema.BoolAttribute{
				MarkdownDescription: "Whether the API's test of the current URL and headers passed. `false` after a test " +
					"that failed or could not run, and after a change applied with `verify = false`. While `verify` is " +
					"`true` and the webhook is not verified, every plan shows `verified` changing to `(known after " +
					"apply)`: the apply tests the webhook again.",
				Computed: true,
			},
			"api_endpoint": schema.StringAttribute{
				MarkdownDescription: "The API base URL (the provider's `endpoint`) this webhook was last read from or " +
					"written to. An apply configured for another endpoint than its plan read writes nothing and fails: " +
					"a saved plan applies only to the API it was planned against.",
				Computed: true,
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true, Update: true, Delete: true}),
		},
	}
}

// ModifyPlan makes id and api_endpoint known at plan time, says whether the apply tests the webhook (verified
// unknown), warns about clear-text URLs, and fails the plan where the apply surely would.
func (r *customerWebhookResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return // a destroy: Delete checks the endpoint itself
	}
	plan, diags := readWebhookModel(ctx, req.Plan.Raw)
	resp.Diagnostics.Append(diags...)
	config, diags := readWebhookModel(ctx, req.Config.Raw)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !plan.CustomerID.IsUnknown() {
		plan.ID = plan.CustomerID
	}
	var stored webhookURLValue
	if req.State.Raw.IsNull() {
		plan.Verified = types.BoolValue(false)
		if !plan.Verify.Equal(types.BoolValue(false)) {
			plan.Verified = types.BoolUnknown() // the create tests it
		}
		if r.client != nil {
			plan.APIEndpoint = types.StringValue(r.client.Endpoint())
		}
		r.planCreate(ctx, req, resp, plan)
	} else {
		state, diags := readWebhookModel(ctx, req.State.Raw)
		resp.Diagnostics.Append(diags...)
		if diags.HasError() {
			return
		}
		stored = state.URL
		r.planUpdate(&plan, state, config, &resp.Diagnostics)
		resp.Diagnostics.Append(markReplaced(ctx, resp.Private, state.CustomerID.ValueString())...)
	}
	if !plan.URL.Equal(stored) {
		warnURL(path.Root("url"), plan.URL.StringValue, &resp.Diagnostics)
	}
	warnWaitBeyondTimeout(ctx, plan, req.State.Raw.IsNull(), &resp.Diagnostics)
	resp.Diagnostics.Append(writeWebhookModel(ctx, &resp.Plan.Raw, plan)...)
}

// planUpdate plans a change of a webhook in state: at the API the state was read from, tested when testPlanned says
// so, with every header's value known when the webhook is written.
func (r *customerWebhookResource) planUpdate(plan *customerWebhookModel, state, config customerWebhookModel, diags *diag.Diagnostics) {
	plan.APIEndpoint = state.APIEndpoint
	if r.client != nil {
		r.sameAPI(state.APIEndpoint, diags)
	}
	writes := webhookWrites(*plan, state)
	switch {
	case plan.Verify.IsUnknown() || testPlanned(*plan, state, writes):
		plan.Verified = types.BoolUnknown()
	case writes:
		plan.Verified = types.BoolValue(false) // written with verify = false: untested
	default:
		plan.Verified = state.Verified
	}
	if !writes {
		return
	}
	for _, name := range headersWithoutValue(plan.Headers, config.Headers) {
		diags.AddAttributeError(path.Root("headers").AtMapKey(name), "Header value unknown", fmt.Sprintf(
			"This plan writes the webhook, and every write sends all headers, but header %q has no value: the API "+
				"never returns header values, so Terraform knows only those set in configuration (after an import, "+
				"none). Set its value (or value_wo) in configuration, and remove headers from lifecycle.ignore_changes "+
				"if it is there.", name))
	}
}

// webhookWrites reports whether an update sends the webhook to the API.
func webhookWrites(plan, state customerWebhookModel) bool {
	return plan.URL.IsUnknown() || !webhook.SameURL(plan.URL.ValueString(), state.URL.ValueString()) ||
		!plan.Headers.Equal(state.Headers) || !plan.HeadersWOVersion.Equal(state.HeadersWOVersion)
}

// testPlanned reports whether an update tests the webhook: with verify on, after a write, when verify was off, and
// while the last test did not pass. (A state without verified, from before it existed, tested nothing new.)
func testPlanned(plan, state customerWebhookModel, writes bool) bool {
	lastFailed := !state.Verified.IsNull() && !state.Verified.IsUnknown() && !state.Verified.ValueBool()
	return plan.Verify.ValueBool() && (writes || !state.Verify.ValueBool() || lastFailed)
}

// sameAPI refuses to go on with a webhook read from (or planned against) another endpoint than the provider's: a
// saved plan applied where the endpoint is set otherwise must not write to an API the plan never read.
func (r *customerWebhookResource) sameAPI(planned types.String, diags *diag.Diagnostics) bool {
	if planned.IsNull() || planned.IsUnknown() || planned.ValueString() == r.client.Endpoint() {
		return true
	}
	diags.AddAttributeError(path.Root("api_endpoint"), "Planned against another API endpoint", fmt.Sprintf(
		"Terraform read this webhook from the API at %s, but the provider is now configured for %s, so nothing was "+
			"sent. When applying a saved plan, configure the endpoint the plan used (the provider's endpoint, or %s, "+
			"set the same way in the plan and the apply job). To manage this webhook at %s instead, run a new plan "+
			"with refresh, which reads it there.",
		sovx.ShowURL(planned.ValueString()), sovx.ShowURL(r.client.Endpoint()), EnvEndpoint, sovx.ShowURL(r.client.Endpoint())))
	return false
}

// planCreate asks the API what a create will find (one GET) and says it in the plan: nothing, a webhook it takes
// over, or one it refuses to overwrite; a customer the API says does not exist, or an endpoint that is not the API,
// fails the plan rather than the apply.
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
	existing, err := r.client.ExistingWebhook(ctx, id)
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

// Create writes the webhook and, when its plan says so, tests it.
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
	if plan.APIEndpoint.IsUnknown() {
		plan.APIEndpoint = types.StringValue(r.client.Endpoint())
	}
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
	if plan.Verified.IsUnknown() {
		r.testCreated(ctx, &plan, verifyRun{customerID: customerID, timeoutKey: "create", wait: verifyWait(plan),
			secrets: want.Secrets(), headerNames: headerNames(plan.Headers)}, &resp.Diagnostics)
	}
	if !resp.Diagnostics.HasError() {
		resp.Diagnostics.Append(writeWebhookModel(ctx, &resp.State.Raw, plan)...)
		setIdentity(resp.Identity, customerID)
	}
}

// testCreated tests a webhook just created. A failed test removes it, so a failed create leaves nothing behind.
func (r *customerWebhookResource) testCreated(ctx context.Context, plan *customerWebhookModel, run verifyRun, diags *diag.Diagnostics) {
	outcome, tested := runTest(ctx, r.client, run)
	plan.Verified = types.BoolValue(outcome == testPassed)
	const pending = "The webhook was created and is kept in state with verified = false: the next plan shows the test " +
		"as a change (verified: known after apply), and that apply tests it."
	switch outcome {
	case testNotRun:
		diags.Append(asWarnings(withNote(tested, pending))...)
	case testFailed:
		const fix = "Fix the receiving endpoint (or set verify = false while it is not deployed yet, or verify_wait " +
			"while it is coming up) and apply again."
		err := r.client.DeleteWebhook(ctx, run.customerID)
		if err == nil || sovx.IsNotFound(err) {
			diags.Append(withNote(tested, "The webhook was removed again, so the failed create leaves nothing behind. "+fix)...)
			return
		}
		diags.Append(asWarnings(withNote(tested, fmt.Sprintf("The webhook could not be removed again (%s). %s %s",
			err, pending, fix)))...)
	}
}

// warnWaitBeyondTimeout warns when verify_wait outlasts the operation's
// timeout, which ends the testing first.
func warnWaitBeyondTimeout(ctx context.Context, plan customerWebhookModel, creates bool, diags *diag.Diagnostics) {
	if !plan.Verify.ValueBool() || plan.VerifyWait.IsNull() || plan.VerifyWait.IsUnknown() {
		return
	}
	key, timeout, d := "update", time.Duration(0), diag.Diagnostics(nil)
	if creates {
		key = "create"
		timeout, d = plan.Timeouts.Create(ctx, defaultCreateTimeout)
	} else {
		timeout, d = plan.Timeouts.Update(ctx, defaultUpdateTimeout)
	}
	if wait := verifyWait(plan); !d.HasError() && wait >= timeout {
		diags.AddAttributeWarning(path.Root("verify_wait"), "verify_wait outlasts the timeout", fmt.Sprintf(
			"verify_wait (%s) is as long as the %s timeout (%s) or longer, and the timeout ends the testing first. "+
				"Allow more time with timeouts { %s = \"%s\" }, or shorten verify_wait.", short(wait), key, short(timeout), key,
			short((wait+time.Minute).Round(time.Minute))))
	}
}

// short is a duration as a user writes it: 10m, not 10m0s.
func short(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// verifyWait is verify_wait as a duration (0 when unset; the validator checked its form).
func verifyWait(m customerWebhookModel) time.Duration {
	d, _ := time.ParseDuration(m.VerifyWait.ValueString())
	return d
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
	state.Headers, diags = headersAttribute(webhook.Reconcile(valuesByName(state.Headers), remote.HeaderNames))
	resp.Diagnostics.Append(diags...)
	state.ID = state.CustomerID
	state.URL = newWebhookURL(remote.URL)
	state.APIEndpoint = types.StringValue(r.client.Endpoint())
	if state.Verify.IsNull() {
		state.Verify = types.BoolValue(true)
	}
	resp.Diagnostics.Append(writeWebhookModel(ctx, &resp.State.Raw, state)...)
}

// Update writes the webhook when its URL or headers changed and tests it when the plan says so (verified unknown). A
// failed test leaves what was written in state with verified = false, so the next plan tests again.
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
	written := webhookWrites(plan, state)
	if written && !r.write(ctx, plan, config, &resp.Diagnostics) {
		return
	}
	if !plan.Verified.IsUnknown() {
		resp.Diagnostics.Append(writeWebhookModel(ctx, &resp.State.Raw, plan)...)
		return
	}
	outcome, tested := runTest(ctx, r.client, verifyRun{customerID: customerID, timeoutKey: "update", wait: verifyWait(plan),
		secrets: webhookSecrets(plan.URL.ValueString(), plan.Headers, config.Headers), headerNames: headerNames(plan.Headers)})
	plan.Verified = types.BoolValue(outcome == testPassed)
	resp.Diagnostics.Append(writeWebhookModel(ctx, &resp.State.Raw, plan)...)
	if outcome != testPassed {
		did := "The webhook was not changed"
		if written {
			did = "The webhook was updated and the new configuration is saved in state"
		}
		resp.Diagnostics.Append(withNote(tested, did+", with verified = false: the next plan shows the test as a change "+
			"(verified: known after apply), and that apply tests it again. Fix the receiving endpoint (or set "+
			"verify = false while it is not deployed yet, or verify_wait while it is coming up).")...)
	}
}

// write sends the planned webhook with PUT.
func (r *customerWebhookResource) write(ctx context.Context, plan, config customerWebhookModel, diags *diag.Diagnostics) bool {
	customerID := plan.CustomerID.ValueString()
	headers, d := requestHeaders(plan.Headers, config.Headers)
	diags.Append(d...)
	if diags.HasError() {
		return false
	}
	want := sovx.WebhookConfig{URL: plan.URL.ValueString(), Headers: headers}
	if _, err := r.client.UpdateWebhook(ctx, customerID, want); err != nil {
		diags.Append(apiErrorDiagnostic(fmt.Sprintf("update the webhook of customer %q", customerID), "update", err))
		return false
	}
	return true
}

func (r *customerWebhookResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	state, diags := readWebhookModel(ctx, req.State.Raw)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() || !clientReady(r.client, &resp.Diagnostics) || !r.sameAPI(state.APIEndpoint, &resp.Diagnostics) {
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
