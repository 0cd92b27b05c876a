package provider

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/sovera/terraform-provider-sovx/internal/sovxtest"
)

// webhookValue is a sovx_customer_webhook object for the protocol (verify
// off, one header "X-API-Key"; customerID "" leaves the id unknown).
func (p *protocolServer) webhookValue(customerID, url string) *tfprotov6.DynamicValue {
	p.t.Helper()
	typ := p.schema.ResourceSchemas[webhookType].ValueType().(tftypes.Object)
	headers := typ.AttributeTypes["headers"].(tftypes.Map)
	header := headers.ElementType.(tftypes.Object)
	id := tftypes.NewValue(tftypes.String, customerID)
	if customerID == "" {
		id = tftypes.NewValue(tftypes.String, tftypes.UnknownValue)
	}
	return p.value(typ, map[string]tftypes.Value{
		"customer_id": id,
		"url":         tftypes.NewValue(tftypes.String, url),
		"verify":      tftypes.NewValue(tftypes.Bool, false),
		"headers": tftypes.NewValue(headers, map[string]tftypes.Value{
			"X-API-Key": tftypes.NewValue(header, map[string]tftypes.Value{
				"value":    tftypes.NewValue(tftypes.String, "k-123"),
				"value_wo": tftypes.NewValue(tftypes.String, nil),
			}),
		}),
	})
}

// planCreate plans a create the way Terraform does, with the private state a
// replacement hands on (nil for a plain create).
func (p *protocolServer) planCreate(config *tfprotov6.DynamicValue, private []byte) *tfprotov6.PlanResourceChangeResponse {
	p.t.Helper()
	planned, err := p.server.PlanResourceChange(context.Background(), &tfprotov6.PlanResourceChangeRequest{
		TypeName: webhookType, Config: config, ProposedNewState: config, PriorState: p.noWebhook(), PriorPrivate: private})
	if err != nil {
		p.t.Fatal(err)
	}
	return planned
}

// apply applies a plan the way Terraform does.
func (p *protocolServer) apply(config *tfprotov6.DynamicValue, planned *tfprotov6.PlanResourceChangeResponse,
	prior *tfprotov6.DynamicValue) *tfprotov6.ApplyResourceChangeResponse {
	p.t.Helper()
	applied, err := p.server.ApplyResourceChange(context.Background(), &tfprotov6.ApplyResourceChangeRequest{
		TypeName: webhookType, Config: config, PlannedState: planned.PlannedState, PriorState: prior,
		PlannedPrivate: planned.PlannedPrivate})
	if err != nil {
		p.t.Fatal(err)
	}
	return applied
}

// The plan says what a create will find: nothing, the very webhook it is
// about to write (a warning: it is taken over), or another one (an error,
// before anything is written). One GET, no write.
func TestPlanSaysWhatACreateFinds(t *testing.T) {
	const url = "https://example.com/hooks/cus_1"
	for name, tc := range map[string]struct {
		existing *sovxtest.Webhook
		severity tfprotov6.DiagnosticSeverity // 0: no diagnostic
		summary  string
	}{
		"nothing there": {nil, 0, ""},
		"the same webhook, as the server spells it": {&sovxtest.Webhook{URL: "https://EXAMPLE.com:443/hooks/cus_1",
			Headers: []sovxtest.Header{{Key: "x-api-key", Value: "left"}}}, tfprotov6.DiagnosticSeverityWarning, "Existing webhook taken over"},
		"another URL": {&sovxtest.Webhook{URL: "https://example.com/other",
			Headers: []sovxtest.Header{{Key: "X-API-Key", Value: "theirs"}}}, tfprotov6.DiagnosticSeverityError, "Webhook already configured"},
		"other header names": {&sovxtest.Webhook{URL: url,
			Headers: []sovxtest.Header{{Key: "Authorization", Value: "theirs"}}}, tfprotov6.DiagnosticSeverityError, "Webhook already configured"},
	} {
		t.Run(name, func(t *testing.T) {
			api := newFakeAPI(t, "cus_1")
			if tc.existing != nil {
				api.SetWebhook("cus_1", *tc.existing)
			}
			p := newProtocolServer(t, api)
			planned := p.planCreate(p.webhookValue("cus_1", url), nil)
			if tc.severity == 0 {
				p.noErrors("PlanResourceChange", planned.Diagnostics)
				if len(planned.Diagnostics) != 0 {
					t.Errorf("diagnostics %+v, want none", planned.Diagnostics)
				}
			} else if len(planned.Diagnostics) != 1 || planned.Diagnostics[0].Severity != tc.severity ||
				planned.Diagnostics[0].Summary != tc.summary || !strings.Contains(planned.Diagnostics[0].Detail, `"cus_1"`) ||
				planned.Diagnostics[0].Attribute.String() != tftypes.NewAttributePath().WithAttributeName("customer_id").String() {
				t.Errorf("diagnostics %+v, want one %v %q on customer_id naming the customer", planned.Diagnostics, tc.severity, tc.summary)
			}
			if got := len(api.Requests()); got != 1 || api.CountRequests(http.MethodGet, "cus_1") != 1 {
				t.Errorf("the plan sent %d requests (%+v), want one GET", got, api.Requests())
			}
		})
	}
}

// A replacement plans its new object as a create and hands it the private
// state of the plan of the old one: for the same customer, the webhook there
// is the one the replacement deletes first, so the plan asks nothing. For
// another customer it checks as for any create.
func TestPlanOfAReplacementDoesNotCheckItsOwnWebhook(t *testing.T) {
	api := newFakeAPI(t, "cus_1", "cus_2")
	api.SetWebhook("cus_1", sovxtest.Webhook{URL: "https://example.com/old"})
	api.SetWebhook("cus_2", sovxtest.Webhook{URL: "https://example.com/theirs"})
	p := newProtocolServer(t, api)
	old := p.webhookValue("cus_1", "https://example.com/old")
	first, err := p.server.PlanResourceChange(context.Background(), &tfprotov6.PlanResourceChangeRequest{
		TypeName: webhookType, Config: p.webhookValue("cus_1", "https://example.com/new"),
		ProposedNewState: p.webhookValue("cus_1", "https://example.com/new"), PriorState: old})
	if err != nil {
		t.Fatal(err)
	}
	p.noErrors("PlanResourceChange of the old object", first.Diagnostics)
	if first.PlannedPrivate == nil {
		t.Fatal("the plan of an object in state left no private state for a replacement to read")
	}

	replaced := p.planCreate(p.webhookValue("cus_1", "https://example.com/new"), first.PlannedPrivate)
	if len(replaced.Diagnostics) != 0 || len(api.Requests()) != 0 {
		t.Errorf("replacing cus_1's own webhook: diagnostics %+v, %d requests; want none", replaced.Diagnostics, len(api.Requests()))
	}
	moved := p.planCreate(p.webhookValue("cus_2", "https://example.com/new"), first.PlannedPrivate)
	if len(moved.Diagnostics) != 1 || moved.Diagnostics[0].Summary != "Webhook already configured" ||
		api.CountRequests(http.MethodGet, "cus_2") != 1 {
		t.Errorf("moving to cus_2, which has a webhook: diagnostics %+v, %d GETs; want the refusal after one GET",
			moved.Diagnostics, api.CountRequests(http.MethodGet, "cus_2"))
	}
}

// An id only known at apply cannot be checked at plan: the create checks
// right before it writes.
func TestPlanWithUnknownCustomerAsksNothing(t *testing.T) {
	api := newFakeAPI(t, "cus_1")
	p := newProtocolServer(t, api)
	planned := p.planCreate(p.webhookValue("", "https://example.com/hook"), nil)
	p.noErrors("PlanResourceChange", planned.Diagnostics)
	if n := len(api.Requests()); n != 0 {
		t.Errorf("%d requests for a plan with an unknown customer, want 0", n)
	}
}

// In an apply, Terraform plans each create once more right before creating
// it: that plan checks (and warns) as the plan of terraform plan does, so the
// create itself asks nothing. A create in an apply is then a GET in each plan
// and the POST.
func TestCreateWritesWhatItsPlanChecked(t *testing.T) {
	const url = "https://example.com/hooks/cus_1"
	api := newFakeAPI(t, "cus_1")
	api.SetWebhook("cus_1", sovxtest.Webhook{URL: url, Headers: []sovxtest.Header{{Key: "X-API-Key", Value: "left"}}})
	p := newProtocolServer(t, api)
	config := p.webhookValue("cus_1", url)
	planned := p.planCreate(config, nil)
	if len(planned.Diagnostics) != 1 || planned.Diagnostics[0].Summary != "Existing webhook taken over" {
		t.Fatalf("plan diagnostics %+v, want the take-over warning", planned.Diagnostics)
	}
	// Both causes, not only an interrupted apply: another configuration may manage it.
	if d := planned.Diagnostics[0].Detail; !strings.Contains(d, "failed or was interrupted") || !strings.Contains(d, "another configuration manages") {
		t.Errorf("the warning names one cause only:\n%s", d)
	}
	applied := p.apply(config, planned, p.noWebhook())
	if len(applied.Diagnostics) != 0 {
		t.Errorf("apply diagnostics %+v, want none (the plan warned)", applied.Diagnostics)
	}
	if gets, posts := api.CountRequests(http.MethodGet, "cus_1"), api.CountRequests(http.MethodPost, "cus_1"); gets != 1 || posts != 1 {
		t.Errorf("plan and create sent %d GETs and %d POSTs, want 1 and 1", gets, posts)
	}
	expectStoredNow(t, api, "cus_1", sovxtest.Webhook{URL: url, Headers: []sovxtest.Header{{Key: "X-API-Key", Value: "k-123"}}})
}
