package e2e

import (
	"net/http"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/sovera/terraform-provider-sovx/internal/sovxtest"
)

// Documented snippets, run as written against the fake: only the provider's
// endpoint and token (SOVX_ENDPOINT, SOVX_TOKEN) come from outside, and the
// fake delivers the test payloads meant for example.com to a local sink.

// sinkDelivery stands in for the internet: every test payload the fake sends
// is answered 200 and counted.
func sinkDelivery(delivered *atomic.Int32) *http.Client {
	return &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		delivered.Add(1)
		return &http.Response{StatusCode: http.StatusOK, Body: http.NoBody, Header: http.Header{}, Request: r}, nil
	})}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func exampleFile(t *testing.T, path string) string {
	t.Helper()
	return readFile(t, filepath.Join("..", "..", path))
}

// The verify action's example: the apply creates the webhook and the
// trigger runs the action; -invoke runs it again; the plan is then clean.
func TestActionExampleAsWritten(t *testing.T) {
	requireTerraform(t, "1.14")
	var delivered atomic.Int32
	api := sovxtest.NewServer(sovxtest.Options{Customers: []string{"cus_123"}, Strict: true, VerifyClient: sinkDelivery(&delivered)})
	defer api.Close()
	w := newWorkspace(t, api, exampleFile(t, "examples/actions/sovx_customer_webhook_verify/action.tf"))
	if out := w.mustRun("apply", "-auto-approve", "-no-color"); says(out, "Warning") {
		t.Errorf("the example warns:\n%s", out)
	}
	if n := api.CountRequests("VERIFY", "cus_123"); n != 1 || delivered.Load() != 1 {
		t.Fatalf("after the apply: %d verify calls, %d payloads delivered; want the trigger's 1", n, delivered.Load())
	}
	w.mustRun("apply", "-auto-approve", "-no-color", "-invoke=action.sovx_customer_webhook_verify.pin")
	if n := api.CountRequests("VERIFY", "cus_123"); n != 2 {
		t.Errorf("after -invoke: %d verify calls, want 2", n)
	}
	if out := w.mustRun("plan", "-no-color", "-detailed-exitcode"); !says(out, "No changes") {
		t.Errorf("plan after the example is not clean:\n%s", out)
	}
}

// The import guide's for_each snippet (Terraform 1.7 and later): imports
// both webhooks, writes the keys passed from outside, then plans clean.
func TestImportGuideSnippetAsWritten(t *testing.T) {
	requireTerraform(t, "1.10") // ephemeral variables
	var delivered atomic.Int32
	api := sovxtest.NewServer(sovxtest.Options{Strict: true, VerifyClient: sinkDelivery(&delivered)})
	defer api.Close()
	for _, id := range []string{"cus_123", "cus_456"} {
		api.SetWebhook(id, sovxtest.Webhook{URL: "https://example.com/webhook/pin-notification",
			Headers: []sovxtest.Header{{Key: "X-Api-Key", Value: "old-" + id}}})
	}
	w := newWorkspace(t, api, guideSnippet(t, "import-existing-webhooks.md", "terraform", "import {"))
	w.setEnv(`TF_VAR_api_keys={"cus_123":"key-123","cus_456":"key-456"}`)
	w.mustRun("apply", "-auto-approve", "-no-color")
	for _, id := range []string{"cus_123", "cus_456"} {
		hook, _ := api.Webhook(id)
		if len(hook.Headers) != 1 || hook.Headers[0].Value != "key-"+id[4:] {
			t.Errorf("%s holds %+v after the import apply", id, hook.Headers)
		}
	}
	if n := api.CountRequests(http.MethodPost, ""); n != 0 {
		t.Errorf("the import created %d webhook(s), want updates only", n)
	}
	if out := w.mustRun("plan", "-no-color", "-detailed-exitcode"); !says(out, "No changes") {
		t.Errorf("plan after the import is not clean:\n%s", out)
	}
	if state := readFile(t, filepath.Join(w.dir, "terraform.tfstate")); strings.Contains(state, "key-123") {
		t.Error("the write-only key is in the state")
	}
}
