package e2e

import (
	"fmt"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/sovera/terraform-provider-sovx/internal/sovxtest"
)

// What users of Terraform 1.14 and later type: actions (invoked, and
// triggered by a change) and terraform query with generated configuration.

// newReceiver starts the fake's webhook receiver for the test.
func newReceiver(t *testing.T) *sovxtest.Receiver {
	r := sovxtest.NewReceiver()
	t.Cleanup(r.Close)
	return r
}

func TestActionInvokeNeverPrintsAHeaderValue(t *testing.T) {
	requireTerraform(t, "1.14")
	const secret = "hdr-SECRET-invoke-5e1f"
	api := sovxtest.NewServer(sovxtest.Options{Customers: []string{"cus_1"}, Strict: true})
	defer api.Close()
	hook := newReceiver(t)
	config := func(show bool) string {
		return fmt.Sprintf(`
resource "sovx_customer_webhook" "pin" {
  customer_id = "cus_1"
  url         = %q
  headers     = { "X-Api-Key" = { value = %q } }
  verify      = false
}

action "sovx_customer_webhook_verify" "pin" {
  config {
    customer_id        = sovx_customer_webhook.pin.customer_id
    show_response_data = %t
  }
}
`, hook.URL, secret, show)
	}
	w := newWorkspace(t, api, config(false))
	w.setEnv("TF_LOG=TRACE", "TF_LOG_PATH="+filepath.Join(w.dir, "trace.log"))
	w.mustRun("apply", "-auto-approve", "-no-color")
	if hook.Count() != 0 {
		t.Fatalf("verify = false, yet the endpoint got %d test payload(s)", hook.Count())
	}

	out := w.mustRun("apply", "-auto-approve", "-no-color", "-invoke=action.sovx_customer_webhook_verify.pin")
	if hook.Count() != 1 || !says(out, "Sending a test payload to the webhook of customer \"cus_1\"") {
		t.Fatalf("invoke: the endpoint got %d payload(s); output:\n%s", hook.Count(), out)
	}

	hook.AnswerWith(http.StatusUnauthorized, sovxtest.EchoHeaders)
	out = w.mustFail("apply", "-auto-approve", "-no-color", "-invoke=action.sovx_customer_webhook_verify.pin")
	if !says(out, "Webhook test failed") || !says(out, "401") || says(out, "signature rejected") || !says(out, "is not shown") {
		t.Errorf("a failed test must show the API's message and withhold the endpoint's answer:\n%s", out)
	}
	w.write(config(true))
	out = w.mustFail("apply", "-auto-approve", "-no-color", "-invoke=action.sovx_customer_webhook_verify.pin")
	if !says(out, "Webhook test failed") || !says(out, "signature rejected") || !says(out, "(sensitive value)") {
		t.Errorf("with show_response_data, a failed test must show the endpoint's answer, scrubbed:\n%s", out)
	}
	trace := readFile(t, filepath.Join(w.dir, "trace.log"))
	for where, text := range map[string]string{"terminal": w.output.String(), "TF_LOG=TRACE log": trace} {
		if strings.Contains(text, secret) {
			t.Errorf("the header value appears in the %s", where)
		}
	}
}

func TestActionTriggerRunsAfterCreateAndUpdate(t *testing.T) {
	requireTerraform(t, "1.14")
	api := sovxtest.NewServer(sovxtest.Options{Customers: []string{"cus_1"}, Strict: true})
	defer api.Close()
	hook := newReceiver(t)
	config := func(path string) string {
		return fmt.Sprintf(`
resource "sovx_customer_webhook" "pin" {
  customer_id = "cus_1"
  url         = "%s%s"
  verify      = false

  lifecycle {
    action_trigger {
      events  = [after_create, after_update]
      actions = [action.sovx_customer_webhook_verify.pin]
    }
  }
}

action "sovx_customer_webhook_verify" "pin" {
  config {
    customer_id = "cus_1"
  }
}
`, hook.URL, path)
	}
	w := newWorkspace(t, api, config("/v1"))
	w.mustRun("apply", "-auto-approve", "-no-color")
	if hook.Count() != 1 {
		t.Fatalf("after create the endpoint got %d test payload(s), want 1", hook.Count())
	}
	w.write(config("/v2"))
	w.mustRun("apply", "-auto-approve", "-no-color")
	if hook.Count() != 2 {
		t.Fatalf("after update the endpoint got %d test payload(s), want 2", hook.Count())
	}
	if stored, _ := api.Webhook("cus_1"); stored.URL != hook.URL+"/v2" {
		t.Errorf("stored URL %q", stored.URL)
	}
	w.mustRun("plan", "-no-color", "-detailed-exitcode")
	if hook.Count() != 2 {
		t.Errorf("a plan triggered the action (%d payloads)", hook.Count())
	}
}

// terraform query finds the webhooks of the listed customers; generated
// configuration imports them once the header values are filled in.
func TestQueryGeneratesConfigThatImportsAndConverges(t *testing.T) {
	requireTerraform(t, "1.14")
	api := sovxtest.NewServer(sovxtest.Options{Customers: []string{"cus_none"}, Strict: true})
	defer api.Close()
	hook := newReceiver(t)
	api.SetWebhook("cus_1", sovxtest.Webhook{URL: hook.URL + "/one", Headers: []sovxtest.Header{
		{Key: "X-Api-Key", Value: "theirs-1"}, {Key: "Authorization", Value: "theirs-2"}}})
	api.SetWebhook("cus_2", sovxtest.Webhook{URL: hook.URL + "/two"})
	w := newWorkspace(t, api, `provider "sovx" {}`)
	writeQuery(w, `"cus_1", "cus_none", "cus_2"`)
	out := w.mustRun("query", "-no-color")
	if !says(out, "cus_1 → "+hook.URL+"/one") || !says(out, "cus_2 → "+hook.URL+"/two") || says(out, "cus_none") {
		t.Fatalf("query must list exactly cus_1 and cus_2:\n%s", out)
	}

	w.mustRun("query", "-no-color", "-generate-config-out=generated.tf")
	generated := readFile(t, filepath.Join(w.dir, "generated.tf"))
	t.Logf("generated.tf:\n%s", generated)
	if strings.Count(generated, "import {") != 2 || strings.Count(generated, `resource "sovx_customer_webhook"`) != 2 ||
		strings.Contains(generated, sovxtest.Mask) {
		t.Fatalf("generated configuration must import both webhooks and hold no mask:\n%s", generated)
	}

	// Until each header has a value, the plan names every one still to fill.
	out = w.mustFail("plan", "-no-color")
	for _, name := range []string{"X-Api-Key", "Authorization"} {
		if !says(out, `headers["`+name+`"]`) {
			t.Errorf("the plan error does not name header %s:\n%s", name, out)
		}
	}
	if n := api.CountWrites(); n != 0 {
		t.Fatalf("a failed plan sent %d write(s)", n)
	}

	filled := fillHeaderValues(t, generated, map[string]string{"X-Api-Key": "mine-1", "Authorization": "mine-2"})
	writeFile(t, filepath.Join(w.dir, "generated.tf"), filled)
	w.mustRun("apply", "-auto-approve", "-no-color")
	if stored, _ := api.Webhook("cus_1"); fmt.Sprint(stored.Headers) != "[{Authorization mine-2} {X-Api-Key mine-1}]" {
		t.Errorf("cus_1 stored headers %v, want the filled-in values", stored.Headers)
	}
	if n := api.CountRequests(http.MethodPost, ""); n != 0 {
		t.Errorf("importing sent %d POST(s): the webhooks exist and must be updated, not created", n)
	}
	w.mustRun("plan", "-no-color", "-detailed-exitcode")
}

// fillHeaderValues gives each named header in generated configuration a value.
func fillHeaderValues(t *testing.T, config string, values map[string]string) string {
	t.Helper()
	for name, value := range values {
		// Terraform writes a header as  "Name" = { value = null, value_wo = null }
		// or across lines; replace whatever object follows the name.
		re := regexp.MustCompile(`(?s)("?` + regexp.QuoteMeta(name) + `"?\s*=\s*)\{[^}]*\}`)
		if !re.MatchString(config) {
			t.Fatalf("no header %s in:\n%s", name, config)
		}
		config = re.ReplaceAllString(config, fmt.Sprintf(`${1}{ value = %q }`, value))
	}
	return config
}

// requireTerraform skips a test on engines older than version (the
// newest-Terraform CI run fails on any skip, so these run there).
func requireTerraform(t *testing.T, version string) {
	t.Helper()
	if engine != "Terraform" || compareVersions(engineVersion, version) < 0 {
		t.Skipf("needs Terraform %s or later; this engine is %s %s", version, engine, engineVersion)
	}
}

// TestQueryWritesNoURLSecrets: a webhook URL with userinfo, a query and a
// fragment is left out of what terraform query prints, writes with
// -generate-config-out, and prints with -json; a warning says to set it
// from a sensitive variable.
func TestQueryWritesNoURLSecrets(t *testing.T) {
	requireTerraform(t, "1.14")
	secrets := []string{"PASS-7f3a9c", "TOKEN-91c2d4", "FRAG-55e1b8"}
	api := sovxtest.NewServer(sovxtest.Options{})
	defer api.Close()
	api.SetWebhook("cus_1", sovxtest.Webhook{URL: "https://user:" + secrets[0] + "@hooks.example/h?token=" + secrets[1] + "#" + secrets[2]})
	w := newWorkspace(t, api, `provider "sovx" {}`)
	writeQuery(w, `"cus_1"`)
	out := w.mustRun("query", "-no-color") + w.mustRun("query", "-no-color", "-json") +
		w.mustRun("query", "-no-color", "-generate-config-out=generated.tf")
	generated := readFile(t, filepath.Join(w.dir, "generated.tf"))
	for _, s := range secrets {
		if strings.Contains(out+generated, s) {
			t.Fatalf("terraform query wrote %q:\n%s\ngenerated.tf:\n%s", s, out, generated)
		}
	}
	if !says(out, "Webhook URL left out") || !strings.Contains(generated, `import {`) {
		t.Fatalf("want the webhook listed with a warning about its URL:\n%s\ngenerated.tf:\n%s", out, generated)
	}
}

// writeQuery writes a query for the webhooks of the customers (HCL strings)
// with their resources, beside the configuration.
func writeQuery(w *workspace, customers string) {
	w.writeFile("find.tfquery.hcl", `
list "sovx_customer_webhook" "existing" {
  provider         = sovx
  include_resource = true

  config {
    customer_ids = [`+customers+`]
  }
}
`)
}
