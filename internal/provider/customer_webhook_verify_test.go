package provider

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/sovera/terraform-provider-sovx/internal/sovx"
	"github.com/sovera/terraform-provider-sovx/internal/sovxtest"
)

// A failed test stays failed until a test passes: after an update whose
// test failed, and after turning verify on while the receiver is down,
// every plan shows the test as a change, every apply runs it (one verify
// call, no write), and the plan is clean only once it passed.
func TestAccCustomerWebhook_failedTestStaysPending(t *testing.T) {
	api := newFakeAPI(t, "cus_1")
	hook := newReceiver(t)
	at := func(url string, verify bool) string {
		return webhookConfig(api, "cus_1", twoHeaders(url, "Bearer token123", "secret-key")+fmt.Sprintf("\n  verify = %t", verify))
	}
	down := func() { api.ResetRequests(); hook.Answer(http.StatusServiceUnavailable, `{"error":"not deployed"}`) }
	up := func() { api.ResetRequests(); hook.Answer(http.StatusOK, `{}`) }
	v2, v3 := hook.URL+"/v2", hook.URL+"/v3"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{
			{Config: at(hook.URL, true), ConfigStateChecks: verifiedIs(true)},
			// An update whose test fails: written, kept, the test pending.
			{PreConfig: down, Config: at(v2, true), ExpectError: errorMatching(`Webhook test failed.*updated and the new ` +
				`configuration is saved in state, with verified = false`)},
			pendingTestFails(api, at(v2, true), down, v2),
			pendingTestPasses(api, at(v2, true), up),
			{Config: at(v2, true), PlanOnly: true},
			// verify turned off, the URL changed: written untested.
			{PreConfig: up, Config: at(v3, false), ConfigStateChecks: verifiedIs(false),
				Check: resource.ComposeTestCheckFunc(expectCount(api, "VERIFY", 0), expectCount(api, http.MethodPut, 1))},
			// verify turned on while the receiver is down.
			{PreConfig: down, Config: at(v3, true), ExpectError: errorMatching(`Webhook test failed.*not changed, with verified = false`)},
			pendingTestFails(api, at(v3, true), down, v3),
			pendingTestPasses(api, at(v3, true), up),
			{Config: at(v3, true), PlanOnly: true},
		},
	})
}

// pendingTestFails is a step whose plan shows the pending test (and the
// prior state no passed test), and whose apply tests once and fails again.
func pendingTestFails(api *sovxtest.Server, config string, down func(), url string) resource.TestStep {
	return resource.TestStep{
		PreConfig: func() {
			down()
			if got, _ := api.Webhook("cus_1"); got.URL != url {
				panic(fmt.Sprintf("the API holds %q after the failed test, want %q", got.URL, url))
			}
		},
		Config: config,
		ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
			plancheck.ExpectResourceAction(webhookAddr, plancheck.ResourceActionUpdate),
			plancheck.ExpectUnknownValue(webhookAddr, tfjsonpath.New("verified")),
			expectPriorValue(webhookAddr, "verified", false),
		}},
		ExpectError: errorMatching(`Webhook test failed.*HTTP 503`),
	}
}

// pendingTestPasses is a step whose apply tests once, writes nothing and
// records the passed test.
func pendingTestPasses(api *sovxtest.Server, config string, up func()) resource.TestStep {
	return resource.TestStep{
		PreConfig: up,
		Config:    config,
		ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
			plancheck.ExpectUnknownValue(webhookAddr, tfjsonpath.New("verified")),
		}},
		ConfigStateChecks: verifiedIs(true),
		Check: resource.ComposeTestCheckFunc(expectCount(api, "VERIFY", 1), checkAPI(func() error {
			if n := api.CountWrites(); n != 0 {
				return fmt.Errorf("a pending test sent %d write(s), want none", n)
			}
			return nil
		})),
	}
}

func verifiedIs(v bool) []statecheck.StateCheck {
	return []statecheck.StateCheck{statecheck.ExpectKnownValue(webhookAddr, tfjsonpath.New("verified"), knownvalue.Bool(v))}
}

// expectPriorValue checks an attribute of a resource's state before the
// planned change: what the state said after the last apply.
func expectPriorValue(addr, attr string, want any) plancheck.PlanCheck {
	return priorValueCheck{addr, attr, want}
}

type priorValueCheck struct {
	addr, attr string
	want       any
}

func (c priorValueCheck) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	for _, rc := range req.Plan.ResourceChanges {
		if rc.Address != c.addr {
			continue
		}
		before, _ := rc.Change.Before.(map[string]any)
		if got := before[c.attr]; got != c.want {
			resp.Error = fmt.Errorf("%s.%s was %v in state before the plan, want %v", c.addr, c.attr, got, c.want)
		}
		return
	}
	resp.Error = fmt.Errorf("no planned change for %s", c.addr)
}

// A receiver coming up in the same apply (503 for 15 s) passes with
// verify_wait: the test is repeated with backoff until it passes. Without
// it, the create tests once and fails. The provider and the receiver share
// a virtual clock, so the test waits for nothing.
func TestAccCustomerWebhook_verifyWaitsForAReceiverComingUp(t *testing.T) {
	api := newFakeAPI(t, "cus_1", "cus_2")
	hook := newReceiver(t)
	clock := sovxtest.NewClock()
	config := func(customer, wait string) string {
		return webhookConfig(api, customer, fmt.Sprintf("  url = %q\n  verify_wait = %s", hook.URL, wait))
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: map[string]func() (tfprotov6.ProviderServer, error){
			"sovx": providerserver.NewProtocol6WithError(newProvider("test", fastRetries, func(c *sovx.Config) { c.Clock = clock })()),
		},
		Steps: []resource.TestStep{
			{
				PreConfig:   func() { hook.DownFor(clock, 15*time.Second, http.StatusServiceUnavailable) },
				Config:      config("cus_1", "null"),
				ExpectError: errorMatching(`Webhook test failed.*HTTP 503.*removed again`),
				// The framework's own plans do not run; Check cannot, after an error.
			},
			{
				PreConfig: func() {
					if n := api.CountRequests("VERIFY", "cus_1"); n != 1 {
						panic(fmt.Sprintf("without verify_wait the create tested %d times, want once", n))
					}
					hook.DownFor(clock, 15*time.Second, http.StatusServiceUnavailable)
				},
				Config:            config("cus_2", `"1m"`),
				ConfigStateChecks: verifiedIs(true),
				Check: checkAPI(func() error {
					// Tests at 0, 1, 3, 7 and 15 s: the fifth passes.
					if n := api.CountRequests("VERIFY", "cus_2"); n != 5 {
						return fmt.Errorf("the receiver coming up after 15 s was tested %d times, want 5", n)
					}
					return nil
				}),
			},
		},
	})
}

// The plan fails where the apply surely would, and nothing is written: a
// customer the API says does not exist, and an endpoint that answers with
// a page that is not the API's.
func TestAccCustomerWebhook_planFailsWhereTheApplyWould(t *testing.T) {
	// Two wordings: the reference's example's, and one naming the customer in both 404s.
	for _, d := range []sovxtest.Dialect{sovxtest.DefaultDialect(), sovxtest.ProblemDialect()} {
		t.Run(d.Name, func(t *testing.T) { testPlanFailsWhereTheApplyWould(t, d) })
	}
}

func testPlanFailsWhereTheApplyWould(t *testing.T, d sovxtest.Dialect) {
	api := newFakeAPIIn(t, d, "cus_1")
	gateway := newGateway(t, "text/html", gatewayBodies["html"].body)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		Steps: []resource.TestStep{
			{
				Config:      webhookConfig(api, "cus_missing", `  url = "https://example.com/hook"`),
				PlanOnly:    true,
				ExpectError: errorMatching(`Customer not found.*no customer with this id`),
			},
			{
				Config: fmt.Sprintf("provider \"sovx\" {\n  endpoint = %q\n  token = %q\n}\n", gateway.URL+"/sovx/v1", api.Token) +
					resourceBlock("cus_1", `  url = "https://example.com/hook"`),
				PlanOnly:    true,
				ExpectError: errorMatching(`did not answer like the SX Customer Webhooks API.*endpoint is probably wrong`),
			},
		},
		CheckDestroy: checkAPI(func() error {
			// The failing plans asked only the existence check of cus_missing (the
			// gateway got the other): a GET with the token, nothing else.
			reqs := api.Requests()
			for _, r := range reqs {
				if r.Kind() != http.MethodGet || r.CustomerID != "cus_missing" || r.Header.Get("Authorization") == "" {
					return fmt.Errorf("the API got %s %s: want only the plan's existence check", r.Kind(), r.Path)
				}
			}
			if len(reqs) == 0 {
				return fmt.Errorf("the API got no request: the plan did not ask whether the customer exists")
			}
			return nil
		}),
	})
}

// A verify_wait as long as the operation's timeout or longer is a warning at
// plan: the timeout would end the testing first.
func TestVerifyWaitBeyondTheTimeoutIsAWarning(t *testing.T) {
	var diags diag.Diagnostics
	plan := customerWebhookModel{Verify: types.BoolValue(true), VerifyWait: types.StringValue("10m"),
		Timeouts: timeouts.Value{Object: types.ObjectNull(webhookAttributeTypes()["timeouts"].(timeouts.Type).AttrTypes)}}
	warnWaitBeyondTimeout(context.Background(), plan, true, &diags)
	if len(diags) != 1 || !strings.Contains(diags[0].Detail(), `timeouts { create = "11m" }`) {
		t.Fatalf("diagnostics %v, want one warning saying what to write", diags)
	}
	diags = nil
	plan.VerifyWait = types.StringValue("2m")
	if warnWaitBeyondTimeout(context.Background(), plan, false, &diags); len(diags) != 0 {
		t.Fatalf("a wait within the timeout warned: %v", diags)
	}
}

func TestShortDurations(t *testing.T) {
	for d, want := range map[time.Duration]string{30 * time.Second: "30s", 10 * time.Minute: "10m", time.Hour: "1h",
		90 * time.Second: "1m30s", 61 * time.Minute: "1h1m"} {
		if got := short(d); got != want {
			t.Errorf("short(%s) = %q, want %q", d, got, want)
		}
	}
}
