package provider

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/sovera/terraform-provider-sovx/internal/sovxtest"
)

func TestVerifyActionThroughTheProtocol(t *testing.T) {
	api := sovxtest.NewServer(sovxtest.Options{Customers: []string{"cus_1", "cus_2"}, Strict: true})
	defer api.Close()
	receiver := newReceiver(t)
	receiver.Answer(http.StatusOK, `{"detail":"signature mismatch"}`)
	api.SetWebhook("cus_1", sovxtest.Webhook{URL: receiver.URL, Headers: []sovxtest.Header{{Key: "X-Key", Value: "k"}}})
	p := newProtocolServer(t, api)

	progress, diags := p.invoke("cus_1", false)
	if len(diags) != 0 {
		t.Fatalf("successful test gave diagnostics %+v", diags)
	}
	if len(progress) != 2 || !strings.Contains(progress[0], "Sending a test payload") || progress[1] != "Webhook test successful" {
		t.Errorf("progress = %q", progress)
	}
	if n := api.CountRequests("VERIFY", "cus_1"); n != 1 {
		t.Errorf("the API got %d verify calls, want 1", n)
	}

	receiver.Answer(http.StatusForbidden, `{"detail":"signature mismatch"}`)
	_, diags = p.invoke("cus_1", false)
	if len(diags) != 1 || diags[0].Severity != tfprotov6.DiagnosticSeverityError || diags[0].Summary != "Webhook test failed" ||
		!strings.Contains(diags[0].Detail, "HTTP 403") || strings.Contains(diags[0].Detail, "signature mismatch") ||
		!strings.Contains(diags[0].Detail, "is not shown") || !strings.Contains(diags[0].Detail, "show_response_data = true") {
		t.Errorf("failed test diagnostics = %+v, want the answer withheld and how to see it", diags)
	}
	_, diags = p.invoke("cus_1", true)
	if len(diags) != 1 || !strings.Contains(diags[0].Detail, `"detail": "signature mismatch"`) {
		t.Errorf("failed test with show_response_data: %s, want the endpoint's answer", diags[0].Detail)
	}

	_, diags = p.invoke("cus_2", false)
	if len(diags) != 1 || diags[0].Summary != "No webhook configured" ||
		!strings.Contains(diags[0].Detail, "Create one with the sovx_customer_webhook resource first") {
		t.Errorf("customer without webhook: %+v", diags)
	}
	if n := api.CountWrites(); n != 0 {
		t.Errorf("the action sent %d writes", n)
	}
}

// Actions need Terraform 1.14; on older versions this is skipped and
// TestVerifyActionThroughTheProtocol covers the provider side.
func TestAccVerifyAction_afterCreate(t *testing.T) {
	api := newFakeAPI(t, "cus_1")
	hook := newReceiver(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testFactories(),
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)},
		Steps: []resource.TestStep{{
			Config: providerBlock(api) + `
action "sovx_customer_webhook_verify" "this" {
  config {
    customer_id = "cus_1"
  }
}

resource "sovx_customer_webhook" "this" {
  customer_id = "cus_1"
  url         = "` + hook.URL + `"
  verify      = false
  lifecycle {
    action_trigger {
      events  = [after_create, after_update]
      actions = [action.sovx_customer_webhook_verify.this]
    }
  }
}
`,
			Check: expectCount(api, "VERIFY", 1),
		}},
	})
}

// With show_response_data, an endpoint that echoes the request's headers in
// any shape still shows no header value, though the action never knows them.
func TestVerifyActionHidesEchoedHeaderValues(t *testing.T) {
	const secret = "k7Qz-9fXr2LmWp4vT8sYb3"
	for shape, body := range sovxtest.EchoShapes("X-API-Key", secret) {
		t.Run(shape, func(t *testing.T) {
			api := sovxtest.NewServer(sovxtest.Options{Customers: []string{"cus_1"}, Strict: true})
			defer api.Close()
			receiver := newReceiver(t)
			receiver.Answer(http.StatusUnauthorized, body)
			api.SetWebhook("cus_1", sovxtest.Webhook{URL: receiver.URL, Headers: []sovxtest.Header{{Key: "X-API-Key", Value: secret}}})
			_, diags := newProtocolServer(t, api).invoke("cus_1", true)
			if len(diags) != 1 || !strings.Contains(diags[0].Detail, "The endpoint answered") {
				t.Fatalf("diagnostics = %+v", diags)
			}
			if strings.Contains(diags[0].Summary+diags[0].Detail, secret) {
				t.Errorf("the secret is shown:\n%s", diags[0].Detail)
			}
		})
	}
}

// A GET that lists 5,000 header names and a 420 KB report: the action ends
// promptly and prints a bounded diagnostic that withholds what it cannot
// scrub by so many names.
func TestVerifyActionIsBoundedOverHostileAnswers(t *testing.T) {
	api := sovxtest.NewServer(sovxtest.Options{Customers: []string{"cus_1"}})
	defer api.Close()
	receiver := newReceiver(t)
	receiver.Answer(http.StatusUnauthorized, `{"report":"`+strings.Repeat("x-header-4999: s3cr3t ", 20000)+`"}`)
	headers := make([]sovxtest.Header, 5000)
	for i := range headers {
		headers[i] = sovxtest.Header{Key: fmt.Sprintf("X-Header-%d", i), Value: "s3cr3t"}
	}
	api.SetWebhook("cus_1", sovxtest.Webhook{URL: receiver.URL, Headers: headers})
	start := time.Now()
	_, diags := newProtocolServer(t, api).invoke("cus_1", true)
	if took := time.Since(start); took > 30*time.Second {
		t.Errorf("the action took %s", took.Round(time.Second))
	}
	if len(diags) != 1 || len(diags[0].Detail) > 20<<10 || strings.Contains(diags[0].Detail, "s3cr3t") ||
		!strings.Contains(diags[0].Detail, "5000 header names") {
		t.Fatalf("diagnostics (%d bytes) = %.300q", len(diags[0].Detail), diags[0].Detail)
	}
}
