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
// TestSeveralFailedCreatesKeepTheState runs (5 by default): the engine
// defect it guards against is a race that struck about one run in two.
const EnvFailedCreateRuns = "SOVX_FAILED_CREATE_RUNS"

// TestSeveralFailedCreatesKeepTheState: six creates fail at once after the
// API stored them, in an apply that also writes the user's other resources
// and beside resources already in state. No signal is sent. Terraform 1.16.x
// crashed here and emptied the state file when the provider returned the
// state of a failed create (see internal/provider/engine.go); the health
// checks of every command (health_test.go) fail the test on a crash, an
// empty or corrupt state file or a provider process left running.
// Afterwards the state still holds the other resources, the failed creates
// are tracked as tainted where the engine can record them (and absent
// elsewhere), and the next apply converges.
func TestSeveralFailedCreatesKeepTheState(t *testing.T) {
	runs := 5
	if env := os.Getenv(EnvFailedCreateRuns); env != "" {
		n, err := strconv.Atoi(env)
		if err != nil || n < 1 {
			t.Fatalf("%s=%q: want a positive number", EnvFailedCreateRuns, env)
		}
		runs = n
	}
	// A lost answer leaves the create's outcome unknown: tracked as tainted
	// where the engine can record it. A 502 is an answer: nothing is
	// recorded on any engine, and the next apply takes the webhook over.
	cases := map[string]struct {
		fault    sovxtest.Fault
		mayTrack bool
	}{
		"answers lost after the write": {sovxtest.Fault{Method: http.MethodPost, DropAnswer: true}, true},
		"502 after the write":          {sovxtest.Fault{Method: http.MethodPost, CarryOut: true, Status: http.StatusBadGateway}, false},
	}
	for name, tc := range cases {
		for i := range runs {
			t.Run(fmt.Sprintf("%s/%d", name, i+1), func(t *testing.T) {
				t.Parallel()
				failCreatesThenConverge(t, tc.fault, tc.mayTrack && engineTracksFailedCreates())
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

func failCreatesThenConverge(t *testing.T, fault sovxtest.Fault, wantTracked bool) {
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
	tracked := strings.Count(state, "sovx_customer_webhook.w[") - (len(customers) - len(failing))
	switch {
	case wantTracked && (tracked != len(failing) || !says(out, "Terraform records it as tainted")):
		t.Errorf("%s %s: want every failed create tracked as tainted, %d of %d in state\n%s\n%s", engine, engineVersion, tracked, len(failing), state, out)
	case !wantTracked && tracked != 0:
		t.Errorf("%s %s: want no failed create in state, found %d\n%s\n%s", engine, engineVersion, tracked, state, out)
	case !engineTracksFailedCreates() && fault.DropAnswer && !says(out, "cannot safely record a failed create"):
		t.Errorf("the error must say why %s %s does not record the failed creates:\n%s", engine, engineVersion, out)
	}

	api.ClearFaults()
	// The next plan says what will happen: a tainted webhook is replaced
	// (deleted first, so its create is not checked); an unrecorded one is
	// found and will be taken over.
	api.ResetRequests()
	plan := w.mustRun("plan", "-no-color")
	takeOver := says(plan, "Existing webhook taken over")
	switch {
	case wantTracked && (takeOver || !strings.Contains(plan, "is tainted, so")):
		t.Errorf("the plan of the tainted webhooks must replace them without a take-over:\n%s", plan)
	case wantTracked && api.CountRequests(http.MethodGet, "cus_0") != 1:
		t.Errorf("the plan sent %d GETs for a tainted webhook, want its refresh only", api.CountRequests(http.MethodGet, "cus_0"))
	case !wantTracked && !takeOver:
		t.Errorf("the plan must say that the webhooks the API stored will be taken over:\n%s", plan)
	}
	rerunConverges(w, api, customers)
	if n := strings.Count(w.mustRun("state", "list"), "\n"); n != 2+4+len(customers) {
		t.Errorf("state holds %d resources after the re-run, want %d", n, 2+4+len(customers))
	}
}

// engineTracksFailedCreates is the outcome this suite expects per engine,
// stated independently of the provider's own rule: Terraform from 1.16.0 on
// gets no state from a failed create; older Terraform and OpenTofu get it
// and record the webhook as tainted.
func engineTracksFailedCreates() bool {
	if v := os.Getenv("SOVX_TRACK_FAILED_CREATES"); v != "" {
		track, _ := strconv.ParseBool(v)
		return track
	}
	return engine == "OpenTofu" || compareVersions(engineVersion, "1.16.0") < 0
}
