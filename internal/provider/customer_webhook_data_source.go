package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/sovera/terraform-provider-sovx/internal/sovx"
)

var _ datasource.DataSourceWithConfigure = (*customerWebhookDataSource)(nil)

// NewCustomerWebhookDataSource returns the sovx_customer_webhook data source.
func NewCustomerWebhookDataSource() datasource.DataSource { return &customerWebhookDataSource{} }

type customerWebhookDataSource struct {
	client *sovx.Client
}

type customerWebhookDataModel struct {
	ID          types.String `tfsdk:"id"`
	CustomerID  types.String `tfsdk:"customer_id"`
	URL         types.String `tfsdk:"url"`
	HeaderNames types.List   `tfsdk:"header_names"`
}

func (d *customerWebhookDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_customer_webhook"
}

func (d *customerWebhookDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads the webhook a customer has configured, whether or not Terraform manages it. " +
			"Header values are never returned by the API, so only the header names are exposed. When the customer " +
			"has no webhook (or the API does not know the customer), reading fails with an error that names the " +
			"customer: use the `sovx_customer_webhook` list resource (`terraform query`) to look for webhooks " +
			"without failing.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The customer id.",
				Computed:            true,
			},
			"customer_id": schema.StringAttribute{
				MarkdownDescription: "The customer whose webhook to read, for example `cus_123`.",
				Required:            true,
				Validators:          []validator.String{customerIDValidator()},
			},
			"url": schema.StringAttribute{
				MarkdownDescription: "The URL that receives PIN notifications. Sensitive: its userinfo or query may " +
					"carry a secret, and nothing the API answers says whether it does. Where you know it holds none, " +
					"show it with `nonsensitive()`.",
				Computed:  true,
				Sensitive: true,
			},
			"header_names": schema.ListAttribute{
				MarkdownDescription: "The names of the headers sent with every notification, sorted.",
				ElementType:         types.StringType,
				Computed:            true,
			},
		},
	}
}

func (d *customerWebhookDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, _ *datasource.ConfigureResponse) {
	d.client = clientOf(req.ProviderData)
}

func (d *customerWebhookDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var model customerWebhookDataModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &model)...)
	if resp.Diagnostics.HasError() || !clientReady(d.client, &resp.Diagnostics) {
		return
	}
	customerID := model.CustomerID.ValueString()
	remote, ok := readWebhook(ctx, d.client, customerID, &resp.Diagnostics)
	if !ok {
		return
	}
	list, diags := types.ListValueFrom(ctx, types.StringType, remote.HeaderNames)
	resp.Diagnostics.Append(diags...)
	model.ID = model.CustomerID
	model.URL = types.StringValue(remote.URL)
	model.HeaderNames = list
	resp.Diagnostics.Append(resp.State.Set(ctx, &model)...)
}
