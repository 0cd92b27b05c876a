package provider

import (
	"context"
	"fmt"
	"iter"

	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/sovera/terraform-provider-sovx/internal/sovx"
)

var _ list.ListResourceWithConfigure = (*customerWebhookList)(nil)

// listWorkers bounds the GETs a query has under way at once; the client's
// pacing (internal/pace) still keeps them under the API's rate limit.
const listWorkers = 8

// NewCustomerWebhookList returns the list resource behind `terraform query` for sovx_customer_webhook.
func NewCustomerWebhookList() list.ListResource { return &customerWebhookList{} }

type customerWebhookList struct {
	client *sovx.Client
}

type customerWebhookListModel struct {
	CustomerIDs types.List `tfsdk:"customer_ids"`
}

func (l *customerWebhookList) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_customer_webhook"
}

func (l *customerWebhookList) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Finds the webhooks of the given customers, for `terraform query` (Terraform 1.14 or later), so " +
			"webhooks configured outside Terraform can be imported. Its `list` block goes in a file ending in " +
			"`.tfquery.hcl`, beside the configuration. The API has no way to list webhooks, so the " +
			"query names the customers to look at; customers without a webhook are left out, and a customer the API " +
			"does not know is reported as a warning. Results carry the identity and, with `include_resource`, the " +
			"URL and the header names: the API never returns header values, so each header's `value` (or " +
			"`value_wo`) is left for you to fill in. A URL with userinfo, a query or a fragment is left out too " +
			"(`url` null, with a warning): set it from a sensitive variable.",
		Attributes: map[string]schema.Attribute{
			"customer_ids": schema.ListAttribute{
				MarkdownDescription: "The customers whose webhooks to look for, for example `[\"cus_123\", \"cus_456\"]`.",
				ElementType:         types.StringType,
				Required:            true,
				Validators: []validator.List{
					listvalidator.SizeAtLeast(1),
					listvalidator.UniqueValues(),
					listvalidator.ValueStringsAre(customerIDValidator()),
				},
			},
		},
	}
}

func (l *customerWebhookList) Configure(_ context.Context, req resource.ConfigureRequest, _ *resource.ConfigureResponse) {
	l.client = clientOf(req.ProviderData)
}

// found is one customer's answer.
type found struct {
	customerID string
	webhook    *sovx.Webhook
	err        error
}

func (l *customerWebhookList) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var model customerWebhookListModel
	diags := req.Config.Get(ctx, &model)
	var ids []string
	if !diags.HasError() {
		diags.Append(model.CustomerIDs.ElementsAs(ctx, &ids, false)...)
	}
	if diags.HasError() || !clientReady(l.client, &diags) {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	stream.Results = func(push func(list.ListResult) bool) {
		pushed := int64(0)
		for f := range l.lookUp(ctx, ids) {
			result, ok := l.result(ctx, req, f)
			if !ok {
				continue
			}
			if !push(result) || result.Diagnostics.HasError() {
				return
			}
			if result.Identity != nil {
				pushed++ // a warning alone is not a result
			}
			if req.Limit > 0 && pushed >= req.Limit {
				return
			}
		}
	}
}

// lookUp GETs each customer's webhook with a few requests under way at once, and yields the answers in the order of
// ids (so a query prints, and -generate-config-out names, the same results the same way every run).
func (l *customerWebhookList) lookUp(ctx context.Context, ids []string) iter.Seq[found] {
	return func(yield func(found) bool) {
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		answers := make([]chan found, len(ids))
		todo := make(chan int, len(ids))
		for i := range ids {
			answers[i] = make(chan found, 1)
			todo <- i
		}
		close(todo)
		for range min(listWorkers, len(ids)) {
			go func() {
				for i := range todo {
					w, err := l.client.GetWebhook(ctx, ids[i])
					answers[i] <- found{ids[i], w, err}
				}
			}()
		}
		for _, answer := range answers {
			if !yield(<-answer) {
				return
			}
		}
	}
}

// result turns one answer into a list result; false: nothing to report.
func (l *customerWebhookList) result(ctx context.Context, req list.ListRequest, f found) (list.ListResult, bool) {
	result := req.NewListResult(ctx)
	switch {
	case sovx.IsWebhookNotConfigured(f.err):
		return result, false
	case sovx.IsCustomerNotFound(f.err):
		return list.ListResult{Diagnostics: diag.Diagnostics{diag.NewWarningDiagnostic("Customer not found",
			fmt.Sprintf("The API has no customer %q: it was left out of the results. Check the id, and that the "+
				"token belongs to the right account.", f.customerID))}}, true
	case f.err != nil:
		return list.ListResult{Diagnostics: diag.Diagnostics{
			apiErrorDiagnostic(fmt.Sprintf("read the webhook of customer %q", f.customerID), "", f.err)}}, true
	}
	result.DisplayName = fmt.Sprintf("%s → %s", f.customerID, sovx.ShowURL(f.webhook.URL))
	setIdentity(result.Identity, f.customerID)
	if req.IncludeResource {
		found := webhookWithoutValues(f.customerID, f.webhook)
		if sovx.ShowURL(f.webhook.URL) != f.webhook.URL {
			// Generated configuration and -json output are files and logs:
			// a URL's userinfo, query or fragment stays out of them.
			found.URL = webhookURLValue{StringValue: types.StringNull()}
			result.Diagnostics.AddWarning("Webhook URL left out", fmt.Sprintf("The webhook URL of customer %q (%s) "+
				"has secret parts (userinfo, a query or a fragment), which terraform query would write into "+
				"generated configuration and its output. Its url is left null: set it from a sensitive variable.",
				f.customerID, sovx.ShowURL(f.webhook.URL)))
		}
		result.Diagnostics.Append(writeWebhookModel(ctx, &result.Resource.Raw, found)...)
	}
	return result, true
}
