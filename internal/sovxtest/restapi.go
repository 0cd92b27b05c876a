package sovxtest

import (
	"context"
	"encoding/json"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	pschema "github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// RESTAPI is a stand-in for the generic REST provider (Mastercard/restapi),
// which tests of moving its restapi_object to sovx_customer_webhook need and
// cannot download. It has restapi_object's schema as version 2 (the SDK one)
// or 3 (the framework one) has it; its create only records what the real one
// would after creating the object the fake API was seeded with, and its read
// puts the API's answer in data, masks included, as the real one does after a
// read that finds the server's object different.
type RESTAPI struct {
	Version int
	// Answer is what a read puts in data (the API's GET answer); empty: data
	// stays as configured.
	Answer string
}

func (p RESTAPI) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "restapi"
}

func (p RESTAPI) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = pschema.Schema{Attributes: map[string]pschema.Attribute{
		"uri":                  pschema.StringAttribute{Optional: true},
		"write_returns_object": pschema.BoolAttribute{Optional: true},
		"headers":              pschema.MapAttribute{Optional: true, ElementType: types.StringType, Sensitive: true},
	}}
}

func (p RESTAPI) Configure(context.Context, provider.ConfigureRequest, *provider.ConfigureResponse) {}

func (p RESTAPI) DataSources(context.Context) []func() datasource.DataSource { return nil }

func (p RESTAPI) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{func() resource.Resource { return restAPIObject(p) }}
}

type restAPIObject RESTAPI

func (o restAPIObject) Metadata(_ context.Context, _ resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = "restapi_object"
}

// Schema is restapi_object's, as each version declares it.
func (o restAPIObject) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	optional := func(names ...string) map[string]schema.Attribute {
		attrs := map[string]schema.Attribute{}
		for _, n := range names {
			attrs[n] = schema.StringAttribute{Optional: true}
		}
		return attrs
	}
	attrs := optional("create_path", "read_path", "update_path", "destroy_path", "create_method", "read_method",
		"update_method", "destroy_method", "id_attribute", "object_id", "query_string", "update_data", "destroy_data")
	attrs["path"] = schema.StringAttribute{Required: true}
	attrs["data"] = schema.StringAttribute{Required: true}
	attrs["debug"] = schema.BoolAttribute{Optional: true}
	attrs["ignore_all_server_changes"] = schema.BoolAttribute{Optional: true}
	attrs["force_new"] = schema.ListAttribute{Optional: true, ElementType: types.StringType}
	attrs["ignore_changes_to"] = schema.ListAttribute{Optional: true, ElementType: types.StringType}
	attrs["id"] = schema.StringAttribute{Computed: true}
	attrs["api_data"] = schema.MapAttribute{Computed: true, ElementType: types.StringType}
	attrs["api_response"] = schema.StringAttribute{Computed: true}
	attrs["create_response"] = schema.StringAttribute{Computed: true}
	if o.Version == 2 {
		attrs["read_search"] = schema.MapAttribute{Optional: true, ElementType: types.StringType}
	} else {
		attrs["read_data"] = schema.StringAttribute{Optional: true}
		attrs["ignore_server_additions"] = schema.BoolAttribute{Optional: true}
		attrs["read_search"] = schema.SingleNestedAttribute{Optional: true, Attributes: map[string]schema.Attribute{
			"search_key": schema.StringAttribute{Required: true}, "search_value": schema.StringAttribute{Required: true},
			"search_data": schema.StringAttribute{Optional: true}, "results_key": schema.StringAttribute{Optional: true},
			"query_string": schema.StringAttribute{Optional: true}, "search_patch": schema.StringAttribute{Optional: true},
		}}
	}
	resp.Schema = schema.Schema{Attributes: attrs}
}

// Create records the object: its id (object_id) and what the API answered.
func (o restAPIObject) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	resp.State.Raw = req.Plan.Raw
	var id, data types.String
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("object_id"), &id)...)
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("data"), &data)...)
	var body struct {
		URL string `json:"url"`
	}
	_ = json.Unmarshal([]byte(data.ValueString()), &body)
	created, _ := json.Marshal(map[string]any{"success": true, "data": map[string]string{
		"message": "Webhook configured successfully", "url": body.URL}})
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("create_response"), string(created))...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("api_response"), string(created))...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("api_data"),
		types.MapValueMust(types.StringType, map[string]attr.Value{"url": types.StringValue(body.URL)}))...)
}

// Read puts the API's answer in data, when there is one to put.
func (o restAPIObject) Read(ctx context.Context, _ resource.ReadRequest, resp *resource.ReadResponse) {
	if o.Answer != "" {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("data"), o.Answer)...)
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("api_response"), o.Answer)...)
	}
}

func (o restAPIObject) Update(_ context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	resp.State.Raw = req.Plan.Raw
}

func (o restAPIObject) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}
