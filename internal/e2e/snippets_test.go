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

// The verify action's page: the apply creates the webhook and the trigger
// runs the action; -invoke runs it again; the plan is then clean.
func TestActionExampleAsWritten(t *testing.T) {
	requireTerraform(t, "1.14")
	var delivered atomic.Int32
	api := sovxtest.NewServer(sovxtest.Options{Customers: []string{"cus_123"}, Strict: true, VerifyClient: sinkDelivery(&delivered)})
	defer api.Close()
	w := pasted(t, api, pageSnippet(t, "docs/actions/customer_webhook_verify.md", `action "sovx_customer_webhook_verify"`))
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

// The import guide's configuration for engines without terraform query:
// imports the customers passed from outside, keeps each webhook's URL,
// writes the keys, then plans clean.
func TestImportGuideSnippetAsWritten(t *testing.T) {
	var delivered atomic.Int32
	api := sovxtest.NewServer(sovxtest.Options{Strict: true, VerifyClient: sinkDelivery(&delivered)})
	defer api.Close()
	for _, id := range []string{"cus_123", "cus_456", "cus_789"} {
		api.SetWebhook(id, sovxtest.Webhook{URL: "https://hooks.example.com/" + id,
			Headers: []sovxtest.Header{{Key: "X-Api-Key", Value: "old-" + id}}})
	}
	w := pasted(t, api, pageSnippet(t, "docs/guides/import-existing-webhooks.md", "import {"))
	w.setEnv(`TF_VAR_customer_ids=["cus_123","cus_456"]`, `TF_VAR_api_keys={"cus_123":"key-123","cus_456":"key-456"}`)
	w.mustRun("apply", "-auto-approve", "-no-color")
	for _, id := range []string{"cus_123", "cus_456"} {
		hook, _ := api.Webhook(id)
		if hook.URL != "https://hooks.example.com/"+id || len(hook.Headers) != 1 || hook.Headers[0].Value != "key-"+id[4:] {
			t.Errorf("%s holds %+v after the import apply, want its own URL and the new key", id, hook)
		}
	}
	if hook, _ := api.Webhook("cus_789"); hook.Headers[0].Value != "old-cus_789" {
		t.Errorf("a customer not named was changed: %+v", hook)
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
	w := pasted(t, api, pageSnippet(t, "docs/index.md", "max_retries"))
	if out := w.output.String(); !says(out, "sovera/sovx v0.1.0") {
		t.Errorf("init did not install sovera/sovx 0.1.0 for the example's ~> 0.1:\n%s", out)
	}
	if out := w.mustRun("plan", "-no-color"); !says(out, "No changes") {
		t.Errorf("a plan of the provider example:\n%s", out)
	}
}

// The quickstart on the provider's front page, step by step: the first
// webhook without a test, then, with the receiver up, the line deleted and
// applied again: the test payload reaches the receiver.
func TestQuickstartAsWritten(t *testing.T) {
	var delivered atomic.Int32
	api := sovxtest.NewServer(sovxtest.Options{Customers: []string{"cus_123"}, Strict: true, VerifyClient: sinkDelivery(&delivered)})
	defer api.Close()
	w := pasted(t, api, pageSnippet(t, "docs/index.md", "Step 5"))
	w.setEnv("TF_VAR_api_key=key-123")
	w.mustRun("apply", "-auto-approve", "-no-color")
	if hook, ok := api.Webhook("cus_123"); !ok || hook.Headers[0].Value != "key-123" || delivered.Load() != 0 {
		t.Fatalf("after step 4 the API holds %+v, %d payloads sent; want the webhook, untested", hook, delivered.Load())
	}
	main := filepath.Join(w.dir, w.pastedFile())
	step5 := regexp.MustCompile(`(?m)^.*verify = false\n`).ReplaceAllString(readFile(t, main), "")
	writeFile(t, main, step5)
	w.mustRun("apply", "-auto-approve", "-no-color")
	if delivered.Load() != 1 {
		t.Errorf("step 5 sent %d test payloads, want 1", delivered.Load())
	}
	if out := w.mustRun("plan", "-no-color", "-detailed-exitcode"); !says(out, "No changes") {
		t.Errorf("plan after the quickstart is not clean:\n%s", out)
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
	// Twice in one shell; the second time as after a code change, when the
	// lock file holds the checksums of another build. Then the README's way
	// to stop the fake.
	stale := `sed -i 's/"h1:[^"]*"/"h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="/' /tmp/sovx-try/.terraform.lock.hcl` + "\n"
	script := "set -e\n" + m[1] + stale + m[1] + "pkill -x sovx-fake\n"
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", "-c", script)
	cmd.Dir = filepath.Join("..", "..")
	cmd.Env = append(os.Environ(), "PATH="+bin+":"+os.Getenv("PATH"), "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1")
	out, err := cmd.CombinedOutput()
	if err != nil || strings.Count(string(out), "Apply complete!") != 2 || strings.Count(string(out), "No changes") != 2 {
		t.Fatalf("the README's lines, run twice, failed (%v):\n%s", err, out)
	}
	if env := readFile(t, "/tmp/sovx.env"); strings.Contains(env, "TF_VAR_") {
		t.Errorf("the env file sets more than SOVX_*:\n%s", env)
	}
	var pids []byte
	for deadline := time.Now().Add(3 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if pids, _ = exec.Command("pgrep", "-x", "sovx-fake").Output(); len(pids) == 0 || time.Now().After(deadline) {
			break
		}
	}
	if len(pids) > 0 {
		_ = exec.Command("pkill", "-x", "sovx-fake").Run()
		t.Errorf("the README's pkill left a fake running (pid %s)", strings.TrimSpace(string(pids)))
	}
}

// The resource page's configurations, each as pasted: applied, imported
// (by id, by identity, by command) or with a secret URL, then planned clean.
func TestResourcePageAsWritten(t *testing.T) {
	const page = "docs/resources/customer_webhook.md"
	existing := sovxtest.Webhook{URL: "https://example.com/webhook/pin-notification", Headers: []sovxtest.Header{
		{Key: "Authorization", Value: "Bearer old"}, {Key: "X-API-Key", Value: "old"}}}
	receiver := newReceiver(t) // the secret URL's example verifies, as a reader's would
	env := []string{"TF_VAR_receiver_token=rcv-123", "TF_VAR_api_key=key-123", "TF_VAR_receiver_url=" + receiver.URL + "?token=tk-9"}
	// The resource's examples, also those the guides show.
	cases := map[string]struct {
		page, holding string
		seed          bool
		want          []sovxtest.Header
	}{
		"example": {page: page, holding: "headers_wo_version = 1\n\n", want: []sovxtest.Header{
			{Key: "Authorization", Value: "Bearer rcv-123"}, {Key: "X-API-Key", Value: "key-123"}}},
		"secret URL": {page: "docs/guides/how-a-webhook-is-applied.md", holding: "var.receiver_url",
			want: []sovxtest.Header{{Key: "Authorization", Value: "Bearer rcv-123"}}},
		"import by id": {page: page, holding: "id = \"cus_123\" # the customer id", seed: true,
			want: []sovxtest.Header{{Key: "X-API-Key", Value: "key-123"}}},
		"import by identity": {page: "docs/guides/import-existing-webhooks.md", holding: "identity = {", seed: true,
			want: []sovxtest.Header{{Key: "X-API-Key", Value: "key-123"}}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			s := pageSnippet(t, tc.page, tc.holding)
			requireFeatures(t, s.text)
			api := sovxtest.NewServer(sovxtest.Options{Customers: []string{"cus_123"}, Strict: true})
			defer api.Close()
			if tc.seed {
				api.SetWebhook("cus_123", existing)
			}
			w := pasted(t, api, s)
			w.setEnv(env...)
			applyThenPlanClean(w)
			if got, _ := api.Webhook("cus_123"); len(got.Headers) != len(tc.want) || !sameWebhook(got, sovxtest.Webhook{URL: got.URL, Headers: tc.want}) {
				t.Errorf("the API holds %+v, want the headers %+v", got, tc.want)
			}
			if n := api.CountRequests(http.MethodPost, "cus_123"); tc.seed && n != 0 {
				t.Errorf("the import created the webhook anew (%d POSTs)", n)
			}
		})
	}
	t.Run("import command", func(t *testing.T) {
		api := sovxtest.NewServer(sovxtest.Options{Customers: []string{"cus_123"}, Strict: true})
		defer api.Close()
		api.SetWebhook("cus_123", existing)
		w := pasted(t, api, pageSnippet(t, page, "headers_wo_version = 1\n\n"))
		w.setEnv(env...)
		w.runScript(snippetIn(t, readFile(t, filepath.Join("..", "..", page)), "shell", "terraform import"))
		applyThenPlanClean(w)
		if n := api.CountRequests(http.MethodPost, "cus_123"); n != 0 {
			t.Errorf("the import created the webhook anew (%d POSTs)", n)
		}
	})
}

func TestDataSourceExampleAsWritten(t *testing.T) {
	api := sovxtest.NewServer(sovxtest.Options{Strict: true})
	defer api.Close()
	api.SetWebhook("cus_123", sovxtest.Webhook{URL: "https://example.com/hook", Headers: []sovxtest.Header{{Key: "X-API-Key", Value: "k"}}})
	w := pasted(t, api, pageSnippet(t, "docs/data-sources/customer_webhook.md", `data "sovx_customer_webhook"`))
	out := w.mustRun("apply", "-auto-approve", "-no-color")
	if !says(out, `webhook_url = <sensitive>`) || strings.Contains(out, "example.com") || !says(out, `"X-API-Key",`) {
		t.Errorf("the example's outputs (the URL hidden, the header names shown):\n%s", out)
	}
	// As the example's comment says, asking for the output by name shows it.
	if got := strings.TrimSpace(w.mustRun("output", "-raw", "webhook_url")); got != "https://example.com/hook" {
		t.Errorf("terraform output -raw webhook_url = %q", got)
	}
}

func TestQueryExampleAsWritten(t *testing.T) {
	requireTerraform(t, "1.14")
	api := sovxtest.NewServer(sovxtest.Options{Strict: true})
	defer api.Close()
	for _, id := range []string{"cus_456", "cus_123"} {
		api.SetWebhook(id, sovxtest.Webhook{URL: "https://example.com/" + id, Headers: []sovxtest.Header{{Key: "X-API-Key", Value: "k"}}})
	}
	w := pasted(t, api, pageSnippet(t, "docs/list-resources/customer_webhook.md", `list "sovx_customer_webhook"`))
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

// The large-fleets guide's configuration, as pasted: the ceiling from the
// provider block paces the apply, and the fleet is created.
func TestLargeFleetsGuideAsWritten(t *testing.T) {
	customers := []string{"cus_1", "cus_2", "cus_3", "cus_4", "cus_5", "cus_6", "cus_7", "cus_8", "cus_9"}
	api := sovxtest.NewServer(sovxtest.Options{Customers: customers, Strict: true})
	defer api.Close()
	w := pasted(t, api, pageSnippet(t, "docs/guides/large-fleets.md", "max_requests_per_second"))
	w.setEnv(`TF_VAR_customer_ids=["` + strings.Join(customers, `","`) + `"]`)
	w.mustRun("apply", "-auto-approve", "-no-color")
	if n := storedCount(api, customers); n != len(customers) {
		t.Fatalf("the API holds %d of %d webhooks", n, len(customers))
	}
	// 18 requests (the apply's GET and POST each) at 20 a second, after a
	// burst of 2, take (18-2)/20 = 0.8 s from the first to the last; 10 %
	// for timers. The plan's GETs came before, in another process.
	reqs := api.Requests()[len(customers):]
	floor := time.Duration(len(reqs)-2) * time.Second / 20
	if spread := reqs[len(reqs)-1].At.Sub(reqs[0].At); spread < floor*9/10 {
		t.Errorf("%d requests within %s under a ceiling of 20 a second", len(reqs), spread)
	}
}

// The rotating-secrets guide's configuration: at the version it bumps from,
// the old secret; then as written, the new one reaches the API, and neither
// is stored.
func TestRotationGuideAsWritten(t *testing.T) {
	s := pageSnippet(t, "docs/guides/rotating-header-secrets.md", "headers_wo_version")
	api := sovxtest.NewServer(sovxtest.Options{Customers: []string{"cus_123"}, Strict: true})
	defer api.Close()
	before := s
	before.text = regexp.MustCompile(`headers_wo_version = 3`).ReplaceAllString(s.text, "headers_wo_version = 2")
	w := pasted(t, api, before)
	w.setEnv("TF_VAR_api_key=old-secret")
	w.mustRun("apply", "-auto-approve", "-no-color")
	writeFile(t, filepath.Join(w.dir, w.pastedFile()), s.text)
	w.setEnv("TF_VAR_api_key=new-secret")
	w.mustRun("apply", "-auto-approve", "-no-color")
	if hook, _ := api.Webhook("cus_123"); len(hook.Headers) != 1 || hook.Headers[0].Value != "new-secret" {
		t.Errorf("after the step the API holds %+v, want the new secret", hook.Headers)
	}
	if state := readFile(t, filepath.Join(w.dir, "terraform.tfstate")); strings.Contains(state, "secret") {
		t.Error("a write-only secret is in the state")
	}
}

// guideSnippet returns the first code block of the given language that
// holds the given text in a generated guide under docs/guides, as the
// Registry shows it.
func guideSnippet(t *testing.T, guide, lang, holding string) string {
	t.Helper()
	return snippetIn(t, readFile(t, filepath.Join("..", "..", "docs", "guides", guide)), lang, holding)
}

// snippetIn is the first code block of the language holding the text in a
// page, as written (indented blocks keep their indentation).
func snippetIn(t *testing.T, page, lang, holding string) string {
	t.Helper()
	for _, m := range regexp.MustCompile("(?s)```"+lang+"\n(.*?)```").FindAllStringSubmatch(page, -1) {
		if strings.Contains(m[1], holding) {
			return m[1]
		}
	}
	t.Fatalf("no %s block holding %q", lang, holding)
	return ""
}

// The testing guide's files, as written: the unit tests pass with the mocked
// provider and send nothing to the API; the sandbox test (here against the
// fake, with a receiver that answers) creates, verifies and destroys.
func TestTestingGuideAsWritten(t *testing.T) {
	const guide = "testing-modules.md"
	api := sovxtest.NewServer(sovxtest.Options{Customers: []string{"cus_123"}, Strict: true})
	defer api.Close()
	hook := newReceiver(t)
	w := emptyWorkspace(t, api)
	w.writeFile("main.tf", guideSnippet(t, guide, "terraform", "output \"webhook_id\""))
	if err := os.MkdirAll(filepath.Join(w.dir, "tests"), 0o755); err != nil {
		t.Fatal(err)
	}
	w.writeFile("tests/unit.tftest.hcl", guideSnippet(t, guide, "hcl", "# tests/unit.tftest.hcl"))
	w.writeFile("tests/sandbox.tftest.hcl", guideSnippet(t, guide, "hcl", "# tests/sandbox.tftest.hcl"))
	lines := strings.Split(strings.TrimSpace(guideSnippet(t, guide, "sh", "terraform test")), "\n")
	w.mustRun("init", "-no-color")
	out := w.runScript(lines[1])
	if !says(out, "1 passed, 0 failed") || len(api.Requests()) != 0 {
		t.Fatalf("the unit tests: %d API request(s), want none:\n%s", len(api.Requests()), out)
	}
	sandbox := strings.NewReplacer("SOVX_TOKEN=…", "SOVX_TOKEN="+api.Token, "TF_VAR_url=https://…", "TF_VAR_url="+hook.URL).Replace(lines[2])
	out = w.runScript(sandbox)
	if !says(out, "1 passed, 0 failed") || hook.Count() != 1 || api.CountWrites() != 2 {
		t.Fatalf("the sandbox test: %d payload(s), %d write(s); want 1 and a create and a destroy:\n%s", hook.Count(), api.CountWrites(), out)
	}
	if _, ok := api.Webhook("cus_123"); ok {
		t.Error("the sandbox test left the webhook at the API")
	}
}

// The import guide's route without terraform query: import blocks alone,
// then plan -generate-config-out writes the resource with the URL and the
// header names; filled in, the apply imports and converges.
func TestImportGuideGenerateConfigRoute(t *testing.T) {
	api := sovxtest.NewServer(sovxtest.Options{Strict: true})
	defer api.Close()
	hook := newReceiver(t)
	api.SetWebhook("cus_123", sovxtest.Webhook{URL: hook.URL, Headers: []sovxtest.Header{{Key: "X-Api-Key", Value: "theirs"}}})
	w := newWorkspace(t, api, "import {\n  to = sovx_customer_webhook.existing\n  id = \"cus_123\"\n}\n")
	// The plan writes the file, then fails naming the header still to fill.
	if out := w.mustFail("plan", "-no-color", "-generate-config-out=generated.tf"); !says(out, `headers["X-Api-Key"]`) {
		t.Fatalf("the plan does not name the header to fill:\n%s", out)
	}
	generated := readFile(t, filepath.Join(w.dir, "generated.tf"))
	if !strings.Contains(generated, `"`+hook.URL+`"`) || !strings.Contains(generated, `X-Api-Key`) {
		t.Fatalf("generated.tf lacks the URL or the header name:\n%s", generated)
	}
	w.writeFile("generated.tf", fillHeaderValues(t, generated, map[string]string{"X-Api-Key": "mine"}))
	w.mustRun("apply", "-auto-approve", "-no-color")
	if out, err := w.run("plan", "-detailed-exitcode", "-no-color"); err != nil {
		t.Fatalf("after the import the plan is not clean: %v\n%s", err, out)
	}
}
