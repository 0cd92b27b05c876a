package provider

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/sovera/terraform-provider-sovx/internal/sovxtest"
)

// listedAPI has two customers with webhooks, one without and none called cus_missing.
func listedAPI(t *testing.T, d sovxtest.Dialect) *sovxtest.Server {
	t.Helper()
	api := sovxtest.NewServer(sovxtest.Options{Customers: []string{"cus_none"}, Strict: true, Dialect: d})
	t.Cleanup(api.Close)
	api.SetWebhook("cus_1", sovxtest.Webhook{URL: "https://example.com/one", Headers: []sovxtest.Header{
		{Key: "X-Second", Value: "secret-2"}, {Key: "Authorization", Value: "secret-1"}}})
	api.SetWebhook("cus_2", sovxtest.Webhook{URL: "https://example.com/two"})
	return api
}

// listThroughTheProtocol runs ListResource for ids and returns the results.
func listThroughTheProtocol(t *testing.T, p *protocolServer, ids []string, includeResource bool, limit int64) []tfprotov6.ListResourceResult {
	t.Helper()
	lists, ok := p.server.(tfprotov6.ListResourceServer)
	if !ok {
		t.Fatal("the provider server does not serve list resources")
	}
	values := make([]tftypes.Value, len(ids))
	for i, id := range ids {
		values[i] = tftypes.NewValue(tftypes.String, id)
	}
	configType := p.schema.ListResourceSchemas[webhookType].ValueType()
	stream, err := lists.ListResource(context.Background(), &tfprotov6.ListResourceRequest{
		TypeName: webhookType, IncludeResource: includeResource, Limit: limit,
		Config: p.value(configType, map[string]tftypes.Value{
			"customer_ids": tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, values),
		}),
	})
	if err != nil {
		t.Fatal(err)
	}
	var out []tfprotov6.ListResourceResult
	for r := range stream.Results {
		out = append(out, r)
	}
	return out
}

func TestCustomerWebhookListThroughTheProtocol(t *testing.T) {
	forEachDialect(t, func(t *testing.T, d sovxtest.Dialect) {
		api := listedAPI(t, d)
		p := newProtocolServer(t, api)
		results := listThroughTheProtocol(t, p, []string{"cus_1", "cus_none", "cus_missing", "cus_2"}, true, 0)

		identityType := tftypes.Object{AttributeTypes: map[string]tftypes.Type{"customer_id": tftypes.String}}
		stateType := p.schema.ResourceSchemas[webhookType].ValueType()
		found := map[string]tfprotov6.ListResourceResult{}
		var warnings []string
		for _, r := range results {
			for _, diag := range r.Diagnostics {
				if diag.Severity == tfprotov6.DiagnosticSeverityError {
					t.Fatalf("error: %s: %s", diag.Summary, diag.Detail)
				}
				warnings = append(warnings, diag.Summary+": "+diag.Detail)
			}
			if r.Identity != nil {
				found[stringOf(t, p.decode(identityType, r.Identity.IdentityData)["customer_id"])] = r
			}
		}
		if len(found) != 2 || found["cus_1"].Identity == nil || found["cus_2"].Identity == nil {
			t.Fatalf("listed %v, want exactly cus_1 and cus_2", keys(found))
		}
		// The API may not say which of the two a 404 on GET means: then the
		// missing customer is left out silently, else with a warning naming it.
		for _, w := range warnings {
			if !strings.Contains(w, `"cus_missing"`) {
				t.Errorf("unexpected warning %q", w)
			}
		}
		one := found["cus_1"]
		if one.DisplayName != "cus_1 → https://example.com/one" {
			t.Errorf("display name %q", one.DisplayName)
		}
		state := p.decode(stateType, one.Resource)
		if stringOf(t, state["url"]) != "https://example.com/one" || stringOf(t, state["id"]) != "cus_1" {
			t.Errorf("resource = %v", state)
		}
		var headers map[string]tftypes.Value
		if err := state["headers"].As(&headers); err != nil {
			t.Fatal(err)
		}
		if len(headers) != 2 || headers["Authorization"].IsNull() || headers["X-Second"].IsNull() {
			t.Fatalf("headers = %v, want the two names", headers)
		}
		for name, h := range headers {
			var fields map[string]tftypes.Value
			_ = h.As(&fields)
			if !fields["value"].IsNull() || !fields["value_wo"].IsNull() {
				t.Errorf("header %s carries a value %v: the API's mask must never become one", name, fields)
			}
		}
		if n := api.CountWrites(); n != 0 {
			t.Errorf("a query sent %d write(s)", n)
		}
	})
}

func TestCustomerWebhookListHonoursTheLimit(t *testing.T) {
	api := listedAPI(t, sovxtest.DefaultDialect())
	p := newProtocolServer(t, api)
	results := listThroughTheProtocol(t, p, []string{"cus_1", "cus_2"}, false, 1)
	if len(results) != 1 || results[0].Identity == nil || results[0].Resource != nil {
		t.Fatalf("results = %+v, want one identity without resource data", results)
	}
}

// terraform query lists exactly the customers that have a webhook.
func TestAccCustomerWebhookList_query(t *testing.T) {
	api := newFakeAPI(t, "cus_none")
	api.SetWebhook("cus_1", sovxtest.Webhook{URL: "https://example.com/one", Headers: []sovxtest.Header{{Key: "X-Key", Value: "secret"}}})
	api.SetWebhook("cus_2", sovxtest.Webhook{URL: "https://example.com/two"})
	const list = "sovx_customer_webhook.existing"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)},
		Steps: []resource.TestStep{
			// The query step's list block uses the provider configured by the
			// .tf file of the step before.
			{Config: providerBlock(api)},
			{
				Query: true,
				Config: `
list "sovx_customer_webhook" "existing" {
  provider         = sovx
  include_resource = true
  config {
    customer_ids = ["cus_1", "cus_none", "cus_2"]
  }
}
`,
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLength(list, 2),
					querycheck.ExpectIdentity(list, map[string]knownvalue.Check{"customer_id": knownvalue.StringExact("cus_1")}),
					querycheck.ExpectIdentity(list, map[string]knownvalue.Check{"customer_id": knownvalue.StringExact("cus_2")}),
					querycheck.ExpectResourceDisplayName(list,
						queryfilter.ByResourceIdentity(map[string]knownvalue.Check{"customer_id": knownvalue.StringExact("cus_1")}),
						knownvalue.StringRegexp(regexp.MustCompile(`^cus_1 → https://example\.com/one$`))),
					querycheck.ExpectResourceKnownValues(list,
						queryfilter.ByResourceIdentity(map[string]knownvalue.Check{"customer_id": knownvalue.StringExact("cus_1")}),
						[]querycheck.KnownValueCheck{
							{Path: tfjsonpath.New("url"), KnownValue: knownvalue.StringExact("https://example.com/one")},
							{Path: tfjsonpath.New("headers").AtMapKey("X-Key").AtMapKey("value"), KnownValue: knownvalue.Null()},
						}),
				},
			},
		},
	})
}

// Results come in the order of customer_ids, however the answers arrive, so
// a query prints (and -generate-config-out names) the same way every run.
func TestCustomerWebhookListKeepsTheOrderOfCustomerIDs(t *testing.T) {
	api := sovxtest.NewServer(sovxtest.Options{Strict: true})
	t.Cleanup(api.Close)
	ids := []string{"cus_5", "cus_3", "cus_9", "cus_1", "cus_7", "cus_2", "cus_8", "cus_4", "cus_6", "cus_0"}
	for i, id := range ids {
		api.SetWebhook(id, sovxtest.Webhook{URL: "https://example.com/" + id})
		// The first answers come last.
		api.SetLatencyFor(id, time.Duration(len(ids)-i)*15*time.Millisecond)
	}
	p := newProtocolServer(t, api)
	identityType := tftypes.Object{AttributeTypes: map[string]tftypes.Type{"customer_id": tftypes.String}}
	var got []string
	for _, r := range listThroughTheProtocol(t, p, ids, false, 0) {
		got = append(got, stringOf(t, p.decode(identityType, r.Identity.IdentityData)["customer_id"]))
	}
	if strings.Join(got, ",") != strings.Join(ids, ",") {
		t.Errorf("results in the order %v, want %v", got, ids)
	}
}
