package e2e

import (
	"context"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

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

// The provider example, as the Registry's front page shows it: its version
// constraint resolves, and with the token from the environment a plan of it
// succeeds.
func TestProviderExampleAsWritten(t *testing.T) {
	api := sovxtest.NewServer(sovxtest.Options{Strict: true})
	defer api.Close()
	w := newWorkspace(t, api, "")
	w.writeRaw(exampleFile(t, "examples/provider/provider.tf"))
	if out := w.mustRun("init", "-no-color"); !says(out, "sovera/sovx v0.1.0") {
		t.Errorf("init did not install sovera/sovx 0.1.0 for the example's ~> 0.1:\n%s", out)
	}
	w.mustRun("validate", "-no-color")
	if out := w.mustRun("plan", "-no-color"); !says(out, "No changes") {
		t.Errorf("a plan of the provider example:\n%s", out)
	}
}

// The README's "try it by hand" lines, run as written by bash from the
// repository's root with the engine under test as terraform.
func TestReadmeTryItByHand(t *testing.T) {
	raw := readFile(t, filepath.Join("..", "..", "README.md"))
	start := strings.Index(raw, "To try the provider by hand")
	m := regexp.MustCompile("(?s)```sh\n(.*?)```").FindStringSubmatch(raw[max(start, 0):])
	if start < 0 || m == nil {
		t.Fatal("the README has no \"try it by hand\" block")
	}
	bin := t.TempDir()
	if err := os.Symlink(terraformBin, filepath.Join(bin, "terraform")); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/tmp/sovx-mirror", "/tmp/sovx-try", "/tmp/sovx.tfrc", "/tmp/sovx.env", "/tmp/sovx-fake.log", "/tmp/sovx-fake"} {
		_ = os.RemoveAll(p)
	}
	script := "set -e\n" + m[1] + "\nkill %1\n"
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", "-c", script)
	cmd.Dir = filepath.Join("..", "..")
	cmd.Env = append(os.Environ(), "PATH="+bin+":"+os.Getenv("PATH"), "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1")
	out, err := cmd.CombinedOutput()
	if err != nil || !says(string(out), "Apply complete! Resources: 1 added") || !says(string(out), "No changes") {
		t.Fatalf("the README's lines failed (%v):\n%s", err, out)
	}
	// `kill %1` must have stopped the fake: nothing may be left running.
	var pids []byte
	for deadline := time.Now().Add(3 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if pids, _ = exec.Command("pgrep", "-f", "^/tmp/sovx-fake ").Output(); len(pids) == 0 || time.Now().After(deadline) {
			break
		}
	}
	if len(pids) > 0 {
		_ = exec.Command("pkill", "-f", "^/tmp/sovx-fake ").Run()
		t.Errorf("the README's kill %%1 left the fake running (pid %s)", strings.TrimSpace(string(pids)))
	}
}

// The Registry pages' examples (examples/resources, data-sources,
// list-resources), each run as written: applied, imported or queried
// against the fake, then planned clean.
func TestRegistryExamplesAsWritten(t *testing.T) {
	const url = "https://example.com/webhook/pin-notification"
	resourceTF := exampleFile(t, "examples/resources/sovx_customer_webhook/resource.tf")
	keys := []string{"TF_VAR_receiver_token=rcv-123", "TF_VAR_api_key=key-123"}
	existing := sovxtest.Webhook{URL: url, Headers: []sovxtest.Header{
		{Key: "Authorization", Value: "Bearer old"}, {Key: "X-API-Key", Value: "old"}}}
	wantStored := sovxtest.Webhook{URL: url, Headers: []sovxtest.Header{
		{Key: "Authorization", Value: "Bearer rcv-123"}, {Key: "X-API-Key", Value: "key-123"}}}

	cases := map[string]struct {
		needs string // the engine version the example states
		files map[string]string
		seed  bool
		run   func(w *workspace)
	}{
		"resource": {files: map[string]string{"resource.tf": resourceTF}, run: applyThenPlanClean},
		"import by id": {seed: true, files: map[string]string{"resource.tf": resourceTF,
			"import.tf": exampleFile(t, "examples/resources/sovx_customer_webhook/import-by-string-id.tf")}, run: applyThenPlanClean},
		"import by identity": {needs: "1.12", seed: true, files: map[string]string{"resource.tf": resourceTF,
			"import.tf": exampleFile(t, "examples/resources/sovx_customer_webhook/import-by-identity.tf")}, run: applyThenPlanClean},
		"import command": {seed: true, files: map[string]string{"resource.tf": resourceTF}, run: func(w *workspace) {
			w.runScript(exampleFile(t, "examples/resources/sovx_customer_webhook/import.sh"))
			applyThenPlanClean(w)
		}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if tc.needs != "" {
				requireTerraform(t, tc.needs)
			}
			var delivered atomic.Int32
			api := sovxtest.NewServer(sovxtest.Options{Customers: []string{"cus_123"}, Strict: true, VerifyClient: sinkDelivery(&delivered)})
			defer api.Close()
			if tc.seed {
				api.SetWebhook("cus_123", existing)
			}
			w := newWorkspace(t, api, "")
			for file, content := range tc.files {
				w.writeFile(file, content)
			}
			w.mustRun("init", "-no-color")
			w.setEnv(keys...)
			tc.run(w)
			if got, _ := api.Webhook("cus_123"); !sameWebhook(got, wantStored) || delivered.Load() == 0 {
				t.Errorf("the API holds %+v (want %+v); %d test payload(s) delivered", got, wantStored, delivered.Load())
			}
		})
	}
}

func TestDataSourceExampleAsWritten(t *testing.T) {
	api := sovxtest.NewServer(sovxtest.Options{Strict: true})
	defer api.Close()
	api.SetWebhook("cus_123", sovxtest.Webhook{URL: "https://example.com/hook", Headers: []sovxtest.Header{{Key: "X-API-Key", Value: "k"}}})
	w := newWorkspace(t, api, exampleFile(t, "examples/data-sources/sovx_customer_webhook/data-source.tf"))
	out := w.mustRun("apply", "-auto-approve", "-no-color")
	if !says(out, `webhook_url = "https://example.com/hook"`) || !says(out, `"X-API-Key",`) {
		t.Errorf("the example's outputs:\n%s", out)
	}
}

func TestQueryExampleAsWritten(t *testing.T) {
	requireTerraform(t, "1.14")
	api := sovxtest.NewServer(sovxtest.Options{Strict: true})
	defer api.Close()
	for _, id := range []string{"cus_456", "cus_123"} {
		api.SetWebhook(id, sovxtest.Webhook{URL: "https://example.com/" + id, Headers: []sovxtest.Header{{Key: "X-API-Key", Value: "k"}}})
	}
	w := newWorkspace(t, api, "")
	w.writeFile("list.tfquery.hcl", exampleFile(t, "examples/list-resources/sovx_customer_webhook/list-resource.tfquery.hcl"))
	w.mustRun("init", "-no-color")
	out := w.mustRun("query", "-no-color")
	first, second := strings.Index(out, "cus_123 → https://example.com/cus_123"), strings.Index(out, "cus_456 → https://example.com/cus_456")
	if first < 0 || second < first {
		t.Errorf("query output, want cus_123 then cus_456 (the order of customer_ids):\n%s", out)
	}
	w.mustRun("query", "-no-color", "-generate-config-out=generated.tf")
	if gen := readFile(t, filepath.Join(w.dir, "generated.tf")); !strings.Contains(gen, `customer_id = "cus_123"`) {
		t.Errorf("generated.tf:\n%s", gen)
	}
}

func applyThenPlanClean(w *workspace) {
	w.t.Helper()
	w.mustRun("apply", "-auto-approve", "-no-color")
	if out := w.mustRun("plan", "-no-color", "-detailed-exitcode"); !says(out, "No changes") {
		w.t.Errorf("plan after the example is not clean:\n%s", out)
	}
}

// sameWebhook compares what the API holds, header order aside.
func sameWebhook(a, b sovxtest.Webhook) bool {
	if a.URL != b.URL || len(a.Headers) != len(b.Headers) {
		return false
	}
	for _, h := range b.Headers {
		found := false
		for _, g := range a.Headers {
			found = found || g == h
		}
		if !found {
			return false
		}
	}
	return true
}

// The large-fleets guide's two blocks, as written, in one configuration:
// the ceiling from the provider block paces the apply, and the fleet is
// created and verified.
func TestLargeFleetsGuideAsWritten(t *testing.T) {
	customers := []string{"cus_1", "cus_2", "cus_3", "cus_4", "cus_5", "cus_6"}
	var delivered atomic.Int32
	api := sovxtest.NewServer(sovxtest.Options{Customers: customers, Strict: true, VerifyClient: sinkDelivery(&delivered)})
	defer api.Close()
	w := newWorkspace(t, api, guideSnippet(t, "large-fleets.md", "terraform", "max_requests_per_second")+
		guideSnippet(t, "large-fleets.md", "terraform", `resource "sovx_customer_webhook" "fleet"`))
	w.setEnv(`TF_VAR_customer_ids=["` + strings.Join(customers, `","`) + `"]`)
	w.mustRun("apply", "-auto-approve", "-no-color")
	if n := storedCount(api, customers); n != len(customers) || delivered.Load() != int32(len(customers)) {
		t.Fatalf("the API holds %d of %d webhooks, %d verified", n, len(customers), delivered.Load())
	}
	// 18 requests (GET, POST, verify each) at 20 a second, after a burst of
	// 2, take (18-2)/20 = 0.8 s from the first to the last; 10 % for timers.
	reqs := api.Requests()
	floor := time.Duration(len(reqs)-2) * time.Second / 20
	if spread := reqs[len(reqs)-1].At.Sub(reqs[0].At); spread < floor*9/10 {
		t.Errorf("%d requests within %s under a ceiling of 20 a second", len(reqs), spread)
	}
}

// Two documented excerpts of a resource, each placed as written in the
// resource it belongs to: the rotating-secrets guide's step and the resource
// page's write-only example. Each sends the new secret once its version is
// bumped, and never stores it.
func TestRotationExcerptsAsWritten(t *testing.T) {
	resourcePage := readFile(t, filepath.Join("..", "..", "docs", "resources", "customer_webhook.md"))
	excerpts := map[string]struct{ excerpt, before string }{
		"rotating-header-secrets guide": {guideSnippet(t, "rotating-header-secrets.md", "terraform", "headers_wo_version"), "headers_wo_version = 2"},
		"resource page":                 {snippetIn(t, resourcePage, "terraform", "the next apply sends var.api_key again"), "headers_wo_version = 1"},
	}
	for name, tc := range excerpts {
		t.Run(name, func(t *testing.T) {
			api := sovxtest.NewServer(sovxtest.Options{Customers: []string{"cus_123"}, Strict: true})
			defer api.Close()
			resource := func(excerpt string) string {
				return `
variable "api_key" {
  type      = string
  sensitive = true
  ephemeral = true
}

resource "sovx_customer_webhook" "pin" {
  customer_id = "cus_123"
  url         = "https://example.com/webhook/pin-notification"
  verify      = false
` + excerpt + "}\n"
			}
			// Before the step: the old secret at the version the excerpt bumps.
			before := regexp.MustCompile(`headers_wo_version = \d+`).ReplaceAllString(tc.excerpt, tc.before)
			w := newWorkspace(t, api, resource(before))
			w.setEnv("TF_VAR_api_key=old-secret")
			w.mustRun("apply", "-auto-approve", "-no-color")
			w.write(resource(tc.excerpt))
			w.setEnv("TF_VAR_api_key=new-secret")
			w.mustRun("apply", "-auto-approve", "-no-color")
			if hook, _ := api.Webhook("cus_123"); len(hook.Headers) != 1 || hook.Headers[0].Value != "new-secret" {
				t.Errorf("after the step the API holds %+v, want the new secret", hook.Headers)
			}
			if state := readFile(t, filepath.Join(w.dir, "terraform.tfstate")); strings.Contains(state, "secret") {
				t.Error("a write-only secret is in the state")
			}
		})
	}
}

// guideSnippet returns the first code block of the given language that
// holds the given text in a generated guide under docs/guides, as the
// Registry shows it.
func guideSnippet(t *testing.T, guide, lang, holding string) string {
	t.Helper()
	snippet := guideSnippetOf(guide, lang, holding)
	if snippet == "" {
		t.Fatalf("no %s block holding %q in docs/guides/%s", lang, holding, guide)
	}
	return snippet
}

// guideSnippetOf is guideSnippet's lookup ("" when there is no such block).
func guideSnippetOf(guide, lang, holding string) string {
	raw, _ := os.ReadFile(filepath.Join("..", "..", "docs", "guides", guide))
	return firstBlock(string(raw), lang, holding)
}

// snippetIn is the first code block of the language holding the text in a
// page, as written (indented blocks keep their indentation).
func snippetIn(t *testing.T, page, lang, holding string) string {
	t.Helper()
	snippet := firstBlock(page, lang, holding)
	if snippet == "" {
		t.Fatalf("no %s block holding %q", lang, holding)
	}
	return snippet
}

func firstBlock(page, lang, holding string) string {
	for _, m := range regexp.MustCompile("(?s)```"+lang+"\n(.*?)```").FindAllStringSubmatch(page, -1) {
		if strings.Contains(m[1], holding) {
			return m[1]
		}
	}
	return ""
}
