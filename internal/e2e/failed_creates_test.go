package e2e

import (
	"fmt"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/sovera/terraform-provider-sovx/internal/sovxtest"
)

// EnvFailedCreateRuns sets how many times each case of
// TestSeveralFailedCreatesKeepTheState runs (2 by default): the engine
// defect it guards against is a race.
const EnvFailedCreateRuns = "SOVX_FAILED_CREATE_RUNS"

// TestSeveralFailedCreatesKeepTheState: six creates fail at once after the
// API stored them, in an apply that also writes the user's other resources
// and beside resources already in state. No signal is sent. Terraform 1.16.x
// crashes here and empties the state file when a provider returns the state
// of a failed create (the known engine issues guide;
// TestKnownEngineIssueReproduction); this provider returns none, on every
// engine. The health checks of every command (health_test.go) fail the test
// on a crash, an empty or corrupt state file or a provider process left
// running. Afterwards the state still holds the other resources and none of
// the failed creates, the next plan says it takes them over, and the next
// apply converges.
func TestSeveralFailedCreatesKeepTheState(t *testing.T) {
	runs := 2
	if env := os.Getenv(EnvFailedCreateRuns); env != "" {
		n, err := strconv.Atoi(env)
		if err != nil || n < 1 {
			t.Fatalf("%s=%q: want a positive number", EnvFailedCreateRuns, env)
		}
		runs = n
	}
	cases := map[string]sovxtest.Fault{
		"answers lost after the write": {Method: http.MethodPost, DropAnswer: true},
		"502 after the write":          {Method: http.MethodPost, CarryOut: true, Status: http.StatusBadGateway},
	}
	for name, fault := range cases {
		for i := range runs {
			t.Run(fmt.Sprintf("%s/%d", name, i+1), func(t *testing.T) {
				t.Parallel()
				failCreatesThenConverge(t, fault)
			})
		}
	}
}

// failedCreatesConfig has resources that other providers' (here Terraform's
// own) state writes interleave with: two already in state, four written in
// the same apply as the failing creates.
const failedCreatesConfig = `
variable "customers" {
  type    = set(string)
  default = []
}

resource "terraform_data" "before" {
  count = 2
  input = "kept-${count.index}"
}

resource "terraform_data" "beside" {
  count = length(var.customers) > 0 ? 4 : 0
  input = "beside-${count.index}"
}

resource "sovx_customer_webhook" "w" {
  for_each    = var.customers
  customer_id = each.key
  url         = "https://example.com/hooks/${each.key}"
  headers     = { "X-API-Key" = { value = "key-${each.key}" } }
  verify      = false
}
`

func failCreatesThenConverge(t *testing.T, fault sovxtest.Fault) {
	// Six creates fail; six more succeed at the same moment, so that their
	// state writes meet the failing ones'.
	failing := []string{"cus_0", "cus_1", "cus_2", "cus_3", "cus_4", "cus_5"}
	customers := append([]string{"cus_6", "cus_7", "cus_8", "cus_9", "cus_10", "cus_11"}, failing...)
	api := sovxtest.NewServer(sovxtest.Options{Customers: customers, Strict: true})
	defer api.Close()
	w := newWorkspace(t, api, failedCreatesConfig)
	w.mustRun("apply", "-auto-approve", "-no-color")

	for _, id := range failing {
		f := fault
		f.CustomerID = id
		api.InjectFault(f)
	}
	w.setEnv("SOVX_MAX_RETRIES=0", `TF_VAR_customers=["`+strings.Join(customers, `","`)+`"]`, "TF_CLI_ARGS_apply=-parallelism=12")
	out := w.mustFail("apply", "-auto-approve", "-no-color")
	if n := storedCount(api, customers); n != len(customers) {
		t.Fatalf("the API stored %d of the creates, want all (the fault carries them out)", n)
	}

	state := w.mustRun("state", "list")
	for _, addr := range []string{"terraform_data.before[0]", "terraform_data.before[1]", "terraform_data.beside[3]"} {
		if !strings.Contains(state, addr+"\n") {
			t.Errorf("after the failed creates the state lost %s:\n%s", addr, state)
		}
	}
	if tracked := strings.Count(state, "sovx_customer_webhook.w[") - (len(customers) - len(failing)); tracked != 0 {
		t.Errorf("%s %s: want no failed create in state, found %d\n%s\n%s", engine, engineVersion, tracked, state, out)
	}
	if !says(out, "may have stored the webhook all the same") {
		t.Errorf("the error must say the API may have stored the webhooks:\n%s", out)
	}
	api.ClearFaults()
	if plan := w.mustRun("plan", "-no-color"); !says(plan, "Existing webhook taken over") {
		t.Errorf("the plan must say that the webhooks the API stored will be taken over:\n%s", plan)
	}
	rerunConverges(w, api, customers)
	if n := strings.Count(w.mustRun("state", "list"), "\n"); n != 2+4+len(customers) {
		t.Errorf("state holds %d resources after the re-run, want %d", n, 2+4+len(customers))
	}
}

// TestReplacementsAreNeverTakenForSomeoneElses: the create of a replacement
// finds the webhook it replaces at the API, with another URL than the one it
// will write. -replace and a changed customer_id, each with and without
// -refresh=false, plan and apply without "Webhook already configured":
// the old webhook is deleted first. A webhook of another customer in the way
// of a changed customer_id is still refused at plan.
func TestReplacementsAreNeverTakenForSomeoneElses(t *testing.T) {
	api := sovxtest.NewServer(sovxtest.Options{Customers: []string{"cus_1", "cus_2", "cus_3"}, Strict: true})
	defer api.Close()
	config := func(customer, url string) string {
		return fmt.Sprintf(`
resource "sovx_customer_webhook" "pin" {
  customer_id = %q
  url         = %q
  headers     = { "X-API-Key" = { value = "key" } }
  verify      = false
}
`, customer, url)
	}
	w := newWorkspace(t, api, config("cus_1", "https://example.com/v1"))
	w.mustRun("apply", "-auto-approve", "-no-color")
	steps := []struct {
		customer, url string
		args          []string
	}{
		{"cus_1", "https://example.com/v2", []string{"-replace=sovx_customer_webhook.pin"}},
		{"cus_1", "https://example.com/v3", []string{"-replace=sovx_customer_webhook.pin", "-refresh=false"}},
		{"cus_2", "https://example.com/v4", nil},
		{"cus_1", "https://example.com/v5", []string{"-refresh=false"}},
	}
	for _, s := range steps {
		w.write(config(s.customer, s.url))
		out := w.mustRun(append([]string{"apply", "-auto-approve", "-no-color"}, s.args...)...)
		if says(out, "already configured") || says(out, "taken over") {
			t.Fatalf("%v to %s %s: the replacement was taken for someone else's webhook:\n%s", s.args, s.customer, s.url, out)
		}
		if hook, ok := api.Webhook(s.customer); !ok || hook.URL != s.url {
			t.Fatalf("%v: %s holds %+v, want %s", s.args, s.customer, hook, s.url)
		}
	}
	if _, ok := api.Webhook("cus_2"); ok {
		t.Error("moving back to cus_1 left cus_2's webhook behind")
	}
	api.SetWebhook("cus_3", sovxtest.Webhook{URL: "https://example.com/theirs"})
	w.write(config("cus_3", "https://example.com/v6"))
	if out := w.mustFail("plan", "-no-color", "-refresh=false"); !says(out, "Webhook already configured") {
		t.Fatalf("moving onto cus_3's own webhook must be refused at plan:\n%s", out)
	}
}
