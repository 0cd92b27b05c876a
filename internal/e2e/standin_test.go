package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/sovera/terraform-provider-sovx/internal/sovxtest"
	"github.com/sovera/terraform-provider-sovx/internal/tfmirror"
)

// Stand-in providers: providers the suite needs beside sovx but cannot
// download, served by the test binary itself. A workspace installs one from
// a filesystem mirror of its own, where the provider's executable is a link
// to the test binary; TestMain serves the stand-in the link's name names
// instead of running the tests.
var standIns = map[string]struct {
	// source is the address configurations name it by, on Terraform's
	// registry (and, for OpenTofu, on its own).
	source   string
	provider func() provider.Provider
}{
	"failing": {"example.com/stand-in/failing", func() provider.Provider { return failingProvider{} }},
	// restapi_object's schema, version 3; a read puts RESTAPIAnswer in data.
	"restapi": {"registry.terraform.io/mastercard/restapi", func() provider.Provider {
		return sovxtest.RESTAPI{Version: 3, Answer: os.Getenv(RESTAPIAnswer)}
	}},
}

// RESTAPIAnswer is the API's answer the restapi stand-in's reads put in data.
const RESTAPIAnswer = "SOVX_E2E_RESTAPI_ANSWER"

const standInVersion = "0.0.1"

// serveStandIn serves the stand-in provider the executable's name names
// (terraform-provider-TYPE_vVERSION), if it names one.
func serveStandIn() (served bool) {
	name, ok := strings.CutPrefix(filepath.Base(os.Args[0]), "terraform-provider-")
	if !ok {
		return false
	}
	typ, _, _ := strings.Cut(name, "_")
	s, ok := standIns[typ]
	if !ok {
		fmt.Fprintf(os.Stderr, "no stand-in provider %q\n", typ)
		os.Exit(1)
	}
	if err := providerserver.Serve(context.Background(), s.provider, providerserver.ServeOpts{
		Address: s.source, ProtocolVersion: 6}); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	return true
}

// useStandIn lets the workspace's configurations use a stand-in provider
// by its source address, beside sovx: it installs from a mirror of its own.
func (w *workspace) useStandIn(typ string) {
	w.t.Helper()
	s := standIns[typ]
	exe, err := os.Executable()
	if err != nil {
		w.t.Fatal(err)
	}
	mirror := filepath.Join(w.dir, ".stand-in")
	addresses := []string{s.source}
	if host, rest, _ := strings.Cut(s.source, "/"); host == tfmirror.Hosts[0] {
		addresses = append(addresses, tfmirror.Hosts[1]+"/"+rest)
	}
	for _, addr := range addresses {
		dir := filepath.Join(mirror, addr, standInVersion, runtime.GOOS+"_"+runtime.GOARCH)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			w.t.Fatal(err)
		}
		if err := os.Symlink(exe, filepath.Join(dir, "terraform-provider-"+typ+"_v"+standInVersion)); err != nil {
			w.t.Fatal(err)
		}
	}
	quoted := fmt.Sprintf("%q", addresses[0])
	for _, a := range addresses[1:] {
		quoted += fmt.Sprintf(", %q", a)
	}
	rc := strings.Replace(tfmirror.CLIConfig(mirrorDir), "provider_installation {\n", fmt.Sprintf(
		"provider_installation {\n  filesystem_mirror {\n    path    = %q\n    include = [%s]\n  }\n", mirror, quoted), 1)
	rc = strings.Replace(rc, "exclude = [", "exclude = ["+quoted+", ", 1)
	w.writeFile("terraform.rc", rc)
}

// failingProvider's resource returns its planned state with an error from
// every create: what Terraform records as a tainted object.
type failingProvider struct{}

func (failingProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "failing"
}
func (failingProvider) Schema(context.Context, provider.SchemaRequest, *provider.SchemaResponse) {}
func (failingProvider) Configure(context.Context, provider.ConfigureRequest, *provider.ConfigureResponse) {
}
func (failingProvider) DataSources(context.Context) []func() datasource.DataSource { return nil }
func (failingProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{func() resource.Resource { return failingCreate{} }}
}

type failingCreate struct{}

type failingModel struct {
	ID types.String `tfsdk:"id"`
}

func (failingCreate) Metadata(_ context.Context, _ resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = "failing_create"
}

func (failingCreate) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{Attributes: map[string]schema.Attribute{"id": schema.StringAttribute{Required: true}}}
}

func (failingCreate) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var m failingModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
	resp.Diagnostics.AddError("Create failed", "The stand-in's create fails after it created the object.")
}

func (failingCreate) Read(context.Context, resource.ReadRequest, *resource.ReadResponse) {}
func (failingCreate) Update(context.Context, resource.UpdateRequest, *resource.UpdateResponse) {
}
func (failingCreate) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {
}
