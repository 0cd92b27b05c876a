package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/sovera/terraform-provider-sovx/internal/sovx"
	"github.com/sovera/terraform-provider-sovx/internal/sovxtest"
)

// Test helpers, in one place: the fake API and the provider wired to it,
// configurations, checks on what the API received and stored, and a driver
// for the plugin protocol.

// ---- The provider under test and the fake API.

// fastRetries keeps retry waits in tests to milliseconds.
func fastRetries(c *sovx.Config) {
	c.RetryWaitMin = time.Millisecond
	c.RetryWaitMax = 5 * time.Millisecond
	c.RetryAfterMax = 2 * time.Second
}

func testFactories() map[string]func() (tfprotov6.ProviderServer, error) {
	return map[string]func() (tfprotov6.ProviderServer, error){
		"sovx": providerserver.NewProtocol6WithError(newProvider("test", fastRetries)()),
	}
}

// newFakeAPI starts a strict fake API owned by the test, seeded with the
// given customers, and fails the test if the mask string was ever sent.
func newFakeAPI(t *testing.T, customers ...string) *sovxtest.Server {
	t.Helper()
	return newFakeAPIIn(t, sovxtest.DefaultDialect(), customers...)
}

// newFakeAPIIn is newFakeAPI speaking dialect d.
func newFakeAPIIn(t *testing.T, d sovxtest.Dialect, customers ...string) *sovxtest.Server {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1 (make test does)")
	}
	api := sovxtest.NewServer(sovxtest.Options{Customers: customers, Strict: true, Dialect: d})
	t.Cleanup(func() {
		if n := api.MaskViolations(); n > 0 {
			t.Errorf("the provider sent a mask the API showed back to it %d time(s)", n)
		}
		api.Close()
	})
	return api
}

// EnvTestSeeds lists the random dialects' seeds to run (comma-separated), to
// replay a failure; by default two fixed seeds and one new each run.
const EnvTestSeeds = "SOVX_TEST_SEEDS"

// testDialects are the dialects the acceptance core runs against: every
// named one and seeded random ones, the seed in the name.
func testDialects(t *testing.T) []sovxtest.Dialect {
	t.Helper()
	seeds := []uint64{1, 2, uint64(time.Now().UnixNano()) % 1_000_000}
	if env := os.Getenv(EnvTestSeeds); env != "" {
		seeds = nil
		for _, f := range strings.Split(env, ",") {
			n, err := strconv.ParseUint(strings.TrimSpace(f), 10, 64)
			if err != nil {
				t.Fatalf("%s: %q is not a seed", EnvTestSeeds, f)
			}
			seeds = append(seeds, n)
		}
	}
	out := []sovxtest.Dialect{sovxtest.DefaultDialect(), sovxtest.LeanDialect(), sovxtest.ProblemDialect(), sovxtest.BareDialect()}
	for _, seed := range seeds {
		out = append(out, sovxtest.RandomDialect(seed))
	}
	return out
}

// forEachDialect runs f as a sub-test per test dialect; a failing random
// one is replayed with SOVX_TEST_SEEDS=<its seed>.
func forEachDialect(t *testing.T, f func(t *testing.T, d sovxtest.Dialect)) {
	for _, d := range testDialects(t) {
		t.Run(d.Name, func(t *testing.T) { f(t, d) })
	}
}

// providerBlock configures the provider for the fake API.
func providerBlock(api *sovxtest.Server) string {
	return fmt.Sprintf("provider \"sovx\" {\n  endpoint = %q\n  token    = %q\n}\n", api.URL, api.Token)
}

// newReceiver starts the fake's webhook receiver for the test.
func newReceiver(t *testing.T) *sovxtest.Receiver {
	t.Helper()
	r := sovxtest.NewReceiver()
	t.Cleanup(r.Close)
	return r
}

// errorMatching compiles an expected-error pattern in which every space may
// also be a line break, since Terraform wraps long diagnostics, and in which
// "." matches newlines too.
func errorMatching(pattern string) *regexp.Regexp {
	return regexp.MustCompile("(?s)" + strings.ReplaceAll(strings.TrimPrefix(pattern, "(?s)"), " ", `\s+`))
}

// ---- Configurations and checks of what the API stored.

// webhookAddr is the address of the webhook resource the configurations below declare.
const webhookAddr = "sovx_customer_webhook.this"

// webhookConfig renders a provider block and one webhook resource; body is
// the resource's arguments after customer_id.
func webhookConfig(api *sovxtest.Server, customerID, body string) string {
	return providerBlock(api) + resourceBlock(customerID, body)
}

// resourceBlock is sovx_customer_webhook.this for a customer, with body.
func resourceBlock(customerID, body string) string {
	return fmt.Sprintf(`
resource "sovx_customer_webhook" "this" {
  customer_id = %q
%s
}
`, customerID, body)
}

func twoHeaders(url, auth, key string) string {
	return fmt.Sprintf(`  url = %q
  headers = {
    "Authorization" = { value = %q }
    "X-API-Key"     = { value = %q }
  }`, url, auth, key)
}

// checkAPI adapts a check on the fake API into a step check.
func checkAPI(f func() error) resource.TestCheckFunc {
	return func(*terraform.State) error { return f() }
}

// lastBody returns the body of the newest request of the given kind.
func lastBody(api *sovxtest.Server, kind string) string {
	reqs := api.Requests()
	for i := len(reqs) - 1; i >= 0; i-- {
		if reqs[i].Kind() == kind {
			return string(reqs[i].Body)
		}
	}
	return ""
}

// expectStored checks what the API stored after the provider sent want: want
// as the dialect stores it (a normalizing dialect keeps the URL and header
// names in its own form).
func expectStored(api *sovxtest.Server, customerID string, want sovxtest.Webhook) resource.TestCheckFunc {
	return expectStoredVerbatim(api, customerID, api.Dialect().Stored(want))
}

// expectStoredVerbatim checks that the API holds exactly want (set out of
// band, never sent by the provider).
func expectStoredVerbatim(api *sovxtest.Server, customerID string, want sovxtest.Webhook) resource.TestCheckFunc {
	return checkAPI(func() error {
		got, ok := api.Webhook(customerID)
		if !ok {
			return fmt.Errorf("the API has no webhook for %s", customerID)
		}
		g, _ := json.Marshal(got)
		w, _ := json.Marshal(want)
		if string(g) != string(w) {
			return fmt.Errorf("the API stored %s, want %s", g, w)
		}
		return nil
	})
}

// expectCount checks how many requests of a kind, with the token, the API
// got for cus_1 (the endpoint checks, sent without it, are expectEndpointChecks').
func expectCount(api *sovxtest.Server, method string, want int) resource.TestCheckFunc {
	return checkAPI(func() error {
		got := 0
		for _, r := range api.Requests() {
			if r.Kind() == method && r.CustomerID == "cus_1" && r.Header.Get("Authorization") != "" {
				got++
			}
		}
		if got != want {
			return fmt.Errorf("the API received %d %s request(s) for cus_1, want %d", got, method, want)
		}
		return nil
	})
}

// expectEndpointChecks checks the requests sent without the token (the
// endpoint check a 404 that is not a JSON object calls for, once per
// provider process): none when the dialect's 404s are JSON objects, at most
// one per process (the plan's and the apply's) otherwise.
func expectEndpointChecks(api *sovxtest.Server, jsonNotFound bool) resource.TestCheckFunc {
	return checkAPI(func() error {
		got := 0
		for _, r := range api.Requests() {
			if r.Header.Get("Authorization") == "" {
				got++
			}
		}
		if jsonNotFound && got != 0 || got > 2 {
			return fmt.Errorf("%d endpoint check(s), want %s", got, map[bool]string{true: "none", false: "at most 2"}[jsonNotFound])
		}
		return nil
	})
}

func headerValue(name string) tfjsonpath.Path {
	return tfjsonpath.New("headers").AtMapKey(name).AtMapKey("value")
}

func expectStoredNow(t *testing.T, api *sovxtest.Server, customerID string, want sovxtest.Webhook) {
	t.Helper()
	if err := expectStored(api, customerID, want)(nil); err != nil {
		t.Error(err)
	}
}

const webhookType = "sovx_customer_webhook"

// seedImported gives cus_1 a webhook configured outside Terraform.
func seedImported(api *sovxtest.Server, url string) {
	api.SetWebhook("cus_1", sovxtest.Webhook{URL: url, Headers: []sovxtest.Header{
		{Key: "Authorization", Value: "Bearer old"}, {Key: "X-API-Key", Value: "old"}}})
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

const verifyActionType = "sovx_customer_webhook_verify"

// invoke runs the action for a customer (with show_response_data set to
// show) and returns its progress messages and final diagnostics.
func (p *protocolServer) invoke(customerID string, show bool) ([]string, []*tfprotov6.Diagnostic) {
	p.t.Helper()
	schema := p.schema.ActionSchemas[verifyActionType]
	if schema == nil {
		p.t.Fatalf("no %s action in the provider schema", verifyActionType)
	}
	actions, ok := p.server.(tfprotov6.ActionServer)
	if !ok {
		p.t.Fatal("the provider server does not serve actions")
	}
	stream, err := actions.InvokeAction(context.Background(), &tfprotov6.InvokeActionRequest{
		ActionType: verifyActionType,
		Config: p.value(schema.Schema.ValueType(), map[string]tftypes.Value{
			"customer_id":        tftypes.NewValue(tftypes.String, customerID),
			"show_response_data": tftypes.NewValue(tftypes.Bool, show),
		}),
	})
	if err != nil {
		p.t.Fatal(err)
	}
	var progress []string
	var diags []*tfprotov6.Diagnostic
	for event := range stream.Events {
		switch e := event.Type.(type) {
		case tfprotov6.ProgressInvokeActionEventType:
			progress = append(progress, e.Message)
		case tfprotov6.CompletedInvokeActionEventType:
			diags = e.Diagnostics
		}
	}
	return progress, diags
}

// ---- Driving the provider through the plugin protocol, for what Terraform 1.11 cannot exercise.

// protocolServer drives the provider through the plugin protocol, for
// features Terraform 1.11 cannot exercise (identity import, actions).
type protocolServer struct {
	t      testing.TB
	server tfprotov6.ProviderServer
	schema *tfprotov6.GetProviderSchemaResponse
}

// newProtocolServer returns a provider configured for the fake API.
func newProtocolServer(t testing.TB, api *sovxtest.Server) *protocolServer {
	t.Helper()
	ctx := context.Background()
	p := &protocolServer{t: t, server: providerserver.NewProtocol6(newProvider("test", fastRetries)())()}
	var err error
	if p.schema, err = p.server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{}); err != nil {
		t.Fatal(err)
	}
	config := p.value(p.schema.Provider.ValueType(), map[string]tftypes.Value{
		"endpoint":        tftypes.NewValue(tftypes.String, api.URL),
		"token":           tftypes.NewValue(tftypes.String, api.Token),
		"max_retries":     tftypes.NewValue(tftypes.Number, nil),
		"request_timeout": tftypes.NewValue(tftypes.String, nil),
	})
	resp, err := p.server.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{TerraformVersion: "1.14.0", Config: config})
	if err != nil {
		t.Fatal(err)
	}
	p.noErrors("ConfigureProvider", resp.Diagnostics)
	return p
}

// value encodes an object of the given type, filling unnamed attributes with null.
func (p *protocolServer) value(typ tftypes.Type, attrs map[string]tftypes.Value) *tfprotov6.DynamicValue {
	p.t.Helper()
	obj := typ.(tftypes.Object)
	full := make(map[string]tftypes.Value, len(obj.AttributeTypes))
	for name, at := range obj.AttributeTypes {
		if v, ok := attrs[name]; ok {
			full[name] = v
		} else {
			full[name] = tftypes.NewValue(at, nil)
		}
	}
	dv, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, full))
	if err != nil {
		p.t.Fatal(err)
	}
	return &dv
}

// noWebhook is a null sovx_customer_webhook: the prior state of a create.
func (p *protocolServer) noWebhook() *tfprotov6.DynamicValue {
	p.t.Helper()
	typ := p.schema.ResourceSchemas[webhookType].ValueType()
	dv, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, nil))
	if err != nil {
		p.t.Fatal(err)
	}
	return &dv
}

// decode returns the attributes of an object-typed dynamic value.
func (p *protocolServer) decode(typ tftypes.Type, dv *tfprotov6.DynamicValue) map[string]tftypes.Value {
	p.t.Helper()
	v, err := dv.Unmarshal(typ)
	if err != nil {
		p.t.Fatal(err)
	}
	var attrs map[string]tftypes.Value
	if err := v.As(&attrs); err != nil {
		p.t.Fatal(err)
	}
	return attrs
}

func (p *protocolServer) noErrors(call string, diags []*tfprotov6.Diagnostic) {
	p.t.Helper()
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			p.t.Fatalf("%s: %s: %s", call, d.Summary, d.Detail)
		}
	}
}

func stringOf(t testing.TB, v tftypes.Value) string {
	t.Helper()
	var s string
	if err := v.As(&s); err != nil {
		t.Fatal(err)
	}
	return s
}

// configureDiagnostics sends ConfigureProvider with the given endpoint and
// token ("": left out, so the environment's) and returns the diagnostics.
func configureDiagnostics(t *testing.T, endpoint, token string) []*tfprotov6.Diagnostic {
	t.Helper()
	server := providerserver.NewProtocol6(New("test", context.Background())())()
	schema, err := server.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	p := &protocolServer{t: t, server: server, schema: schema}
	resp, err := server.ConfigureProvider(context.Background(), &tfprotov6.ConfigureProviderRequest{
		TerraformVersion: "1.11.4",
		Config: p.value(schema.Provider.ValueType(), map[string]tftypes.Value{
			"endpoint": nullIfEmpty(endpoint),
			"token":    nullIfEmpty(token),
		}),
	})
	if err != nil {
		t.Fatal(err)
	}
	return resp.Diagnostics
}

func nullIfEmpty(s string) tftypes.Value {
	if s == "" {
		return tftypes.NewValue(tftypes.String, nil)
	}
	return tftypes.NewValue(tftypes.String, s)
}

// ---- The engine under test.
