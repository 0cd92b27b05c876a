package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/sovera/terraform-provider-sovx/internal/sovx"
)

var _ action.ActionWithConfigure = (*customerWebhookVerifyAction)(nil)

// NewCustomerWebhookVerifyAction returns the sovx_customer_webhook_verify action.
func NewCustomerWebhookVerifyAction() action.Action { return &customerWebhookVerifyAction{} }

type customerWebhookVerifyAction struct {
	client *sovx.Client
}

type customerWebhookVerifyModel struct {
	CustomerID       types.String `tfsdk:"customer_id"`
	ShowResponseData types.Bool   `tfsdk:"show_response_data"`
}

func (a *customerWebhookVerifyAction) Metadata(_ context.Context, req action.MetadataRequest, resp *action.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_customer_webhook_verify"
}

func (a *customerWebhookVerifyAction) Schema(_ context.Context, _ action.SchemaRequest, resp *action.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Runs the API's webhook test: the platform sends a test payload, with the configured " +
			"headers, to the customer's webhook URL. Invoke it on demand (`terraform apply -invoke=action.NAME`) or " +
			"trigger it after changes (`action_trigger`). Fails with the API's message and the endpoint's answer when " +
			"the test fails. Changes nothing. Needs Terraform 1.14 or later.",
		Attributes: map[string]schema.Attribute{
			"customer_id": schema.StringAttribute{
				MarkdownDescription: "The customer whose webhook to test, for example `cus_123`.",
				Required:            true,
				Validators:          []validator.String{customerIDValidator()},
			},
			"show_response_data": schema.BoolAttribute{
				MarkdownDescription: "Show what the endpoint answered when the test fails. Off by default: the API masks " +
					"header values, so this action cannot know them, and an endpoint that quotes the request back may " +
					"show them. When on, values under the header names (in JSON, pair lists, CGI variables, query " +
					"strings, HTML tables and `Name: value` lines) and long random-looking strings are hidden, but an " +
					"echo in a shape the provider does not recognise can still show a secret.",
				Optional: true,
			},
		},
	}
}

func (a *customerWebhookVerifyAction) Configure(_ context.Context, req action.ConfigureRequest, _ *action.ConfigureResponse) {
	a.client = clientOf(req.ProviderData)
}

func (a *customerWebhookVerifyAction) Invoke(ctx context.Context, req action.InvokeRequest, resp *action.InvokeResponse) {
	var model customerWebhookVerifyModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &model)...)
	if resp.Diagnostics.HasError() || !clientReady(a.client, &resp.Diagnostics) {
		return
	}
	customerID := model.CustomerID.ValueString()
	resp.SendProgress(action.InvokeProgressEvent{
		Message: fmt.Sprintf("Sending a test payload to the webhook of customer %q…", customerID),
	})
	// The action knows no header values; the names (from GET) let the
	// endpoint's echo of them be scrubbed all the same.
	remote, ok := readWebhook(ctx, a.client, customerID, &resp.Diagnostics)
	if !ok {
		return
	}
	answer := answerWithheld
	if model.ShowResponseData.ValueBool() {
		answer = answerScrubbedByName
	}
	_, diags := runTest(ctx, a.client, verifyRun{customerID: customerID, headerNames: remote.HeaderNames,
		secrets: sovx.WebhookConfig{URL: remote.URL}.Secrets(), answer: answer})
	resp.Diagnostics.Append(diags...)
	if !resp.Diagnostics.HasError() {
		resp.SendProgress(action.InvokeProgressEvent{Message: sovx.VerifySuccessMessage})
	}
}
